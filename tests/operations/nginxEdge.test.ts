/**
 * The public edge, with the project's real Nginx config (nginx/): flood limits per client
 * address (limit_req / limit_conn, refused with the API's JSON error), /metrics never served,
 * and with TLS on, port 80 only redirecting to HTTPS.
 *
 * The replicas behind Nginx are down here (a request Nginx lets through is answered 502) or
 * hang (to hold connections open); nginx.test.ts runs the same config in front of real app
 * instances. Each client comes from its own loopback address (tests/helpers/http.ts), so each is a
 * network of its own to Nginx.
 *
 * Needs /usr/sbin/nginx (apt-get install -y nginx-light) and openssl.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  assertNginxInstalled,
  cleanupNginx,
  makeStaticFixture,
  NGINX_DIR,
  nginxTest,
  renderNginx,
  startNginx,
  type RenderedNginx,
  type RunningNginx,
} from '../helpers/nginx';
import { freePort } from '../helpers/appProcess';
import { newClientAddress, requestFrom, type Reply, type RequestOptions } from '../helpers/http';

jest.setTimeout(60_000);

interface Edge {
  base: string;
  port: number;
  nginx: RunningNginx;
  rendered: RenderedNginx;
}

async function startEdge(upstreams: string[], staticRoot: string, tls?: { certDir: string; acmeRoot: string }): Promise<Edge & { tlsPort?: number }> {
  assertNginxInstalled();
  const port = await freePort();
  const tlsPort = tls ? await freePort() : undefined;
  const rendered = renderNginx({ port, staticRoot, upstreams, tlsPort, ...tls });
  const nginx = await startNginx(rendered, port);
  return { base: `http://127.0.0.1:${port}`, port, tlsPort, nginx, rendered };
}

async function stopEdge(edge: Edge | undefined) {
  await edge?.nginx.stop();
  if (edge) cleanupNginx(edge.rendered);
}

/** `count` requests at once from one client address. */
function burst(count: number, address: string, url: string, options?: RequestOptions): Promise<Reply[]> {
  return Promise.all(Array.from({ length: count }, () => requestFrom(address, url, options)));
}

const countOf = (replies: Reply[], status: number) => replies.filter((r) => r.status === status).length;

/** Nginx's own refusal: the API's error shape, JSON, with Retry-After. */
function expectEdgeRefusal(reply: Reply) {
  expect(reply.status).toBe(429);
  expect(reply.headers['content-type']).toBe('application/json');
  expect(reply.headers['retry-after']).toBe('5');
  expect(JSON.parse(reply.text)).toEqual({
    error: { code: 'rate_limited', message: expect.stringMatching(/Too many requests/), params: {}, details: [] },
  });
}

/**
 * A flood of `count` at once from one address: the first `burst` + 1 pass to the (down)
 * replicas, Nginx answers 502 for each; the rest are refused; nothing else happens.
 */
async function expectFloodCut(base: string, path: string, count: number, burstSize: number, options?: RequestOptions) {
  const replies = await burst(count, newClientAddress(), `${base}${path}`, options);
  expect(countOf(replies, 502) + countOf(replies, 429)).toBe(count);
  expect(countOf(replies, 502)).toBeGreaterThanOrEqual(burstSize + 1);
  expect(countOf(replies, 429)).toBeGreaterThan(0);
  expectEdgeRefusal(replies.find((r) => r.status === 429)!);
}

/** A GET with the path exactly as written (no URL normalisation on the client's side). */
function rawGet(port: number, path: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    }).on('error', reject);
  });
}

const JOIN = { method: 'POST', body: JSON.stringify({ customerName: 'Flood' }) };

