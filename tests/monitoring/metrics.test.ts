/**
 * Issue 17: what /metrics tells an operator, read from a real app instance on real MariaDB
 * and Redis: the queues per game, owed calls, overdue holds, jobs, reconcile, HTTP by route,
 * sockets, realtime flushes, dependencies and the version. And what a scrape costs: one
 * MySQL statement, whatever the number of games.
 */
import { createGame, join } from '../helpers/api';
import { closeAllClients, connect } from '../helpers/sockets';
import { parseExposition, sampleValue, type Sample } from '../helpers/prometheus';
import { eventually, startTestService, type TestService } from '../helpers/testService';
import Redis from 'ioredis';
import { reconcile } from '../../server/queue/reconcile';
import { createKnex } from '../../server/db/knex';
import { createMetrics } from '../../server/metrics/metrics';
import { freePort } from '../helpers/appProcess';

async function scrape(service: TestService): Promise<Sample[]> {
  const res = await service.anon.get('/metrics');
  expect(res.status).toBe(200);
  return parseExposition(res.text);
}

/** Scrapes until `ok` holds (within eventually's time), and returns that scrape. */
async function scrapeUntil(service: TestService, ok: (samples: Sample[]) => boolean): Promise<Sample[]> {
  let last: Sample[] = [];
  await eventually(async () => ok((last = await scrape(service))));
  return last;
}

describe('with the engine stopped (RUN_WORKERS=false): a stuck queue shows', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('obsstuck', { RUN_WORKERS: 'false' });
  });
  afterAll(async () => {
    closeAllClients();
    await service?.stop();
  });

  test('a waiting party and a free copy with auto-advance on is an owed call, per game; reconcile pays it and says so', async () => {
    const stuck = await createGame(service, { copies: 2 });
    const manual = await createGame(service, { copies: 1, autoAdvance: false });
    await join(service, stuck.id, 'Sam One');
    await join(service, stuck.id, 'Sam Two');
    await join(service, stuck.id, 'Sam Three');
    await join(service, manual.id, 'Kim');

    let samples = await scrape(service);
    const game = { game_id: String(stuck.id), game: stuck.title };
    expect(sampleValue(samples, 'meeple_waiting_parties', game)).toBe(3);
    // two copies free, three waiting: two calls owed
    expect(sampleValue(samples, 'meeple_owed_calls', game)).toBe(2);
    expect(sampleValue(samples, 'meeple_game_copies', game)).toBe(2);
    // staff call by hand where auto-advance is off: nothing is owed
    expect(sampleValue(samples, 'meeple_waiting_parties', { game_id: String(manual.id) })).toBe(1);
    expect(sampleValue(samples, 'meeple_owed_calls', { game_id: String(manual.id) })).toBe(0);
    expect(sampleValue(samples, 'meeple_reconcile_repairs_total', { repair: 'call' })).toBe(0);

    await reconcile(service.ctx);
    samples = await scrape(service);
    expect(sampleValue(samples, 'meeple_owed_calls', game)).toBe(0);
    expect(sampleValue(samples, 'meeple_called_parties', game)).toBe(2);
    expect(sampleValue(samples, 'meeple_waiting_parties', game)).toBe(1);
    expect(sampleValue(samples, 'meeple_reconcile_repairs_total', { repair: 'call' })).toBe(2);
    expect(sampleValue(samples, 'meeple_reconcile_runs_total', { outcome: 'ok' })).toBe(1);
    expect(sampleValue(samples, 'meeple_calls_total', { game_id: String(stuck.id) })).toBe(2);
  });

  test('a hold past its end that nobody expired shows its age; reconcile expires it and counts the repair', async () => {
    const game = await createGame(service, { copies: 1 });
    const party = await join(service, game.id, 'Robin');
    await reconcile(service.ctx);
    // The hold ended 90 s ago and no expire-hold job ran (no worker).
    await service.ctx.knex('reservations').where({ id: party.id }).update({ hold_expires_at: service.ctx.knex.raw('CURRENT_TIMESTAMP(3) - INTERVAL 90 SECOND') });
    const labels = { game_id: String(game.id), game: game.title };
    const age = sampleValue(await scrape(service), 'meeple_oldest_overdue_hold_seconds', labels)!;
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThan(3600);

    const before = sampleValue(await scrape(service), 'meeple_reconcile_repairs_total', { repair: 'hold' })!;
    await reconcile(service.ctx);
    const samples = await scrape(service);
    expect(sampleValue(samples, 'meeple_oldest_overdue_hold_seconds', labels)).toBe(0);
    expect(sampleValue(samples, 'meeple_reconcile_repairs_total', { repair: 'hold' })).toBe(before + 1);
    expect(sampleValue(samples, 'meeple_no_shows_total', { game_id: String(game.id) })).toBe(1);
  });

  test('HTTP requests are counted by route pattern and status, never by URL', async () => {
    const game = await createGame(service, { copies: 1 });
    const party = await join(service, game.id, 'Lee');
    expect((await service.anon.get('/api/no-such-thing/123')).status).toBe(404);
    expect((await service.anon.get(`/api/tickets/ZZZZZZ`)).status).toBe(404);
    const samples = await scrape(service);
    const requests = samples.filter((s) => s.name === 'meeple_http_requests_total');
    expect(sampleValue(samples, 'meeple_http_requests_total', { method: 'POST', route: '/api/games/:id/reservations', status: '201' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, 'meeple_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);
    expect(requests.some((s) => s.labels.route!.includes('/api/tickets/:'))).toBe(true);
    // no id, code or name ever lands in a label
    for (const s of requests) {
      expect(s.labels.route).not.toContain(String(game.id));
      expect(s.labels.route).not.toContain(party.code);
      expect(s.labels.route).not.toContain('ZZZZZZ');
    }
    expect(sampleValue(samples, 'meeple_http_request_duration_seconds_count', { method: 'POST', route: '/api/games/:id/reservations' })).toBeGreaterThanOrEqual(1);
    expect(samples.some((s) => Object.values(s.labels).some((v) => v.includes('Lee')))).toBe(false);
  });

  test('sockets are counted per namespace, and realtime flushes are timed', async () => {
    const board = connect(service.url, '/board');
    await board.waitFor('snapshot');
    const game = await createGame(service, { copies: 1 });
    await join(service, game.id, 'Ari');
    const samples = await scrapeUntil(service, (s) => (sampleValue(s, 'meeple_realtime_flush_seconds_count', { step: 'publish' }) ?? 0) > 0);
    expect(sampleValue(samples, 'meeple_socket_connections', { namespace: '/board' })).toBe(1);
    expect(sampleValue(samples, 'meeple_socket_connections', { namespace: '/staff' })).toBe(0);
    expect(sampleValue(samples, 'meeple_realtime_flush_seconds_count', { step: 'announce' })).toBeGreaterThan(0);
    board.close();
    await eventually(async () => sampleValue(await scrape(service), 'meeple_socket_connections', { namespace: '/board' }) === 0);
  });

  test('dependencies, the engine and the version', async () => {
    const samples = await scrape(service);
    expect(sampleValue(samples, 'meeple_dependency_up', { dependency: 'mysql' })).toBe(1);
    expect(sampleValue(samples, 'meeple_dependency_up', { dependency: 'redis' })).toBe(1);
    expect(sampleValue(samples, 'meeple_engine_paused', { queue: 'queue-engine' })).toBe(0);
    const build = samples.find((s) => s.name === 'meeple_build_info');
    expect(build?.labels.version).toMatch(/^\d+\.\d+\.\d+/);

    await service.ctx.jobs.queue.pause();
    try {
      expect(sampleValue(await scrapeUntil(service, (s) => sampleValue(s, 'meeple_engine_paused') === 1), 'meeple_engine_paused')).toBe(1);
    } finally {
      await service.ctx.jobs.queue.resume();
    }
  });

  test('a scrape makes one MySQL statement, however many games and gauges', async () => {
    for (let i = 0; i < 5; i += 1) await createGame(service, { copies: 1 });
    const statements: string[] = [];
    const count = (query: { sql: string }) => statements.push(query.sql);
    service.ctx.knex.on('query', count);
    // The new games' screens and versions are written after the answers: let them settle.
    await eventually(async () => {
      statements.length = 0;
      await new Promise((resolve) => setTimeout(resolve, 300));
      return statements.length === 0;
    });
    try {
      expect(sampleValue(await scrape(service), 'meeple_dependency_up', { dependency: 'mysql' })).toBe(1);
    } finally {
      service.ctx.knex.off('query', count);
    }
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/FROM games g/);
  });
});

