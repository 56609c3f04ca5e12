import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { TERMINAL } from '../queue/states';

/**
 * Every query about reaching customers: push subscriptions per reservation, the messages owed
 * (one row per reservation, event and channel: the unique key is what makes "nothing twice"
 * hold across processes and retries) and what became of them.
 */

export type Channel = 'push' | 'sms';
export type DeliveryStatus = 'queued' | 'delivered' | 'failed';

export interface PushSubscriptionRow {
  id: number;
  reservationId: number;
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface NotificationRow {
  id: number;
  reservationId: number;
  event: string;
  channel: Channel;
  status: DeliveryStatus;
  attempts: number;
  error: string | null;
  updatedAt: Date;
}

const endpointHash = (endpoint: string) => createHash('sha256').update(endpoint).digest('hex');

/** Stores a browser's subscription for a ticket (the same browser again: its keys refreshed). */
export async function saveSubscription(knex: Knex, reservationId: number, sub: { endpoint: string; keys: { p256dh: string; auth: string } }): Promise<void> {
  await knex.raw(
    `INSERT INTO push_subscriptions (reservation_id, endpoint, endpoint_hash, p256dh, auth) VALUES (?, ?, ?, ?, ?)
     ON DUPLICATE KEY UPDATE p256dh = VALUES(p256dh), auth = VALUES(auth)`,
    [reservationId, sub.endpoint, endpointHash(sub.endpoint), sub.keys.p256dh, sub.keys.auth],
  );
}

export async function deleteSubscription(knex: Knex, reservationId: number, endpoint: string): Promise<number> {
  return knex('push_subscriptions').where({ reservationId, endpointHash: endpointHash(endpoint) }).delete();
}

export async function subscriptionsOf(knex: Knex, reservationId: number): Promise<PushSubscriptionRow[]> {
  return knex('push_subscriptions').where({ reservationId }).select('id', 'reservationId', 'endpoint', 'p256dh', 'auth');
}

/** The push service says the subscription is gone (404/410): it is never tried again. */
export async function dropSubscription(knex: Knex, id: number): Promise<void> {
  await knex('push_subscriptions').where({ id }).delete();
}

/** Reservations that ended: their phones are not pushed to again (in the ending transaction). */
export async function dropSubscriptionsOf(trx: Knex, reservationIds: readonly number[]): Promise<void> {
  if (reservationIds.length) await trx('push_subscriptions').whereIn('reservationId', [...reservationIds]).delete();
}

/**
 * Subscriptions of ended tickets that can no longer come back: their code was released (a day
 * after, so staff can no longer reinstate them), or they ended over `days` ago. Returns how many.
 */
export async function eraseEndedSubscriptions(knex: Knex, days: number): Promise<number> {
  return knex('push_subscriptions')
    .whereIn(
      'reservationId',
      knex('reservations')
        .select('id')
        .whereIn('status', TERMINAL)
        .where((q) => q.whereNull('liveCode').orWhereRaw('finished_at <= CURRENT_TIMESTAMP(3) - INTERVAL ? DAY', [days])),
    )
    .delete();
}

/** How each of these reservations can be reached: has a push subscription, has a phone. */
export async function reachOf(knex: Knex, reservationIds: readonly number[]): Promise<Map<number, { push: boolean; phone: boolean }>> {
  const reach = new Map<number, { push: boolean; phone: boolean }>();
  if (!reservationIds.length) return reach;
  const [rows] = (await knex.raw(
    `SELECT r.id, r.phone IS NOT NULL AS phone, EXISTS (SELECT 1 FROM push_subscriptions s WHERE s.reservation_id = r.id) AS push
     FROM reservations r WHERE r.id IN (?)`,
    [[...reservationIds]],
  )) as [Array<{ id: number; phone: number; push: number }>];
  for (const row of rows) reach.set(row.id, { push: Boolean(Number(row.push)), phone: Boolean(Number(row.phone)) });
  return reach;
}

/**
 * How many times each party has been called (its `called` events; a step back from seated is
 * not a call). A party called again after an undo is owed a new "called" message.
 */
export async function callCounts(knex: Knex, reservationIds: readonly number[]): Promise<Map<number, number>> {
  const rows = (await knex('reservation_events')
    .whereIn('reservation_id', [...reservationIds])
    .where('type', 'called')
    .groupBy('reservation_id')
    .select('reservation_id as reservationId')
    .count({ n: '*' })) as Array<{ reservationId: number; n: number | string }>;
  return new Map(rows.map((r) => [r.reservationId, Number(r.n)]));
}

/**
 * Records the messages owed, at most once per reservation, event and channel: a row that
 * exists already is left alone (INSERT IGNORE on the unique key). Returns the rows this call
 * created, which are the ones to send.
 */
export async function recordOwed(knex: Knex, owed: ReadonlyArray<{ reservationId: number; event: string; channel: Channel }>): Promise<number[]> {
  const created: number[] = [];
  for (const o of owed) {
    const [result] = (await knex.raw('INSERT IGNORE INTO notifications (reservation_id, event, channel) VALUES (?, ?, ?)', [o.reservationId, o.event, o.channel])) as [
      { affectedRows: number; insertId: number },
    ];
    if (result.affectedRows === 1) created.push(result.insertId);
  }
  return created;
}

export async function findNotification(knex: Knex, id: number): Promise<NotificationRow | undefined> {
  return knex('notifications').where({ id }).first('id', 'reservationId', 'event', 'channel', 'status', 'attempts', 'error', 'updatedAt');
}

/** What became of one try: delivered, failed for good, or still queued for another try. */
export async function saveAttempt(knex: Knex, id: number, status: DeliveryStatus, error: string | null): Promise<void> {
  await knex('notifications')
    .where({ id })
    .update({ status, error: error?.slice(0, 255) ?? null, attempts: knex.raw('attempts + 1'), updatedAt: knex.raw('CURRENT_TIMESTAMP(3)') });
}

/** Messages still queued a while after they were recorded (their job lost with Redis): re-sent by reconcile. */
export async function staleQueued(knex: Knex, olderThanMs: number): Promise<number[]> {
  const rows = (await knex('notifications')
    .where('status', 'queued')
    .whereRaw('created_at < CURRENT_TIMESTAMP(3) - INTERVAL ? MICROSECOND', [olderThanMs * 1000])
    .whereRaw('created_at > CURRENT_TIMESTAMP(3) - INTERVAL 1 HOUR')
    .select('id')) as Array<{ id: number }>;
  return rows.map((r) => r.id);
}

/** The latest message of each reservation (staff see whether it was delivered). */
export async function lastMessages(knex: Knex, reservationIds: readonly number[]): Promise<Map<number, NotificationRow>> {
  const last = new Map<number, NotificationRow>();
  if (!reservationIds.length) return last;
  const rows = (await knex('notifications')
    .whereIn('reservationId', [...reservationIds])
    .orderBy('id')
    .select('id', 'reservationId', 'event', 'channel', 'status', 'attempts', 'error', 'updatedAt')) as NotificationRow[];
  for (const row of rows) last.set(row.reservationId, row);
  return last;
}

/** How many "notify again" messages a reservation had (the next one's number) and how long ago the last, by the database's clock. */
export async function againSoFar(trx: Knex, reservationId: number): Promise<{ count: number; sinceMs: number | null }> {
  const [rows] = (await trx.raw(
    `SELECT COUNT(DISTINCT event) AS count, TIMESTAMPDIFF(MICROSECOND, MAX(created_at), CURRENT_TIMESTAMP(3)) / 1000 AS sinceMs
     FROM notifications WHERE reservation_id = ? AND event LIKE 'again-%'`,
    [reservationId],
  )) as [Array<{ count: number | string; sinceMs: number | string | null }>];
  const row = rows[0]!;
  return { count: Number(row.count), sinceMs: row.sinceMs === null ? null : Number(row.sinceMs) };
}

/**
 * Waiting parties of a game at position `1..upTo` that have a way to be reached (a push
 * subscription, or a phone when texts are on) and were not yet told "almost your turn".
 */
export async function almostCandidates(knex: Knex, gameId: number, upTo: number, withPhones: boolean): Promise<number[]> {
  if (upTo <= 0) return [];
  const [rows] = (await knex.raw(
    `SELECT h.id FROM (
       SELECT id, phone FROM reservations WHERE game_id = ? AND status = 'waiting' ORDER BY enqueued_at, id LIMIT ?
     ) h
     WHERE (EXISTS (SELECT 1 FROM push_subscriptions s WHERE s.reservation_id = h.id) OR (? AND h.phone IS NOT NULL))
       AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.reservation_id = h.id AND n.event = 'almost')`,
    [gameId, upTo, withPhones ? 1 : 0],
  )) as [Array<{ id: number }>];
  return rows.map((r) => r.id);
}
