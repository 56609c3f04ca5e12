/**
 * The TV board read from across the room (issue 16): in real Chromium against the real service,
 * with 6 and then 20 games, at 1280x720 and 1920x1080, on every page the board rotates through.
 *
 * Floors (docs/BOARD.md):
 * - the smallest text drawn: 24 px at 1080p, 18 px at 720p (about 1.5 cm and 1.4 cm tall on a
 *   55" and a 32" TV: letters readable at five metres need about 1 cm);
 * - a queue row: 40 px at 1080p, 27 px at 720p (the same share of the screen).
 * Nothing cut: no text wider than its box, no ellipsis on a title, no card outside its column or
 * the screen; a long party name (28 characters on the board, and the longest the server takes:
 * 60) is drawn whole, on more lines. Every game is on some page. A new call flashes and chimes (Web Audio, spied on).
 *
 * Set BOARD_SCREENSHOTS=<dir> to keep a PNG of each size (docs/screenshots/board-*.png).
 */
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { eventually, type TestService } from '../helpers/testService';
import { VIEWPORTS, watchedContext } from '../helpers/browser';
import { browserSuite } from '../helpers/browserSuite';
import { DEMO_GAMES_40, seedDemo, type DemoGame } from '../helpers/demo';
import { createGame, join } from '../helpers/api';

jest.setTimeout(180_000);

const FLOORS = {
  '1920x1080': { text: 24, row: 40 },
  '1280x720': { text: 18, row: 27 },
} as const;

const LONG_TITLE = 'The Lord of the Rings: Journeys in Middle-earth';
/** "Anna-Lena-Marie-Christine K." on the board: 28 characters. */
const LONG_NAME = 'Anna-Lena-Marie-Christine Kowalczyk';
/** 60 characters, the most the server takes: "Maria-Magdalena-…-Charlotte W." on the board (57). */
const LONGEST_NAME = 'Maria-Magdalena-Josephine-Antonia-Friederike-Charlotte Weiße';

/**
 * 14 more games, most with parties waiting, every copy in use (so auto-advance calls nobody
 * more) and one party called in every third; a few quiet, one with a long title.
 */
const MORE_GAMES: DemoGame[] = DEMO_GAMES_40.slice(6, 20).map((g, i) => ({
  ...g,
  title: i === 3 ? LONG_TITLE : g.title,
  finished: 0,
  seated: i % 3 === 0 ? g.copies - 1 : g.copies,
  called: i % 3 === 0 ? 1 : 0,
  waiting: [2, 4, 0, 3, 1, 5, 2, 0, 3, 6, 1, 2, 4, 0][i]!,
}));

let service: TestService;
let browser: Browser;
const { log, contexts } = browserSuite('boardread', {}, (started) => ({ service, browser } = started));

/** A board whose page counts AudioContexts and the tones started on them. */
async function openBoard(viewport: { width: number; height: number }): Promise<Page> {
  const context = await watchedContext(browser, `board ${viewport.width}x${viewport.height}`, log, { viewport });
  contexts.push(context);
  await context.addInitScript(() => {
    const w = globalThis as unknown as {
      AudioContext: new () => object;
      OscillatorNode: { prototype: { start: (...args: unknown[]) => void } };
      audioSpy: { contexts: number; tones: number };
    };
    const spy = { contexts: 0, tones: 0 };
    w.audioSpy = spy;
    const Original = w.AudioContext;
    w.AudioContext = class extends Original {
      constructor() {
        super();
        spy.contexts += 1;
      }
    };
    const start = w.OscillatorNode.prototype.start;
    w.OscillatorNode.prototype.start = function (this: unknown, ...args: unknown[]) {
      spy.tones += 1;
      return start.apply(this, args);
    };
  });
  const page = await context.newPage();
  await page.goto(`${service.url}/board`);
  return page;
}

