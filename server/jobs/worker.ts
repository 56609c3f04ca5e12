import { Worker, type Job, type Processor } from 'bullmq';
import Redis from 'ioredis';
import type { AppContext } from '../context';
import type { Logger } from '../logger';
import { advanceGame, expireHold } from '../queue/service';
import { housekeeping } from '../queue/housekeeping';
import { reconcile } from '../queue/reconcile';
import { closeOutIfDue } from '../closeout/closeOut';
import { watchRedis } from '../redisHealth';
import { deliverNotification } from '../notify/service';
import { bullPrefix, isConnectionError, MAINTENANCE_QUEUE_NAME, NOTIFY_QUEUE_NAME, QUEUE_NAME, type AdvanceData, type HoldData, type NotifyData } from './producer';

/**
 * The BullMQ workers, an entry point like the HTTP routes: each job hands over to a use case
 * of the queue. In the app process by default, or alone with `npm run worker`.
 */
export interface QueueWorkers {
  close(): Promise<void>;
}

/** A processor whose jobs are measured: how late each started, how long it ran, whether it failed. */
function measured(ctx: AppContext, processor: Processor): Processor {
  return async (job: Job, token?: string) => {
    const started = Date.now();
    ctx.metrics.jobStarted(job.name, started - job.timestamp - (job.opts.delay ?? 0));
    let failed = true;
    try {
      const result: unknown = await processor(job, token);
      failed = false;
      return result;
    } finally {
      ctx.metrics.jobFinished(job.name, (Date.now() - started) / 1000, failed);
    }
  };
}

/** The engine's jobs: advance a game's queue, expire a hold. */
function engineJobs(ctx: AppContext): Processor {
  return async (job: Job) => {
    switch (job.name) {
      case 'advance':
        return { called: (await advanceGame(ctx, (job.data as AdvanceData).gameId)).length };
      case 'expire-hold': {
        const { reservationId } = job.data as HoldData;
        const result = await expireHold(ctx, reservationId);
        // Fired early (clocks differ slightly): come back when the hold really ends.
        if (result.outcome === 'not-yet' && result.holdExpiresAt) {
          await ctx.jobs.queue.add('expire-hold', { reservationId } satisfies HoldData, { delay: Math.max(50, result.holdExpiresAt.getTime() - Date.now()) });
        }
        return result.outcome;
      }
      default:
        throw new Error(`Unknown job ${job.name}`);
    }
  };
}

/** Maintenance, on a queue of its own that Bull Board does not offer to pause. */
function maintenanceJobs(ctx: AppContext): Processor {
  return async (job: Job) => {
    switch (job.name) {
      case 'reconcile':
        return reconcile(ctx);
      case 'housekeeping':
        return housekeeping(ctx);
      case 'close-out':
        return closeOutIfDue(ctx);
      default:
        throw new Error(`Unknown job ${job.name}`);
    }
  };
}

/** Messages to phones: a retryable failure is thrown, and BullMQ tries again with backoff. */
function notifyJobs(ctx: AppContext): Processor {
  return async (job: Job) => {
    const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return deliverNotification(ctx, (job.data as NotifyData).notificationId, lastTry);
  };
}

export function startQueueWorkers(ctx: AppContext, logger: Logger): QueueWorkers {
  const { config } = ctx;
  const connection = new Redis(config.redis.url, { maxRetriesPerRequest: null });
  watchRedis(connection, logger, 'queue-worker');
  const prefix = bullPrefix(config);

  const workers = [
    // Jobs take milliseconds; a short lock lets a live worker take over a killed one's jobs
    // within seconds instead of a minute (running a job twice is harmless, see reconcile).
    new Worker(QUEUE_NAME, measured(ctx, engineJobs(ctx)), { connection, prefix, concurrency: 4, lockDuration: 10_000, stalledInterval: 5_000 }),
    new Worker(MAINTENANCE_QUEUE_NAME, measured(ctx, maintenanceJobs(ctx)), { connection, prefix, concurrency: 1, lockDuration: 30_000, stalledInterval: 15_000 }),
    // A push service may take seconds to answer (REQUEST_TIMEOUT_MS): the lock outlasts it.
    new Worker(NOTIFY_QUEUE_NAME, measured(ctx, notifyJobs(ctx)), { connection, prefix, concurrency: 4, lockDuration: 30_000, stalledInterval: 15_000 }),
  ];
  for (const worker of workers) {
    worker.on('failed', (job, err) => logger.error({ err, job: job?.name, data: job?.data }, 'queue job failed'));
    worker.on('error', (err) => {
      if (!isConnectionError(err)) logger.error({ err: err.message, queue: worker.name }, 'queue worker error');
    });
  }

  // The repeatable maintenance jobs live in Redis; if Redis loses them, this puts them back.
  const ensureSchedule = () =>
    ctx.jobs.scheduleMaintenance().catch((err: Error) => logger.warn({ err: err.message }, 'could not schedule reconcile and housekeeping'));
  void ensureSchedule();
  const watchdog = setInterval(ensureSchedule, config.queue.reconcileMs);
  watchdog.unref();
  reconcile(ctx).catch((err: Error) => logger.warn({ err: err.message }, 'start-up reconcile failed; the schedule will retry'));

  return {
    async close() {
      clearInterval(watchdog);
      await Promise.all(workers.map((w) => w.close()));
      connection.disconnect();
    },
  };
}
