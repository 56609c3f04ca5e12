import { startTestService, eventually, ADMIN, type TestService } from '../helpers/testService';
import { act, createGame, getReservation, join, listReservations, type ReservationBody } from '../helpers/api';
import { PATH } from '../helpers/stateMachine';
import type { QueueAction } from '../../server/queue/states';

/** Undo, revert, re-queue, hold extension and priority through HTTP, on real MariaDB and Redis. */
describe('floor tools', () => {
  let service: TestService;

  beforeAll(async () => {
    // Calls by hand only: the tests look at places and statuses without a worker moving anyone.
    service = await startTestService('qfloortools', { AUTO_ADVANCE: 'false', REVERT_FINISHED_MINUTES: '15', HOLD_EXTENSION_MINUTES: '5' });
  });
  afterAll(() => service?.stop());

  async function step(id: number, action: QueueAction, body: object = {}) {
    const res = await service.staff.post(`/api/reservations/${id}/${PATH[action]}`).send(body);
    if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as ReservationBody;
  }

  async function waitingIds(gameId: number): Promise<number[]> {
    return (await listReservations(service, { gameId, status: 'waiting' })).map((r) => r.id);
  }

  async function eventsOf(id: number) {
    return service.ctx.knex('reservation_events').where({ reservationId: id }).orderBy('id') as Promise<
      Array<{ type: string; fromStatus: string; toStatus: string; actor: string; staffUserId: number | null; details: string | null; waitMs: number | null }>
    >;
  }

  async function sql(statement: string, bindings: unknown[]) {
    await service.ctx.knex.raw(statement, bindings as never[]);
  }

  describe('undo: each action taken back by its inverse move', () => {
    test('call → uncall: waiting again at its place, the hold gone', async () => {
      const game = await createGame(service, { copies: 2 });
      const a = await join(service, game.id, 'Ada First');
      const b = await join(service, game.id, 'Bo Second');
      await step(a.id, 'call');
      const back = await step(a.id, 'uncall');
      expect(back).toMatchObject({ status: 'waiting', position: 1, calledAt: null, holdExpiresAt: null, enqueuedAt: a.enqueuedAt });
      expect(await waitingIds(game.id)).toEqual([a.id, b.id]);
    });

    test('seat → unseat: called again with a fresh hold; finish → unfinish: seated again', async () => {
      const game = await createGame(service, { copies: 1 });
      const a = await join(service, game.id);
      const called = await step(a.id, 'call');
      await step(a.id, 'seat');
      const unseated = await step(a.id, 'unseat');
      expect(unseated).toMatchObject({ status: 'called', seatedAt: null, calledAt: called.calledAt });
      expect(Date.parse(unseated.holdExpiresAt!)).toBeGreaterThanOrEqual(Date.parse(called.holdExpiresAt!));
      await step(a.id, 'seat');
      const finished = await step(a.id, 'finish');
      expect(finished.finishedAt).not.toBeNull();
      const unfinished = await step(a.id, 'unfinish');
      expect(unfinished).toMatchObject({ status: 'seated', finishedAt: null });
      expect(unfinished.seatedAt).not.toBeNull();
      // The one wait measured is the first call's: the steps back add no second one to today's numbers.
      const waits = (await eventsOf(a.id)).filter((e) => e.waitMs !== null);
      expect(waits).toHaveLength(1);
    });

    test.each(['no_show', 'cancel'] as const)('%s → reinstate: waiting again at its ORIGINAL place, enqueuedAt kept', async (ending) => {
      const game = await createGame(service, { copies: 1 });
      const a = await join(service, game.id, 'Ada One');
      const b = await join(service, game.id, 'Bo Two');
      const c = await join(service, game.id, 'Cy Three');
      if (ending === 'no_show') await step(a.id, 'call');
      await step(a.id, ending);
      const d = await join(service, game.id, 'Di Four');
      const back = await step(a.id, 'reinstate');
      expect(back).toMatchObject({ status: 'waiting', position: 1, enqueuedAt: a.enqueuedAt, calledAt: null, finishedAt: null });
      expect(await waitingIds(game.id)).toEqual([a.id, b.id, c.id, d.id]);
      // The ticket resolves again as waiting, first in line.
      const ticket = await service.anon.get(`/api/tickets/${a.code}`);
      expect(ticket.body).toMatchObject({ status: 'waiting', position: 1 });
    });
  });

  describe('revert later, with its limits', () => {
    test('a finished game can be put back only within REVERT_FINISHED_MINUTES', async () => {
      const game = await createGame(service, { copies: 1 });
      const a = await join(service, game.id);
      await step(a.id, 'call');
      await step(a.id, 'seat');
      await step(a.id, 'finish');
      await sql('UPDATE reservations SET finished_at = CURRENT_TIMESTAMP(3) - INTERVAL 16 MINUTE WHERE id = ?', [a.id]);
      const res = await act(service, a.id, 'unfinish');
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'revert_window_passed', params: { minutes: 15 } });
      expect(res.body.error.message).toMatch(/15 minutes/);
      expect((await getReservation(service, a.id)).status).toBe('finished');
    });

    test('a finished game cannot be put back once its copy went to the next party (409 names the game)', async () => {
      const game = await createGame(service, { copies: 1 });
      const a = await join(service, game.id);
      const b = await join(service, game.id);
      await step(a.id, 'call');
      await step(a.id, 'seat');
      await step(a.id, 'finish');
      await step(b.id, 'call');
      const res = await act(service, a.id, 'unfinish');
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(/No free copy/);
      expect((await getReservation(service, a.id)).status).toBe('finished');
    });

    test('an ended ticket whose code was released (a day later) cannot come back: 409, nothing changes', async () => {
      const game = await createGame(service, { copies: 1 });
      const a = await join(service, game.id);
      await step(a.id, 'cancel');
      await sql('UPDATE reservations SET live_code = NULL, finished_at = CURRENT_TIMESTAMP(3) - INTERVAL 2 DAY WHERE id = ?', [a.id]);
      for (const action of ['reinstate', 'requeue'] as const) {
        const res = await act(service, a.id, PATH[action]);
        expect(res.status).toBe(409);
      }
      expect((await act(service, a.id, 'reinstate')).body.error.message).toMatch(/join again/);
      expect((await getReservation(service, a.id)).status).toBe('cancelled');
    });
  });

  test('re-queue: a no-show goes to the back of the queue, enqueuedAt kept for its wait', async () => {
    const game = await createGame(service, { copies: 1 });
    const a = await join(service, game.id, 'Ada Gone');
    const b = await join(service, game.id, 'Bo Here');
    await step(a.id, 'call');
    await step(a.id, 'no_show');
    const c = await join(service, game.id, 'Cy Later');
    const back = await step(a.id, 'requeue');
    expect(back).toMatchObject({ status: 'waiting', position: 3, enqueuedAt: a.enqueuedAt });
    expect(await waitingIds(game.id)).toEqual([b.id, c.id, a.id]);
    // A cancelled party is not a no-show: re-queue is refused (reinstate is its way back).
    const d = await join(service, game.id);
    await step(d.id, 'cancel');
    const refused = await act(service, d.id, 'requeue');
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('cancelled');
  });

  describe('hold extension', () => {
    test('+N minutes moves the hold end, on the staff answer, the ticket and the TV; events say how much', async () => {
      const game = await createGame(service, { copies: 1 });
      const a = await join(service, game.id);
      const called = await step(a.id, 'call');
      const plusDefault = await step(a.id, 'extend_hold');
      expect(Date.parse(plusDefault.holdExpiresAt!) - Date.parse(called.holdExpiresAt!)).toBe(5 * 60_000);
      const plusTen = await step(a.id, 'extend_hold', { minutes: 10 });
      expect(Date.parse(plusTen.holdExpiresAt!) - Date.parse(plusDefault.holdExpiresAt!)).toBe(10 * 60_000);
      expect(plusTen.status).toBe('called');
      const ticket = await service.anon.get(`/api/tickets/${a.code}`);
      expect(ticket.body.holdExpiresAt).toBe(plusTen.holdExpiresAt);
      await eventually(async () => {
        const board = await service.anon.get('/api/board');
        const mine = board.body.games.find((g: { id: number }) => g.id === game.id);
        expect(mine.calling[0]).toMatchObject({ code: a.code, holdExpiresAt: plusTen.holdExpiresAt });
        return true;
      });
      const extended = (await eventsOf(a.id)).filter((e) => e.type === 'hold_extended');
      expect(extended.map((e) => JSON.parse(e.details!))).toEqual([{ minutes: 5 }, { minutes: 10 }]);
    });

    test.each([{ minutes: 0 }, { minutes: 61 }, { minutes: 2.5 }, { minutes: '5' }, { extra: 1 }])('a bad body %j is a 400 and the hold stays', async (body) => {
      const game = await createGame(service, { copies: 1 });
      const a = await join(service, game.id);
      const called = await step(a.id, 'call');
      const res = await service.staff.post(`/api/reservations/${a.id}/extend-hold`).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect((await getReservation(service, a.id)).holdExpiresAt).toBe(called.holdExpiresAt);
    });

    test('only a called party has a hold to extend', async () => {
      const game = await createGame(service, { copies: 1 });
      const a = await join(service, game.id);
      const res = await act(service, a.id, 'extend-hold');
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'illegal_move', params: { move: 'extend_hold', status: 'waiting' } });
      expect(res.body.error.message).toMatch(/Only a called party can be given more time; this one is waiting/);
    });
  });

  describe('wrapping up', () => {
    test('marking a seated table "last round" shortens the wait of the party behind it; logged; Finish keeps the mark and the history learns it', async () => {
      const game = await createGame(service, { copies: 1, playMinutes: 90 });
      const a = await join(service, game.id, 'Ada Table');
      await step(a.id, 'call');
      await step(a.id, 'seat');
      // The table has played an hour of a 90-minute game.
      await sql('UPDATE reservations SET called_at = NOW(3) - INTERVAL 62 MINUTE, seated_at = NOW(3) - INTERVAL 60 MINUTE WHERE id = ?', [a.id]);
      const b = await join(service, game.id, 'Bo Behind');
      const before = (await getReservation(service, b.id)).estimatedWaitMinutes!;
      const marked = await step(a.id, 'wrap_up');
      expect(marked).toMatchObject({ status: 'seated', seatedAt: expect.any(String), wrappingUpAt: expect.any(String) });
      const after = (await getReservation(service, b.id)).estimatedWaitMinutes!;
      expect(after).toBeLessThan(before);
      expect(after).toBeGreaterThan(0);
      expect(after).toBeLessThanOrEqual(20);
      expect((await eventsOf(a.id)).map((e) => e.type)).toContain('wrapping_up');

      const finished = await step(a.id, 'finish');
      expect(finished.wrappingUpAt).toBe(marked.wrappingUpAt);
      const { gameHistories } = await import('../../server/queue/readModel');
      await eventually(async () => {
        const history = (await gameHistories(service.ctx.knex, [game.id])).get(game.id)!;
        expect(history).toMatchObject({ wrappedUp: 1, wrapUpLeadsMs: [expect.any(Number)] });
        expect(history.showUpsMs).toEqual([expect.any(Number)]);
        return true;
      });
    });

    test('unseat forgets the mark; only a seated table can be marked', async () => {
      const game = await createGame(service, { copies: 1 });
      const a = await join(service, game.id);
      const early = await act(service, a.id, 'wrapping-up');
      expect(early.status).toBe(409);
      expect(early.body.error).toMatchObject({ code: 'illegal_move', params: { move: 'wrap_up', status: 'waiting' } });
      expect((await getReservation(service, a.id)).wrappingUpAt).toBeNull();
      await step(a.id, 'call');
      await step(a.id, 'seat');
      await step(a.id, 'wrap_up');
      expect(await step(a.id, 'unseat')).toMatchObject({ status: 'called', seatedAt: null, wrappingUpAt: null });
    });
  });

  describe('priority', () => {
    test('move up / down swap neighbours; positions on the board follow, with no reason shown; logged with positions', async () => {
      const game = await createGame(service, { copies: 1 });
      const parties = [];
      for (const name of ['Ann A', 'Ben B', 'Cat C', 'Dan D']) parties.push(await join(service, game.id, name));
      const [a, b, c, d] = parties as [ReservationBody, ReservationBody, ReservationBody, ReservationBody];
      expect(await step(c.id, 'move_up')).toMatchObject({ status: 'waiting', position: 2, enqueuedAt: c.enqueuedAt });
      expect(await waitingIds(game.id)).toEqual([a.id, c.id, b.id, d.id]);
      await step(a.id, 'move_down');
      expect(await waitingIds(game.id)).toEqual([c.id, a.id, b.id, d.id]);
      const e = await join(service, game.id, 'Eve E');
      expect(e.position).toBe(5);
      await eventually(async () => {
        const board = await service.anon.get('/api/board');
        const mine = board.body.games.find((g: { id: number }) => g.id === game.id);
        expect(mine.waiting.map((w: { code: string; position: number }) => [w.code, w.position])).toEqual(
          [c, a, b, d, e].map((p, i) => [p.code, i + 1]),
        );
        // The TV's entries carry no reason or marker of a move.
        expect(Object.keys(mine.waiting[0]).sort()).toEqual(['code', 'displayName', 'estimatedWait', 'estimatedWaitMinutes', 'holdExpiresAt', 'partySize', 'position']);
        return true;
      });
      const moved = (await eventsOf(c.id)).find((ev) => ev.type === 'moved_up')!;
      expect(JSON.parse(moved.details!)).toEqual({ fromPosition: 3, toPosition: 2 });
      // call-next follows the new order.
      const next = await service.staff.post(`/api/games/${game.id}/call-next`).send({});
      expect(next.body.id).toBe(c.id);
    });

    test('first moving up, last moving down: 409 saying so, nothing changes', async () => {
      const game = await createGame(service, { copies: 1 });
      const a = await join(service, game.id);
      const b = await join(service, game.id);
      const up = await act(service, a.id, 'move-up');
      expect(up.status).toBe(409);
      expect(up.body.error).toMatchObject({ code: 'already_first', params: {} });
      expect(up.body.error.message).toMatch(/already first/);
      const down = await act(service, b.id, 'move-down');
      expect(down.status).toBe(409);
      expect(down.body.error).toMatchObject({ code: 'already_last', params: {} });
      expect(down.body.error.message).toMatch(/already last/);
      expect(await waitingIds(game.id)).toEqual([a.id, b.id]);
    });

    test('a batch of joins (one shared enqueue time) can be reordered exactly', async () => {
      const game = await createGame(service, { copies: 1 });
      const batch = await Promise.all(Array.from({ length: 6 }, (_, i) => join(service, game.id, `Batch ${i}`)));
      const order = await waitingIds(game.id);
      expect(order).toHaveLength(6);
      await step(order[5]!, 'move_up');
      await step(order[5]!, 'move_up');
      await step(order[0]!, 'move_down');
      expect(await waitingIds(game.id)).toEqual([order[1], order[0], order[2], order[5], order[3], order[4]]);
      const listed = await listReservations(service, { gameId: game.id, status: 'waiting' });
      expect(listed.map((r) => r.position)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(new Set(batch.map((p) => p.id))).toEqual(new Set(order));
    });

    test('customers cannot move anyone: 401 without a staff session', async () => {
      const game = await createGame(service, { copies: 1 });
      await join(service, game.id);
      const b = await join(service, game.id);
      expect((await service.anon.post(`/api/reservations/${b.id}/move-up`).send({})).status).toBe(401);
      expect((await service.anon.post(`/api/reservations/${b.id}/extend-hold`).send({})).status).toBe(401);
    });
  });

  describe('two tablets at once', () => {
    test.each([
      ['reinstate', 'reinstate'],
      ['reinstate', 'requeue'],
      ['requeue', 'requeue'],
    ] as const)('a no-show %s + %s at the same moment: exactly one wins, the other gets a clear 409', async (first, second) => {
      const game = await createGame(service, { copies: 1 });
      const a = await join(service, game.id);
      await step(a.id, 'call');
      await step(a.id, 'no_show');
      const tablet = await service.signIn();
      const answers = await Promise.all([act(service, a.id, PATH[first]), tablet.post(`/api/reservations/${a.id}/${PATH[second]}`).send({})]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
      const loser = answers.find((r) => r.status === 409)!;
      expect(loser.body.error).toMatchObject({ code: 'illegal_move', params: { status: 'waiting' } });
      expect(loser.body.error.message).toMatch(/this one is waiting/);
      expect((await getReservation(service, a.id)).status).toBe('waiting');
      const back = (await eventsOf(a.id)).filter((e) => e.type === 'reinstated' || e.type === 'requeued');
      expect(back).toHaveLength(1);
    });

    test('undo of a seating from two tablets: one unseats, the other hears the party is already called', async () => {
      const game = await createGame(service, { copies: 1 });
      const a = await join(service, game.id);
      await step(a.id, 'call');
      await step(a.id, 'seat');
      const tablet = await service.signIn();
      const answers = await Promise.all([act(service, a.id, 'unseat'), tablet.post(`/api/reservations/${a.id}/unseat`).send({})]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(answers.find((r) => r.status === 409)!.body.error.message).toMatch(/Only a seated party can be put back to called; this one is called/);
    });

    test('undo on one tablet while the other moves the party on: one wins, never both', async () => {
      const game = await createGame(service, { copies: 1 });
      const a = await join(service, game.id);
      await step(a.id, 'call');
      const tablet = await service.signIn();
      const answers = await Promise.all([act(service, a.id, 'uncall'), tablet.post(`/api/reservations/${a.id}/seat`).send({})]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
      const after = await getReservation(service, a.id);
      expect(after.status).toBe(answers[0]!.status === 200 ? 'waiting' : 'seated');
    });

    test('two finished parties of a one-copy game put back at once: only one gets the copy', async () => {
      const game = await createGame(service, { copies: 1 });
      const a = await join(service, game.id);
      const b = await join(service, game.id);
      for (const p of [a, b]) {
        await step(p.id, 'call');
        await step(p.id, 'seat');
        await step(p.id, 'finish');
      }
      const tablet = await service.signIn();
      const answers = await Promise.all([act(service, a.id, 'unfinish'), tablet.post(`/api/reservations/${b.id}/unfinish`).send({})]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(await listReservations(service, { gameId: game.id, status: 'seated' })).toHaveLength(1);
    });

    test('four tablets moving parties of one game at once (twelve moves) keep one consistent queue', async () => {
      const game = await createGame(service, { copies: 1 });
      for (let i = 0; i < 8; i += 1) await join(service, game.id, `Mover ${i}`);
      const before = await waitingIds(game.id);
      const tablets = await Promise.all(Array.from({ length: 4 }, () => service.signIn()));
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => tablets[i % 4]!.post(`/api/reservations/${before[(i % 7) + 1]}/move-up`).send({})),
      );
      for (const a of answers) expect([200, 409]).toContain(a.status);
      const listed = await listReservations(service, { gameId: game.id, status: 'waiting' });
      expect(listed.map((r) => r.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(new Set(listed.map((r) => r.id))).toEqual(new Set(before));
      // The logged moves replayed in order give exactly the queue now.
      const moves = await service.ctx.knex('reservation_events').where({ gameId: game.id, type: 'moved_up' }).orderBy('id');
      const replay = [...before];
      for (const m of moves as Array<{ reservationId: number }>) {
        const at = replay.indexOf(m.reservationId);
        [replay[at - 1], replay[at]] = [replay[at]!, replay[at - 1]!];
      }
      expect(listed.map((r) => r.id)).toEqual(replay);
    }, 60_000);
  });

  test('every move is logged with the staff account that made it; customers and the system carry none', async () => {
    const game = await createGame(service, { copies: 1 });
    const a = await join(service, game.id);
    await step(a.id, 'call');
    await step(a.id, 'uncall');
    await step(a.id, 'cancel');
    await step(a.id, 'reinstate');
    const cancelled = await service.anon.post(`/api/tickets/${a.code}/cancel`).send({ secret: a.secret });
    expect(cancelled.status).toBe(200);
    const admin = (await service.ctx.knex('staff_users').where({ username: ADMIN.username }).first()) as { id: number };
    const events = await eventsOf(a.id);
    expect(events.map((e) => [e.type, e.actor, e.staffUserId])).toEqual([
      ['joined', 'customer', null],
      ['called', `staff:${ADMIN.username}`, admin.id],
      ['uncalled', `staff:${ADMIN.username}`, admin.id],
      ['cancelled', `staff:${ADMIN.username}`, admin.id],
      ['reinstated', `staff:${ADMIN.username}`, admin.id],
      ['cancelled', 'customer', null],
    ]);
    expect(events.map((e) => [e.fromStatus, e.toStatus])).toEqual([
      [null, 'waiting'],
      ['waiting', 'called'],
      ['called', 'waiting'],
      ['waiting', 'cancelled'],
      ['cancelled', 'waiting'],
      ['waiting', 'cancelled'],
    ]);
  });
});
