import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { PasswordRule } from './auth/passwordRule';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Whether `value` is exactly an origin: scheme, host and optional port, nothing more. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

/** "https://queue.example.com, https://cafe.example" → the list; each entry must be an origin. */
const originList = z
  .string()
  .transform((value) => value.split(',').map((origin) => origin.trim().replace(/\/$/, '')).filter(Boolean))
  .refine((origins) => origins.every(isOrigin), 'Each entry must be an origin like https://queue.example.com');

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    DATABASE_URL: z.string().url().optional(),
    MYSQL_HOST: z.string().default('127.0.0.1'),
    MYSQL_PORT: z.coerce.number().int().positive().default(3306),
    MYSQL_USER: z.string().default('root'),
    MYSQL_PASSWORD: z.string().default(''),
    MYSQL_DATABASE: z.string().regex(/^[A-Za-z0-9_]+$/).default('meeple_queue'),
    MYSQL_POOL_MAX: z.coerce.number().int().positive().default(10),
    REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
    REDIS_PASSWORD: z.string().optional(),
    REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]+$/).default('meeple'),
    SESSION_SECRET: z.string().min(16).optional(),
    SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
    COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
    TRUST_PROXY: z.string().default('loopback'),
    PUBLIC_ORIGINS: originList.optional(),
    ADMIN_USERNAME: z.string().min(1).default('admin'),
    ADMIN_PASSWORD: PasswordRule.optional(),
    HOLD_MINUTES: z.coerce.number().positive().default(5),
    HOLD_EXTENSION_MINUTES: z.coerce.number().int().min(1).max(60).default(5),
    REVERT_FINISHED_MINUTES: z.coerce.number().int().min(0).default(15),
    AUTO_ADVANCE: bool.default(true),
    RUN_WORKERS: bool.default(true),
    WORKER_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    WORKER_HOST: z.string().default('127.0.0.1'),
    METRICS_TOKEN: z.string().min(16, 'use at least 16 characters (openssl rand -hex 32)').optional(),
    RECONCILE_SECONDS: z.coerce.number().positive().default(5),
    RETENTION_DAYS: z.coerce.number().int().positive().default(30),
    JOIN_RATE_LIMIT: z.coerce.number().int().positive().default(20),
    JOIN_NEW_DEVICE_LIMIT: z.coerce.number().int().positive().default(40),
    JOIN_ADDRESS_LIMIT: z.coerce.number().int().positive().default(120),
    LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(5),
    TICKET_MISS_LIMIT: z.coerce.number().int().positive().default(30),
    SERVE_CLIENT: bool.default(true),
    CLIENT_DIR: z.string().optional(),
    REALTIME_TICK_MS: z.coerce.number().int().min(0).default(50),
    SOCKETS_PER_ADDRESS: z.coerce.number().int().positive().default(200),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10000),
    CAFE_TIMEZONE: z.string().refine(isTimeZone, 'Unknown IANA time zone').default('UTC'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.SESSION_SECRET, {
    message: 'SESSION_SECRET is required when NODE_ENV=production',
    path: ['SESSION_SECRET'],
  });

export interface MysqlConnection {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  mysql: MysqlConnection & { poolMax: number };
  redis: { url: string; prefix: string };
  session: { secret: string; secretGenerated: boolean; ttlSeconds: number; cookieSecure: 'auto' | boolean };
  trustProxy: string | number | boolean;
  /** Where browsers may send state changes from; empty: the request's own host name. */
  publicOrigins: string[];
  admin: { username: string; password?: string };
  queue: {
    holdMs: number;
    /** staff's "+N min" on a called party, when the request names no other */
    holdExtensionMs: number;
    /** how long after finishing a party can still be put back to seated */
    revertFinishedMs: number;
    autoAdvance: boolean;
    runWorkers: boolean;
    reconcileMs: number;
    retentionDays: number;
    workerPort?: number;
    workerHost: string;
  };
  /** Per minute: joins per device, joins without a device cookie per address, all joins per address. */
  rateLimits: { joinsPerMinute: number; newDeviceJoinsPerMinute: number; addressJoinsPerMinute: number; loginFailures: number; ticketMissesPerMinute: number };
  metricsToken?: string;
  client: { serve: boolean; dir?: string };
  realtime: { tickMs: number; connectionsPerAddress: number };
  shutdownGraceMs: number;
  logLevel: string;
  timeZone: string;
}

