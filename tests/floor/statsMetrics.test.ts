import { startTestService, type TestService } from '../helpers/testService';
import { act, createGame, join } from '../helpers/api';

/** The value of one Prometheus sample, e.g. metric(text, 'meeple_joins_total', { game_id: '1' }). */
function metric(text: string, name: string, labels: Record<string, string> = {}): number {
  const line = text.split('\n').find((l) => {
    if (!l.startsWith(`${name}{`) && !l.startsWith(`${name} `)) return false;
    return Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`));
  });
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe("today's statistics, metrics and Bull Board", () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService('qstats', { AUTO_ADVANCE: 'false' });
  });
  afterAll(() => service?.stop());

  const ok = async (id: number, ...steps: string[]) => {
    for (const step of steps) expect((await act(service, id, step)).status).toBe(200);
  };
  /** A party that has waited `minutes` already: enqueuedAt moved back in MySQL. */
  const waitedFor = (id: number, minutes: number) =>
    service.ctx.knex.raw('UPDATE reservations SET enqueued_at = CURRENT_TIMESTAMP(3) - INTERVAL ? SECOND WHERE id = ?', [minutes * 60, id]);

  test('after a scripted evening (seat, finish, no-show, cancel) the numbers add up, in /api/stats/today and /metrics', async () => {
    const before = await service.anon.get('/metrics');
    const catan = await createGame(service, { title: 'Catan Evening', copies: 3 });
    const azul = await createGame(service, { title: 'Azul Evening', copies: 2 });

    const p1 = await join(service, catan.id, 'Played Through');
    await waitedFor(p1.id, 10);
    await ok(p1.id, 'call', 'seat', 'finish');
    const p2 = await join(service, catan.id, 'Never Came');
    await waitedFor(p2.id, 20);
    await ok(p2.id, 'call', 'no-show');
    const p3 = await join(service, catan.id, 'Changed Mind');
    await ok(p3.id, 'cancel');
    const p4 = await join(service, catan.id, 'Still Playing');
    await ok(p4.id, 'call', 'seat');
    await join(service, catan.id, 'Still Waiting');

    const q1 = await join(service, azul.id, 'Azul Player');
    await ok(q1.id, 'call', 'seat');
    const q2 = await join(service, azul.id, 'Left Early');
    expect((await service.anon.post(`/api/tickets/${q2.code}/cancel`).send({ secret: q2.secret })).status).toBe(200);
    const q3 = await join(service, azul.id, 'Called Then Left');
    await ok(q3.id, 'call', 'cancel');

    expect((await service.anon.get('/api/stats/today')).status).toBe(401);
    const stats = await service.staff.get('/api/stats/today');
    expect(stats.status).toBe(200);
    // Called waits: 10, 20, 0 (Catan) and 0, 0 (Azul) minutes → mean 6, p90 (nearest rank) 20.
    expect(stats.body).toMatchObject({ served: 3, noShows: 1, cancelled: 3, meanWaitMinutes: 6, p90WaitMinutes: 20 });
    expect(stats.body.perGame).toEqual([
      { gameId: catan.id, title: 'Catan Evening', served: 2, meanWaitMinutes: 10 },
      { gameId: azul.id, title: 'Azul Evening', served: 1, meanWaitMinutes: 0 },
    ]);

    const after = await service.anon.get('/metrics');
    expect(after.status).toBe(200);
    const delta = (name: string, labels: Record<string, string> = {}) => metric(after.text, name, labels) - metric(before.text, name, labels);
    expect(delta('meeple_joins_total', { game_id: String(catan.id) })).toBe(5);
    expect(delta('meeple_joins_total', { game_id: String(azul.id) })).toBe(3);
    expect(delta('meeple_calls_total', { game_id: String(catan.id) })).toBe(3);
    expect(delta('meeple_calls_total', { game_id: String(azul.id) })).toBe(2);
    expect(delta('meeple_no_shows_total', { game_id: String(catan.id) })).toBe(1);
    expect(delta('meeple_wait_seconds_count')).toBe(5);
    expect(metric(after.text, 'meeple_waiting_parties', { game_id: String(catan.id), game: 'Catan Evening' })).toBe(1);
    expect(metric(after.text, 'meeple_waiting_parties', { game_id: String(azul.id), game: 'Azul Evening' })).toBe(0);
  });

  test('Bull Board at /staff/queues: 401 for an API client and a redirect for a browser without a session, 200 for staff', async () => {
    const api = await service.anon.get('/staff/queues').set('Accept', 'application/json');
    expect(api.status).toBe(401);
    expect(api.body.error.code).toBe('unauthenticated');
    const browser = await service.anon.get('/staff/queues').set('Accept', 'text/html');
    expect(browser.status).toBe(302);
    expect(browser.headers.location).toBe('/staff');
    const page = await service.staff.get('/staff/queues').set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<html/i);
    const queues = await service.staff.get('/staff/queues/api/queues').set('Accept', 'application/json');
    expect(queues.status).toBe(200);
    expect(JSON.stringify(queues.body)).toContain('queue-engine');
    expect((await service.anon.get('/staff/queues/api/queues').set('Accept', 'application/json')).status).toBe(401);
  });
});
