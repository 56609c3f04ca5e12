// Probes a running stack through its front door (Nginx); scripts/compose-up-for-real.sh runs it.
//
//   npx tsx scripts/compose-probe.ts board BASE_URL CLIENTS websocket|polling
//       opens CLIENTS /board sockets with that transport, runs scripts/smoke-test.sh BASE_URL
//       (staff login, new game, a customer joins; needs SMOKE_PASSWORD) and checks that every
//       socket receives a board snapshot with the joined code. Prints "BOARD OK ..." or exits 1.
//   npx tsx scripts/compose-probe.ts load BASE_URL STOP_FILE
//       GET /health and /api/board from 4 loops, each request on a new connection, until
//       STOP_FILE exists (10 minutes at most); any answer but 200, a refused connection or a
//       15 s timeout is a failure. Prints "LOAD requests=N failed=F ..." and exits 1 if F > 0.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { get } from 'node:http';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BoardGame } from '../server/board/board';
import { closeAllClients, codesIn, connect, type Snapshot } from '../tests/helpers/sockets';

const SMOKE_TEST = resolve(__dirname, 'smoke-test.sh');

/** Runs the smoke test (which joins a queue) and returns the reservation code it printed. */
function joinWithSmokeTest(base: string): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn('bash', [SMOKE_TEST, base], { env: { ...process.env, SMOKE_KEEP_GAME: 'true' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      process.stdout.write(chunk);
    });
    child.on('error', fail);
    child.on('exit', (code) => {
      const joined = /^SMOKE OK .* code=(\S+)$/m.exec(out)?.[1];
      if (code === 0 && joined) done(joined);
      else fail(new Error(`smoke test exited ${code} without a code`));
    });
  });
}

async function board(base: string, count: number, transport: 'websocket' | 'polling'): Promise<void> {
  const clients = Array.from({ length: count }, () => connect(base, '/board', { transports: [transport] }));
  try {
    const first = await Promise.allSettled(clients.map((c) => c.waitFor('snapshot', () => true, 15_000)));
    const connected = first.filter((r) => r.status === 'fulfilled').length;
    console.log(`board sockets (${transport}): ${connected} of ${count} connected and got their first snapshot`);
    const code = await joinWithSmokeTest(base);
    const updated = await Promise.allSettled(
      clients.map((c) => c.waitFor<Snapshot<BoardGame>>('snapshot', (s) => codesIn(s).has(code), 15_000)),
    );
    const live = updated.filter((r) => r.status === 'fulfilled').length;
    const failure = updated.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    console.log(`${live === count ? 'BOARD OK' : 'BOARD FAILED'} transport=${transport} clients=${count} live_update_with_${code}=${live}/${count}${failure ? ` first_error="${String(failure.reason)}"` : ''}`);
    if (live !== count) process.exitCode = 1;
  } finally {
    closeAllClients();
  }
}

/** One GET on a new connection: the status, or the error as text. */
function fetchOnce(url: string): Promise<number | string> {
  return new Promise((done) => {
    const req = get(url, { agent: false, timeout: 15_000 }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
      res.on('error', (e) => done(e.message));
    });
    req.on('timeout', () => req.destroy(new Error('timeout after 15 s')));
    req.on('error', (e) => done(e.message));
  });
}

async function load(base: string, stopFile: string): Promise<void> {
  const paths = ['/health', '/api/board', '/health'];
  const deadline = Date.now() + 10 * 60_000;
  const outcomes = new Map<string, number>();
  const failures: string[] = [];
  let requests = 0;
  const started = Date.now();
  const loop = async (n: number) => {
    for (let i = n; !existsSync(stopFile) && Date.now() < deadline; i++) {
      const path = paths[i % paths.length]!;
      const outcome = await fetchOnce(`${base}${path}`);
      requests++;
      outcomes.set(String(outcome), (outcomes.get(String(outcome)) ?? 0) + 1);
      if (outcome !== 200) failures.push(`${((Date.now() - started) / 1000).toFixed(1)}s ${path} ${outcome}`);
      await sleep(25);
    }
  };
  await Promise.all([0, 1, 2, 3].map(loop));
  for (const f of failures.slice(0, 20)) console.log(`  failed: ${f}`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`LOAD requests=${requests} failed=${failures.length} seconds=${seconds} outcomes=${JSON.stringify(Object.fromEntries(outcomes))}`);
  if (failures.length > 0) process.exitCode = 1;
}

async function main(): Promise<void> {
  const [mode, base, arg3, arg4] = process.argv.slice(2);
  if (mode === 'board' && base) return board(base, Number(arg3 ?? 1), arg4 === 'polling' ? 'polling' : 'websocket');
  if (mode === 'load' && base && arg3) return load(base, arg3);
  console.error('usage: compose-probe.ts board BASE_URL CLIENTS websocket|polling | load BASE_URL STOP_FILE');
  process.exitCode = 2;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
