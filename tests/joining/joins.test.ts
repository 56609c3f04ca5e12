import { JoinWriter, type JoinEffects } from '../../server/queue/joins';
import type { Game } from '../../server/models/Game';
import { Reservation } from '../../server/models/Reservation';
import { queuePositions } from '../../server/queue/readModel';
import { Conflict, NotFound, Unavailable } from '../../server/errors';
import { startTestService, type TestService } from '../helpers/testService';
import { createGame, join } from '../helpers/api';

/** Records what the writer reports after each batch, instead of scheduling jobs. */
function recordingEffects() {
  const recorded = {
    joined: [] as Array<{ gameId: number; count: number; mayBeOwedACall: boolean }>,
    ranOut: [] as unknown[],
    readFailures: [] as unknown[],
    quoteFailures: [] as unknown[],
  };
  const effects: JoinEffects = {
    joined: async (game: Game, count: number, mayBeOwedACall: boolean) => void recorded.joined.push({ gameId: game.id, count, mayBeOwedACall }),
    readFailed: (err) => void recorded.readFailures.push(err),
    quotesNotRecorded: (err) => void recorded.quoteFailures.push(err),
    codesRanOut: (err) => void recorded.ranOut.push(err),
  };
  return { ...recorded, effects };
}
type Recording = ReturnType<typeof recordingEffects>;

const party = (customerName: string) => ({ customerName, partySize: 2, tableNumber: null });

