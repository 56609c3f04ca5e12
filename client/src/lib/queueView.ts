// Which game cards the staff screen shows, and in what order: with 40 games on a tablet, staff
// search by title, keep to the games with people in them, and see the busiest first.

export type QueueFilter = 'all' | 'queued' | 'calling' | 'free';
export type QueueSort = 'busiest' | 'title';

export interface QueueViewOptions {
  search: string;
  filter: QueueFilter;
  sort: QueueSort;
}

interface GameLike {
  title: string;
  copies: number;
  copiesInUse: number;
  waiting: readonly unknown[];
  calling: readonly unknown[];
  seated: readonly unknown[];
}

export const filterLabels: Record<QueueFilter, string> = {
  all: 'All games',
  queued: 'With a queue',
  calling: 'Calling now',
  free: 'Copy free',
};

export const sortLabels: Record<QueueSort, string> = {
  busiest: 'Busiest first',
  title: 'A to Z',
};

/** How busy a game is: who waits first, then who is called, then who plays. */
export function busyness(game: GameLike): number {
  return game.waiting.length * 10_000 + game.calling.length * 100 + game.seated.length;
}

const FILTERS: Record<QueueFilter, (game: GameLike) => boolean> = {
  all: () => true,
  queued: (g) => g.waiting.length > 0,
  calling: (g) => g.calling.length > 0,
  free: (g) => g.copiesInUse < g.copies,
};

/** Case- and accent-insensitive: "catan" finds "Catán". */
const fold = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase();

export function viewGames<G extends GameLike>(games: readonly G[], options: QueueViewOptions): G[] {
  const needle = fold(options.search.trim());
  const shown = games.filter((g) => FILTERS[options.filter](g) && (!needle || fold(g.title).includes(needle)));
  const byTitle = (a: G, b: G) => a.title.localeCompare(b.title);
  return shown.sort(options.sort === 'busiest' ? (a, b) => busyness(b) - busyness(a) || byTitle(a, b) : byTitle);
}