interface Measured {
  smallestText: { px: number; text: string };
  rows: number;
  smallestRow: number;
  clipped: string[];
  outside: string[];
  holds: string[];
  /** Each party name drawn, and whether all of it shows (no ellipsis, nothing past its box). */
  names: Array<{ code: string; text: string; whole: boolean }>;
  gameIds: number[];
  page: number;
  pages: number;
}

/** Everything the floors are about, measured in the page as drawn. */
function measure(page: Page): Promise<Measured> {
  return page.evaluate(() => {
    // Runs in the page; the Node tsconfig has no DOM types, so the few shapes used are named here.
    interface Rect {
      left: number;
      top: number;
      right: number;
      bottom: number;
      width: number;
      height: number;
    }
    interface El {
      scrollWidth: number;
      clientWidth: number;
      textContent: string | null;
      parentElement: El | null;
      dataset: Record<string, string | undefined>;
      getBoundingClientRect(): Rect;
      closest(selector: string): El | null;
      querySelectorAll(selector: string): Iterable<El>;
    }
    interface TextNode {
      textContent: string | null;
      parentElement: El | null;
    }
    const w = globalThis as unknown as {
      innerWidth: number;
      innerHeight: number;
      getComputedStyle(el: El): { fontSize: string; textOverflow: string; visibility: string; display: string; overflow: string };
      document: {
        body: unknown;
        createTreeWalker(root: unknown, what: number): { nextNode(): TextNode | null };
        createRange(): { selectNodeContents(node: TextNode): void; getBoundingClientRect(): Rect };
        querySelector(selector: string): El | null;
        querySelectorAll(selector: string): Iterable<El>;
      };
    };
    const doc = w.document;
    const label = (el: El) => (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 60);

    let smallestText = { px: Infinity, text: '' };
    const walker = doc.createTreeWalker(doc.body, 4 /* NodeFilter.SHOW_TEXT */);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || !(node.textContent ?? '').trim() || parent.closest('.visually-hidden, script, style')) continue;
      const range = doc.createRange();
      range.selectNodeContents(node);
      const box = range.getBoundingClientRect();
      const style = w.getComputedStyle(parent);
      if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
      const px = parseFloat(style.fontSize);
      if (px < smallestText.px) smallestText = { px, text: (node.textContent ?? '').trim() };
    }

    const rowHeights = [...doc.querySelectorAll('[data-testid^="board-entry-"]')].map((r) => r.getBoundingClientRect().height);

    const clipped: string[] = [];
    for (const el of doc.querySelectorAll('[data-testid="board"] *')) {
      const hasText = (el.textContent ?? '').trim() !== '';
      if (!hasText || el.closest('.visually-hidden')) continue;
      if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) clipped.push(`wider than its box: ${label(el)}`);
    }
    for (const el of doc.querySelectorAll('[data-testid="board"] .title, [data-testid="board-calling"] .game, [data-testid="board-idle"] .title')) {
      if (w.getComputedStyle(el).textOverflow === 'ellipsis') clipped.push(`title with an ellipsis: ${label(el)}`);
    }

    const outside: string[] = [];
    const inside = (r: Rect, box: Rect) => r.left >= box.left - 1 && r.top >= box.top - 1 && r.right <= box.right + 1 && r.bottom <= box.bottom + 1;
    const screen = { left: 0, top: 0, right: w.innerWidth, bottom: w.innerHeight, width: w.innerWidth, height: w.innerHeight };
    for (const el of doc.querySelectorAll('[data-testid="board"] *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || el.closest('.visually-hidden')) continue;
      if (!inside(r, screen)) outside.push(`off the screen: ${label(el)}`);
      const stack = el.closest('.stack');
      if (stack && stack !== el && !inside(r, stack.getBoundingClientRect())) outside.push(`cut by its column: ${label(el)}`);
    }

    const names = [...doc.querySelectorAll('[data-testid^="board-entry-"] .name')].map((el) => {
      const box = el.getBoundingClientRect();
      const range = doc.createRange();
      range.selectNodeContents(el as unknown as TextNode);
      const text = range.getBoundingClientRect();
      const style = w.getComputedStyle(el);
      const whole =
        style.textOverflow !== 'ellipsis' && el.scrollWidth <= el.clientWidth + 1 && text.right <= box.right + 1 && text.bottom <= box.bottom + 1;
      return { code: el.closest('[data-testid^="board-entry-"]')!.dataset.testid!.slice('board-entry-'.length), text: label(el), whole };
    });

    const grid = doc.querySelector('[data-testid="board-grid"]');
    return {
      smallestText,
      rows: rowHeights.length,
      smallestRow: Math.min(...rowHeights),
      clipped,
      outside,
      holds: [...doc.querySelectorAll('[data-testid="board-hold"]')].map(label),
      names,
      gameIds: [...doc.querySelectorAll('[data-testid^="board-game-"]')].map((el) => Number(el.dataset.testid!.slice('board-game-'.length))),
      page: Number(grid?.dataset.page ?? 0),
      pages: Number(grid?.dataset.pages ?? 0),
    };
  });
}