function mysqlFromUrl(url: string): MysqlConnection {
  const parsed = new URL(url);
  if (parsed.protocol !== 'mysql:') throw new Error('DATABASE_URL must start with mysql://');
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: parsed.pathname.replace(/^\//, ''),
  };
}

/** REDIS_PASSWORD (e.g. from a Docker secret) goes into the URL every Redis client is built from. */
function redisUrl(url: string, password: string | undefined): string {
  if (!password) return url;
  if (!URL.canParse(url)) throw new Error('Invalid configuration: REDIS_URL must be a redis:// URL to add REDIS_PASSWORD to');
  const withPassword = new URL(url);
  withPassword.password = password;
  return withPassword.toString();
}

function parseTrustProxy(value: string): string | number | boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/** Reads and validates the environment once; the only place that touches process.env. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (as .env files often have) means "not set".
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const env = parsed.data;
  const mysql = env.DATABASE_URL
    ? mysqlFromUrl(env.DATABASE_URL)
    : {
        host: env.MYSQL_HOST,
        port: env.MYSQL_PORT,
        user: env.MYSQL_USER,
        password: env.MYSQL_PASSWORD,
        database: env.MYSQL_DATABASE,
      };
  if (!/^[A-Za-z0-9_]+$/.test(mysql.database)) throw new Error('Invalid configuration: database name');
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    mysql: { ...mysql, poolMax: env.MYSQL_POOL_MAX },
    redis: { url: redisUrl(env.REDIS_URL, env.REDIS_PASSWORD), prefix: env.REDIS_PREFIX },
    session: {
      // Without a configured secret (development only) sessions do not survive a restart.
      secret: env.SESSION_SECRET ?? randomBytes(32).toString('hex'),
      secretGenerated: !env.SESSION_SECRET,
      ttlSeconds: Math.round(env.SESSION_TTL_HOURS * 3600),
      cookieSecure: env.COOKIE_SECURE === 'auto' ? 'auto' : env.COOKIE_SECURE === 'true',
    },
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    publicOrigins: env.PUBLIC_ORIGINS ?? [],
    admin: { username: env.ADMIN_USERNAME, password: env.ADMIN_PASSWORD },
    queue: {
      holdMs: Math.round(env.HOLD_MINUTES * 60_000),
      holdExtensionMs: env.HOLD_EXTENSION_MINUTES * 60_000,
      revertFinishedMs: env.REVERT_FINISHED_MINUTES * 60_000,
      autoAdvance: env.AUTO_ADVANCE,
      runWorkers: env.RUN_WORKERS,
      reconcileMs: Math.round(env.RECONCILE_SECONDS * 1000),
      retentionDays: env.RETENTION_DAYS,
      workerPort: env.WORKER_PORT,
      workerHost: env.WORKER_HOST,
    },
    rateLimits: {
      joinsPerMinute: env.JOIN_RATE_LIMIT,
      newDeviceJoinsPerMinute: env.JOIN_NEW_DEVICE_LIMIT,
      addressJoinsPerMinute: env.JOIN_ADDRESS_LIMIT,
      loginFailures: env.LOGIN_RATE_LIMIT,
      ticketMissesPerMinute: env.TICKET_MISS_LIMIT,
    },
    metricsToken: env.METRICS_TOKEN,
    client: { serve: env.SERVE_CLIENT, dir: env.CLIENT_DIR },
    realtime: { tickMs: env.REALTIME_TICK_MS, connectionsPerAddress: env.SOCKETS_PER_ADDRESS },
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    logLevel: env.LOG_LEVEL,
    timeZone: env.CAFE_TIMEZONE,
  };
}
