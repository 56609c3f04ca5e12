import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import request from 'supertest';
import { loadConfig, type Config } from '../../server/config';
import { createLogger } from '../../server/logger';
import { createKnex } from '../../server/db/knex';
import { startService, type RunningService } from '../../server/service';

export const MYSQL = {
  host: process.env.MYSQL_HOST ?? '127.0.0.1',
  port: Number(process.env.MYSQL_PORT ?? 3306),
  user: process.env.MYSQL_USER ?? 'root',
  password: process.env.MYSQL_PASSWORD ?? '',
};
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ADMIN = { username: 'admin', password: 'test-admin-password' };

/** A name no other test run uses: its own database and its own Redis key prefix. */
export function uniqueName(label: string): string {
  return `mqt_${label.replace(/[^a-z0-9]/gi, '').slice(0, 20)}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** Environment for a service under test; `overrides` wins. */
export function testEnv(name: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    MYSQL_HOST: MYSQL.host,
    MYSQL_PORT: String(MYSQL.port),
    MYSQL_USER: MYSQL.user,
    MYSQL_PASSWORD: MYSQL.password,
    MYSQL_DATABASE: name,
    REDIS_URL,
    REDIS_PREFIX: name,
    SESSION_SECRET: 'test-session-secret-0123456789',
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    JOIN_RATE_LIMIT: '100000',
    JOIN_NEW_DEVICE_LIMIT: '100000',
    JOIN_ADDRESS_LIMIT: '100000',
    LOGIN_RATE_LIMIT: '1000',
    REALTIME_TICK_MS: '20',
    SERVE_CLIENT: 'false',
    SHUTDOWN_GRACE_MS: '2000',
    ...overrides,
  };
}

export async function dropDatabase(name: string): Promise<void> {
  const knex = createKnex({ ...MYSQL, database: '', poolMax: 1 });
  try {
    await knex.raw('DROP DATABASE IF EXISTS ??', [name]);
  } finally {
    await knex.destroy();
  }
}

export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export interface TestService extends RunningService {
  name: string;
  config: Config;
  /** supertest agent that keeps cookies; call `signIn()` to make it staff */
  staff: ReturnType<typeof request.agent>;
  anon: ReturnType<typeof request>;
  signIn(agent?: ReturnType<typeof request.agent>): Promise<ReturnType<typeof request.agent>>;
  /** stops the service; with `keepData` the database and Redis keys stay (for a restart) */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/**
 * Starts the real service (HTTP, Socket.IO, workers) on a free port against real MariaDB and
 * Redis, with its own database and key prefix.
 */
export async function startTestService(label: string, overrides: Record<string, string> = {}, existingName?: string): Promise<TestService> {
  const name = existingName ?? uniqueName(label);
  const config = loadConfig(testEnv(name, overrides));
  const service = await startService(config, createLogger(config.logLevel));
  const staff = request.agent(service.url);
  const signIn = async (agent = request.agent(service.url)) => {
    const res = await agent.post('/api/auth/login').send(ADMIN);
    if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
    return agent;
  };
  await signIn(staff);
  let stopped = false;
  return {
    ...service,
    name,
    config,
    staff,
    anon: request(service.url),
    signIn,
    async stop(options = {}) {
      if (!stopped) await service.close();
      stopped = true;
      if (!options.keepData) await Promise.all([dropDatabase(name), deleteRedisKeys(name)]);
    },
  };
}

/** Polls until `check` returns a truthy value, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
}
