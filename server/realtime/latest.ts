// Realtime pipeline, the public reads from memory: what the board, the games list and tickets
// last looked like on this app instance, kept until the next change committed here (step 1,
// notifier.ts) or the next change notice from any process (step 3 receives them). While
// nothing changes, GET /api/board, GET /api/games, GET /api/tickets/:code and `watch` read
// no MySQL at all, however many phones and scripts ask.
import type { Knex } from 'knex';
import type { AppContext } from '../context';
import { listGameViews } from '../games/repository';
import { SerialisedJson } from '../http/serialised';
import { buildTicket, type Ticket } from '../tickets/tickets';
import type { BoardGame, StaffGame } from '../board/board';
import type { GamesSnapshot } from './contract';
import { boardSnapshot, readQueues, staffSnapshot, type QueuesState } from './snapshots';
import { currentVersion } from './version';

/**
 * What changes with time alone (estimates count down; the hourly housekeeping releases old
 * codes and erases names) is at most this stale, as is anything changed without a notice. One
 * read a minute per key costs nothing whatever the load.
 */
const HELD_AT_MOST_MS = 60_000;

interface Held {
  value: Promise<unknown>;
  /** Date.now() when it was read */
  at: number;
}

export interface Screens {
  board: GamesSnapshot<BoardGame>;
  staff: GamesSnapshot<StaffGame>;
}

export interface VersionedTicket {
  version: number;
  ticket: Ticket;
}

export interface Keeper {
  /** the board and staff snapshots of every game, as built for a notice */
  screens(screens: Screens): void;
  tickets(version: number, tickets: readonly Ticket[]): void;
}

/**
 * One read per key and per change (or per minute, see HELD_AT_MOST_MS), in memory. Everyone
 * who asks while nothing changed shares the same read, the one in flight included (single
 * flight); a change drops every value held, and whoever asks next reads again. A read that
 * fails is not kept.
 *
 * Only notices keep memory true, so memory is used only while they all reach this instance
 * and every change is announced (see `trustWhile`); otherwise every caller reads MySQL as
 * before.
 */
export class LatestReads {
  private readonly held = new Map<string, Held>();
  /** how many changes have dropped what was held, to tell a read that overlapped one */
  private generation = 0;
  private trusted: () => boolean = () => false;

  constructor(private readonly knex: Knex) {}

  /** Everything held is out of date: a change committed here, or a notice from anywhere. */
  changed(): void {
    this.generation += 1;
    this.held.clear();
  }

  /**
   * Memory is used only while `check()` says so: while this instance hears every notice, and
   * no change committed here waits for its notice (a read in between would show the change
   * under the version before it, and keep it there until the notice).
   */
  trustWhile(check: () => boolean): void {
    this.trusted = check;
    this.changed();
  }

  /** The version to stamp on a read: bumped only by notices, so it is held like the rest. */
  version(): Promise<number> {
    return this.remember('version', () => currentVersion(this.knex));
  }

  /** The board and staff snapshots of every game (GET /api/board, sockets connecting). */
  screens(): Promise<Screens> {
    return this.remember('screens', async () => toScreens(await readQueues(this.knex, await this.version())));
  }

  /** GET /api/board, the /board socket's snapshot, serialised once per hold. */
  board(): Promise<SerialisedJson> {
    return this.remember('board', async () => SerialisedJson.of((await this.screens()).board));
  }

  /** GET /api/games: the same for everyone, staff included. */
  games(): Promise<SerialisedJson> {
    return this.remember('games', async () => SerialisedJson.of(await listGameViews(this.knex)));
  }

  /** A ticket and the version it is at least as new as; NotFound is never kept. */
  ticket(code: string): Promise<VersionedTicket> {
    return this.remember(`ticket:${code.toUpperCase()}`, async () => {
      // Version first, then data, as everywhere: the data is at least that new.
      const version = await this.version();
      return { version, ticket: await buildTicket(this.knex, code) };
    });
  }

  /**
   * Keeps what a read starting now finds (the publisher's, for a notice), so nobody reads it
   * again; unless something changes before it is offered, as it may then be older than that.
   */
  keeper(): Keeper {
    const mark = this.generation;
    return {
      screens: (screens) => this.offer('screens', mark, () => screens),
      tickets: (version, tickets) => {
        for (const ticket of tickets) this.offer(`ticket:${ticket.code.toUpperCase()}`, mark, () => ({ version, ticket }));
      },
    };
  }

  private offer<T>(key: string, mark: number, value: () => T): void {
    if (mark === this.generation && this.trusted()) this.held.set(key, { value: Promise.resolve(value()), at: Date.now() });
  }

  private remember<T>(key: string, read: () => Promise<T>): Promise<T> {
    if (!this.trusted()) return read();
    const held = this.held.get(key);
    if (held && Date.now() - held.at < HELD_AT_MOST_MS) return held.value as Promise<T>;
    const reading = { value: read(), at: Date.now() };
    this.held.set(key, reading);
    reading.value.catch(() => {
      if (this.held.get(key) === reading) this.held.delete(key);
    });
    return reading.value as Promise<T>;
  }
}

export function toScreens(state: QueuesState): Screens {
  return { board: boardSnapshot(state), staff: staffSnapshot(state) };
}

const perContext = new WeakMap<AppContext, LatestReads>();

/**
 * This instance's public reads (one per context, like its knex pool). Changes committed in
 * this process drop them at once, before the request that made them is answered; the
 * realtime layer adds every other process's notices and says when they can be trusted.
 */
export function latestReads(ctx: AppContext): LatestReads {
  let latest = perContext.get(ctx);
  if (!latest) {
    const reads = new LatestReads(ctx.knex);
    const changed = () => reads.changed();
    ctx.notifier.on('gamesChanged', changed).on('partyCalled', changed).on('partyRemoved', changed);
    perContext.set(ctx, reads);
    latest = reads;
  }
  return latest;
}
