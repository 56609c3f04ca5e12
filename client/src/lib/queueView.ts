// Which game cards the staff screen shows, and in what order: with 40 games on a tablet, staff
// search by title, keep to the games with people in them, and see the busiest first.

import { i18n } from '../i18n';

const t = i18n.global.t;

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

/** The filter's and the order's names, read from the catalogue when shown (so they follow the language). */
export const filterLabels = {
  get all() {
    return t('queueView.filter.all');
  },
  get queued() {
    return t('queueView.filter.queued');
  },
  get calling() {
    return t('queueView.filter.calling');
  },
  get free() {
    return t('queueView.filter.free');
  },
} satisfies Record<QueueFilter, string>;

export const sortLabels = {
  get busiest() {
    return t('queueView.sort.busiest');
  },
  get title() {
    return t('queueView.sort.title');
  },
} satisfies Record<QueueSort, string>;

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
