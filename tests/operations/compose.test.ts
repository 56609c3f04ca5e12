/**
 * docker-compose.yml and docker-stack.yml, parsed and checked for what the deployment relies
 * on (this machine has no Docker engine, so they cannot be brought up here), and the Redis
 * service's command and healthcheck run for real against a local redis-server.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Redis from 'ioredis';
import { parse } from 'yaml';
import { loadConfig } from '../../server/config';
import { freePort } from '../helpers/appProcess';
import { canConnect } from '../helpers/nginx';

const ROOT = join(__dirname, '..', '..');
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const load = (f: string): Obj => parse(readFileSync(join(ROOT, f), 'utf8'), { merge: true }) as Obj;
const compose = load('docker-compose.yml');
const stack = load('docker-stack.yml');
const CORE = ['app', 'mysql', 'redis', 'nginx'];
const SECRET_KEY = /(PASSWORD|SECRET|TOKEN|(?<!PUBLIC_)KEY)$/;
const REDIS_CLI = '/usr/bin/redis-cli';

/** Services a plain `docker compose up` starts (not profile-gated). */
const coreServices = (doc: Obj) =>
  Object.fromEntries(Object.entries(doc.services as Obj).filter(([, s]) => !(s as Obj).profiles));

function envOf(service: Obj): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((e: string) => e.split(/=(.*)/s).slice(0, 2)));
  return env as Record<string, string>;
}

describe('docker-compose.yml', () => {
  const services = coreServices(compose);

  test('four services: app, MySQL 8, Redis 7, Nginx', () => {
    expect(Object.keys(services).sort()).toEqual([...CORE].sort());
    expect(services.mysql.image).toMatch(/^mysql:8/);
    expect(services.redis.image).toMatch(/^redis:7/);
    expect(services.app.build.target).toBe('runtime');
    expect(services.nginx.build.target).toBe('web');
  });

  test('every service has a healthcheck', () => {
    for (const name of CORE) {
      const hc = services[name].healthcheck;
      expect(hc?.test).toBeDefined();
      expect(hc.interval).toBeDefined();
    }
    // The app's healthcheck uses node (no curl in the slim image) on liveness, /health/live.
    expect(services.app.healthcheck.test.join(' ')).toMatch(/node .*path:'\/health\/live'/);
  });

  test('start-up order: depends_on with condition service_healthy', () => {
    expect(services.app.depends_on).toEqual({
      mysql: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    expect(services.nginx.depends_on).toEqual({ app: { condition: 'service_healthy' } });
  });

  test('only Nginx publishes ports; the others are on an internal network only', () => {
    for (const name of CORE) {
      if (name === 'nginx') expect(services.nginx.ports.length).toBeGreaterThan(0);
      else {
        expect(services[name].ports).toBeUndefined();
        expect(services[name].expose ?? []).toEqual([]);
        expect(services[name].network_mode).toBeUndefined();
        expect(services[name].networks).toEqual(['backend']);
      }
    }
    expect(compose.networks.backend.internal).toBe(true);
    expect(compose.networks.frontend?.internal).toBeFalsy();
    expect(services.nginx.networks.sort()).toEqual(['backend', 'frontend']);
  });

  test('the dev port forwarder is profile-gated and binds 127.0.0.1 only', () => {
    const dev = compose.services['dev-ports'];
    expect(dev.profiles).toEqual(['dev']);
    for (const p of dev.ports as string[]) expect(p).toMatch(/^127\.0\.0\.1:/);
  });

  test('no literal secrets: every password/secret comes from ${…} with a required-variable error', () => {
    for (const name of CORE) {
      for (const [key, value] of Object.entries(envOf(services[name]))) {
        if (!SECRET_KEY.test(key)) continue;
        expect(String(value)).toMatch(/^\$\{[A-Z_]+:\?[^}]+\}$/);
      }
    }
    const appEnv = envOf(services.app);
    for (const k of ['SESSION_SECRET', 'ADMIN_PASSWORD', 'MYSQL_PASSWORD', 'REDIS_PASSWORD', 'METRICS_TOKEN']) expect(appEnv[k]).toBeDefined();
    expect(envOf(services.mysql).MYSQL_ROOT_PASSWORD).toBeDefined();
    expect(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')).not.toMatch(/redis:\/\/[^@\s]*:[^@\s]+@/);
  });

  test('named volumes for MySQL data and Redis persistence (appendonly on)', () => {
    // and the monitoring profile's own (tests/monitoring/deploy.test.ts)
    expect(Object.keys(compose.volumes).sort()).toEqual(['grafana-data', 'mysql-data', 'prometheus-data', 'redis-data']);
    expect(services.mysql.volumes).toContain('mysql-data:/var/lib/mysql');
    expect(services.redis.volumes).toContain('redis-data:/data');
    expect(services.redis.command.join(' ')).toContain('--appendonly yes');
  });

  test('several app replicas behind Nginx, drained gracefully on stop', () => {
    expect(services.app.deploy.replicas).toBeGreaterThanOrEqual(2);
    expect(services.nginx.environment.NGINX_UPSTREAM_SERVERS).toMatch(/server app:3000 resolve/);
    expect(services.app.stop_grace_period).toBeDefined();
  });
});

describe('Dockerfile', () => {
  test("the app image's HEALTHCHECK is liveness (/health/live), not readiness", () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.indexOf(' AS runtime'));
    const healthcheck = runtime.slice(runtime.indexOf('HEALTHCHECK'), runtime.indexOf('STOPSIGNAL'));
    expect(healthcheck).toMatch(/path:'\/health\/live'/);
  });

  test('the web image gives every ${NGINX_*} of the Nginx templates a value (envsubst leaves undefined ones as text)', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const web = dockerfile.slice(dockerfile.indexOf(' AS web'), dockerfile.indexOf(' AS runtime'));
    const env = /^ENV ((?:.*\\\n)*.*)$/m.exec(web)![1]!;
    const declared = new Set([...env.matchAll(/(?:^|\s)(NGINX_\w+)=/g)].map((m) => m[1]));
    const dirs = ['nginx/templates', 'nginx/optional'];
    const used = new Set(dirs.flatMap((d) => readdirSync(join(ROOT, d)).flatMap((f) => [...readFileSync(join(ROOT, d, f), 'utf8').matchAll(/\$\{(NGINX_\w+)\}/g)].map((m) => m[1]))));
    expect(used).toContain('NGINX_REAL_IP_FROM');
    expect([...used].filter((v) => !declared.has(v))).toEqual([]);
    expect(env).toMatch(/NGINX_REAL_IP_FROM=""(\s|$)/); // no trusted hop by default
  });
});

