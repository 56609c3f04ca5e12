/**
 * docker-compose.yml and docker-stack.yml, parsed and checked for what the deployment relies
 * on (this machine has no Docker engine, so they cannot be brought up here).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const load = (f: string): Obj => parse(readFileSync(join(ROOT, f), 'utf8'), { merge: true }) as Obj;
const compose = load('docker-compose.yml');
const stack = load('docker-stack.yml');
const CORE = ['app', 'mysql', 'redis', 'nginx'];
const SECRET_KEY = /(PASSWORD|SECRET|TOKEN|KEY)$/;

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
    // The app's healthcheck uses node (no curl in the slim image) on /health.
    expect(services.app.healthcheck.test.join(' ')).toMatch(/node .*\/health/);
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
    for (const k of ['SESSION_SECRET', 'ADMIN_PASSWORD', 'MYSQL_PASSWORD']) expect(appEnv[k]).toBeDefined();
    expect(envOf(services.mysql).MYSQL_ROOT_PASSWORD).toBeDefined();
    expect(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')).not.toMatch(/redis:\/\/[^@\s]*:[^@\s]+@/);
  });

  test('named volumes for MySQL data and Redis persistence (appendonly on)', () => {
    expect(Object.keys(compose.volumes).sort()).toEqual(['mysql-data', 'redis-data']);
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

describe('docker-stack.yml (Swarm)', () => {
  const services = stack.services as Obj;

  test('same four services, images tagged with IMAGE_TAG', () => {
    expect(Object.keys(services).sort()).toEqual([...CORE].sort());
    expect(services.app.image).toContain('${IMAGE_TAG:?');
    expect(services.nginx.image).toContain('${IMAGE_TAG:?');
  });

  test('app: ≥ 2 replicas, rolling update start-first, health-gated, automatic rollback', () => {
    const d = services.app.deploy;
    expect(d.replicas).toBeGreaterThanOrEqual(2);
    expect(d.update_config).toMatchObject({ order: 'start-first', failure_action: 'rollback', parallelism: 1 });
    expect(d.update_config.monitor).toMatch(/^\d+s$/);
    expect(d.rollback_config).toMatchObject({ order: 'start-first' });
    expect(services.app.healthcheck.test.join(' ')).toMatch(/\/health/);
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
      env: { ...process.env, IMAGE_TAG: 'test' },
      encoding: 'utf8',
    });
    if (res.status !== 0) throw new Error(res.stderr);
    expect(res.stdout).toContain('start-first');
  });
});
