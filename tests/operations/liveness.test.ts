/**
 * Liveness vs readiness with a real app process and a real Redis that goes away for 30 s.
 *
 * The container healthchecks (compose, stack, Dockerfile) call /health/live: the process stays
 * up and answers it throughout, while /health (readiness, for deploy gates and the smoke test)
 * reports the outage; when Redis is back the app recovers without a restart.
 *
 * The Redis here is this test's own redis-server on a free port, in its own process group:
 * the machine's shared Redis (6379) is never stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { appExists, createDatabase, dropTestData, freePort, newTestEnv, startApp, type AppInstance, type TestEnv } from '../helpers/appProcess';
import { canConnect } from '../helpers/nginx';

jest.setTimeout(150_000);

const OUTAGE_MS = 30_000;

class OwnRedis {
  private proc: ChildProcess | undefined;
  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  async start(): Promise<void> {
    this.proc = spawn('/usr/bin/redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir], {
      detached: true, // its own process group
      stdio: 'ignore',
    });
    const deadline = Date.now() + 10_000;
    while (!(await canConnect(this.port))) {
      if (Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not start`);
      await sleep(50);
    }
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    process.kill(-proc.pid!, 'SIGKILL'); // an outage, not a clean shutdown
    await exited;
  }
}

const describeApp = appExists() ? describe : describe.skip;

describeApp('Redis stopped for 30 s: alive throughout, not ready, recovers by itself', () => {
  let env: TestEnv;
  let redis: OwnRedis;
  let redisDir: string;
  let app: AppInstance;

  beforeAll(async () => {
    env = newTestEnv('live');
    await createDatabase(env);
    redisDir = mkdtempSync(join(tmpdir(), 'mq-redis-'));
    redis = new OwnRedis(await freePort(), redisDir);
    await redis.start();
    app = await startApp(env, await freePort(), { extraEnv: { REDIS_URL: `redis://127.0.0.1:${redis.port}` } });
  }, 90_000);

  afterAll(async () => {
    await app?.stop(10_000);
    await redis?.stop();
    if (redisDir) rmSync(redisDir, { recursive: true, force: true });
    if (env) await dropTestData(env);
  }, 30_000);

  const url = (path: string) => `http://127.0.0.1:${app.port}${path}`;
  const probe = async (path: string) => {
    try {
      const res = await fetch(url(path), { signal: AbortSignal.timeout(3000) });
      return { status: res.status, body: (await res.json()) as Record<string, string> };
    } catch (err) {
      return { status: 0, body: { error: (err as Error).message } };
    }
  };

  test('liveness stays 200, readiness reports the outage, then the app serves again', async () => {
    expect((await probe('/health')).status).toBe(200);
    await redis.stop();

    const live: number[] = [];
    const ready: Array<{ status: number; redis?: string }> = [];
    const until = Date.now() + OUTAGE_MS;
    while (Date.now() < until) {
      const [l, r] = await Promise.all([probe('/health/live'), probe('/health')]);
      live.push(l.status);
      ready.push({ status: r.status, redis: r.body.redis });
      expect(app.proc.exitCode).toBeNull();
      await sleep(1000);
    }
    console.log(`outage: ${live.length} liveness probes (${live.filter((s) => s === 200).length} answered 200); readiness ${JSON.stringify(ready.slice(-1))}`);
    expect(live.length).toBeGreaterThan(10);
    expect(live.every((s) => s === 200)).toBe(true);
    expect(app.proc.exitCode).toBeNull();
    expect(app.proc.signalCode).toBeNull();
    // Readiness says what is wrong, in the contract's shape.
    expect(ready.slice(-3)).toEqual(Array(3).fill({ status: 503, redis: 'disconnected' }));

    // Redis comes back (empty, as after losing its data): no restart of the app.
    await redis.start();
    const deadline = Date.now() + 30_000;
    let health = await probe('/health');
    while (health.status !== 200 && Date.now() < deadline) {
      await sleep(500);
      health = await probe('/health');
    }
    expect(health).toMatchObject({ status: 200, body: { status: 'healthy', redis: 'connected', database: 'connected' } });

    // Redis-backed paths work again: a staff sign-in (session in Redis), a game, a join
    // (rate limits in Redis) and the board.
    const login = await fetch(url('/api/auth/login'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: env.adminPassword }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const game = await fetch(url('/api/games'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ title: 'After the outage', copies: 1 }),
    });
    expect(game.status).toBe(201);
    const { id } = (await game.json()) as { id: number };
    const join = await fetch(url(`/api/games/${id}/reservations`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerName: 'Back again' }),
    });
    expect(join.status).toBe(201);
    expect(app.proc.exitCode).toBeNull();
  });
});
