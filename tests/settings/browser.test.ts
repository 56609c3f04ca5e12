/**
 * The café's identity in Chromium against the built client: open board and join pages take a
 * new name, accent and logo without a reload; an admin is told why a pale accent is refused;
 * the staff dashboard follows the device's light or dark setting and keeps the switch's choice.
 * Screenshots go to docs/screenshots/ when SCREENSHOTS=1.
 */
import { resolve } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { ADMIN, eventually, type TestService } from '../helpers/testService';
import { failedRequest, signInToStaff, VIEWPORTS, watchedContext } from '../helpers/browser';
import { browserSuite } from '../helpers/browserSuite';
import { act, createGame, join } from '../helpers/api';

jest.setTimeout(120_000);
const STEP_MS = 10_000;
const SHOTS = resolve(__dirname, '../../docs/screenshots');
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

let service: TestService;
let browser: Browser;
const { log, contexts } = browserSuite('cafescreens', { AUTO_ADVANCE: 'false', CAFE_NAME: 'Board Game Corner' }, (started) => ({ service, browser } = started));

async function open(label: string, options: BrowserContextOptions): Promise<Page> {
  const context = await watchedContext(browser, label, log, options);
  contexts.push(context);
  return context.newPage();
}

const shot = async (page: Page, name: string) => {
  if (process.env.SCREENSHOTS === '1') await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
};

/** The DOM this file's page-side callbacks use (the Node tsconfig has no DOM lib; see PageWindow). */
interface CafeWindow {
  __sameLoad?: boolean;
  document: { documentElement: { dataset: Record<string, string | undefined> }; querySelector(selector: string): object | null };
  getComputedStyle(element: object): { backgroundColor: string; getPropertyValue(name: string): string };
}

/** The accent the page root carries, and the colour the header band is painted with. */
const accentOf = (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const w = globalThis as unknown as CafeWindow;
    const band = w.document.querySelector(sel);
    return {
      root: w.getComputedStyle(w.document.documentElement).getPropertyValue('--accent').trim(),
      band: band ? w.getComputedStyle(band).backgroundColor : null,
    };
  }, selector);

/** Something only this page load has: a reload would lose it. */
const markPage = (page: Page) => page.evaluate(() => Object.assign(globalThis, { __sameLoad: true }));
const sameLoad = (page: Page) => page.evaluate(() => (globalThis as unknown as CafeWindow).__sameLoad === true);