describe('joins written in batches (group commit)', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('qjoins', { AUTO_ADVANCE: 'false' });
  });
  afterAll(() => service?.stop());

  const writer = (recording: Recording, drawCode?: () => string, maxBatch?: number) =>
    new JoinWriter(service.ctx.knex, recording.effects, { drawCode, maxBatch });

  const joinedEvents = (ids: number[]) =>
    service.ctx.knex('reservation_events').whereIn('reservationId', ids).where('type', 'joined').orderBy('reservationId');

  test('joins arriving together share one batch: in arrival order, each with its own actor and joined event', async () => {
    const game = await createGame(service, { copies: 2 });
    const effects = recordingEffects();
    const w = writer(effects);
    const names = ['Ann A', 'Bo B', 'Cy C', 'Di D', 'Ed E'];
    const answers = await Promise.all(names.map((name, i) => w.join(game.id, party(name), i === 2 ? 'staff:admin' : 'customer')));
    expect(answers.map((a) => a.reservation.customerName)).toEqual(names);
    expect(answers.map((a) => a.reservation.position)).toEqual([1, 2, 3, 4, 5]);
    // One batch: one report for the game, counting all five.
    expect(effects.joined).toEqual([{ gameId: game.id, count: 5, mayBeOwedACall: true }]);
    const ids = answers.map((a) => a.reservation.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(answers.map((a) => a.secret)).size).toBe(5);
    const events = await joinedEvents(ids);
    expect(events.map((e: { reservationId: number }) => e.reservationId)).toEqual(ids);
    expect(events.map((e: { actor: string }) => e.actor)).toEqual(['customer', 'customer', 'staff:admin', 'customer', 'customer']);
  });

  test('in a mixed batch, each join is answered on its own: unknown or closed games refused, the rest written', async () => {
    const open = await createGame(service, { copies: 1 });
    const closed = await createGame(service, { copies: 1 });
    expect((await service.staff.patch(`/api/games/${closed.id}`).send({ active: false })).status).toBe(200);
    const noCopies = await createGame(service, { copies: 0 });
    const effects = recordingEffects();
    const w = writer(effects);
    const results = await Promise.allSettled([
      w.join(open.id, party('Ok One'), 'customer'),
      w.join(999_999, party('Lost One'), 'customer'),
      w.join(closed.id, party('Closed One'), 'customer'),
      w.join(noCopies.id, party('Empty One'), 'customer'),
      w.join(open.id, party('Ok Two'), 'customer'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled']);
    const reasons = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(reasons[0]).toBeInstanceOf(NotFound);
    expect(reasons[1]).toBeInstanceOf(Conflict);
    expect(reasons[2]).toBeInstanceOf(Conflict);
    const rows = await service.ctx.knex('reservations').whereIn('gameId', [open.id, closed.id, noCopies.id]).select('customerName');
    expect(rows.map((r: { customerName: string }) => r.customerName).sort()).toEqual(['Ok One', 'Ok Two']);
  });

  test('a game deleted while its joins are being written: only its own joins fail (404), the others go in', async () => {
    const doomed = await createGame(service, { copies: 1 });
    const kept = await createGame(service, { copies: 1 });
    // The deletion is made but not yet committed: the batch still reads the game, and its
    // INSERT waits on the game row's lock, then fails on the foreign key once it commits.
    const trx = await service.ctx.knex.transaction();
    await trx('games').where('id', doomed.id).delete();
    const effects = recordingEffects();
    const w = writer(effects);
    let keptAnsweredAt = 0;
    const answers = Promise.allSettled([
      w.join(doomed.id, party('Gone Soon'), 'customer'),
      w.join(kept.id, party('Still Here'), 'customer').finally(() => (keptAnsweredAt = Date.now())),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const committedAt = Date.now();
    await trx.commit();
    const [lost, fine] = await answers;
    expect(lost.status === 'rejected' && lost.reason).toBeInstanceOf(NotFound);
    expect(fine.status === 'fulfilled' && fine.value.reservation.customerName).toBe('Still Here');
    expect(effects.joined).toEqual([{ gameId: kept.id, count: 1, mayBeOwedACall: true }]);
    // Both were in one batch that waited for the deletion: the batch saw the game, then the
    // foreign key refused it, and the joins were written again one by one.
    expect(keptAnsweredAt).toBeGreaterThanOrEqual(committedAt);
  });

  test('a code already taken is drawn again, and the join still goes through', async () => {
    const game = await createGame(service, { copies: 1 });
    const taken = (await join(service, game.id, 'First Holder')).code;
    // The first draws collide with the taken code; later ones are fresh.
    const fresh = ['MNPR', 'TUVW', 'XY34'];
    let draws = 0;
    const effects = recordingEffects();
    const w = writer(effects, () => (draws++ < 2 ? taken : fresh.shift() ?? 'KCDE'));
    const [a, b] = await Promise.all([w.join(game.id, party('Second Holder'), 'customer'), w.join(game.id, party('Third Holder'), 'customer')]);
    expect([a.reservation.code, b.reservation.code]).not.toContain(taken);
    expect(new Set([a.reservation.code, b.reservation.code]).size).toBe(2);
    expect([a.reservation.position, b.reservation.position]).toEqual([2, 3]);
    expect(effects.ranOut).toEqual([]);
  });

  test('when every code drawn is taken, the joins get 503 and nothing is written', async () => {
    const game = await createGame(service, { copies: 1 });
    const taken = (await join(service, game.id, 'Only Holder')).code;
    const effects = recordingEffects();
    const w = writer(effects, () => taken);
    await expect(w.join(game.id, party('Never In'), 'customer')).rejects.toBeInstanceOf(Unavailable);
    expect(effects.ranOut).toHaveLength(1);
    expect(await service.ctx.knex('reservations').where('gameId', game.id).count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  test('a batch never exceeds its limit; the rest follow in the next batches, still in order', async () => {
    const game = await createGame(service, { copies: 3 });
    const effects = recordingEffects();
    const w = writer(effects, undefined, 4);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => w.join(game.id, party(`Party ${i} Smith`), 'customer')));
    expect(answers.map((a) => a.reservation.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(effects.joined.map((j) => j.count)).toEqual([4, 4, 2]);
  });

  test('positions are exact for any set of parties: others between them and ahead of them count, non-waiting ones do not', async () => {
    const game = await createGame(service, { copies: 2 });
    const other = await createGame(service, { copies: 1 });
    const q = await Promise.all(['P0 A', 'P1 B', 'P2 C', 'P3 D', 'P4 E', 'P5 F'].map((n) => join(service, game.id, n)));
    const elsewhere = await join(service, other.id, 'Q0 Z');
    // P1 is called: it is no longer waiting, so it counts for nobody.
    expect((await service.staff.post(`/api/reservations/${q[1]!.id}/call`).send({})).status).toBe(200);
    const rows = await Reservation.query(service.ctx.knex).whereIn('id', [q[4]!.id, q[2]!.id, elsewhere.id]);
    const positions = await queuePositions(service.ctx.knex, rows);
    // Waiting in order: P0, P2, P3, P4, P5 → P2 is 2nd, P4 is 4th (P3 between them counts).
    expect(Object.fromEntries(positions)).toEqual({ [q[2]!.id]: 2, [q[4]!.id]: 4, [elsewhere.id]: 1 });
    expect(await queuePositions(service.ctx.knex, [])).toEqual(new Map());
  });

  test('the HTTP join answers with the same shape as before: position, estimate and a secret', async () => {
    const game = await createGame(service, { copies: 1, playMinutes: 30 });
    const res = await Promise.all([1, 2, 3].map((i) => service.anon.post(`/api/games/${game.id}/reservations`).send({ customerName: `Walk ${i} In` })));
    expect(res.map((r) => r.status)).toEqual([201, 201, 201]);
    const positions = res.map((r) => r.body.position as number).sort();
    expect(positions).toEqual([1, 2, 3]);
    for (const r of res) {
      expect(r.body.secret).toEqual(expect.any(String));
      // About one 30-minute game per party ahead (a little more: they must come to the counter).
      const games = r.body.position - 1;
      expect(r.body.estimatedWaitMinutes).toBeGreaterThanOrEqual(games * 30 * 0.7);
      expect(r.body.estimatedWaitMinutes).toBeLessThanOrEqual(games * 30 * 1.4);
      expect(r.body.estimatedWait.minutes).toBe(r.body.estimatedWaitMinutes);
    }
  });
});
