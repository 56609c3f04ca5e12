import { failureDelayMs } from '../../server/auth/loginThrottle';
import { startTestService, type TestService } from '../helpers/testService';
import { attemptSignIn, createAccount, signInAs, type Credentials } from './accountHelpers';

/** LOGIN_RATE_LIMIT for this file: attempts per username+address and per trusted device. */
const LIMIT = 5;

/** How many of `responses` had each status, e.g. { 401: 5, 429: 55 }. */
function statusCounts(responses: Array<{ status: number }>): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of responses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

const wrong = (who: Credentials): Credentials => ({ username: who.username, password: 'not-the-password' });

// Each test uses its own accounts and its own client addresses (X-Forwarded-For: loopback is a
// trusted proxy), so no lockout spills into another test or the admin's sign-ins.
describe('login throttling', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('throttle', { LOGIN_RATE_LIMIT: String(LIMIT) });
  });
  afterAll(() => service.stop());

  test('60 parallel wrong passwords from one address: only the limit is checked, the rest are 429, and the right password is then refused for the whole lockout', async () => {
    const hana = await createAccount(service, 'hana', 'staff');
    const burst = await Promise.all(Array.from({ length: 60 }, () => attemptSignIn(service, wrong(hana), { address: '10.1.0.1' })));
    expect(statusCounts(burst)).toEqual({ 401: LIMIT, 429: 60 - LIMIT });

    const right = await attemptSignIn(service, hana, { address: '10.1.0.1' });
    expect(right.status).toBe(429);
    expect(right.body.error).toMatchObject({ code: 'too_many_sign_ins', params: { seconds: expect.any(Number) }, message: expect.stringMatching(/failed sign-ins/) });
    // blockDuration applies: locked for the 15-minute window, not for the rest of a second.
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(14 * 60);
    // The lockout is per username and address: hana on another network is not locked out.
    expect((await attemptSignIn(service, hana, { address: '10.1.0.2' })).status).toBe(200);
  });

  test('a device that signed in before keeps signing in while strangers on its address are locked out', async () => {
    const ivan = await createAccount(service, 'ivan', 'staff');
    const jo = await createAccount(service, 'jo', 'staff');
    const tablet = await signInAs(service, ivan, { address: '10.2.0.1' });
    const josDevice = (await signInAs(service, jo, { address: '10.2.0.9' })).device;
    expect(tablet.device).toMatch(/^meeple\.device=[\w-]+\.[\w-]+$/);

    await Promise.all(Array.from({ length: 3 * LIMIT }, () => attemptSignIn(service, wrong(ivan), { address: '10.2.0.1' })));
    expect((await attemptSignIn(service, ivan, { address: '10.2.0.1' })).status).toBe(429);

    expect((await attemptSignIn(service, ivan, { address: '10.2.0.1', cookies: [tablet.device] })).status).toBe(200);
    // A forged signature, or a device trusted for another account, is a stranger's.
    const forged = tablet.device.replace(/\.[\w-]+$/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect((await attemptSignIn(service, ivan, { address: '10.2.0.1', cookies: [forged] })).status).toBe(429);
    expect((await attemptSignIn(service, ivan, { address: '10.2.0.1', cookies: [josDevice] })).status).toBe(429);
  });

  test('a customer spraying usernames from the café WiFi locks the address out, but not the staff tablets', async () => {
    const kim = await createAccount(service, 'kim', 'staff');
    const tablet = await signInAs(service, kim, { address: '10.3.0.1' });
    const spray = await Promise.all(
      Array.from({ length: 4 * LIMIT + 10 }, (_, i) => attemptSignIn(service, { username: `guess${i}`, password: 'password1' }, { address: '10.3.0.1' })),
    );
    expect(statusCounts(spray)).toEqual({ 401: 4 * LIMIT, 429: 10 });
    expect((await attemptSignIn(service, kim, { address: '10.3.0.1' })).status).toBe(429);
    expect((await attemptSignIn(service, kim, { address: '10.3.0.1', cookies: [tablet.device] })).status).toBe(200);
  });

  test('guesses for one username from many addresses lock that username for strangers, not for its devices', async () => {
    const lee = await createAccount(service, 'lee', 'staff');
    const tablet = await signInAs(service, lee, { address: '10.4.0.1' });
    const botnet = await Promise.all(Array.from({ length: 4 * LIMIT + 5 }, (_, i) => attemptSignIn(service, wrong(lee), { address: `10.4.1.${i}` })));
    expect(statusCounts(botnet)).toEqual({ 401: 4 * LIMIT, 429: 5 });
    expect((await attemptSignIn(service, lee, { address: '10.4.2.1' })).status).toBe(429);
    expect((await attemptSignIn(service, lee, { address: '10.4.2.1', cookies: [tablet.device] })).status).toBe(200);
  });

  test('wrong passwords on a trusted device count against that device, which locks after the limit', async () => {
    const mo = await createAccount(service, 'mo', 'staff');
    const tablet = await signInAs(service, mo, { address: '10.5.0.1' });
    const fromTablet = (who: Credentials) => attemptSignIn(service, who, { address: '10.5.0.1', cookies: [tablet.device] });
    const guesses = await Promise.all(Array.from({ length: LIMIT + 3 }, () => fromTablet(wrong(mo))));
    expect(statusCounts(guesses)).toEqual({ 401: LIMIT, 429: 3 });
    expect((await fromTablet(mo)).status).toBe(429);
    // Its guesses did not use up the strangers' counters of its address.
    expect((await attemptSignIn(service, mo, { address: '10.5.0.1' })).status).toBe(200);
  });

  test('a successful sign-in resets the counters of that address, or of that device', async () => {
    const ned = await createAccount(service, 'ned', 'staff');
    // One short of the limit, a success, then one short again: without the reset the second round would be locked out.
    const almostLocked = async (cookies: string[] = []) => {
      const guesses = await Promise.all(Array.from({ length: LIMIT - 1 }, () => attemptSignIn(service, wrong(ned), { address: '10.6.0.1', cookies })));
      expect(statusCounts(guesses)).toEqual({ 401: LIMIT - 1 });
    };
    await almostLocked();
    const { device } = await signInAs(service, ned, { address: '10.6.0.1' });
    await almostLocked();
    await almostLocked([device]);
    await signInAs(service, ned, { address: '10.6.0.1', cookies: [device] });
    await almostLocked([device]);
    // Four rounds of progressively delayed failures: slow by design, so more room than the default.
  }, 90_000);

  test('a password reset forgets the devices the account signed in from', async () => {
    const ola = await createAccount(service, 'ola', 'staff');
    const tablet = await signInAs(service, ola, { address: '10.7.0.1' });
    expect((await service.staff.post(`/api/users/${ola.id}/password`).send({ password: 'ola-reset-password' })).status).toBe(204);
    const reset = { username: 'ola', password: 'ola-reset-password' };
    await Promise.all(Array.from({ length: 2 * LIMIT }, () => attemptSignIn(service, wrong(ola), { address: '10.7.0.1' })));
    expect((await attemptSignIn(service, reset, { address: '10.7.0.1', cookies: [tablet.device] })).status).toBe(429);
  });

  test('failures answer progressively slower, up to a ceiling', () => {
    expect([1, 2, 3, 4, 5, 6, 20].map(failureDelayMs)).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000]);
  });
});
