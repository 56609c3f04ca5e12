import express from 'express';
import request from 'supertest';
import { errorHandler } from '../../server/http/errorHandler';
import { createLogger } from '../../server/logger';
import { inTransaction } from '../../server/queue/repository';
import { consequencesOf, MOVES, TRANSITIONS, type Move, type ReservationStatus } from '../../server/queue/states';
import { eventually, startTestService, type TestService } from '../helpers/testService';
import { createGame, join, listReservations } from '../helpers/api';

describe('the transition table', () => {
  // What each move does, written out by hand from the product's rules (not derived from the code).
  const EXPECTED: Record<string, Array<'takesCopy' | 'freesCopy' | 'startsHold' | 'endsHold' | 'entersQueue'>> = {
    'call from waiting': ['takesCopy', 'startsHold'],
    'auto_call from waiting': ['takesCopy', 'startsHold'],
    'seat from called': ['endsHold'],
    'finish from seated': ['freesCopy'],
    'no_show from called': ['freesCopy', 'endsHold'],
    'expire_hold from called': ['freesCopy', 'endsHold'],
    'cancel from waiting': [],
    'cancel from called': ['freesCopy', 'endsHold'],
    'delete from waiting': [],
    'delete from called': ['freesCopy', 'endsHold'],
    'delete from seated': ['freesCopy'],
    'delete from finished': [],
    'delete from no_show': [],
    'delete from cancelled': [],
    'close_out from waiting': [],
    'close_out from called': ['freesCopy', 'endsHold'],
    'close_out_seated from seated': ['freesCopy'],
    // Steps back (undo and revert) and floor tools.
    'uncall from called': ['freesCopy', 'endsHold', 'entersQueue'],
    'unseat from seated': ['startsHold'],
    'unfinish from finished': ['takesCopy'],
    'reinstate from no_show': ['entersQueue'],
    'reinstate from cancelled': ['entersQueue'],
    'requeue from no_show': ['entersQueue'],
    'extend_hold from called': [],
    'wrap_up from seated': [],
    'move_up from waiting': [],
    'move_down from waiting': [],
  };

  test('the table offers exactly the moves the rules name', () => {
    expect(MOVES.flatMap((move) => TRANSITIONS[move].from.map((from) => `${move} from ${from}`)).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  test.each(Object.entries(EXPECTED))('%s: %j', (key, expected) => {
    const [move, from] = key.split(' from ') as [Move, ReservationStatus];
    const c = consequencesOf(from, move);
    expect(Object.entries(c).filter(([, v]) => v).map(([k]) => k).sort()).toEqual([...expected].sort());
  });

  test('every move that ends a reservation stamps finishedAt, every call from the queue stamps calledAt, every step back clears what it takes back', () => {
    for (const move of MOVES) {
      const { from, to, stamps, clears = [] } = TRANSITIONS[move];
      if (to === 'finished' || to === 'no_show' || to === 'cancelled') expect(stamps).toContain('finishedAt');
      if (to === 'called' && from.includes('waiting')) expect(stamps).toContain('calledAt');
      if (to === 'waiting' && !from.includes('waiting')) expect([...clears].sort()).toEqual(expect.arrayContaining(['calledAt', 'holdExpiresAt']));
      if (from.includes('finished') && to === 'seated') expect(clears).toContain('finishedAt');
      if (from.includes('seated') && to === 'called') expect(clears).toContain('seatedAt');
    }
  });
});

describe('after-commit effects when Redis is down', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('aftercommit', { AUTO_ADVANCE: 'true', RUN_WORKERS: 'false' });
  });
  afterAll(() => service?.stop());

  test('a game update that committed is answered 200 and the screens are told, even though the advance job cannot be asked for', async () => {
    const game = await createGame(service, { copies: 1 });
    const told: number[][] = [];
    const listener = (ids: number[]) => told.push(ids);
    service.ctx.notifier.on('gamesChanged', listener);
    const requestAdvance = service.ctx.jobs.requestAdvance;
    service.ctx.jobs.requestAdvance = () => Promise.reject(new Error('Connection is closed.'));
    try {
      const res = await service.staff.patch(`/api/games/${game.id}`).send({ copies: 3 });
      expect(res.status).toBe(200);
      expect(res.body.copies).toBe(3);
      expect(told).toContainEqual([game.id]);
    } finally {
      service.ctx.jobs.requestAdvance = requestAdvance;
      service.ctx.notifier.off('gamesChanged', listener);
    }
    expect((await service.staff.get(`/api/games/${game.id}`)).body.copies).toBe(3);
  });
});

