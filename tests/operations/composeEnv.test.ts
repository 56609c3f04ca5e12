/**
 * Every variable .env.example documents reaches the app in docker-compose.yml and in
 * docker-stack.yml: passed through from the environment under its own name, given as a Swarm
 * secret (NAME_FILE), or fixed by the container layout (a short list, each with its reason).
 * A variable added to .env.example but forgotten in a deploy file is silently ignored in
 * production (CAFE_TIMEZONE, the rate limits and the pool size once were): this test fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../server/config';

const ROOT = join(__dirname, '..', '..');
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** NAME=... lines of .env.example, also the commented-out ones (`# WORKER_PORT=9464`). */
function exampleVariables(): string[] {
  const text = readFileSync(join(ROOT, '.env.example'), 'utf8');
  return [...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
}

const load = (file: string): Obj => parse(readFileSync(join(ROOT, file), 'utf8'), { merge: true }) as Obj;

/** Set by the containers' layout, never from .env (which also serves `npm run dev` on the host). */
const FIXED_BY_LAYOUT: Record<string, string> = {
  NODE_ENV: 'always production in a container',
  HOST: 'listens on every interface of the container',
  PORT: 'Nginx and the healthcheck expect 3000',
  DATABASE_URL: "the stack's own MySQL, by its parts",
  MYSQL_HOST: 'the mysql service',
  MYSQL_PORT: 'the mysql service',
  REDIS_URL: 'the redis service (its password is REDIS_PASSWORD)',
  TRUST_PROXY: 'exactly one hop: Nginx',
  SERVE_CLIENT: 'the image carries the built client',
  CLIENT_DIR: "the image's own dist/client",
};
/** For another service, not the app. */
const NOT_FOR_THE_APP: Record<string, string> = { MYSQL_ROOT_PASSWORD: 'mysql' };
/** Swarm secrets: the stack gives NAME_FILE (the entrypoint reads it into NAME). */
const SECRETS_IN_STACK = ['MYSQL_PASSWORD', 'REDIS_PASSWORD', 'METRICS_TOKEN', 'SESSION_SECRET', 'ADMIN_PASSWORD'];

const passesThrough = (name: string, value: unknown) => new RegExp(`^\\$\\{${name}(:?[-?][^}]*)?\\}$`).test(String(value));

function problems(file: string, env: Record<string, unknown>, doc: Obj, swarm: boolean): string[] {
  const out: string[] = [];
  for (const name of exampleVariables()) {
    if (NOT_FOR_THE_APP[name]) {
      if (!(name in (doc.services[NOT_FOR_THE_APP[name]!].environment ?? {})) && !(`${name}_FILE` in (doc.services[NOT_FOR_THE_APP[name]!].environment ?? {})))
        out.push(`${file}: ${name} does not reach ${NOT_FOR_THE_APP[name]}`);
      continue;
    }
    if (swarm && SECRETS_IN_STACK.includes(name)) {
      if (!String(env[`${name}_FILE`] ?? '').startsWith('/run/secrets/')) out.push(`${file}: ${name}_FILE is not a Swarm secret`);
      if (name in env) out.push(`${file}: ${name} is set inline next to its secret`);
      continue;
    }
    if (!(name in env)) out.push(`${file}: ${name} does not reach the app`);
    else if (FIXED_BY_LAYOUT[name]) {
      if (passesThrough(name, env[name])) out.push(`${file}: ${name} is fixed by the layout (${FIXED_BY_LAYOUT[name]}), not taken from .env`);
    } else if (!passesThrough(name, env[name])) out.push(`${file}: ${name}=${String(env[name])} ignores the value in .env`);
  }
  return out;
}

describe('.env.example → the app, in compose and in the stack', () => {
  test('.env.example lists what the app reads (sanity: the parser finds them)', () => {
    const names = exampleVariables();
    expect(names).toEqual(expect.arrayContaining(['CAFE_TIMEZONE', 'JOIN_RATE_LIMIT', 'MYSQL_POOL_MAX', 'WORKER_PORT', 'DATABASE_URL']));
    expect(names.length).toBeGreaterThan(35);
  });

  test('docker-compose.yml: every variable is passed through or fixed by the layout', () => {
    const compose = load('docker-compose.yml');
    expect(problems('docker-compose.yml', compose.services.app.environment, compose, false)).toEqual([]);
  });

  test('docker-stack.yml: every variable is passed through, a secret, or fixed by the layout', () => {
    const stack = load('docker-stack.yml');
    expect(problems('docker-stack.yml', stack.services.app.environment, stack, true)).toEqual([]);
  });

  test('what compose gives the app, with .env.example filled in, is a valid configuration that keeps the values', () => {
    const compose = load('docker-compose.yml');
    const example = Object.fromEntries(
      readFileSync(join(ROOT, '.env.example'), 'utf8')
        .split('\n')
        .map((line) => line.match(/^([A-Z][A-Z0-9_]*)=(\S*)/))
        .filter((m): m is RegExpMatchArray => m !== null)
        .map((m) => [m[1]!, m[2]!]),
    );
    const dotenv: Record<string, string> = {
      ...example,
      MYSQL_PASSWORD: 'pw',
      REDIS_PASSWORD: 'ab12',
      METRICS_TOKEN: 'x'.repeat(32),
      SESSION_SECRET: 's'.repeat(32),
      ADMIN_PASSWORD: 'correct horse battery staple',
      CAFE_TIMEZONE: 'Europe/London',
      JOIN_RATE_LIMIT: '7',
      MYSQL_POOL_MAX: '25',
    };
    // Compose's interpolation: ${NAME}, ${NAME:-default}, ${NAME:?error}.
    const interpolate = (value: unknown) =>
      String(value).replace(/\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (_all, name: string, op?: string, arg?: string) =>
        dotenv[name] ? dotenv[name]! : op === '-' ? (arg ?? '') : '',
      );
    const env = Object.fromEntries(Object.entries(compose.services.app.environment as Obj).map(([k, v]) => [k, interpolate(v)]));
    const config = loadConfig(env);
    expect(config.timeZone).toBe('Europe/London');
    expect(config.rateLimits.joinsPerMinute).toBe(7);
    expect(config.mysql.poolMax).toBe(25);
    expect(config.mysql.host).toBe('mysql');
    expect(config.env).toBe('production');
  });
});
