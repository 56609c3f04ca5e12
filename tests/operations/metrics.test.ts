/**
 * Who may read /metrics (issue 11, item 9): with METRICS_TOKEN, a bearer token and nothing
 * else (an address means nothing behind Swarm's ingress); without it, direct connections from
 * the same machine only. The worker's metrics server binds WORKER_HOST, loopback by default.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { eventually, startTestService, testEnv, type TestService } from '../helpers/testService';

const ROOT = path.resolve(__dirname, '../..');
const TOKEN = 'metrics-token-0123456789abcdef';

function expectRefusal(res: request.Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ error: { code, message: expect.any(String), params: {}, details: [] } });
  expect(res.text).not.toContain('meeple_');
}

describe('/metrics with METRICS_TOKEN set', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('metricstoken', { METRICS_TOKEN: TOKEN });
  });
  afterAll(() => service?.stop());

  test('the right bearer token reads the metrics', async () => {
    const res = await service.anon.get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('meeple_joins_total');
  });

  test.each([
    ['no Authorization header', undefined],
    ['a wrong token of the same length', `Bearer ${'x'.repeat(TOKEN.length)}`],
    ['a wrong token of another length', 'Bearer short'],
    ['the token with one character more', `Bearer ${TOKEN}0`],
    ['the token under another scheme', `Basic ${TOKEN}`],
    ['an empty bearer', 'Bearer '],
  ])('%s: 401 in the contract shape, with WWW-Authenticate, even from loopback', async (_label, authorization) => {
    const req = service.anon.get('/metrics');
    if (authorization !== undefined) req.set('Authorization', authorization);
    const res = await req;
    expectRefusal(res, 401, 'metrics_token');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
  });

  test('health checks stay open', async () => {
    expect((await service.anon.get('/health')).status).toBe(200);
    expect((await service.anon.get('/health/live')).status).toBe(200);
  });
});

describe('/metrics without METRICS_TOKEN', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('metricslocal');
  });
  afterAll(() => service?.stop());

  test('a direct connection from this machine reads the metrics', async () => {
    const res = await service.anon.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('meeple_joins_total');
  });

  test.each(['X-Forwarded-For', 'X-Real-IP', 'Forwarded'])('a request relayed by a proxy (%s) is refused with 403', async (header) => {
    const res = await service.anon.get('/metrics').set(header, header === 'Forwarded' ? 'for=203.0.113.9' : '203.0.113.9');
    expectRefusal(res, 403, 'metrics_remote');
    expect(res.body.error.message).toMatch(/METRICS_TOKEN/);
  });
});

/** This machine's first non-loopback IPv4 address, to reach a server as another host would. */
function externalAddress(): string {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  if (!address) throw new Error('these tests need a network interface other than loopback');
  return address;
}

describe('the worker process: its metrics server binds WORKER_HOST', () => {
  let service: TestService;
  const workers: ChildProcess[] = [];
  beforeAll(async () => {
    service = await startTestService('workerhost', { RUN_WORKERS: 'false' });
  });
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await service?.stop();
  });

  async function startWorker(env: Record<string, string>): Promise<{ host: string; port: number }> {
    const worker = spawn(process.execPath, ['--import', 'tsx', 'server/worker.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...testEnv(service.name, { WORKER_PORT: '0', LOG_LEVEL: 'info', ...env }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    workers.push(worker);
    let output = '';
    worker.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const started = await eventually(() => output.split('\n').find((line) => line.includes('queue workers started')), 30_000);
    return JSON.parse(started!) as { host: string; port: number };
  }

  test('by default on loopback only: not reachable at the machine\'s network address', async () => {
    const { host, port } = await startWorker({});
    expect(host).toBe('127.0.0.1');
    expect((await request(`http://127.0.0.1:${port}`).get('/metrics')).status).toBe(200);
    await expect(fetch(`http://${externalAddress()}:${port}/health/live`)).rejects.toThrow();
  }, 60_000);

  test('WORKER_HOST=0.0.0.0 (a container scraped from outside): reachable, and /metrics wants the token', async () => {
    const { host, port } = await startWorker({ WORKER_HOST: '0.0.0.0', METRICS_TOKEN: TOKEN });
    expect(host).toBe('0.0.0.0');
    const remote = request(`http://${externalAddress()}:${port}`);
    expect((await remote.get('/health/live')).status).toBe(200);
    expectRefusal(await remote.get('/metrics'), 401, 'metrics_token');
    const scraped = await remote.get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain('meeple_calls_total');
  }, 60_000);

  test('WORKER_HOST=0.0.0.0 without a token: another host is refused /metrics', async () => {
    const { port } = await startWorker({ WORKER_HOST: '0.0.0.0' });
    expectRefusal(await request(`http://${externalAddress()}:${port}`).get('/metrics'), 403, 'metrics_remote');
    expect((await request(`http://127.0.0.1:${port}`).get('/metrics')).status).toBe(200);
  }, 60_000);
});
