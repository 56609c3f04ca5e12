/**
 * Join benchmark: 64 concurrent clients joining queues over HTTP for 10 s against the real
 * service, beside a bare Express JSON endpoint and a bare mysql2 INSERT loop under the same
 * load, with the ratios. Then checks that every 201 is a committed row.
 *
 *   npx tsx bench/join.ts                 (needs MariaDB and Redis, like the tests)
 *   BENCH_SECONDS=20 BENCH_CLIENTS=64 BENCH_GAMES=4 BENCH_DIST=1 npx tsx bench/join.ts
 *   BENCH_SERVICE_ENV="REALTIME_TICK_MS=1000" npx tsx bench/join.ts       (extra service settings)
 *   BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npx tsx bench/join.ts   (profile the service)
 *   BENCH_SCREENS=1 npx tsx bench/join.ts      (a TV and a staff tablet connected during the joins)
 *   BENCH_RATE=300 npx tsx bench/join.ts       (joins/s offered in the open-loop phase; 0 leaves it out)
 *
 * BENCH_DIST=1 runs the compiled service (npm run build:server first) instead of tsx.
 * Processes: the service and the bare Express server each in their own process; the load
 * (Node 20 fetch, keep-alive) and the mysql2 loop in this one. Everything shares the machine.
 */
import type { ChildProcess } from 'node:child_process';
import mysql from 'mysql2/promise';
import { io } from 'socket.io-client';
import { MYSQL, deleteRedisKeys, dropDatabase, uniqueName } from '../tests/helpers/testService';
import { NO_JOIN_LIMITS, fmt, percentile, runLoad, signIn, withCpu, startBareExpress, startService, stopChild, type LoadResult } from './harness';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 64);
const GAMES = Number(process.env.BENCH_GAMES ?? 4);
const WARMUP_SECONDS = 2;
/** BENCH_SCREENS=1: a /board and a /staff socket stay connected during the joins, as on a real night. */
const SCREENS = process.env.BENCH_SCREENS === '1';
/** BENCH_RATE: joins per second offered in the open-loop phase (0 leaves it out). */
const RATE = Number(process.env.BENCH_RATE ?? 300);
/** One 201 in this many is checked at once from a separate MySQL connection. */
const VISIBILITY_SAMPLE = 20;

/**
 * An open loop: requests sent at a fixed rate whatever the answers (as phones arrive on a busy
 * night), each timed from when it was due, so a slow answer cannot hide the ones behind it.
 */
async function runOpenLoop(label: string, seconds: number, rate: number, once: (client: number, n: number) => Promise<boolean>): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const sent: Array<Promise<unknown>> = [];
  const start = performance.now();
  for (let i = 0; i < Math.round(seconds * rate); i += 1) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    sent.push(once(i % CLIENTS, 1_000_000 + i).then((ok) => (ok ? latencies.push(performance.now() - due) : (errors += 1)), () => (errors += 1)));
  }
  await Promise.all(sent);
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { label, ok: latencies.length, errors, seconds: elapsed, perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? NaN };
}

/** A TV and a staff tablet: counts the snapshots they get while the joins run. */
async function connectScreens(url: string, cookie: string) {
  const board = io(`${url}/board`, { transports: ['websocket'] });
  // Its own connection: namespaces of one URL share the first socket's, which has no cookie.
  const staff = io(`${url}/staff`, { transports: ['websocket'], extraHeaders: { cookie }, forceNew: true });
  const seen = { board: 0, staff: 0, lastStaffWaiting: 0 };
  board.on('snapshot', () => (seen.board += 1));
  staff.on('snapshot', (s: { games: Array<{ waiting: unknown[] }> }) => {
    seen.staff += 1;
    seen.lastStaffWaiting = s.games.reduce((n, g) => n + g.waiting.length, 0);
  });
  const first = (socket: typeof board, name: string) => new Promise<void>((resolve, reject) => {
    socket.once('snapshot', () => resolve());
    socket.once('connect_error', (err) => reject(new Error(`${name} socket: ${err.message}`)));
  });
  await Promise.all([first(board, '/board'), first(staff, '/staff')]);
  return {
    stop() {
      board.disconnect();
      staff.disconnect();
      return seen;
    },
  };
}

