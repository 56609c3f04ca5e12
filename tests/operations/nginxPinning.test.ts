/**
 * Socket.IO long-polling pinned to one replica when ONE upstream host name resolves to several
 * addresses, as `server app:3000 resolve` does in compose and Swarm (Docker's DNS answers `app`
 * with every replica's address).
 *
 * Real nginx, real app instances on 127.0.0.2:P and 127.0.0.3:P, and one upstream line
 * `server meeple-app.test:P` where that name resolves to both addresses through a hosts file
 * (nginx runs in a private mount namespace with the file over /etc/hosts). Every peer nginx
 * makes from that line carries the same server name; `hash … consistent` places its points by
 * that name, so it cannot tell the replicas apart and spreads one session's requests over them
 * ("Session ID unknown"). Plain `hash` indexes the resolved peers themselves.
 *
 * Debian's nginx (1.22) has no `resolve` parameter (open source nginx has it from 1.27.3, the
 * image runs 1.28): here the name is resolved when nginx starts, which builds the same peer
 * list, one name for every address. Needs root (unshare -m, mount --bind).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { io, type Socket } from 'socket.io-client';
import { assertNginxInstalled, makeStaticFixture, renderNginx, startNginx, type RenderedNginx, type RunningNginx } from '../helpers/nginx';
import { appExists, createDatabase, freePort, newTestEnv, startApp, type AppInstance, type TestEnv } from '../helpers/appProcess';
import { tearDownEdge } from '../helpers/edge';

jest.setTimeout(120_000);

const UPSTREAM_NAME = 'meeple-app.test';
const REPLICAS = ['127.0.0.2', '127.0.0.3'];
const CLIENTS = 50;

const describeApp = appExists() && process.getuid?.() === 0 ? describe : describe.skip;

describeApp('Socket.IO long-polling through nginx, one upstream name on two replicas', () => {
  let env: TestEnv;
  let staticRoot: string;
  let rendered: RenderedNginx;
  let nginx: RunningNginx;
  let base: string;
  let appPort: number;
  const apps: AppInstance[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    assertNginxInstalled();
    env = newTestEnv('pin');
    await createDatabase(env);
    staticRoot = makeStaticFixture();
    appPort = await freePort();
    // One after the other: the first runs the migrations.
    for (const host of REPLICAS) apps.push(await startApp(env, appPort, { host }));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    rendered = renderNginx({ port, staticRoot, upstreams: [`${UPSTREAM_NAME}:${appPort}`] });
    nginx = await startNginx(rendered, port, { hosts: REPLICAS.map((a) => `${a} ${UPSTREAM_NAME}\n`).join('') });
  }, 150_000);

  afterAll(() => tearDownEdge({ sockets, nginx, apps, rendered, staticRoot, env }), 60_000);

  test('the one upstream name reaches both replicas', async () => {
    for (let i = 0; i < 10; i++) expect((await fetch(`${base}/api/board`)).status).toBe(200);
    // Nginx writes each access-log line as its request ends, which may be just after the reply.
    const boardLines = () => nginx.accessLog().filter((l) => l.uri === '/api/board');
    for (let i = 0; i < 50 && boardLines().length < 10; i++) await sleep(20);
    const used = new Set(boardLines().map((l) => String(l.upstream_addr)));
    expect(used).toEqual(new Set(REPLICAS.map((a) => `${a}:${appPort}`)));
  });

  test(`${CLIENTS} of ${CLIENTS} polling-only clients complete the handshake and receive a live update`, async () => {
    const clients = Array.from({ length: CLIENTS }, () => {
      // Polling only (no WebSocket: a proxy that strips upgrades); withCredentials keeps the
      // mq_route cookie as a browser does. No reconnection: a lost session is a failure.
      const socket = io(`${base}/board`, { path: '/socket.io', transports: ['polling'], withCredentials: true, forceNew: true, reconnection: false, timeout: 10_000 });
      sockets.push(socket);
      const state = { titles: [] as string[][], errors: [] as string[] };
      socket.on('snapshot', (board: { games: Array<{ title: string }> }) => state.titles.push(board.games.map((g) => g.title)));
      socket.on('connect_error', (err) => state.errors.push(`connect_error: ${err.message}`));
      socket.on('disconnect', (reason) => state.errors.push(`disconnect: ${reason}`));
      return { socket, state };
    });
    const until = async (cond: () => boolean, ms: number) => {
      const deadline = Date.now() + ms;
      while (!cond() && Date.now() < deadline) await sleep(100);
    };
    await until(() => clients.every((c) => (c.socket.connected && c.state.titles.length > 0) || c.state.errors.length > 0), 30_000);
    // Let several long-poll cycles go by: an unpinned session fails on its next request.
    await sleep(3000);

    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: env.adminPassword }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const title = 'Pinned polling night';
    const created = await fetch(`${base}/api/games`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ title, copies: 2 }),
    });
    expect(created.status).toBe(201);
    await until(() => clients.every((c) => c.state.titles.some((t) => t.includes(title)) || c.state.errors.length > 0), 20_000);

    const handshaken = clients.filter((c) => c.socket.connected || c.state.titles.length > 0).length;
    const updated = clients.filter((c) => c.socket.connected && c.state.titles.some((t) => t.includes(title)) && c.state.errors.length === 0).length;
    const replicaOf = new Map<string, number>();
    for (const l of nginx.accessLog().filter((l) => String(l.uri).startsWith('/socket.io/'))) {
      const addr = String(l.upstream_addr);
      replicaOf.set(addr, (replicaOf.get(addr) ?? 0) + 1);
    }
    const sessionUnknown = nginx.accessLog().filter((l) => String(l.uri).startsWith('/socket.io/') && l.status === 400).length;
    console.log(
      `pinning: ${handshaken}/${CLIENTS} handshakes, ${updated}/${CLIENTS} live updates, ` +
        `${sessionUnknown} "session unknown" (400) answers; polling requests per replica ${JSON.stringify(Object.fromEntries(replicaOf))}`,
    );
    expect({ handshaken, updated, sessionUnknown }).toEqual({ handshaken: CLIENTS, updated: CLIENTS, sessionUnknown: 0 });
    expect(clients.flatMap((c) => c.state.errors)).toEqual([]);
    // Sessions were spread over both replicas, not all pinned to one.
    expect([...replicaOf.keys()].sort()).toEqual(REPLICAS.map((a) => `${a}:${appPort}`).sort());
  });
});
