import type { Knex } from 'knex';
import { Game } from '../models/Game';
import { Reservation } from '../models/Reservation';
import { ACTIVE, USING_A_COPY } from './states';
import { estimateQueue, historyOf, HISTORY_CALLS, NO_HISTORY, type BusyCopy, type EndedCall, type GameHistory, type QueueFacts, type WaitEstimate } from './estimates';
import { compareQueueOrder } from './ordering';
import { contactColumns, toContact, type Contact, type ContactColumns } from '../notify/contact';

export interface ReservationView {
  id: number;
  gameId: number;
  code: string;
  customerName: string;
  partySize: number;
  tableNumber: number | null;
  status: Reservation['status'];
  language: Reservation['language'];
  position: number | null;
  estimatedWaitMinutes: number | null;
  /** the quote with its range; null unless waiting */
  estimatedWait: WaitEstimate | null;
  enqueuedAt: string;
  calledAt: string | null;
  holdExpiresAt: string | null;
  seatedAt: string | null;
  wrappingUpAt: string | null;
  finishedAt: string | null;
  /** codes of this game's other live parties that joined from the same phone (staff's marker) */
  sameDeviceAs: string[];
  /** staff only: how the party is reached and what became of its last message (on live queues) */
  contact?: Contact;
}

export interface GameQueue {
  game: Game;
  copiesInUse: number;
  /** waiting parties in queue order, with position and estimate */
  waiting: ReservationView[];
  calling: ReservationView[];
  seated: ReservationView[];
  /** the wait a party joining now would be quoted (the estimate one place behind the last) */
  quotedWaitMinutes: number | null;
  quotedWait: WaitEstimate | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toReservationView(r: Reservation, position: number | null = null, estimate: WaitEstimate | null = null): ReservationView {
  return {
    id: r.id,
    gameId: r.gameId,
    code: r.code,
    customerName: r.customerName,
    partySize: r.partySize,
    tableNumber: r.tableNumber,
    status: r.status,
    language: r.language ?? null,
    position: r.status === 'waiting' ? position : null,
    estimatedWaitMinutes: r.status === 'waiting' ? (estimate?.minutes ?? null) : null,
    estimatedWait: r.status === 'waiting' ? estimate : null,
    enqueuedAt: r.enqueuedAt.toISOString(),
    calledAt: iso(r.calledAt),
    holdExpiresAt: iso(r.holdExpiresAt),
    seatedAt: iso(r.seatedAt),
    wrappingUpAt: iso(r.wrappingUpAt),
    finishedAt: iso(r.finishedAt),
    sameDeviceAs: [],
  };
}

/** Marks the live parties of one game that joined from one phone with each other's codes. */
function markSharedDevices(queue: GameQueue, rows: readonly Reservation[]): GameQueue {
  const byDevice = new Map<string, string[]>();
  for (const r of rows) if (r.deviceId) byDevice.set(r.deviceId, [...(byDevice.get(r.deviceId) ?? []), r.code]);
  const shared = new Map<number, string[]>();
  for (const r of rows) {
    const codes = r.deviceId ? byDevice.get(r.deviceId)! : [];
    if (codes.length > 1) shared.set(r.id, codes.filter((c) => c !== r.code));
  }
  if (!shared.size) return queue;
  const mark = (v: ReservationView) => (shared.has(v.id) ? { ...v, sameDeviceAs: shared.get(v.id)! } : v);
  return { ...queue, waiting: queue.waiting.map(mark), calling: queue.calling.map(mark), seated: queue.seated.map(mark) };
}

/** A duration MySQL computed (a DECIMAL comes back as a string); null when a timestamp was missing. */
type Ms = string | number | null;

/** Each game's latest ended calls (finished or no-show), most recent first: its history. */
async function queryHistory(knex: Knex, gameIds: number[]): Promise<Map<number, GameHistory>> {
  const byGame = new Map<number, EndedCall[]>(gameIds.map((id) => [id, []]));
  if (!gameIds.length) return new Map();
  const [rows] = (await knex.raw(
    `SELECT game_id AS gameId, status, played_ms AS playedMs, held_ms AS heldMs, show_up_ms AS showUpMs, wrap_up_lead_ms AS wrapUpLeadMs FROM (
       SELECT game_id, status,
              CASE WHEN seated_at IS NOT NULL THEN TIMESTAMPDIFF(MICROSECOND, seated_at, finished_at) / 1000 END AS played_ms,
              TIMESTAMPDIFF(MICROSECOND, called_at, finished_at) / 1000 AS held_ms,
              CASE WHEN seated_at IS NOT NULL THEN TIMESTAMPDIFF(MICROSECOND, called_at, seated_at) / 1000 END AS show_up_ms,
              CASE WHEN wrapping_up_at IS NOT NULL THEN TIMESTAMPDIFF(MICROSECOND, wrapping_up_at, finished_at) / 1000 END AS wrap_up_lead_ms,
              ROW_NUMBER() OVER (PARTITION BY game_id ORDER BY finished_at DESC, id DESC) AS rn
       FROM reservations
       WHERE status IN ('finished', 'no_show') AND called_at IS NOT NULL AND finished_at IS NOT NULL AND game_id IN (?)
     ) recent WHERE rn <= ? ORDER BY rn`,
    [gameIds, HISTORY_CALLS],
  )) as [Array<{ gameId: number; status: string; playedMs: Ms; heldMs: string | number; showUpMs: Ms; wrapUpLeadMs: Ms }>];
  const ms = (value: Ms) => (value === null ? null : Number(value));
  for (const row of rows) {
    byGame
      .get(row.gameId)
      ?.push(
        row.status === 'no_show'
          ? { noShow: true, heldMs: Number(row.heldMs) }
          : { noShow: false, playedMs: ms(row.playedMs), showUpMs: ms(row.showUpMs), wrapUpLeadMs: ms(row.wrapUpLeadMs) },
      );
  }
  return new Map([...byGame].map(([id, calls]) => [id, historyOf(calls)]));
}

/**
 * A game's history changes only when a call ends, and a minute of estimate never hinges on the
 * last few seconds: each process re-reads it at most this often per game, instead of on every
 * snapshot and every join.
 */
export const HISTORY_TTL_MS = 10_000;
const historyCache = new WeakMap<Knex, Map<number, { history: GameHistory; readAt: number }>>();

/** A call of this game ended here: this process's next estimate for it reads the history at once. */
export function forgetGameHistory(knex: Knex, gameId: number): void {
  historyCache.get(knex)?.delete(gameId);
}

export async function gameHistories(knex: Knex, gameIds: number[]): Promise<Map<number, GameHistory>> {
  const cache = historyCache.get(knex) ?? historyCache.set(knex, new Map()).get(knex)!;
  const now = Date.now();
  // What the cache held when asked: a game forgotten while the query runs keeps this answer.
  const known = new Map(gameIds.map((id) => [id, cache.get(id)]));
  const stale = gameIds.filter((id) => (known.get(id)?.readAt ?? -Infinity) < now - HISTORY_TTL_MS);
  if (stale.length) {
    const fresh = await queryHistory(knex, stale);
    for (const id of stale) {
      const entry = { history: fresh.get(id) ?? NO_HISTORY, readAt: now };
      cache.set(id, entry);
      known.set(id, entry);
    }
  }
  return new Map(gameIds.map((id) => [id, known.get(id)!.history]));
}

/**
 * The live queue of each game: who waits (with positions and estimates), who is called, who
 * plays. Three queries whatever the number of games.
 */
export async function loadQueues(knex: Knex, gameIds?: number[], now = new Date()): Promise<GameQueue[]> {
  const gamesQuery = Game.query(knex).orderBy('title');
  if (gameIds) gamesQuery.whereIn('id', gameIds);
  const games = await gamesQuery;
  const ids = games.map((g) => g.id);
  if (!ids.length) return [];
  const [active, histories] = await Promise.all([
    Reservation.query(knex).select('reservations.*', ...contactColumns(knex)).whereIn('gameId', ids).whereIn('status', ACTIVE).orderBy([
      { column: 'queueAt' },
      { column: 'id' },
    ]),
    gameHistories(knex, ids),
  ]);
  const byGame = new Map<number, Reservation[]>(ids.map((id) => [id, []]));
  for (const r of active) byGame.get(r.gameId)!.push(r);

  return games.map((game) => {
    const rows = byGame.get(game.id)!.sort(compareQueueOrder);
    const waitingRows = rows.filter((r) => r.status === 'waiting');
    const busy = rows.filter((r) => r.status === 'called' || r.status === 'seated');
    const estimates = estimateQueue({
      now,
      copies: game.copies,
      playMinutes: game.playMinutes,
      history: histories.get(game.id) ?? NO_HISTORY,
      busy: busy.map((r) => ({ status: r.status as 'called' | 'seated', calledAt: r.calledAt, seatedAt: r.seatedAt, wrappingUpAt: r.wrappingUpAt })),
      // One more than wait: the last estimate is what a party joining now is quoted.
      waitingCount: waitingRows.length + 1,
    });
    return markSharedDevices({
      game,
      copiesInUse: busy.length,
      waiting: waitingRows.map((r, i) => withContact(toReservationView(r, i + 1, estimates[i] ?? null), r)),
      calling: rows.filter((r) => r.status === 'called').map((r) => withContact(toReservationView(r), r)),
      seated: rows.filter((r) => r.status === 'seated').map((r) => withContact(toReservationView(r), r)),
      quotedWaitMinutes: estimates[waitingRows.length]?.minutes ?? null,
      quotedWait: estimates[waitingRows.length] ?? null,
    }, rows);
  });
}

const withContact = (view: ReservationView, r: Reservation): ReservationView => ({ ...view, contact: toContact(r as Reservation & ContactColumns) });

export async function loadQueue(knex: Knex, gameId: number): Promise<GameQueue | undefined> {
  const [queue] = await loadQueues(knex, [gameId]);
  return queue;
}

/** A reservation as the API shows it, with its live position and estimate when waiting. */
export async function viewReservation(knex: Knex, reservation: Reservation): Promise<ReservationView> {
  if (reservation.status !== 'waiting') return toReservationView(reservation);
  const queue = await loadQueue(knex, reservation.gameId);
  return queue?.waiting.find((w) => w.id === reservation.id) ?? toReservationView(reservation);
}

const AHEAD = '(queue_at < ? OR (queue_at = ? AND id < ?))';
const FROM = '(queue_at > ? OR (queue_at = ? AND id >= ?))';
const UP_TO = '(queue_at < ? OR (queue_at = ? AND id <= ?))';

/**
 * Queue positions of waiting parties, in one statement whatever their number: per game, one
 * COUNT over the queue index of those ahead of the first of them, plus the rank of each in the
 * (short) span of waiting rows from the first of them to the last. So a batch of joins costs one
 * index range count per game, not one per party, and the positions are exact even when other
 * parties' rows fall between them.
 */
export async function queuePositions(knex: Knex, rows: ReadonlyArray<Pick<Reservation, 'id' | 'gameId' | 'queueAt'>>): Promise<Map<number, number>> {
  const byGame = new Map<number, Array<Pick<Reservation, 'id' | 'gameId' | 'queueAt'>>>();
  for (const r of rows) byGame.set(r.gameId, [...(byGame.get(r.gameId) ?? []), r]);
  const parts: string[] = [];
  const bindings: Knex.RawBinding[] = [];
  for (const [gameId, mine] of byGame) {
    mine.sort(compareQueueOrder);
    const first = mine[0]!;
    const last = mine[mine.length - 1]!;
    const key = (r: typeof first) => [r.queueAt, r.queueAt, r.id];
    parts.push(`SELECT game_id AS gameId, COUNT(*) AS ahead, NULL AS id, NULL AS spanRank FROM reservations
      WHERE game_id = ? AND status = 'waiting' AND ${AHEAD} GROUP BY game_id`);
    bindings.push(gameId, ...key(first));
    parts.push(`SELECT game_id, NULL, id, ROW_NUMBER() OVER (ORDER BY queue_at, id) FROM reservations
      WHERE game_id = ? AND status = 'waiting' AND ${FROM} AND ${UP_TO}`);
    bindings.push(gameId, ...key(first), ...key(last));
  }
  if (!parts.length) return new Map();
  // Columns that are NULL in one part of a UNION may come back as strings: hence Number().
  const [result] = (await knex.raw(parts.map((p) => `(${p})`).join(' UNION ALL '), bindings)) as [
    Array<{ gameId: number | string; ahead: number | string | null; id: number | string | null; spanRank: number | string | null }>,
  ];
  const ahead = new Map<number, number>();
  for (const row of result) if (row.id === null) ahead.set(Number(row.gameId), Number(row.ahead));
  const asked = new Set(rows.map((r) => r.id));
  const positions = new Map<number, number>();
  for (const row of result) {
    if (row.id !== null && asked.has(Number(row.id))) positions.set(Number(row.id), (ahead.get(Number(row.gameId)) ?? 0) + Number(row.spanRank));
  }
  return positions;
}

/** The copies each game has out (called or seated parties), for estimates and free copies. */
export async function busyCopies(knex: Knex, gameIds: readonly number[]): Promise<Map<number, BusyCopy[]>> {
  const byGame = new Map<number, BusyCopy[]>(gameIds.map((id) => [id, []]));
  if (!gameIds.length) return byGame;
  const rows = await Reservation.query(knex)
    .whereIn('gameId', gameIds)
    .whereIn('status', USING_A_COPY)
    .select('gameId', 'status', 'calledAt', 'seatedAt', 'wrappingUpAt');
  for (const r of rows) byGame.get(r.gameId)?.push({ status: r.status as BusyCopy['status'], calledAt: r.calledAt, seatedAt: r.seatedAt, wrappingUpAt: r.wrappingUpAt });
  return byGame;
}

/**
 * How long the quotes worked out for one batch of joins serve the batches after it, as long as
 * the facts they follow from (copies, play time, history, the copies in use) are the same.
 */
export const QUOTES_REUSED_MS = 1_000;

/**
 * Each game's latest quotes, reused by the joins that follow. A quote takes 256 scenarios over
 * every place up to the newcomer's, so its cost grows with the queue: worked out anew for every
 * batch of joins, it took about half of the join path's CPU once queues grew long (bench/README.md,
 * round 4). So they are worked out for a quarter more places than asked, and the next batches
 * take theirs from that list while the game's facts stand and the list is under a second old.
 * A place's quote does not depend on how many stand behind it (estimateQueue's contract), so
 * the longer list quotes every place as a list of just enough would; what a reused list gives
 * is the quote as it stood at most QUOTES_REUSED_MS earlier. A change of the facts (a call, a
 * copy freed, a session ended, the game edited) makes the next batch work them out again.
 */
export class QuoteMemo {
  private readonly held = new Map<number, { facts: string; at: number; quotes: Array<WaitEstimate | null> }>();

