import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { JOB_NAMES, QUEUE_NAME } from '../jobs/producer';
import type { GameQueueState } from '../queue/repository';
import { owedCalls, queueStateReader, type QueueStateSource } from './queueState';

/** The realtime pipeline's two coalesced steps (server/realtime/). */
export type RealtimeStep = 'announce' | 'publish';

export interface Metrics {
  registry: Registry;
  partyJoined(gameId: number): void;
  partyCalled(gameId: number, waitedMs: number): void;
  partyNoShow(gameId: number): void;
  /** a worker took a job `latencyMs` after it was due */
  jobStarted(name: string, latencyMs: number): void;
  /** a job ended after `seconds`, failed (thrown) or not */
  jobFinished(name: string, seconds: number, failed: boolean): void;
  /** a reconcile pass ended: what it had to do itself, or that it failed */
  reconciled(result: { calls: number; holds: number } | 'failed'): void;
  /** one HTTP request answered; `route` is the route's pattern, never the URL */
  httpRequest(method: string, route: string, status: number, seconds: number): void;
  /** where the socket gauge reads its counts (an app instance's Socket.IO server) */
  countSockets(read: () => Array<{ namespace: string; connections: number }>): void;
  /** a listener for one realtime step's flushes (CoalescerOptions.flushed) */
  realtimeFlushed(step: RealtimeStep): (seconds: number, failed: boolean) => void;
}

export interface MetricsOptions extends QueueStateSource {
  /** AUTO_ADVANCE: off, nothing is ever owed */
  autoAdvance: boolean;
}

/** package.json's version: server/metrics (tsx, Jest) or dist/server/metrics (the image). */
const SERVICE_VERSION = (() => {
  const file = [join(__dirname, '..', '..', 'package.json'), join(__dirname, '..', '..', '..', 'package.json')].find(existsSync);
  return file ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : 'unknown';
})();

/** Seconds: HTTP answers and job runs, from a millisecond to a slow dependency's timeout. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * One registry per app instance (tests start several in one process). Queue jobs are labelled
 * `job_name`: Prometheus keeps `job` for the scrape job (and would rename ours). Every label is bounded:
 * games by the café's games (id and title, never a customer's data), jobs by their names,
 * routes by the route table, statuses by HTTP's.
 */
