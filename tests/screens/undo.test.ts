/**
 * Undo and the floor tools in a real browser: staff on a touch tablet take moves back from the
 * toast, confirm destructive ones, bring a no-show back later from "Ended today", and move a
 * party up; the TV follows each change. Needs the built client and Chromium.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN, startTestService, type TestService } from '../helpers/testService';
import { createGame, join, type ReservationBody } from '../helpers/api';
import { expectText, launchChromium, ProblemLog, requireBuiltClient, signInToStaff, VIEWPORTS, watchedContext } from '../helpers/browser';

jest.setTimeout(90_000);

const STEP_MS = 10_000;

let service: TestService;
let browser: Browser;
const log = new ProblemLog();
const contexts: BrowserContext[] = [];
let staff: Page;
let board: Page;
let gameId: number;
let parties: ReservationBody[];

beforeAll(async () => {
  service = await startTestService('e2eundo', { SERVE_CLIENT: 'true', CLIENT_DIR: requireBuiltClient(), AUTO_ADVANCE: 'false' });
  browser = await launchChromium();
  gameId = (await createGame(service, { title: 'Cascadia Undo', copies: 1, autoAdvance: false })).id;
  parties = [];
  for (const name of ['Ada Lovelace', 'Bo Diddley', 'Cy Twombly']) parties.push(await join(service, gameId, name));

  const tablet = await watchedContext(browser, 'tablet', log, { viewport: VIEWPORTS.tablet, hasTouch: true });
  const tv = await watchedContext(browser, 'tv', log, { viewport: VIEWPORTS.tv });
  contexts.push(tablet, tv);
  board = await tv.newPage();
  await board.goto(`${service.url}/board`);
  staff = await tablet.newPage();
  await signInToStaff(staff, log, service.url, ADMIN);
  await staff.getByTestId(`queue-game-${gameId}`).waitFor({ timeout: STEP_MS });
}, 60_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await service?.stop();
  expect(log.unexpected).toEqual([]);
}, 30_000);

const row = (code: string) => staff.getByTestId(`queue-row-${code}`);
const boardEntry = (code: string) => board.getByTestId(`board-entry-${code}`);
const undoToast = (text: RegExp) => staff.getByTestId('toast').filter({ hasText: text });

/** The codes of the waiting rows, in the order the table shows them. */
async function waitingCodes(): Promise<string[]> {
  const rows = staff.getByTestId(`queue-table-${gameId}`).locator('tr[data-status="waiting"]');
  return (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid')!.replace('queue-row-', ''))));
}

async function eventuallyEqual<T>(read: () => Promise<T>, expected: T): Promise<void> {
  const deadline = Date.now() + STEP_MS;
  let last: T = await read();
  while (JSON.stringify(last) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await read();
  }
  expect(last).toEqual(expected);
}

test('Cancel asks first; confirmed, the party leaves; Undo on the toast brings it back to its own place', async () => {
  const [a, b, c] = parties as [ReservationBody, ReservationBody, ReservationBody];
  await eventuallyEqual(waitingCodes, [a.code, b.code, c.code]);

  await row(b.code).getByTestId('row-action-cancel').tap();
  const dialog = staff.getByTestId('confirm-dialog').filter({ hasText: b.code });
  await dialog.waitFor({ timeout: STEP_MS });
  expect(await dialog.textContent()).toContain('Bo Diddley');
  // Backing out keeps the party.
  await dialog.getByTestId('confirm-cancel').tap();
  await dialog.waitFor({ state: 'hidden', timeout: STEP_MS });
  expect(await row(b.code).getAttribute('data-status')).toBe('waiting');

  await row(b.code).getByTestId('row-action-cancel').tap();
  await dialog.getByTestId('confirm-ok').tap();
  await row(b.code).waitFor({ state: 'detached', timeout: STEP_MS });
  await boardEntry(b.code).waitFor({ state: 'detached', timeout: STEP_MS });

  const toast = undoToast(new RegExp(`Cancelled ${b.code}`));
  await toast.getByTestId('toast-undo').tap();
  await eventuallyEqual(waitingCodes, [a.code, b.code, c.code]);
  await expectText(boardEntry(b.code), /Bo D\./);
  expect((await service.staff.get(`/api/reservations/${b.id}`)).body).toMatchObject({ status: 'waiting', position: 2, enqueuedAt: b.enqueuedAt });
});

test('a call undone from the toast: waiting again at the head, the TV no longer calls the code', async () => {
  const [a] = parties as [ReservationBody];
  await row(a.code).getByTestId('row-action-call').tap();
  await expectText(row(a.code).getByTestId('row-status'), /called/i);
  await expectText(board.getByTestId('board-calling'), new RegExp(a.code));
  await undoToast(new RegExp(`Called ${a.code}`)).getByTestId('toast-undo').tap();
  await expectText(row(a.code).getByTestId('row-status'), /waiting/i);
  await expectText(board.getByTestId('board-calling'), /nobody right now/i);
  expect((await waitingCodes())[0]).toBe(a.code);
});

test('a no-show brought back later from "Ended today" waits at its original place', async () => {
  const [a, b, c] = parties as [ReservationBody, ReservationBody, ReservationBody];
  await row(a.code).getByTestId('row-action-call').tap();
  await expectText(row(a.code).getByTestId('row-status'), /called/i);
  await row(a.code).getByTestId('row-action-no-show').tap();
  await staff.getByTestId('confirm-dialog').filter({ hasText: a.code }).getByTestId('confirm-ok').tap();
  await row(a.code).waitFor({ state: 'detached', timeout: STEP_MS });
  // The toast is dismissed: this is the "later" path.
  const closers = staff.getByTestId('toast').getByLabel('Dismiss');
  while ((await closers.count()) > 0) await closers.first().tap();

  const ended = staff.getByTestId(`ended-${gameId}`);
  await ended.locator('summary').tap();
  const endedRow = ended.getByTestId(`ended-row-${a.code}`);
  await expectText(endedRow, /No-show/i);
  await endedRow.getByTestId('ended-action-reinstate').tap();
  await eventuallyEqual(waitingCodes, [a.code, b.code, c.code]);
  await expectText(boardEntry(a.code), /Ada L\./);
});

test('moving a party up changes the positions on the staff table and the TV, with no reason shown', async () => {
  const [a, , c] = parties as [ReservationBody, ReservationBody, ReservationBody];
  const b = parties[1]!;
  await row(c.code).getByTestId('row-action-move-up').tap();
  await eventuallyEqual(waitingCodes, [a.code, c.code, b.code]);
  await eventuallyEqual(
    () => board.getByTestId(`board-game-${gameId}`).locator('[data-testid^="board-entry-"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')!.replace('board-entry-', ''))),
    [a.code, c.code, b.code],
  );
  expect(await board.getByTestId(`board-entry-${c.code}`).textContent()).not.toMatch(/priority|moved/i);
  await undoToast(new RegExp(`Moved up: ${c.code}`)).getByTestId('toast-undo').tap();
  await eventuallyEqual(waitingCodes, [a.code, b.code, c.code]);
});
