import type { Knex } from 'knex';
import type Redis from 'ioredis';
import { checkEngine, checkRedis, withTimeout, type EngineState } from '../health/health';
import { gameQueueStates, type GameQueueState } from '../queue/repository';
import { freeCopies } from '../queue/states';

/** What one scrape reads from MySQL and Redis: the queues, and whether each dependency answers. */
export interface QueueStateSnapshot {
  /** null when MySQL did not answer */
  games: GameQueueState[] | null;
  redisUp: boolean;
  engine: EngineState;
}

/**
 * Calls the engine owes a game right now: auto-advance on (for the service and the game), a
 * party waiting and a copy free. The same condition as reconcile's `gamesOwedACall`, counted:
 * a healthy engine brings it back to zero within a job's latency, so any lasting value means
 * the queue is stuck.
 */
export function owedCalls(game: GameQueueState, autoAdvance: boolean): number {
  if (!autoAdvance || !game.active || !game.autoAdvance) return 0;
  return Math.min(game.waiting, freeCopies(game.copies, game.called + game.seated));
}

export interface QueueStateSource {
  knex: Knex;
  redis: Redis;
  jobs: { enginePaused(): Promise<boolean> };
}

const TIMEOUT_MS = 2000;

/**
 * The read behind every queue and dependency gauge: one MySQL statement, a Redis PING and the
 * engine's paused flag. prom-client collects the gauges of a scrape together: the first to ask
 * starts the read, the others (and any scrape arriving meanwhile) share it. A failure is a
 * value (the dependency is down), never a failed scrape.
 */
export function queueStateReader(source: QueueStateSource): () => Promise<QueueStateSnapshot> {
  let inFlight: Promise<QueueStateSnapshot> | undefined;
  const read = async (): Promise<QueueStateSnapshot> => {
    const [games, redis, engine] = await Promise.all([
      withTimeout(gameQueueStates(source.knex), TIMEOUT_MS).catch(() => null),
      checkRedis(source.redis, TIMEOUT_MS),
      checkEngine(source.jobs, TIMEOUT_MS),
    ]);
    return { games, redisUp: redis === 'connected', engine };
  };
  return () => {
    inFlight ??= read().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
