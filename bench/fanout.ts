/**
 * Fan-out benchmark: how long until every /board screen shows a staff action, against a bare
 * Socket.IO broadcast of the same payload to the same clients.
 *
 *   npx tsx bench/fanout.ts            (needs MariaDB and Redis, like the tests)
 *
 * Processes: the app (its own process, for its RSS), a bare Socket.IO server, and the
 * websocket clients (separate processes). Latency of one client in one round = the Date.now()
 * at which that client got the first snapshot showing the change, minus the Date.now() just
 * before the parent started the action (the staff walk-in over HTTP for the app, the IPC
 * "emit" for the bare server). All on one machine, so the clocks are the same clock.
 */
import { fork, type ChildProcess, type ForkOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ADMIN, deleteRedisKeys, dropDatabase, uniqueName } from '../tests/helpers/testService';

const CASES = [50, 1000];
const CLIENTS_PER_PROCESS = 250;
const WARMUP_ROUNDS = 3;
const ROUNDS = 30;
const GAMES = 8;
const PARTIES_PER_GAME = 6;
/** Longer than the app's 50 ms tick, so every round is a lone change, not part of a burst. */
const PAUSE_MS = 150;
const ROUND_TIMEOUT_MS = 10_000;

interface Message {
  type: string;
  [key: string]: unknown;
}