describe('with the workers running: jobs are timed and failures counted by job', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('obsjobs');
  });
  afterAll(() => service?.stop());

  test('an advance job runs and is timed; a job that throws is a failure of its name', async () => {
    const game = await createGame(service, { copies: 1 });
    await join(service, game.id, 'Pat');
    await eventually(async () => (sampleValue(await scrape(service), 'meeple_job_duration_seconds_count', { job_name: 'advance' }) ?? 0) > 0);
    let samples = await scrape(service);
    expect(sampleValue(samples, 'meeple_job_latency_seconds_count', { job_name: 'advance' })).toBeGreaterThan(0);
    expect(sampleValue(samples, 'meeple_job_failures_total', { job_name: 'advance' })).toBe(0);

    await service.ctx.jobs.queue.add('not-a-job', {}, { attempts: 1 });
    samples = await scrapeUntil(service, (s) => sampleValue(s, 'meeple_job_failures_total', { job_name: 'not-a-job' }) === 1);
    expect(sampleValue(samples, 'meeple_owed_calls', { game_id: String(game.id), game: game.title })).toBe(0);
  });
});

describe('a dependency down: the scrape still answers, and says which', () => {
  // The metrics of an instance whose MySQL and Redis are a port where nothing listens.
  let port: number;
  let knex: ReturnType<typeof createKnex>;
  let redis: Redis;
  beforeAll(async () => {
    port = await freePort();
    knex = createKnex({ host: '127.0.0.1', port, user: 'root', password: '', database: 'nothing', poolMax: 1 });
    redis = new Redis(`redis://127.0.0.1:${port}`, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
    redis.on('error', () => undefined);
  });
  afterAll(async () => {
    redis.disconnect();
    await knex.destroy();
  });

  test('MySQL and Redis unreachable: both 0, no queue gauges (rather than stale ones), the engine unknown; the scrape still answers', async () => {
    const metrics = createMetrics({ knex, redis, jobs: { enginePaused: () => redis.exists('paused').then(Boolean) }, autoAdvance: true });
    const samples = parseExposition(await metrics.registry.metrics());
    expect(sampleValue(samples, 'meeple_dependency_up', { dependency: 'mysql' })).toBe(0);
    expect(sampleValue(samples, 'meeple_dependency_up', { dependency: 'redis' })).toBe(0);
    expect(samples.filter((s) => ['meeple_owed_calls', 'meeple_waiting_parties', 'meeple_engine_paused'].includes(s.name))).toEqual([]);
    expect(samples.some((s) => s.name === 'meeple_build_info')).toBe(true);
  });
});
