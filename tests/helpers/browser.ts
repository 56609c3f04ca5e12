// Shared by the browser test and scripts/screenshots.ts: Debian's Chromium driven by
// playwright-core, the built client, and a record of everything a page complains about.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type ConsoleMessage, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CLIENT_DIR = resolve(__dirname, '../../dist/client');

/** Fails with a message that says what to run, rather than a blank page later on. */
export function requireBuiltClient(): string {
  if (!existsSync(join(CLIENT_DIR, 'index.html'))) {
    throw new Error(`${CLIENT_DIR}/index.html is missing: run \`npm run build:client\` first (npm test does it in pretest).`);
  }
  return CLIENT_DIR;
}

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (set CHROMIUM_PATH)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export const VIEWPORTS = {
  tv: { width: 1920, height: 1080 },
  tv720: { width: 1280, height: 720 },
  laptop: { width: 1280, height: 800 },
  tablet: { width: 1024, height: 768 },
  phone: { width: 390, height: 844 },
} as const;

export interface Problem {
  kind: 'console' | 'pageerror';
  text: string;
  /** The resource or script the message is about, when the browser says. */
  url: string;
}

/** A console message or page error that a step causes on purpose, named by why. */
export interface Expected {
  why: string;
  match: (problem: Problem) => boolean;
}

/**
 * Console errors and uncaught page errors from every watched context. Anything not
 * allowed by a running `expecting` block is a failure: a screen that logs errors in
 * normal use has a bug somewhere.
 */
export class ProblemLog {
  readonly unexpected: string[] = [];
  private readonly allowed = new Set<Expected>();

  /** Allows `expected` while `run` runs (e.g. the 401 of a deliberately bad login). */
  async expecting<T>(expected: Expected, run: () => Promise<T>): Promise<T> {
    this.allowed.add(expected);
    try {
      return await run();
    } finally {
      this.allowed.delete(expected);
    }
  }

  record(label: string, problem: Problem): void {
    for (const expected of this.allowed) if (expected.match(problem)) return;
    this.unexpected.push(`[${label}] ${problem.kind}: ${problem.text}${problem.url ? ` (${problem.url})` : ''}`);
  }
}

/** A browser context whose pages report console errors and uncaught errors to `log`. */
export async function watchedContext(browser: Browser, label: string, log: ProblemLog, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  context.on('page', (page) => {
    page.on('console', (msg: ConsoleMessage) => {
      if (msg.type() === 'error') log.record(label, { kind: 'console', text: msg.text(), url: msg.location().url });
    });
    page.on('pageerror', (err) => log.record(label, { kind: 'pageerror', text: `${err.name}: ${err.message}`, url: page.url() }));
  });
  return context;
}

/** Chromium logs every 4xx/5xx fetch as "Failed to load resource"; this matches one URL path. */
export function failedRequest(why: string, path: string, status: number): Expected {
  return {
    why,
    match: (p) => p.kind === 'console' && p.text.includes(`status of ${status}`) && new URL(p.url || 'http://x/').pathname === path,
  };
}

/** A locator's text, white space folded. */
export async function textOf(locator: Locator, timeout = 10_000): Promise<string> {
  return ((await locator.textContent({ timeout })) ?? '').replace(/\s+/g, ' ').trim();
}

/** Polls `locator`'s text (white space folded) until it matches, for at most `timeout` ms; returns it. */
export async function expectText(locator: Locator, pattern: RegExp, timeout = 10_000): Promise<string> {
  const deadline = Date.now() + timeout;
  let last = '';
  while (Date.now() < deadline) {
    last = ((await locator.textContent({ timeout: Math.max(1, deadline - Date.now()) }).catch(() => '')) ?? '').replace(/\s+/g, ' ').trim();
    if (pattern.test(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`expected ${String(locator)} to match ${pattern} within ${timeout} ms; last text: ${JSON.stringify(last)}`);
}

/**
 * The few DOM shapes the page-side callbacks of `page.evaluate` use. The Node tsconfig has no
 * DOM lib (adding it would type the server against browser globals), so those callbacks
 * start with `const w = globalThis as unknown as PageWindow`, a cast that costs nothing at run time.
 */
export interface PageElement {
  scrollWidth: number;
  clientWidth: number;
  textContent: string | null;
}
export interface PageWindow {
  innerWidth: number;
  innerHeight: number;
  scrollTo(x: number, y: number): void;
  document: {
    scrollingElement: { scrollWidth: number; scrollHeight: number } | null;
    querySelectorAll(selector: string): Iterable<PageElement> & { length: number };
  };
}

/**
 * Opens /staff and signs in. The login screen first asks the server who is signed in; nobody
 * is, and Chromium logs that 401 as a failed resource, expected here.
 */
export async function signInToStaff(page: Page, log: ProblemLog, url: string, credentials: { username: string; password: string }): Promise<void> {
  await log.expecting(failedRequest('the login screen asks who is signed in; nobody is yet', '/api/auth/me', 401), async () => {
    await page.goto(`${url}/staff`);
    await page.getByTestId('login-username').fill(credentials.username);
  });
  await page.getByTestId('login-password').fill(credentials.password);
  await page.getByTestId('login-submit').click();
}
