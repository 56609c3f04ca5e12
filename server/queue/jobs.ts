import { Queue, Worker, type Job } from 'bullmq';
import Redis from 'ioredis';
import type { AppContext } from '../context';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { Reservation } from '../models/Reservation';
import { advanceGame, expireHold } from './service';
import { watchRedis } from '../redisHealth';

export const QUEUE_NAME = 'queue-engine';

interface AdvanceData {
  gameId: number;
}
interface HoldData {
  reservationId: number;
}

/** Producer side: what the HTTP layer and the workers ask BullMQ to do. */
export interface QueueJobs {
  queue: Queue;
  requestAdvance(gameId: number): Promise<void>;
  scheduleHoldExpiry(reservation: Pick<Reservation, 'id' | 'holdExpiresAt'>): Promise<void>;
  cancelHoldExpiry(reservation: Pick<Reservation, 'id'>): Promise<void>;
  scheduleReconcile(): Promise<void>;
  close(): Promise<void>;
}

/** Connection trouble, which watchRedis already reports once per outage. */
const isConnectionError = (err: Error) => /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection is closed|Stream isn't writeable/.test(err.message);

export const bullPrefix = (config: Config) => `${config.redis.prefix}:bull`;
// BullMQ job ids may not contain ':'.
const advanceJobId = (gameId: number) => `advance-${gameId}`;
const holdJobId = (reservationId: number) => `hold-${reservationId}`;

