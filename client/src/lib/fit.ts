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
  callingRowEm: 2.6,
  /** The "+N more" line of a card that cannot show everyone. */
  moreEm: 1.6,
  /** A party name's line when it wraps (a long name is shown whole on more lines, never "Anna-Lena-Ma…"). */
  nameLineEm: 1.15,
  /** Above and below a wrapped name, inside its row. */
  rowPadEm: 0.4,
  /** A party line's fixed columns around the name: position, code, the gaps and the row's padding. */
  rowFixedEm: 1.3 + 2.6 + 3 * 0.3 + 0.3,
  /** Kept at the right of a waiting party's name for its wait ("55–100m"). */
  waitEm: 3.8,
  /** A party name's mean character width in em (semi-bold, rounded up like charEm). */
  nameCharEm: 0.62,
  /** A game title's font and line height (titles wrap, never cut). */
  titleFontEm: 1.3,
  titleLineEm: 1.3 * 1.15,
  /** The copies line under a title, and a line of the "no queue" list. */
  metaLineEm: 1.15,
  /** A card's padding, border and the rule under its header. */
  cardChromeEm: 1.45,
  /** Between cards and between columns. */
  gapEm: 0.7,
  /** A column narrower than this squeezes the names; more games go on more pages instead. */
  minColumnEm: 16.5,
  maxColumns: 4,
  /** The layout may draw everything up to this much larger when there is room to fill (a quiet evening). */
  maxScale: 2,
  /** And space party lines out up to this much when the width, not the height, stopped the scale. */
  maxRowStretch: 1.5,
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
  /** Each party's name length in characters, called first, then waiting (as drawn); a long one wraps and makes its row taller. */
  names?: readonly number[];
}

/** The copies line's length in characters ("3 of 3 in use · 12 waiting"), with room for longer languages. */
const META_CHARS = 28;
const META_UNAVAILABLE_CHARS = 50;

export interface GameBlock {
  kind: 'game';
  id: number;
  /** The parties drawn, called first: `shown` of them from index `from`. A game too long for the
   * room left in a column goes on in the next one (`from` > 0 there), never cut in the middle of a party. */
  from: number;
  shown: number;
  /** Parties not drawn anywhere, counted as "+N more" (a queue longer than a whole page). */
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
  /** Party lines drawn this much taller than BOARD says, to fill a screen that is left when the width stops `scale` (1 to BOARD.maxRowStretch). */
  rowStretch: number;
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

interface Rows {
  row: number;
  calling: number;
  more: number;
}

function rowsAt(stretch: number): Rows {
  return { row: BOARD.rowEm * stretch, calling: BOARD.callingRowEm * stretch, more: BOARD.moreEm * stretch };
}

/** A party's row: one line, or taller when its name needs more lines in a column `innerEm` wide. */
function partyRowEm(nameChars: number, calling: boolean, innerEm: number, rows: Rows): number {
  const nameEm = innerEm - BOARD.rowFixedEm - (calling ? 0 : BOARD.waitEm);
  const lines = textLines(nameChars, 1, nameEm, BOARD.nameCharEm);
  if (lines === 1) return calling ? rows.calling : rows.row;
  const extra = (lines - 1) * BOARD.nameLineEm;
  return calling ? rows.calling + extra : Math.max(rows.row, lines * BOARD.nameLineEm + BOARD.rowPadEm);
}


interface Packed {
  pages: Block[][][];
  /** Some card could not show all its parties. */
  capped: boolean;
}

/** Fills columns top to bottom, in order, then the next page. */
function pack(games: readonly GameToFit[], columns: number, widthEm: number, heightEm: number, rows: Rows = rowsAt(1)): Packed {
  const columnEm = (widthEm - (columns - 1) * BOARD.gapEm) / columns;
  const innerEm = columnEm - 1;
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
    const header = BOARD.cardChromeEm + headerEm(game, innerEm);
    const total = game.calling + game.waiting;
    const rowAt = (i: number) => partyRowEm(game.names?.[i] ?? 0, i < game.calling, innerEm, rows);
    /** How many parties from `from` fit in `room` em, and the height they take. */
    const fit = (from: number, room: number) => {
      let count = 0;
      let height = 0;
      while (from + count < total && height + rowAt(from + count) <= room) height += rowAt(from + count++);
      return { count, height };
    };
    let from = 0;
    let columnsUsed = 0;
    while (from < total) {
      const rest = total - from;
      let slice = fit(from, left() - header);
      if (slice.count < rest) {
        // Split only with two parties on each side; otherwise the whole card starts the next column.
        if (column.length && (slice.count < 2 || rest - slice.count < 2)) {
          nextColumn();
          continue;
        }
        columnsUsed += 1;
        if (columnsUsed >= columns) {
          // A queue longer than a whole page: what fits, and "+N more".
          slice = fit(from, left() - header - rows.more);
          place({ kind: 'game', id: game.id, from, shown: slice.count, more: rest - slice.count }, header + slice.height + rows.more);
          capped = true;
          break;
        }
        // An empty column that holds not even one party (a tiny screen): one anyway, so the loop ends.
        const count = Math.max(1, slice.count);
        place({ kind: 'game', id: game.id, from, shown: count, more: 0 }, header + (slice.count ? slice.height : rowAt(from)));
        from += count;
        nextColumn();
        continue;
      }
      place({ kind: 'game', id: game.id, from, shown: rest, more: 0 }, header + slice.height);
      from = total;
    }
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
  if (games.length === 0 || space.widthPx <= 0 || space.heightPx <= 0) return { scale: 1, rowStretch: 1, columns: 1, pages: [] };
  const columnsAt = (widthEm: number) =>
    Math.max(1, Math.min(BOARD.maxColumns, Math.floor((widthEm + BOARD.gapEm) / (BOARD.minColumnEm + BOARD.gapEm))));
  const onePage = (scale: number, allowCapped: boolean, stretch = 1, only?: number): BoardLayout | null => {
    const em = space.basePx * scale;
    const widthEm = space.widthPx / em;
    const heightEm = space.heightPx / em;
    for (let columns = only ?? 1; columns <= (only ?? columnsAt(widthEm)); columns++) {
      const packed = pack(games, columns, widthEm, heightEm, rowsAt(stretch));
      if (packed.pages.length === 1 && (allowCapped || !packed.capped)) return { scale, rowStretch: stretch, columns, pages: packed.pages };
    }
    return null;
  };
  const steps = (from: number) => Array.from({ length: Math.round((from - 1) / 0.05) + 1 }, (_, i) => Math.round((from - i * 0.05) * 100) / 100);
  for (const allowCapped of [false, true]) {
    for (const scale of steps(BOARD.maxScale)) {
      const found = onePage(scale, allowCapped);
      if (!found) continue;
      // The width may have stopped the scale with height to spare: space the lines out into it.
      for (const stretch of steps(BOARD.maxRowStretch)) {
        const stretched = onePage(scale, allowCapped, stretch, found.columns);
        if (stretched) return stretched;
      }
      return found;
    }
  }
  // More than one page: as few as it takes at the base size, lines spaced out as far as that count allows.
  const columns = columnsAt(space.widthPx / space.basePx);
  const paged = (stretch: number) => pack(games, columns, space.widthPx / space.basePx, space.heightPx / space.basePx, rowsAt(stretch)).pages;
  const fewest = paged(1);
  for (const stretch of steps(BOARD.maxRowStretch)) {
    const pages = paged(stretch);
    if (pages.length <= fewest.length) return { scale: 1, rowStretch: stretch, columns, pages };
  }
  return { scale: 1, rowStretch: 1, columns, pages: fewest };
}
