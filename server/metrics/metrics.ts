import type { Knex } from 'knex';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  partyJoined(gameId: number): void;
  partyCalled(gameId: number, waitedMs: number): void;
  partyNoShow(gameId: number): void;
  jobStarted(name: string, latencyMs: number): void;
}

/** One registry per app instance (tests start several in one process). */
export function createMetrics(knex: Knex): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const joins = new Counter({ name: 'meeple_joins_total', help: 'Parties that joined a queue', labelNames: ['game_id'], registers: [registry] });
  const calls = new Counter({ name: 'meeple_calls_total', help: 'Parties called to play', labelNames: ['game_id'], registers: [registry] });
  const noShows = new Counter({ name: 'meeple_no_shows_total', help: 'Parties marked as no-shows', labelNames: ['game_id'], registers: [registry] });
  const wait = new Histogram({
    name: 'meeple_wait_seconds',
    help: 'Time from joining to being called',
    buckets: [30, 60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 5400],
    registers: [registry],
  });
  const jobLatency = new Histogram({
    name: 'meeple_job_latency_seconds',
    help: 'Delay between a queue job being due and a worker starting it',
    labelNames: ['job'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'meeple_waiting_parties',
    help: 'Parties waiting, per game',
    labelNames: ['game_id', 'game'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = (await knex('games as g')
        .leftJoin('reservations as r', function () {
          this.on('r.game_id', 'g.id').andOnVal('r.status', 'waiting');
        })
        .groupBy('g.id', 'g.title')
        .select('g.id', 'g.title')
        .count({ waiting: 'r.id' })) as Array<{ id: number; title: string; waiting: number | string }>;
      for (const row of rows) this.set({ game_id: String(row.id), game: row.title }, Number(row.waiting));
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
    jobStarted: (name, latencyMs) => jobLatency.observe({ job: name }, Math.max(0, latencyMs) / 1000),
  };
}
