/**
 * Issue 17, end to end: a real Prometheus (its own temporary directory and TSDB, a free port,
 * two-second scrapes, one-second evaluations) scrapes two real app instances with the bearer token and
 * loads the project's alert rules. With no worker anywhere (RUN_WORKERS=false, no `npm run
 * worker`), a party joins a game with a free copy and auto-advance on: the queue is stuck, and
 * MeepleQueueStuck goes pending, then firing, in Prometheus' own /api/v1/alerts. Staff then
 * call the party by hand and the alert goes away.
 *
 * The one change to the rules: MeepleQueueStuck's `for` is 10 s instead of a minute (the rule
 * unit tests check the minute); the test asserts that nothing else differs.
 */
import { createDatabase, dropTestData, freePort, newTestEnv, startApp, type AppInstance, type TestEnv } from '../helpers/appProcess';
import { loadRules, startPrometheus, type AlertRule, type PrometheusServer } from '../helpers/prometheus';
import { eventually } from '../helpers/testService';
import { stringify } from 'yaml';

const TOKEN = 'e2e-metrics-token-0123456789abcdef';
const FOR_IN_TEST = '10s';

/** The project's rules, MeepleQueueStuck waiting FOR_IN_TEST instead of its minute. */
const groups = loadRules().map((g) => ({
  ...g,
  rules: g.rules.map((r) => ('alert' in r && r.alert === 'MeepleQueueStuck' ? { ...r, for: FOR_IN_TEST } : r)),
}));

describe('a real Prometheus scraping two instances sees a stuck queue', () => {
  let env: TestEnv;
  const apps: AppInstance[] = [];
  let prometheus: PrometheusServer | undefined;
  let base: string;
  let cookie: string;

  beforeAll(async () => {
    env = newTestEnv('prom');
    await createDatabase(env);
    const ports = [await freePort(), await freePort()];
    const started = await Promise.allSettled(
      ports.map((port) => startApp(env, port, { processGroup: true, extraEnv: { RUN_WORKERS: 'false', METRICS_TOKEN: TOKEN } })),
    );
    for (const r of started) if (r.status === 'fulfilled') apps.push(r.value);
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    base = `http://127.0.0.1:${apps[0]!.port}`;

    prometheus = await startPrometheus({
      'token': TOKEN,
      'rules.yml': stringify({ groups }),
      'prometheus.yml': stringify({
        // A scrape may take a while on a busy machine: a timed-out one would make the series stale.
        global: { scrape_interval: '2s', scrape_timeout: '2s', evaluation_interval: '1s' },
        rule_files: ['rules.yml'],
        scrape_configs: [
          {
            job_name: 'meeple-queue',
            authorization: { type: 'Bearer', credentials_file: 'token' },
            static_configs: [{ targets: apps.map((a) => `127.0.0.1:${a.port}`) }],
          },
        ],
      }),
    });

    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: env.adminPassword }),
    });
    expect(login.status).toBe(200);
    cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
    await Promise.all(apps.map((a) => a.stop()));
    if (env) await dropTestData(env);
  }, 60_000);

  test('only MeepleQueueStuck\'s `for` differs from the project\'s rules', () => {
    const loaded = groups.flatMap((g) => g.rules) as AlertRule[];
    const project = loadRules().flatMap((g) => g.rules) as AlertRule[];
    expect(loaded.map((r) => (r.alert === 'MeepleQueueStuck' ? { ...r, for: '1m' } : r))).toEqual(project);
    expect(project.find((r) => r.alert === 'MeepleQueueStuck')?.for).toBe('1m');
  });

  test('both instances are scraped with the token, each on its own address', async () => {
    const up = (await eventually(async () => {
      const result = await prometheus!.query('up{job="meeple-queue"} == 1');
      return result.length === 2 ? result : undefined;
    }, 30_000, 250))!;
    expect(up.map((s) => s.metric.instance).sort()).toEqual(apps.map((a) => `127.0.0.1:${a.port}`).sort());
    const versions = await prometheus!.query('count(meeple_build_info)');
    expect(versions[0]!.value[1]).toBe('2');
  });

  test('a party waits by a free copy with no engine: MeepleQueueStuck goes pending, then firing; a call by hand clears it', async () => {
    const headers = { 'content-type': 'application/json', cookie };
    const game = (await (await fetch(`${base}/api/games`, { method: 'POST', headers, body: JSON.stringify({ title: 'Stuck Evening', copies: 1 }) })).json()) as {
      id: number;
      title: string;
    };
    const join = await fetch(`http://127.0.0.1:${apps[1]!.port}/api/games/${game.id}/reservations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerName: 'Morgan', partySize: 2 }),
    });
    expect(join.status).toBe(201);

    const ours = async (...states: string[]) =>
      (await prometheus!.alerts()).find((a) => a.labels.alertname === 'MeepleQueueStuck' && a.labels.game_id === String(game.id) && states.includes(a.state));

    // Both instances report the same owed call (MySQL): the rule's max keeps it one alert.
    await eventually(async () => {
      const owed = await prometheus!.query(`meeple_owed_calls{game_id="${game.id}"}`);
      return owed.length === 2 && owed.every((s) => s.value[1] === '1');
    }, 30_000, 250);
    const raised = (await eventually(() => ours('pending', 'firing'), 30_000, 250))!;
    expect(raised.labels).toMatchObject({ severity: 'critical', game: 'Stuck Evening' });

    const firing = (await eventually(() => ours('firing'), 60_000, 500))!;
    expect(firing.annotations.summary).toBe('The queue of Stuck Evening is stuck: 1 call(s) owed for a minute');
    expect(firing.annotations.runbook_url).toBe('docs/OPERATIONS.md#meeplequeuestuck');
    // It was pending first, for its `for`: Prometheus' own ALERTS series says so.
    const pending = await prometheus!.query(`count_over_time(ALERTS{alertname="MeepleQueueStuck", alertstate="pending", game_id="${game.id}"}[5m])`);
    expect(Number(pending[0]?.value[1])).toBeGreaterThan(0);

    const call = await fetch(`${base}/api/games/${game.id}/call-next`, { method: 'POST', headers, body: '{}' });
    expect(call.status).toBe(200);
    await eventually(async () => {
      const alerts = await prometheus!.alerts();
      return !alerts.some((a) => a.labels.alertname === 'MeepleQueueStuck' && a.labels.game_id === String(game.id));
    }, 30_000, 250);
  }, 150_000);
});
