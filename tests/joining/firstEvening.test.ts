/**
 * Issue 18, the server's side of a Saturday night: one phone joining one game twice, parties
 * larger than the game, a game lowered to no copies while people wait, two tablets racing for
 * "Call next", and staff sessions that survive a restart without SESSION_SECRET.
 */
import request from 'supertest';
import { startTestService, type TestService } from '../helpers/testService';
import { act, createGame, getReservation, join, type ReservationBody } from '../helpers/api';

jest.setTimeout(60_000);

let service: TestService;
beforeAll(async () => {
  service = await startTestService('firstevening');
});
afterAll(() => service?.stop());

const phone = () => request.agent(service.url);
type Agent = ReturnType<typeof phone>;

async function joinFrom(agent: Agent, gameId: number, body: Record<string, unknown> = {}) {
  return agent.post(`/api/games/${gameId}/reservations`).send({ customerName: 'Sam Okafor', partySize: 2, ...body });
}

describe('one phone, one live ticket per game', () => {
  test('a repeat join from the same phone is refused with a 409 naming the ticket, and adds nobody', async () => {
    const game = await createGame(service, { copies: 1, autoAdvance: false });
    const sams = phone();
    const first = await joinFrom(sams, game.id);
    expect(first.status).toBe(201);

    const again = await joinFrom(sams, game.id);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'already_in_queue', details: [{ path: 'existingCode', message: first.body.code }] });
    expect(again.body.error.message).toContain(first.body.code);
    const list = await service.staff.get('/api/reservations').query({ gameId: game.id });
    expect((list.body as ReservationBody[]).map((r) => r.code)).toEqual([first.body.code]);
  });

  test('another phone, another game, or "another party" on purpose all join; staff see the shared phone', async () => {
    const game = await createGame(service, { copies: 1, autoAdvance: false });
    const other = await createGame(service, { copies: 1, autoAdvance: false });
    const sams = phone();
    const first = await joinFrom(sams, game.id);
    expect((await joinFrom(phone(), game.id)).status).toBe(201);
    expect((await joinFrom(sams, other.id)).status).toBe(201);
    const second = await joinFrom(sams, game.id, { customerName: 'Priya Shah', anotherParty: true });
    expect(second.status).toBe(201);

    const staffView = await service.staff.get('/api/reservations').query({ gameId: game.id });
    const byCode = new Map((staffView.body as Array<ReservationBody & { sameDeviceAs: string[] }>).map((r) => [r.code, r]));
    expect(byCode.get(first.body.code)!.sameDeviceAs).toEqual([second.body.code]);
    expect(byCode.get(second.body.code)!.sameDeviceAs).toEqual([first.body.code]);
    // The phone from elsewhere and the other game's ticket carry no marker; no device id is shown.
    expect([...byCode.values()].filter((r) => r.sameDeviceAs.length === 0)).toHaveLength(1);
    expect(JSON.stringify(staffView.body)).not.toMatch(/deviceId/i);
  });

  test('once the first ticket has ended, the same phone may join again', async () => {
    const game = await createGame(service, { copies: 1, autoAdvance: false });
    const sams = phone();
    const first = await joinFrom(sams, game.id);
    expect((await act(service, first.body.id, 'cancel')).status).toBe(200);
    expect((await joinFrom(sams, game.id)).status).toBe(201);
  });

  test('two taps at once from one phone: one ticket, and the other answer names it', async () => {
    const game = await createGame(service, { copies: 1, autoAdvance: false });
    const sams = phone();
    expect((await joinFrom(sams, other(game.id))).status).toBe(404); // gets the device cookie
    const [a, b] = await Promise.all([joinFrom(sams, game.id), joinFrom(sams, game.id)]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([201, 409]);
    const created = a.status === 201 ? a : b;
    const refused = a.status === 409 ? a : b;
    expect(refused.body.error.details[0].message).toBe(created.body.code);
  });

  test('staff walk-ins from the counter tablet are never refused as a repeat', async () => {
    const game = await createGame(service, { copies: 1, autoAdvance: false });
    for (const name of ['Walk In One', 'Walk In Two']) {
      expect((await service.staff.post(`/api/games/${game.id}/reservations`).send({ customerName: name, partySize: 2 })).status).toBe(201);
    }
  });
});

const other = (id: number) => id + 1_000_000;