export function createMetrics(options: MetricsOptions): Metrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  new Gauge({ name: 'meeple_build_info', help: 'The running service version (always 1)', labelNames: ['version', 'node'], registers }).set(
    { version: SERVICE_VERSION, node: process.version },
    1,
  );

  const joins = new Counter({ name: 'meeple_joins_total', help: 'Parties that joined a queue', labelNames: ['game_id'], registers });
  const calls = new Counter({ name: 'meeple_calls_total', help: 'Parties called to play', labelNames: ['game_id'], registers });
  const noShows = new Counter({ name: 'meeple_no_shows_total', help: 'Parties marked as no-shows', labelNames: ['game_id'], registers });
  const wait = new Histogram({
    name: 'meeple_wait_seconds',
    help: 'Time from joining to being called',
    buckets: [30, 60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 5400],
    registers,
  });

  const jobLatency = new Histogram({
    name: 'meeple_job_latency_seconds',
    help: 'Delay between a queue job being due and a worker starting it',
    labelNames: ['job_name'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const jobDuration = new Histogram({ name: 'meeple_job_duration_seconds', help: 'How long a queue job ran', labelNames: ['job_name'], buckets: DURATION_BUCKETS, registers });
  const jobFailures = new Counter({ name: 'meeple_job_failures_total', help: 'Queue jobs that failed (threw)', labelNames: ['job_name'], registers });
  const reconcileRuns = new Counter({ name: 'meeple_reconcile_runs_total', help: 'Reconcile passes, by outcome', labelNames: ['outcome'], registers });
  const reconcileRepairs = new Counter({
    name: 'meeple_reconcile_repairs_total',
    help: 'Work reconcile found undone and did itself: calls owed to free copies, holds past their end',
    labelNames: ['repair'],
    registers,
  });
  // Zero from the start: Prometheus' increase() cannot see a series' first sample as a rise.
  for (const job of JOB_NAMES) jobFailures.inc({ job_name: job }, 0);
  for (const outcome of ['ok', 'failed']) reconcileRuns.inc({ outcome }, 0);
  for (const repair of ['call', 'hold']) reconcileRepairs.inc({ repair }, 0);

  const httpRequests = new Counter({ name: 'meeple_http_requests_total', help: 'HTTP requests answered', labelNames: ['method', 'route', 'status'], registers });
  const httpDuration = new Histogram({
    name: 'meeple_http_request_duration_seconds',
    help: 'Time to answer an HTTP request',
    labelNames: ['method', 'route'],
    buckets: DURATION_BUCKETS,
    registers,
  });

  let sockets: () => Array<{ namespace: string; connections: number }> = () => [];
  new Gauge({
    name: 'meeple_socket_connections',
    help: 'Socket.IO connections open on this instance, per namespace',
    labelNames: ['namespace'],
    registers,
    collect() {
      this.reset();
      for (const { namespace, connections } of sockets()) this.set({ namespace }, connections);
    },
  });
  const flushes = new Histogram({
    name: 'meeple_realtime_flush_seconds',
    help: 'Time one realtime flush took: announcing changes, or publishing snapshots to this instance’s screens',
    labelNames: ['step'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const flushFailures = new Counter({ name: 'meeple_realtime_flush_failures_total', help: 'Realtime flushes that failed (retried)', labelNames: ['step'], registers });

  // The queues and the dependencies: one shared read per scrape (queueState.ts).
  const state = queueStateReader(options);
  const perGame = (name: string, help: string, value: (game: GameQueueState) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['game_id', 'game'],
      registers,
      async collect() {
        this.reset();
        for (const game of (await state()).games ?? []) this.set({ game_id: String(game.id), game: game.title }, value(game));
      },
    });
  perGame('meeple_waiting_parties', 'Parties waiting, per game', (g) => g.waiting);
  perGame('meeple_called_parties', 'Parties called and not yet seated (a hold running), per game', (g) => g.called);
  perGame('meeple_seated_parties', 'Parties playing, per game', (g) => g.seated);
  perGame('meeple_game_copies', 'Copies of each game', (g) => (g.active ? g.copies : 0));
  perGame('meeple_owed_calls', 'Calls owed right now: a free copy and a waiting party with auto-advance on (should be 0 within seconds)', (g) =>
    owedCalls(g, options.autoAdvance),
  );
  perGame('meeple_oldest_overdue_hold_seconds', 'How long the oldest hold past its end has been waiting to be expired, per game (0: none)', (g) => g.overdueHoldSeconds);
  new Gauge({
    name: 'meeple_dependency_up',
    help: 'Whether a dependency answered this scrape (1) or not (0)',
    labelNames: ['dependency'],
    registers,
    async collect() {
      const snapshot = await state();
      this.set({ dependency: 'mysql' }, snapshot.games ? 1 : 0);
      this.set({ dependency: 'redis' }, snapshot.redisUp ? 1 : 0);
    },
  });
  new Gauge({
    name: 'meeple_engine_paused',
    help: 'Whether the queue engine is paused (1, from Bull Board) or running (0); absent when Redis does not say',
    // A label, so that "absent" can be said: a gauge without labels always shows a value.
    labelNames: ['queue'],
    registers,
    async collect() {
      this.reset();
      const { engine } = await state();
      if (engine !== 'unknown') this.set({ queue: QUEUE_NAME }, engine === 'paused' ? 1 : 0);
    },
  });

  return {
    registry,
    partyJoined: (gameId) => joins.inc({ game_id: String(gameId) }),
    partyCalled: (gameId, waitedMs) => {
      calls.inc({ game_id: String(gameId) });
      wait.observe(Math.max(0, waitedMs) / 1000);
    },
    partyNoShow: (gameId) => noShows.inc({ game_id: String(gameId) }),
    jobStarted: (name, latencyMs) => jobLatency.observe({ job_name: name }, Math.max(0, latencyMs) / 1000),
    jobFinished: (name, seconds, failed) => {
      jobDuration.observe({ job_name: name }, seconds);
      if (failed) jobFailures.inc({ job_name: name });
    },
    reconciled: (result) => {
      reconcileRuns.inc({ outcome: result === 'failed' ? 'failed' : 'ok' });
      if (result === 'failed') return;
      reconcileRepairs.inc({ repair: 'call' }, result.calls);
      reconcileRepairs.inc({ repair: 'hold' }, result.holds);
    },
    httpRequest: (method, route, status, seconds) => {
      httpRequests.inc({ method, route, status: String(status) });
      httpDuration.observe({ method, route }, seconds);
    },
    countSockets: (read) => {
      sockets = read;
    },
    realtimeFlushed: (step) => (seconds, failed) => {
      flushes.observe({ step }, seconds);
      if (failed) flushFailures.inc({ step });
    },
  };
}
