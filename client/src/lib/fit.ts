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
 * Columns × rows for the TV's game grid. One row of columns until they would get too thin to
 * read from across the room, then two, then three; columns are balanced across the rows.
 */
export function boardGrid(games: number): { columns: number; rows: number } {
  if (games <= 0) return { columns: 1, rows: 1 };
  const rows = games <= 4 ? 1 : games <= 10 ? 2 : 3;
  return { columns: Math.ceil(games / rows), rows };
}
