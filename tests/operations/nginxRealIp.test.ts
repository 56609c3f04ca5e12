/**
 * Client addresses through Swarm: the stack publishes Nginx in host mode (the ingress routing
 * mesh would replace every client's address with its own), and Nginx believes X-Forwarded-For
 * only from the trusted hops listed in NGINX_REAL_IP_FROM.
 *
 * Real nginx with the project's config; each request leaves from a chosen loopback address
 * (127.0.0.0/8 all reaches this machine), so "a trusted load balancer" and "a client on the
 * internet" are two real TCP peers. Behind Nginx a loopback HTTP server records the headers
 * the app would receive (X-Real-IP, X-Forwarded-For), and Nginx's JSON access log shows the
 * address its limits and logs use.
 */
import { rmSync, readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'yaml';
import { assertNginxInstalled, cleanupNginx, makeStaticFixture, renderNginx, REPO_ROOT, startNginx, type RenderedNginx, type RunningNginx } from '../helpers/nginx';
import { freePort } from '../helpers/appProcess';
import { requestFrom } from '../helpers/http';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TRUSTED_HOP = '127.0.8.1'; // a load balancer in front of Nginx
const UNTRUSTED = '127.0.8.2'; // a client connecting directly

describe('docker-stack.yml: Nginx keeps client addresses', () => {
  const stack = parse(readFileSync(join(REPO_ROOT, 'docker-stack.yml'), 'utf8'), { merge: true }) as Obj;
  const compose = parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as Obj;
  const nginx = stack.services.nginx as Obj;

  test('published in host mode (never the ingress routing mesh), one task per edge node, stop-first', () => {
    expect(nginx.ports.length).toBeGreaterThan(0);
    for (const port of nginx.ports as Obj[]) expect(port).toMatchObject({ mode: 'host', protocol: 'tcp' });
    expect(nginx.deploy.mode).toBe('global');
    expect(nginx.deploy.update_config.order).toBe('stop-first');
    expect(nginx.deploy.rollback_config.order).toBe('stop-first');
  });

  test('trusted hops come from NGINX_REAL_IP_FROM (empty by default) in the stack and compose', () => {
    for (const doc of [stack, compose]) expect(doc.services.nginx.environment.NGINX_REAL_IP_FROM).toBe('${NGINX_REAL_IP_FROM:-}');
    const template = readFileSync(join(REPO_ROOT, 'nginx', 'templates', 'meeple.conf.template'), 'utf8');
    expect(template).toMatch(/^real_ip_header X-Forwarded-For;$/m);
    expect(template).toMatch(/^real_ip_recursive on;$/m);
    // Never a blanket range in the config itself: only what the operator lists.
    expect(template).not.toMatch(/^\s*set_real_ip_from/m);
  });
});

describe('nginx real client address (real nginx, trusted and untrusted peers)', () => {
  let staticRoot: string;
  let rendered: RenderedNginx;
  let nginx: RunningNginx;
  let upstream: Server;
  let base: string;
  const seen: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    assertNginxInstalled();
    staticRoot = makeStaticFixture();
    const upstreamPort = await freePort();
    upstream = createServer((req, res) => {
      seen.push(req.headers);
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => upstream.listen(upstreamPort, '127.0.0.1', resolve));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    rendered = renderNginx({ port, staticRoot, upstreams: [`127.0.0.1:${upstreamPort}`], realIpFrom: [TRUSTED_HOP] });
    nginx = await startNginx(rendered, port);
  });

  afterAll(async () => {
    await nginx?.stop();
    await new Promise((resolve) => upstream?.close(resolve));
    if (rendered) cleanupNginx(rendered);
    if (staticRoot) rmSync(staticRoot, { recursive: true, force: true });
  });

  async function send(from: string, forwardedFor: string, tag: string) {
    seen.length = 0;
    const res = await requestFrom(from, `${base}/api/board?probe=${tag}`, { headers: { 'x-forwarded-for': forwardedFor } });
    expect(res.status).toBe(200);
    // Nginx writes the access-log line as the request ends, which may be just after the reply.
    const findLine = () => nginx.accessLog().find((l) => String(l.uri).endsWith(`probe=${tag}`));
    for (let i = 0; i < 50 && !findLine(); i++) await sleep(20);
    return { logged: findLine()?.remote_addr, app: seen[0]! };
  }

  test('from a trusted hop, the client address is the one it forwarded', async () => {
    const { logged, app } = await send(TRUSTED_HOP, '203.0.113.7', 'trusted');
    expect(logged).toBe('203.0.113.7');
    expect(app['x-real-ip']).toBe('203.0.113.7');
    // The app trusts one hop (TRUST_PROXY=1): the rightmost entry, the real client.
    expect(String(app['x-forwarded-for']).split(', ').pop()).toBe('203.0.113.7');
  });

  test('from a trusted hop, a client cannot put a fake address in front (rightmost untrusted wins)', async () => {
    const { logged, app } = await send(TRUSTED_HOP, '198.51.100.99, 203.0.113.8', 'spoof-behind-lb');
    expect(logged).toBe('203.0.113.8');
    expect(app['x-real-ip']).toBe('203.0.113.8');
    expect(String(app['x-forwarded-for']).split(', ').pop()).toBe('203.0.113.8');
  });

  test('from an untrusted peer, X-Forwarded-For is ignored: the client is the connecting address', async () => {
    const { logged, app } = await send(UNTRUSTED, '203.0.113.9', 'untrusted');
    expect(logged).toBe(UNTRUSTED);
    expect(app['x-real-ip']).toBe(UNTRUSTED);
    expect(String(app['x-forwarded-for']).split(', ').pop()).toBe(UNTRUSTED);
  });
});
