import type { AppContext } from '../context';
import { Conflict, NotFound, RateLimited, ValidationFailed } from '../errors';
import { Game } from '../models/Game';
import type { Reservation } from '../models/Reservation';
import * as queueRepo from '../queue/repository';
import { isTerminal } from '../queue/states';
import { RetryableFailure, type Outcome } from './delivery';
import { pushPayload, messageText, type MessageFacts, type MessageKind } from './messages';
import { readCafeVoice } from '../settings/identity';
import { allowedEndpoint, sendPush } from './push';
import * as repo from './repository';
import { textGateway } from './sms';
import { vapidKeys } from './vapid';

/**
 * Reaching a party away from the screen (docs/NOTIFICATIONS.md). After a queue change commits,
 * `recordAfterCommit` records the messages it owes — "called" for parties just called, "almost"
 * for parties now within ALMOST_POSITION of the head — once per reservation, event and channel,
 * and queues one `notify` job per message; `deliverNotification` (the job) hands it to the
 * push service or the text gateway, retried with backoff by BullMQ.
 */

export interface CommittedMove {
  gameId: number;
  called: readonly Pick<Reservation, 'id'>[];
  /** a join moves nobody forward: no "almost" check */
  joinOnly: boolean;
}

/** How long a recorded message may stay queued before reconcile queues its job again. */
export const STALE_QUEUED_MS = 30_000;

const channelsOf = (ctx: AppContext, reach: { push: boolean; phone: boolean } | undefined): repo.Channel[] => [
  ...(reach?.push ? (['push'] as const) : []),
  ...(reach?.phone && ctx.config.notify.sms ? (['sms'] as const) : []),
];

async function recordAndQueue(ctx: AppContext, reservationIds: readonly number[], eventOf: (id: number) => string): Promise<number[]> {
  if (!reservationIds.length) return [];
  const reach = await repo.reachOf(ctx.knex, reservationIds);
  const owed = reservationIds.flatMap((id) => channelsOf(ctx, reach.get(id)).map((channel) => ({ reservationId: id, event: eventOf(id), channel })));
  const created = await repo.recordOwed(ctx.knex, owed);
  await Promise.all(created.map((id) => ctx.jobs.sendNotification(id)));
  return created;
}

/**
 * Records and queues what a committed move owes. Never throws (the move has committed): a
 * failure is logged, and reconcile re-queues a recorded message whose job was lost.
 */
export async function recordAfterCommit(ctx: AppContext, move: CommittedMove): Promise<void> {
  try {
    const calledIds = move.called.map((r) => r.id);
    const calls = calledIds.length ? await repo.callCounts(ctx.knex, calledIds) : new Map<number, number>();
    await recordAndQueue(ctx, calledIds, (id) => calledEvent(calls.get(id) ?? 1));
    if (!move.joinOnly) {
      const almost = await repo.almostCandidates(ctx.knex, move.gameId, ctx.config.notify.almostPosition, ctx.config.notify.sms !== null);
      await recordAndQueue(ctx, almost, () => 'almost');
    }
  } catch (err) {
    ctx.logger.error({ err, gameId: move.gameId }, 'could not record or queue notifications');
  }
}

/** Staff "Notify again": the party's current news (called, or almost up) on every channel it has, at most every NOTIFY_AGAIN_SECONDS. */
export async function notifyAgain(ctx: AppContext, reservationId: number, actor: string): Promise<{ channels: repo.Channel[] }> {
  const channels = channelsOf(ctx, (await repo.reachOf(ctx.knex, [reservationId])).get(reservationId));
  const { event, reservation } = await queueRepo.inTransaction(ctx.knex, async (trx) => {
    const locked = await queueRepo.lockReservation(trx, reservationId);
    if (!locked) throw new NotFound('No reservation with that id', { precise: { code: 'reservation_not_found' } });
    const { reservation } = locked;
    if (reservation.status !== 'waiting' && reservation.status !== 'called') throw new Conflict('Only a waiting or called party can be notified', { precise: { code: 'notify_not_live' } });
    if (!channels.length) throw new Conflict('This party can only be reached on the screen: no push subscription and no phone number', { precise: { code: 'no_contact' } });
    const { count, sinceMs } = await repo.againSoFar(trx, reservationId);
    const againMs = ctx.config.notify.againMs;
    if (sinceMs !== null && sinceMs < againMs) {
      const seconds = Math.max(1, Math.ceil((againMs - sinceMs) / 1000));
      throw new RateLimited('This party was notified moments ago; try again in a little while', seconds, { code: 'notified_recently', params: { seconds } });
    }
    await queueRepo.logEvents(trx, [{ reservation, type: 'notified', from: reservation.status, to: reservation.status, actor }]);
    return { event: `again-${count + 1}`, reservation };
  });
  await recordAndQueue(ctx, [reservation.id], () => event);
  ctx.notifier.gamesChanged([reservation.gameId], false);
  return { channels };
}

/** The event of a party's n-th call: "called", then "called-2"… (each call is told once). */
export const calledEvent = (n: number) => (n <= 1 ? 'called' : `called-${n}`);

/** What an event says: "again" repeats the party's current news. */
function kindOf(event: string, reservation: Reservation): MessageKind {
  if (event === 'called' || event === 'almost') return event;
  if (event.startsWith('called-')) return 'called';
  return reservation.status === 'called' ? 'called' : 'almost';
}