describe('a party larger than the game seats is refused (docs/SPEC.md#joining)', () => {
  test('joining with 9 for a 5-player game is a 400 on partySize, and nobody joins', async () => {
    const game = await createGame(service, { minPlayers: 2, maxPlayers: 5, autoAdvance: false });
    const res = await joinFrom(phone(), game.id, { partySize: 9 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('party_too_large');
    expect(res.body.error.params).toEqual({ title: game.title, max: 5 });
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'partySize', message: expect.stringContaining('At most 5') })]);
    expect((await service.staff.get('/api/reservations').query({ gameId: game.id })).body).toEqual([]);
    expect((await joinFrom(phone(), game.id, { partySize: 5 })).status).toBe(201);
  });

  test('staff cannot edit a party to 9 on a 5-player game; the party is unchanged', async () => {
    const game = await createGame(service, { minPlayers: 2, maxPlayers: 5, autoAdvance: false });
    const party = await join(service, game.id);
    const res = await service.staff.patch(`/api/reservations/${party.id}`).send({ partySize: 9 });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('partySize');
    expect((await getReservation(service, party.id)) as unknown as { partySize: number }).toMatchObject({ partySize: 2 });
    expect((await service.staff.patch(`/api/reservations/${party.id}`).send({ partySize: 5 })).status).toBe(200);
  });
});

describe('a game lowered to no copies while parties wait', () => {
  test("the waiting party's ticket says the game calls nobody now, and gets it back with a copy", async () => {
    const game = await createGame(service, { copies: 1, autoAdvance: false });
    const party = await join(service, game.id);
    const before = await service.anon.get(`/api/tickets/${party.code}`);
    expect(before.body).toMatchObject({ status: 'waiting', position: 1, gameAvailable: true });

    expect((await service.staff.patch(`/api/games/${game.id}`).send({ copies: 0 })).status).toBe(200);
    const during = await service.anon.get(`/api/tickets/${party.code}`);
    // It keeps its place, but is not told it is next to be called.
    expect(during.body).toMatchObject({ status: 'waiting', position: 1, gameAvailable: false, estimatedWaitMinutes: null });

    expect((await service.staff.patch(`/api/games/${game.id}`).send({ copies: 1 })).status).toBe(200);
    expect((await service.anon.get(`/api/tickets/${party.code}`)).body).toMatchObject({ gameAvailable: true });
  });
});

describe('two tablets press "Call next" at once', () => {
  test('the one that loses hears the party was already called from another device', async () => {
    const game = await createGame(service, { copies: 1, autoAdvance: false });
    const party = await join(service, game.id);
    await join(service, game.id, 'Mei Chen');
    const tablet = await service.signIn();
    // Both tablets showed the copy free when pressed.
    const [a, b] = await Promise.all([
      service.staff.post(`/api/games/${game.id}/call-next`).send({ seenInUse: 0 }),
      tablet.post(`/api/games/${game.id}/call-next`).send({ seenInUse: 0 }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const lost = a.status === 409 ? a : b;
    expect(lost.body.error.message).toMatch(/already called from another device/i);
    expect(lost.body.error.message).toContain(party.code);
  });

  test('a tablet that already showed the copy in use is told every copy is in use', async () => {
    const game = await createGame(service, { copies: 1, autoAdvance: false });
    await join(service, game.id);
    await join(service, game.id, 'Mei Chen');
    expect((await service.staff.post(`/api/games/${game.id}/call-next`).send({ seenInUse: 0 })).status).toBe(200);
    for (const body of [{ seenInUse: 1 }, {}]) {
      const res = await service.staff.post(`/api/games/${game.id}/call-next`).send(body);
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(/no free copy/i);
    }
  });

  test('a malformed seenInUse is a 400, and nobody is called', async () => {
    const game = await createGame(service, { copies: 1, autoAdvance: false });
    await join(service, game.id);
    const res = await service.staff.post(`/api/games/${game.id}/call-next`).send({ seenInUse: -1 });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('seenInUse');
    expect((await service.staff.get('/api/reservations').query({ gameId: game.id, status: 'called' })).body).toEqual([]);
  });
});

describe('staff stay signed in across a restart without SESSION_SECRET', () => {
  test('the first start stores a secret, later starts reuse it, and SESSION_SECRET still wins', async () => {
    let run = await startTestService('sessionsecret', { SESSION_SECRET: '' });
    const { name } = run;
    try {
      const tablet = await run.signIn();
      const cookie = (await tablet.get('/api/auth/me')).request.cookies;
      expect(cookie).toContain('meeple.sid=');
      const stored = (await run.ctx.knex('service_secrets').where({ name: 'session' }).first('value')) as { value: string };
      expect(stored.value).toMatch(/^[0-9a-f]{64}$/);

      await run.stop({ keepData: true });
      run = await startTestService('sessionsecret', { SESSION_SECRET: '' }, name);
      expect((await request(run.url).get('/api/auth/me').set('cookie', cookie)).status).toBe(200);
      expect(await run.ctx.knex('service_secrets').where({ name: 'session' }).first('value')).toEqual(stored);

      // An operator's SESSION_SECRET always wins (the old sessions end), and the stored one stays.
      await run.stop({ keepData: true });
      run = await startTestService('sessionsecret', { SESSION_SECRET: 'an-operator-chosen-secret-0123456789' }, name);
      expect((await request(run.url).get('/api/auth/me').set('cookie', cookie)).status).toBe(401);
      expect(await run.ctx.knex('service_secrets').where({ name: 'session' }).first('value')).toEqual(stored);
    } finally {
      await run.stop();
    }
  });
});
