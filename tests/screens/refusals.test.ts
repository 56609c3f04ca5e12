/**
 * A server's refusal on a German staff screen, in a real browser against the real service: the
 * sentence comes from the German catalogue with the values the server sent (its code and
 * params, docs/API.md#errors), not the general "conflict" sentence and not the server's
 * English. Needs the built client and Chromium.
 */
import type { Browser, Page } from 'playwright-core';
import { ADMIN, type TestService } from '../helpers/testService';
import { createGame } from '../helpers/api';
import { expectText, failedRequest, signInToStaff, VIEWPORTS, watchedContext } from '../helpers/browser';
import { browserSuite } from '../helpers/browserSuite';
import de from '../../client/src/i18n/de';

jest.setTimeout(90_000);

const STEP_MS = 10_000;
const TITLE = 'Flügelschlag';

let service: TestService;
let browser: Browser;
const { log, contexts } = browserSuite('e2erefusals', {}, (started) => ({ service, browser } = started));

let staff: Page;

beforeAll(async () => {
  await createGame(service, { title: TITLE, copies: 1 });
  const tablet = await watchedContext(browser, 'tablet', log, { viewport: VIEWPORTS.tablet, hasTouch: true });
  contexts.push(tablet);
  // The language this tablet's user picked (the picker keeps it in localStorage).
  await tablet.addInitScript({ content: "if (location.protocol === 'http:') localStorage.setItem('meeple-queue.language', 'de');" });
  staff = await tablet.newPage();
  await signInToStaff(staff, log, service.url, ADMIN);
  await staff.getByTestId('live-indicator').filter({ hasText: 'Live' }).waitFor({ timeout: STEP_MS });
}, 60_000);

afterAll(() => {
  expect(log.unexpected).toEqual([]);
});

test('adding a game whose title exists: the German tablet says so in German, naming the game', async () => {
  await staff.getByTestId('game-new').click();
  await staff.getByTestId('game-title').fill(TITLE);
  const alert = staff.getByTestId('game-form').getByRole('alert');
  await log.expecting(failedRequest('the title is taken: the server refuses with 409 game_title_taken', '/api/games', 409), async () => {
    await staff.getByTestId('game-save').click();
    await alert.waitFor({ timeout: STEP_MS });
  });
  const said = await expectText(alert, /Flügelschlag/);
  expect(said).toBe(`Ein Spiel namens „${TITLE}“ gibt es schon.`);
  expect(said).not.toContain(de.errors.conflict);
  // REFUSAL_SCREENSHOT=/tmp/x.png keeps what the tablet showed, to look at.
  if (process.env.REFUSAL_SCREENSHOT) await staff.screenshot({ path: process.env.REFUSAL_SCREENSHOT });
});