/** Measures each page at each size; returns what was measured, for the figures in the report. */
async function checkEveryPage(games: number, longNames: Array<{ code: string }> = []) {
  const board = (await service.anon.get('/api/board')).body as {
    games: Array<{ id: number; calling: Array<{ code: string; displayName: string }>; waiting: Array<{ code: string; displayName: string }> }>;
  };
  const expected = board.games.map((g) => g.id).sort((a, b) => a - b);
  expect(expected.length).toBe(games);
  const shownAs = new Map(board.games.flatMap((g) => [...g.calling, ...g.waiting]).map((e) => [e.code, e.displayName]));
  const figures: string[] = [];
  for (const viewport of [VIEWPORTS.tv720, VIEWPORTS.tv]) {
    const at = `${viewport.width}x${viewport.height}` as keyof typeof FLOORS;
    const floor = FLOORS[at];
    const page = await openBoard(viewport);
    await page.locator('[data-testid^="board-entry-"]').first().waitFor({ timeout: 10_000 });
    // The layout settles once the grid is measured and the drawing checked (BoardPage: correction).
    await page.waitForTimeout(500);
    const seen = new Set<number>();
    const namesSeen = new Map<string, { text: string; whole: boolean }>();
    // The board also turns pages by itself: measure whichever page is up until each was seen once.
    const measured = new Set<number>();
    let m = await measure(page);
    for (let turns = 0; measured.size < m.pages && turns < m.pages * 3; turns++) {
      if (!measured.has(m.page)) {
        measured.add(m.page);
        const where = `${at}, ${games} games, page ${m.page + 1} of ${m.pages}`;
        if (m.page === 0 && process.env.BOARD_SCREENSHOTS) {
          await page.screenshot({ path: resolve(process.env.BOARD_SCREENSHOTS, `board-${viewport.height}p-${games}games.png`) });
        }
        expect({ where, clipped: m.clipped, outside: m.outside }).toEqual({ where, clipped: [], outside: [] });
        expect({ where, smallestText: m.smallestText.px >= floor.text ? 'ok' : m.smallestText }).toEqual({ where, smallestText: 'ok' });
        expect({ where, smallestRow: m.smallestRow >= floor.row }).toEqual({ where, smallestRow: true });
        for (const hold of m.holds) expect(hold).toMatch(/^\d+:\d\d left to come$|^Come to the counter now$/);
        for (const id of m.gameIds) seen.add(id);
        for (const n of m.names) namesSeen.set(n.code, { text: n.text, whole: n.whole });
        figures.push(`${where}: smallest text ${m.smallestText.px.toFixed(1)} px ("${m.smallestText.text}"), rows ${m.rows} (smallest ${m.smallestRow.toFixed(1)} px)`);
      }
      if (m.pages < 2) break;
      const current = String(m.page);
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction(
        (was) => (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null } | null } }).document.querySelector('[data-testid="board-grid"]')?.getAttribute('data-page') !== was,
        current,
      );
      m = await measure(page);
    }
    expect({ at, measured: measured.size }).toEqual({ at, measured: Math.max(1, m.pages) });
    expect({ at, seen: [...seen].sort((a, b) => a - b) }).toEqual({ at, seen: expected });
    // A long name is on the board, all of it: wrapped onto more lines, not "Anna-Lena-Ma…".
    for (const { code } of longNames) {
      expect({ at, code, drawn: namesSeen.get(code) }).toEqual({ at, code, drawn: { text: shownAs.get(code), whole: true } });
    }
    // The countdown is there and labelled somewhere on the board (the "Now calling" strip at least).
    expect((await measure(page)).holds.some((h) => /^\d+:\d\d left to come$/.test(h))).toBe(true);
    await page.context().close();
  }
  console.log(figures.join('\n'));
}

