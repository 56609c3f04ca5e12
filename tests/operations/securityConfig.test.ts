import { loadConfig } from '../../server/config';

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
});