  quotes(gameId: number, facts: Omit<QueueFacts, 'waitingCount'>, places: number): Array<WaitEstimate | null> {
    const { now, ...rest } = facts;
    const key = JSON.stringify(rest);
    const at = now.getTime();
    const held = this.held.get(gameId);
    if (held && held.facts === key && held.quotes.length >= places && at >= held.at && at - held.at < QUOTES_REUSED_MS) return held.quotes;
    const quotes = estimateQueue({ ...facts, waitingCount: places + Math.max(16, Math.ceil(places / 4)) });
    this.held.set(gameId, { facts: key, at, quotes });
    return quotes;
  }
}

/**
 * Views of parties that have just joined one game, from their positions (counted by
 * queuePositions rather than by loading the whole queue, which made each join cost
 * O(queue length)): same order and same estimates as loadQueues. Without the copies in use
 * (their read failed) the estimates are left out rather than guessed. With a memo, the
 * quotes of the batches just before are reused (see QuoteMemo).
 */
export function viewNewcomers(
  game: Game,
  joined: ReadonlyArray<{ row: Reservation; position: number }>,
  known: { busy: BusyCopy[]; history: GameHistory } | undefined,
  now = new Date(),
  memo?: QuoteMemo,
): ReservationView[] {
  const places = Math.max(0, ...joined.map((j) => j.position));
  const facts = known && { now, copies: game.copies, playMinutes: game.playMinutes, history: known.history, busy: known.busy };
  const estimates = !facts ? [] : memo ? memo.quotes(game.id, facts, places) : estimateQueue({ ...facts, waitingCount: places });
  return joined.map(({ row, position }) => toReservationView(row, position, estimates[position - 1] ?? null));
}

/**
 * The wait a party joining each game now would be quoted (the join page's game list): as if
 * one more party stood at the end of its queue. Null for games with no copy to lend.
 */
export async function joinWaits(knex: Knex, games: ReadonlyArray<{ game: Game; waiting: number }>, now = new Date()): Promise<Map<number, WaitEstimate | null>> {
  const ids = games.map((g) => g.game.id);
  const [busy, histories] = await Promise.all([busyCopies(knex, ids), gameHistories(knex, ids)]);
  return new Map(
    games.map(({ game, waiting }) => {
      const quotes = estimateQueue({
        now,
        copies: game.copies,
        playMinutes: game.playMinutes,
        history: histories.get(game.id) ?? NO_HISTORY,
        busy: busy.get(game.id) ?? [],
        waitingCount: waiting + 1,
      });
      return [game.id, quotes[waiting] ?? null];
    }),
  );
}
