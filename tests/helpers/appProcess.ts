/**
 * Starts real Meeple Queue instances (server/main.ts) on 127.0.0.1 ephemeral ports against the
 * local MySQL/MariaDB and Redis, each test run with its own database and Redis key prefix.
 *
 * DEPLOY_TEST_APP_ENTRY overrides the entry point (e.g. dist/server/main.js after `npm run build`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT } from './nginx';

export const MYSQL_URL_BASE = process.env.DEPLOY_TEST_MYSQL ?? 'mysql://root@127.0.0.1:3306';
export const REDIS_URL = process.env.DEPLOY_TEST_REDIS ?? 'redis://127.0.0.1:6379';
export const APP_ENTRY = process.env.DEPLOY_TEST_APP_ENTRY ?? join(REPO_ROOT, 'server', 'main.ts');

export function appExists(): boolean {
  return existsSync(APP_ENTRY);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface TestEnv {
  dbName: string;
  redisPrefix: string;
  sessionSecret: string;
  adminPassword: string;
}

export function newTestEnv(tag: string): TestEnv {
  const id = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  return {
    dbName: `mq_${tag}_${id}`,
    redisPrefix: `mq${tag}${id}`,
    sessionSecret: randomBytes(24).toString('hex'),
    adminPassword: randomBytes(12).toString('hex'),
  };
}

export async function createDatabase(env: TestEnv): Promise<void> {
  const mysql = await import('mysql2/promise');
  const conn = await mysql.createConnection(MYSQL_URL_BASE);
  try {
    await conn.query(`CREATE DATABASE \`${env.dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
}

export async function dropTestData(env: TestEnv): Promise<void> {
  const mysql = await import('mysql2/promise');
  const conn = await mysql.createConnection(MYSQL_URL_BASE);
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${env.dbName}\``);
  } finally {
    await conn.end();
  }
  const { default: Redis } = await import('ioredis');
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
  try {
    await redis.connect();
    let cursor = '0';
    const deadline = Date.now() + 10_000;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${env.redisPrefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0' && Date.now() < deadline);
  } finally {
    redis.disconnect();
  }
}

export interface AppInstance {
  port: number;
  proc: ChildProcess;
  logs: () => string;
  /** SIGTERM, then wait for the process to exit (SIGKILL after graceMs). Returns the exit code. */
  stop: (graceMs?: number) => Promise<number | null>;
}

export function appEnv(env: TestEnv, port: number, host = '127.0.0.1'): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    HOST: host,
    PORT: String(port),
    DATABASE_URL: `${MYSQL_URL_BASE}/${env.dbName}`,
    REDIS_URL,
    REDIS_PREFIX: env.redisPrefix,
    SESSION_SECRET: env.sessionSecret,
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: env.adminPassword,
    TRUST_PROXY: 'loopback',
    SERVE_CLIENT: 'false',
    LOG_LEVEL: process.env.DEPLOY_TEST_LOG_LEVEL ?? 'warn',
    SHUTDOWN_GRACE_MS: '5000',
  };
}

export interface StartAppOptions {
  timeoutMs?: number;
  /** Address to listen on (any 127.0.0.0/8 address reaches this machine). */
  host?: string;
  /** Added to (and overriding) appEnv's variables. */
  extraEnv?: NodeJS.ProcessEnv;
  /** In a process group of its own, stopped (signals) as a group with whatever it started. */
  processGroup?: boolean;
}

export async function startApp(env: TestEnv, port: number, options: StartAppOptions = {}): Promise<AppInstance> {
  const { timeoutMs = 60_000, host = '127.0.0.1', extraEnv = {}, processGroup = false } = options;
  const args = APP_ENTRY.endsWith('.ts') ? ['--import', 'tsx', APP_ENTRY] : [APP_ENTRY];
  const proc = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...appEnv(env, port, host), ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: processGroup,
  });
  const signal = (name: NodeJS.Signals) => {
    try {
      if (processGroup) process.kill(-proc.pid!, name);
      else proc.kill(name);
    } catch {
      /* the group has already gone */
    }
  };
  let logs = '';
  const keep = (d: Buffer) => {
    logs += d.toString();
    if (logs.length > 200_000) logs = logs.slice(-100_000);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const inst: AppInstance = {
    port,
    proc,
    logs: () => logs,
    stop: async (graceMs = 15_000) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      const exited = new Promise<number | null>((res) => proc.once('exit', (code) => res(code)));
      signal('SIGTERM');
      const t = setTimeout(() => signal('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`app on port ${port} exited with ${proc.exitCode}:\n${logs.slice(-4000)}`);
    try {
      const res = await fetch(`http://${host}:${port}/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return inst;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await inst.stop(2000);
      throw new Error(`app on port ${port} not healthy after ${timeoutMs} ms:\n${logs.slice(-4000)}`);
    }
    await sleep(200);
  }
}