describe('docker-stack.yml (Swarm)', () => {
  const services = stack.services as Obj;

  test('same four services, the app tagged with IMAGE_TAG, Nginx with WEB_IMAGE_TAG', () => {
    expect(Object.keys(services).sort()).toEqual([...CORE].sort());
    expect(services.app.image).toContain('${IMAGE_TAG:?');
    expect(services.nginx.image).toContain('${WEB_IMAGE_TAG:?');
  });

  test('app: ≥ 2 replicas, rolling update start-first, health-gated, automatic rollback', () => {
    const d = services.app.deploy;
    expect(d.replicas).toBeGreaterThanOrEqual(2);
    expect(d.update_config).toMatchObject({ order: 'start-first', failure_action: 'rollback', parallelism: 1 });
    expect(d.update_config.monitor).toMatch(/^\d+s$/);
    expect(d.rollback_config).toMatchObject({ order: 'start-first' });
    // Liveness: a MySQL or Redis blip must not get every task killed (readiness is /health).
    expect(services.app.healthcheck.test.join(' ')).toMatch(/path:'\/health\/live'/);
    // Nginx must see every task to keep Socket.IO polling sessions on one replica.
    expect(d.endpoint_mode).toBe('dnsrr');
  });

  test('MySQL and Redis pinned to the labelled data node', () => {
    for (const name of ['mysql', 'redis']) {
      expect(services[name].deploy.placement.constraints).toContain('node.labels.meeple.db == true');
      expect(services[name].deploy.replicas).toBe(1);
    }
  });

  test('secrets are Swarm secrets (external), never literals', () => {
    for (const name of CORE) {
      for (const [key, value] of Object.entries(envOf(services[name]))) {
        if (SECRET_KEY.test(key)) throw new Error(`${name}.${key} is set inline (${String(value)}); use ${key}_FILE`);
      }
    }
    for (const s of Object.values(stack.secrets as Obj)) expect(s).toEqual({ external: true });
    expect(envOf(services.app).SESSION_SECRET_FILE).toBe('/run/secrets/meeple_session_secret');
    expect(envOf(services.app).METRICS_TOKEN_FILE).toBe('/run/secrets/meeple_metrics_token');
    // The image's entrypoint turns each *_FILE the stack sets into its variable.
    const entrypoint = readFileSync(join(ROOT, 'scripts', 'docker-entrypoint.sh'), 'utf8');
    for (const key of Object.keys(envOf(services.app)).filter((k) => k.endsWith('_FILE'))) {
      expect(entrypoint).toMatch(new RegExp(`^for var in .*\\b${key.replace(/_FILE$/, '')}\\b`, 'm'));
    }
  });

  test('internal backend network, only Nginx publishes, named volumes', () => {
    expect(stack.networks.backend).toMatchObject({ driver: 'overlay', internal: true });
    for (const name of CORE) if (name !== 'nginx') expect(services[name].ports).toBeUndefined();
    expect(services.nginx.ports.length).toBeGreaterThan(0);
    expect(Object.keys(stack.volumes).sort()).toEqual(['mysql-data', 'redis-data']);
  });

  const docker = spawnSync('docker', ['--version']).status === 0;
  (docker ? test : test.skip)('valid for `docker stack config` (client-side schema check)', () => {
    const res = spawnSync('docker', ['stack', 'config', '-c', join(ROOT, 'docker-stack.yml')], {
      env: { ...process.env, IMAGE_TAG: 'test', WEB_IMAGE_TAG: 'web-test' },
      encoding: 'utf8',
    });
    if (res.status !== 0) throw new Error(res.stderr);
    expect(res.stdout).toContain('start-first');
    // Interpolation as Swarm does it (a `-` inside a `:?` message once garbled the web image).
    expect(res.stdout).toContain('image: meeple-queue-web:web-test\n');
    expect(res.stdout).toContain('image: meeple-queue:test\n');
  });
});

