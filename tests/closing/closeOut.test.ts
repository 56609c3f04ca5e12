import { DateTime } from 'luxon';
import { closeOutIfDue } from '../../server/closeout/closeOut';
import { WEEKDAYS, type OpeningHours } from '../../server/settings/hours';
import { createGame, join, act, getReservation } from '../helpers/api';
import { createAccount } from '../staff-accounts/accountHelpers';
import { eventually, startTestService, type TestService } from '../helpers/testService';

const BERLIN = 'Europe/Berlin';
const closed = { mon: null, tue: null, wed: null, thu: null, fri: null, sat: null, sun: null };
const message = 'We are closed. Come back for games tonight!';

function openingHours(days: Partial<OpeningHours['days']>): OpeningHours {
  return { enabled: true, days: { ...closed, ...days }, closedMessage: message };
}

/** Hours for today (café zone) that opened an hour ago and close `closeInMinutes` from now (negative: closed already). */
function hoursAroundNow(closeInMinutes: number, lastJoinInMinutes: number | null = null): OpeningHours {
  const now = DateTime.now().setZone(BERLIN);
  const opened = now.minus({ hours: 1 });
  const fmt = (d: DateTime) => d.toFormat('HH:mm');
  // Near midnight the hours would straddle two weekdays; the tests start after 01:00 local or are skipped then.
  return openingHours({
    [WEEKDAYS[opened.weekday - 1]!]: {
      open: fmt(opened),
      close: fmt(now.plus({ minutes: closeInMinutes })),
      lastJoin: lastJoinInMinutes === null ? null : fmt(now.plus({ minutes: lastJoinInMinutes })),
    },
  });
}
const nearMidnight = () => {
  const local = DateTime.now().setZone(BERLIN);
  return local.hour < 1 || (local.hour === 23 && local.minute > 50);
};

