// The ticket as an installable PWA in real Chromium: the manifest and icons, the service worker
// registered, a push delivered to it (CDP ServiceWorker.deliverPushMessage) with the ticket page
// closed and shown as a notification with the code, the ticket offline with its last state, and
// the manifest Chromium reads from the page: the café's name and accent, installable.
import { join as joinPath } from 'node:path';
import type { Browser, BrowserContext, CDPSession } from 'playwright-core';
import { pushPayload } from '../../server/notify/messages';
import { createGame, join } from '../helpers/api';
import { launchChromium, requireBuiltClient, VIEWPORTS } from '../helpers/browser';
import { LoopbackPushService } from '../helpers/pushService';
import { ADMIN, eventually, startTestService, type TestService } from '../helpers/testService';

jest.setTimeout(90_000);

// `SAVE_SCREENSHOTS=1 npx jest tests/notify/pwa.test.ts` writes the opt-in and the delivered
// state to docs/screenshots/ (as scripts/screenshots.ts does for the other screens); a plain run
// leaves the tree as it was.
const SCREENSHOTS = joinPath(__dirname, '../../docs/screenshots');
const screenshot = (target: { screenshot(options: { path: string }): Promise<unknown> }, name: string) =>
  process.env.SAVE_SCREENSHOTS ? target.screenshot({ path: joinPath(SCREENSHOTS, name) }) : Promise.resolve();

let service: TestService;
let browser: Browser;
const push = new LoopbackPushService();

beforeAll(async () => {
  await push.start();
  service = await startTestService('pwa', {
    SERVE_CLIENT: 'true',
    CLIENT_DIR: requireBuiltClient(),
    CAFE_NAME: 'Dice & Slice',
    PUSH_ENDPOINT_HOSTS: '127.0.0.1',
    NOTIFY_AGAIN_SECONDS: '0',
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await push.stop();
});

interface ShownNotification {
  title: string;
  body: string;
  tag: string;
  data: { code?: string; url?: string } | null;
}

/** The registration's notifications, read inside the service worker itself (no page needed). */
async function shownNotifications(context: BrowserContext): Promise<ShownNotification[]> {
  const [worker] = context.serviceWorkers();
  if (!worker) return [];
  return worker.evaluate(async () => {
    const scope = globalThis as unknown as { registration: { getNotifications(): Promise<ShownNotification[]> } };
    const list = await scope.registration.getNotifications();
    return list.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data }));
  });
}

async function registrationId(cdp: CDPSession, scopeURL: string): Promise<string> {
  const registrations: Array<{ registrationId: string; scopeURL: string; isDeleted: boolean }> = [];
  cdp.on('ServiceWorker.workerRegistrationUpdated', (e: { registrations: typeof registrations }) => registrations.push(...e.registrations));
  await cdp.send('ServiceWorker.enable');
  const found = await eventually(() => registrations.find((r) => r.scopeURL === scopeURL && !r.isDeleted));
  return found!.registrationId;
}

