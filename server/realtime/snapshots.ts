// Realtime pipeline, the reads: what the publisher (step 3) and the namespaces (step 4) read
// from MySQL to build board, staff and ticket payloads. Versions come from ./version.ts.
import type { Knex } from 'knex';
import { onBoard, toBoardGame, toStaffGame } from '../board/board';
import { currentVersion } from './version';
import { Reservation } from '../models/Reservation';
import { loadQueues, toReservationView, type GameQueue } from '../queue/readModel';
import { TERMINAL } from '../queue/states';
import { toTicket, type Ticket } from '../tickets/tickets';
import type { GamesSnapshot, StatsUpdate } from './contract';
import type { BoardGame, StaffGame } from '../board/board';

/** Every game's live queue, stamped with the version it was read at (or after). */
export interface QueuesState {
  version: number;
  queues: GameQueue[];
}

/**
 * Reads the version first, then the data: the data is at least as new as the version says.
 * Pass a version from `nextVersion` when publishing a change; a bare read (a client
 * connecting) uses the current one, so connecting clients never bump the counter.
 */
export async function readQueues(knex: Knex, version?: number): Promise<QueuesState> {
  const v = version ?? (await currentVersion(knex));
  return { version: v, queues: await loadQueues(knex) };
}

/** Same games as GET /api/board: active ones and any with parties still on the floor. */
export function boardSnapshot({ version, queues }: QueuesState): GamesSnapshot<BoardGame> {
  return { version, games: queues.filter(onBoard).map(toBoardGame) };
}

/** Staff see every game, with full reservations. */
export function staffSnapshot({ version, queues }: QueuesState): GamesSnapshot<StaffGame> {
  return { version, games: queues.map(toStaffGame) };
}

/**
 * Tickets that a change to these games may have touched, of the watched codes only: every
 * party still in their queues (positions and estimates move together) and those that left
 * them within `endedWithinMs` (finished, no-show, cancelled: their phones must learn it too).
 * Database time on both sides of the comparison, so app and database clocks never need to agree.
 */
export async function ticketsOfGames(
  knex: Knex,
  queues: readonly GameQueue[],
  gameIds: ReadonlySet<number>,
  endedWithinMs: number,
  watched: ReadonlySet<string>,
): Promise<Ticket[]> {
  const touched = queues.filter((q) => gameIds.has(q.game.id));
  if (!touched.length || !watched.size) return [];
  const games = new Map(touched.map((q) => [q.game.id, q.game]));
  const ended = await Reservation.query(knex)
    .whereIn('gameId', [...games.keys()])
    .whereIn('status', TERMINAL)
    .whereIn('liveCode', [...watched])
    .where('updatedAt', '>=', knex.raw('CURRENT_TIMESTAMP(3) - INTERVAL ? MICROSECOND', [Math.ceil(endedWithinMs) * 1000]));
  const live = touched.flatMap((q) => [...q.calling, ...q.waiting, ...q.seated]).filter((r) => watched.has(r.code.toUpperCase()));
  return [...live, ...ended.map((r) => toReservationView(r))].map((view) => toTicket(view, games.get(view.gameId)));
}

/**
 * Shares one read among every caller that asks while it is not yet under way, and never
 * hands a caller a read that started before it asked (that read could miss a change the
 * caller has already been told about). A reconnect storm after a restart then costs two
 * reads in flight at most, not one per socket.
 */
export class FreshLoader<T> {
  private inflight: Promise<T> | undefined;
  private queued: Promise<T> | undefined;

  constructor(private readonly read: () => Promise<T>) {}

  load(): Promise<T> {
    if (!this.inflight) return this.start();
    this.queued ??= this.inflight
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.start();
      });
    return this.queued;
  }

  private start(): Promise<T> {
    const run = this.read().finally(() => {
      if (this.inflight === run) this.inflight = undefined;
    });
    this.inflight = run;
    return run;
  }
}

/** What a screen asks for itself (on connect, on `resync`), shared by every socket here. */
export interface ScreenReads {
  /** the board and staff snapshots, from one read of every queue */
  games(): Promise<{ board: GamesSnapshot<BoardGame>; staff: GamesSnapshot<StaffGame> }>;
  stats(): Promise<StatsUpdate>;
  /** a socket could not get its snapshot: log it, and let the publisher retry for everyone */
  failed(namespace: string): (err: unknown) => void;
}

/** Ignores a repeat while the previous one is still running (a client spamming resync). */
export function singleFlight(run: () => Promise<unknown>): () => void {
  let running = false;
  return () => {
    if (running) return;
    running = true;
    void run().finally(() => (running = false));
  };
}
