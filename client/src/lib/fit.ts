// How the TV board lays its games out: which games go on which page and column, how many
// parties each card shows, and how large everything is drawn. Pure, so it can be tested alone;
// the board measures the space it has and draws what this decides.
//
// Sizes are in em of the queue grid's font. The CSS of the board reads the same numbers (through
// custom properties set from BOARD), so what is planned here is what the browser draws.

/** The board's geometry, in em of the grid's font unless said otherwise. */
export const BOARD = {
  /** A waiting party's line: 45 px at 1080p (base font 28 px), 32 px at 720p. */
  rowEm: 1.6,
  /** A called party: its line, then "4:56 left to come" under it. */
  callingRowEm: 2.5,
  /** The "+N more" line of a card that cannot show everyone. */
  moreEm: 1.6,
  /** A game title's font and line height (titles wrap, never cut). */
  titleFontEm: 1.3,
  titleLineEm: 1.3 * 1.15,
  /** The copies line under a title, and a line of the "no queue" list. */
  metaLineEm: 1.25,
  /** A card's padding, border and the rule under its header. */
  cardChromeEm: 1.6,
  /** Between cards and between columns. */
  gapEm: 0.7,
  /** A column narrower than this squeezes the names; more games go on more pages instead. */
  minColumnEm: 16.5,
  maxColumns: 4,
  /** The layout may draw everything up to this much larger when there is room to fill. */
  maxScale: 1.6,
  /** A bold title character's mean width in em of its own font, rounded up so wraps are never underestimated. */
  charEm: 0.64,
  /** The same for regular text (the copies line). */
  plainCharEm: 0.56,
  /** Width kept at the right of a "no queue" line for its status ("2 free"). */
  idleStatusEm: 5.5,
  /** Seconds a page stays up before the next one when not everything fits on one. */
  pageSeconds: 12,
} as const;

/** The board's base font in px for a viewport this tall: 28 px at 1080p, 20 px at 720p. */
export function boardBaseFontPx(viewportHeight: number): number {
  return Math.max(20, viewportHeight * 0.026);
}

/**
 * The smallest text the board draws, in px: 24.3 px at 1080p, 18 px at 720p. Secondary text
 * (waits, copies, the join address) is drawn at no less than this; tests/screens/boardReadability
 * measures it.
 */
export function boardMinTextPx(viewportHeight: number): number {
  return Math.max(18, viewportHeight * 0.0225);
}

export interface GameToFit {
  id: number;
  title: string;
  calling: number;
  waiting: number;
  /** No copies: the line under the title is the longer "Not available right now · N keep their place". */
  unavailable?: boolean;
}

/** The copies line's length in characters ("3 of 3 in use · 12 waiting"), with room for longer languages. */
const META_CHARS = 28;
const META_UNAVAILABLE_CHARS = 50;

export interface GameBlock {
  kind: 'game';
  id: number;
  /** Parties drawn, called first; the rest are "+N more". */
  shown: number;
  more: number;
}

/** Games nobody waits for, listed one per line in a compact card. */
export interface IdleBlock {
  kind: 'idle';
  ids: number[];
}

export type Block = GameBlock | IdleBlock;

export interface BoardLayout {
  /** The grid's font relative to the base font (1 to BOARD.maxScale). */
  scale: number;
  columns: number;
  /** pages[p][c]: the blocks of column c of page p, top to bottom. */
  pages: Block[][][];
}

export interface Space {
  widthPx: number;
  heightPx: number;
  basePx: number;
}

function textLines(chars: number, fontEm: number, widthEm: number, charEm: number = BOARD.charEm): number {
  if (widthEm <= 0) return chars;
  return Math.max(1, Math.ceil((chars * charEm * fontEm) / widthEm));
}

function headerEm(game: GameToFit, innerEm: number): number {
  const meta = game.unavailable ? META_UNAVAILABLE_CHARS : META_CHARS;
  return textLines(game.title.length, BOARD.titleFontEm, innerEm) * BOARD.titleLineEm + textLines(meta, 0.9, innerEm, BOARD.plainCharEm) * BOARD.metaLineEm;
}

function partiesEm(calling: number, waiting: number): number {
  return calling * BOARD.callingRowEm + waiting * BOARD.rowEm;
}