describe('a paused engine', () => {
  let service: TestService;
  beforeAll(async () => {
    // Reconcile every 0.5 s: with the engine paused, it is what still calls parties.
    service = await startTestService('paused', { AUTO_ADVANCE: 'true', RECONCILE_SECONDS: '0.5' });
  });
  afterAll(async () => {
    await service?.ctx.jobs.queue.resume().catch(() => undefined);
    await service?.stop();
  });

  test('/health says so (200, degraded), and reconcile, on its own queue, still calls the party owed a copy', async () => {
    await service.ctx.jobs.queue.pause();
    const health = await service.anon.get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'degraded', database: 'connected', redis: 'connected', engine: 'paused' });

    const game = await createGame(service, { copies: 1 });
    const party = await join(service, game.id, 'Paused Engine');
    await eventually(async () => (await listReservations(service, { gameId: game.id, status: 'called' })).some((r) => r.id === party.id), 8000);
    expect(await service.ctx.jobs.queue.isPaused()).toBe(true);
  });
});

describe('deadlocks', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('deadlock', { RUN_WORKERS: 'false' });
  });
  afterAll(() => service?.stop());

  test('a transaction MySQL picks as a deadlock victim is run again, and succeeds', async () => {
    const { knex } = service.ctx;
    await knex.schema.createTable('deadlock_probe', (t) => {
      t.integer('id').primary();
      t.integer('n');
    });
    await knex('deadlock_probe').insert([
      { id: 1, n: 0 },
      { id: 2, n: 0 },
    ]);
    let attempts = 0;
    let release!: () => void;
    const firstHoldsRowOne = new Promise<void>((resolve) => (release = resolve));
    // The other side locks row 2, waits until our first attempt holds row 1, then asks for row 1;
    // our first attempt then asks for row 2: a real deadlock, one of the two is rolled back.
    const other = knex.transaction(async (trx) => {
      await trx('deadlock_probe').where({ id: 2 }).forUpdate();
      await firstHoldsRowOne;
      await trx('deadlock_probe').where({ id: 1 }).increment('n', 1);
    }).catch((err: { code?: string }) => err.code);
    const ours = inTransaction(knex, async (trx) => {
      attempts += 1;
      await trx('deadlock_probe').where({ id: 1 }).forUpdate();
      if (attempts === 1) {
        release();
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await trx('deadlock_probe').where({ id: 2 }).increment('n', 1);
      return attempts;
    });
    const [otherOutcome, ourAttempts] = await Promise.all([other, ours]);
    const rows = await knex('deadlock_probe').orderBy('id');
    // Whoever MySQL picked, our work is done exactly once.
    expect(rows[1].n).toBe(1);
    if (otherOutcome === 'ER_LOCK_DEADLOCK') expect(ourAttempts).toBe(1);
    else expect(ourAttempts).toBe(2);
  });

  test('a transaction that keeps deadlocking is a 503 (try again), never a 500', async () => {
    let attempts = 0;
    const failing = inTransaction(service.ctx.knex, async () => {
      attempts += 1;
      throw Object.assign(new Error('Deadlock found when trying to get lock'), { code: 'ER_LOCK_DEADLOCK' });
    });
    await expect(failing).rejects.toMatchObject({ status: 503, code: 'queue_busy' });
    expect(attempts).toBe(4);
  });

  test('a deadlock anywhere else reaches the client as a 503 with Retry-After, never a 500', async () => {
    const app = express();
    app.get('/deadlocks', () => {
      throw Object.assign(new Error('Deadlock found when trying to get lock'), { code: 'ER_LOCK_DEADLOCK', errno: 1213 });
    });
    app.use(errorHandler(createLogger('silent')));
    const res = await request(app).get('/deadlocks');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body.error.code).toBe('unavailable');
  });
});
