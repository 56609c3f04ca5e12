// Screenshots of every screen for the README and for reviewing the look, taken from the real
// service (HTTP, Socket.IO, workers, MariaDB, Redis) with a café evening's worth of data.
//
//   npm run build:client && npx tsx scripts/screenshots.ts
//   SCREENSHOT_LANG=de npx tsx scripts/screenshots.ts     # every screen in German (or es)
//
// Writes docs/screenshots/*.png (with SCREENSHOT_LANG, *-de.png …: every browser starts with
// that language chosen, as the pickers on /join and /staff would keep it): the board, join,
// ticket, the staff screen (its top bar's menu, its account section), the staff login and the
// tool pages (settings, accounts, history). Needs MariaDB and Redis as for `npm test`; the
// gallery is in docs/I18N.md.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { ADMIN, startTestService } from '../tests/helpers/testService';
import { failedRequest, launchChromium, signInToStaff, ProblemLog, requireBuiltClient, VIEWPORTS, watchedContext, type PageWindow } from '../tests/helpers/browser';
import { DEMO_GAMES, DEMO_GAMES_40, seedDemo } from '../tests/helpers/demo';

const OUT = resolve(__dirname, '../docs/screenshots');
const LANGUAGES = ['en', 'de', 'es'];
const LANG = process.env.SCREENSHOT_LANG ?? 'en';
/** "join-phone.png" in English, "join-phone-de.png" in German. */
const fileName = (name: string) => (LANG === 'en' ? name : name.replace(/\.png$/, `-${LANG}.png`));

/** A browser context whose pages start in LANG: the choice the language pickers keep (client/src/i18n). */
async function languageContext(browser: Browser, label: string, log: ProblemLog, options: BrowserContextOptions) {
  const context = await watchedContext(browser, label, log, options);
  // The script runs in every document, about:blank too, which has no storage: only the app's pages matter.
  await context.addInitScript({
    content: `if (location.protocol.startsWith('http')) localStorage.setItem('meeple-queue.language', ${JSON.stringify(LANG)});`,
  });
  return context;
}

