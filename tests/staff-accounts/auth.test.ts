import request from 'supertest';
import { apiRoutes } from '../../server/app';
import { ADMIN, startTestService, type TestService } from '../helpers/testService';

describe('staff auth', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('auth', { LOGIN_RATE_LIMIT: '3' });
  });
  afterAll(() => service.stop());

  test('when staff sign in with the right password, they get their user and an httpOnly SameSite cookie', async () => {
    const res = await service.anon.post('/api/auth/login').send(ADMIN);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user: { id: expect.any(Number), username: 'admin', role: 'admin' } });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/meeple\.sid=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  test('/api/auth/me tells who is signed in, and 401 without a session', async () => {
    expect((await service.staff.get('/api/auth/me')).body.user.username).toBe('admin');
    const anon = await service.anon.get('/api/auth/me');
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('unauthenticated');
  });

  test('the session is kept in Redis under the service prefix', async () => {
    const keys = await service.ctx.redis.keys(`${service.name}:sess:*`);
    expect(keys.length).toBeGreaterThan(0);
  });

  test('an unknown user and a wrong password get the same 401 message', async () => {
    const unknown = await service.anon.post('/api/auth/login').send({ username: 'nobody', password: 'whatever' });
    const wrong = await service.anon.post('/api/auth/login').send({ username: 'admin', password: 'wrong-password' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
  });

  test('a login without a password is a 400 with field details', async () => {
    const res = await service.anon.post('/api/auth/login').send({ username: 'admin' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'password' })]));
  });

  test('repeated failures are throttled with 429 and Retry-After, even with the right password then', async () => {
    const attempt = (password: string) => service.anon.post('/api/auth/login').send({ username: 'throttled', password });
    await service.staff.post('/api/users').send({ username: 'throttled', password: 'correct-horse-1', role: 'staff' }).expect(201);
    for (let i = 0; i < 3; i += 1) expect((await attempt('nope')).status).toBe(401);
    const blocked = await attempt('correct-horse-1');
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toMatchObject({ code: 'too_many_sign_ins', params: { seconds: expect.any(Number) } });
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });

  test('logout ends the session', async () => {
    const agent = await service.signIn();
    expect((await agent.post('/api/auth/logout')).status).toBe(204);
    expect((await agent.get('/api/auth/me')).status).toBe(401);
  });

  test('admins manage staff accounts; staff cannot (403)', async () => {
    const created = await service.staff.post('/api/users').send({ username: 'sam', password: 'a-long-password', role: 'staff' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(Number), username: 'sam', role: 'staff' });
    const taken = await service.staff.post('/api/users').send({ username: 'sam', password: 'a-long-password' });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'username_taken', params: { username: 'sam' } });
    expect((await service.staff.post('/api/users').send({ username: 'x', password: 'short' })).status).toBe(400);

    const sam = request.agent(service.url);
    await sam.post('/api/auth/login').send({ username: 'sam', password: 'a-long-password' }).expect(200);
    expect((await sam.get('/api/users')).status).toBe(403);
    expect((await sam.get('/api/games')).status).toBe(200);

    const list = await service.staff.get('/api/users');
    expect(list.body.map((u: { username: string }) => u.username)).toEqual(expect.arrayContaining(['admin', 'sam']));
    const me = (await service.staff.get('/api/auth/me')).body.user;
    const self = await service.staff.delete(`/api/users/${me.id}`);
    expect(self.status).toBe(409);
    expect(self.body.error.code).toBe('cannot_delete_self');
    expect((await service.staff.delete(`/api/users/${created.body.id}`)).status).toBe(204);
    expect((await service.staff.delete(`/api/users/${created.body.id}`)).status).toBe(404);
  });

  test('every staff route answers 401 without a session', async () => {
    const staffRoutes = apiRoutes.filter((r) => r.access !== 'public');
    expect(staffRoutes.length).toBeGreaterThanOrEqual(15);
    for (const route of staffRoutes) {
      const path = route.path.replace(/:id/g, '1');
      const res = await service.anon[route.method](path).send(route.method === 'get' || route.method === 'delete' ? undefined : {});
      expect({ route: `${route.method} ${route.path}`, status: res.status, code: res.body.error?.code }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 401,
        code: 'unauthenticated',
      });
    }
  });

  test('Bull Board is for staff only', async () => {
    expect((await service.anon.get('/staff/queues').set('Accept', 'application/json')).status).toBe(401);
    const browser = await service.anon.get('/staff/queues').set('Accept', 'text/html');
    expect(browser.status).toBe(302);
    expect(browser.headers.location).toBe('/staff');
    expect((await service.staff.get('/staff/queues').set('Accept', 'text/html')).status).toBe(200);
  });
});
