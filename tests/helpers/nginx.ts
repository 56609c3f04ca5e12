/**
 * Runs the project's real Nginx configuration (nginx/) outside a container: the templates are
 * rendered the way the nginx image's entrypoint does (envsubst of the variables that are set),
 * into a temporary prefix, and /usr/sbin/nginx runs in the foreground with its own pid file.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from 'node:net';

export const NGINX_BIN = process.env.NGINX_BIN ?? '/usr/sbin/nginx';
export const REPO_ROOT = join(__dirname, '..', '..');
export const NGINX_DIR = join(REPO_ROOT, 'nginx');

export function assertNginxInstalled(): void {
  if (!existsSync(NGINX_BIN)) {
    throw new Error(
      `${NGINX_BIN} is missing: these tests run the real Nginx. Install it with ` +
        '`apt-get install -y nginx-light` (Debian/Ubuntu; `nginx` or `nginx-full` work too), ' +
        'or point NGINX_BIN at an nginx binary.',
    );
  }
}

/** envsubst as the nginx image applies it: only ${VAR} for variables that are defined. */
export function renderTemplate(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? vars[name]! : whole,
  );
}

export interface RenderOptions {
  port: number;
  upstreams: string[]; // host:port
  staticRoot: string;
  /** With TLS on, as NGINX_TLS=true: HTTPS serves the app, port `port` only redirects. */
  tlsPort?: number;
  certDir?: string;
  /** Let's Encrypt's webroot (NGINX_ACME_ROOT), served on port `port` when TLS is on. */
  acmeRoot?: string;
  /** Trusted hops in front of Nginx (NGINX_REAL_IP_FROM, one set_real_ip_from each). */
  realIpFrom?: string[];
}

export interface RenderedNginx {
  prefix: string;
  confFile: string;
  pidFile: string;
}

export function renderNginx(opts: RenderOptions): RenderedNginx {
  const prefix = mkdtempSync(join(tmpdir(), 'mq-nginx-'));
  chmodSync(prefix, 0o755); // workers run as an unprivileged user and read the config dir
  const conf = join(prefix, 'conf');
  mkdirSync(join(conf, 'conf.d'), { recursive: true });
  cpSync(join(NGINX_DIR, 'nginx.conf'), join(conf, 'nginx.conf'));
  cpSync(join(NGINX_DIR, 'snippets'), join(conf, 'snippets'), { recursive: true });
  cpSync('/etc/nginx/mime.types', join(conf, 'mime.types'));
  const vars: Record<string, string> = {
    NGINX_PORT: `127.0.0.1:${opts.port}`,
    NGINX_SERVER_NAME: '_',
    NGINX_STATIC_ROOT: opts.staticRoot,
    NGINX_RESOLVER: '127.0.0.1',
    NGINX_UPSTREAM_SERVERS: opts.upstreams.map((u) => `server ${u} max_fails=1 fail_timeout=2s;`).join(' '),
    NGINX_TLS_PORT: `127.0.0.1:${opts.tlsPort ?? 0}`,
    NGINX_ACME_ROOT: opts.acmeRoot ?? join(prefix, 'acme'),
    NGINX_REAL_IP_FROM: (opts.realIpFrom ?? []).map((a) => `set_real_ip_from ${a};`).join(' '),
  };
  const templates = new Map(
    readdirSync(join(NGINX_DIR, 'templates'))
      .filter((f) => f.endsWith('.template'))
      .map((f) => [f, join(NGINX_DIR, 'templates', f)]),
  );
  if (opts.tlsPort) {
    // What the image's hook (docker-entrypoint.d/15-meeple-tls.sh) does with NGINX_TLS=true.
    templates.set('tls.conf.template', join(NGINX_DIR, 'optional', 'tls.conf.template'));
    templates.set('http.conf.template', join(NGINX_DIR, 'optional', 'http-redirect.conf.template'));
  }
  for (const [t, source] of templates) {
    let out = renderTemplate(readFileSync(source, 'utf8'), vars);
    if (opts.certDir) out = out.replaceAll('/etc/nginx/certs/', `${opts.certDir}/`);
    const leftover = out.match(/\$\{[A-Za-z_]+\}/);
    if (leftover) throw new Error(`template ${t} uses ${leftover[0]}, which the test does not set`);
    writeFileSync(join(conf, 'conf.d', t.replace(/\.template$/, '')), out);
  }
  return { prefix, confFile: join(conf, 'nginx.conf'), pidFile: join(prefix, 'nginx.pid') };
}

