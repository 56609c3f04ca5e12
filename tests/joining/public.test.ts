import { startTestService, type TestService } from '../helpers/testService';

describe('tickets and the board', () => {
  let service: TestService;
  let game: { id: number; title: string };
  let alex: { code: string; secret: string; id: number };
  let bo: { code: string; secret: string; id: number };
  beforeAll(async () => {
    service = await startTestService('public', { AUTO_ADVANCE: 'false' });
    game = (await service.staff.post('/api/games').send({ title: 'Ticket to Ride', copies: 1, playMinutes: 30 })).body;
    const join = (customerName: string, tableNumber: number) =>
      service.anon.post(`/api/games/${game.id}/reservations`).send({ customerName, tableNumber, partySize: 2 });
    alex = (await join('Alexandra Rivera-Stone', 17)).body;
    bo = (await join('Bo Dahl', 23)).body;
  });
  afterAll(() => service.stop());

  test("a customer's ticket shows position, estimate and a display name — nothing private", async () => {
    const res = await service.anon.get(`/api/tickets/${bo.code}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      code: bo.code,
      gameId: game.id,
      gameTitle: 'Ticket to Ride',
      displayName: 'Bo D.',
      status: 'waiting',
      position: 2,
      estimatedWaitMinutes: expect.any(Number),
      estimatedWait: { minutes: res.body.estimatedWaitMinutes, lowMinutes: expect.any(Number), highMinutes: expect.any(Number) },
      holdExpiresAt: null,
      language: null,
      gameAvailable: true,
    });
    // Behind one party on a 30-minute game nobody has started: about half an hour, as a range.
    const { minutes, lowMinutes, highMinutes } = res.body.estimatedWait;
    expect(minutes).toBeGreaterThanOrEqual(20);
    expect(minutes).toBeLessThanOrEqual(45);
    expect(lowMinutes).toBeLessThanOrEqual(minutes);
    expect(highMinutes).toBeGreaterThanOrEqual(minutes);
  });

  test('ticket codes are case-insensitive; unknown is 404, malformed is 400', async () => {
    expect((await service.anon.get(`/api/tickets/${bo.code.toLowerCase()}`)).status).toBe(200);
    expect((await service.anon.get('/api/tickets/ZZZZ')).status).toBe(404);
    expect((await service.anon.get('/api/tickets/no%20such%20code!')).status).toBe(400);
  });

  test('the board shows codes, display names, positions and estimates, and no personal data', async () => {
    await service.staff.post(`/api/games/${game.id}/call-next`).expect(200);
    const res = await service.anon.get('/api/board');
    expect(res.status).toBe(200);
    expect(res.body.version).toEqual(expect.any(Number));
    const row = res.body.games.find((g: { id: number }) => g.id === game.id);
    expect(row).toEqual({
      id: game.id,
      title: 'Ticket to Ride',
      copies: 1,
      copiesInUse: 1,
      calling: [{ code: alex.code, displayName: 'Alexandra R.', partySize: 2, position: null, estimatedWaitMinutes: null, estimatedWait: null, holdExpiresAt: expect.any(String) }],
      waiting: [{ code: bo.code, displayName: 'Bo D.', partySize: 2, position: 1, estimatedWaitMinutes: expect.any(Number), estimatedWait: expect.any(Object), holdExpiresAt: null }],
    });
    const text = JSON.stringify(res.body);
    for (const secretThing of ['Rivera', 'Dahl', alex.secret, bo.secret, 'tableNumber', 'customerName', 'secret']) {
      expect(text).not.toContain(secretThing);
    }
    // Table numbers could hide under another name: every entry has exactly these fields.
    for (const entry of [...row.calling, ...row.waiting]) {
      expect(Object.keys(entry).sort()).toEqual(['code', 'displayName', 'estimatedWait', 'estimatedWaitMinutes', 'holdExpiresAt', 'partySize', 'position']);
    }
  });

  test('a customer cancels with the secret; a wrong secret is 403 and changes nothing; twice is 409', async () => {
    const wrong = await service.anon.post(`/api/tickets/${bo.code}/cancel`).send({ secret: 'not-the-secret' });
    expect(wrong.status).toBe(403);
    expect((await service.anon.get(`/api/tickets/${bo.code}`)).body.status).toBe('waiting');
    expect((await service.anon.post(`/api/tickets/${bo.code}/cancel`).send({})).status).toBe(400);
    const ok = await service.anon.post(`/api/tickets/${bo.code}/cancel`).send({ secret: bo.secret });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ code: bo.code, status: 'cancelled', position: null });
    const twice = await service.anon.post(`/api/tickets/${bo.code}/cancel`).send({ secret: bo.secret });
    expect(twice.status).toBe(409);
    expect((await service.anon.post('/api/tickets/ZZZZ/cancel').send({ secret: 'x' })).status).toBe(404);
  });
});

describe('the contract around every request', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('contract');
  });
  afterAll(() => service.stop());

  test('malformed JSON is a 400 in the contract shape, not an HTML page', async () => {
    const res = await service.staff.post('/api/games').set('Content-Type', 'application/json').send('{"title": ');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/json/);
    expect(res.body.error.code).toBe('validation_failed');
  });

  test('a body that is not JSON is a 415', async () => {
    const res = await service.staff.post('/api/games').set('Content-Type', 'text/plain').send('title=Azul');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
    const form = await service.anon.post('/api/auth/login').type('form').send({ username: 'a', password: 'b' });
    expect(form.status).toBe(415);
  });

  test('an oversized body is a 413', async () => {
    const res = await service.staff.post('/api/games').send({ title: 'x'.repeat(50_000) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  test('unknown paths are a JSON 404', async () => {
    const res = await service.anon.get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  test('responses carry helmet headers and a request id (echoed when sent)', async () => {
    const res = await service.anon.get('/api/games').set('X-Request-Id', 'abc-123');
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  test('the OpenAPI document is generated from the route schemas and lists every route', async () => {
    const res = await service.anon.get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    const paths = Object.keys(res.body.paths);
    for (const p of [
      '/api/auth/login',
      '/api/games',
      '/api/games/{id}',
      '/api/games/{id}/reservations',
      '/api/games/{id}/call-next',
      '/api/reservations',
      '/api/reservations/{id}',
      '/api/reservations/{id}/no-show',
      '/api/tickets/{code}',
      '/api/tickets/{code}/cancel',
      '/api/board',
      '/api/stats/today',
      '/health',
    ]) {
      expect(paths).toContain(p);
    }
    const join = res.body.paths['/api/games/{id}/reservations'].post;
    expect(join.requestBody.content['application/json'].schema).toBeDefined();
    expect(res.body.components.schemas.Reservation.properties).toHaveProperty('estimatedWaitMinutes');
    expect(res.body.components.schemas.Game.properties).toHaveProperty('copiesInUse');
    const docs = await service.anon.get('/api/docs/');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger');
  });
});
