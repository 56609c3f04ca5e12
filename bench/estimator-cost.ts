/**
 * What one estimate costs: `estimateQueue` calls per second for a 20-party queue on a 3-copy
 * game with 30 calls of history (what a join and every board change of a busy game pay), against
 * a trivial baseline in the same run (the old mean-of-sessions estimator, frozen in
 * bench/estimators/today.ts), so a slower or busier machine moves both.
 *
 *   npx tsx bench/estimator-cost.ts            (about ten seconds, no database)
 */
import { performance } from 'node:perf_hooks';
import { seededRandom } from '../server/queue/distributions';
import { estimateQueue, historyOf, type EndedCall, type QueueFacts } from '../server/queue/estimates';
import { estimateWaits } from './estimators/today';

const MINUTE = 60_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);

function endedCalls(): EndedCall[] {
  const random = seededRandom(7);
  return Array.from({ length: 30 }, () =>
    random() < 0.12 ? { noShow: true, heldMs: 5 * MINUTE } : { noShow: false, playedMs: (60 + 40 * random()) * MINUTE, showUpMs: 2 * random() * MINUTE },
  );
}

/** The read model keeps one history object per game for HISTORY_TTL_MS: `warm` reuses it, as it does. */
const kept = historyOf(endedCalls());
function facts(nowMs: number, warm = true): QueueFacts {
  return {
    now: new Date(nowMs),
    copies: 3,
    playMinutes: 75,
    history: warm ? kept : historyOf(endedCalls()),
    busy: [
      { status: 'seated', calledAt: new Date(nowMs - 50 * MINUTE), seatedAt: new Date(nowMs - 48 * MINUTE) },
      { status: 'seated', calledAt: new Date(nowMs - 20 * MINUTE), seatedAt: new Date(nowMs - 19 * MINUTE) },
      { status: 'called', calledAt: new Date(nowMs - 1 * MINUTE), seatedAt: null },
    ],
    waitingCount: 21,
  };
}

/**
 * Calls per CPU second of `run` (this process's user + system time, so other work on a shared
 * machine moves it less than wall time would), with the clock moving a second per call as on a
 * live board.
 */
function rate(run: (nowMs: number) => unknown): number {
  const start = Date.UTC(2026, 10, 28, 19);
  for (let i = 0; i < 200; i += 1) run(start + i * 1000);
  let calls = 0;
  const began = performance.now();
  const cpu = process.cpuUsage();
  while (performance.now() - began < SECONDS * 1000) {
    run(start + calls * 1000);
    calls += 1;
  }
  const used = process.cpuUsage(cpu);
  return calls / ((used.user + used.system) / 1e6);
}

const baseline = rate((nowMs) => {
  const f = facts(nowMs);
  return estimateWaits({ now: f.now, copies: f.copies, expectedPlayMs: 75 * MINUTE, busy: f.busy, waitingCount: f.waitingCount });
});
const warm = rate((nowMs) => estimateQueue(facts(nowMs)));
const cold = rate((nowMs) => estimateQueue(facts(nowMs, false)));
const line = (label: string, perSecond: number) =>
  console.log(`${label}: ${Math.round(perSecond).toLocaleString('en')} calls per CPU second, ${(1e6 / perSecond).toFixed(0)} µs of CPU a call, ${(baseline / perSecond).toFixed(1)} × the baseline's cost`);
console.log(`baseline (facts + mean-of-sessions estimator), 20 waiting: ${Math.round(baseline).toLocaleString('en')} calls per CPU second`);
line('estimateQueue, 20 waiting, history as the read model keeps it', warm);
line('estimateQueue, 20 waiting, a new history every call (cold)', cold);