test('with 6 games, at 720p and 1080p, every text and row is above the floor and nothing is cut, a long name included', async () => {
  const games = await seedDemo(service);
  // Catan has every copy in use: the party waits, on the board, among short names.
  const long = await join(service, games.find((g) => g.title === 'Catan')!.id, LONG_NAME);
  await checkEveryPage(6, [long]);
});

test('with 20 games, at 720p and 1080p, every text and row is above the floor, nothing is cut, every game is on a page', async () => {
  const more = await seedDemo(service, MORE_GAMES);
  const longest = await join(service, more.find((g) => g.waitingCodes.length > 0)!.id, LONGEST_NAME);
  await checkEveryPage(20, [longest]);
});

test('a new call flashes the "Now calling" strip and chimes; with sound switched off, it only flashes', async () => {
  const page = await openBoard(VIEWPORTS.tv);
  await page.getByTestId('board-grid').waitFor();
  const spy = () => page.evaluate(() => (globalThis as unknown as { audioSpy: { contexts: number; tones: number } }).audioSpy);

  // Until someone touches the TV the browser keeps audio off, and the board says so.
  await page.getByTestId('board-tap-for-sound').waitFor();
  await page.mouse.click(10, 10);
  await eventually(async () => (await spy()).contexts === 1);
  await page.getByTestId('board-tap-for-sound').waitFor({ state: 'detached' });

  const game = await createGame(service, { title: 'Cascadia Chime Test', copies: 1 });
  const before = (await spy()).tones;
  const called = await join(service, game.id, 'Chime Tester');
  // Auto-advance calls the party at once: the copy is free.
  await page.locator(`[data-testid="board-calling-${called.code}"].fresh`).waitFor({ timeout: 5000 });
  expect(await page.getByTestId('board-calling-strip').getAttribute('class')).toMatch(/\bflash\b/);
  if (process.env.BOARD_SCREENSHOTS) await page.screenshot({ path: resolve(process.env.BOARD_SCREENSHOTS, 'board-1080p-new-call.png') });
  await eventually(async () => (await spy()).tones > before);

  // Sound off survives a reload (localStorage), and the next call flashes without a tone.
  await page.getByTestId('board-sound').click();
  await expect(page.getByTestId('board-sound').getAttribute('aria-pressed')).resolves.toBe('false');
  await page.reload();
  await page.getByTestId('board-grid').waitFor();
  await expect(page.getByTestId('board-sound').textContent()).resolves.toMatch(/Sound off/);
  expect(await page.getByTestId('board-tap-for-sound').count()).toBe(0);
  const quiet = await createGame(service, { title: 'Kingdomino Quiet Test', copies: 1 });
  const next = await join(service, quiet.id, 'Quiet Tester');
  await page.locator(`[data-testid="board-calling-${next.code}"].fresh`).waitFor({ timeout: 5000 });
  expect((await spy()).tones).toBe(0);
});

test('no console errors or page errors', () => {
  expect(log.unexpected).toEqual([]);
});
