import { eventually, startTestService, type TestService } from '../helpers/testService';
import { act, createGame, getReservation, join, listReservations, sleep } from '../helpers/api';

const HOLD_MS = 1200;

describe('holds and auto-advance, driven by the BullMQ workers alone', () => {
  let service: TestService;

  beforeAll(async () => {
    // A 1.2 s hold; reconcile far away, so what happens here is the jobs' doing, not reconcile's.
    service = await startTestService('qholds', { HOLD_MINUTES: '0.02', RECONCILE_SECONDS: '600' });
  });
  afterAll(() => service?.stop());

  const statusOf = async (id: number) => (await getReservation(service, id)).status;

  test('when a copy is free, the head of the queue is called automatically with a hold', async () => {
    const game = await createGame(service, { copies: 1 });
    const first = await join(service, game.id, 'Ada Lovelace');
    const called = await eventually(async () => {
      const r = await getReservation(service, first.id);
      return r.status === 'called' ? r : undefined;
    }, 5000);
    expect(Date.parse(called!.holdExpiresAt!) - Date.parse(called!.calledAt!)).toBe(HOLD_MS);
  });

  test('when nobody seats a called party, it becomes a no-show and the next party is called without anyone touching it', async () => {
    const game = await createGame(service, { copies: 1 });
    const first = await join(service, game.id, 'First Party');
    const second = await join(service, game.id, 'Second Party');
    await eventually(async () => (await statusOf(first.id)) === 'called', 5000);
    expect(await statusOf(second.id)).toBe('waiting');
    await eventually(async () => (await statusOf(first.id)) === 'no_show', HOLD_MS + 5000);
    await eventually(async () => (await statusOf(second.id)) === 'called', 5000);
    const events = await service.ctx.knex('reservation_events').where({ reservation_id: first.id }).orderBy('id').select('type', 'actor');
    expect(events).toEqual([
      { type: 'joined', actor: expect.any(String) },
      { type: 'called', actor: 'system:auto-advance' },
      { type: 'no_show', actor: 'system:hold-expiry' },
    ]);
  });

  test('seating before the hold runs out cancels the expiry: the party stays seated after the hold time', async () => {
    const game = await createGame(service, { copies: 1 });
    const first = await join(service, game.id, 'Seated Early');
    const second = await join(service, game.id, 'Waits Long');
    await eventually(async () => (await statusOf(first.id)) === 'called', 5000);
    expect((await act(service, first.id, 'seat')).status).toBe(200);
    // The expiry job is gone from Redis, and even a late one would find the party seated.
    expect(await service.ctx.jobs.queue.getJob(`hold-${first.id}`)).toBeUndefined();
    await sleep(HOLD_MS + 800);
    expect(await statusOf(first.id)).toBe('seated');
    expect(await statusOf(second.id)).toBe('waiting');
  });

  test('when a seated party finishes, the freed copy goes to the next party automatically', async () => {
    const game = await createGame(service, { copies: 1 });
    const first = await join(service, game.id, 'Done Soon');
    const second = await join(service, game.id, 'Next Up');
    await eventually(async () => (await statusOf(first.id)) === 'called', 5000);
    await act(service, first.id, 'seat');
    expect((await act(service, first.id, 'finish')).status).toBe(200);
    await eventually(async () => (await statusOf(second.id)) === 'called', 5000);
  });

  test('with auto-advance off for a game nobody is called; switching it on calls the head', async () => {
    const game = await createGame(service, { copies: 2, autoAdvance: false });
    const parties = [await join(service, game.id, 'Hand Called'), await join(service, game.id, 'Also Hand'), await join(service, game.id, 'Third Hand')];
    await sleep(500);
    expect((await listReservations(service, { gameId: game.id, status: 'waiting' })).map((r) => r.id)).toEqual(parties.map((p) => p.id));
    expect((await service.staff.patch(`/api/games/${game.id}`).send({ autoAdvance: true })).status).toBe(200);
    await eventually(async () => (await listReservations(service, { gameId: game.id, status: 'called' })).length === 2, 5000);
    expect((await listReservations(service, { gameId: game.id, status: 'called' })).map((r) => r.id)).toEqual(parties.slice(0, 2).map((p) => p.id));
  });
});
