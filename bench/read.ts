/**
 * Read benchmark: 64 concurrent clients reading GET /api/board (40 waiting parties) from the
 * real service, and the same load on a bare Express endpoint answering a JSON body of the same
 * size, in the same run, with the ratio. The two take turns, 3 rounds of 5 s each, so a
 * neighbour's load on a shared machine falls on both. Every service answer must be the whole
 * board.
 *
 *   npx tsx bench/read.ts                 (needs MariaDB and Redis, like the tests)
 *   BENCH_SECONDS=10 BENCH_ROUNDS=3 BENCH_CLIENTS=64 BENCH_PARTIES=40 npx tsx bench/read.ts
 *   BENCH_SERVICE_ENV=... BENCH_NODE_ARGS=... BENCH_DIST=1   (as in bench/join.ts)
 *
 * Processes: the service and the bare Express server each in their own process; the load
 * (Node 20 fetch, keep-alive) in this one. Everything shares the machine.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deleteRedisKeys, dropDatabase, uniqueName } from '../tests/helpers/testService';
import { NO_JOIN_LIMITS, fmt, runLoad, withCpu, signIn, startBareExpress, startService, stopChild, type LoadResult } from './harness';

/** per case and round */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 64);
const PARTIES = Number(process.env.BENCH_PARTIES ?? 40);
const GAMES = 4;
const WARMUP_SECONDS = 2;

interface Board {
  version: number;
  games: Array<{ waiting: unknown[] }>;
}

const waitingOn = (board: Board) => board.games.reduce((n, g) => n + g.waiting.length, 0);

const row = (r: LoadResult & { cpuUsPerRequest: number }) =>
  `${r.label.padEnd(24)} ${String(r.ok).padStart(6)} ${String(r.errors).padStart(6)} ${fmt(r.perSecond).padStart(8)} ${fmt(r.p50, 2).padStart(8)} ${fmt(r.p99, 2).padStart(8)} ${fmt(r.max, 1).padStart(8)} ${fmt(r.cpuUsPerRequest, 0).padStart(8)}`;

/** Runs one case and adds the server's CPU per answered request, in microseconds. */
const measured = (label: string, pid: number, once: () => Promise<boolean>) => withCpu(pid, () => runLoad(label, SECONDS, CLIENTS, once));

/** All rounds of one case: answers over time (p50 and p99 are per round, in the rows above). */
const perSecond = (results: LoadResult[]) => results.reduce((n, r) => n + r.ok, 0) / results.reduce((t, r) => t + r.seconds, 0);

/** A café's evening: a few games, no free copy moving anyone, `PARTIES` waiting between them. */
async function fillQueues(url: string, cookie: string): Promise<void> {
  const post = async (route: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`${route}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: number };
  };
  const games: number[] = [];
  for (let g = 0; g < GAMES; g += 1) {
    games.push((await post('/api/games', { title: `Read Bench ${g}`, copies: 2, playMinutes: 45, autoAdvance: false }, { cookie })).id);
  }
  for (let p = 0; p < PARTIES; p += 1) {
    await post(`/api/games/${games[p % GAMES]}/reservations`, { customerName: `Reader ${p} Example`, partySize: 2 + (p % 3), tableNumber: p + 1 });
  }
}

/** The board once the joins' change notices have gone round (its version stops moving). */
async function settledBoard(url: string): Promise<Board> {
  let last = '';
  for (;;) {
    const text = await (await fetch(`${url}/api/board`)).text();
    if (text === last) return JSON.parse(text) as Board;
    last = text;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function main() {
  const name = uniqueName('benchread');
  const procs: ChildProcess[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-read-'));
  try {
    console.log(`read bench: ${CLIENTS} clients, ${SECONDS} s per case, GET /api/board with ${PARTIES} waiting parties; database/prefix ${name}`);
    const service = await startService(name, NO_JOIN_LIMITS);
    procs.push(service.child);
    await fillQueues(service.url, await signIn(service.url));

    const board = await settledBoard(service.url);
    if (waitingOn(board) !== PARTIES) throw new Error(`the board shows ${waitingOn(board)} waiting parties, not ${PARTIES}`);
    const bodyFile = path.join(dir, 'board.json');
    writeFileSync(bodyFile, JSON.stringify(board));
    const bare = await startBareExpress('bench/readBareExpress.ts', { BENCH_BODY_FILE: bodyFile });
    procs.push(bare.child);

    const sizes = new Map<string, number>();
    const expected = JSON.stringify(board);
    /** Whether an answer is the whole board, byte for byte: the service's must always be. */
    const read = (url: string, label: string) => async () => {
      const res = await fetch(`${url}/api/board`);
      const text = await res.text();
      sizes.set(label, text.length);
      return res.status === 200 && text === expected;
    };

    await runLoad('warm-up', WARMUP_SECONDS, CLIENTS, read(bare.url, 'bare'));
    await runLoad('warm-up', WARMUP_SECONDS, CLIENTS, read(service.url, 'service'));
    const express: Array<Awaited<ReturnType<typeof measured>>> = [];
    const boards: typeof express = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const bareTurn = async () => express.push(await measured(`bare Express JSON #${round}`, bare.child.pid!, read(bare.url, 'bare')));
      const serviceTurn = async () => boards.push(await measured(`GET /api/board #${round}`, service.child.pid!, read(service.url, 'service')));
      // Who goes first alternates, so a load that rises or falls during the run is shared.
      for (const turn of round % 2 ? [bareTurn, serviceTurn] : [serviceTurn, bareTurn]) await turn();
    }

    console.log('');
    console.log('case                      ok      err   req/s     p50 ms   p99 ms   max ms  CPU µs/req (server)');
    for (const r of [...express, ...boards]) console.log(row(r));
    const ratio = perSecond(boards) / perSecond(express);
    const errors = boards.reduce((n, r) => n + r.errors, 0);
    console.log('');
    console.log(`body: service ${sizes.get('service')} bytes, bare ${sizes.get('bare')} bytes; service answers not 200 with the whole board: ${errors}`);
    console.log(`rounds: ${boards.map((b, i) => fmt(b.perSecond / express[i]!.perSecond, 3)).join(', ')}`);
    const cpu = (results: typeof express) => results.reduce((t, r) => t + r.cpuUsPerRequest * r.ok, 0) / results.reduce((n, r) => n + r.ok, 0);
    console.log(`server CPU per request: service ${fmt(cpu(boards), 0)} µs, bare Express ${fmt(cpu(express), 0)} µs`);
    console.log(`board reads/s ÷ bare Express = ${fmt(ratio, 3)} (${fmt(perSecond(boards))} ÷ ${fmt(perSecond(express))})   (target ≥ 0.8: ${ratio >= 0.8 ? 'met' : 'MISSED'})`);
    console.log(JSON.stringify({ clients: CLIENTS, seconds: SECONDS, rounds: ROUNDS, parties: PARTIES, express, boards, ratio, bytes: Object.fromEntries(sizes) }));
    if (errors > 0) process.exitCode = 1;
  } finally {
    for (const p of procs) await stopChild(p);
    rmSync(dir, { recursive: true, force: true });
    await Promise.all([dropDatabase(name), deleteRedisKeys(name)]);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
