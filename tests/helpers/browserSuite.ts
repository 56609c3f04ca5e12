import type { Browser, BrowserContext } from 'playwright-core';
import { startTestService, type TestService } from './testService';
import { launchChromium, ProblemLog, requireBuiltClient } from './browser';

/**
 * What every Chromium suite sets up the same way: a test service serving the built client (with
 * the suite's own settings), one Chromium, a record of what pages complain about, and the
 * browser contexts the suite opens, closed with the browser and the service at the end.
 * Registers the suite's beforeAll and afterAll; `started` hands the service and the browser to
 * the suite's own variables once they run.
 */
export function browserSuite(
  name: string,
  env: Record<string, string>,
  started: (suite: { service: TestService; browser: Browser }) => void,
): { log: ProblemLog; contexts: BrowserContext[] } {
  const log = new ProblemLog();
  const contexts: BrowserContext[] = [];
  let service: TestService | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    service = await startTestService(name, { SERVE_CLIENT: 'true', CLIENT_DIR: requireBuiltClient(), ...env });
    browser = await launchChromium();
    started({ service, browser });
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await service?.stop();
  }, 30_000);

  return { log, contexts };
}
