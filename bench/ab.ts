/**
 * Before and after, side by side: the service of another checkout (the code before a change)
 * and this one's run at the same time, each with its own database, and take turns of a second
 * or two under the same load, many times over, beside the bare Express baseline. On a machine
 * shared with other jobs, whose load swings from one minute to the next, turns this short share
 * the swings evenly, where whole runs of bench/join.ts or bench/read.ts one after another do not.
 *
 *   git worktree add /tmp/before <commit>      (or: git archive <commit> | tar -x -C /tmp/before)
 *   AB_BEFORE=/tmp/before npx tsx bench/ab.ts read     # GET /api/board, 40 waiting parties
 *   AB_BEFORE=/tmp/before npx tsx bench/ab.ts join     # POST joins, 4 games of 3 copies
 *   AB_TURNS=12 AB_SECONDS=2 BENCH_CLIENTS=64          (turns per contender, seconds per turn)
 *
 * The checkout before needs node_modules (a symlink to this one's will do). Prints, per
 * contender, requests per second over all its turns, the server's CPU per request, and the
 * ratio to bare Express over the same turns.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deleteRedisKeys, dropDatabase, uniqueName } from '../tests/helpers/testService';
import { NO_JOIN_LIMITS, fmt, runLoad, signIn, startBareExpress, startService, stopChild, withCpu, type LoadResult } from './harness';

const CASE = process.argv[2] === 'join' ? 'join' : 'read';
const BEFORE = process.env.AB_BEFORE;
const TURNS = Number(process.env.AB_TURNS ?? 12);
const SECONDS = Number(process.env.AB_SECONDS ?? 2);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 64);
const GAMES = 4;
const PARTIES = 40;

interface Contender {
  label: string;
  pid: number;
  once: (client: number, n: number) => Promise<boolean>;
  turns: Array<LoadResult & { cpuUsPerRequest: number }>;
}

async function post(url: string, route: string, body: unknown, cookie?: string): Promise<{ id: number }> {
  const res = await fetch(`${url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`${route}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: number };
}

/** Games (and, for reads, a fixed board of waiting parties nobody moves) in one service. */
async function prepare(url: string): Promise<number[]> {
  const cookie = await signIn(url);
  const games: number[] = [];
  for (let g = 0; g < GAMES; g += 1) {
    const game = CASE === 'read' ? { title: `AB Read ${g}`, copies: 2, playMinutes: 45, autoAdvance: false } : { title: `AB Join ${g}`, copies: 3, playMinutes: 45 };
    games.push((await post(url, '/api/games', game, cookie)).id);
  }
  if (CASE === 'read') {
    for (let p = 0; p < PARTIES; p += 1) await post(url, `/api/games/${games[p % GAMES]}/reservations`, { customerName: `Reader ${p} Example`, partySize: 2, tableNumber: p + 1 });
  }
  return games;
}

