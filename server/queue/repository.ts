import type { Knex } from 'knex';
import { NotFound, Unavailable } from '../errors';
import { Game } from '../models/Game';
import { Reservation } from '../models/Reservation';
import { ReservationEvent } from '../models/ReservationEvent';
import { ACTIVE, USING_A_COPY, type MoveRule, type ReservationStatus } from './states';
import type { WaitEstimate } from './estimates';
import type { Language } from '../i18n/languages';

/**
 * Every query that changes the queue, and the lists staff read: the use cases in `service.ts`
 * read as lock → decide → save through these functions, never SQL of their own. (The reads
 * that build screens — positions, estimates, queues — are in `readModel.ts`.)
 *
 * Locking order, everywhere: the game row, then its reservations. So two transitions on one
 * game run one after the other, and two on different games never wait for each other.
 */

/** The queue order (see ordering.ts): the party's place, then id. */
const QUEUE_ORDER = [{ column: 'queueAt' }, { column: 'id' }];
/** The database's clock, so the order and the holds never depend on which instance asked. */
const NOW = 'CURRENT_TIMESTAMP(3)';
/** Read committed + a lock on the game row: every decision sees the latest commits, in turn. */
const ISOLATION = { isolationLevel: 'read committed' } as const;
/** A deadlock (MySQL picks a victim) is retried this many times, then reported as a 503. */
const DEADLOCK_RETRIES = 3;

const isDeadlock = (err: unknown) => (err as { code?: string })?.code === 'ER_LOCK_DEADLOCK';

/**
 * Runs `work` in one transaction. A transaction MySQL chose as a deadlock victim was rolled
 * back whole, so it is safe to run again; after a few tries the client hears "try again"
 * (503), never a 500.
 */
export async function inTransaction<T>(knex: Knex, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await knex.transaction(work, ISOLATION);
    } catch (err) {
      if (!isDeadlock(err)) throw err;
      if (attempt > DEADLOCK_RETRIES) throw new Unavailable('The queue is very busy right now; please try again', { precise: { code: 'queue_busy' } });
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}

function dbClock(trx: Knex, sql = NOW, bindings: readonly Knex.RawBinding[] = []): Date {
  // Objection's typed patch wants a Date; the database fills in its own clock.
  return trx.raw(sql, bindings) as unknown as Date;
}

export async function databaseNow(trx: Knex): Promise<Date> {
  const [rows] = (await trx.raw(`SELECT ${NOW} AS now`)) as [Array<{ now: Date }>];
  return rows[0]!.now;
}

export async function lockGame(trx: Knex.Transaction, gameId: number): Promise<Game | undefined> {
  return Game.query(trx).findById(gameId).forUpdate();
}

export async function lockExistingGame(trx: Knex.Transaction, gameId: number): Promise<Game> {
  const game = await lockGame(trx, gameId);
  if (!game) throw new NotFound('No game with that id', { precise: { code: 'game_not_found' } });
  return game;
}

/** Locks the reservation's game, then the reservation: always in that order, so never a deadlock. */
export async function lockReservation(trx: Knex.Transaction, id: number): Promise<{ game: Game; reservation: Reservation } | undefined> {
  const found = await Reservation.query(trx).findById(id).select('gameId');
  if (!found) return undefined;
  const game = await lockGame(trx, found.gameId);
  const reservation = await Reservation.query(trx).findById(id).forUpdate();
  return game && reservation ? { game, reservation } : undefined;
}

/** How many of a game's parties are in one of `statuses`. */
export async function activeCount(trx: Knex, gameId: number, statuses: readonly ReservationStatus[]): Promise<number> {
  return Reservation.query(trx).where('gameId', gameId).whereIn('status', statuses).resultSize();
}

export function copiesInUse(trx: Knex, gameId: number): Promise<number> {
  return activeCount(trx, gameId, USING_A_COPY);
}

/** The party of this game called most recently, if that was within `withinMs` (database clock). */
export async function justCalled(trx: Knex, gameId: number, withinMs: number): Promise<Reservation | undefined> {
  return Reservation.query(trx)
    .where('gameId', gameId)
    .whereIn('status', USING_A_COPY)
    .where('calledAt', '>=', trx.raw(`${NOW} - INTERVAL ? MICROSECOND`, [withinMs * 1000]))
    .orderBy('calledAt', 'desc')
    .first();
}

/** The first `count` waiting parties of a game, locked, in queue order. Caller holds the game lock. */
export async function lockQueueHeads(trx: Knex.Transaction, gameId: number, count: number): Promise<Reservation[]> {
  if (count <= 0) return [];
  return Reservation.query(trx)
    .where({ gameId, status: 'waiting' })
    .orderBy(QUEUE_ORDER)
    .limit(count)
    .forUpdate();
}

