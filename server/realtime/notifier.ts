// Realtime pipeline, step 1 of 4: notifier → announcer → publisher → namespaces/*.ts.
// The queue calls this after a transaction commits; announcer.ts listens (see realtime.ts).
import { EventEmitter } from 'node:events';

export interface CalledParty {
  id: number;
  gameId: number;
  code: string;
}

/**
 * What the queue tells the screens after a change has been committed. The queue only says
 * what changed; the realtime layer decides how (and how often) to tell each screen.
 */
export interface ChangeNotifier {
  /** `affectsStats` false when the change cannot move today's numbers (a join, a name fix). */
  gamesChanged(gameIds: number[], affectsStats?: boolean): void;
  partyCalled(party: CalledParty): void;
  /** A reservation was deleted outright: a phone watching its code must learn it is gone. */
  partyRemoved(party: Pick<CalledParty, 'gameId' | 'code'>): void;
  /** The café's identity (name, logo, accent, ...) changed: every screen shows the new one. */
  cafeChanged(): void;
}

export interface ChangeEvents {
  gamesChanged: [gameIds: number[], affectsStats: boolean];
  partyCalled: [party: CalledParty];
  partyRemoved: [party: Pick<CalledParty, 'gameId' | 'code'>];
  cafeChanged: [];
}

/** In-process notifier; the realtime layer listens to it and forwards across processes. */
export class LocalChangeNotifier extends EventEmitter<ChangeEvents> implements ChangeNotifier {
  gamesChanged(gameIds: number[], affectsStats = true): void {
    if (gameIds.length) this.emit('gamesChanged', gameIds, affectsStats);
  }

  partyCalled(party: CalledParty): void {
    this.emit('partyCalled', party);
  }

  partyRemoved(party: Pick<CalledParty, 'gameId' | 'code'>): void {
    this.emit('partyRemoved', party);
  }

  cafeChanged(): void {
    this.emit('cafeChanged');
  }
}
