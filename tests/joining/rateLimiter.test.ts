import Redis from 'ioredis';
import request from 'supertest';
import { BatchedRateLimiter } from '../../server/http/batchedLimiter';
import { deleteRedisKeys, eventually, REDIS_URL, startTestService, uniqueName, type TestService } from '../helpers/testService';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the batched join rate limiter (real Redis)', () => {
  const prefix = uniqueName('ratelimiter');
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(REDIS_URL, { enableOfflineQueue: true, maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    redis.disconnect();
    await deleteRedisKeys(prefix);
  });

  test('checks made together: exactly `points` per key get through, in order, each key on its own', async () => {
    const limiter = new BatchedRateLimiter(redis, { keyPrefix: `${prefix}:a`, points: 3, durationMs: 60_000 });
    const answers = await Promise.all([...Array(5).fill('phone-1'), ...Array(2).fill('phone-2')].map((k: string) => limiter.consume(k)));
    expect(answers.slice(0, 3)).toEqual([0, 0, 0]);
    // Refused with the time left in the window, about a minute.
    for (const ms of answers.slice(3, 5)) expect(ms).toBeGreaterThan(55_000);
    expect(answers.slice(5)).toEqual([0, 0]);
    // Later checks see the earlier ones (refused attempts count too).
    expect(await limiter.consume('phone-2')).toBe(0);
    expect(await limiter.consume('phone-2')).toBeGreaterThan(0);
    expect(Number(await redis.get(`${prefix}:a:phone-1`))).toBe(5);
  });

  test('the window starts at a key\'s first use and lets it in again once it ends', async () => {
    const limiter = new BatchedRateLimiter(redis, { keyPrefix: `${prefix}:b`, points: 1, durationMs: 300 });
    expect(await limiter.consume('tablet')).toBe(0);
    const refused = await limiter.consume('tablet');
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThanOrEqual(300);
    await sleep(350);
    expect(await limiter.consume('tablet')).toBe(0);
  });

  test('when Redis cannot be asked, every waiting check fails (none is let through unchecked)', async () => {
    // Nothing listens on port 1, and commands are not queued while disconnected.
    const down = new Redis({ port: 1, enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
    down.on('error', () => undefined);
    const limiter = new BatchedRateLimiter(down, { keyPrefix: `${prefix}:c`, points: 10, durationMs: 60_000 });
    const results = await Promise.allSettled([limiter.consume('x'), limiter.consume('y')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    down.disconnect();
  });
});

describe('the join limit through HTTP, under a burst', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('joinburst', { JOIN_RATE_LIMIT: '4' });
  });
  afterAll(() => service?.stop());

  test('ten joins from one device, nine of them at once: exactly four are in, six get 429, and nothing else is written', async () => {
    const game = (await service.staff.post('/api/games').send({ title: 'Burst', copies: 1 })).body;
    // The phone's first join gives it its device cookie; the other nine go at once, each saying
    // it is another party (the limit is under test, not the one-ticket-per-phone rule).
    const phone = request.agent(service.url);
    const join = (i: number) => phone.post(`/api/games/${game.id}/reservations`).send({ customerName: `Burst ${i}`, anotherParty: true });
    const first = await join(0);
    const res = [first, ...(await Promise.all(Array.from({ length: 9 }, (_, i) => join(i + 1))))];
    const statuses = res.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 201, 429, 429, 429, 429, 429, 429]);
    expect(await service.ctx.knex('reservations').where('gameId', game.id).count({ n: '*' })).toEqual([{ n: 4 }]);
  });

  test('when Redis is down, a public join is answered 503, not let through and not a 500', async () => {
    const game = (await service.staff.post('/api/games').send({ title: 'No Redis', copies: 1 })).body;
    const consume = service.ctx.limits.join.consume.bind(service.ctx.limits.join);
    // The shared client is what goes away when Redis does; its commands then fail at once.
    service.ctx.redis.disconnect();
    try {
      const res = await service.anon.post(`/api/games/${game.id}/reservations`).send({ customerName: 'Nobody' });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('unavailable');
    } finally {
      // Reconnect unless ioredis is already at it (a reconnect it had scheduled can race the
      // manual disconnect), then wait until commands go through again.
      const { redis } = service.ctx;
      if (redis.status === 'end' || redis.status === 'wait') await redis.connect();
      await eventually(() => redis.status === 'ready', 5000);
    }
    expect(await consume('after-reconnect')).toBe(0);
    expect(await service.ctx.knex('reservations').where('gameId', game.id).count({ n: '*' })).toEqual([{ n: 0 }]);
  });
});
