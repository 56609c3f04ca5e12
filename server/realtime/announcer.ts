// Realtime pipeline, step 2 of 4: notifier → announcer → publisher → namespaces/*.ts.
// Per tick, this process's changes become one change notice under a fresh version, sent to
// every app instance (realtime.ts in an app, emitter.ts in `npm run worker`).
import type { Knex } from 'knex';
import { nextVersion } from './version';
import { foldChanges, noChanges, type PendingChanges } from './changes';
import { Coalescer, type CoalescerOptions } from './coalescer';
import type { ChangeNotice } from './contract';
import type { CalledParty, LocalChangeNotifier } from './notifier';

export interface AnnouncerOptions extends CoalescerOptions {
  knex: Knex;
  /** hands a notice to every app instance: this one's screens, and the others through Redis */
  send(notice: ChangeNotice): void;
}

/**
 * Turns this process's committed changes into change notices, coalesced: any number of
 * changes in a tick become one notice under one fresh version. The version is bumped after
 * the changes committed and before any instance reads for them, so whatever an instance
 * reads on receipt is at least as new as the version it stamps on it.
 *
 * Every process that changes queues has one (app instances and `npm run worker`); only app
 * instances, which have screens, turn notices into snapshots (see ScreenPublisher).
 */
export class ChangeAnnouncer extends Coalescer<PendingChanges> {
  protected readonly failure = 'could not announce changes to the screens; will retry';

  constructor(private readonly options: AnnouncerOptions) {
    super(options);
  }

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
    this.add((p) => {
      for (const id of gameIds) p.games.add(id);
      p.stats ||= affectsStats;
    });
  }

  partyCalled(party: CalledParty): void {
    this.add((p) => {
      p.games.add(party.gameId);
      p.stats = true;
      p.called.add(party.code.toUpperCase());
    });
  }

  partyRemoved(party: Pick<CalledParty, 'gameId' | 'code'>): void {
    this.add((p) => {
      p.games.add(party.gameId);
      p.removed.add(party.code.toUpperCase());
    });
  }

  /** Every instance re-sends everything: our notices may have been lost (Redis was away). */
  announceEverything(): void {
    this.request((p) => {
      p.allGames = true;
      p.stats = true;
    });
  }

  protected empty(): PendingChanges {
    return noChanges();
  }

  protected merge(into: PendingChanges, failed: PendingChanges): void {
    foldChanges(into, failed);
  }

  protected async flush(batch: PendingChanges): Promise<void> {
    this.options.send({
      version: await nextVersion(this.options.knex),
      games: [...batch.games],
      allGames: batch.allGames,
      stats: batch.stats,
      called: [...batch.called],
      removed: [...batch.removed],
      since: batch.since,
    });
  }
}
