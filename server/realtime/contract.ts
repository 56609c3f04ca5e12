// Realtime pipeline, the messages: change notices between steps 2 and 3 (server to server),
// and the events the namespaces of step 4 send to screens (the Socket.IO contract).
import type { BoardGame, StaffGame } from '../board/board';
import type { Stats } from '../stats/stats';
import type { Ticket } from '../tickets/tickets';
import type { Cafe } from '../settings/identity';

/**
 * The Socket.IO side of docs/API.md#socketio: namespaces, rooms and payloads. Every state payload carries
 * the service-wide `version`; a client drops anything at or below the version it holds.
 */
export const NAMESPACES = { board: '/board', staff: '/staff', ticket: '/ticket', cafe: '/cafe' } as const;

export interface GamesSnapshot<G> {
  version: number;
  games: G[];
}

export interface StatsUpdate {
  version: number;
  stats: Stats;
}

export type TicketUpdate = Ticket & { version: number };

export interface CalledNotice {
  version: number;
  code: string;
  gameTitle: string;
  holdExpiresAt: string | null;
}

export interface BoardServerEvents {
  snapshot: (payload: GamesSnapshot<BoardGame>) => void;
}

export interface StaffServerEvents {
  snapshot: (payload: GamesSnapshot<StaffGame>) => void;
  stats: (payload: StatsUpdate) => void;
}

/** `/cafe`: the café's identity, versioned by when it was saved (not the service-wide version). */
export interface CafeServerEvents {
  cafe: (payload: Cafe) => void;
}

export interface RemovedNotice {
  version: number;
  code: string;
}

export interface TicketServerEvents {
  ticket: (payload: TicketUpdate) => void;
  called: (payload: CalledNotice) => void;
  removed: (payload: RemovedNotice) => void;
}

/** What `watch` answers through its optional acknowledgement. */
export type WatchAck =
  | { ok: true }
  | { ok: false; error: { code: 'validation_failed' | 'not_found' | 'rate_limited' | 'unavailable'; message: string } };

export interface ClientEvents {
  resync: () => void;
  watch: (payload: { code?: unknown } | undefined, ack?: (result: WatchAck) => void) => void;
}

/**
 * Server to server: what changed, from whichever process committed it (an app instance or a
 * worker) to every app instance, each of which then reads and sends what its own screens
 * need. A few hundred bytes whatever the length of the queues: the snapshots themselves never
 * cross Redis, and an instance with no screen for a change reads nothing.
 */
export interface ChangeNotice {
  /** bumped after the changes committed: data read on receipt is at least this new */
  version: number;
  /** games whose queues changed (every game when `allGames`) */
  games: number[];
  /** every screen may have missed messages (pub/sub was away) */
  allGames: boolean;
  /** today's numbers may have moved */
  stats: boolean;
  /** codes called by these changes */
  called: string[];
  /** codes of reservations deleted outright: there is no ticket left to show */
  removed: string[];
  /** Date.now() of the oldest change, so parties that left a queue since are still told */
  since: number;
}

export const CHANGE_NOTICE_EVENT = 'changes';
/** Notices travel between servers on the main namespace, which no client uses. */
export const NOTICES_NAMESPACE = '/';

/** What one instance sends to the phones watching the codes a flush touched. */
export interface TicketBatch {
  version: number;
  tickets: Ticket[];
  /** codes whose party was called by the changes and still is */
  called: string[];
  /** codes of reservations deleted outright */
  removed: string[];
}

/** One room per ticket code, so a change to a ticket reaches only the phones watching it. */
export const TICKET_ROOM_PREFIX = 'ticket:';
export const ticketRoom = (code: string) => `${TICKET_ROOM_PREFIX}${code.toUpperCase()}`;

/** What one instance sends to the phones watching each code of a ticket batch. */
export function ticketMessages(
  batch: TicketBatch,
): Array<{ room: string; event: 'ticket' | 'called' | 'removed'; payload: TicketUpdate | CalledNotice | RemovedNotice }> {
  const updates = batch.tickets.flatMap((body) => {
    const room = ticketRoom(body.code);
    const ticket = { room, event: 'ticket' as const, payload: { ...body, version: batch.version } };
    if (!batch.called.includes(body.code)) return [ticket];
    const notice = { version: batch.version, code: body.code, gameTitle: body.gameTitle, holdExpiresAt: body.holdExpiresAt };
    return [ticket, { room, event: 'called' as const, payload: notice }];
  });
  const removals = batch.removed.map((code) => ({ room: ticketRoom(code), event: 'removed' as const, payload: { version: batch.version, code } }));
  return [...updates, ...removals];
}

/** A Socket.IO middleware refusal; the client sees it as `connect_error` with `data.code`. */
export function refusal(code: string, message: string): Error {
  return Object.assign(new Error(message), { data: { code } });
}
