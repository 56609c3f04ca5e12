import type { Knex } from 'knex';
import type { Logger } from '../logger';
import { nextVersion } from '../board/version';
import { statsToday } from '../stats/stats';
import { NAMESPACES, type StatsUpdate, type TicketBatch } from './contract';
import type { CalledParty, LocalChangeNotifier } from './notifier';
import { boardSnapshot, readQueues, staffSnapshot, ticketsOfGames } from './snapshots';

/**
 * Where a flush goes. A Socket.IO `Server` (app instances) and a `@socket.io/redis-emitter`
 * `Emitter` (a worker process with no Socket.IO server) both fit, so one flush logic serves
 * both.
 */
export interface RoomEmitter {
  emit(event: string, payload: unknown): unknown;
}
export interface NamespaceEmitter extends RoomEmitter {
  to(room: string): RoomEmitter;
  /** to the other Socket.IO servers of the cluster (not this one) */
  serverSideEmit(event: string, payload: unknown): unknown;
}
export interface Broadcaster {
  of(namespace: string): NamespaceEmitter;
}

export interface PublisherOptions {
  knex: Knex;
  logger: Logger;
  timeZone: string;
  /** minimum quiet time between two flushes; changes in between share the next flush */
  tickMs: number;
  /** hands a ticket batch to this process's own phones (app instances; a worker has none) */
  deliverTickets?: (batch: TicketBatch) => void;
}

/** A party that left a queue is still told so if the flush comes this much later. */
const ENDED_SLACK_MS = 2000;
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5000;

interface Pending {
  games: Set<number>;
  /** every game's tickets, e.g. after pub/sub was down and screens may have missed messages */
  allGames: boolean;
  /** something in the batch may have moved today's numbers */
  stats: boolean;
  called: Map<string, CalledParty>;
  removed: Set<string>;
  /** Date.now() of the oldest change not yet published */
  since: number;
}

/**
 * Turns "these games changed" into what the screens need, coalesced: changes mark games
 * dirty, and one flush per tick builds ONE board snapshot, ONE staff snapshot with the day's
 * stats, and the tickets of the dirty games, all under one fresh version.
 *
 * Each process publishes the changes that it made (its own notifier). Through the Redis
 * adapter (app instances) or the Redis emitter (worker processes) those broadcasts reach the
 * clients of every instance, so no process has to listen for, or rebuild, another's changes.
 * Two processes flushing at once is harmless: every payload carries a version bumped before
 * its data was read, and clients drop anything at or below what they hold.
 *
 * The first change after a quiet spell is published at once (a lone staff action shows up in
 * milliseconds); during a burst, flushes are at least `tickMs` apart, counted from the end of
 * the previous one, so a slow database is never asked for snapshots back to back.
 */
export class ChangePublisher {
  private pending: Pending | undefined;
  private cancelTimer: (() => void) | undefined;
  private retrying = false;
  private flushing: Promise<void> | undefined;
  private lastFlushEnd = -Infinity;
  private retryMs = 0;
  private closed = false;

  constructor(
    private readonly options: PublisherOptions,
    private readonly target: Broadcaster,
  ) {}

  /** Follows the queue's change notifications; returns a function that stops following. */
  listen(notifier: LocalChangeNotifier): () => void {
    const onGames = (gameIds: number[], affectsStats: boolean) => this.gamesChanged(gameIds, affectsStats);
    const onCalled = (party: CalledParty) => this.partyCalled(party);
    const onRemoved = (party: Pick<CalledParty, 'gameId' | 'code'>) => this.partyRemoved(party);
    notifier.on('gamesChanged', onGames);
    notifier.on('partyCalled', onCalled);
    notifier.on('partyRemoved', onRemoved);
    return () => {
      notifier.off('gamesChanged', onGames);
      notifier.off('partyCalled', onCalled);
      notifier.off('partyRemoved', onRemoved);
    };
  }

  gamesChanged(gameIds: readonly number[], affectsStats = true): void {
    const pending = this.mark();
    for (const id of gameIds) pending?.games.add(id);
    if (pending && affectsStats) pending.stats = true;
    this.changeArrived();
  }

  partyCalled(party: CalledParty): void {
    const pending = this.mark();
    pending?.games.add(party.gameId);
    if (pending) pending.stats = true;
    pending?.called.set(party.code.toUpperCase(), party);
    this.changeArrived();
  }
  partyRemoved(party: Pick<CalledParty, 'gameId' | 'code'>): void {
    const pending = this.mark();
    pending?.games.add(party.gameId);
    pending?.removed.add(party.code.toUpperCase());
    this.changeArrived();
  }


