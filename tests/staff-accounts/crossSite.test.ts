import request from 'supertest';
import { io, type Socket } from 'socket.io-client';
import { loadConfig } from '../../server/config';
import { ADMIN, startTestService, testEnv, uniqueName, type TestService } from '../helpers/testService';
import { createGame, getReservation, join } from '../helpers/api';
import { signInAs } from './accountHelpers';

const EVIL = 'https://evil.example';

/** Connects to /staff with these headers; resolves 'connected' or the refusal's code. */
function staffHandshake(service: TestService, headers: Record<string, string>): Promise<string> {
  const socket: Socket = io(`${service.url}/staff`, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: headers });
  return new Promise<string>((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (err: Error & { data?: { code?: string } }) => resolve(err.data?.code ?? err.message));
  }).finally(() => socket.disconnect());
}

describe('state changes from another site are refused', () => {
  let service: TestService;
  let session: string;
  beforeAll(async () => {
    service = await startTestService('crosssite', { AUTO_ADVANCE: 'false' });
    session = (await signInAs(service, ADMIN)).session;
  });
  afterAll(() => service.stop());

  const callNext = (gameId: number, headers: Record<string, string>) => {
    let req = service.anon.post(`/api/games/${gameId}/call-next`).set('Cookie', session);
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
    return req;
  };

  test('a body-less call-next with the staff cookie from another site is a 403 cross_site and calls nobody', async () => {
    const game = await createGame(service);
    const waiting = await join(service, game.id);
    const crossSite: Array<Record<string, string>> = [
      { Origin: EVIL },
      { Origin: 'null' },
      // A same-site host (which SameSite=Lax lets through) is another origin all the same.
      { Host: 'queue.cafe.test', Origin: 'http://menu.cafe.test' },
      { 'Sec-Fetch-Site': 'cross-site' },
      { 'Sec-Fetch-Site': 'same-site' },
    ];
    for (const headers of crossSite) {
      const res = await callNext(game.id, headers);
      expect({ headers, status: res.status, body: res.body }).toEqual({
        headers,
        status: 403,
        body: { error: { code: 'cross_site', message: expect.stringMatching(/another site/), params: {}, details: [] } },
      });
    }
    expect((await getReservation(service, waiting.id)).status).toBe('waiting');
  });

  test('the same call-next from the service\'s own pages goes through', async () => {
    const game = await createGame(service);
    const waiting = await join(service, game.id);
    const res = await callNext(game.id, { Origin: service.url, 'Sec-Fetch-Site': 'same-origin' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: waiting.id, status: 'called' });
    // Behind Nginx the Host carries no port, so only the host name is compared.
    const other = await createGame(service);
    await join(service, other.id);
    expect((await callNext(other.id, { Host: 'queue.cafe.test', Origin: 'https://queue.cafe.test:8443' })).status).toBe(200);
  });

  test('a request with neither Origin nor Sec-Fetch-Site is not from a browser, and is let through', async () => {
    const game = await createGame(service);
    await join(service, game.id);
    expect((await callNext(game.id, {})).status).toBe(200);
    expect((await callNext(game.id, { 'Sec-Fetch-Site': 'none' })).status).toBe(409);
  });

  test('phones join from the service\'s own pages; a join posted from another site is refused', async () => {
    const game = await createGame(service);
    const body = { customerName: 'Robin Hale', partySize: 2 };
    const own = await service.anon.post(`/api/games/${game.id}/reservations`).set('Origin', service.url).send(body);
    expect(own.status).toBe(201);
    const evil = await service.anon.post(`/api/games/${game.id}/reservations`).set('Origin', EVIL).send(body);
    expect(evil.status).toBe(403);
    expect(evil.body.error.code).toBe('cross_site');
    const queue = (await service.staff.get(`/api/reservations?gameId=${game.id}`)).body as unknown[];
    expect(queue).toHaveLength(1);
  });

  test('reads are not affected: a GET from another site still answers', async () => {
    expect((await service.anon.get('/api/board').set('Origin', EVIL).set('Sec-Fetch-Site', 'cross-site')).status).toBe(200);
  });

  test('a /staff socket opened from another site is refused; from the service\'s own page it connects', async () => {
    expect(await staffHandshake(service, { cookie: session, origin: EVIL })).toBe('cross_site');
    expect(await staffHandshake(service, { cookie: session, origin: 'http://menu.127.0.0.1.nip.io' })).toBe('cross_site');
    expect(await staffHandshake(service, { cookie: session, origin: service.url })).toBe('connected');
  });
});

describe('PUBLIC_ORIGINS', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('origins', { PUBLIC_ORIGINS: 'https://queue.cafe.example, https://tv.cafe.example/' });
  });
  afterAll(() => service.stop());

  test('only the listed origins may change state, whatever the Host says', async () => {
    const logout = (origin: string) => request(service.url).post('/api/auth/logout').set('Origin', origin);
    expect((await logout('https://queue.cafe.example')).status).toBe(204);
    expect((await logout('https://tv.cafe.example')).status).toBe(204);
    expect((await logout(service.url)).status).toBe(403);
    expect((await logout('http://queue.cafe.example')).status).toBe(403);
  });

  test('each entry must be an origin', () => {
    expect(() => loadConfig(testEnv(uniqueName('origins'), { PUBLIC_ORIGINS: 'queue.cafe.example' }))).toThrow(/PUBLIC_ORIGINS/);
    expect(() => loadConfig(testEnv(uniqueName('origins'), { PUBLIC_ORIGINS: 'https://queue.cafe.example/staff' }))).toThrow(/PUBLIC_ORIGINS/);
  });
});
