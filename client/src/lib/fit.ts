// How many rows of a list fit in the space a TV column has, keeping one line for "+N more".

export interface Fitted {
  shown: number;
  more: number;
}

export function fitRows(total: number, availablePx: number, rowPx: number): Fitted {
  if (total <= 0) return { shown: 0, more: 0 };
  if (!(rowPx > 0) || !(availablePx > 0)) return { shown: 0, more: total };
  const capacity = Math.floor(availablePx / rowPx);
  if (capacity >= total) return { shown: total, more: 0 };
  // The "+N more" line takes the place of one row.
  const shown = Math.max(0, capacity - 1);
  return { shown, more: total - shown };
}

/**
 * How many columns the TV splits the games into. The code and the name are what people read
 * from across the room, so a column never gets narrower than a third of the screen (at 16:9
 * about 21 em: position, code, a name and the wait side by side); more games are stacked.
 */
export const MAX_BOARD_COLUMNS = 3;

/** A party's line on the TV, in em. */
export const BOARD_ROW_EM = 2;
/** A game's title and copies line, in party lines: what a game needs before its first party. */
export const BOARD_HEADER_ROWS = 2.6;

/** A game's height in party lines when it could show everyone (at least one line, for "No wait"). */
export function boardGameWeight(parties: number): number {
  return BOARD_HEADER_ROWS + Math.max(1, parties);
}

/**
 * Splits games, in order, into at most `maxColumns` columns read top to bottom, so that the
 * fullest column needs as little height as possible. `weights` are each game's height in rows
 * (its header plus its parties); a game with a long queue gets a column to itself, and short
 * ones share. Returns the index of the first game of each column.
 */
export function boardColumns(weights: readonly number[], maxColumns = MAX_BOARD_COLUMNS): number[] {
  const n = weights.length;
  if (n === 0) return [];
  const k = Math.min(n, maxColumns);
  const prefix = [0];
  for (const w of weights) prefix.push(prefix[prefix.length - 1]! + w);
  const sum = (from: number, to: number) => prefix[to]! - prefix[from]!;
  // best[c][i]: the least possible tallest column when the first i games fill c columns.
  const best: number[][] = Array.from({ length: k + 1 }, () => new Array<number>(n + 1).fill(Infinity));
  const cut: number[][] = Array.from({ length: k + 1 }, () => new Array<number>(n + 1).fill(0));
  best[0]![0] = 0;
  for (let c = 1; c <= k; c++) {
    for (let i = c; i <= n; i++) {
      for (let j = c - 1; j < i; j++) {
        const tallest = Math.max(best[c - 1]![j]!, sum(j, i));
        if (tallest < best[c]![i]!) {
          best[c]![i] = tallest;
          cut[c]![i] = j;
        }
      }
    }
  }
  const starts: number[] = [];
  for (let c = k, i = n; c > 0; c--) {
    i = cut[c]![i]!;
    starts.unshift(i);
  }
  return starts;
}