async function main() {
  const name = uniqueName('benchjoin');
  const procs: ChildProcess[] = [];
  let pool: mysql.Pool | undefined;
  let checker: mysql.Connection | undefined;
  let screens: Awaited<ReturnType<typeof connectScreens>> | undefined;
  try {
    console.log(`join bench: ${CLIENTS} clients, ${SECONDS} s per case, ${GAMES} games; database/prefix ${name}`);
    const service = await startService(name, NO_JOIN_LIMITS);
    procs.push(service.child);
    const bare = await startBareExpress('bench/joinBareExpress.ts');
    procs.push(bare.child);

    const cookie = await signIn(service.url);
    const createGames = async (label: string) => {
      const ids: number[] = [];
      for (let g = 0; g < GAMES; g += 1) {
        const res = await fetch(`${service.url}/api/games`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify({ title: `${label} ${g}`, copies: 3, playMinutes: 45 }),
        });
        if (res.status !== 201) throw new Error(`create game: ${res.status} ${await res.text()}`);
        ids.push(((await res.json()) as { id: number }).id);
      }
      return ids;
    };
    const gameIds = await createGames('Bench Game');

    const body = (client: number, n: number) => JSON.stringify({ customerName: `Bench ${client}-${n}`, partySize: 2 });
    const post = (url: string, client: number, n: number) =>
      fetch(`${url}/api/games/${gameIds[(client + n) % GAMES]}/reservations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(client, n) });

    // 1. bare Express, same load
    await runLoad('warm-up', WARMUP_SECONDS, CLIENTS, async (c, n) => (await post(bare.url, c, n)).status === 201);
    const express = await withCpu(bare.child.pid!, () =>
      runLoad('bare Express JSON', SECONDS, CLIENTS, async (c, n) => {
        const res = await post(bare.url, c, n);
        await res.json();
        return res.status === 201;
      }),
    );

    // 2. bare mysql2 INSERT loop: a similar row into a throwaway table, autocommit
    const db = { host: MYSQL.host, port: MYSQL.port, user: MYSQL.user, password: MYSQL.password, database: name };
    pool = mysql.createPool({ ...db, connectionLimit: CLIENTS });
    await pool.query(`CREATE TABLE bench_bare_insert (
      id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY, game_id INT UNSIGNED NOT NULL, code VARCHAR(8) NOT NULL,
      customer_name VARCHAR(60) NOT NULL, party_size TINYINT UNSIGNED NOT NULL, secret_hash CHAR(64) NOT NULL,
      status VARCHAR(16) NOT NULL, enqueued_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)) CHARSET utf8mb4`);
    const bareInsert = await runLoad('bare mysql2 INSERT', SECONDS, CLIENTS, async (c, n) => {
      await pool!.execute('INSERT INTO bench_bare_insert (game_id, code, customer_name, party_size, secret_hash, status) VALUES (?, ?, ?, ?, ?, ?)', [
        gameIds[(c + n) % GAMES]!,
        `${c}x${n}`.slice(0, 8),
        `Bench ${c}-${n}`,
        2,
        'f'.repeat(64),
        'waiting',
      ]);
      return true;
    });
    await pool.end();
    pool = undefined;

    // 3. the real join, through HTTP (with BENCH_SCREENS=1, while a TV and a staff tablet watch)
    if (SCREENS) screens = await connectScreens(service.url, cookie);
    checker = await mysql.createConnection(db);
    const acknowledged: number[] = [];
    /** why joins failed, so an error count is never a mystery */
    const failures = new Map<string, number>();
    const visibility: Array<Promise<boolean>> = [];
    await runLoad('warm-up', WARMUP_SECONDS, CLIENTS, async (c, n) => {
      const res = await post(service.url, c, n);
      if (res.status === 201) acknowledged.push(((await res.json()) as { id: number }).id);
      return res.status === 201;
    });
    const joinOnce = async (c: number, n: number) => {
      const res = await post(service.url, c, n).catch((err: Error) => {
        failures.set(`no answer: ${err.cause ?? err.message}`, (failures.get(`no answer: ${err.cause ?? err.message}`) ?? 0) + 1);
        throw err;
      });
      if (res.status !== 201) {
        const reason = `${res.status} ${await res.text()}`.slice(0, 200);
        failures.set(reason, (failures.get(reason) ?? 0) + 1);
        return false;
      }
      const { id } = (await res.json()) as { id: number };
      acknowledged.push(id);
      // Seen from another connection as soon as the 201 is in: the commit came first.
      if (acknowledged.length % VISIBILITY_SAMPLE === 0) {
        visibility.push(checker!.query('SELECT 1 FROM reservations WHERE id = ?', [id]).then(([rows]) => (rows as unknown[]).length === 1));
      }
      return true;
    };
    const joins = await withCpu(service.child.pid!, () => runLoad('join (service)', SECONDS, CLIENTS, joinOnce));
    // 4. an open loop at a fixed rate, for the service and for bare Express: latency when not
    // flat out, on fresh games (the closed loop left queues thousands long; a café's are short)
    if (RATE > 0) gameIds.splice(0, GAMES, ...(await createGames('Paced Game')));
    const paced = RATE > 0
      ? [
          await runOpenLoop(`bare Express @${RATE}/s`, SECONDS, RATE, async (c, n) => {
            const res = await post(bare.url, c, n);
            await res.json();
            return res.status === 201;
          }),
          await runOpenLoop(`join @${RATE}/s`, SECONDS, RATE, joinOnce),
        ]
      : [];

    const seen = screens?.stop();
    const visible = (await Promise.all(visibility)).filter(Boolean).length;
    let found = 0;
    for (let i = 0; i < acknowledged.length; i += 1000) {
      const chunk = acknowledged.slice(i, i + 1000);
      const [rows] = await checker.query('SELECT COUNT(*) AS n FROM reservations WHERE id IN (?)', [chunk]);
      found += Number((rows as Array<{ n: number }>)[0]!.n);
    }
    const [[total]] = (await checker.query('SELECT COUNT(*) AS n FROM reservations')) as unknown as [[{ n: number }]];

    const rows = [express, bareInsert, joins, ...paced];
    console.log('');
    console.log('case                  ok      err   req/s     p50 ms   p99 ms   max ms');
    for (const r of rows) {
      console.log(
        `${r.label.padEnd(20)} ${String(r.ok).padStart(6)} ${String(r.errors).padStart(6)} ${fmt(r.perSecond).padStart(8)} ${fmt(r.p50, 2).padStart(8)} ${fmt(r.p99, 2).padStart(8)} ${fmt(r.max, 1).padStart(8)}`,
      );
    }
    for (const [reason, count] of failures) console.log(`  join failures: ${count} × ${reason}`);
    if (seen) console.log(`screens connected during the joins: board got ${seen.board} snapshots, staff ${seen.staff} (last one ${seen.lastStaffWaiting} waiting parties)`);
    const vsExpress = joins.perSecond / express.perSecond;
    const vsInsert = joins.perSecond / bareInsert.perSecond;
    console.log('');
    console.log(`joins/s ÷ bare Express = ${fmt(vsExpress, 3)}   (target ≥ 0.35: ${vsExpress >= 0.35 ? 'met' : 'MISSED'})`);
    console.log(`joins/s ÷ bare INSERT  = ${fmt(vsInsert, 3)}`);
    // What a join costs the service's own process (MySQL's and Redis' work is not in it), whatever the neighbours do.
    console.log(`server CPU per request: join ${fmt(joins.cpuUsPerRequest, 0)} µs, bare Express ${fmt(express.cpuUsPerRequest, 0)} µs`);
    console.log(`join p99 = ${fmt(joins.p99, 2)} ms   (target ≤ 60 ms: ${joins.p99 <= 60 ? 'met' : 'MISSED'})`);
    console.log(`every 201 committed: ${found}/${acknowledged.length} acknowledged ids in MySQL (${Number(total.n)} rows in all); ` +
      `${visible}/${visibility.length} sampled ids visible to another connection at once`);
    if (paced.length) console.log(`open loop at ${RATE} joins/s offered: join p99 ${fmt(paced[1]!.p99, 2)} ms (bare Express ${fmt(paced[0]!.p99, 2)} ms)`);
    console.log(JSON.stringify({ clients: CLIENTS, seconds: SECONDS, games: GAMES, express, bareInsert, joins, paced, vsExpress, vsInsert, acknowledged: acknowledged.length, found, visible, sampled: visibility.length }));
    if (found !== acknowledged.length || visible !== visibility.length) process.exitCode = 1;
  } finally {
    screens?.stop();
    await checker?.end().catch(() => undefined);
    await pool?.end().catch(() => undefined);
    for (const p of procs) await stopChild(p);
    await Promise.all([dropDatabase(name), deleteRedisKeys(name)]);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
