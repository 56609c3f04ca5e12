import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { deleteRedisKeys, eventually, startTestService, testEnv, type TestService } from '../helpers/testService';
import { act, createGame, join, listReservations, sleep, type ReservationBody } from '../helpers/api';

const ROOT = path.resolve(__dirname, '../..');

async function reservationIds(service: TestService): Promise<number[]> {
  return (await service.ctx.knex('reservations').orderBy('id').pluck('id')) as number[];
}

describe('when Redis loses every key of this service (FLUSHALL for this prefix)', () => {
  let service: TestService;

  beforeAll(async () => {
    // 3 s holds; reconcile every 0.5 s. Other test files share this Redis, so only this prefix is wiped.
    service = await startTestService('qflush', { HOLD_MINUTES: '0.05', RECONCILE_SECONDS: '0.5' });
  });
  afterAll(() => service?.stop());

  test('nothing is lost, pending holds still expire, free copies still get filled, and the reconcile schedule comes back', async () => {
    const holdGame = await createGame(service, { copies: 1 });
    const held = await join(service, holdGame.id, 'Held Party');
    const next = await join(service, holdGame.id, 'Next Party');
    await eventually(async () => (await listReservations(service, { gameId: holdGame.id, status: 'called' })).length === 1, 5000);

    // Parties owed a call whose jobs are about to vanish: auto-advance switched on behind the API's back.
    const owedGame = await createGame(service, { copies: 2, autoAdvance: false });
    const owed: ReservationBody[] = [];
    for (const name of ['Owed One', 'Owed Two', 'Owed Three']) owed.push(await join(service, owedGame.id, name));
    await service.ctx.knex('games').where({ id: owedGame.id }).update({ auto_advance: true });

    const before = await reservationIds(service);
    await deleteRedisKeys(service.name);
    expect(await service.ctx.jobs.queue.getDelayedCount()).toBe(0);
    // The staff session lived in Redis as well.
    await service.signIn(service.staff);

    expect(await reservationIds(service)).toEqual(before);
    await eventually(async () => (await service.ctx.jobs.maintenance.getJobSchedulers()).some((s) => s.key === 'reconcile' || s.name === 'reconcile'), 5000);
    await eventually(async () => {
      const called = await listReservations(service, { gameId: owedGame.id, status: 'called' });
      return called.map((r) => r.id).join() === owed.slice(0, 2).map((r) => r.id).join();
    }, 8000);
    await eventually(async () => {
      const list = await listReservations(service, { gameId: holdGame.id });
      return list.find((r) => r.id === held.id)?.status === 'no_show' && list.find((r) => r.id === next.id)?.status === 'called';
    }, 10_000);
    expect(await reservationIds(service)).toEqual(before);
  });
});

describe('when a separate worker process is SIGKILLed mid-burst', () => {
  let service: TestService;
  const workers: ChildProcess[] = [];
  const overrides = { HOLD_MINUTES: '0.05', RECONCILE_SECONDS: '1', RUN_WORKERS: 'false' };

  beforeAll(async () => {
    service = await startTestService('qsigkill', overrides);
  });
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    await service?.stop();
  });

  /** `npm run worker` in dev form: node --import tsx server/worker.ts, same database and prefix. */
  async function startWorker(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/worker.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...testEnv(service.name, { ...overrides, RUN_WORKERS: 'true', LOG_LEVEL: 'info' }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    workers.push(child);
    let output = '';
    const started = new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('queue workers started')) resolve();
      });
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`worker exited early (${code}): ${output}`)));
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([started, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`worker did not start: ${output}`)), 20_000)))]);
    clearTimeout(timer);
    return child;
  }

  test('every acknowledged join is in MySQL, and after a new worker starts the queue keeps moving', async () => {
    const first = await startWorker();
    const games = await Promise.all([0, 1, 2].map(() => createGame(service, { copies: 3 })));

    // The burst: joins on every game while staff seat and finish whoever is called.
    const acknowledged: ReservationBody[] = [];
    let failures = 0;
    const joins = Array.from({ length: 90 }, async (_, i) => {
      await sleep(i * 8);
      const res = await service.anon.post(`/api/games/${games[i % 3]!.id}/reservations`).send({ customerName: `Burst ${i}` });
      if (res.status === 201) acknowledged.push(res.body as ReservationBody);
      else failures += 1;
    });
    const staffWork = (async () => {
      for (let round = 0; round < 6; round += 1) {
        await sleep(100);
        for (const game of games) {
          for (const r of await listReservations(service, { gameId: game.id, status: 'called' })) {
            if (round % 2 === 0) await act(service, r.id, 'seat');
          }
          for (const r of await listReservations(service, { gameId: game.id, status: 'seated' })) await act(service, r.id, 'finish');
        }
      }
    })();
    await sleep(350);
    first.kill('SIGKILL');
    await once(first, 'exit');
    await Promise.all([...joins, staffWork]);

    expect(failures).toBe(0);
    expect(acknowledged).toHaveLength(90);
    const stored = new Set(await reservationIds(service));
    for (const r of acknowledged) expect(stored.has(r.id)).toBe(true);

    // A new worker picks up what the dead one left (its advance jobs are still "active" in
    // Redis): within a few reconcile periods free copies are called and holds expire.
    const restartedAt = Date.now();
    await startWorker();
    for (const game of games) {
      await eventually(async () => {
        const inUse = (await listReservations(service, { gameId: game.id, status: 'called' })).length +
          (await listReservations(service, { gameId: game.id, status: 'seated' })).length;
        return inUse === 3;
      }, 15_000);
    }
    await eventually(async () => {
      const expired = await service.ctx.knex('reservation_events')
        .where({ type: 'no_show', actor: 'system:hold-expiry' })
        .where('created_at', '>', new Date(restartedAt))
        .count({ n: '*' });
      return Number(expired[0]!.n) >= 3;
    }, 20_000);
    // …and each expiry handed the copy on: still 3 in use per game while people wait.
    for (const game of games) {
      const called = await listReservations(service, { gameId: game.id, status: 'called' });
      const seated = await listReservations(service, { gameId: game.id, status: 'seated' });
      expect(called.length + seated.length).toBeLessThanOrEqual(3);
    }
  }, 90_000);
});