it('is installable: manifest with icons, a service worker that controls the ticket page', async () => {
  const manifest = await service.anon.get('/manifest.webmanifest');
  expect(manifest.status).toBe(200);
  expect(manifest.headers['cache-control']).toBe('no-cache');
  const body = JSON.parse(manifest.text) as { start_url: string; scope: string; display: string; icons: Array<{ src: string; sizes: string }> };
  expect(body).toMatchObject({ start_url: '/join', scope: '/', display: 'standalone' });
  expect(body.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
  for (const icon of body.icons) {
    const res = await service.anon.get(icon.src);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
  }
  const sw = await service.anon.get('/sw.js');
  expect(sw.status).toBe(200);
  expect(sw.headers['cache-control']).toBe('no-cache');
});

it('shows a pushed "your game is ready" with the code, with the ticket page closed', async () => {
  const game = await createGame(service, { title: 'Azul', autoAdvance: false });
  await join(service, game.id, 'Someone Ahead');
  const party = await join(service, game.id, 'Robin Park');
  const context = await browser.newContext({ viewport: VIEWPORTS.phone, deviceScaleFactor: 2 });
  try {
    await context.grantPermissions(['notifications'], { origin: service.url });
    await context.addInitScript(
      ({ code, secret }) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem(`meeple-queue:secret:${code}`, secret),
      { code: party.code, secret: party.secret! },
    );
    const ticket = await context.newPage();
    await ticket.goto(`${service.url}/t/${party.code}`);
    await ticket.getByTestId('ticket-position').filter({ hasText: '2' }).waitFor();
    // The worker installs and activates (it claims the page as it does).
    await eventually(() =>
      ticket.evaluate(async () => {
        const nav = (globalThis as unknown as { navigator: { serviceWorker: { ready: Promise<{ active: { state: string } | null }> } } }).navigator;
        return (await nav.serviceWorker.ready).active?.state === 'activated';
      }),
    );
    await ticket.getByTestId('ticket-push').waitFor();
    await screenshot(ticket, 'ticket-notify-opt-in.png');

    // Another tab of the same browser drives the worker; the ticket page is closed.
    const other = await context.newPage();
    const cdp = await context.newCDPSession(other);
    const id = await registrationId(cdp, `${service.url}/`);
    await ticket.close();
    const payload = pushPayload(service.config, service.config.notify.cafeName, 'called', { code: party.code, gameTitle: 'Azul', customerName: 'Robin Park', language: 'en' });
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: service.url, registrationId: id, data: JSON.stringify(payload) });

    const shown = await eventually(async () => (await shownNotifications(context)).find((n) => n.data?.code === party.code));
    expect(shown).toEqual({
      title: 'Dice & Slice',
      body: `Dice & Slice: your Azul is ready! Show ticket ${party.code} at the counter within 5 minutes.`,
      tag: `meeple-ticket-${party.code}`,
      data: expect.objectContaining({ code: party.code, url: `/t/${party.code}` }),
    });
    expect(context.pages().map((p) => p.url())).not.toContain(`${service.url}/t/${party.code}`);
  } finally {
    await context.close();
  }
});

it('opens offline from the service worker and shows the last known state, saying it is offline', async () => {
  const game = await createGame(service, { title: 'Cascadia', autoAdvance: false });
  const party = await join(service, game.id, 'Sam Offline');
  const context = await browser.newContext({ viewport: VIEWPORTS.phone });
  try {
    const page = await context.newPage();
    await page.goto(`${service.url}/t/${party.code}`);
    await page.getByTestId('ticket-position').filter({ hasText: '1' }).waitFor();
    await page.evaluate(() => (globalThis as unknown as { navigator: { serviceWorker: { ready: Promise<unknown> } } }).navigator.serviceWorker.ready);
    await page.close();

    await context.setOffline(true);
    const offline = await context.newPage();
    await offline.goto(`${service.url}/t/${party.code}`);
    await offline.getByTestId('ticket-offline').waitFor();
    expect(await offline.getByTestId('ticket-code').textContent()).toBe(party.code);
    expect(await offline.getByTestId('ticket-position').textContent()).toBe('1');
    expect(await offline.getByTestId('ticket-offline').textContent()).toContain("you're offline");
  } finally {
    await context.close();
  }
});

