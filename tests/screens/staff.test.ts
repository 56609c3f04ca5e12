import { startTestService, type TestService } from '../helpers/testService';
import type { StaffGame } from '../../server/board/board';
import type { Stats } from '../../server/stats/stats';
import { createGame, join } from '../helpers/api';
import { closeAllClients, connect, staffCookie, type Snapshot } from '../helpers/sockets';

interface ConnectError extends Error {
  data?: { code?: string };
}

function connectError(client: ReturnType<typeof connect>, timeoutMs = 5000): Promise<ConnectError> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no connect_error')), timeoutMs);
    client.socket.once('connect_error', (err: ConnectError) => {
      clearTimeout(timer);
      resolve(err);
    });
    client.socket.once('connect', () => reject(new Error('connected without a session')));
  });
}

describe('the /staff namespace', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('rtstaff');
  });
  afterEach(closeAllClients);
  afterAll(() => service.stop());

  test('an anonymous socket is refused with a connect_error, and gets nothing', async () => {
    const client = connect(service.url, '/staff');
    const err = await connectError(client);
    expect(err.message).toMatch(/sign in/i);
    expect(err.data?.code).toBe('unauthenticated');
    // A refusal by the namespace middleware is final: the client does not keep retrying.
    expect(client.socket.active).toBe(false);
    expect(client.received).toEqual([]);
  });

  test('a forged or expired session cookie is refused too', async () => {
    const client = connect(service.url, '/staff', { cookie: 'meeple.sid=s%3Anot-a-session.forged' });
    expect((await connectError(client)).data?.code).toBe('unauthenticated');
  });

  test('a signed-in staff socket gets full reservations and the day\'s stats, live', async () => {
    const cookie = await staffCookie(service);
    const client = connect(service.url, '/staff', { cookie });
    const first = await client.waitFor<Snapshot<StaffGame>>('snapshot');
    await client.waitFor<{ version: number; stats: Stats }>('stats');

    const game = await createGame(service, { copies: 1 });
    const joined = await join(service, game.id, 'Alexandra Rivers', 17);
    const next = await client.waitFor<Snapshot<StaffGame>>('snapshot', (s) =>
      s.games.some((g) => g.id === game.id && [...g.calling, ...g.waiting].some((r) => r.code === joined.code)),
    );
    expect(next.version).toBeGreaterThan(first.version);
    const live = next.games.find((g) => g.id === game.id)!;
    expect([...live.calling, ...live.waiting].find((r) => r.code === joined.code)).toMatchObject({
      id: joined.id,
      customerName: 'Alexandra Rivers',
      tableNumber: 17,
    });
    expect(live).toMatchObject({ autoAdvance: true, copies: 1 });
    expect(JSON.stringify(next)).not.toContain('secret');

    // Being called moves today's numbers (a join alone does not): fresh stats follow, from a
    // flush at or after the first snapshot that shows the call.
    const calling = await client.waitFor<Snapshot<StaffGame>>('snapshot', (s) =>
      s.games.some((g) => g.id === game.id && g.calling.some((r) => r.code === joined.code)),
    );
    const stats = await client.waitFor<{ version: number; stats: Stats }>('stats', (s) => s.version >= calling.version);
    expect(stats.stats).toEqual(expect.objectContaining({ served: expect.any(Number), perGame: expect.any(Array) }));
  });

  test('the session is read over long-polling as well as websocket', async () => {
    const client = connect(service.url, '/staff', { cookie: await staffCookie(service), transports: ['polling'] });
    await client.waitFor<Snapshot<StaffGame>>('snapshot');
    const anonymous = connect(service.url, '/staff', { transports: ['polling'] });
    expect((await connectError(anonymous)).data?.code).toBe('unauthenticated');
  });

  test('staff see every game, the board only active ones or ones with parties', async () => {
    const cookie = await staffCookie(service);
    const game = await createGame(service);
    expect((await service.staff.patch(`/api/games/${game.id}`).send({ active: false })).status).toBe(200);
    const staff = connect(service.url, '/staff', { cookie });
    const board = connect(service.url, '/board');
    const staffSnapshot = await staff.waitFor<Snapshot<StaffGame>>('snapshot');
    const boardSnapshot = await board.waitFor<Snapshot<StaffGame>>('snapshot');
    expect(staffSnapshot.games.map((g) => g.id)).toContain(game.id);
    expect(boardSnapshot.games.map((g) => g.id)).not.toContain(game.id);
  });

  test('after signing out, a staff socket that asks for more is let go', async () => {
    const cookie = await staffCookie(service);
    const client = connect(service.url, '/staff', { cookie });
    await client.waitFor('snapshot');
    expect((await service.anon.post('/api/auth/logout').set('cookie', cookie).send()).status).toBe(204);
    const dropped = new Promise<string>((resolve) => client.socket.once('disconnect', resolve));
    client.socket.emit('resync');
    expect(await dropped).toBe('io server disconnect');
    // And it cannot come back without signing in again.
    client.socket.connect();
    expect((await connectError(client)).data?.code).toBe('unauthenticated');
  });

  test('resync gives a staff screen a fresh snapshot and stats', async () => {
    const client = connect(service.url, '/staff', { cookie: await staffCookie(service) });
    await client.waitFor('stats');
    const from = client.received.length;
    client.socket.emit('resync');
    await client.waitFor('snapshot', () => true, 5000, from);
    await client.waitFor('stats', () => true, 5000, from);
  });
});
