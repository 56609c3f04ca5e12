import { startTestService, type TestService } from '../helpers/testService';

describe('games', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('games');
  });
  afterAll(() => service.stop());

  const create = (body: object) => service.staff.post('/api/games').send(body);

  test('when staff add a game with only a title, the defaults of the contract apply', async () => {
    const res = await create({ title: 'Azul' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      title: 'Azul',
      minPlayers: 1,
      maxPlayers: 4,
      playMinutes: 45,
      copies: 1,
      maxQueue: null,
      copiesInUse: 0,
      waiting: 0,
      // A free copy and nobody waiting: a party joining now is told "now".
      joinWait: { minutes: 0, lowMinutes: 0, highMinutes: 0 },
      active: true,
      autoAdvance: true,
      createdAt: expect.stringMatching(/Z$/),
      updatedAt: expect.stringMatching(/Z$/),
    });
    const fetched = await service.anon.get(`/api/games/${res.body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(res.body);
  });

  test('games are listed by title, publicly', async () => {
    await create({ title: 'Catan', copies: 2, playMinutes: 75, minPlayers: 3 });
    await create({ title: 'Brass', copies: 0 });
    const res = await service.anon.get('/api/games');
    expect(res.status).toBe(200);
    const titles = res.body.map((g: { title: string }) => g.title);
    expect(titles).toEqual([...titles].sort((a: string, b: string) => a.localeCompare(b)));
    expect(titles).toEqual(expect.arrayContaining(['Azul', 'Brass', 'Catan']));
  });

  test('a duplicate title, whatever its case, is a 409', async () => {
    await create({ title: 'Wingspan' }).expect(201);
    const res = await create({ title: '  wINGSPAN ' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'game_title_taken', params: { title: expect.any(String) }, message: expect.stringMatching(/already exists/) });
  });

  test.each([
    [{}, 'title'],
    [{ title: '' }, 'title'],
    [{ title: 'x'.repeat(121) }, 'title'],
    [{ title: 'A', copies: -1 }, 'copies'],
    [{ title: 'A', copies: 1.5 }, 'copies'],
    [{ title: 'A', copies: '2' }, 'copies'],
    [{ title: 'A', minPlayers: 0 }, 'minPlayers'],
    [{ title: 'A', minPlayers: 5, maxPlayers: 2 }, 'minPlayers'],
    [{ title: 'A', playMinutes: 0 }, 'playMinutes'],
    [{ title: 'A', unknown: true }, ''],
    [[], ''],
  ])('creating %j is a 400 naming %s', async (body, path) => {
    const res = await create(body as object);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    if (path) expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    else expect(res.body.error.details.length).toBeGreaterThan(0);
  });

  test('staff change a game; a bad change is a 400 and changes nothing', async () => {
    const game = (await create({ title: 'Pandemic', copies: 1 })).body;
    const res = await service.staff.patch(`/api/games/${game.id}`).send({ copies: 3, playMinutes: 50, autoAdvance: false });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ copies: 3, playMinutes: 50, autoAdvance: false, title: 'Pandemic' });
    expect((await service.staff.patch(`/api/games/${game.id}`).send({ copies: -2 })).status).toBe(400);
    expect((await service.staff.patch(`/api/games/${game.id}`).send({})).status).toBe(400);
    expect((await service.staff.patch(`/api/games/${game.id}`).send({ minPlayers: 9 })).status).toBe(409);
    expect((await service.anon.get(`/api/games/${game.id}`)).body).toMatchObject({ copies: 3, minPlayers: 1 });
  });

  test('renaming a game to an existing title is a 409', async () => {
    const a = (await create({ title: 'Root' })).body;
    await create({ title: 'Everdell' });
    expect((await service.staff.patch(`/api/games/${a.id}`).send({ title: 'everdell' })).status).toBe(409);
  });

  test('unknown games are 404 and bad ids 400', async () => {
    expect((await service.anon.get('/api/games/999999')).status).toBe(404);
    expect((await service.staff.patch('/api/games/999999').send({ copies: 1 })).status).toBe(404);
    expect((await service.staff.delete('/api/games/999999')).status).toBe(404);
    expect((await service.anon.get('/api/games/abc')).status).toBe(400);
    expect((await service.anon.get('/api/games/-1')).status).toBe(400);
  });

  test('a game with a waiting party cannot be deleted (409); once it is cancelled, it can', async () => {
    const game = (await create({ title: 'Patchwork', copies: 1, autoAdvance: false })).body;
    const party = (await service.anon.post(`/api/games/${game.id}/reservations`).send({ customerName: 'Kim Lee' })).body;
    const blocked = await service.staff.delete(`/api/games/${game.id}`);
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.message).toMatch(/waiting, called or seated/);
    await service.staff.post(`/api/reservations/${party.id}/cancel`).expect(200);
    expect((await service.staff.delete(`/api/games/${game.id}`)).status).toBe(204);
    expect((await service.anon.get(`/api/games/${game.id}`)).status).toBe(404);
  });

  test('copiesInUse and waiting count the live queue', async () => {
    const game = (await create({ title: 'Splendor', copies: 1 })).body;
    await service.anon.post(`/api/games/${game.id}/reservations`).send({ customerName: 'A' }).expect(201);
    await service.anon.post(`/api/games/${game.id}/reservations`).send({ customerName: 'B' }).expect(201);
    // Auto-advance calls the first party onto the only copy.
    const deadline = Date.now() + 5000;
    let view = (await service.anon.get(`/api/games/${game.id}`)).body;
    while (view.copiesInUse === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      view = (await service.anon.get(`/api/games/${game.id}`)).body;
    }
    expect(view).toMatchObject({ copiesInUse: 1, waiting: 1 });
  });
});