/** How many parties a card of at most `heightEm` shows: everyone, or as many as fit with a "+N more" line. */
function capParties(game: GameToFit, header: number, heightEm: number): { shown: number; more: number; height: number } {
  const total = game.calling + game.waiting;
  const full = BOARD.cardChromeEm + header + partiesEm(game.calling, game.waiting);
  if (full <= heightEm) return { shown: total, more: 0, height: full };
  let room = heightEm - BOARD.cardChromeEm - header - BOARD.moreEm;
  let shown = 0;
  for (let i = 0; i < total; i++) {
    const row = i < game.calling ? BOARD.callingRowEm : BOARD.rowEm;
    if (row > room) break;
    room -= row;
    shown += 1;
  }
  return { shown, more: total - shown, height: heightEm - room };
}

interface Packed {
  pages: Block[][][];
  /** Some card could not show all its parties. */
  capped: boolean;
}

/** Fills columns top to bottom, in order, then the next page. */
function pack(games: readonly GameToFit[], columns: number, widthEm: number, heightEm: number): Packed {
  const columnEm = (widthEm - (columns - 1) * BOARD.gapEm) / columns;
  const innerEm = columnEm - 1.2;
  const pages: Block[][][] = [];
  let page: Block[][] = [];
  let column: Block[] = [];
  let used = 0;
  let capped = false;
  const nextColumn = () => {
    page.push(column);
    column = [];
    used = 0;
    if (page.length === columns) {
      pages.push(page);
      page = [];
    }
  };
  const place = (block: Block, height: number) => {
    column.push(block);
    used += height + BOARD.gapEm;
  };
  const left = () => heightEm - used;

  for (const game of games.filter((g) => g.calling + g.waiting > 0)) {
    const header = headerEm(game, innerEm);
    const full = capParties(game, header, Infinity).height;
    if (full > left() && (full <= heightEm || left() < heightEm / 2) && column.length) nextColumn();
    const fitted = capParties(game, header, left());
    if (fitted.more) capped = true;
    place({ kind: 'game', id: game.id, shown: fitted.shown, more: fitted.more }, fitted.height);
  }

  const idle = games.filter((g) => g.calling + g.waiting === 0);
  let i = 0;
  while (i < idle.length) {
    const lineWidth = innerEm - BOARD.idleStatusEm;
    let height = BOARD.cardChromeEm + BOARD.metaLineEm;
    const ids: number[] = [];
    while (i < idle.length) {
      const line = textLines(idle[i]!.title.length, 1, lineWidth) * BOARD.metaLineEm;
      if (height + line > left()) break;
      height += line;
      ids.push(idle[i]!.id);
      i += 1;
    }
    if (ids.length) place({ kind: 'idle', ids }, height);
    else if (column.length === 0) {
      // Not even one line fits an empty column (a tiny screen): show it anyway rather than loop.
      place({ kind: 'idle', ids: [idle[i]!.id] }, height);
      i += 1;
    } else nextColumn();
  }
  if (column.length) nextColumn();
  if (page.length) {
    while (page.length < columns) page.push([]);
    pages.push(page);
  }
  return { pages, capped };
}

/**
 * The largest drawing that shows every game on one page; if there is none, the base size on
 * as few pages as it takes. Titles keep their order: down one column, then the next; games
 * nobody waits for come last, one line each, so they take little room.
 */
export function layoutBoard(games: readonly GameToFit[], space: Space): BoardLayout {
  if (games.length === 0 || space.widthPx <= 0 || space.heightPx <= 0) return { scale: 1, columns: 1, pages: [] };
  const tryScale = (scale: number, allowCapped: boolean): BoardLayout | null => {
    const em = space.basePx * scale;
    const widthEm = space.widthPx / em;
    const heightEm = space.heightPx / em;
    const fitting = Math.max(1, Math.min(BOARD.maxColumns, Math.floor((widthEm + BOARD.gapEm) / (BOARD.minColumnEm + BOARD.gapEm))));
    for (let columns = 1; columns <= fitting; columns++) {
      const packed = pack(games, columns, widthEm, heightEm);
      if (packed.pages.length === 1 && (allowCapped || !packed.capped)) return { scale, columns, pages: packed.pages };
    }
    return null;
  };
  for (const allowCapped of [false, true]) {
    for (let scale = BOARD.maxScale; scale >= 1; scale = Math.round((scale - 0.05) * 100) / 100) {
      const found = tryScale(scale, allowCapped);
      if (found) return found;
    }
  }
  const widthEm = space.widthPx / space.basePx;
  const columns = Math.max(1, Math.min(BOARD.maxColumns, Math.floor((widthEm + BOARD.gapEm) / (BOARD.minColumnEm + BOARD.gapEm))));
  return { scale: 1, columns, pages: pack(games, columns, widthEm, space.heightPx / space.basePx).pages };
}
