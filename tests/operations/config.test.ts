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
