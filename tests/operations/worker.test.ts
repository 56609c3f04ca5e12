import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';
import { eventually, startTestService, testEnv, type TestService } from '../helpers/testService';

const ROOT = path.resolve(__dirname, '../..');

describe('npm run worker: the queue workers alone', () => {
  let service: TestService;
  let worker: ChildProcess | undefined;
  beforeAll(async () => {
    // The app serves HTTP only; the worker process does the queue work.
    service = await startTestService('workeralone', { RUN_WORKERS: 'false' });
  });
  afterAll(async () => {
    if (worker && worker.exitCode === null) worker.kill('SIGKILL');
    await service.stop();
  });

  test('it calls parties, serves its own /health and /metrics on WORKER_PORT, and stops cleanly on SIGTERM', async () => {
    const env = { ...process.env, ...testEnv(service.name, { RUN_WORKERS: 'true', WORKER_PORT: '0', LOG_LEVEL: 'info' }) };
    worker = spawn(process.execPath, ['--import', 'tsx', 'server/worker.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    worker.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const started = await eventually(() => output.split('\n').find((line) => line.includes('queue workers started')), 20_000);
    const port = (JSON.parse(started!) as { port: number }).port;
    expect(port).toBeGreaterThan(0);
    const metricsAt = request(`http://127.0.0.1:${port}`);

    expect((await metricsAt.get('/health')).body).toEqual({ status: 'healthy', database: 'connected', redis: 'connected', engine: 'running' });
    const game = (await service.staff.post('/api/games').send({ title: 'Carcassonne', copies: 1 })).body;
    const party = (await service.anon.post(`/api/games/${game.id}/reservations`).send({ customerName: 'Ana' })).body;
    await eventually(async () => (await service.staff.get(`/api/reservations/${party.id}`)).body.status === 'called');
    const metrics = (await metricsAt.get('/metrics')).text;
    expect(metrics).toMatch(new RegExp(`meeple_calls_total\\{game_id="${game.id}"\\} 1`));

    const exited = new Promise<number | null>((resolve) => worker!.once('exit', (code) => resolve(code)));
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
