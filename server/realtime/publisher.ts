// Realtime pipeline, step 3 of 4: notifier → announcer → publisher → namespaces/*.ts.
// In each app instance, the notices received per tick become one read and the payloads of the
// screens connected here: board (namespaces/board.ts), staff (staff.ts), tickets (ticket.ts).
import type { Knex } from 'knex';
import { currentVersion } from './version';
import { loadQueues } from '../queue/readModel';
import { statsToday } from '../stats/stats';
import { foldChanges, noChanges, type Changes, type PendingChanges } from './changes';
import { Coalescer, type CoalescerOptions } from './coalescer';
import { toScreens, type LatestReads } from './latest';
import { NAMESPACES, ticketMessages, type ChangeNotice, type StatsUpdate } from './contract';
import { ticketsOfGames } from './snapshots';

/** The screens connected to this instance, and how to reach them (this instance only). */
export interface LocalScreens {
  /** whether any screen of the namespace is connected here */
  watching(namespace: typeof NAMESPACES.board | typeof NAMESPACES.staff): boolean;
  /** the ticket codes that phones connected here are watching */
  watchedCodes(): ReadonlySet<string>;
  emit(namespace: string, event: string, payload: unknown): void;
  /** to the phones connected here that watch `room` */
  emitTo(namespace: string, room: string, event: string, payload: unknown): void;
}

export interface PublisherOptions extends CoalescerOptions {
  knex: Knex;
  /** the café's time zone (today's numbers), read when needed: a setting may change it */
  timeZone: () => Promise<string>;
  /** this instance's public reads, which keep what a flush has read (see LatestReads) */
  latest?: LatestReads;
}

/** A party that left a queue is still told so if the flush comes this much later. */
const ENDED_SLACK_MS = 2000;

interface PendingRender extends PendingChanges {
  /** highest version among the notices; 0 when only a local request is pending */
  version: number;
}

function fold(into: PendingRender, changes: Changes & { version: number }): void {
  into.version = Math.max(into.version, changes.version);
  foldChanges(into, changes);
}

/**
 * Turns change notices (this instance's own and every other process's) into what this
 * instance's screens need, coalesced: one flush per tick reads the queues once and sends ONE
 * board snapshot, ONE staff snapshot with the day's stats, and the tickets of the changed
 * games to the phones watching them, all under the highest version among the notices.
 *
 * Only for screens connected here: with no board, staff or ticket screen here, a notice costs
 * nothing; stats are read only for staff screens, and only when they can move; tickets are
 * built only for watched codes. Each instance reads for its own screens, so snapshots never
 * go through Redis, and what one instance does not have cannot slow the others down.
 */
export class ScreenPublisher extends Coalescer<PendingRender> {
  protected readonly failure = 'could not publish live updates; will retry';

  constructor(
    private readonly options: PublisherOptions,
    private readonly screens: LocalScreens,
  ) {
    super(options);
  }

  /** A notice from any process, this one included. */
  receive(notice: ChangeNotice): void {
    this.add((p) => fold(p, notice));
  }

  /** A fresh snapshot to every screen here soon, e.g. one could not get its own on connect. */
  publishSnapshots(): void {
    this.request((p) => void (p.stats = true));
  }

  /** Snapshots and every ticket: screens here may have missed notices (pub/sub reconnected). */
  publishEverything(): void {
    this.request((p) => {
      p.allGames = true;
      p.stats = true;
    });
  }

  protected empty(): PendingRender {
    return { ...noChanges(), version: 0 };
  }

  protected merge(into: PendingRender, failed: PendingRender): void {
    fold(into, failed);
  }

  protected async flush(batch: PendingRender): Promise<void> {
    const { knex, timeZone, latest } = this.options;
    const keep = latest?.keeper();
    const board = this.screens.watching(NAMESPACES.board);
    const staff = this.screens.watching(NAMESPACES.staff);
    const watched = this.screens.watchedCodes();
    const ticketGames = batch.allGames ? undefined : [...batch.games];
    const tickets = watched.size > 0 && (!ticketGames || ticketGames.length > 0);
    if (!board && !staff && !tickets && !(watched.size && batch.removed.size)) return;

    // Data read after the notice's version was bumped is at least that new. A local request
    // alone has no notice: the version is read first, then the data, as everywhere.
    const version = batch.version || (await currentVersion(knex));
    const queues = board || staff ? await loadQueues(knex) : tickets ? await loadQueues(knex, ticketGames) : [];
    if (board || staff) {
      const screens = toScreens({ version, queues });
      // The board and staff tables first: they are what most screens are waiting for.
      if (board) this.screens.emit(NAMESPACES.board, 'snapshot', screens.board);
      if (staff) this.screens.emit(NAMESPACES.staff, 'snapshot', screens.staff);
      // Every queue was read: GET /api/board and connecting screens need not build it again.
      keep?.screens(screens);
    }

    const gameIds = new Set(ticketGames ?? queues.map((q) => q.game.id));
    // Today's numbers read the day's event log, which grows all evening: only when they can move.
    const [stats, touched] = await Promise.all([
      staff && batch.stats ? timeZone().then((zone) => statsToday(knex, zone)) : undefined,
      tickets ? ticketsOfGames(knex, queues, gameIds, Date.now() - batch.since + ENDED_SLACK_MS, watched) : [],
    ]);
    if (stats) this.screens.emit(NAMESPACES.staff, 'stats', { version, stats } satisfies StatsUpdate);
    keep?.tickets(version, touched);

    const called = touched
      // Only while it is still true: a party called and seated within one tick is just seated.
      .filter((t) => t.status === 'called' && batch.called.has(t.code.toUpperCase()))
      .map((t) => t.code);
    const removed = [...batch.removed].filter((code) => watched.has(code));
    for (const { room, event, payload } of ticketMessages({ version, tickets: touched, called, removed })) {
      this.screens.emitTo(NAMESPACES.ticket, room, event, payload);
    }
  }
}
