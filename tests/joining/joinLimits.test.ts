/**
 * Join limits keyed by device (issue 11, item 8): a signed device cookie carries the tight
 * limit, the address a ceiling many phones wide, and joins without a valid cookie a stricter
 * per-address allowance. Real service, real Redis and MariaDB, over HTTP.
 *
 * Each test joins from its own client address (X-Forwarded-For, trusted from loopback as from
 * Nginx), so the per-address counts of one test do not touch another's.
 */
import request from 'supertest';
import { loadConfig } from '../../server/config';
import { DEVICE_COOKIE } from '../../server/http/deviceCookie';
import { startTestService, type TestService } from '../helpers/testService';

type Agent = ReturnType<typeof request.agent>;

const LIMITS = { JOIN_RATE_LIMIT: '3', JOIN_NEW_DEVICE_LIMIT: '5', JOIN_ADDRESS_LIMIT: '12' };

let addressCount = 0;
/** An address no other test in this file joins from. */
const nextAddress = () => `198.51.100.${++addressCount}`;

function deviceCookieOf(res: request.Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.find((c) => c.startsWith(`${DEVICE_COOKIE}=`));
}

describe('join limits per device, per address and for new devices', () => {
  let service: TestService;
  let gameId: number;

  beforeAll(async () => {
    service = await startTestService('joinlimits', LIMITS);
    gameId = (await service.staff.post('/api/games').send({ title: 'Azul', copies: 1 })).body.id;
  });
  afterAll(() => service?.stop());

  /**
   * A phone on the network at `address`, keeping its cookies like a browser. Its joins say they
   * are another party each time: the limits are under test here, not the one-ticket-per-phone
   * rule (tests/joining/firstEvening.test.ts).
   */
  function phone(address: string): { agent: Agent; join: (name?: string) => Promise<request.Response> } {
    const agent = request.agent(service.url);
    const join = (name = 'Guest') =>
      agent.post(`/api/games/${gameId}/reservations`).set('X-Forwarded-For', address).send({ customerName: name, anotherParty: true });
    return { agent, join };
  }

  const joinWithoutCookie = (address: string, cookie?: string) => {
    const req = service.anon.post(`/api/games/${gameId}/reservations`).set('X-Forwarded-For', address);
    if (cookie) req.set('Cookie', cookie);
    return req.send({ customerName: 'Script', anotherParty: true });
  };

  test('the first join issues a signed device cookie: HttpOnly, SameSite=Lax, Secure only over HTTPS', async () => {
    const address = nextAddress();
    const plain = await joinWithoutCookie(address);
    expect(plain.status).toBe(201);
    const cookie = deviceCookieOf(plain)!;
    expect(cookie).toMatch(new RegExp(`^${DEVICE_COOKIE.replace('.', '\\.')}=[\\w-]{22}\\.[\\w-]{43};`));
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\/api\//);
    expect(cookie).not.toMatch(/; Secure/);

    // Behind Nginx with TLS (X-Forwarded-Proto from a trusted proxy) the cookie is Secure.
    const overTls = await joinWithoutCookie(address).set('X-Forwarded-Proto', 'https');
    expect(overTls.status).toBe(201);
    expect(deviceCookieOf(overTls)).toMatch(/; Secure/);

    // A device that has its cookie keeps it: no new one is issued.
    const again = await joinWithoutCookie(address, cookie.split(';')[0]);
    expect(again.status).toBe(201);
    expect(deviceCookieOf(again)).toBeUndefined();
  });

  test('two devices behind one address each get their own allowance; one over its limit gets 429 with the limit stated', async () => {
    const address = nextAddress();
    const ana = phone(address);
    const ben = phone(address);
    for (let i = 0; i < 3; i += 1) expect((await ana.join('Ana')).status).toBe(201);
    const refused = await ana.join('Ana');
    expect(refused.status).toBe(429);
    expect(refused.body.error).toEqual({
      code: 'too_many_joins',
      params: { limit: 3, seconds: expect.any(Number) },
      message: expect.stringMatching(/^Too many joins \(at most 3 joins a minute from one device\); try again in \d+ s$/),
      details: [],
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // The other phone on the same WiFi is not affected.
    for (let i = 0; i < 3; i += 1) expect((await ben.join('Ben')).status).toBe(201);
    expect((await ben.join('Ben')).status).toBe(429);
  });

  test('joins without a device cookie share a stricter per-address allowance, so clearing cookies does not help', async () => {
    const address = nextAddress();
    const regular = phone(address);
    expect((await regular.join('Regular')).status).toBe(201); // its first join: a new device
    const fresh = [];
    for (let i = 0; i < 5; i += 1) fresh.push(await joinWithoutCookie(address));
    expect(fresh.map((r) => r.status)).toEqual([201, 201, 201, 201, 429]);
    expect(fresh[4]!.body.error.message).toMatch(/at most 5 joins a minute from new devices on one network/);
    expect(deviceCookieOf(fresh[4]!)).toBeUndefined(); // no cookie for a refused join
    // A device that has its cookie still joins.
    expect((await regular.join('Regular')).status).toBe(201);
    // Another network's new devices have their own allowance.
    expect((await joinWithoutCookie(nextAddress())).status).toBe(201);
  });

  test('a forged or altered device cookie counts as no cookie', async () => {
    const address = nextAddress();
    const genuine = deviceCookieOf(await joinWithoutCookie(address))!.split(';')[0]!;
    const [name, value] = genuine.split('=') as [string, string];
    const [id, signature] = value.split('.') as [string, string];
    const forgeries = [
      `${name}=${id}.${'A'.repeat(43)}`, // made-up signature
      `${name}=${'B'.repeat(22)}.${signature}`, // another id under a real signature
      `${name}=${id}`, // no signature
    ];
    // Four new-device joins left at this address (of five); each forgery takes one, and is
    // given a cookie of its own, with a new id.
    for (const forged of forgeries) {
      const res = await joinWithoutCookie(address, forged);
      expect(res.status).toBe(201);
      expect(deviceCookieOf(res)).not.toContain(id);
    }
    expect((await joinWithoutCookie(address)).status).toBe(201);
    for (const forged of forgeries) {
      const res = await joinWithoutCookie(address, forged);
      expect(res.status).toBe(429);
      expect(res.body.error.message).toMatch(/new devices on one network/);
    }
    // The genuine cookie is a known device there: it still joins.
    expect((await joinWithoutCookie(address, genuine)).status).toBe(201);
  });

  test('the address ceiling holds however many devices share it', async () => {
    const address = nextAddress();
    // Five new devices (the new-device allowance), then each joins again: 10 of the 12.
    const phones = Array.from({ length: 5 }, () => phone(address));
    for (const p of phones) expect((await p.join()).status).toBe(201);
    for (const p of phones) expect((await p.join()).status).toBe(201);
    // Two more fit under the ceiling, then nobody on that address joins, whatever the device.
    expect((await phones[0]!.join()).status).toBe(201);
    expect((await phones[1]!.join()).status).toBe(201);
    const refused = await phones[2]!.join();
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toMatch(/at most 12 joins a minute from one network/);
    expect((await joinWithoutCookie(address)).status).toBe(429);
  });

  test('staff adding walk-ins are not counted', async () => {
    const address = nextAddress();
    for (let i = 0; i < 15; i += 1) {
      const res = await service.staff.post(`/api/games/${gameId}/reservations`).set('X-Forwarded-For', address).send({ customerName: 'Walk In' });
      expect(res.status).toBe(201);
    }
    expect((await joinWithoutCookie(address)).status).toBe(201);
  });
});

describe('default join limits on a busy café WiFi', () => {
  let service: TestService;
  const defaults = loadConfig({}).rateLimits;

  beforeAll(async () => {
    service = await startTestService('joinwifi', {
      JOIN_RATE_LIMIT: String(defaults.joinsPerMinute),
      JOIN_NEW_DEVICE_LIMIT: String(defaults.newDeviceJoinsPerMinute),
      JOIN_ADDRESS_LIMIT: String(defaults.addressJoinsPerMinute),
    });
  });
  afterAll(() => service?.stop());

  test('40 phones behind one address all join at once; a script clearing its cookies is then refused', async () => {
    const games = await Promise.all(
      ['Catan', 'Ticket to Ride', 'Wingspan', 'Codenames'].map(async (title) => (await service.staff.post('/api/games').send({ title, copies: 2 })).body.id as number),
    );
    const phones = Array.from({ length: 40 }, () => request.agent(service.url));
    const joins = await Promise.all(
      phones.map((agent, i) => agent.post(`/api/games/${games[i % games.length]}/reservations`).send({ customerName: `Phone ${i}` })),
    );
    expect(joins.map((r) => r.status)).toEqual(Array(40).fill(201));
    const script = await service.anon.post(`/api/games/${games[0]}/reservations`).send({ customerName: 'Script' });
    expect(script.status).toBe(429);
    expect(script.body.error.message).toMatch(/new devices on one network/);
    // Every phone keeps its own allowance.
    expect((await phones[0]!.post(`/api/games/${games[1]}/reservations`).send({ customerName: 'Phone 0 again' })).status).toBe(201);
  });
});