const tsx: ForkOptions = { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] };
const here = (file: string) => path.join(__dirname, file);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The next IPC message of `type` from `child`, or a failure after `timeoutMs`. */
function nextMessage(child: ChildProcess, type: string, timeoutMs = 30_000): Promise<Message> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`no "${type}" from child ${child.pid} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: Message) => {
      if (message.type === 'error') process.stderr.write(`child ${child.pid}: ${String(message.message)}\n`);
      if (message.type !== type) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
  });
}

function vmRss(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') * 1024, hwm: kb('VmHWM') * 1024 };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

class Api {
  private cookie = '';
  constructor(readonly url: string) {}

  async signIn(): Promise<void> {
    const res = await fetch(`${this.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    if (res.status !== 200) throw new Error(`sign-in failed: ${res.status}`);
    this.cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  }

  async post<T>(route: string, body: unknown): Promise<T> {
    const res = await fetch(`${this.url}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: this.cookie },
      body: JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${route}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async get<T>(route: string): Promise<T> {
    const res = await fetch(`${this.url}${route}`, { headers: { cookie: this.cookie } });
    return (await res.json()) as T;
  }
}

interface Clients {
  processes: ChildProcess[];
  connectMs: number;
}

async function startClients(url: string, total: number): Promise<Clients> {
  const started = Date.now();
  const processes: ChildProcess[] = [];
  for (let left = total; left > 0; left -= CLIENTS_PER_PROCESS) {
    const count = Math.min(CLIENTS_PER_PROCESS, left);
    processes.push(fork(here('fanout-clients.ts'), [], { ...tsx, env: { ...process.env, FANOUT_URL: url, FANOUT_CLIENTS: String(count) } }));
  }
  await Promise.all(processes.map((p) => nextMessage(p, 'ready', 60_000)));
  return { processes, connectMs: Date.now() - started };
}

async function stopClients(clients: Clients): Promise<void> {
  await Promise.all(
    clients.processes.map(async (p) => {
      const exited = new Promise((resolve) => p.once('exit', resolve));
      p.send({ type: 'close' });
      await exited;
    }),
  );
}

/** Runs the rounds; `act` starts the change for a marker. Returns every client's latency (ms). */
async function measure(clients: Clients, act: (marker: string, round: number) => Promise<void>): Promise<Measured> {
  const latencies: number[] = [];
  const allHaveIt: number[] = [];
  const actions: number[] = [];
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round += 1) {
    const marker = `R${round}x${Math.random().toString(36).slice(2, 6)} B.`;
    await Promise.all(clients.processes.map((p) => {
      const armed = nextMessage(p, 'armed');
      p.send({ type: 'arm', round, marker });
      return armed;
    }));
    const reports = Promise.all(clients.processes.map((p) => nextMessage(p, 'times', ROUND_TIMEOUT_MS)));
    const t0 = Date.now();
    await act(marker, round);
    const acted = Date.now() - t0;
    const times = (await reports).flatMap((m) => m.times as number[]).map((t) => t - t0);
    if (round >= WARMUP_ROUNDS) {
      latencies.push(...times);
      allHaveIt.push(Math.max(...times));
      actions.push(acted);
    }
    await sleep(PAUSE_MS);
  }
  return { latencies, allHaveIt, actions };
}

interface Measured {
  latencies: number[];
  allHaveIt: number[];
  /** how long the action itself took: the HTTP round trip of the walk-in, or the IPC send */
  actions: number[];
}

interface Row {
  target: string;
  clients: number;
  p50: number;
  p99: number;
  allP50: number;
  actionP50: number;
  connectMs: number;
}

function row(target: string, clients: number, result: Measured, connectMs: number): Row {
  return {
    target,
    clients,
    p50: percentile(result.latencies, 50),
    p99: percentile(result.latencies, 99),
    allP50: percentile(result.allHaveIt, 50),
    actionP50: percentile(result.actions, 50),
    connectMs,
  };
}

let loadAtStart = '';

async function main() {
  loadAtStart = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  const name = uniqueName('fanout');
  const app = fork(here('fanout-app.ts'), [], { ...tsx, env: { ...process.env, FANOUT_NAME: name } });
  const bare = fork(here('fanout-bare.ts'), [], tsx);
  const children = [app, bare];
  try {
    const appUrl = String((await nextMessage(app, 'ready', 60_000)).url);
    const bareUrl = String((await nextMessage(bare, 'ready')).url);
    const api = new Api(appUrl);
    await api.signIn();

    // A Saturday-night board: every copy out, a few parties waiting for each game.
    const gameIds: number[] = [];
    for (let g = 0; g < GAMES; g += 1) {
      const game = await api.post<{ id: number }>('/api/games', { title: `Bench game ${g + 1} ${name.slice(-6)}`, copies: 1, playMinutes: 45 });
      gameIds.push(game.id);
      for (let p = 0; p < PARTIES_PER_GAME; p += 1) {
        await api.post(`/api/games/${game.id}/reservations`, { customerName: `Guest${g}${p} Bench`, partySize: 2, tableNumber: p + 1 });
      }
    }
    await sleep(500);
    const board = await api.get<{ version: number; games: unknown[] }>('/api/board');
    const payloadBytes = Buffer.byteLength(JSON.stringify(board));
    bare.send({ type: 'payload', board });

    const walkIn = async (marker: string, round: number) => {
      // A walk-in added by staff: one new waiting party, no copy free, so no auto-call.
      const [first] = marker.split(' ');
      await api.post(`/api/games/${gameIds[round % gameIds.length]}/reservations`, { customerName: `${first} Bench`, partySize: 2 });
    };
    const broadcast = async (marker: string) => {
      bare.send({ type: 'emit', marker });
    };

    const rows: Row[] = [];
    let appRss = { rss: 0, hwm: 0 };
    let bareRss = { rss: 0, hwm: 0 };
    for (const total of CASES) {
      const onApp = await startClients(appUrl, total);
      rows.push(row('app', total, await measure(onApp, walkIn), onApp.connectMs));
      if (total === 1000) appRss = vmRss(app.pid!);
      await stopClients(onApp);

      const onBare = await startClients(bareUrl, total);
      rows.push(row('bare', total, await measure(onBare, broadcast), onBare.connectMs));
      if (total === 1000) bareRss = vmRss(bare.pid!);
      await stopClients(onBare);
    }

    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    console.log(`\nFan-out of one staff action to /board screens (${ROUNDS} rounds after ${WARMUP_ROUNDS} warm-up, board payload ${payloadBytes} bytes, ${CLIENTS_PER_PROCESS} clients per client process)\n`);
    const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
    console.log(`machine: ${os.cpus().length} CPUs, load average ${loadAtStart} at start, ${load} at end\n`);
    console.log('target  clients  p50 ms  p99 ms  all-have-it p50 ms  action p50 ms  connect all ms');
    for (const r of rows) {
      const cells = [r.p50, r.p99, r.allP50, r.actionP50, r.connectMs].map(String);
      const widths = [6, 6, 18, 13, 14];
      console.log(`${r.target.padEnd(6)}  ${String(r.clients).padStart(7)}  ${cells.map((c, i) => c.padStart(widths[i]!)).join('  ')}`);
    }
    console.log('(action = the HTTP round trip of the walk-in for the app, the IPC send for the bare server)');
    console.log('');
    for (const total of CASES) {
      const a = rows.find((r) => r.target === 'app' && r.clients === total)!;
      const b = rows.find((r) => r.target === 'bare' && r.clients === total)!;
      console.log(`${total} clients: app p99 / bare p99 = ${a.p99} / ${b.p99} = ${(a.p99 / Math.max(1, b.p99)).toFixed(2)}`);
    }
    const small = rows.find((r) => r.target === 'app' && r.clients === 50)!;
    const big = rows.find((r) => r.target === 'app' && r.clients === 1000)!;
    const bigBare = rows.find((r) => r.target === 'bare' && r.clients === 1000)!;
    console.log(`app RSS with 1000 clients connected: ${mb(appRss.rss)} (peak ${mb(appRss.hwm)}); bare server: ${mb(bareRss.rss)}`);
    console.log('');
    console.log(`target p99 <= 1.5 x bare (1000 clients): ${big.p99 <= 1.5 * Math.max(1, bigBare.p99) ? 'met' : 'NOT met'}`);
    console.log(`target 50 clients p99 <= 30 ms: ${small.p99 <= 30 ? 'met' : 'NOT met'}`);
    console.log(`target RSS <= 250 MB: ${appRss.rss <= 250 * 1024 * 1024 ? 'met' : 'NOT met'}`);
  } finally {
    for (const child of children) {
      if (child.exitCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'close' });
      await Promise.race([exited, sleep(5000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await Promise.all([dropDatabase(name), deleteRedisKeys(name)]);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