/** Games with parties still waiting, called or seated that joined before `cutoff` (the close-out's work). */
export async function gamesActiveBefore(trx: Knex, cutoff: Date): Promise<number[]> {
  const rows = (await Reservation.query(trx).distinct('gameId').whereIn('status', ACTIVE).where('enqueuedAt', '<', cutoff).orderBy('gameId')) as Array<{ gameId: number }>;
  return rows.map((r) => r.gameId);
}

/** Locks a game's active parties that joined before `cutoff` (the caller holds the game's lock). */
export async function lockActiveBefore(trx: Knex.Transaction, gameId: number, cutoff: Date): Promise<Reservation[]> {
  return Reservation.query(trx)
    .where('gameId', gameId)
    .whereIn('status', ACTIVE)
    .where('enqueuedAt', '<', cutoff)
    .orderBy([{ column: 'enqueuedAt' }, { column: 'id' }])
    .forUpdate();
}

/** What a move writes besides its rule: the hold it starts, or the minutes it adds to one. */
export interface MoveWrite {
  startsHoldMs?: number;
  extendsHoldMs?: number;
}

/**
 * Writes a move to locked reservations: the new status, the move's timestamps from the
 * database's clock, the columns it empties, the hold it starts or extends and, for a party
 * sent to the back, its new place. Returns the rows as saved, in queue order.
 */
export async function saveMove(
  trx: Knex.Transaction,
  ids: readonly number[],
  rule: MoveRule & { to: ReservationStatus },
  write: MoveWrite,
): Promise<Reservation[]> {
  const patch: Record<string, unknown> = { status: rule.to, updatedAt: dbClock(trx) };
  for (const stamp of rule.stamps) patch[stamp] = dbClock(trx);
  for (const column of rule.clears ?? []) patch[column] = null;
  if (write.startsHoldMs !== undefined) patch.holdExpiresAt = dbClock(trx, `${NOW} + INTERVAL ? MICROSECOND`, [write.startsHoldMs * 1000]);
  // A hold already over (the expiry job is late) is extended from now, not from its past end.
  if (write.extendsHoldMs !== undefined) {
    patch.holdExpiresAt = dbClock(trx, `GREATEST(COALESCE(hold_expires_at, ${NOW}), ${NOW}) + INTERVAL ? MICROSECOND`, [write.extendsHoldMs * 1000]);
  }
  if (rule.place === 'back') patch.queueAt = dbClock(trx);
  await Reservation.query(trx).patch(patch as Partial<Reservation>).whereIn('id', ids);
  return Reservation.query(trx).whereIn('id', ids).orderBy(QUEUE_ORDER);
}

/** A game's waiting parties, locked, in queue order. Caller holds the game lock. */
export async function lockWaiting(trx: Knex.Transaction, gameId: number): Promise<Reservation[]> {
  return Reservation.query(trx).where({ gameId, status: 'waiting' }).orderBy(QUEUE_ORDER).forUpdate();
}

/** New places in the queue (a party moved up or down), one statement. */
export async function savePlaces(trx: Knex.Transaction, places: ReadonlyMap<number, Date>): Promise<void> {
  if (!places.size) return;
  const ids = [...places.keys()];
  await trx.raw(
    `UPDATE reservations SET queue_at = CASE id ${ids.map(() => 'WHEN ? THEN ?').join(' ')} END, updated_at = ${NOW} WHERE id IN (?)`,
    [...ids.flatMap((id) => [id, places.get(id)!]), ids],
  );
}

export interface EventRow {
  reservation: Pick<Reservation, 'id' | 'gameId'>;
  type: string;
  from: ReservationStatus | null;
  to: ReservationStatus | null;
  actor: string;
  waitMs?: number | null;
  /** what else the move needs to be understood later (minutes added, places moved), as JSON */
  details?: Record<string, unknown> | null;
}

const STAFF_ACTOR = 'staff:';

/**
 * The event log: who moved which party from what to what (one INSERT for any number). A staff
 * actor ("staff:<username>") is also stored as the account's id, read in the same statement,
 * so the audit log knows who it was even after a rename or removal.
 */
export async function logEvents(trx: Knex, events: readonly EventRow[]): Promise<void> {
  if (!events.length) return;
  await trx(ReservationEvent.tableName).insert(
    events.map((e) => ({
      reservationId: e.reservation.id,
      gameId: e.reservation.gameId,
      type: e.type,
      fromStatus: e.from,
      toStatus: e.to,
      actor: e.actor,
      staffUserId: e.actor.startsWith(STAFF_ACTOR)
        ? trx.raw('(SELECT id FROM staff_users WHERE username = ?)', [e.actor.slice(STAFF_ACTOR.length)])
        : null,
      waitMs: e.waitMs ?? null,
      details: e.details ? JSON.stringify(e.details) : null,
    })),
  );
}

