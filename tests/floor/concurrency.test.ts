import fc from 'fast-check';
import { startTestService, type TestService } from '../helpers/testService';
import { act, byQueueOrder, createGame, join, listReservations, type ReservationBody } from '../helpers/api';

interface Timed {
  body: ReservationBody;
  sentAt: number;
  answeredAt: number;
}

describe('the queue under concurrent requests', () => {
  let service: TestService;

  beforeAll(async () => {
    // Nobody is called automatically: the tests look at the raw order and at staff races.
    service = await startTestService('qconcurrency', { AUTO_ADVANCE: 'false' });
  });
  afterAll(() => service?.stop());

  async function timedJoin(gameId: number, name: string): Promise<Timed> {
    const sentAt = performance.now();
    const res = await service.anon.post(`/api/games/${gameId}/reservations`).send({ customerName: name });
    const answeredAt = performance.now();
    expect(res.status).toBe(201);
    return { body: res.body as ReservationBody, sentAt, answeredAt };
  }

  /** Every waiting list is exactly the 201s in (enqueuedAt, id) order, positions 1..n, and real-time order is kept. */
  async function expectFifo(gameId: number, joined: Timed[]): Promise<void> {
    const listed = await listReservations(service, { gameId, status: 'waiting' });
    const expected = joined.map((j) => j.body).sort(byQueueOrder);
    expect(listed.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    expect(listed.map((r) => r.position)).toEqual(listed.map((_, i) => i + 1));
    expect([...listed].sort(byQueueOrder).map((r) => r.id)).toEqual(listed.map((r) => r.id));
    // Linearizable FIFO: whoever got their 201 before another party even asked is ahead of them.
    const rank = new Map(listed.map((r, i) => [r.id, i]));
    for (const a of joined) {
      for (const b of joined) {
        if (a.answeredAt < b.sentAt) expect(rank.get(a.body.id)!).toBeLessThan(rank.get(b.body.id)!);
      }
    }
  }

  test('when 100 parties join 5 games at once, each queue is exact FIFO with positions 1..n', async () => {
    const games = await Promise.all(Array.from({ length: 5 }, () => createGame(service, { copies: 2 })));
    const joined = await Promise.all(Array.from({ length: 100 }, (_, i) => timedJoin(games[i % 5]!.id, `Party ${i} Smith`)));
    expect(new Set(joined.map((j) => j.body.id)).size).toBe(100);
    expect(new Set(joined.map((j) => j.body.code)).size).toBe(100);
    for (const game of games) {
      const mine = joined.filter((j) => j.body.gameId === game.id);
      expect(mine).toHaveLength(20);
      await expectFifo(game.id, mine);
      // The full list (any status) is in the same order as well.
      const all = await listReservations(service, { gameId: game.id });
      expect(all.map((r) => r.id)).toEqual(mine.map((j) => j.body).sort(byQueueOrder).map((r) => r.id));
    }
  });

  test('sequential joins are answered with positions 1, 2, 3… and estimates that never decrease', async () => {
    const game = await createGame(service, { copies: 2, playMinutes: 40 });
    const answers: ReservationBody[] = [];
    for (let i = 0; i < 5; i += 1) answers.push(await join(service, game.id, `Sam ${i}`));
    expect(answers.map((a) => a.position)).toEqual([1, 2, 3, 4, 5]);
    // Two free copies: the first two are told "now"; behind them each waits for a copy to free.
    const waits = answers.map((a) => a.estimatedWaitMinutes!);
    expect(waits.slice(0, 2)).toEqual([0, 0]);
    for (const w of waits.slice(2)) expect(w).toBeGreaterThan(0);
    for (let i = 1; i < waits.length; i += 1) expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1]!);
    // The fifth waits for a second round of play on some copy: longer than the third.
    expect(waits[4]).toBeGreaterThan(waits[2]!);
  });

  test("a join's 201 position and estimate are what the queue shows, copies in use counted", async () => {
    const game = await createGame(service, { copies: 2, playMinutes: 40 });
    const playing = await join(service, game.id, 'Already Playing');
    expect((await act(service, playing.id, 'call')).status).toBe(200);
    expect((await act(service, playing.id, 'seat')).status).toBe(200);
    const b = await join(service, game.id, 'Bea Second');
    const c = await join(service, game.id, 'Cai Third');
    const d = await join(service, game.id, 'Dee Fourth');
    // One copy is free for Bea; Cai and Dee wait for a copy, Dee no less than Cai.
    expect([b, c, d].map((r) => r.position)).toEqual([1, 2, 3]);
    expect(b.estimatedWaitMinutes).toBe(0);
    expect(c.estimatedWaitMinutes).toBeGreaterThan(0);
    expect(d.estimatedWaitMinutes).toBeGreaterThanOrEqual(c.estimatedWaitMinutes!);
    const listed = await listReservations(service, { gameId: game.id, status: 'waiting' });
    expect(listed.map((r) => [r.id, r.position, r.estimatedWaitMinutes])).toEqual([b, c, d].map((r) => [r.id, r.position, r.estimatedWaitMinutes]));
  });

  test('when 10 staff tablets press call-next on a game with 2 free copies, exactly 2 are called and 8 get a 409', async () => {
    const game = await createGame(service, { copies: 2 });
    const waiting: ReservationBody[] = [];
    for (let i = 0; i < 10; i += 1) waiting.push(await join(service, game.id, `Tablet ${i}`));
    const tablets = await Promise.all(Array.from({ length: 10 }, () => service.signIn()));
    const answers = await Promise.all(tablets.map((tablet) => tablet.post(`/api/games/${game.id}/call-next`).send({})));
    const ok = answers.filter((a) => a.status === 200);
    const conflicts = answers.filter((a) => a.status === 409);
    expect(ok).toHaveLength(2);
    expect(conflicts).toHaveLength(8);
    for (const c of conflicts) expect(c.body.error.message).toMatch(/No free copy/);
    // The two called are the two at the head, each called once.
    expect(ok.map((a) => a.body.id as number).sort((a, b) => a - b)).toEqual(waiting.slice(0, 2).map((w) => w.id));
    const called = await listReservations(service, { gameId: game.id, status: 'called' });
    expect(called.map((r) => r.id)).toEqual(waiting.slice(0, 2).map((w) => w.id));
    const stillWaiting = await listReservations(service, { gameId: game.id, status: 'waiting' });
    expect(stillWaiting.map((r) => r.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test('when two staff call the same party at the same moment, one gets 200 and the other a 409', async () => {
    const game = await createGame(service, { copies: 10 });
    const other = await service.signIn();
    for (let round = 0; round < 5; round += 1) {
      const party = await join(service, game.id, `Twice ${round}`);
      const answers = await Promise.all([act(service, party.id, 'call'), other.post(`/api/reservations/${party.id}/call`).send({})]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      expect(answers.find((a) => a.status === 409)!.body.error.message).toMatch(/this one is called/);
    }
    const called = await listReservations(service, { gameId: game.id, status: 'called' });
    expect(called).toHaveLength(5);
  });

  test('whatever the interleaving of arrivals across games, each queue is the enqueue order (fast-check through MySQL)', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Batches of concurrent joins; each join names one of three games.
        fc.array(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 5 }),
        async (batches) => {
          const games = await Promise.all([0, 1, 2].map(() => createGame(service, { copies: 1 })));
          const joined: Timed[] = [];
          for (const batch of batches) {
            joined.push(...(await Promise.all(batch.map((g, i) => timedJoin(games[g]!.id, `Fc ${i} Doe`)))));
          }
          for (const game of games) await expectFifo(game.id, joined.filter((j) => j.body.gameId === game.id));
        },
      ),
      { numRuns: 8 },
    );
  });
});
