// Web Push end to end: the real service, MariaDB, Redis and BullMQ workers, and a push service
// on loopback that checks the VAPID signature and decrypts each message with the subscriber's keys.
import { createKnex } from '../../server/db/knex';
import { vapidKeys } from '../../server/notify/vapid';
import { housekeeping } from '../../server/queue/housekeeping';
import { act, createGame, join, sleep, type ReservationBody } from '../helpers/api';
import { LoopbackPushService, type Device } from '../helpers/pushService';
import { eventually, MYSQL, startTestService, type TestService } from '../helpers/testService';

jest.setTimeout(60_000);

let service: TestService;
const push = new LoopbackPushService();

beforeAll(async () => {
  await push.start();
  service = await startTestService('push', {
    CAFE_NAME: 'Dice & Slice',
    PUSH_ENDPOINT_HOSTS: '127.0.0.1',
    NOTIFY_ATTEMPTS: '3',
    NOTIFY_BACKOFF_MS: '50',
    NOTIFY_AGAIN_SECONDS: '3600',
    ALMOST_POSITION: '2',
  });
});

afterAll(async () => {
  await service?.stop();
  await push.stop();
});

afterEach(() => {
  expect(push.problems).toEqual([]);
});

async function subscribe(party: ReservationBody, device: Device) {
  return service.anon.post(`/api/tickets/${party.code}/push`).send({ secret: party.secret, subscription: device.subscription });
}

interface NotificationRow {
  event: string;
  channel: string;
  status: string;
  attempts: number;
  error: string | null;
}

async function notificationsOf(party: ReservationBody): Promise<NotificationRow[]> {
  return service.ctx.knex('notifications').where({ reservationId: party.id }).orderBy('id').select('event', 'channel', 'status', 'attempts', 'error');
}

const subscriptionCount = async (party: ReservationBody) => Number((await service.ctx.knex('push_subscriptions').where({ reservationId: party.id }).count({ n: '*' }))[0]!.n);

describe('VAPID keys', () => {
  it('are generated once, kept in MySQL and agreed on by replicas starting at once', async () => {
    const options = await service.anon.get('/api/notifications/options');
    expect(options.status).toBe(200);
    expect(options.body).toEqual({ pushPublicKey: expect.stringMatching(/^[A-Za-z0-9_-]{87}$/), textMessages: false, almostPosition: 2 });
    const stored = await service.ctx.knex('web_push_keys').select('publicKey');
    expect(stored).toEqual([{ publicKey: options.body.pushPublicKey }]);

    // A fresh install: two replicas ask at the same moment, with no row yet.
    await service.ctx.knex('web_push_keys').delete();
    const replicas = [createKnex({ ...MYSQL, database: service.name, poolMax: 2 }), createKnex({ ...MYSQL, database: service.name, poolMax: 2 })];
    try {
      const [a, b] = await Promise.all(replicas.map((k) => vapidKeys(k, service.config)));
      expect(a).toEqual(b);
      expect(await service.ctx.knex('web_push_keys').select('publicKey', 'privateKey')).toEqual([a]);
      // Asked again (another process later): the same pair, never a new one.
      const later = createKnex({ ...MYSQL, database: service.name, poolMax: 1 });
      expect(await vapidKeys(later, service.config)).toEqual(a);
      await later.destroy();
    } finally {
      await Promise.all(replicas.map((k) => k.destroy()));
    }
  });
});