const boardOf = async (url: string) => {
  // The board once the joins' change notices have gone round (it stops changing).
  let last = '';
  for (;;) {
    const text = await (await fetch(`${url}/api/board`)).text();
    if (text === last) return text;
    last = text;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
};

function reader(url: string, expectedLength: number) {
  return async () => {
    const res = await fetch(`${url}/api/board`);
    const text = await res.text();
    return res.status === 200 && text.length === expectedLength;
  };
}

function joiner(url: string, games: number[]) {
  return async (client: number, n: number) => {
    const res = await fetch(`${url}/api/games/${games[(client + n) % GAMES]}/reservations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerName: `Bench ${client}-${n}`, partySize: 2 }),
    });
    await res.arrayBuffer();
    return res.status === 201;
  };
}

async function main() {
  if (!BEFORE) throw new Error('set AB_BEFORE to the checkout of the code before (see the top of bench/ab.ts)');
  const names = [uniqueName('abbefore'), uniqueName('abafter')];
  const procs: ChildProcess[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-ab-'));
  try {
    const before = await startService(names[0]!, NO_JOIN_LIMITS, path.resolve(BEFORE));
    procs.push(before.child);
    const after = await startService(names[1]!, NO_JOIN_LIMITS);
    procs.push(after.child);
    const contenders: Contender[] = [];
    if (CASE === 'read') {
      await Promise.all([prepare(before.url), prepare(after.url)]);
      const [boardBefore, boardAfter] = await Promise.all([boardOf(before.url), boardOf(after.url)]);
      const bodyFile = path.join(dir, 'board.json');
      writeFileSync(bodyFile, boardAfter);
      const bare = await startBareExpress('bench/readBareExpress.ts', { BENCH_BODY_FILE: bodyFile });
      procs.push(bare.child);
      contenders.push(
        { label: 'bare Express', pid: bare.child.pid!, once: reader(bare.url, JSON.stringify(JSON.parse(boardAfter)).length), turns: [] },
        { label: `before (${BEFORE})`, pid: before.child.pid!, once: reader(before.url, boardBefore.length), turns: [] },
        { label: 'after (this checkout)', pid: after.child.pid!, once: reader(after.url, boardAfter.length), turns: [] },
      );
    } else {
      const [gamesBefore, gamesAfter] = await Promise.all([prepare(before.url), prepare(after.url)]);
      const bare = await startBareExpress('bench/joinBareExpress.ts');
      procs.push(bare.child);
      contenders.push(
        { label: 'bare Express', pid: bare.child.pid!, once: joiner(bare.url, [1, 2, 3, 4]), turns: [] },
        { label: `before (${BEFORE})`, pid: before.child.pid!, once: joiner(before.url, gamesBefore), turns: [] },
        { label: 'after (this checkout)', pid: after.child.pid!, once: joiner(after.url, gamesAfter), turns: [] },
      );
    }
    for (const c of contenders) await runLoad('warm-up', 1, CLIENTS, c.once);
    console.log(`${CASE}: ${TURNS} turns of ${SECONDS} s each, ${CLIENTS} clients, order rotating`);
    for (let turn = 0; turn < TURNS; turn += 1) {
      // Each contender goes first, second and last equally often.
      const order = contenders.map((_, i) => contenders[(i + turn) % contenders.length]!);
      for (const c of order) c.turns.push(await withCpu(c.pid, () => runLoad(c.label, SECONDS, CLIENTS, c.once)));
    }
    const total = (c: Contender) => {
      const ok = c.turns.reduce((n, t) => n + t.ok, 0);
      const seconds = c.turns.reduce((n, t) => n + t.seconds, 0);
      return { ok, errors: c.turns.reduce((n, t) => n + t.errors, 0), perSecond: ok / seconds, cpu: c.turns.reduce((n, t) => n + t.cpuUsPerRequest * t.ok, 0) / Math.max(1, ok) };
    };
    const bare = total(contenders[0]!);
    console.log('');
    console.log('contender                                  ok  errors    req/s  CPU µs/req  ÷ bare req/s  per-turn ratios (median)');
    for (const c of contenders) {
      const t = total(c);
      const ratios = c.turns.map((turn, i) => turn.perSecond / contenders[0]!.turns[i]!.perSecond).sort((a, b) => a - b);
      console.log(
        `${c.label.slice(0, 38).padEnd(38)} ${String(t.ok).padStart(7)} ${String(t.errors).padStart(7)} ${fmt(t.perSecond).padStart(8)} ${fmt(t.cpu, 0).padStart(11)} ${fmt(t.perSecond / bare.perSecond, 3).padStart(13)}  ${fmt(ratios[Math.floor(ratios.length / 2)]!, 3)}`,
      );
    }
    console.log(JSON.stringify({ case: CASE, turns: TURNS, seconds: SECONDS, clients: CLIENTS, contenders: contenders.map((c) => ({ label: c.label, ...total(c) })) }));
  } finally {
    for (const p of procs) await stopChild(p);
    rmSync(dir, { recursive: true, force: true });
    await Promise.all(names.flatMap((n) => [dropDatabase(n), deleteRedisKeys(n)]));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