  /** A full snapshot to every screen soon, e.g. one could not get its own on connect. */
  publishSnapshots(): void {
    const pending = this.mark();
    if (pending) pending.stats = true;
    this.schedule();
  }

  /** Snapshots and every ticket: screens may have missed messages (pub/sub reconnected). */
  publishEverything(): void {
    const pending = this.mark();
    if (pending) {
      pending.allGames = true;
      pending.stats = true;
    }
    this.schedule();
  }

  /** Publishes what is still pending, then stops. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.clearTimer();
    await this.flushing;
    if (this.pending) await this.run();
    this.closed = true;
    this.clearTimer();
  }

  private mark(): Pending | undefined {
    if (this.closed) return undefined;
    this.pending ??= { games: new Set(), allGames: false, stats: false, called: new Map(), removed: new Set(), since: Date.now() };
    return this.pending;
  }

  /** A committed change proves the database answers again, so it cuts a retry back-off short. */
  private changeArrived(): void {
    if (this.retrying) this.clearTimer();
    this.schedule();
  }

  private schedule(delayMs?: number): void {
    if (this.closed || this.cancelTimer || this.flushing || !this.pending) return;
    const wait = delayMs ?? Math.max(0, this.lastFlushEnd + this.options.tickMs - Date.now());
    this.retrying = delayMs !== undefined;
    const fire = () => {
      this.cancelTimer = undefined;
      this.retrying = false;
      void this.run();
    };
    if (wait === 0) {
      // Still gathers every change notified in this turn of the event loop, without the
      // extra millisecond (or more) of a zero timeout.
      const immediate = setImmediate(fire);
      this.cancelTimer = () => clearImmediate(immediate);
    } else {
      const timer = setTimeout(fire, wait).unref();
      this.cancelTimer = () => clearTimeout(timer);
    }
  }

  private clearTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.retrying = false;
  }

  private async run(): Promise<void> {
    const batch = this.pending;
    if (!batch || this.flushing) return;
    this.pending = undefined;
    let failed = false;
    this.flushing = this.flush(batch).catch((err: unknown) => {
      failed = true;
      this.requeue(batch);
      this.retryMs = Math.min(MAX_RETRY_MS, Math.max(FIRST_RETRY_MS, this.retryMs * 2));
      this.options.logger.error({ err, retryInMs: this.retryMs }, 'could not publish live updates; will retry');
    });
    await this.flushing;
    this.flushing = undefined;
    this.lastFlushEnd = Date.now();
    if (!failed) this.retryMs = 0;
    this.schedule(failed ? this.retryMs : undefined);
  }

  /** Puts a failed batch back, merged with whatever arrived meanwhile. */
  private requeue(batch: Pending): void {
    const pending = this.mark();
    if (!pending) return;
    for (const id of batch.games) pending.games.add(id);
    for (const [code, party] of batch.called) if (!pending.called.has(code)) pending.called.set(code, party);
    for (const code of batch.removed) pending.removed.add(code);
    pending.allGames ||= batch.allGames;
    pending.stats ||= batch.stats;
    pending.since = Math.min(pending.since, batch.since);
  }

  private async flush(batch: Pending): Promise<void> {
    const { knex, timeZone } = this.options;
    // Bumped before reading: a payload with a higher version never shows older data.
    const version = await nextVersion(knex);
    const state = await readQueues(knex, version);
    // The board and staff tables first: they are what most screens are waiting for.
    this.target.of(NAMESPACES.board).emit('snapshot', boardSnapshot(state));
    const staff = this.target.of(NAMESPACES.staff);
    staff.emit('snapshot', staffSnapshot(state));

    const gameIds = batch.allGames ? new Set(state.queues.map((q) => q.game.id)) : batch.games;
    // Today's numbers read the day's event log, which grows all evening: only when they can move.
    const [stats, tickets] = await Promise.all([
      batch.stats ? statsToday(knex, timeZone) : undefined,
      ticketsOfGames(knex, state.queues, gameIds, Date.now() - batch.since + ENDED_SLACK_MS),
    ]);
    if (stats) staff.emit('stats', { version, stats } satisfies StatsUpdate);

    if (!tickets.length && !batch.removed.size) return;
    const called = tickets
      // Only while it is still true: a party called and seated within one tick is just seated.
      .filter((t) => t.status === 'called' && batch.called.has(t.code.toUpperCase()))
      .map((t) => t.code);
    const ticketBatch: TicketBatch = { version, tickets, called, removed: [...batch.removed] };
    this.target.of(NAMESPACES.ticket).serverSideEmit('tickets', ticketBatch);
    this.options.deliverTickets?.(ticketBatch);
  }
}
