import type { Browser, Page } from 'playwright-core';
import { ADMIN, startTestService, type TestService } from '../helpers/testService';
import { launchChromium, requireBuiltClient, VIEWPORTS } from '../helpers/browser';
import { seedDemo } from '../helpers/demo';

/**
 * WCAG 2.1 A and AA, checked by axe-core in the real pages with real data: contrast, names
 * of controls, landmarks, ARIA use. Each screen at the size it is made for.
 */
const AXE = require.resolve('axe-core/axe.min.js');

// Each test opens real pages in Chromium; the top bar test opens one per language and screen.
jest.setTimeout(90_000);

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const { found, passed } = (await page.evaluate(async () => {
    // Runs in the page; the test's own tsconfig has no DOM types.
    const page = globalThis as unknown as { document: unknown; axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: unknown[]; passes: unknown[] }> } };
    const result = await page.axe.run(page.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return { found: result.violations, passed: result.passes.length };
  })) as { found: Violation[]; passed: number };
  // Proof that the rules ran on a real page (colour contrast among them), not on nothing.
  expect(passed).toBeGreaterThan(5);
  return found.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`));
}

describe('accessibility (axe-core, WCAG 2.1 AA)', () => {
  let service: TestService;
  let browser: Browser;
  let waitingCode: string;
  beforeAll(async () => {
    service = await startTestService('a11y', { SERVE_CLIENT: 'true', CLIENT_DIR: requireBuiltClient() });
    const games = await seedDemo(service);
    waitingCode = games.find((g) => g.waitingCodes.length > 0)!.waitingCodes[0]!;
    browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  async function open(path: string, viewport: { width: number; height: number }, ready: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
    // axe is injected as an inline script, which the app's CSP rightly refuses.
    const page = await browser.newPage({ viewport, bypassCSP: true, colorScheme });
    await page.goto(`${service.url}${path}`);
    await page.getByTestId(ready).first().waitFor({ timeout: 10_000 });
    return page;
  }

  test('the TV board', async () => {
    const page = await open('/board', VIEWPORTS.tv, 'board-waiting');
    expect(await violations(page)).toEqual([]);
  });

  test('the join page on a phone', async () => {
    const page = await open('/join', VIEWPORTS.phone, 'join-submit');
    expect(await violations(page)).toEqual([]);
  });

  test('a ticket on a phone', async () => {
    const page = await open(`/t/${waitingCode}`, VIEWPORTS.phone, 'ticket-status');
    expect(await violations(page)).toEqual([]);
  });

  test('the staff login and the staff dashboard', async () => {
    const page = await open('/staff', VIEWPORTS.laptop, 'login-submit');
    expect(await violations(page)).toEqual([]);
    await page.getByTestId('login-username').fill(ADMIN.username);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.locator('[data-testid^="queue-row-"]').first().waitFor({ timeout: 10_000 });
    expect(await violations(page)).toEqual([]);
  });

  /** How many lines the staff top bar's items take (1: all side by side). */
  function topBarLines(page: Page): Promise<number> {
    return page.locator('header.topbar').evaluate((bar) => {
      const items = [...(bar as unknown as { children: Iterable<{ getBoundingClientRect(): { top: number; bottom: number } }> }).children].map((c) => c.getBoundingClientRect());
      let lines = 0;
      let bottom = -Infinity;
      for (const r of [...items].sort((a, b) => a.top - b.top)) {
        if (r.top >= bottom - 1) {
          lines += 1;
          bottom = r.bottom;
        } else bottom = Math.max(bottom, r.bottom);
      }
      return lines;
    });
  }

  test('on a tablet the staff top bar is one line in English, German and Spanish, on the dashboard and the tool pages; its menu open passes too', async () => {
    const page = await open('/staff', VIEWPORTS.tablet, 'login-submit');
    await page.getByTestId('login-username').fill(ADMIN.username);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.locator('[data-testid^="queue-row-"]').first().waitFor({ timeout: 10_000 });
    for (const [lang, menu] of [['en', 'Menu'], ['de', 'Menü'], ['es', 'Menú']] as const) {
      await page.evaluate((l) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('meeple-queue.language', l), lang);
      for (const path of ['/staff', '/staff/settings']) {
        await page.goto(`${service.url}${path}`);
        await page.getByTestId('staff-menu-button').filter({ hasText: menu }).waitFor({ timeout: 10_000 });
        await page.getByTestId('cafe-name').first().waitFor();
        expect({ lang, path, lines: await topBarLines(page) }).toEqual({ lang, path, lines: 1 });
      }
    }
    await page.goto(`${service.url}/staff`);
    await page.locator('[data-testid^="queue-row-"]').first().waitFor({ timeout: 10_000 });
    await page.getByTestId('staff-menu-button').click();
    await page.getByTestId('logout').waitFor();
    expect(await violations(page)).toEqual([]);
    // Escape folds the menu and gives the focus back to its button.
    await page.getByTestId('theme-switch').focus();
    await page.keyboard.press('Escape');
    await page.getByTestId('logout').waitFor({ state: 'hidden' });
    expect(await page.getByTestId('staff-menu-button').evaluate((b) => b === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)).toBe(true);
  });

  test('the staff dashboard and the settings in the dark theme, with a café accent, and the join page in that accent', async () => {
    await service.staff.put('/api/settings/cafe').send({ name: 'Night Owls', accent: '#6b2c91', publicUrl: null, timeZone: null, language: 'en' }).expect(200);
    const page = await open('/staff', VIEWPORTS.laptop, 'login-submit', 'dark');
    await page.getByTestId('login-username').fill(ADMIN.username);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.locator('[data-testid^="queue-row-"]').first().waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { dataset: { theme?: string } } } }).document.documentElement.dataset.theme)).toBe('dark');
    expect(await violations(page)).toEqual([]);
    await page.goto(`${service.url}/staff/settings`);
    await page.getByTestId('cafe-name-input').waitFor({ timeout: 10_000 });
    expect(await violations(page)).toEqual([]);
    const phone = await open('/join', VIEWPORTS.phone, 'join-submit');
    await phone.getByTestId('cafe-name').filter({ hasText: 'Night Owls' }).waitFor({ timeout: 10_000 });
    expect(await violations(phone)).toEqual([]);
  });
});