/** A walk-in added by staff: not held to the opening hours. */
async function walkIn(service: TestService, gameId: number, customerName: string): Promise<{ id: number }> {
  const res = await service.staff.post(`/api/games/${gameId}/reservations`).send({ customerName, partySize: 2 });
  if (res.status !== 201) throw new Error(`walk-in: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: number };
}

async function backdate(service: TestService, ids: number[], iso: string) {
  await service.ctx.knex('reservations').whereIn('id', ids).update({ enqueuedAt: new Date(iso) });
}

describe('opening hours and the 409 at join', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('hours', { CAFE_TIMEZONE: BERLIN, RUN_WORKERS: 'false' });
  });
  afterAll(() => service?.stop());

  test('no hours set: the queue is open, the settings say so', async () => {
    const res = await service.staff.get('/api/settings/opening-hours');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ enabled: false, updatedBy: null });
    expect((await service.anon.get('/api/queue-status')).body).toEqual({ open: true, message: null, opensAt: null });
  });

  test('bad hours are refused with the field that is wrong, and change nothing', async () => {
    const bad: Array<[unknown, string]> = [
      [{ ...openingHours({ mon: { open: '25:00', close: '23:00', lastJoin: null } }) }, 'days.mon.open'],
      [{ ...openingHours({ mon: { open: '17:00', close: '17:00', lastJoin: null } }) }, 'days.mon.close'],
      [{ ...openingHours({ mon: { open: '17:00', close: '23:00', lastJoin: '23:30' } }) }, 'days.mon.lastJoin'],
      [{ ...openingHours({}), closedMessage: '  ' }, 'closedMessage'],
      [{ ...openingHours({}), days: { ...closed, funday: null } }, 'days'],
      [{ enabled: 'yes', days: closed, closedMessage: message }, 'enabled'],
    ];
    for (const [body, path] of bad) {
      const res = await service.staff.put('/api/settings/opening-hours').send(body as object);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect((await service.staff.get('/api/settings/opening-hours')).body.enabled).toBe(false);
  });

  test('only admins change the hours (staff 403, nobody 401); staff may read them', async () => {
    const clerk = await createAccount(service, 'clerk', 'staff');
    const agent = await service.signIn();
    await agent.post('/api/auth/logout');
    const staffAgent = (await import('supertest')).default.agent(service.url);
    expect((await staffAgent.post('/api/auth/login').send(clerk)).status).toBe(200);
    const put = await staffAgent.put('/api/settings/opening-hours').send(openingHours({}));
    expect(put.status).toBe(403);
    expect(put.body.error.code).toBe('admin_only');
    expect((await staffAgent.get('/api/settings/opening-hours')).status).toBe(200);
    expect((await service.anon.put('/api/settings/opening-hours').send(openingHours({}))).status).toBe(401);
    expect((await service.anon.get('/api/settings/opening-hours')).status).toBe(401);
  });

  test('outside the hours a customer join is a 409 in plain words; staff still add walk-ins; inside the hours joins work', async () => {
    const game = await createGame(service);
    const saved = await service.staff.put('/api/settings/opening-hours').send(openingHours({}));
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ enabled: true, updatedBy: 'staff:admin' });

    const refused = await service.anon.post(`/api/games/${game.id}/reservations`).send({ customerName: 'Sam', partySize: 2 });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'queue_closed', message });
    expect((await service.anon.get('/api/queue-status')).body).toMatchObject({ open: false, message });
    expect(await service.ctx.knex('reservations').where({ gameId: game.id })).toHaveLength(0);

    const walkIn = await service.staff.post(`/api/games/${game.id}/reservations`).send({ customerName: 'Walk In', partySize: 2 });
    expect(walkIn.status).toBe(201);

    if (nearMidnight()) return;
    expect((await service.staff.put('/api/settings/opening-hours').send(hoursAroundNow(120))).status).toBe(200);
    expect((await service.anon.post(`/api/games/${game.id}/reservations`).send({ customerName: 'Sam', partySize: 2 })).status).toBe(201);

    // After the last join (but before closing): refused, saying so.
    expect((await service.staff.put('/api/settings/opening-hours').send(hoursAroundNow(120, -1))).status).toBe(200);
    const late = await service.anon.post(`/api/games/${game.id}/reservations`).send({ customerName: 'Kim', partySize: 2 });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/^The queue has closed for new parties tonight\./);
  });

  test('a game’s queue limit is a 409 too, naming the limit', async () => {
    await service.staff.put('/api/settings/opening-hours').send({ ...openingHours({}), enabled: false });
    const game = await createGame(service, { maxQueue: 1 });
    await join(service, game.id);
    const full = await service.anon.post(`/api/games/${game.id}/reservations`).send({ customerName: 'Sam', partySize: 2 });
    expect(full.status).toBe(409);
    expect(full.body.error.message).toMatch(/full \(at most 1 waiting part/);
  });

  test('saving the hours is in the audit log', async () => {
    const today = DateTime.now().setZone(BERLIN).toISODate()!;
    const res = await service.staff.get('/api/audit').query({ from: today, to: today, actor: 'staff:admin' });
    expect(res.status).toBe(200);
    expect(res.body.entries.filter((e: { type: string }) => e.type === 'settings_changed').length).toBeGreaterThanOrEqual(2);
  });
});

describe('the end-of-day close-out', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('closeout', { CAFE_TIMEZONE: BERLIN, RUN_WORKERS: 'false', AUTO_ADVANCE: 'false' });
  });
  afterAll(() => service?.stop());

  test('spring DST night: Saturday 28 March closes at 01:00 CET (00:00 UTC); waiting and called are cancelled ("closed"), seated finished, later joins untouched; a second run does nothing', async () => {
    await service.staff.put('/api/settings/opening-hours').send(openingHours({ sat: { open: '17:00', close: '01:00', lastJoin: null } }));
    const game = await createGame(service, { copies: 3 });
    const waiting = await walkIn(service, game.id, 'Wait Ing');
    const called = await walkIn(service, game.id, 'Cal Led');
    const seated = await walkIn(service, game.id, 'Sea Ted');
    const nextDay = await walkIn(service, game.id, 'Next Day');
    await act(service, called.id, 'call');
    await act(service, seated.id, 'call');
    await act(service, seated.id, 'seat');
    await backdate(service, [waiting.id, called.id, seated.id], '2026-03-28T20:00:00Z');
    await backdate(service, [nextDay.id], '2026-03-29T00:10:00Z');

    // 00:59 CET: not closing yet (the due day is an earlier one; nothing of ours was before its cutoff).
    const early = await closeOutIfDue(service.ctx, new Date('2026-03-28T23:59:00Z'));
    expect(early.outcome === 'closed' ? early.summary.cafeDate : early.cafeDate).not.toBe('2026-03-28');
    expect((await getReservation(service, waiting.id)).status).toBe('waiting');

    const first = await closeOutIfDue(service.ctx, new Date('2026-03-29T00:30:00Z'));
    expect(first.outcome).toBe('closed');
    if (first.outcome !== 'closed') return;
    expect(first.summary).toMatchObject({ cafeDate: '2026-03-28', cutoff: '2026-03-29T00:00:00.000Z', cancelledWaiting: 1, cancelledCalled: 1, finished: 1 });
    expect((await getReservation(service, waiting.id)).status).toBe('cancelled');
    expect((await getReservation(service, called.id)).status).toBe('cancelled');
    expect((await getReservation(service, seated.id)).status).toBe('finished');
    expect((await getReservation(service, nextDay.id)).status).toBe('waiting');

    const events = await service.ctx.knex('reservation_events').whereIn('reservationId', [waiting.id, called.id, seated.id]).where('actor', 'system:close-out');
    expect(events.map((e: { type: string; fromStatus: string; details: string }) => [e.fromStatus, e.type, JSON.parse(e.details).reason]).sort()).toEqual([
      ['called', 'cancelled', 'closed'],
      ['seated', 'finished', 'closed'],
      ['waiting', 'cancelled', 'closed'],
    ]);

    expect(await closeOutIfDue(service.ctx, new Date('2026-03-29T00:31:00Z'))).toEqual({ outcome: 'already-closed', cafeDate: '2026-03-28' });
    const list = await service.staff.get('/api/close-outs');
    expect(list.status).toBe(200);
    expect(list.body[0]).toMatchObject({ cafeDate: '2026-03-28', finished: 1, perGame: [{ gameId: game.id, cancelled: 2, finished: 1 }] });
  });

  test('autumn DST night: Saturday 24 October closes at 01:00 CEST = 23:00 UTC on the 24th', async () => {
    const game = await createGame(service);
    const party = await walkIn(service, game.id, 'Au Tumn');
    await backdate(service, [party.id], '2026-10-24T22:59:00Z');
    const notYet = await closeOutIfDue(service.ctx, new Date('2026-10-24T22:59:59Z'));
    expect(notYet.outcome === 'closed' ? notYet.summary.cafeDate : notYet.cafeDate).not.toBe('2026-10-24');
    const done = await closeOutIfDue(service.ctx, new Date('2026-10-24T23:00:00Z'));
    expect(done).toMatchObject({ outcome: 'closed', summary: { cafeDate: '2026-10-24', cutoff: '2026-10-24T23:00:00.000Z', cancelledWaiting: 1 } });
  });

  test('the hours switched off: nothing is due', async () => {
    await service.staff.put('/api/settings/opening-hours').send({ ...openingHours({}), enabled: false });
    expect(await closeOutIfDue(service.ctx, new Date())).toEqual({ outcome: 'nothing-due', cafeDate: null });
  });
});

describe('close-out idempotence across two workers', () => {
  let a: TestService;
  let b: TestService;
  beforeAll(async () => {
    a = await startTestService('closerace', { CAFE_TIMEZONE: BERLIN, RUN_WORKERS: 'false', AUTO_ADVANCE: 'false' });
    // A second service on the same database and Redis prefix: another process's pool and workers.
    b = await startTestService('closerace', { CAFE_TIMEZONE: BERLIN, RUN_WORKERS: 'false', AUTO_ADVANCE: 'false' }, a.name);
  });
  afterAll(async () => {
    await b?.stop({ keepData: true });
    await a?.stop();
  });

  test('eight close-outs of the same day racing on two connection pools: exactly one closes it, each party ends once', async () => {
    await a.staff.put('/api/settings/opening-hours').send(openingHours({ fri: { open: '17:00', close: '23:00', lastJoin: null } }));
    const game = await createGame(a, { copies: 2 });
    const parties = [];
    for (let i = 0; i < 6; i += 1) parties.push(await walkIn(a, game.id, `Party ${i}`));
    await act(a, parties[0]!.id, 'call');
    await act(a, parties[1]!.id, 'call');
    await act(a, parties[1]!.id, 'seat');
    await backdate(a, parties.map((p) => p.id), '2026-11-27T19:00:00Z');
    const now = new Date('2026-11-27T22:30:00Z');

    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => closeOutIfDue(i % 2 ? b.ctx : a.ctx, now)));
    expect(outcomes.filter((o) => o.outcome === 'closed')).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'already-closed')).toHaveLength(7);
    const events = await a.ctx.knex('reservation_events').where('actor', 'system:close-out').whereIn('reservationId', parties.map((p) => p.id));
    expect(events).toHaveLength(6);
    expect(await a.ctx.knex('close_outs').where('cafeDate', '2026-11-27')).toHaveLength(1);
  });
});

describe('the close-out job on two BullMQ workers', () => {
  let a: TestService;
  let b: TestService;
  beforeAll(async () => {
    a = await startTestService('closejob', { CAFE_TIMEZONE: BERLIN, AUTO_ADVANCE: 'false' });
    b = await startTestService('closejob', { CAFE_TIMEZONE: BERLIN, AUTO_ADVANCE: 'false' }, a.name);
  });
  afterAll(async () => {
    await b?.stop({ keepData: true });
    await a?.stop();
  });

  test('a closing time that just passed: both workers run close-out jobs, the day is closed once', async () => {
    if (nearMidnight()) return;
    const game = await createGame(a);
    const party = await walkIn(a, game.id, 'Last Party');
    await backdate(a, [party.id], new Date(Date.now() - 30 * 60_000).toISOString());
    await a.staff.put('/api/settings/opening-hours').send(hoursAroundNow(-1));
    // The schedule runs the check every minute; these make both workers run it now.
    await Promise.all([1, 2, 3, 4].map((i) => (i % 2 ? a : b).ctx.jobs.maintenance.add('close-out', {}, { jobId: `close-out-test-${i}` })));
    await eventually(async () => (await getReservation(a, party.id)).status === 'cancelled', 15_000);
    await eventually(async () => (await a.ctx.jobs.maintenance.getJobCounts('waiting', 'active', 'delayed')).waiting === 0, 15_000);
    expect(await a.ctx.knex('close_outs')).toHaveLength(1);
    expect(await a.ctx.knex('reservation_events').where({ reservationId: party.id, actor: 'system:close-out' })).toHaveLength(1);
  });
});
