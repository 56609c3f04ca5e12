import { Queue } from 'bullmq';
import Redis from 'ioredis';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Reservation } from '../models/Reservation';
import { watchRedis } from '../redisHealth';

/**
 * The producer side of the BullMQ jobs: what use cases (through `afterCommit`) ask to happen
 * later. Two queues: the **engine** (advance a game, expire a hold), which staff can watch on
 * Bull Board, and **maintenance** (reconcile, housekeeping), which nobody can pause from there: reconcile is
 * what keeps the queue moving when the engine is paused or its jobs are lost. The workers that
 * run the jobs are in `worker.ts`.
 */
export const QUEUE_NAME = 'queue-engine';
export const MAINTENANCE_QUEUE_NAME = 'queue-maintenance';
/** Messages to phones (push, texts): a queue of their own, so a slow push service never delays a call. */
export const NOTIFY_QUEUE_NAME = 'queue-notify';
/** Every job name the workers run (their metrics start at zero, so a first failure shows). */
export const JOB_NAMES = ['advance', 'expire-hold', 'reconcile', 'housekeeping', 'close-out', 'notify'] as const;

export interface AdvanceData {
  gameId: number;
}
export interface HoldData {
  reservationId: number;
}
export interface NotifyData {
  notificationId: number;
}

export interface QueueJobs {
  /** the engine queue (advance, expire-hold) */
  queue: Queue;
  /** the maintenance queue (reconcile) */
  maintenance: Queue;
  requestAdvance(gameId: number): Promise<void>;
  scheduleHoldExpiry(reservation: Pick<Reservation, 'id' | 'holdExpiresAt'>): Promise<void>;
  cancelHoldExpiry(reservation: Pick<Reservation, 'id'>): Promise<void>;
  /** the notify queue */
  notify: Queue;
  /** hand one recorded message (server/notify) to a worker; retried with backoff, at most one job per message */
  sendNotification(notificationId: number): Promise<void>;
  /** reconcile every RECONCILE_SECONDS, housekeeping every hour and the close-out check every minute, on the maintenance queue */
  scheduleMaintenance(): Promise<void>;
  /** true when someone paused the engine (Bull Board): reconcile still runs, at its own pace */
  enginePaused(): Promise<boolean>;
  close(): Promise<void>;
}

/** Connection trouble, which watchRedis already reports once per outage. */
export const isConnectionError = (err: Error) => /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection is closed|Stream isn't writeable/.test(err.message);

/** Codes of tickets ended a day ago are released, and names past RETENTION_DAYS erased, this often. */
const HOUSEKEEPING_MS = 60 * 60_000;
/** Whether the café day's closing time has passed (and its close-out is owed) is checked this often. */
const CLOSE_OUT_CHECK_MS = 60_000;

export const bullPrefix = (config: Config) => `${config.redis.prefix}:bull`;
// BullMQ job ids may not contain ':'.
const advanceJobId = (gameId: number) => `advance-${gameId}`;
const holdJobId = (reservationId: number) => `hold-${reservationId}`;
const notifyJobId = (notificationId: number) => `notify-${notificationId}`;

export function createQueueJobs(config: Config, logger: Logger): QueueJobs {
  // Fail fast while Redis is down: MySQL has the truth and reconcile re-creates the jobs.
  const connection = new Redis(config.redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  watchRedis(connection, logger, 'queue-producer');
  const queue = new Queue(QUEUE_NAME, {
    connection,
    prefix: bullPrefix(config),
    defaultJobOptions: { removeOnComplete: true, removeOnFail: 1000, attempts: 5, backoff: { type: 'exponential', delay: 200 } },
  });
  const maintenance = new Queue(MAINTENANCE_QUEUE_NAME, { connection, prefix: bullPrefix(config) });
  const notify = new Queue(NOTIFY_QUEUE_NAME, {
    connection,
    prefix: bullPrefix(config),
    defaultJobOptions: { removeOnComplete: true, removeOnFail: 1000, attempts: config.notify.attempts, backoff: { type: 'exponential', delay: config.notify.backoffMs } },
  });
  // Connection trouble is reported by watchRedis; anything else the queues say is logged here.
  for (const q of [queue, maintenance, notify]) {
    q.on('error', (err) => {
      if (!isConnectionError(err)) logger.error({ err: err.message, queue: q.name }, 'queue error');
    });
  }

  return {
    queue,
    maintenance,
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
    notify,
    async sendNotification(notificationId) {
      // The job id makes a second request (reconcile re-queueing) a no-op while the first is pending.
      await notify.add('notify', { notificationId } satisfies NotifyData, { jobId: notifyJobId(notificationId) });
    },
    async scheduleMaintenance() {
      const opts = { removeOnComplete: true, removeOnFail: 100, attempts: 1 };
      await maintenance.upsertJobScheduler('reconcile', { every: config.queue.reconcileMs }, { name: 'reconcile', opts });
      await maintenance.upsertJobScheduler('housekeeping', { every: HOUSEKEEPING_MS }, { name: 'housekeeping', opts });
      await maintenance.upsertJobScheduler('close-out', { every: CLOSE_OUT_CHECK_MS }, { name: 'close-out', opts });
    },
    enginePaused: () => queue.isPaused(),
    async close() {
      await Promise.all([queue.close(), maintenance.close(), notify.close()]);
      connection.disconnect();
    },
  };
}
