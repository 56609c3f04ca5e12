import { loadConfig } from '../../server/config';

describe('config', () => {
  test('defaults give a working development setup against local MySQL and Redis', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      port: 3000,
      mysql: { host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'meeple_queue' },
      redis: { url: 'redis://127.0.0.1:6379', prefix: 'meeple' },
      queue: { holdMs: 300_000, autoAdvance: true, runWorkers: true, reconcileMs: 5000, retentionDays: 30 },
      timeZone: 'UTC',
    });
    expect(config.session.secretGenerated).toBe(true);
  });

  test('DATABASE_URL wins over the MYSQL_* parts and decodes credentials', () => {
    const config = loadConfig({ DATABASE_URL: 'mysql://me%40cafe:p%3Ass@db.internal:3307/queue', MYSQL_HOST: 'ignored' });
    expect(config.mysql).toMatchObject({ host: 'db.internal', port: 3307, user: 'me@cafe', password: 'p:ss', database: 'queue' });
  });

  test('empty variables count as unset, as in .env files', () => {
    expect(() => loadConfig({ ADMIN_PASSWORD: '', SESSION_SECRET: '', DATABASE_URL: '' })).not.toThrow();
  });

  test('HOLD_MINUTES accepts decimals so tests can use seconds', () => {
    expect(loadConfig({ HOLD_MINUTES: '0.05' }).queue.holdMs).toBe(3000);
  });

  test('booleans and proxy settings are parsed', () => {
    const config = loadConfig({ AUTO_ADVANCE: 'false', RUN_WORKERS: '0', TRUST_PROXY: '1', COOKIE_SECURE: 'true' });
    expect(config.queue.autoAdvance).toBe(false);
    expect(config.queue.runWorkers).toBe(false);
    expect(config.trustProxy).toBe(1);
    expect(config.session.cookieSecure).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
  });

  test.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ HOLD_MINUTES: '-1' }, /HOLD_MINUTES/],
    [{ NODE_ENV: 'production' }, /SESSION_SECRET is required/],
    [{ ADMIN_PASSWORD: 'short' }, /ADMIN_PASSWORD/],
    [{ CAFE_TIMEZONE: 'Mars/Olympus' }, /CAFE_TIMEZONE/],
    [{ DATABASE_URL: 'postgres://x@y/z' }, /mysql:\/\//],
    [{ MYSQL_DATABASE: 'bad;name' }, /MYSQL_DATABASE/],
    [{ AUTO_ADVANCE: 'maybe' }, /AUTO_ADVANCE/],
  ])('%j is refused with a message naming the problem', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('configuration of the issue 11 defences', () => {
  test('REDIS_PASSWORD goes into the URL every Redis client is built from, encoded', () => {
    expect(loadConfig({ REDIS_URL: 'redis://redis:6379', REDIS_PASSWORD: '0123abcd' }).redis.url).toBe('redis://:0123abcd@redis:6379');
    expect(loadConfig({ REDIS_URL: 'rediss://cache.internal:6380/2', REDIS_PASSWORD: 'p@ss word' }).redis.url).toBe('rediss://:p%40ss%20word@cache.internal:6380/2');
    expect(loadConfig({ REDIS_URL: 'redis://redis:6379' }).redis.url).toBe('redis://redis:6379');
    expect(() => loadConfig({ REDIS_URL: 'not a url', REDIS_PASSWORD: 'x' })).toThrow(/REDIS_URL/);
  });

  test('METRICS_TOKEN: unset by default, and refused when too short to be a secret', () => {
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: 'a'.repeat(32) }).metricsToken).toBe('a'.repeat(32));
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });

  test('the worker serves its metrics on loopback unless WORKER_HOST says otherwise', () => {
    expect(loadConfig({}).queue.workerHost).toBe('127.0.0.1');
    expect(loadConfig({ WORKER_HOST: '0.0.0.0' }).queue.workerHost).toBe('0.0.0.0');
  });

  test('join limits: per device, new devices per address, every join per address', () => {
    expect(loadConfig({}).rateLimits).toMatchObject({ joinsPerMinute: 20, newDeviceJoinsPerMinute: 40, addressJoinsPerMinute: 120 });
    expect(() => loadConfig({ JOIN_ADDRESS_LIMIT: '0' })).toThrow(/JOIN_ADDRESS_LIMIT/);
  });

  test('ticket misses and retention have defaults and refuse nonsense', () => {
    const config = loadConfig({});
    expect(config.rateLimits.ticketMissesPerMinute).toBe(30);
    expect(config.queue.retentionDays).toBe(30);
    expect(() => loadConfig({ TICKET_MISS_LIMIT: '0' })).toThrow(/TICKET_MISS_LIMIT/);
    expect(() => loadConfig({ RETENTION_DAYS: '-1' })).toThrow(/RETENTION_DAYS/);
  });
});