export async function deleteReservations(trx: Knex.Transaction, ids: readonly number[]): Promise<void> {
  await Reservation.query(trx).delete().whereIn('id', ids);
}

export interface DetailsPatch {
  customerName?: string;
  partySize?: number;
  tableNumber?: number | null;
}

export async function saveDetails(trx: Knex.Transaction, id: number, patch: DetailsPatch): Promise<Reservation> {
  await Reservation.query(trx).patch({ ...patch, updatedAt: dbClock(trx) }).findById(id);
  return (await Reservation.query(trx).findById(id))!;
}

export async function findReservation(knex: Knex, id: number): Promise<Reservation | undefined> {
  return Reservation.query(knex).findById(id);
}

/** How long an ended ticket still resolves by its code; after that the code may be drawn again. */
const LIVE_CODE_GRACE = 'INTERVAL 1 DAY';

/** The live ticket with this code: open, or ended less than a day ago. */
export async function findByCode(knex: Knex, code: string): Promise<Reservation | undefined> {
  return Reservation.query(knex)
    .findOne({ liveCode: code })
    .where((q) => q.whereNull('finishedAt').orWhereRaw(`finished_at > ${NOW} - ${LIVE_CODE_GRACE}`));
}

/** Ended over a day ago: the code stops resolving and may be drawn again. Returns how many. */
export async function releaseCodes(knex: Knex): Promise<number> {
  return Reservation.query(knex)
    .patch({ liveCode: null })
    .whereNotNull('liveCode')
    .whereRaw(`finished_at <= ${NOW} - ${LIVE_CODE_GRACE}`);
}

/**
 * Erases the personal data of reservations that ended more than `days` ago: the name, the phone
 * number (and the table). What happened and when stays, so statistics keep their history.
 * Returns how many.
 */
export async function erasePersonalData(knex: Knex, days: number): Promise<number> {
  return Reservation.query(knex)
    .patch({ customerName: '', tableNumber: null, deviceId: null, phone: null })
    .where((q) => q.whereNot('customerName', '').orWhereNotNull('phone'))
    .whereRaw(`finished_at <= ${NOW} - INTERVAL ? DAY`, [days]);
}

export interface ReservationFilter {
  gameId?: number;
  status?: ReservationStatus;
  endedWithinMinutes?: number;
  limit: number;
}

/** Reservations in queue order, for staff lists. */
export async function listReservations(knex: Knex, filter: ReservationFilter): Promise<Reservation[]> {
  return Reservation.query(knex)
    .modify((q) => {
      if (filter.gameId) q.where('gameId', filter.gameId);
      if (filter.status) q.where('status', filter.status);
      if (filter.endedWithinMinutes) q.whereRaw(`finished_at > ${NOW} - INTERVAL ? MINUTE`, [filter.endedWithinMinutes]);
    })
    .orderBy(QUEUE_ORDER)
    .limit(filter.limit);
}

/** Games owed a call: auto-advance on, someone waiting and a copy free. */
export async function gamesOwedACall(knex: Knex): Promise<number[]> {
  const [rows] = (await knex.raw(
    `SELECT g.id FROM games g
     WHERE g.active = 1 AND g.auto_advance = 1
       AND EXISTS (SELECT 1 FROM reservations w WHERE w.game_id = g.id AND w.status = 'waiting')
       AND g.copies > (SELECT COUNT(*) FROM reservations u WHERE u.game_id = g.id AND u.status IN ('called','seated'))`,
  )) as [Array<{ id: number }>];
  return rows.map((r) => r.id);
}

/** One game's queue as the metrics see it: counts per status and the oldest overdue hold. */
export interface GameQueueState {
  id: number;
  title: string;
  copies: number;
  active: boolean;
  autoAdvance: boolean;
  waiting: number;
  called: number;
  seated: number;
  /** seconds since the earliest hold that should have ended did, 0 when none has */
  overdueHoldSeconds: number;
}

/**
 * Every game's queue in ONE statement (a /metrics scrape makes no other query): each count is
 * an index range of `reservations_queue_order` (game, status), the overdue hold a range of it.
 */
export async function gameQueueStates(knex: Knex): Promise<GameQueueState[]> {
  const count = (status: string) => `(SELECT COUNT(*) FROM reservations r WHERE r.game_id = g.id AND r.status = '${status}')`;
  const [rows] = (await knex.raw(
    `SELECT g.id, g.title, g.copies, g.active, g.auto_advance AS autoAdvance,
       ${count('waiting')} AS waiting, ${count('called')} AS called, ${count('seated')} AS seated,
       COALESCE(TIMESTAMPDIFF(MICROSECOND,
         (SELECT MIN(h.hold_expires_at) FROM reservations h
           WHERE h.game_id = g.id AND h.status = 'called' AND h.hold_expires_at < ${NOW}), ${NOW}) / 1e6, 0) AS overdue
     FROM games g ORDER BY g.id`,
  )) as [Array<{ id: number; title: string; copies: number; active: number; autoAdvance: number; waiting: number | string; called: number | string; seated: number | string; overdue: number | string }>];
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    copies: Number(r.copies),
    active: Boolean(r.active),
    autoAdvance: Boolean(r.autoAdvance),
    waiting: Number(r.waiting),
    called: Number(r.called),
    seated: Number(r.seated),
    overdueHoldSeconds: Number(r.overdue),
  }));
}