async function main() {
  if (!LANGUAGES.includes(LANG)) throw new Error(`SCREENSHOT_LANG must be one of ${LANGUAGES.join(', ')}, not "${LANG}"`);
  const clientDir = requireBuiltClient();
  mkdirSync(OUT, { recursive: true });
  const service = await startTestService('screenshots', { SERVE_CLIENT: 'true', CLIENT_DIR: clientDir, LOG_LEVEL: 'warn' });
  const browser = await launchChromium();
  const log = new ProblemLog();
  /** The screen as it shows, or with `fullPage` all of a long page (the staff tool pages). */
  const shot = async (page: Page, name: string, fullPage = false) => {
    // Let sockets deliver and fonts settle; the pages have no long animations.
    await page.waitForTimeout(400);
    await page.screenshot({ path: resolve(OUT, fileName(name)), fullPage });
    console.log(`  docs/screenshots/${fileName(name)}`);
  };
  try {
    const games = await seedDemo(service);
    const byTitle = (title: string) => games.find((g) => g.title === title)!;

    // A customer joining Pandemic (busy: a waiting ticket) from a phone.
    const phone = await languageContext(browser, 'phone', log, { viewport: VIEWPORTS.phone, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const join = await phone.newPage();
    await join.goto(`${service.url}/join`);
    await join.getByTestId(`join-game-${byTitle('Pandemic').id}`).click();
    await join.getByTestId('join-name').fill('Robin Hale');
    await join.getByTestId('join-party').fill('3');
    await join.getByTestId('join-table').fill('12');
    // Filling the last field scrolled the form; the README shows the screen as it opens.
    await join.evaluate(() => (globalThis as unknown as PageWindow).scrollTo(0, 0));
    await shot(join, 'join-phone.png');
    await join.getByTestId('join-submit').click();
    await join.waitForURL(/\/t\//);
    await join.getByTestId('ticket-position').waitFor();
    await shot(join, 'ticket-phone.png');

    // Another joins Wingspan, which has a free copy: auto-advance calls them at once.
    const phone2 = await languageContext(browser, 'phone2', log, { viewport: VIEWPORTS.phone, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const called = await phone2.newPage();
    await called.goto(`${service.url}/join?game=${byTitle('Wingspan').id}`);
    await called.getByTestId('join-name').fill('Kim Osei');
    await called.getByTestId('join-party').fill('2');
    await called.getByTestId('join-submit').click();
    await called.getByTestId('ticket-called').waitFor({ timeout: 10_000 });
    await shot(called, 'ticket-called-phone.png');

    for (const [name, viewport] of [['board-1080p-6games.png', VIEWPORTS.tv], ['board-720p-6games.png', VIEWPORTS.tv720]] as const) {
      const tv = await languageContext(browser, name, log, { viewport });
      const board = await tv.newPage();
      await board.goto(`${service.url}/board`);
      await board.getByTestId(`board-game-${games[0]!.id}`).waitFor();
      await shot(board, name);
      await tv.close();
    }

    for (const [name, viewport] of [['staff-desktop.png', VIEWPORTS.laptop], ['staff-tablet.png', VIEWPORTS.tablet]] as const) {
      const tablet = await languageContext(browser, name, log, { viewport });
      const staff = await tablet.newPage();
      await signInToStaff(staff, log, service.url, ADMIN);
      await staff.getByTestId(`queue-game-${games[0]!.id}`).waitFor();
      await staff.getByTestId('stats-served').waitFor();
      await shot(staff, name);
      if (name === 'staff-tablet.png') {
        // The top bar's menu: the tool links, language, theme and sign-out folded into it.
        await staff.getByTestId('staff-menu-button').click();
        await staff.getByTestId('logout').waitFor();
        await shot(staff, 'staff-tablet-menu.png');
      } else {
        // Account and passwords: an admin's own password and the accounts, folded under the games.
        await staff.getByTestId('account-section').locator('summary').click();
        await staff.getByTestId('password-current').waitFor();
        await staff.getByTestId('account-section').scrollIntoViewIfNeeded();
        await shot(staff, 'staff-account-desktop.png');
      }
      await tablet.close();
    }

    // The staff tool pages on a laptop, each whole: the login, then settings, accounts and history.
    const laptop = await languageContext(browser, 'tools', log, { viewport: VIEWPORTS.laptop });
    const tools = await laptop.newPage();
    await log.expecting(failedRequest('the login screen asks who is signed in; nobody is yet', '/api/auth/me', 401), async () => {
      await tools.goto(`${service.url}/staff/settings`);
      await tools.getByTestId('login-username').waitFor();
    });
    await shot(tools, 'login-desktop.png');
    await tools.getByTestId('login-username').fill(ADMIN.username);
    await tools.getByTestId('login-password').fill(ADMIN.password);
    await tools.getByTestId('login-submit').click();
    await tools.getByTestId('hours-form').waitFor();
    await shot(tools, 'settings-desktop.png', true);
    await service.staff.post('/api/users').send({ username: 'sam', password: 'sam-password-123', role: 'staff' }).expect(201);
    await tools.getByTestId('staff-tools').getByRole('link').nth(2).click();
    await tools.getByTestId('user-sam').waitFor();
    await shot(tools, 'accounts-desktop.png', true);
    await tools.getByTestId('staff-tools').getByRole('link').nth(3).click();
    await tools.getByTestId('history-totals').waitFor();
    await tools.getByTestId('audit-table').waitFor();
    // The figures and the start of the audit log, which runs to hundreds of lines after an evening.
    await tools.setViewportSize({ width: VIEWPORTS.laptop.width, height: 1500 });
    await shot(tools, 'history-desktop.png');
    await laptop.close();

    // A café with 40 games: the extra 34 join the six above; staff find, fold and sort them.
    const more = await seedDemo(service, DEMO_GAMES_40.slice(DEMO_GAMES.length));
    const busiest = games.find((g) => g.title === 'Catan')!;
    for (const [name, viewport] of [['staff-40-games-desktop.png', VIEWPORTS.laptop], ['staff-40-games-tablet.png', VIEWPORTS.tablet]] as const) {
      const tablet = await languageContext(browser, name, log, { viewport, hasTouch: name.includes('tablet') });
      const staff = await tablet.newPage();
      await signInToStaff(staff, log, service.url, ADMIN);
      await staff.getByTestId(`queue-game-${more[0]!.id}`).waitFor();
      await staff.getByTestId('stats-served').waitFor();
      await staff.getByTestId('walkin-game').selectOption(String(busiest.id));
      await shot(staff, name);
      await tablet.close();
    }

    if (log.unexpected.length) {
      console.error('Console or page errors while taking screenshots:\n' + log.unexpected.join('\n'));
      process.exitCode = 1;
    }
  } finally {
    await browser.close();
    await service.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