function baseArgs(r: RenderedNginx): string[] {
  return ['-p', r.prefix, '-c', r.confFile, '-e', 'stderr'];
}

export function nginxTest(r: RenderedNginx): { ok: boolean; output: string } {
  // stdout/stderr as a plain file: nginx reopens /dev/stderr, which fails on a socket pipe.
  const file = join(r.prefix, 'nginx-t.log');
  const fd = openSync(file, 'w');
  const res = spawnSync(NGINX_BIN, [...baseArgs(r), '-t', '-g', `pid ${r.pidFile};`], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  return { ok: res.status === 0, output: readFileSync(file, 'utf8') };
}

export interface RunningNginx {
  proc: ChildProcess;
  /** JSON access-log lines written so far. */
  accessLog: () => Record<string, unknown>[];
  stderr: () => string;
  stop: () => Promise<void>;
}

export interface StartNginxOptions {
  /**
   * /etc/hosts as this nginx sees it (e.g. one name on two addresses, as Docker's DNS answers
   * for a service with two replicas). nginx runs in a private mount namespace (`unshare -m`,
   * needs root) with this file bind-mounted over /etc/hosts; the machine's file is untouched.
   */
  hosts?: string;
}

export async function startNginx(r: RenderedNginx, port: number, options: StartNginxOptions = {}): Promise<RunningNginx> {
  // nginx.conf logs to /dev/stdout and /dev/stderr (containers). Those cannot be reopened when
  // they are Node's socket pipes, so give nginx plain files.
  const outFile = join(r.prefix, 'stdout.log');
  const errFile = join(r.prefix, 'stderr.log');
  const outFd = openSync(outFile, 'a');
  const errFd = openSync(errFile, 'a');
  const nginxArgs = [...baseArgs(r), '-g', `daemon off; pid ${r.pidFile};`];
  let command = NGINX_BIN;
  let args = nginxArgs;
  if (options.hosts !== undefined) {
    const hostsFile = join(r.prefix, 'hosts');
    writeFileSync(hostsFile, options.hosts);
    chmodSync(hostsFile, 0o644);
    // unshare and sh both exec: the process we hold is nginx's master itself.
    command = 'unshare';
    args = ['--mount', '--propagation', 'private', 'sh', '-c', 'mount --bind "$0" /etc/hosts && exec "$@"', hostsFile, NGINX_BIN, ...nginxArgs];
  }
  const proc = spawn(command, args, {
    stdio: ['ignore', outFd, errFd],
  });
  closeSync(outFd);
  closeSync(errFd);
  const err = () => readFileSync(errFile, 'utf8');
  const deadline = Date.now() + 10_000;
  while (!(await canConnect(port))) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`nginx did not start (exit ${proc.exitCode}):\n${err()}`);
    }
    await sleep(50);
  }
  return {
    proc,
    accessLog: () =>
      readFileSync(outFile, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    stderr: err,
    stop: async () => {
      if (proc.exitCode !== null) return;
      const exited = new Promise((res) => proc.once('exit', res));
      proc.kill('SIGQUIT'); // graceful: finish open requests
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

export function cleanupNginx(r: RenderedNginx): void {
  rmSync(r.prefix, { recursive: true, force: true });
}

export function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.setTimeout(1000, () => {
      s.destroy();
      resolve(false);
    });
  });
}

/** A static root standing in for dist/client: an index.html and a hashed asset big enough to gzip. */
export function makeStaticFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mq-static-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><head><meta name="mq-fixture" content="spa-shell">' +
      '<script type="module" src="/assets/index-Dx4fK2aB.js"></script></head><body><div id="app"></div></body></html>\n',
  );
  writeFileSync(join(dir, 'assets', 'index-Dx4fK2aB.js'), 'console.log("meeple queue fixture bundle");\n'.repeat(200));
  spawnSync('chmod', ['-R', 'a+rX', dir]);
  return dir;
}
