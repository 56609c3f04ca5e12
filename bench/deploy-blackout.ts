/**
 * Failed requests during a compose-style deploy, as close as this machine gets without a
 * container engine: real nginx (the project's config) in front of two real app instances,
 * visitors making requests all the time and screens holding WebSockets.
 *
 *   1. app rollout, Nginx kept (what scripts/deploy.sh does now when nginx/ and client/ did not
 *      change): each app instance is stopped (SIGTERM, it drains) and started again, one after
 *      the other, 3 s apart (longer than the upstream fail_timeout).
 *   2. Nginx recreated (what every deploy did while the web image was tagged by commit): as
 *      `docker compose up` recreating a container: `docker stop` (SIGQUIT, the nginx image's
 *      stop signal; SIGKILL after the 10 s default timeout, since open WebSockets keep the
 *      workers draining), then a new Nginx starts on the same port.
 *
 * Prints the requests, failures and, for phase 2, how long nobody got an answer.
 *   npx tsx bench/deploy-blackout.ts
 * Needs /usr/sbin/nginx, MariaDB at 127.0.0.1:3306 and Redis at 127.0.0.1:6379.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { io, type Socket } from 'socket.io-client';
import { makeStaticFixture, renderNginx, startNginx, type RunningNginx } from '../tests/helpers/nginx';
import { createDatabase, freePort, newTestEnv, startApp, type AppInstance } from '../tests/helpers/appProcess';
import { newClientAddress, requestFrom } from '../tests/helpers/http';
import { tearDownEdge } from '../tests/helpers/edge';

const DOCKER_STOP_TIMEOUT_MS = 10_000;
const SCREENS = 10;

interface Phase {
  requests: number;
  failed: number;
  firstFailAt?: number;
  lastFailAt?: number;
}

async function main() {
  const env = newTestEnv('blackout');
  await createDatabase(env);
  const staticRoot = makeStaticFixture();
  const apps: AppInstance[] = [];
  const sockets: Socket[] = [];
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let rendered: ReturnType<typeof renderNginx> | undefined;
  let nginx: RunningNginx | undefined;
  try {
    apps.push(await startApp(env, await freePort()));
    apps.push(await startApp(env, await freePort()));
    rendered = renderNginx({ port, staticRoot, upstreams: apps.map((a) => `127.0.0.1:${a.port}`) });
    nginx = await startNginx(rendered, port);

    for (let i = 0; i < SCREENS; i++) sockets.push(io(`${base}/board`, { path: '/socket.io', transports: ['websocket'], reconnectionDelay: 200, reconnectionDelayMax: 1000 }));

    let phase: Phase = { requests: 0, failed: 0 };
    let running = true;
    const paths = ['/api/board', '/health', '/', '/api/games'];
    const visitor = async (n: number) => {
      const address = newClientAddress();
      for (let i = n; running; i++) {
        const current = phase;
        current.requests++;
        try {
          const res = await requestFrom(address, `${base}${paths[i % paths.length]}`, { signal: AbortSignal.timeout(10_000) });
          if (res.status !== 200) throw new Error(String(res.status));
        } catch {
          current.failed++;
          current.firstFailAt ??= Date.now();
          current.lastFailAt = Date.now();
          await sleep(50); // a refused connection fails at once: do not spin
        }
        await sleep(10);
      }
    };
    const load = [0, 1, 2, 3].map(visitor);
    await sleep(1500);

    // 1. App rollout behind the same Nginx.
    const rollout: Phase = (phase = { requests: 0, failed: 0 });
    for (let i = 0; i < apps.length; i++) {
      const old = apps[i]!;
      await old.stop(20_000);
      apps[i] = await startApp(env, old.port);
      await sleep(3000);
    }
    await sleep(1000);

    // 2. Nginx recreated, as compose does when its image tag changes.
    const recreate: Phase = (phase = { requests: 0, failed: 0 });
    await sleep(1000);
    const stopAt = Date.now();
    const old = nginx;
    const exited = new Promise((resolve) => old.proc.once('exit', resolve));
    old.proc.kill('SIGQUIT');
    const killer = setTimeout(() => old.proc.kill('SIGKILL'), DOCKER_STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(killer);
    const stoppedMs = Date.now() - stopAt;
    nginx = await startNginx(rendered, port);
    await sleep(3000);
    running = false;
    await Promise.all(load);

    const blackoutMs = recreate.firstFailAt && recreate.lastFailAt ? recreate.lastFailAt - recreate.firstFailAt : 0;
    console.log(`app rollout, Nginx kept:   ${rollout.requests} requests, ${rollout.failed} failed`);
    console.log(
      `Nginx recreated:           ${recreate.requests} requests, ${recreate.failed} failed; ` +
        `old Nginx took ${stoppedMs} ms to stop with ${SCREENS} WebSockets open, no answer for ${blackoutMs} ms`,
    );
  } finally {
    await tearDownEdge({ sockets, nginx, apps, rendered, staticRoot, env });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
