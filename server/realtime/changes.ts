// Realtime pipeline, the changes gathered per tick by the announcer (step 2) and the
// publisher (step 3).
import type { ChangeNotice } from './contract';

/** Changes gathered for one flush, on either side of a change notice. */
export interface PendingChanges {
  games: Set<number>;
  allGames: boolean;
  stats: boolean;
  called: Set<string>;
  removed: Set<string>;
  /** Date.now() of the oldest change gathered */
  since: number;
}

/** A notice, or pending changes folded back after a failed flush. */
export interface Changes extends Pick<ChangeNotice, 'allGames' | 'stats' | 'since'> {
  games: Iterable<number>;
  called: Iterable<string>;
  removed: Iterable<string>;
}

export function noChanges(): PendingChanges {
  return { games: new Set(), allGames: false, stats: false, called: new Set(), removed: new Set(), since: Date.now() };
}

export function foldChanges(into: PendingChanges, changes: Changes): void {
  for (const id of changes.games) into.games.add(id);
  for (const code of changes.called) into.called.add(code);
  for (const code of changes.removed) into.removed.add(code);
  into.allGames ||= changes.allGames;
  into.stats ||= changes.stats;
  into.since = Math.min(into.since, changes.since);
}
