// Text messages through the two gateway adapters, each against a loopback receiver that checks
// the provider's request shape: Twilio's Messages API (form post, basic auth) and the generic
// webhook (JSON, HMAC-SHA256 signature). Plus the phone number as personal data.
import { createHmac } from 'node:crypto';
import { loadConfig } from '../../server/config';
import { erasePersonalData } from '../../server/queue/repository';
import { act, createGame } from '../helpers/api';
import { LoopbackGateway } from '../helpers/gatewayReceiver';
import { eventually, startTestService, testEnv, type TestService } from '../helpers/testService';

jest.setTimeout(90_000);

const SID = 'AC0123456789abcdef';
const TOKEN = 'twilio-test-token-123';
const SECRET = 'webhook-secret-0123456789abcdef';

interface Joined {
  id: number;
  code: string;
  secret: string;
}

async function joinWithPhone(service: TestService, gameId: number, customerName: string, phone: string): Promise<Joined> {
  const res = await service.anon.post(`/api/games/${gameId}/reservations`).send({ customerName, phone });
  if (res.status !== 201) throw new Error(`join: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Joined;
}

const notificationsOf = (service: TestService, id: number) =>
  service.ctx.knex('notifications').where({ reservationId: id }).orderBy('id').select('event', 'channel', 'status', 'attempts', 'error');

describe('Twilio-compatible gateway', () => {
  const gateway = new LoopbackGateway();
  let service: TestService;

  beforeAll(async () => {
    await gateway.start();
    service = await startTestService('texts', {
      CAFE_NAME: 'Dice & Slice',
      SMS_PROVIDER: 'twilio',
      TWILIO_API_URL: gateway.url,
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: TOKEN,
      TWILIO_FROM: '+15005550006',
      NOTIFY_ATTEMPTS: '3',
      NOTIFY_BACKOFF_MS: '50',
    });
  });
  afterAll(async () => {
    await service?.stop();
    await gateway.stop();
  });

  it('texts "almost your turn" and "called" as a Messages.json form post with basic auth; the number is on no public payload', async () => {
    const game = await createGame(service, { title: 'Wingspan', autoAdvance: false });
    const first = await joinWithPhone(service, game.id, 'Ana First', '+44 7700 900111');
    const second = await joinWithPhone(service, game.id, 'Bo Second', '+44 (7700) 900-222');
    const third = await joinWithPhone(service, game.id, 'Cy Third', '+447700900333');

    // First is called; second and third are now 1st and 2nd: both within ALMOST_POSITION (2).
    expect((await act(service, first.id, 'call')).status).toBe(200);
    await eventually(() => gateway.requests.length === 3);
    for (const request of gateway.requests) {
      expect(request.method).toBe('POST');
      expect(request.path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
      expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
      expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    }
    const forms = gateway.requests.map((r) => Object.fromEntries(new URLSearchParams(r.body)));
    expect(forms.sort((a, b) => a.To!.localeCompare(b.To!))).toEqual([
      { To: '+447700900111', From: '+15005550006', Body: `Dice & Slice: your Wingspan is ready! Show ticket ${first.code} at the counter within 5 minutes.` },
      { To: '+447700900222', From: '+15005550006', Body: `Dice & Slice: almost your turn for Wingspan (ticket ${second.code}). Please head back to the café.` },
      { To: '+447700900333', From: '+15005550006', Body: `Dice & Slice: almost your turn for Wingspan (ticket ${third.code}). Please head back to the café.` },
    ]);
    expect(await notificationsOf(service, first.id)).toEqual([{ event: 'called', channel: 'sms', status: 'delivered', attempts: 1, error: null }]);

    // Never on a public payload, nor even on staff's: staff see only that a text can reach them.
    const pub = [await service.anon.get(`/api/tickets/${second.code}`), await service.anon.get('/api/board')];
    const staff = await service.staff.get('/api/reservations').query({ gameId: game.id });
    for (const res of [...pub, staff]) {
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toMatch(/7700|900222|phone/i);
    }
    expect((staff.body as Array<{ id: number; contact: { reach: string[] } }>).find((r) => r.id === second.id)!.contact.reach).toEqual(['sms']);
  });

  it('retries a gateway error with backoff, and stops at a refusal', async () => {
    const game = await createGame(service, { autoAdvance: false, copies: 2 });
    const retried = await joinWithPhone(service, game.id, 'Di Retry', '+15551230001');
    const before = gateway.requests.length;
    gateway.answers = [503, 429];
    expect((await act(service, retried.id, 'call')).status).toBe(200);
    await eventually(async () => (await notificationsOf(service, retried.id))[0]?.status === 'delivered');
    expect(gateway.requests.length - before).toBe(3);
    expect((await notificationsOf(service, retried.id))[0]).toMatchObject({ attempts: 3, error: null });

    // Joined now, so calling it is the only message owed.
    const refused = await joinWithPhone(service, game.id, 'Ed Refused', '+15551230002');
    gateway.answers = [400];
    expect((await act(service, refused.id, 'call')).status).toBe(200);
    await eventually(async () => (await notificationsOf(service, refused.id))[0]?.status === 'failed');
    expect((await notificationsOf(service, refused.id))[0]).toEqual({ event: 'called', channel: 'sms', status: 'failed', attempts: 1, error: expect.stringContaining('SMS gateway answered 400') });
  });

  it('refuses a number that is not E.164 and changes nothing', async () => {
    const game = await createGame(service, { autoAdvance: false });
    for (const phone of ['07700 900123', '+0123456789', '+12', 'call me', 42]) {
      const res = await service.anon.post(`/api/games/${game.id}/reservations`).send({ customerName: 'Fay', phone });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details[0].path).toBe('phone');
    }
    expect(await service.ctx.knex('reservations').where({ gameId: game.id }).count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('erases the number with the other personal data', async () => {
    const game = await createGame(service, { autoAdvance: false });
    const party = await joinWithPhone(service, game.id, 'Gil Gone', '+15551239999');
    expect((await act(service, party.id, 'cancel')).status).toBe(200);
    await service.ctx.knex('reservations').where({ id: party.id }).update({ finishedAt: service.ctx.knex.raw('CURRENT_TIMESTAMP(3) - INTERVAL 31 DAY') });
    expect(await erasePersonalData(service.ctx.knex, 30)).toBeGreaterThanOrEqual(1);
    expect(await service.ctx.knex('reservations').where({ id: party.id }).first('phone', 'customerName')).toEqual({ phone: null, customerName: '' });
  });
});

describe('signed webhook gateway', () => {
  const gateway = new LoopbackGateway();
  let service: TestService;

  beforeAll(async () => {
    await gateway.start();
    service = await startTestService('webhook', { CAFE_NAME: 'Dice & Slice', SMS_PROVIDER: 'webhook', SMS_WEBHOOK_URL: `${gateway.url}/hooks/sms`, SMS_WEBHOOK_SECRET: SECRET });
  });
  afterAll(async () => {
    await service?.stop();
    await gateway.stop();
  });

  it('posts JSON signed with HMAC-SHA256 over the timestamp and the body', async () => {
    const game = await createGame(service, { title: 'Cascadia', autoAdvance: false });
    const party = await joinWithPhone(service, game.id, 'Hu Hook', '+33 6 12 34 56 78');
    expect((await act(service, party.id, 'call')).status).toBe(200);
    const request = (await eventually(() => gateway.requests[0]))!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/hooks/sms');
    expect(request.headers['content-type']).toBe('application/json');
    const timestamp = request.headers['x-meeple-timestamp'] as string;
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(300);
    const expected = `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${request.body}`).digest('hex')}`;
    expect(request.headers['x-meeple-signature']).toBe(expected);
    expect(JSON.parse(request.body)).toEqual({
      to: '+33612345678',
      body: `Dice & Slice: your Cascadia is ready! Show ticket ${party.code} at the counter within 5 minutes.`,
      code: party.code,
      event: 'called',
    });
    await eventually(async () => (await notificationsOf(service, party.id))[0]?.status === 'delivered');
    const options = await service.anon.get('/api/notifications/options');
    expect(options.body.textMessages).toBe(true);
  });
});

describe('configuration', () => {
  it('refuses an incomplete gateway, half a VAPID pair and unknown placeholders', () => {
    expect(() => loadConfig(testEnv('x', { SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: SID }))).toThrow(/TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM/);
    expect(() => loadConfig(testEnv('x', { SMS_PROVIDER: 'webhook' }))).toThrow(/SMS_WEBHOOK_URL and SMS_WEBHOOK_SECRET/);
    expect(() => loadConfig(testEnv('x', { VAPID_PUBLIC_KEY: 'B'.repeat(87) }))).toThrow(/VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY/);
    expect(() => loadConfig(testEnv('x', { MESSAGE_CALLED: '{cafe}: table {table} is ready' }))).toThrow(/MESSAGE_CALLED: Unknown placeholder/);
    const config = loadConfig(testEnv('x', { CAFE_NAME: 'The Rolling Die' }));
    expect(config.notify).toMatchObject({ cafeName: 'The Rolling Die', sms: null, vapid: null, almostPosition: 2 });
  });
});
