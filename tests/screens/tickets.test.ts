import { startTestService, type TestService } from '../helpers/testService';
import type { WatchAck } from '../../server/realtime/contract';
import { createGame, join } from '../helpers/api';
import { closeAllClients, connect, type Client } from '../helpers/sockets';

interface TicketEvent {
  version: number;
  code: string;
  gameId: number;
  gameTitle: string;
  displayName: string;
  status: string;
  position: number | null;
  estimatedWaitMinutes: number | null;
  holdExpiresAt: string | null;
}

interface CalledEvent {
  version: number;
  code: string;
  gameTitle: string;
  holdExpiresAt: string | null;
}

function watch(client: Client, code: string): Promise<WatchAck> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no acknowledgement for watch')), 5000);
    client.socket.emit('watch', { code }, (ack: WatchAck) => {
      clearTimeout(timer);
      resolve(ack);
    });
  });
}

describe('the /ticket namespace', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('rtticket', { AUTO_ADVANCE: 'false' });
  });
  afterEach(closeAllClients);
  afterAll(() => service.stop());

  test('watching a code answers at once with the ticket, the same body as GET /api/tickets/:code plus a version', async () => {
    const game = await createGame(service);
    const joined = await join(service, game.id, 'Alexandra Rivers');
    const client = connect(service.url, '/ticket');
    expect(await watch(client, joined.code.toLowerCase())).toEqual({ ok: true });
    const ticket = await client.waitFor<TicketEvent>('ticket');
    const { version, ...body } = ticket;
    expect(body).toEqual((await service.anon.get(`/api/tickets/${joined.code}`)).body);
    expect(version).toEqual(expect.any(Number));
    expect(body).toMatchObject({ code: joined.code, displayName: 'Alexandra R.', status: 'waiting', position: 1 });
  });

  test('a malformed or unknown code is answered, not silently ignored', async () => {
    const client = connect(service.url, '/ticket');
    expect(await watch(client, '!!')).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(await watch(client, 'AAAA')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(client.all('ticket')).toEqual([]);
  });

  test('a watcher follows its position, and gets `called` when staff call it', async () => {
    const game = await createGame(service, { copies: 1 });
    const first = await join(service, game.id, 'Ann First');
    const second = await join(service, game.id, 'Bo Second');
    const client = connect(service.url, '/ticket');
    await watch(client, second.code);
    await client.waitFor<TicketEvent>('ticket', (t) => t.position === 2);

    // The party ahead leaves: the watcher moves up without asking.
    expect((await service.staff.post(`/api/reservations/${first.id}/cancel`).send({})).status).toBe(200);
    const moved = await client.waitFor<TicketEvent>('ticket', (t) => t.position === 1);

    expect((await service.staff.post(`/api/games/${game.id}/call-next`).send({})).status).toBe(200);
    const called = await client.waitFor<CalledEvent>('called');
    expect(called).toEqual({ version: expect.any(Number), code: second.code, gameTitle: game.title, holdExpiresAt: expect.any(String) });
    expect(called.version).toBeGreaterThan(moved.version);
    // The flush that announces the call also sends the ticket, under the same version. (A flush
    // for the earlier change may already show it called, if it read after the call committed.)
    const ticket = await client.waitFor<TicketEvent>('ticket', (t) => t.status === 'called' && t.version === called.version);
    expect(ticket.holdExpiresAt).toBe(called.holdExpiresAt);
    // Other phones hear nothing about this ticket.
    expect(client.all<TicketEvent>('ticket').every((t) => t.code === second.code)).toBe(true);
  });

  test('a watcher learns that its ticket ended (cancelled by staff)', async () => {
    const game = await createGame(service);
    const joined = await join(service, game.id);
    const client = connect(service.url, '/ticket');
    await watch(client, joined.code);
    await client.waitFor('ticket');
    expect((await service.staff.post(`/api/reservations/${joined.id}/cancel`).send({})).status).toBe(200);
    await client.waitFor<TicketEvent>('ticket', (t) => t.status === 'cancelled' && t.position === null);
  });

  test('a watcher learns that its reservation was deleted by staff, and only that watcher', async () => {
    const game = await createGame(service);
    const gone = await join(service, game.id, 'Gone Soon');
    const stays = await join(service, game.id, 'Stays Here');
    const goneWatcher = connect(service.url, '/ticket');
    const staysWatcher = connect(service.url, '/ticket');
    await watch(goneWatcher, gone.code);
    await watch(staysWatcher, stays.code);
    await goneWatcher.waitFor('ticket');
    expect((await service.staff.delete(`/api/reservations/${gone.id}`)).status).toBe(204);
    const notice = await goneWatcher.waitFor<{ version: number; code: string }>('removed');
    expect(notice).toEqual({ version: expect.any(Number), code: gone.code });
    // The other party moved up, and was not told anything was removed.
    await staysWatcher.waitFor<TicketEvent>('ticket', (t) => t.position === 1 && t.version === notice.version);
    expect(staysWatcher.all('removed')).toEqual([]);
  });

  test('watching another code leaves the previous one', async () => {
    const game = await createGame(service, { copies: 2 });
    const a = await join(service, game.id, 'Ann A');
    const b = await join(service, game.id, 'Bo B');
    const client = connect(service.url, '/ticket');
    await watch(client, a.code);
    await watch(client, b.code);
    await client.waitFor<TicketEvent>('ticket', (t) => t.code === b.code);
    const from = client.received.length;
    await service.staff.patch(`/api/reservations/${a.id}`).send({ partySize: 4 });
    await service.staff.patch(`/api/reservations/${b.id}`).send({ partySize: 3 });
    await client.waitFor<TicketEvent>('ticket', (t) => t.code === b.code, 5000, from);
    expect(client.received.slice(from).some((r) => (r.payload as TicketEvent).code === a.code)).toBe(false);
  });
});

describe('calls made by the queue workers', () => {
  let service: TestService;
  beforeAll(async () => {
    // A 1.2 s hold, so the hold-expiry job fires within the test.
    service = await startTestService('rtholds', { HOLD_MINUTES: '0.02' });
  });
  afterEach(closeAllClients);
  afterAll(() => service.stop());

  test('when a hold runs out, the next party is called automatically and its watcher gets `called`', async () => {
    const game = await createGame(service, { copies: 1 });
    const watcherA = connect(service.url, '/ticket');
    const a = await join(service, game.id, 'Ann Early');
    await watch(watcherA, a.code);
    // Auto-advance (a BullMQ job) calls A, the only party, maybe before the watch began:
    // either way the watcher's ticket ends up saying so.
    await watcherA.waitFor<TicketEvent>('ticket', (t) => t.status === 'called');

    const b = await join(service, game.id, 'Bo Later');
    const watcherB = connect(service.url, '/ticket');
    await watch(watcherB, b.code);
    await watcherB.waitFor<TicketEvent>('ticket', (t) => t.status === 'waiting' && t.position === 1);

    const calledB = await watcherB.waitFor<CalledEvent>('called', (c) => c.code === b.code, 10_000);
    expect(calledB).toMatchObject({ code: b.code, gameTitle: game.title });
    expect(Date.parse(calledB.holdExpiresAt!)).toBeGreaterThan(Date.now() - 1000);
    await watcherA.waitFor<TicketEvent>('ticket', (t) => t.status === 'no_show', 5000);
  });
});