async function deliverPush(ctx: AppContext, reservationId: number, cafe: string, kind: MessageKind, facts: MessageFacts): Promise<Outcome> {
  const subs = await repo.subscriptionsOf(ctx.knex, reservationId);
  if (!subs.length) return { result: 'refused', reason: 'no push subscription left' };
  const keys = await vapidKeys(ctx.knex, ctx.config);
  const payload = pushPayload(ctx.config, cafe, kind, facts);
  const reasons: string[] = [];
  let retry: RetryableFailure | null = null;
  for (const sub of subs) {
    try {
      const outcome = await sendPush(ctx.config, keys, sub, payload);
      // One browser that has it is enough: trying the others again could show it twice there.
      if (outcome.result === 'delivered') return outcome;
      if (outcome.result === 'gone') await repo.dropSubscription(ctx.knex, sub.id);
      reasons.push(outcome.reason);
    } catch (err) {
      if (!(err instanceof RetryableFailure)) throw err;
      retry = err;
    }
  }
  if (retry) throw retry;
  return { result: 'refused', reason: reasons.join('; ') };
}

async function deliverText(ctx: AppContext, reservation: Reservation, event: string, cafe: string, kind: MessageKind, facts: MessageFacts): Promise<Outcome> {
  const gateway = textGateway(ctx.config.notify.sms);
  if (!gateway) return { result: 'refused', reason: 'text messages are off' };
  if (!reservation.phone) return { result: 'refused', reason: 'no phone number' };
  const outcome = await gateway.send({ to: reservation.phone, body: messageText(ctx.config, cafe, kind, facts), code: reservation.code, event });
  return outcome.result === 'gone' ? { result: 'refused', reason: outcome.reason } : outcome;
}

export type DeliveryResult = 'delivered' | 'failed' | 'skipped';

/**
 * The `notify` job: one recorded message, handed over once. Idempotent: a message already
 * delivered or failed is left alone. A retryable failure is counted and thrown (BullMQ tries
 * again with backoff); on the last try it is saved as failed.
 */
export async function deliverNotification(ctx: AppContext, notificationId: number, lastTry: boolean): Promise<DeliveryResult> {
  const row = await repo.findNotification(ctx.knex, notificationId);
  if (!row || row.status !== 'queued') return 'skipped';
  const reservation = await queueRepo.findReservation(ctx.knex, row.reservationId);
  if (!reservation) return 'skipped';
  const finish = async (status: repo.DeliveryStatus, error: string | null) => {
    await repo.saveAttempt(ctx.knex, row.id, status, error);
    ctx.notifier.gamesChanged([reservation.gameId], false);
  };
  if (isTerminal(reservation.status)) {
    await finish('failed', 'the ticket ended before the message went out');
    return 'failed';
  }
  const game = await Game.query(ctx.knex).findById(reservation.gameId);
  const cafe = await readCafeVoice(ctx);
  const facts = { code: reservation.code, gameTitle: game?.title ?? '', customerName: reservation.customerName, language: reservation.language ?? cafe.language };
  const kind = kindOf(row.event, reservation);
  try {
    const outcome = row.channel === 'push' ? await deliverPush(ctx, reservation.id, cafe.name, kind, facts) : await deliverText(ctx, reservation, row.event, cafe.name, kind, facts);
    if (outcome.result === 'delivered') {
      await finish('delivered', null);
      return 'delivered';
    }
    await finish('failed', outcome.reason);
    return 'failed';
  } catch (err) {
    if (!(err instanceof RetryableFailure)) throw err;
    await finish(lastTry ? 'failed' : 'queued', err.message);
    throw err;
  }
}

/** Reconcile: messages recorded but still queued long after (their job lost with Redis) are queued again. */
export async function requeueStale(ctx: AppContext): Promise<number> {
  const ids = await repo.staleQueued(ctx.knex, STALE_QUEUED_MS);
  await Promise.all(ids.map((id) => ctx.jobs.sendNotification(id)));
  return ids.length;
}

export interface SubscriptionInput {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** A customer turns on notifications for their own ticket (the secret from joining proves it). */
export async function subscribe(ctx: AppContext, reservation: Reservation, subscription: SubscriptionInput): Promise<void> {
  if (isTerminal(reservation.status)) throw new Conflict('This ticket has ended; there is nothing left to notify', { precise: { code: 'ticket_ended' } });
  if (!allowedEndpoint(ctx.config, subscription.endpoint)) {
    throw new ValidationFailed('This browser’s push service is not one this café sends to', {
      details: [{ path: 'subscription.endpoint', message: 'Not a known push service (PUSH_ENDPOINT_HOSTS)' }],
      precise: { code: 'push_service_refused' },
    });
  }
  await repo.saveSubscription(ctx.knex, reservation.id, subscription);
  ctx.notifier.gamesChanged([reservation.gameId], false);
}

export async function unsubscribe(ctx: AppContext, reservation: Reservation, endpoint: string): Promise<void> {
  await repo.deleteSubscription(ctx.knex, reservation.id, endpoint);
  ctx.notifier.gamesChanged([reservation.gameId], false);
}