/**
 * Redis with a password, for real: the redis service's command from each file runs a real
 * redis-server here (as its container would, with the image's entrypoint and the container's
 * port replaced by stand-ins), then its healthcheck and the app's own configuration are tried
 * against it.
 */
describe('Redis requires a password (compose and stack)', () => {
  const PASSWORD = randomBytes(16).toString('hex');
  let work: string;
  let secretFile: string;

  beforeAll(() => {
    for (const bin of ['redis-server', 'redis-cli']) {
      if (spawnSync(bin, ['--version']).status !== 0) throw new Error(`${bin} is missing: apt-get install -y redis-server`);
    }
    work = mkdtempSync(join(tmpdir(), 'mq-redis-auth-'));
    secretFile = join(work, 'meeple_redis_password');
    writeFileSync(secretFile, PASSWORD);
    // Stand-ins: the redis image's entrypoint (it only drops to the redis user; this one also
    // notes the command line it is given) and a redis-cli that reaches this test's server
    // instead of the container's own port 6379.
    const bin = join(work, 'bin');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'docker-entrypoint.sh'),
      '#!/bin/sh\nprintf "%s\\n" "$@" > "$TEST_REDIS_DIR/argv"\nexec "$@" --port "$TEST_REDIS_PORT" --bind 127.0.0.1 --dir "$TEST_REDIS_DIR"\n',
      { mode: 0o755 },
    );
    writeFileSync(join(bin, 'redis-cli'), `#!/bin/sh\nexec ${REDIS_CLI} -p "$TEST_REDIS_PORT" "$@"\n`, { mode: 0o755 });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** A service's `sh -c` script or healthcheck as its container runs it (compose's `$$` is `$`). */
  function asInContainer(script: string, secret = secretFile): string {
    return script.replaceAll('$$', '$').replaceAll('/run/secrets/meeple_redis_password', secret);
  }

  async function startRedis(service: Obj, env: Record<string, string>) {
    expect(service.command.slice(0, 2)).toEqual(['sh', '-c']);
    const port = await freePort();
    const dir = mkdtempSync(join(work, 'data-'));
    const containerEnv = { ...env, PATH: `${join(work, 'bin')}:${process.env.PATH}`, TEST_REDIS_PORT: String(port), TEST_REDIS_DIR: dir };
    const proc = spawn('sh', ['-c', asInContainer(service.command[2])], { env: containerEnv, stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!(await canConnect(port))) {
      if (proc.exitCode !== null || Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`redis-server did not start (exit ${proc.exitCode})`);
      }
      await sleep(100);
    }
    /** The healthcheck's exit code when its container's variable or secret holds `password`. */
    const healthcheck = (password: string) => {
      const [kind, script] = service.healthcheck.test as string[];
      expect(kind).toBe('CMD-SHELL');
      const secret = join(dir, 'healthcheck-secret');
      writeFileSync(secret, password);
      return spawnSync('sh', ['-c', asInContainer(script!, secret)], { env: { ...containerEnv, REDIS_PASSWORD: password } }).status;
    };
    const stop = async () => {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      await exited;
    };
    return { port, healthcheck, stop, argv: () => readFileSync(join(dir, 'argv'), 'utf8') };
  }

  async function pingAs(config: Record<string, string>): Promise<string> {
    const redis = new Redis(loadConfig(config).redis.url, { lazyConnect: true, enableReadyCheck: false, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      return await redis.ping();
    } catch (err) {
      return (err as Error).message;
    } finally {
      redis.disconnect();
    }
  }

  test.each([
    ['docker-compose.yml', () => compose, { REDIS_PASSWORD: PASSWORD }],
    ['docker-stack.yml', () => stack, {}],
  ])('%s: redis-server refuses clients without the password; the healthcheck and the app use it', async (_file, doc, env) => {
    const redis = await startRedis(doc().services.redis, env);
    try {
      // The configuration comes on stdin (`-`); the password is not on the command line, which
      // `ps` on the host shows.
      expect(redis.argv()).toMatch(/^redis-server\n-\n--appendonly\nyes\n/);
      expect(redis.argv()).not.toContain(PASSWORD);
      expect(spawnSync(REDIS_CLI, ['-p', String(redis.port), 'ping'], { encoding: 'utf8' }).stdout).toMatch(/NOAUTH/);
      expect(redis.healthcheck(PASSWORD)).toBe(0);
      expect(redis.healthcheck('wrong')).not.toBe(0);
      const url = `redis://127.0.0.1:${redis.port}`;
      expect(await pingAs({ REDIS_URL: url, REDIS_PASSWORD: PASSWORD })).toBe('PONG');
      expect(await pingAs({ REDIS_URL: url })).toMatch(/NOAUTH/);
    } finally {
      await redis.stop();
    }
  });

  test('compose: the password is required (compose stops with a message if unset), the same variable for Redis and the app', () => {
    const services = coreServices(compose);
    expect(envOf(services.redis).REDIS_PASSWORD).toMatch(/^\$\{REDIS_PASSWORD:\?[^}]+\}$/);
    expect(envOf(services.app).REDIS_PASSWORD).toBe(envOf(services.redis).REDIS_PASSWORD);
    expect(envOf(services.app).REDIS_URL).toBe('redis://redis:6379');
    expect(services.redis.command[2]).toMatch(/requirepass \$\$REDIS_PASSWORD/);
  });

  test('stack: the password is a Swarm secret, read by Redis and (REDIS_PASSWORD_FILE) by the app', () => {
    const services = stack.services as Obj;
    expect(services.redis.secrets).toContain('meeple_redis_password');
    expect(services.app.secrets).toContain('meeple_redis_password');
    expect(envOf(services.app).REDIS_PASSWORD_FILE).toBe('/run/secrets/meeple_redis_password');
    expect(stack.secrets.meeple_redis_password).toEqual({ external: true });
  });
});
