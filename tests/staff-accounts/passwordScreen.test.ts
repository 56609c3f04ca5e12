/**
 * The account screen in a real browser: an admin resets a staff password from the accounts
 * table, the staff member signs in with it and changes it, and their other tablet is signed
 * out. Every request here carries Chromium's own Origin and Sec-Fetch-Site headers, so this
 * also shows the same-origin check letting the real client through. Needs the built client.
 */
import type { Browser, Page } from 'playwright-core';
import { ADMIN, type TestService } from '../helpers/testService';
import { failedRequest, VIEWPORTS, watchedContext } from '../helpers/browser';
import { browserSuite } from '../helpers/browserSuite';
import { ACCOUNT_CACHE_MS } from '../../server/auth/accounts';
import { SOCKET_RECHECK_MS } from '../../server/auth/socketAuth';
import { attemptSignIn, createAccount, type Credentials } from './accountHelpers';

jest.setTimeout(90_000);

const STEP_MS = 10_000;

let service: TestService;
let browser: Browser;
const { log, contexts } = browserSuite('passwordscreen', {}, (started) => ({ service, browser } = started));

/** A fresh browser (its own cookies) signed in as `who` on the staff page. */
async function signedIn(label: string, who: Credentials): Promise<Page> {
  const context = await watchedContext(browser, label, log, { viewport: VIEWPORTS.laptop });
  contexts.push(context);
  const page = await context.newPage();
  await log.expecting(failedRequest('nobody is signed in yet', '/api/auth/me', 401), async () => {
    await page.goto(`${service.url}/staff`);
    await page.getByTestId('login-username').waitFor({ timeout: STEP_MS });
  });
  await page.getByTestId('login-username').fill(who.username);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('live-indicator').filter({ hasText: 'Live' }).waitFor({ timeout: STEP_MS });
  await page.getByText('Account and passwords').click();
  return page;
}

test('an admin resets a password from the accounts table; the staff member changes it, and their other tablet is signed out', async () => {
  const pia = await createAccount(service, 'pia', 'staff');
  const admin = await signedIn('admin', ADMIN);
  expect(await admin.getByTestId('bull-board-link').count()).toBe(1);

  await admin.getByTestId('reset-pia').click();
  await admin.getByTestId('reset-password').fill('pia-reset-password');
  await admin.getByRole('button', { name: 'Save' }).click();
  await admin.getByText('Password of pia reset').waitFor({ timeout: STEP_MS });
  expect((await attemptSignIn(service, pia)).status).toBe(401);

  const reset = { username: 'pia', password: 'pia-reset-password' };
  const tablet = await signedIn('pia-tablet', reset);
  const counter = await signedIn('pia-counter', reset);
  // Plain staff have no job queues link and no accounts table.
  expect(await tablet.getByTestId('bull-board-link').count()).toBe(0);
  expect(await tablet.getByTestId('users-table').count()).toBe(0);

  await tablet.getByTestId('password-current').fill('not-her-password');
  await tablet.getByTestId('password-new').fill('pia-own-password');
  await log.expecting(failedRequest('a wrong current password is a 400', '/api/auth/password', 400), async () => {
    await tablet.getByTestId('password-submit').click();
    await tablet.getByText('The current password is not right.').waitFor({ timeout: STEP_MS });
  });

  await tablet.getByTestId('password-current').fill(reset.password);
  await tablet.getByTestId('password-submit').click();
  await tablet.getByText('Password changed').waitFor({ timeout: STEP_MS });

  // The other tablet's socket is cut off; the page asks who is signed in and shows the login.
  await log.expecting(failedRequest('the counter tablet was signed out', '/api/auth/me', 401), async () => {
    await counter.getByTestId('login-username').waitFor({ timeout: STEP_MS });
  });
  // This tablet stays signed in: its socket, opened under the old session id, is cut off too
  // (within the account re-check) and comes back under the new one by itself, so once that
  // has surely happened, a game created elsewhere still reaches it live.
  await new Promise((resolve) => setTimeout(resolve, ACCOUNT_CACHE_MS + SOCKET_RECHECK_MS + 1500));
  const created = await service.staff.post('/api/games').send({ title: 'Cascadia after the change', copies: 1 });
  expect(created.status).toBe(201);
  await tablet.getByRole('heading', { name: 'Cascadia after the change' }).waitFor({ timeout: STEP_MS });
  await tablet.getByTestId('live-indicator').filter({ hasText: 'Live' }).waitFor({ timeout: STEP_MS });
  expect(await tablet.getByTestId('password-form').count()).toBe(1);
  expect((await attemptSignIn(service, { username: 'pia', password: 'pia-own-password' })).status).toBe(200);
});

test('no console errors or page errors', () => {
  expect(log.unexpected).toEqual([]);
});