test('open board and join pages show a new name, accent and logo without a reload, and the QR code gives the public address', async () => {
  const game = await createGame(service, { title: 'Cascadia' });
  await join(service, game.id, 'Robin Hood');
  const board = await open('board', { viewport: VIEWPORTS.tv });
  await board.goto(`${service.url}/board`);
  await board.getByTestId('cafe-name').filter({ hasText: 'Board Game Corner' }).waitFor({ timeout: STEP_MS });
  const phone = await open('phone', { viewport: VIEWPORTS.phone });
  await phone.goto(`${service.url}/join`);
  await phone.getByTestId('cafe-name').filter({ hasText: 'Board Game Corner' }).waitFor({ timeout: STEP_MS });
  expect((await accentOf(board, '.brand')).root).toBe('#2348b5');
  await markPage(board);
  await markPage(phone);

  const saved = await service.staff
    .put('/api/settings/cafe')
    .send({ name: 'Die Würfelbude', accent: '#8a1c4a', publicUrl: 'https://spiele.example.de', timeZone: 'Europe/Berlin', language: 'de' });
  expect(saved.status).toBe(200);
  await service.staff.put('/api/settings/cafe/logo').send({ data: PNG }).expect(200);

  for (const page of [board, phone]) {
    await page.getByTestId('cafe-name').filter({ hasText: 'Die Würfelbude' }).waitFor({ timeout: STEP_MS });
    await page.getByTestId('cafe-logo').waitFor({ timeout: STEP_MS });
    expect(await sameLoad(page)).toBe(true);
    expect(await page.title()).toContain('Die Würfelbude');
  }
  const boardAccent = await accentOf(board, '.brand');
  expect(boardAccent).toEqual({ root: '#8a1c4a', band: 'rgb(138, 28, 74)' });
  expect((await accentOf(phone, '.btn-primary')).band).toBe('rgb(138, 28, 74)');
  await board.getByTestId('qr-code').filter({ hasText: 'spiele.example.de/join' }).waitFor({ timeout: STEP_MS });
  expect(await board.getByTestId('cafe-logo').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(1);
  await shot(board, 'board-cafe-tv');
  await shot(phone, 'join-cafe-phone');
  expect(log.unexpected).toEqual([]);
});

test('an admin is told why a pale accent is refused, in the café’s language, then saves a dark one on the settings screen', async () => {
  const admin = await open('admin settings', { viewport: VIEWPORTS.laptop });
  await log.expecting(failedRequest('nobody is signed in yet', '/api/auth/me', 401), async () => {
    await admin.goto(`${service.url}/staff/settings`);
    await admin.getByTestId('login-username').waitFor({ timeout: STEP_MS });
  });
  await admin.getByTestId('login-username').fill(ADMIN.username);
  await admin.getByTestId('login-password').fill(ADMIN.password);
  await admin.getByTestId('login-submit').click();
  await admin.getByTestId('cafe-name-input').waitFor({ timeout: STEP_MS });
  await admin.getByTestId('cafe-accent-input').fill('#f5b942');
  await log.expecting(failedRequest('the accent is too pale for white text', '/api/settings/cafe', 400), async () => {
    await admin.getByTestId('cafe-save').click();
    // In the café's default language, German since the test before: the refusal's field code
    // and params (accent_contrast) are said from the catalogue, with German digits.
    await admin.getByText(/Kontrast von 1,\d\d:1; gut lesbar wird sie erst ab 4,5:1/).waitFor({ timeout: STEP_MS });
  });
  await admin.getByTestId('cafe-accent-input').fill('#17703f');
  await admin.getByTestId('cafe-name-input').fill('Meeple Corner');
  await admin.getByTestId('cafe-save').click();
  await admin.getByTestId('cafe-name').filter({ hasText: 'Meeple Corner' }).waitFor({ timeout: STEP_MS });
  expect((await service.anon.get('/api/cafe')).body).toMatchObject({ name: 'Meeple Corner', accent: '#17703f' });
  await admin.mouse.move(0, 0);
  // (buttons ease between colours: wait for the end of the hover's fade)
  await eventually(async () => (await accentOf(admin, '.btn-primary')).band === 'rgb(23, 112, 63)', STEP_MS);
  expect((await accentOf(admin, '.btn-primary')).root).toBe('#17703f');
  await shot(admin, 'settings-cafe-desktop');
  expect(log.unexpected).toEqual([]);
});

const themeOf = (page: Page) =>
  page.evaluate(() => {
    const w = globalThis as unknown as CafeWindow;
    return { theme: w.document.documentElement.dataset.theme, background: w.getComputedStyle(w.document.documentElement).backgroundColor };
  });

test('the staff dashboard follows the device’s dark setting, and the switch’s choice outlives a reload', async () => {
  // English screens whatever default language an earlier test left the café (the staff screens follow it).
  const { name, accent, publicUrl, timeZone } = (await service.staff.get('/api/settings/cafe').expect(200)).body;
  await service.staff.put('/api/settings/cafe').send({ name, accent, publicUrl, timeZone, language: 'en' }).expect(200);
  const game = await createGame(service, { title: 'Wingspan' });
  await join(service, game.id, 'Ada Lovelace');
  await join(service, game.id, 'Alan Turing');

  const night = await open('staff, device dark', { viewport: VIEWPORTS.laptop, colorScheme: 'dark' });
  await signInToStaff(night, log, service.url, ADMIN);
  await night.getByTestId('staff-menu-button').waitFor({ timeout: STEP_MS });
  await night.getByText('Ada Lovelace').first().waitFor({ timeout: STEP_MS });
  expect(await themeOf(night)).toEqual({ theme: 'dark', background: 'rgb(18, 20, 27)' });
  await shot(night, 'staff-dark-desktop');

  const day = await open('staff, device light', { viewport: VIEWPORTS.laptop, colorScheme: 'light' });
  await signInToStaff(day, log, service.url, ADMIN);
  await day.getByTestId('staff-menu-button').waitFor({ timeout: STEP_MS });
  await day.getByText('Ada Lovelace').first().waitFor({ timeout: STEP_MS });
  expect(await themeOf(day)).toEqual({ theme: 'light', background: 'rgb(245, 243, 238)' });
  await shot(day, 'staff-light-desktop');

  // The switch sits in the top bar's menu, with the language and sign-out.
  await day.getByTestId('staff-menu-button').click();
  await day.getByTestId('theme-switch').selectOption('dark');
  expect(await themeOf(day)).toEqual({ theme: 'dark', background: 'rgb(18, 20, 27)' });
  await day.reload();
  await day.getByTestId('staff-menu-button').waitFor({ timeout: STEP_MS });
  expect(await themeOf(day)).toEqual({ theme: 'dark', background: 'rgb(18, 20, 27)' });
  expect(await day.getByTestId('theme-switch').inputValue()).toBe('dark');
  // A party's Edit (a dialog), once the queue is back after the reload; the games table has Edit buttons too.
  await day.getByText('Ada Lovelace').first().waitFor({ timeout: STEP_MS });
  await day.getByTestId('row-edit').first().click();
  await day.getByRole('dialog').waitFor({ timeout: STEP_MS });
  await shot(day, 'staff-dark-edit-dialog');
  await day.keyboard.press('Escape');

  // The staff tool pages share the choice.
  await day.goto(`${service.url}/staff/settings`);
  await day.getByTestId('cafe-name-input').waitFor({ timeout: STEP_MS });
  expect(await themeOf(day)).toEqual({ theme: 'dark', background: 'rgb(18, 20, 27)' });
  await shot(day, 'settings-dark-desktop');

  // The customer screens keep their own look whatever the staff chose on this browser.
  await day.goto(`${service.url}/join`);
  await day.getByTestId('join-form').waitFor({ timeout: STEP_MS });
  expect((await themeOf(day)).theme).toBeUndefined();
  expect(log.unexpected).toEqual([]);
});

test('a TV and a phone set to New York show the café’s Berlin time: the board clock and the ticket’s “until” time', async () => {
  const { name, accent, publicUrl } = (await service.staff.get('/api/settings/cafe').expect(200)).body;
  await service.staff.put('/api/settings/cafe').send({ name, accent, publicUrl, timeZone: 'Europe/Berlin', language: 'de' }).expect(200);
  const berlin = (at: number | string) => new Intl.DateTimeFormat('de', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Berlin' }).format(new Date(at));
  const newYork = (at: number | string) => new Intl.DateTimeFormat('de', { hour: '2-digit', minute: '2-digit', timeZone: 'America/New_York' }).format(new Date(at));
  const deviceZone = (page: Page) => page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);

  const board = await open('board in New York', { viewport: VIEWPORTS.tv, timezoneId: 'America/New_York' });
  await board.goto(`${service.url}/board`);
  expect(await deviceZone(board)).toBe('America/New_York');
  const clock = board.locator('.clock');
  // The clock ticks: read it and the time around the read, and retry across a minute's turn.
  await eventually(async () => {
    const before = Date.now();
    const shown = await clock.textContent();
    return shown === berlin(before) || shown === berlin(Date.now());
  }, STEP_MS);
  expect(await clock.textContent()).not.toBe(newYork(Date.now()));

  const game = await createGame(service, { title: 'Carcassonne' });
  const party = await join(service, game.id, 'Hedy Lamarr');
  const called = await act(service, party.id, 'call');
  expect(called.status).toBe(200);
  const holdExpiresAt = (called.body as { holdExpiresAt: string }).holdExpiresAt;
  const phone = await open('phone in New York', { viewport: VIEWPORTS.phone, timezoneId: 'America/New_York' });
  await phone.goto(`${service.url}/t/${party.code}`);
  await phone.getByTestId('ticket-called').waitFor({ timeout: STEP_MS });
  expect(await deviceZone(phone)).toBe('America/New_York');
  // Screen readers hear when the hold ends ("bis 18:05"); the ticking figure beside it is a countdown.
  await phone.getByTestId('ticket-called').getByText(`bis ${berlin(holdExpiresAt)}`).waitFor({ timeout: STEP_MS });
  expect(berlin(holdExpiresAt)).not.toBe(newYork(holdExpiresAt));
  expect(log.unexpected).toEqual([]);
});

/**
 * The engine.io connections `page` opens from now on. Each starts with a handshake, the one
 * request to /socket.io/ without a session id (its polls and its websocket upgrade carry the
 * id the handshake gave), and lives on as a websocket once upgraded.
 */
function watchConnections(page: Page): { opened: () => number; open: () => number } {
  let opened = 0;
  let open = 0;
  const isHandshake = (address: string) => {
    const url = new URL(address);
    return url.pathname === '/socket.io/' && !url.searchParams.has('sid');
  };
  page.on('request', (request) => {
    if (isHandshake(request.url())) opened += 1;
  });
  page.on('websocket', (socket) => {
    if (!new URL(socket.url()).pathname.startsWith('/socket.io/')) return;
    if (isHandshake(socket.url())) opened += 1;
    open += 1;
    socket.on('close', () => (open -= 1));
  });
  return { opened: () => opened, open: () => open };
}

test('board, ticket and staff screens each follow their namespace and the café’s over one connection', async () => {
  const game = await createGame(service, { title: 'Azul' });
  const ahead = await join(service, game.id, 'Grace Hopper');
  const mine = await join(service, game.id, 'Edsger Dijkstra');

  const board = await open('board, counted', { viewport: VIEWPORTS.tv });
  const boardConnections = watchConnections(board);
  await board.goto(`${service.url}/board`);
  await board.getByTestId(`board-entry-${mine.code}`).waitFor({ timeout: STEP_MS });

  const phone = await open('phone, counted', { viewport: VIEWPORTS.phone });
  const phoneConnections = watchConnections(phone);
  await phone.goto(`${service.url}/t/${mine.code}`);
  expect(await phone.getByTestId('ticket-position').textContent({ timeout: STEP_MS })).toBe('2');
  // Away to the join page and back within the app: the ticket page mounts again and follows
  // /ticket anew over the same connection.
  await phone.locator('.brand a').click();
  await phone.getByTestId('join-form').waitFor({ timeout: STEP_MS });
  await phone.goBack();
  await phone.getByTestId('ticket-position').filter({ hasText: '2' }).waitFor({ timeout: STEP_MS });

  const staff = await open('staff, counted', { viewport: VIEWPORTS.laptop });
  const staffConnections = watchConnections(staff);
  await signInToStaff(staff, log, service.url, ADMIN);
  await staff.getByTestId(`queue-row-${mine.code}`).waitFor({ timeout: STEP_MS });

  // Every namespace each screen follows is live: its own and /cafe.
  expect((await act(service, ahead.id, 'cancel')).status).toBe(200);
  const late = await join(service, game.id, 'Barbara Liskov');
  await board.getByTestId(`board-entry-${late.code}`).waitFor({ timeout: STEP_MS });
  await phone.getByTestId('ticket-position').filter({ hasText: '1' }).waitFor({ timeout: STEP_MS });
  await staff.getByTestId(`queue-row-${late.code}`).waitFor({ timeout: STEP_MS });
  await service.staff.put('/api/settings/cafe').send({ name: 'One Line Café', accent: null, publicUrl: null, timeZone: null, language: 'en' }).expect(200);
  for (const page of [board, phone, staff]) await page.getByTestId('cafe-name').filter({ hasText: 'One Line Café' }).first().waitFor({ timeout: STEP_MS });

  // One connection each, now and all along; the staff screen's second is the one it opens
  // on signing in, in place of the first (a namespace reads the session from the handshake).
  const live = () => ({ board: boardConnections.open(), phone: phoneConnections.open(), staff: staffConnections.open() });
  await eventually(() => JSON.stringify(live()) === JSON.stringify({ board: 1, phone: 1, staff: 1 }), STEP_MS).catch(() => undefined);
  expect(live()).toEqual({ board: 1, phone: 1, staff: 1 });
  expect({ board: boardConnections.opened(), phone: phoneConnections.opened(), staff: staffConnections.opened() }).toEqual({ board: 1, phone: 1, staff: 2 });

  // A new password comes with a new session cookie: the screen renews its connection to carry
  // it, and /staff admits it. (Last in this file: the service's own staff agent is signed out.)
  await staff.getByTestId('account-section').locator('summary').click();
  await staff.getByTestId('password-current').fill(ADMIN.password);
  await staff.getByTestId('password-new').fill('a-new-admin-password');
  await staff.getByTestId('password-submit').click();
  await staff.getByText('Password changed.').waitFor({ timeout: STEP_MS });
  const after = await join(service, game.id, 'Frances Allen');
  await staff.getByTestId(`queue-row-${after.code}`).waitFor({ timeout: STEP_MS });
  await eventually(() => staffConnections.open() === 1, STEP_MS).catch(() => undefined);
  expect({ open: staffConnections.open(), opened: staffConnections.opened() }).toEqual({ open: 1, opened: 3 });
  expect(log.unexpected).toEqual([]);
});