describe('called and almost your turn', () => {
  it('pushes "called" and "almost your turn" once each, encrypted for the subscriber and signed with the stored key', async () => {
    const game = await createGame(service, { autoAdvance: false, copies: 1 });
    const [ann, ben, cat, dan] = [await join(service, game.id, 'Ann Archer'), await join(service, game.id, 'Ben Baker'), await join(service, game.id, 'Cat Cole'), await join(service, game.id, 'Dan Dorn')];
    const devices = { ann: push.device(), cat: push.device(), dan: push.device() };
    for (const [party, device] of [[ann, devices.ann], [cat, devices.cat], [dan, devices.dan]] as const) expect((await subscribe(party, device)).status).toBe(204);

    // Ann is called; Ben, Cat and Dan move up: Cat is now 2nd (almost), Dan 3rd (nothing yet).
    expect((await act(service, ann.id, 'call')).status).toBe(200);
    await eventually(() => push.to(devices.ann).length === 1 && push.to(devices.cat).length === 1);

    const [called] = push.to(devices.ann);
    expect(called!.payload).toEqual({
      title: 'Dice & Slice',
      body: `Dice & Slice: your ${game.title} is ready! Show ticket ${ann.code} at the counter within 5 minutes.`,
      code: ann.code,
      kind: 'called',
      url: `/t/${ann.code}`,
    });
    const key = (await service.anon.get('/api/notifications/options')).body.pushPublicKey as string;
    expect(called!.vapid.publicKey).toBe(key);
    expect(called!.vapid.claims.sub).toBe('mailto:admin@example.com');
    expect(called!.headers.urgency).toBe('high');
    expect(Number(called!.headers.ttl)).toBe(300);
    expect(push.to(devices.cat)[0]!.payload).toMatchObject({ kind: 'almost', code: cat.code, body: expect.stringContaining(`Dice & Slice: almost your turn for ${game.title} (ticket ${cat.code})`) });

    // Ben leaves: Cat becomes 1st (already told), Dan 2nd (told now).
    expect((await act(service, ben.id, 'cancel')).status).toBe(200);
    await eventually(() => push.to(devices.dan).length === 1);
    // Moves that do not change positions and moves that do, again: nothing is sent twice.
    expect((await service.staff.patch(`/api/reservations/${cat.id}`).send({ partySize: 3 })).status).toBe(200);
    expect((await act(service, ann.id, 'no-show')).status).toBe(200);
    expect((await act(service, cat.id, 'call')).status).toBe(200);
    await eventually(() => push.to(devices.cat).length === 2);
    await sleep(300);
    expect(push.to(devices.ann).map((p) => p.payload.kind)).toEqual(['called']);
    expect(push.to(devices.cat).map((p) => p.payload.kind)).toEqual(['almost', 'called']);
    expect(push.to(devices.dan).map((p) => p.payload.kind)).toEqual(['almost']);
    expect(await notificationsOf(cat)).toEqual([
      { event: 'almost', channel: 'push', status: 'delivered', attempts: 1, error: null },
      { event: 'called', channel: 'push', status: 'delivered', attempts: 1, error: null },
    ]);
    // Ben had no subscription: nothing recorded for him.
    expect(await notificationsOf(ben)).toEqual([]);

    // Staff see how each party is reached and what became of its last message.
    const list = (await service.staff.get('/api/reservations').query({ gameId: game.id })).body as Array<{ id: number; contact?: unknown }>;
    expect(list.find((r) => r.id === dan.id)!.contact).toEqual({
      reach: ['push'],
      lastMessage: { event: 'almost', channel: 'push', status: 'delivered', error: null, at: expect.stringMatching(/^\d{4}-.+Z$/) },
    });
    expect(list.find((r) => r.id === cat.id)!.contact).toMatchObject({ reach: ['push'], lastMessage: { event: 'called', status: 'delivered' } });
  });
});

describe('undo and a second call', () => {
  it('tells a party called again after an undo, once per call; taking back a seating sends nothing', async () => {
    const game = await createGame(service, { autoAdvance: false, copies: 1 });
    const eve = await join(service, game.id, 'Eve Ellis');
    const device = push.device();
    expect((await subscribe(eve, device)).status).toBe(204);

    expect((await act(service, eve.id, 'call')).status).toBe(200);
    await eventually(() => push.to(device).length === 1);
    // A mis-tap taken back, then the real call: a second "called", its own message.
    expect((await act(service, eve.id, 'uncall')).status).toBe(200);
    expect((await act(service, eve.id, 'call')).status).toBe(200);
    // (Back at the head of the line after the uncall, she was also told "almost your turn".)
    await eventually(() => push.to(device).filter((p) => p.payload.kind === 'called').length === 2);
    // Seated, then the seating undone (seated → called with a fresh hold): not a new call.
    expect((await act(service, eve.id, 'seat')).status).toBe(200);
    expect((await act(service, eve.id, 'unseat')).status).toBe(200);
    await sleep(300);
    expect(push.to(device).map((p) => p.payload.kind).sort()).toEqual(['almost', 'called', 'called']);
    expect((await notificationsOf(eve)).map((n) => n.event).sort()).toEqual(['almost', 'called', 'called-2']);
  });
});

