import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import Redis from 'ioredis';
import { REDIS_URL, startTestService, testEnv, type TestService } from '../helpers/testService';
import type { BoardGame } from '../../server/board/board';
import { createGame, join, sleep } from '../helpers/api';
import { closeAllClients, codesIn, connect, type Snapshot } from '../helpers/sockets';

const ROOT = path.resolve(__dirname, '../..');

/** The exit code once the process has exited, or null if it is still running after `ms`. */
async function exitWithin(child: ChildProcess, ms: number): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const code = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  return code;
}

/** Stops services in reverse order; only the last one drops the shared database and keys. */
async function stopAll(services: TestService[]): Promise<void> {
  const running = services.splice(0).reverse();
  for (const [i, service] of running.entries()) await service.stop({ keepData: i < running.length - 1 });
}

describe('several app instances', () => {
  const services: TestService[] = [];
  afterEach(async () => {
    closeAllClients();
    await stopAll(services);
  });

  test('a change made through instance A reaches a board client connected to instance B', async () => {
    const a = await startTestService('rttwo');
    services.push(a);
    const b = await startTestService('rttwo', {}, a.name);
    services.push(b);
    expect(b.port).not.toBe(a.port);

    const onB = connect(b.url, '/board');
    await onB.waitFor('snapshot');
    const game = await createGame(a, { copies: 2 });
    const joined = await join(a, game.id);
    const seen = await onB.waitFor<Snapshot<BoardGame>>('snapshot', (s) => codesIn(s).has(joined.code));
    expect(seen.games.find((g) => g.id === game.id)?.title).toBe(game.title);
  });

  test('a client of a stopped instance reconnects to it once restarted and ends with exactly the server state', async () => {
    const a = await startTestService('rtrestart');
    services.push(a);
    const b = await startTestService('rtrestart', {}, a.name);
    services.push(b);
    const game = await createGame(b, { copies: 1 });
    const early = await join(b, game.id, 'Early Bird');

    const client = connect(a.url, '/board');
    await client.waitFor<Snapshot<BoardGame>>('snapshot', (s) => codesIn(s).has(early.code));
    const disconnected = new Promise<string>((resolve) => client.socket.once('disconnect', resolve));
    await a.stop({ keepData: true });
    services.splice(services.indexOf(a), 1);
    const reason = await disconnected;
    // A dropped transport, not a server "go away": the client retries by itself.
    expect(reason).toBe('transport close');

    // While A is down, the queue moves on through B.
    const missed = [await join(b, game.id, 'Missed One'), await join(b, game.id, 'Missed Two')];
    expect((await b.staff.post(`/api/reservations/${early.id}/seat`).send({})).status).toBe(200);
    expect((await b.staff.patch(`/api/games/${game.id}`).send({ title: `${game.title} (renamed)` })).status).toBe(200);
    await sleep(100);
    expect(client.socket.connected).toBe(false);

    const restarted = await startTestService('rtrestart', { PORT: String(a.port) }, a.name);
    services.push(restarted);
    await client.connected(10_000);
    const after = await client.waitFor<Snapshot<BoardGame>>('snapshot', (s) => missed.every((m) => codesIn(s).has(m.code)), 5000);
    const truth = (await b.anon.get('/api/board')).body as Snapshot<BoardGame>;
    expect(after.games).toEqual(truth.games);
    expect(after.version).toBeGreaterThanOrEqual(truth.version);

    // And it keeps following: a change through B after the reconnect arrives too.
    const later = await join(b, game.id, 'After Restart');
    await client.waitFor<Snapshot<BoardGame>>('snapshot', (s) => codesIn(s).has(later.code));
  });

  test('when Redis drops the pub/sub connections, they come back and keep carrying changes', async () => {
    const a = await startTestService('rtpubsub');
    services.push(a);
    const b = await startTestService('rtpubsub', {}, a.name);
    services.push(b);
    const onB = connect(b.url, '/board');
    await onB.waitFor('snapshot');
    const game = await createGame(a);

    // What a Redis restart does to a client: its connection is cut. Only this test's.
    const admin = new Redis(REDIS_URL);
    try {
      const list = await admin.client('LIST');
      const ours = String(list)
        .split('\n')
        .filter((line) => line.includes(`name=${a.name}:sio-`));
      expect(ours.length).toBe(4);
      for (const line of ours) await admin.client('KILL', 'ID', /id=(\d+)/.exec(line)![1]!);
    } finally {
      admin.disconnect();
    }

    const first = await join(a, game.id, 'Right After');
    await onB.waitFor<Snapshot<BoardGame>>('snapshot', (s) => codesIn(s).has(first.code), 5000);
    // Once resubscribed, an ordinary change through A reaches B again.
    await sleep(300);
    const second = await join(a, game.id, 'Well After');
    await onB.waitFor<Snapshot<BoardGame>>('snapshot', (s) => codesIn(s).has(second.code), 5000);
  });
});