describe('flood limits per client address (replicas down: what passes is a 502)', () => {
  let edge: Edge;
  let staticRoot: string;

  beforeAll(async () => {
    staticRoot = makeStaticFixture();
    edge = await startEdge([`127.0.0.1:${await freePort()}`, `127.0.0.1:${await freePort()}`], staticRoot);
  });
  afterAll(async () => {
    await stopEdge(edge);
    rmSync(staticRoot, { recursive: true, force: true });
  });

  test('the rendered config passes nginx -t', () => {
    const res = nginxTest(edge.rendered);
    if (!res.ok) throw new Error(`nginx -t failed:\n${res.output}`);
  });

  test('joins: 80 at once from one address pass, a flood past that is cut with 429 JSON', async () => {
    await expectFloodCut(edge.base, '/api/games/7/reservations', 200, 80, JOIN);
  });

  test('sign-in: 30 at once pass, a flood past that is cut', async () => {
    await expectFloodCut(edge.base, '/api/auth/login', 100, 30, { method: 'POST', body: '{"username":"a","password":"b"}' });
  });

  test('ticket reads: 80 at once pass, a flood past that is cut', async () => {
    await expectFloodCut(edge.base, '/api/tickets/AB12', 200, 80);
  });

  test('board and games list: 200 at once pass, a flood past that is cut', async () => {
    await expectFloodCut(edge.base, '/api/board', 250, 200);
    await expectFloodCut(edge.base, '/api/games', 250, 200);
  });

  test('Socket.IO handshakes: 100 at once pass, a flood past that is cut; requests of open sessions are not counted', async () => {
    await expectFloodCut(edge.base, '/socket.io/?EIO=4&transport=polling', 200, 100);
    const open = await burst(200, newClientAddress(), `${edge.base}/socket.io/?EIO=4&transport=polling&sid=abc`);
    expect(countOf(open, 502)).toBe(200);
  });

  test('each address and each route has its own allowance', async () => {
    const cafe = newClientAddress();
    const flood = await burst(200, cafe, `${edge.base}/api/games/7/reservations`, JOIN);
    expect(countOf(flood, 429)).toBeGreaterThan(0);
    // Same address, other routes: untouched by the join flood.
    expect((await requestFrom(cafe, `${edge.base}/api/board`)).status).toBe(502);
    expect((await requestFrom(cafe, `${edge.base}/api/tickets/AB12`)).status).toBe(502);
    expect((await requestFrom(cafe, `${edge.base}/api/games/7/reservations`, { method: 'GET' })).status).toBe(502);
    // Another address joins.
    expect((await requestFrom(newClientAddress(), `${edge.base}/api/games/7/reservations`, JOIN)).status).toBe(502);
  });

  test('the pages themselves are not rate-limited: 200 page loads at once from one address', async () => {
    const pages = await burst(200, newClientAddress(), `${edge.base}/join`);
    expect(countOf(pages, 200)).toBe(200);
  });

  test.each(['/metrics', '/METRICS', '/metrics/', '//metrics', '/%6detrics', '/metrics?format=json', '/api/../metrics'])(
    '%s is not served: 404 JSON, never proxied to the app',
    async (path) => {
      const before = edge.nginx.accessLog().length;
      const res = await rawGet(edge.port, path);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toBe('application/json');
      expect(JSON.parse(res.text)).toEqual({ error: { code: 'not_found', message: expect.any(String), params: {}, details: [] } });
      // Nginx writes the log line once the answer has gone out: the client may read it first.
      let logged = edge.nginx.accessLog().slice(before);
      for (let tries = 0; logged.length === 0 && tries < 40; tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        logged = edge.nginx.accessLog().slice(before);
      }
      expect(logged.length).toBeGreaterThan(0);
      for (const line of logged) expect(line.upstream_addr).toBe('');
    },
  );
});

describe('connections in progress per client address (limit_conn)', () => {
  let edge: Edge;
  let staticRoot: string;
  let hanging: Server;
  const held: Socket[] = [];

  beforeAll(async () => {
    // A replica that accepts and never answers, so every request Nginx lets through stays open.
    hanging = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    staticRoot = makeStaticFixture();
    edge = await startEdge([`127.0.0.1:${(hanging.address() as { port: number }).port}`], staticRoot);
  });
  afterAll(async () => {
    for (const s of held) s.destroy();
    await new Promise((resolve) => hanging.close(resolve));
    await stopEdge(edge);
    rmSync(staticRoot, { recursive: true, force: true });
  });

  test('256 requests in progress at once from one address; the 257th and on get 429 JSON; another address still gets through', async () => {
    const abort = new AbortController();
    const address = newClientAddress();
    // Requests of open Socket.IO sessions: no request-rate limit applies, only limit_conn.
    const url = `${edge.base}/socket.io/?EIO=4&transport=polling&sid=held`;
    const replies = Array.from({ length: 300 }, () => requestFrom(address, url, { signal: abort.signal }).catch(() => undefined));
    const deadline = Date.now() + 30_000;
    while (held.length < 256) {
      if (Date.now() > deadline) throw new Error(`only ${held.length} requests reached the replica`);
      await sleep(50);
    }
    const other = requestFrom(newClientAddress(), url, { signal: abort.signal }).catch(() => undefined);
    const deadline2 = Date.now() + 30_000;
    while (held.length < 257) {
      if (Date.now() > deadline2) throw new Error('a request from another address did not reach the replica');
      await sleep(50);
    }
    abort.abort();
    const answered = (await Promise.all(replies)).filter((r): r is Reply => r !== undefined);
    await other;
    expect(answered).toHaveLength(44);
    for (const reply of answered) expectEdgeRefusal(reply);
    expect(held).toHaveLength(257);
  });
});