describe('delivery failures', () => {
  it('retries a push service error with backoff until it is taken', async () => {
    const game = await createGame(service, { autoAdvance: false });
    const party = await join(service, game.id, 'Eve Ernst');
    const device = push.device([500, 503]);
    expect((await subscribe(party, device)).status).toBe(204);
    expect((await act(service, party.id, 'call')).status).toBe(200);
    await eventually(async () => (await notificationsOf(party))[0]?.status === 'delivered');
    expect(device.requests).toBe(3);
    expect(push.to(device)).toHaveLength(1);
    expect(await notificationsOf(party)).toEqual([{ event: 'called', channel: 'push', status: 'delivered', attempts: 3, error: null }]);
  });

  it('gives up after NOTIFY_ATTEMPTS and says why', async () => {
    const game = await createGame(service, { autoAdvance: false });
    const party = await join(service, game.id, 'Fay Finch');
    const device = push.device([502, 502, 502, 502]);
    expect((await subscribe(party, device)).status).toBe(204);
    expect((await act(service, party.id, 'call')).status).toBe(200);
    await eventually(async () => (await notificationsOf(party))[0]?.status === 'failed');
    expect(device.requests).toBe(3);
    expect(await notificationsOf(party)).toEqual([{ event: 'called', channel: 'push', status: 'failed', attempts: 3, error: 'push service answered 502' }]);
  });

  it('drops a subscription the push service says is gone (410) and never retries it', async () => {
    const game = await createGame(service, { autoAdvance: false });
    const party = await join(service, game.id, 'Gus Grant');
    const device = push.device([410]);
    expect((await subscribe(party, device)).status).toBe(204);
    expect((await act(service, party.id, 'call')).status).toBe(200);
    await eventually(async () => (await notificationsOf(party))[0]?.status === 'failed');
    expect(device.requests).toBe(1);
    expect(await subscriptionCount(party)).toBe(0);
    expect((await notificationsOf(party))[0]!.error).toBe('push service answered 410');
  });
});

describe('clean-up', () => {
  it('deletes the subscriptions of a finished or deleted party; a no-show or cancelled one keeps them, unused, until its code is released', async () => {
    const game = await createGame(service, { autoAdvance: false, copies: 2 });
    const [a, b, c] = [await join(service, game.id, 'Hal Hart'), await join(service, game.id, 'Ida Irwin'), await join(service, game.id, 'Jo Jones')];
    const devices = [push.device(), push.device(), push.device()];
    for (const [i, party] of [a, b, c].entries()) expect((await subscribe(party, devices[i]!)).status).toBe(204);
    for (const party of [a, b, c]) expect(await subscriptionCount(party)).toBe(1);

    // Cancelled: staff may still reinstate it, so the phone stays subscribed, but nothing is sent.
    expect((await service.anon.post(`/api/tickets/${a.code}/cancel`).send({ secret: a.secret })).status).toBe(200);
    expect(await subscriptionCount(a)).toBe(1);
    expect((await act(service, b.id, 'call')).status).toBe(200);
    expect((await act(service, b.id, 'seat')).status).toBe(200);
    expect(await subscriptionCount(b)).toBe(1);
    expect((await act(service, b.id, 'finish')).status).toBe(200);
    expect(await subscriptionCount(b)).toBe(0);
    expect((await service.staff.delete(`/api/reservations/${c.id}`)).status).toBe(204);
    expect(await subscriptionCount(c)).toBe(0);
    // An ended ticket takes no new subscription.
    const late = await subscribe(a, push.device());
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('ticket_ended');
    expect(push.to(devices[0]!)).toEqual([]);

    // A subscription left behind (a crash between the two) goes with the names.
    await service.ctx.knex('push_subscriptions').insert({ reservationId: b.id, endpoint: 'x', endpointHash: 'x'.repeat(64), p256dh: 'p', auth: 'a' });
    await service.ctx.knex('reservations').where({ id: b.id }).update({ finishedAt: service.ctx.knex.raw('CURRENT_TIMESTAMP(3) - INTERVAL 40 DAY') });
    // The cancelled ticket's code is released a day after: it can no longer come back, so its phone goes.
    await service.ctx.knex('reservations').where({ id: a.id }).update({ finishedAt: service.ctx.knex.raw('CURRENT_TIMESTAMP(3) - INTERVAL 25 HOUR') });
    expect((await housekeeping(service.ctx)).namesErased).toBeGreaterThanOrEqual(1);
    expect(await subscriptionCount(b)).toBe(0);
    expect(await subscriptionCount(a)).toBe(0);
  });

  it('a no-show staff reinstate is pushed when it is called again, on the phone it subscribed before', async () => {
    const game = await createGame(service, { autoAdvance: false });
    const party = await join(service, game.id, 'Kai Knox');
    const device = push.device();
    expect((await subscribe(party, device)).status).toBe(204);
    expect((await act(service, party.id, 'call')).status).toBe(200);
    await eventually(() => push.to(device).length === 1);
    expect((await act(service, party.id, 'no-show')).status).toBe(200);
    expect((await act(service, party.id, 'reinstate')).status).toBe(200);
    expect((await act(service, party.id, 'call')).status).toBe(200);
    // Back at the head of the queue it is also told it is almost its turn (it never was before).
    await eventually(() => push.to(device).length === 3);
    expect(push.to(device).map((m) => m.payload)).toMatchObject([
      { kind: 'called', code: party.code },
      { kind: 'almost', code: party.code },
      { kind: 'called', code: party.code },
    ]);
    expect(await notificationsOf(party)).toEqual([
      { event: 'called', channel: 'push', status: 'delivered', attempts: 1, error: null },
      { event: 'almost', channel: 'push', status: 'delivered', attempts: 1, error: null },
      { event: 'called-2', channel: 'push', status: 'delivered', attempts: 1, error: null },
    ]);
  });
});