/** Every running hold, with when it ends. */
export async function runningHolds(knex: Knex): Promise<Array<Pick<Reservation, 'id' | 'holdExpiresAt'>>> {
  return Reservation.query(knex).where('status', 'called').whereNotNull('holdExpiresAt').select('id', 'holdExpiresAt');
}

// ---- the join writer's statements (group commit, see joins.ts) ----

/**
 * Room left in the queues of games with a cap: locks those games' rows (so joins on several
 * instances cannot overshoot the cap together) and counts who waits. Games without a cap are
 * neither locked nor counted.
 */
export async function queueRoom(trx: Knex.Transaction, games: readonly Game[]): Promise<Map<number, number>> {
  const capped = [...new Map(games.filter((g) => g.maxQueue !== null).map((g) => [g.id, g])).values()];
  if (!capped.length) return new Map();
  const locked = await Game.query(trx).whereIn('id', capped.map((g) => g.id)).forUpdate();
  const [rows] = (await trx.raw(
    `SELECT game_id AS gameId, COUNT(*) AS n FROM reservations WHERE status = 'waiting' AND game_id IN (?) GROUP BY game_id`,
    [locked.map((g) => g.id)],
  )) as [Array<{ gameId: number; n: number | string }>];
  const waiting = new Map(rows.map((r) => [Number(r.gameId), Number(r.n)]));
  return new Map(locked.filter((g) => g.maxQueue !== null).map((g) => [g.id, Math.max(0, g.maxQueue! - (waiting.get(g.id) ?? 0))]));
}

export async function readGames(knex: Knex, ids: readonly number[]): Promise<Game[]> {
  return Game.query(knex).whereIn('id', [...ids]);
}

/** Which of `codes` belong to live tickets already. */
export async function takenCodes(trx: Knex, codes: readonly string[]): Promise<string[]> {
  const rows = (await trx('reservations').whereIn('liveCode', [...codes]).select('liveCode')) as Array<{ liveCode: string }>;
  return rows.map((r) => r.liveCode);
}

export interface NewReservation {
  gameId: number;
  code: string;
  customerName: string;
  partySize: number;
  tableNumber: number | null;
  phone: string | null;
  secretHash: string;
  deviceId: string | null;
  language: Language | null;
}

/** The live tickets (waiting, called or seated) that these phones joined with. */
export async function liveTicketsOfDevices(knex: Knex, deviceIds: readonly string[]): Promise<Array<{ deviceId: string; gameId: number; code: string }>> {
  const rows = await Reservation.query(knex).whereIn('deviceId', [...deviceIds]).whereIn('status', ACTIVE).select('deviceId', 'gameId', 'code');
  return rows.map((r) => ({ deviceId: r.deviceId!, gameId: r.gameId, code: r.code }));
}

/** One multi-row INSERT; the rows come back by code, in the order given. */
export async function insertWaiting(trx: Knex.Transaction, rows: readonly NewReservation[]): Promise<Reservation[]> {
  await trx('reservations').insert(rows.map((r) => ({ ...r, liveCode: r.code, status: 'waiting' })));
  const created = await Reservation.query(trx).whereIn('liveCode', rows.map((r) => r.code));
  // Codes compare case-insensitively in MySQL; they are drawn in upper case only.
  const byCode = new Map(created.map((r) => [r.code.toUpperCase(), r]));
  return rows.map((r) => byCode.get(r.code.toUpperCase())!);
}

/** The waits quoted to parties as they joined (one UPDATE for any number), for estimate accuracy. */
export async function recordQuotes(knex: Knex, quotes: ReadonlyArray<{ id: number; quote: WaitEstimate }>): Promise<void> {
  if (!quotes.length) return;
  const column = (pick: (q: WaitEstimate) => number) =>
    knex.raw(`CASE id ${quotes.map(() => 'WHEN ? THEN ?').join(' ')} END`, quotes.flatMap(({ id, quote }) => [id, pick(quote)]));
  await Reservation.query(knex)
    .patch({
      quotedWaitMinutes: column((q) => q.minutes),
      quotedWaitLowMinutes: column((q) => q.lowMinutes),
      quotedWaitHighMinutes: column((q) => q.highMinutes),
    } as unknown as Partial<Reservation>)
    .whereIn('id', quotes.map((q) => q.id));
}
