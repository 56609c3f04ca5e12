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
 * Columns × rows for the TV's game grid. The code and the name are what people read from
 * across the room, so a column never gets narrower than a third of the screen (at 16:9 that
 * is about 21 em: position, code, a name and the wait side by side); more games get more
 * rows, each with fewer lines and a "+N more".
 */
export const MAX_BOARD_COLUMNS = 3;

export function boardGrid(games: number): { columns: number; rows: number } {
  if (games <= 0) return { columns: 1, rows: 1 };
  // Four in a row would be too thin; two by two keeps them wide.
  const columns = games === 4 ? 2 : Math.min(games, MAX_BOARD_COLUMNS);
  return { columns, rows: Math.ceil(games / columns) };
}