export function createQueueJobs(config: Config, logger: Logger): QueueJobs {
  // Fail fast while Redis is down: MySQL has the truth and reconcile re-creates the jobs.
  const connection = new Redis(config.redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  watchRedis(connection, logger, 'queue-producer');
  const queue = new Queue(QUEUE_NAME, {
    connection,
    prefix: bullPrefix(config),
    defaultJobOptions: { removeOnComplete: true, removeOnFail: 1000, attempts: 5, backoff: { type: 'exponential', delay: 200 } },
  });
  // Connection trouble is reported by watchRedis; anything else the queue says is logged here.
  queue.on('error', (err) => {
    if (!isConnectionError(err)) logger.error({ err: err.message }, 'queue error');
  });

  return {
    queue,
    async requestAdvance(gameId) {
      // One pending advance job per game: a burst of changes makes one job. Not a fixed jobId:
      // BullMQ ignores an add while a job with that id is running (it may already have read the
      // queue, so the change would wait for reconcile) or kept as failed (auto-advance for the
      // game would stop for good). keepLastIfActive queues exactly one more run instead.
      await queue.add('advance', { gameId } satisfies AdvanceData, { deduplication: { id: advanceJobId(gameId), keepLastIfActive: true } });
    },
    async scheduleHoldExpiry(reservation) {
      const delay = Math.max(0, (reservation.holdExpiresAt?.getTime() ?? Date.now()) - Date.now());
      // A failed expiry is logged and dropped: kept under its jobId it would block reconcile
      // from scheduling that hold again, and the party would hold the copy forever.
      await queue.add('expire-hold', { reservationId: reservation.id } satisfies HoldData, {
        jobId: holdJobId(reservation.id),
        delay,
        removeOnFail: true,
      });
    },
    async cancelHoldExpiry(reservation) {
      // The job is idempotent anyway; removing it just saves the work.
      await queue.remove(holdJobId(reservation.id));
    },
    async scheduleReconcile() {
      await queue.upsertJobScheduler('reconcile', { every: config.queue.reconcileMs }, { name: 'reconcile', opts: { removeOnComplete: true, removeOnFail: 100, attempts: 1 } });
    },
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}

/**
 * Re-derives every owed job from MySQL: calls owed to free copies, holds to expire. Runs at
 * start-up and on a schedule, so losing everything in Redis loses no work.
 *
 * Owed calls and overdue holds are done here rather than queued: their jobs may be stuck in
 * Redis (a SIGKILLed worker's active job keeps its id and deduplication key until its lock
 * expires and the stalled check frees it), and queueing behind them would wait for that.
 * Doing the work twice is harmless: every transition takes the game's row lock.
 */
export async function reconcile(ctx: AppContext): Promise<{ advanced: number; holds: number }> {
  const owed = (await ctx.knex.raw(
    `SELECT g.id FROM games g
     WHERE g.active = 1 AND g.auto_advance = 1
       AND EXISTS (SELECT 1 FROM reservations w WHERE w.game_id = g.id AND w.status = 'waiting')
       AND g.copies > (SELECT COUNT(*) FROM reservations u WHERE u.game_id = g.id AND u.status IN ('called','seated'))`,
  )) as [Array<{ id: number }>];
  const gameIds = ctx.config.queue.autoAdvance ? owed[0].map((r) => r.id) : [];
  const holds = await Reservation.query(ctx.knex).where('status', 'called').whereNotNull('holdExpiresAt').select('id', 'holdExpiresAt');
  for (const id of gameIds) await advanceGame(ctx, id);
  const now = Date.now();
  const pending: Array<Pick<Reservation, 'id' | 'holdExpiresAt'>> = [];
  for (const hold of holds) {
    if (hold.holdExpiresAt!.getTime() > now) pending.push(hold);
    else if ((await expireHold(ctx, hold.id)).outcome === 'not-yet') pending.push(hold);
  }
  await Promise.all(pending.map((r) => ctx.jobs.scheduleHoldExpiry(r)));
  return { advanced: gameIds.length, holds: holds.length };
}

export interface QueueWorkers {
  close(): Promise<void>;
}

/** The BullMQ workers: in the app process by default, or alone with `npm run worker`. */
export function startQueueWorkers(ctx: AppContext, logger: Logger): QueueWorkers {
  const { config } = ctx;
  const connection = new Redis(config.redis.url, { maxRetriesPerRequest: null });
  watchRedis(connection, logger, 'queue-worker');

  const worker = new Worker(
    QUEUE_NAME,
    async (job: Job) => {
      ctx.metrics.jobStarted(job.name, Date.now() - job.timestamp - (job.opts.delay ?? 0));
      switch (job.name) {
        case 'advance':
          return { called: (await advanceGame(ctx, (job.data as AdvanceData).gameId)).length };
        case 'expire-hold': {
          const { reservationId } = job.data as HoldData;
          const result = await expireHold(ctx, reservationId);
          // Fired early (clocks differ slightly): come back when the hold really ends.
          if (result.outcome === 'not-yet' && result.holdExpiresAt) {
            await ctx.jobs.queue.add('expire-hold', { reservationId }, { delay: Math.max(50, result.holdExpiresAt.getTime() - Date.now()) });
          }
          return result.outcome;
        }
        case 'reconcile':
          return reconcile(ctx);
        default:
          throw new Error(`Unknown job ${job.name}`);
      }
    },
    // Jobs take milliseconds; a short lock lets a live worker take over a killed one's jobs
    // within seconds instead of a minute (running a job twice is harmless, see reconcile).
    { connection, prefix: bullPrefix(config), concurrency: 4, lockDuration: 10_000, stalledInterval: 5_000 },
  );
  worker.on('failed', (job, err) => logger.error({ err, job: job?.name, data: job?.data }, 'queue job failed'));
  worker.on('error', (err) => {
    if (!isConnectionError(err)) logger.error({ err: err.message }, 'queue worker error');
  });

  // The repeatable reconcile job lives in Redis; if Redis loses it, this puts it back.
  const ensureSchedule = () =>
    ctx.jobs.scheduleReconcile().catch((err: Error) => logger.warn({ err: err.message }, 'could not schedule reconcile'));
  void ensureSchedule();
  const watchdog = setInterval(ensureSchedule, config.queue.reconcileMs);
  watchdog.unref();
  reconcile(ctx).catch((err: Error) => logger.warn({ err: err.message }, 'start-up reconcile failed; the schedule will retry'));

  return {
    async close() {
      clearInterval(watchdog);
      await worker.close();
      connection.disconnect();
    },
  };
}