describe('staff notify again', () => {
  it('sends the party its current news once more, at most every NOTIFY_AGAIN_SECONDS; a screen-only party cannot be', async () => {
    const game = await createGame(service, { autoAdvance: false });
    const [kim, lee] = [await join(service, game.id, 'Kim Kent'), await join(service, game.id, 'Lee Long')];
    const device = push.device();
    expect((await subscribe(kim, device)).status).toBe(204);
    expect((await act(service, kim.id, 'call')).status).toBe(200);
    await eventually(() => push.to(device).length === 1);

    const again = await service.staff.post('/api/notifications').send({ reservationId: kim.id });
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ channels: ['push'] });
    await eventually(() => push.to(device).length === 2);
    expect(push.to(device)[1]!.payload).toMatchObject({ kind: 'called', code: kim.code });

    const tooSoon = await service.staff.post('/api/notifications').send({ reservationId: kim.id });
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.body.error).toMatchObject({ code: 'notified_recently', params: { seconds: expect.any(Number) } });
    const screenOnly = await service.staff.post('/api/notifications').send({ reservationId: lee.id });
    expect(screenOnly.status).toBe(409);
    expect((await service.anon.post('/api/notifications').send({ reservationId: kim.id })).status).toBe(401);
    expect(await notificationsOf(kim)).toEqual([
      { event: 'called', channel: 'push', status: 'delivered', attempts: 1, error: null },
      { event: 'again-1', channel: 'push', status: 'delivered', attempts: 1, error: null },
    ]);
  });
});

describe('bad input changes nothing', () => {
  it('refuses a wrong secret, a push service not on the list, malformed keys and a phone number when texts are off', async () => {
    const game = await createGame(service, { autoAdvance: false });
    const party = await join(service, game.id, 'Max Moss');
    const device = push.device();

    const wrong = await service.anon.post(`/api/tickets/${party.code}/push`).send({ secret: 'nope', subscription: device.subscription });
    expect(wrong.status).toBe(403);
    const elsewhere = await service.anon
      .post(`/api/tickets/${party.code}/push`)
      .send({ secret: party.secret, subscription: { ...device.subscription, endpoint: 'https://attacker.example/hook' } });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.details).toEqual([{ path: 'subscription.endpoint', message: expect.stringContaining('push service') }]);
    const badKeys = await service.anon
      .post(`/api/tickets/${party.code}/push`)
      .send({ secret: party.secret, subscription: { endpoint: device.subscription.endpoint, keys: { p256dh: '!!', auth: '' } } });
    expect(badKeys.status).toBe(400);
    expect(badKeys.body.error.code).toBe('validation_failed');
    expect(await subscriptionCount(party)).toBe(0);

    const phone = await service.anon.post(`/api/games/${game.id}/reservations`).send({ customerName: 'Ned Nash', phone: '+447700900123' });
    expect(phone.status).toBe(400);
    expect(phone.body.error.details).toEqual([{ path: 'phone', message: 'Text messages are off here' }]);
  });
});
