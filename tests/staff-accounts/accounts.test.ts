import { io, type Socket } from 'socket.io-client';
import { loadConfig } from '../../server/config';
import { ACCOUNT_CACHE_MS } from '../../server/auth/accounts';
import { eventually, startTestService, testEnv, uniqueName, type TestService } from '../helpers/testService';
import { attemptSignIn, cookieFrom, createAccount, signInAs } from './accountHelpers';

/** A /staff socket with this session cookie; resolves once connected. */
async function staffSocket(service: TestService, session: string): Promise<Socket> {
  const socket = io(`${service.url}/staff`, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie: session } });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}
const sockets: Socket[] = [];

/** The reason the server gave for closing `socket`, or a failure after `timeoutMs`. */
function disconnection(socket: Socket, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still connected after ${timeoutMs} ms`)), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** How long a change may take to reach a socket: the cache's staleness plus a re-check period, with room for a slow machine. */
const SOCKET_CUTOFF_MS = 4 * ACCOUNT_CACHE_MS + 5000;

describe('staff accounts are checked again on every request and socket', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('accounts');
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(() => service.stop());

  const get = (path: string, session: string) => service.anon.get(path).set('Cookie', session);
  const post = (path: string, session: string, body: object = {}) => service.anon.post(path).set('Cookie', session).send(body);

  test("a deleted account's /staff socket is cut off within seconds, and its cookie is refused on the next request", async () => {
    const dana = await createAccount(service, 'dana', 'admin');
    const { session } = await signInAs(service, dana);
    expect((await get('/api/users', session)).status).toBe(200);
    const socket = await staffSocket(service, session);
    const closed = disconnection(socket, SOCKET_CUTOFF_MS);

    expect((await service.staff.delete(`/api/users/${dana.id}`)).status).toBe(204);
    expect(await closed).toBe('io server disconnect');

    const creates = await post('/api/users', session, { username: 'ghost', password: 'ghost-password-1', role: 'admin' });
    expect(creates.status).toBe(401);
    expect(creates.body.error.code).toBe('unauthenticated');
    expect((await get('/api/reservations', session)).status).toBe(401);
    expect((await service.staff.get('/api/users')).body.map((u: { username: string }) => u.username)).not.toContain('ghost');
    await expect(staffSocket(service, session)).rejects.toMatchObject({ data: { code: 'unauthenticated' } });
  });

  test('a demoted admin cannot create accounts from the very next request, and sees the new role', async () => {
    const erin = await createAccount(service, 'erin', 'admin');
    const { session } = await signInAs(service, erin);
    expect((await post('/api/users', session, { username: 'erin-made', password: 'erin-made-password' })).status).toBe(201);

    const demoted = await service.staff.patch(`/api/users/${erin.id}`).send({ role: 'staff' });
    expect(demoted.status).toBe(200);
    expect(demoted.body).toEqual({ id: erin.id, username: 'erin', role: 'staff' });

    const refused = await post('/api/users', session, { username: 'erin-again', password: 'erin-again-password' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('admin_only');
    expect((await get('/api/auth/me', session)).body).toEqual({ user: { id: erin.id, username: 'erin', role: 'staff' } });
    // Still staff: the queues stay open to her.
    expect((await get('/api/reservations', session)).status).toBe(200);
  });

  test('role changes: not one\'s own (409), only known accounts (404), only known roles (400), only by admins (403)', async () => {
    const me = (await service.staff.get('/api/auth/me')).body.user;
    const own = await service.staff.patch(`/api/users/${me.id}`).send({ role: 'staff' });
    expect(own.status).toBe(409);
    expect(own.body.error.code).toBe('cannot_change_own_role');
    const unknown = await service.staff.patch('/api/users/999999').send({ role: 'staff' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('user_not_found');
    const bad = await service.staff.patch(`/api/users/${me.id}`).send({ role: 'owner' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ path: 'role' })]);
    const finn = await createAccount(service, 'finn', 'staff');
    const { session } = await signInAs(service, finn);
    expect((await service.anon.patch(`/api/users/${finn.id}`).set('Cookie', session).send({ role: 'admin' })).status).toBe(403);
    expect((await service.staff.get('/api/users')).body).toEqual(expect.arrayContaining([{ id: finn.id, username: 'finn', role: 'staff' }]));
  });

  test('changing your own password needs the current one, keeps this session and ends the others (HTTP and socket)', async () => {
    const fay = await createAccount(service, 'fay', 'staff');
    const tablet = await signInAs(service, fay);
    const phone = await signInAs(service, fay);
    const phoneSocket = await staffSocket(service, phone.session);

    const wrong = await post('/api/auth/password', tablet.session, { currentPassword: 'not-her-password', newPassword: 'fay-new-password-2' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details).toEqual([{ path: 'currentPassword', message: 'Wrong password' }]);
    const short = await post('/api/auth/password', tablet.session, { currentPassword: fay.password, newPassword: 'too-short' });
    expect(short.status).toBe(400);
    expect(short.body.error.details).toEqual([{ path: 'newPassword', message: 'At least 10 characters' }]);
    expect((await get('/api/auth/me', phone.session)).status).toBe(200);

    const closed = disconnection(phoneSocket, SOCKET_CUTOFF_MS);
    const changed = await post('/api/auth/password', tablet.session, { currentPassword: fay.password, newPassword: 'fay-new-password-2' });
    expect(changed.status).toBe(204);
    // A new session id for the session that changed it; the old id is gone.
    const renewed = cookieFrom(changed, 'meeple.sid')!;
    expect(renewed).toBeDefined();
    expect((await get('/api/auth/me', renewed)).body.user.username).toBe('fay');
    expect((await get('/api/auth/me', tablet.session)).status).toBe(401);
    expect((await get('/api/auth/me', phone.session)).status).toBe(401);
    expect(await closed).toBe('io server disconnect');

    expect((await attemptSignIn(service, fay)).status).toBe(401);
    expect((await attemptSignIn(service, { username: 'fay', password: 'fay-new-password-2' })).status).toBe(200);
  });

  test('an admin resets a password: the old one stops working, the new one works, and every session of that account ends', async () => {
    const gus = await createAccount(service, 'gus', 'staff');
    const { session } = await signInAs(service, gus);
    const reset = (id: number, password: string, as = service.staff) => as.post(`/api/users/${id}/password`).send({ password });

    expect((await reset(gus.id, 'short')).status).toBe(400);
    expect((await reset(999999, 'long-enough-password')).status).toBe(404);
    const me = (await service.staff.get('/api/auth/me')).body.user;
    const own = await reset(me.id, 'long-enough-password');
    expect(own.status).toBe(409);
    expect(own.body.error.code).toBe('cannot_reset_own_password');
    expect((await service.anon.post(`/api/users/${gus.id}/password`).set('Cookie', session).send({ password: 'gus-chose-this-1' })).status).toBe(403);
    expect((await get('/api/auth/me', session)).status).toBe(200);

    expect((await reset(gus.id, 'gus-reset-password')).status).toBe(204);
    expect((await get('/api/auth/me', session)).status).toBe(401);
    expect((await attemptSignIn(service, gus)).status).toBe(401);
    expect((await attemptSignIn(service, { username: 'gus', password: 'gus-reset-password' })).status).toBe(200);
  });

  test('the first admin follows the same password rule as every account', async () => {
    const nineCharacters = 'nine-char';
    expect(() => loadConfig(testEnv(uniqueName('rule'), { ADMIN_PASSWORD: nineCharacters }))).toThrow(/ADMIN_PASSWORD: At least 10 characters/);
    const res = await service.staff.post('/api/users').send({ username: 'nina', password: nineCharacters });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'password', message: 'At least 10 characters' }]);
    expect(loadConfig(testEnv(uniqueName('rule'), { ADMIN_PASSWORD: `${nineCharacters}!` })).admin.password).toBe('nine-char!');
  });
});

describe('across instances', () => {
  let a: TestService;
  let b: TestService;
  beforeAll(async () => {
    a = await startTestService('accounts2');
    b = await startTestService('accounts2', {}, a.name);
  });
  afterAll(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    await b.stop({ keepData: true });
    await a.stop();
  });

  test('deleting an account on one instance ends its access on another within the cache time, socket included', async () => {
    const hal = await createAccount(a, 'hal', 'staff');
    const { session } = await signInAs(b, hal);
    const socket = await staffSocket(b, session);
    const closed = disconnection(socket, SOCKET_CUTOFF_MS);
    expect((await b.anon.get('/api/reservations').set('Cookie', session)).status).toBe(200);

    expect((await a.staff.delete(`/api/users/${hal.id}`)).status).toBe(204);
    expect(await closed).toBe('io server disconnect');
    expect((await b.anon.get('/api/reservations').set('Cookie', session)).status).toBe(401);
  });

  test('a demotion made on one instance reaches the others within the cache time', async () => {
    const ivy = await createAccount(a, 'ivy', 'admin');
    const { session } = await signInAs(b, ivy);
    expect((await b.anon.get('/api/users').set('Cookie', session)).status).toBe(200);
    expect((await a.staff.patch(`/api/users/${ivy.id}`).send({ role: 'staff' })).status).toBe(200);
    await eventually(async () => (await b.anon.get('/api/users').set('Cookie', session)).status === 403, SOCKET_CUTOFF_MS, 100);
    expect((await b.anon.get('/api/reservations').set('Cookie', session)).status).toBe(200);
  });
});