describe('with TLS on (NGINX_TLS=true)', () => {
  let edge: Edge & { tlsPort?: number };
  let staticRoot: string;
  let certDir: string;
  let acmeRoot: string;

  beforeAll(async () => {
    staticRoot = makeStaticFixture();
    certDir = mkdtempSync(join(tmpdir(), 'mq-certs-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-keyout', join(certDir, 'privkey.pem'), '-out', join(certDir, 'fullchain.pem'),
    ], { stdio: 'ignore' });
    acmeRoot = mkdtempSync(join(tmpdir(), 'mq-acme-'));
    mkdirSync(join(acmeRoot, '.well-known', 'acme-challenge'), { recursive: true });
    writeFileSync(join(acmeRoot, '.well-known', 'acme-challenge', 'token-123'), 'token-123.key-authorization');
    spawnSync('chmod', ['-R', 'a+rX', acmeRoot]);
    edge = await startEdge([`127.0.0.1:${await freePort()}`], staticRoot, { certDir, acmeRoot });
  });
  afterAll(async () => {
    await stopEdge(edge);
    for (const dir of [staticRoot, certDir, acmeRoot]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function https(path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest({ host: '127.0.0.1', port: edge.tlsPort, path, rejectUnauthorized: false }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  test('the rendered config (redirecting HTTP server + HTTPS server) passes nginx -t', () => {
    const res = nginxTest(edge.rendered);
    if (!res.ok) throw new Error(`nginx -t failed:\n${res.output}`);
    expect(res.output).toContain('syntax is ok');
  });

  test('HTTPS serves the app with HSTS', async () => {
    const res = await https('/board');
    expect(res.status).toBe(200);
    expect(res.body).toContain('spa-shell');
    expect(String(res.headers['strict-transport-security'])).toContain('max-age=31536000');
  });

  test.each([
    ['GET', '/board', undefined],
    ['GET', '/t/AB12?from=sms', undefined],
    ['GET', '/api/board', undefined],
    ['GET', '/staff', undefined],
    ['POST', '/api/auth/login', '{"username":"admin","password":"secret"}'],
  ])('plain HTTP %s %s: only a 301 to the same URL on HTTPS, nothing from the app', async (method, path, body) => {
    const before = edge.nginx.accessLog().length;
    const res = await requestFrom('127.0.0.1', `${edge.base}${path}`, { method, body });
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe(`https://127.0.0.1${path}`);
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.text).not.toContain('spa-shell');
    for (const line of edge.nginx.accessLog().slice(before)) expect(line.upstream_addr).toBe('');
  });

  test('port 80 still answers Let\'s Encrypt challenges and Nginx\'s own liveness', async () => {
    const challenge = await requestFrom('127.0.0.1', `${edge.base}/.well-known/acme-challenge/token-123`);
    expect(challenge.status).toBe(200);
    expect(challenge.text).toBe('token-123.key-authorization');
    expect((await requestFrom('127.0.0.1', `${edge.base}/.well-known/acme-challenge/missing`)).status).toBe(404);
    expect((await requestFrom('127.0.0.1', `${edge.base}/healthz`)).status).toBe(200);
  });

  test('/metrics is not served over HTTPS either', async () => {
    const res = await https('/metrics');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).error.code).toBe('not_found');
  });
});

describe('the image\'s TLS hook (docker-entrypoint.d/15-meeple-tls.sh)', () => {
  /** Runs the hook on a copy of /etc/nginx as the web image lays it out. */
  function runHook(env: Record<string, string>, withCerts = true) {
    const etc = mkdtempSync(join(tmpdir(), 'mq-etc-nginx-'));
    cpSync(join(NGINX_DIR, 'templates'), join(etc, 'templates'), { recursive: true });
    cpSync(join(NGINX_DIR, 'optional'), join(etc, 'optional'), { recursive: true });
    mkdirSync(join(etc, 'certs'));
    if (withCerts) for (const f of ['fullchain.pem', 'privkey.pem']) writeFileSync(join(etc, 'certs', f), 'pem');
    const hook = readFileSync(join(NGINX_DIR, 'docker-entrypoint.d', '15-meeple-tls.sh'), 'utf8').replaceAll('/etc/nginx', etc);
    const res = spawnSync('sh', ['-c', hook], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
    const template = (name: string) => {
      try {
        return readFileSync(join(etc, 'templates', name), 'utf8');
      } catch {
        return undefined;
      }
    };
    const result = { status: res.status, stderr: res.stderr, http: template('http.conf.template'), tls: template('tls.conf.template') };
    rmSync(etc, { recursive: true, force: true });
    return result;
  }
  const source = (dir: string, name: string) => readFileSync(join(NGINX_DIR, dir, name), 'utf8');

  test('NGINX_TLS=true: the HTTPS server is added and port 80 becomes the redirect', () => {
    const res = runHook({ NGINX_TLS: 'true' });
    expect(res.status).toBe(0);
    expect(res.tls).toBe(source('optional', 'tls.conf.template'));
    expect(res.http).toBe(source('optional', 'http-redirect.conf.template'));
  });

  test('NGINX_TLS unset or false: plain HTTP serves the app, no HTTPS server', () => {
    for (const env of [{}, { NGINX_TLS: 'false' }] as Array<Record<string, string>>) {
      const res = runHook(env);
      expect(res.status).toBe(0);
      expect(res.tls).toBeUndefined();
      expect(res.http).toBe(source('templates', 'http.conf.template'));
    }
  });

  test('NGINX_TLS=true without a certificate: the container stops with a clear message', () => {
    const res = runHook({ NGINX_TLS: 'true' }, false);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/fullchain\.pem is missing/);
  });
});
