import request from 'supertest';
import { startTestService, type TestService } from '../helpers/testService';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { createContext, closeContext } from '../../server/context';
import { createApp } from '../../server/app';
import { testEnv, uniqueName } from '../helpers/testService';

describe('health', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('health');
  });
  afterAll(() => service.stop());

  test('when MySQL and Redis answer, /health is 200 healthy', async () => {
    const res = await service.anon.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'healthy', database: 'connected', redis: 'connected', engine: 'running' });
  });

  test('/health/live answers while the process serves', async () => {
    const res = await service.anon.get('/health/live');
    expect(res.status).toBe(200);
  });

  test('/metrics serves Prometheus text with the queue metrics', async () => {
    const res = await service.anon.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toContain('meeple_waiting_parties');
    expect(res.text).toContain('meeple_joins_total');
  });
});

describe('health with dependencies down', () => {
  test('when MySQL is unreachable, /health is 503 with database disconnected and API reads are 503', async () => {
    // Port 1 has no MySQL: the app must say so, not hang or 500.
    const config = loadConfig(testEnv(uniqueName('nodb'), { MYSQL_PORT: '1' }));
    const ctx = createContext(config, createLogger('silent'));
    const app = createApp(ctx, { session: (_req, _res, next) => next(), isShuttingDown: () => false });
    try {
      const health = await request(app).get('/health');
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'unhealthy', database: 'disconnected' });
      const games = await request(app).get('/api/games');
      expect(games.status).toBe(503);
      expect(games.body.error.code).toBe('unavailable');
    } finally {
      await closeContext(ctx);
    }
  });

  test('when Redis is unreachable, /health is 503 with redis disconnected', async () => {
    const config = loadConfig(testEnv(uniqueName('noredis'), { REDIS_URL: 'redis://127.0.0.1:1' }));
    const ctx = createContext(config, createLogger('silent'));
    const app = createApp(ctx, { session: (_req, _res, next) => next(), isShuttingDown: () => false });
    try {
      const health = await request(app).get('/health');
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'unhealthy', redis: 'disconnected' });
    } finally {
      await closeContext(ctx);
    }
  });
});