it('shows staff how each party is reached and whether the last message was delivered, and notifies again', async () => {
  const game = await createGame(service, { title: 'Ticket to Ride', autoAdvance: false, copies: 2 });
  const pushed = await join(service, game.id, 'Priya Shah');
  const screenOnly = await join(service, game.id, 'Tom Berg');
  const device = push.device();
  const res = await service.anon.post(`/api/tickets/${pushed.code}/push`).send({ secret: pushed.secret, subscription: device.subscription });
  expect(res.status).toBe(204);

  const context = await browser.newContext({ viewport: VIEWPORTS.laptop });
  try {
    const staff = await context.newPage();
    await staff.goto(`${service.url}/staff`);
    await staff.getByTestId('login-username').fill(ADMIN.username);
    await staff.getByTestId('login-password').fill(ADMIN.password);
    await staff.getByTestId('login-submit').click();
    const row = (code: string) => staff.getByTestId(`queue-row-${code}`);
    await row(pushed.code).getByTestId('row-reach').filter({ hasText: 'Push' }).waitFor();
    expect(await row(screenOnly.code).getByTestId('row-reach').textContent()).toBe('Screen only');
    expect(await row(screenOnly.code).getByTestId('row-notify-again').count()).toBe(0);

    await row(pushed.code).getByTestId('row-action-call').click();
    await row(pushed.code).getByTestId('row-last-message').filter({ hasText: 'Called: delivered' }).waitFor();
    expect(push.to(device).map((p) => p.payload.kind)).toEqual(['called']);
    await screenshot(staff.getByTestId(`queue-table-${game.id}`), 'staff-notify-delivered.png');

    await row(pushed.code).getByTestId('row-notify-again').click();
    await eventually(() => push.to(device).length === 2);
    await row(pushed.code).getByTestId('row-last-message').filter({ hasText: 'Again: delivered' }).waitFor();
  } finally {
    await context.close();
  }
  expect(push.problems).toEqual([]);
});

it('Chromium reads the café’s manifest from the link the page carries, installable; a rename and a new accent reach it and the theme colour', async () => {
  const context = await browser.newContext({ viewport: VIEWPORTS.phone });
  type MetaWindow = { document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null } };
  const themeColour = (page: Awaited<ReturnType<BrowserContext['newPage']>>) =>
    page.evaluate(() => (globalThis as unknown as MetaWindow).document.querySelector('meta[name="theme-color"]')?.getAttribute('content') ?? null);
  try {
    const page = await context.newPage();
    await page.goto(`${service.url}/join`);
    await page.getByTestId('cafe-name').filter({ hasText: 'Dice & Slice' }).waitFor();
    const cdp = await context.newCDPSession(page);
    const seen = async () => {
      const { url, errors, data } = (await cdp.send('Page.getAppManifest')) as { url: string; errors: unknown[]; data: string };
      return { url, errors, manifest: JSON.parse(data) as Record<string, unknown> };
    };
    expect(await seen()).toMatchObject({
      url: `${service.url}/manifest.webmanifest`,
      errors: [],
      manifest: { name: 'Dice & Slice', short_name: 'Dice & Slice', theme_color: '#2348b5', start_url: '/join' },
    });
    expect(await themeColour(page)).toBe('#2348b5');
    // What Chromium asks of an installable app: manifest, icons, a service worker that controls the page.
    await page.evaluate(() => (globalThis as unknown as { navigator: { serviceWorker: { ready: Promise<unknown> } } }).navigator.serviceWorker.ready);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: Array<{ errorId: string }> };
    // (Playwright's contexts are incognito windows, where Chromium installs nothing: that one error says so.)
    expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);

    const { language } = (await service.anon.get('/api/cafe').expect(200)).body as { language: string };
    await service.staff.put('/api/settings/cafe').send({ name: 'Würfel & Co. Spielecafé', accent: '#8a1c4a', publicUrl: null, timeZone: null, language }).expect(200);
    // The open page takes the accent at once; the manifest is read again on the next visit.
    await eventually(async () => (await themeColour(page)) === '#8a1c4a');
    await page.reload();
    await page.getByTestId('cafe-name').filter({ hasText: 'Würfel & Co. Spielecafé' }).waitFor();
    expect((await seen()).manifest).toMatchObject({ name: 'Würfel & Co. Spielecafé', short_name: 'Würfel & Co.', theme_color: '#8a1c4a' });
  } finally {
    await context.close();
  }
});
