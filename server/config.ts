import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { PasswordRule } from './auth/passwordRule';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export function isTimeZone(tz: string): boolean {
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

/** A public address to give customers: an origin, a trailing slash tolerated. */
export function isPublicOrigin(value: string): boolean {
  return isOrigin(value.replace(/\/$/, ''));
}

/** "https://queue.example.com, https://cafe.example" → the list; each entry must be an origin. */
const originList = z
  .string()
  .transform((value) => value.split(',').map((origin) => origin.trim().replace(/\/$/, '')).filter(Boolean))
  .refine((origins) => origins.every(isOrigin), 'Each entry must be an origin like https://queue.example.com');

/** Placeholders a message text may use (docs/NOTIFICATIONS.md). */
export const MESSAGE_PLACEHOLDERS = ['cafe', 'code', 'game', 'name', 'minutes'] as const;

const messageText = z
  .string()
  .max(300)
  .refine(
    (text) => [...text.matchAll(/\{(\w+)\}/g)].every((m) => (MESSAGE_PLACEHOLDERS as readonly string[]).includes(m[1]!)),
    `Unknown placeholder; use ${MESSAGE_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`,
  );

/** Host names (or parent domains) push subscriptions may point at: the browsers' push services. */
const DEFAULT_PUSH_HOSTS = 'fcm.googleapis.com,updates.push.services.mozilla.com,push.apple.com,notify.windows.com';

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
    PUBLIC_URL: z.string().refine(isPublicOrigin, 'Use scheme and host only, like https://queue.example.com').optional(),
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
    CAFE_NAME: z.string().min(1).max(60).default('Meeple Queue'),
    VAPID_PUBLIC_KEY: z.string().regex(/^[A-Za-z0-9_-]{80,100}$/, 'a base64url P-256 public key (npx web-push generate-vapid-keys)').optional(),
    VAPID_PRIVATE_KEY: z.string().regex(/^[A-Za-z0-9_-]{40,50}$/, 'a base64url P-256 private key (npx web-push generate-vapid-keys)').optional(),
    VAPID_SUBJECT: z.string().regex(/^(mailto:|https:\/\/)/, 'mailto:you@example.com or an https:// URL').default('mailto:admin@example.com'),
    PUSH_ENDPOINT_HOSTS: z.string().default(DEFAULT_PUSH_HOSTS),
    ALMOST_POSITION: z.coerce.number().int().min(0).max(20).default(2),
    MESSAGE_CALLED: messageText.default('{cafe}: your {game} is ready! Show ticket {code} at the counter within {minutes} minutes.'),
    MESSAGE_ALMOST: messageText.default('{cafe}: almost your turn for {game} (ticket {code}). Please head back to the café.'),
    NOTIFY_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
    NOTIFY_BACKOFF_MS: z.coerce.number().int().min(1).default(5000),
    NOTIFY_AGAIN_SECONDS: z.coerce.number().int().min(0).default(60),
    SMS_PROVIDER: z.enum(['none', 'twilio', 'webhook']).default('none'),
    TWILIO_API_URL: z.string().url().default('https://api.twilio.com'),
    TWILIO_ACCOUNT_SID: z.string().regex(/^[A-Za-z0-9]{8,64}$/).optional(),
    TWILIO_AUTH_TOKEN: z.string().min(8).optional(),
    TWILIO_FROM: z.string().min(2).max(40).optional(),
    SMS_WEBHOOK_URL: z.string().url().optional(),
    SMS_WEBHOOK_SECRET: z.string().min(16, 'use at least 16 characters (openssl rand -hex 32)').optional(),
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.SESSION_SECRET, {
    message: 'SESSION_SECRET is required when NODE_ENV=production',
    path: ['SESSION_SECRET'],
  })
  .refine((env) => !env.VAPID_PUBLIC_KEY === !env.VAPID_PRIVATE_KEY, {
    message: 'set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither (keys are then generated once and kept in MySQL)',
    path: ['VAPID_PRIVATE_KEY'],
  })
  .refine((env) => env.SMS_PROVIDER !== 'twilio' || (env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM), {
    message: 'SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM',
    path: ['SMS_PROVIDER'],
  })
  .refine((env) => env.SMS_PROVIDER !== 'webhook' || (env.SMS_WEBHOOK_URL && env.SMS_WEBHOOK_SECRET), {
    message: 'SMS_PROVIDER=webhook needs SMS_WEBHOOK_URL and SMS_WEBHOOK_SECRET',
    path: ['SMS_PROVIDER'],
  });

/** The text gateway, when the café has one (off unless configured). */
export type SmsConfig =
  | { provider: 'twilio'; apiUrl: string; accountSid: string; authToken: string; from: string }
  | { provider: 'webhook'; url: string; secret: string };

export interface NotifyConfig {
  cafeName: string;
  /** from the environment; unset: generated once and kept in MySQL (server/notify/vapid.ts) */
  vapid: { publicKey: string; privateKey: string } | null;
  vapidSubject: string;
  /** hosts (or parent domains) a push subscription's endpoint may point at */
  pushHosts: string[];
  /** "almost your turn" when a party becomes this many-th in line; 0: never */
  almostPosition: number;
  messages: { called: string; almost: string };
  attempts: number;
  backoffMs: number;
  /** staff "notify again" at most this often per party */
  againMs: number;
  sms: SmsConfig | null;
}

function smsConfig(env: z.infer<typeof envSchema>): SmsConfig | null {
  if (env.SMS_PROVIDER === 'twilio') {
    return { provider: 'twilio', apiUrl: env.TWILIO_API_URL.replace(/\/$/, ''), accountSid: env.TWILIO_ACCOUNT_SID!, authToken: env.TWILIO_AUTH_TOKEN!, from: env.TWILIO_FROM! };
  }
  if (env.SMS_PROVIDER === 'webhook') return { provider: 'webhook', url: env.SMS_WEBHOOK_URL!, secret: env.SMS_WEBHOOK_SECRET! };
  return null;
}

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
  /** The address the QR code and links give customers (café settings may override it); unset: the one each screen was opened at. */
  publicUrl: string | null;
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
  notify: NotifyConfig;
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
      // Without a configured secret (development only) this draw gives way, at start-up, to the
      // one stored in MySQL on first start (server/auth/sessionSecret.ts).
      secret: env.SESSION_SECRET ?? randomBytes(32).toString('hex'),
      secretGenerated: !env.SESSION_SECRET,
      ttlSeconds: Math.round(env.SESSION_TTL_HOURS * 3600),
      cookieSecure: env.COOKIE_SECURE === 'auto' ? 'auto' : env.COOKIE_SECURE === 'true',
    },
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    publicOrigins: env.PUBLIC_ORIGINS ?? [],
    publicUrl: env.PUBLIC_URL?.replace(/\/$/, '') ?? null,
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
    notify: {
      cafeName: env.CAFE_NAME,
      vapid: env.VAPID_PUBLIC_KEY ? { publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY! } : null,
      vapidSubject: env.VAPID_SUBJECT,
      pushHosts: env.PUSH_ENDPOINT_HOSTS.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean),
      almostPosition: env.ALMOST_POSITION,
      messages: { called: env.MESSAGE_CALLED, almost: env.MESSAGE_ALMOST },
      attempts: env.NOTIFY_ATTEMPTS,
      backoffMs: env.NOTIFY_BACKOFF_MS,
      againMs: env.NOTIFY_AGAIN_SECONDS * 1000,
      sms: smsConfig(env),
    },
  };
}