describe('a separate worker process', () => {
  let service: TestService;
  let worker: ChildProcess | undefined;
  let workerLog = '';

  beforeAll(async () => {
    // No workers in the app: every auto-advance call below is made by the worker process.
    service = await startTestService('rtworker', { RUN_WORKERS: 'false' });
    worker = spawn(process.execPath, ['--import', 'tsx', 'server/worker.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...testEnv(service.name, { RUN_WORKERS: 'true', LOG_LEVEL: 'info' }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout!.on('data', (chunk: Buffer) => (workerLog += chunk.toString()));
    worker.stderr!.on('data', (chunk: Buffer) => (workerLog += chunk.toString()));
    const deadline = Date.now() + 20_000;
    while (!workerLog.includes('queue workers started')) {
      if (Date.now() > deadline || worker.exitCode !== null) throw new Error(`worker did not start:\n${workerLog}`);
      await sleep(50);
    }
  }, 30_000);

  afterAll(async () => {
    closeAllClients();
    if (worker && worker.exitCode === null) {
      worker.kill('SIGTERM');
      if ((await exitWithin(worker, 10_000)) === null) worker.kill('SIGKILL');
    }
    await service.stop();
  });

  test('a call made by the worker (no Socket.IO server there) reaches a board client of the app', async () => {
    const client = connect(service.url, '/board');
    await client.waitFor('snapshot');
    const game = await createGame(service, { copies: 1 });
    const joined = await join(service, game.id, 'Worker Called');
    const calling = await client.waitFor<Snapshot<BoardGame>>(
      'snapshot',
      (s) => s.games.some((g) => g.id === game.id && g.calling.some((e) => e.code === joined.code)),
      10_000,
    );
    expect(calling.games.find((g) => g.id === game.id)?.copiesInUse).toBe(1);
    const events = await service.ctx.knex('reservation_events').where({ reservationId: joined.id, type: 'called' });
    expect(events.map((e: { actor: string }) => e.actor)).toEqual(['system:auto-advance']);
  });

  test('a ticket watcher gets `called` when the worker process calls its party', async () => {
    const game = await createGame(service, { copies: 1 });
    const board = connect(service.url, '/board');
    const first = await join(service, game.id, 'First Party');
    await board.waitFor<Snapshot<BoardGame>>('snapshot', (s) => s.games.some((g) => g.calling.some((e) => e.code === first.code)), 10_000);
    const second = await join(service, game.id, 'Second Party');
    const watcher = connect(service.url, '/ticket');
    watcher.socket.emit('watch', { code: second.code });
    await watcher.waitFor<{ status: string }>('ticket', (t) => t.status === 'waiting');

    // Staff mark the first party a no-show; the worker's advance job calls the second.
    expect((await service.staff.post(`/api/reservations/${first.id}/no-show`).send({})).status).toBe(200);
    const called = await watcher.waitFor<{ code: string; gameTitle: string }>('called', () => true, 10_000);
    expect(called).toMatchObject({ code: second.code, gameTitle: game.title });
  });

  test('the worker stops cleanly on SIGTERM, closing its emitter', async () => {
    worker!.kill('SIGTERM');
    expect(await exitWithin(worker!, 10_000)).toBe(0);
    expect(workerLog).not.toMatch(/"level":50/);
  });
});
