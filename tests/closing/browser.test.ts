/**
 * The hours, accounts and history screens in Chromium against the built client: an admin
 * closes the queue on the settings screen and a phone's join is refused in plain words; an
 * admin adds an account; the history screen downloads the CSV export. Screenshots of these
 * screens, in each language, come from scripts/screenshots.ts.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { ADMIN, type TestService } from '../helpers/testService';
import { failedRequest, VIEWPORTS, watchedContext } from '../helpers/browser';
import { browserSuite } from '../helpers/browserSuite';
import { act, createGame, join } from '../helpers/api';

jest.setTimeout(120_000);
const STEP_MS = 10_000;
const message = 'The queue is closed tonight: private event.';

let service: TestService;
let browser: Browser;
const { log, contexts } = browserSuite('closingscreens', { AUTO_ADVANCE: 'false' }, (started) => ({ service, browser } = started));

async function open(label: string, viewport: { width: number; height: number }, options = {}): Promise<Page> {
  const context = await watchedContext(browser, label, log, { viewport, ...options });
  contexts.push(context);
  return context.newPage();
}

async function signedInAdmin(path: string): Promise<Page> {
  const page = await open(`admin ${path}`, VIEWPORTS.laptop, { acceptDownloads: true });
  await log.expecting(failedRequest('nobody is signed in yet', '/api/auth/me', 401), async () => {
    await page.goto(`${service.url}${path}`);
    await page.getByTestId('login-username').waitFor({ timeout: STEP_MS });
  });
  await page.getByTestId('login-username').fill(ADMIN.username);
  await page.getByTestId('login-password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
  return page;
}

test('an admin closes the queue on the settings screen; a phone’s join is refused in plain words', async () => {
  const game = await createGame(service, { title: 'Carcassonne', maxQueue: 8 });
  await createGame(service, { title: 'Azul', copies: 2 });
  const admin = await signedInAdmin('/staff/settings');
  await admin.getByTestId('hours-form').waitFor({ timeout: STEP_MS });
  await admin.getByTestId('hours-enabled').check();
  for (const day of ['Thursday', 'Friday', 'Saturday']) await admin.getByLabel(`Open on ${day}`).check();
  await admin.getByLabel('Saturday closes').fill('01:00');
  await admin.getByLabel('Friday last join (blank: until closing)').fill('22:30');
  await admin.getByTestId('closed-message').fill(message);
  // Every day closed today: whatever today is, the queue is closed now.
  const weekday = new Date().toLocaleDateString('en-GB', { weekday: 'long', timeZone: service.config.timeZone });
  const todayBox = admin.getByLabel(`Open on ${weekday}`);
  if (await todayBox.isChecked()) await todayBox.uncheck();
  await admin.getByTestId('hours-save').click();
  await admin.getByText('Last saved by admin').waitFor({ timeout: STEP_MS });
  expect((await service.staff.get('/api/settings/opening-hours')).body).toMatchObject({ enabled: true, closedMessage: message });

  const phone = await open('phone', VIEWPORTS.phone);
  await phone.goto(`${service.url}/join`);
  await phone.getByTestId(`join-game-${game.id}`).click();
  await phone.getByTestId('join-name').fill('Robin Hood');
  await log.expecting(failedRequest('the queue is closed', `/api/games/${game.id}/reservations`, 409), async () => {
    await phone.getByTestId('join-submit').click();
    await phone.getByTestId('join-error').filter({ hasText: message }).waitFor({ timeout: STEP_MS });
  });
  expect(await phone.getByTestId('join-error').innerText()).toMatch(/^The queue is closed tonight: private event\. It opens again (today|tomorrow|on \w+) at \d\d:\d\d\.$/);
  expect(log.unexpected).toEqual([]);
});

test('an admin adds a staff account on the accounts screen', async () => {
  const admin = await signedInAdmin('/staff/accounts');
  await admin.getByTestId('add-user-form').waitFor({ timeout: STEP_MS });
  await admin.getByTestId('add-username').fill('sam');
  await admin.getByTestId('add-password').fill('sam-password-123');
  await admin.getByTestId('add-submit').click();
  await admin.getByTestId('user-sam').waitFor({ timeout: STEP_MS });
  expect((await service.staff.get('/api/users')).body.map((u: { username: string }) => u.username)).toContain('sam');
  expect(log.unexpected).toEqual([]);
});

test('the history screen shows the numbers and downloads the reservations CSV', async () => {
  await service.staff.put('/api/settings/opening-hours').send({ ...(await service.staff.get('/api/settings/opening-hours')).body, enabled: false, updatedBy: undefined, updatedAt: undefined });
  const games = (await service.staff.get('/api/games')).body as Array<{ id: number; title: string }>;
  for (const [i, g] of games.entries()) {
    const a = await join(service, g.id, `Guest ${i}a`);
    const b = await join(service, g.id, `Guest ${i}b`);
    await act(service, a.id, 'call');
    await act(service, a.id, 'seat');
    await act(service, b.id, 'cancel');
  }
  const admin = await signedInAdmin('/staff/history');
  await admin.getByTestId('history-totals').filter({ hasText: 'Served' }).waitFor({ timeout: STEP_MS });
  await admin.getByTestId('audit-table').getByText('staff:admin').first().waitFor({ timeout: STEP_MS });

  const [download] = await Promise.all([admin.waitForEvent('download', { timeout: STEP_MS }), admin.getByTestId('export-reservations').click()]);
  expect(download.suggestedFilename()).toMatch(/^meeple-queue-reservations-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.csv$/);
  const rows = parse(readFileSync((await download.path())!, 'utf8'), { columns: true }) as Array<Record<string, string>>;
  expect(rows.map((r) => r.customer_name).sort()).toEqual(['Guest 0a', 'Guest 0b', 'Guest 1a', 'Guest 1b']);
  expect(rows.filter((r) => r.status === 'seated')).toHaveLength(2);
  expect(log.unexpected).toEqual([]);
});
