import fc from 'fast-check';
import { BOARD, boardBaseFontPx, boardMinTextPx, layoutBoard, type Block, type GameToFit } from '../../client/src/lib/fit';

const TV1080 = { widthPx: 1540, heightPx: 880, basePx: boardBaseFontPx(1080) };
const TV720 = { widthPx: 1020, heightPx: 580, basePx: boardBaseFontPx(720) };

function game(id: number, waiting: number, calling = 0, title = `Game ${id}`): GameToFit {
  return { id, title, calling, waiting };
}

const blocks = (pages: Block[][][]) => pages.flat(2);

/** Every party of every game, as drawn: [game id, party index] in drawing order. */
function partiesDrawn(pages: Block[][][]): Array<[number, number]> {
  return blocks(pages).flatMap((b) => (b.kind === 'game' ? Array.from({ length: b.shown }, (_, i): [number, number] => [b.id, b.from + i]) : []));
}

describe('the TV board font', () => {
  it('is 28 px at 1080p and 20 px at 720p; its smallest text 24.3 px and 18 px', () => {
    expect(boardBaseFontPx(1080)).toBeCloseTo(28.08);
    expect(boardBaseFontPx(720)).toBe(20);
    expect(boardMinTextPx(1080)).toBeCloseTo(24.3);
    expect(boardMinTextPx(720)).toBe(18);
  });

  it('gives a party line at least 40 px at 1080p', () => {
    expect(BOARD.rowEm * boardBaseFontPx(1080)).toBeGreaterThanOrEqual(40);
  });
});

describe('laying out the TV board', () => {
  it('has no pages without games or before the grid is measured', () => {
    expect(layoutBoard([], TV1080).pages).toEqual([]);
    expect(layoutBoard([game(1, 3)], { ...TV1080, heightPx: 0 }).pages).toEqual([]);
  });

  it('draws a single quiet game larger, in one column, on one page', () => {
    const layout = layoutBoard([game(1, 2)], TV1080);
    expect(layout.pages).toHaveLength(1);
    expect(layout.columns).toBe(1);
    expect(layout.scale).toBe(BOARD.maxScale);
  });

  it('puts games nobody waits for last, together, one line each', () => {
    const layout = layoutBoard([game(1, 0), game(2, 3), game(3, 0)], TV1080);
    const drawn = blocks(layout.pages);
    expect(drawn.at(-1)).toEqual({ kind: 'idle', ids: [1, 3] });
    expect(drawn[0]).toMatchObject({ kind: 'game', id: 2, from: 0, shown: 3, more: 0 });
  });

  it('shows six busy games on one page of a 1080p TV, titles in order down the columns', () => {
    const games = [game(1, 3), game(2, 5, 1), game(3, 2, 1), game(4, 4), game(5, 3, 1), game(6, 0)];
    const layout = layoutBoard(games, TV1080);
    expect(layout.pages).toHaveLength(1);
    expect(layout.columns).toBe(3);
    expect(blocks(layout.pages).map((b) => (b.kind === 'game' ? b.id : 'idle'))).toEqual([1, 2, 3, 4, 5, 'idle']);
  });

  it('turns pages at the base size when forty games do not fit, and never narrows a column below its minimum', () => {
    const games = Array.from({ length: 40 }, (_, i) => game(i + 1, (i * 7) % 6, i % 4 === 0 ? 1 : 0));
    const layout = layoutBoard(games, TV720);
    expect(layout.pages.length).toBeGreaterThan(1);
    expect(layout.scale).toBe(1);
    expect(TV720.widthPx / TV720.basePx / layout.columns).toBeGreaterThanOrEqual(BOARD.minColumnEm);
  });

  it('continues a long queue in the next column rather than leaving the rest of a column empty', () => {
    const layout = layoutBoard([game(1, 2), game(2, 30)], TV720);
    const parts = blocks(layout.pages).filter((b) => b.kind === 'game' && b.id === 2);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.map((b) => (b.kind === 'game' ? b.from : -1))[1]).toBeGreaterThan(0);
  });

  it('plans a taller row for a long party name, which wraps: fewer parties fit in a column than with short names', () => {
    // Queues longer than a page, so the "+N more" count shows how many rows the planned height held.
    const shown = (nameChars: number) => {
      const layout = layoutBoard([{ ...game(1, 60), names: Array.from({ length: 60 }, () => nameChars) }], TV720);
      return blocks(layout.pages).reduce((n, b) => n + (b.kind === 'game' ? b.shown : 0), 0);
    };
    // "Sam C." against "Anna-Lena-Marie-Christine K." (28 characters, two lines in a 720p column).
    expect(shown(28)).toBeLessThan(shown(6));
    expect(shown(6)).toBe(shown(0));
  });

  it('counts a queue longer than a whole page as "+N more" instead of drawing past the screen', () => {
    const layout = layoutBoard([game(1, 400)], TV720);
    const parts = blocks(layout.pages).filter((b) => b.kind === 'game');
    const shown = parts.reduce((n, b) => n + (b.kind === 'game' ? b.shown : 0), 0);
    const more = parts.reduce((n, b) => n + (b.kind === 'game' ? b.more : 0), 0);
    expect(layout.pages).toHaveLength(1);
    expect(more).toBeGreaterThan(0);
    expect(shown + more).toBe(400);
  });

  it('draws every party of every game exactly once, in queue order, whatever the games (up to 40) and the screen', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ calling: fc.nat(3), waiting: fc.nat(12), title: fc.string({ minLength: 1, maxLength: 60 }) }), { minLength: 1, maxLength: 40 }),
        fc.constantFrom(TV720, TV1080),
        (specs, space) => {
          const games = specs.map((s, i) => ({ id: i + 1, ...s }));
          const layout = layoutBoard(games, space);
          const drawn = partiesDrawn(layout.pages);
          const idle = blocks(layout.pages).flatMap((b) => (b.kind === 'idle' ? b.ids : []));
          const more = blocks(layout.pages).reduce((n, b) => n + (b.kind === 'game' ? b.more : 0), 0);
          // Nothing is counted as "more" with 12 parties a game at most: each fits a column.
          expect(more).toBe(0);
          const expected = games.flatMap((g) => Array.from({ length: g.calling + g.waiting }, (_, i): [number, number] => [g.id, i]));
          expect(drawn).toEqual(expected);
          expect(idle).toEqual(games.filter((g) => g.calling + g.waiting === 0).map((g) => g.id));
          for (const page of layout.pages) expect(page).toHaveLength(layout.columns);
          expect(layout.scale).toBeGreaterThanOrEqual(1);
          expect(layout.scale).toBeLessThanOrEqual(BOARD.maxScale);
        },
      ),
    );
  });
});
