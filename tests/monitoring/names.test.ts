/**
 * Issue 17: every metric name an alert rule or the Grafana dashboard uses is one the service
 * exports: read from a real app instance's /metrics and a real `npm run worker` process's,
 * so a renamed metric breaks this test instead of silently blanking a panel or an alert.
 * Grafana cannot run here; its dashboard JSON is checked for shape instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers/nginx';
import { MONITORING, loadRules, metricNamesIn } from '../helpers/prometheus';
import { eventually, startTestService, testEnv, type TestService } from '../helpers/testService';

/** Names a scrape's `# TYPE` lines declare, with the series a histogram or summary adds. */
function exportedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, kind] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (kind === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
    if (kind === 'summary') for (const suffix of ['_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}

/** Series Prometheus makes itself for every target. */
const PROMETHEUS_OWN = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: Array<{ expr: string; refId: string }>;
  gridPos: { h: number; w: number; x: number; y: number };
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Array<{ name: string; query: { query: string } | string; datasource: { uid: string } }> };
}

const dashboard = JSON.parse(readFileSync(join(MONITORING, 'grafana', 'dashboards', 'meeple-queue.json'), 'utf8')) as Dashboard;
const panelExprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `panel "${p.title}"`, expr: t.expr })));
const templateExprs = dashboard.templating.list.map((v) => {
  const query = typeof v.query === 'string' ? v.query : v.query.query;
  // label_values(metric, label): the metric is an expression, the label is not
  return { where: `variable $${v.name}`, expr: query.replace(/^label_values\((.*),\s*\w+\)$/, '$1') };
});
const ruleExprs = loadRules().flatMap((g) => g.rules.map((r) => ({ where: 'alert' in r ? `alert ${r.alert}` : `rule ${r.record}`, expr: r.expr })));

describe('the metric-name parser these checks rely on', () => {
  test('finds selectors and leaves out functions, keywords, labels, ranges and variables', () => {
    expect(
      metricNamesIn('histogram_quantile(0.99, sum by (le, route) (rate(meeple_http_request_duration_seconds_bucket{route!~".*\\\\.csv"}[$__rate_interval]))) > 1'),
    ).toEqual(['meeple_http_request_duration_seconds_bucket']);
    expect(metricNamesIn('sum(a_total) / on (game_id) group_left(game) max by (game_id) (b{x="y"}) and bool c offset 5m')).toEqual(['a_total', 'b', 'c']);
    expect(metricNamesIn('absent(up{job="meeple-queue"} == 1)')).toEqual(['up']);
  });
});

describe('every name the rules and the dashboard use is exported', () => {
  let service: TestService;
  let worker: ChildProcess | undefined;
  let appNames: Set<string>;
  let workerNames: Set<string>;

  beforeAll(async () => {
    service = await startTestService('obsnames', { RUN_WORKERS: 'false' });
    const scraped = await service.anon.get('/metrics');
    expect(scraped.status).toBe(200);
    appNames = exportedNames(scraped.text);

    worker = spawn(process.execPath, ['--import', 'tsx', 'server/worker.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...testEnv(service.name, { WORKER_PORT: '0', LOG_LEVEL: 'info' }) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    worker.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const started = await eventually(() => output.split('\n').find((line) => line.includes('queue workers started')), 30_000);
    const { port } = JSON.parse(started!) as { port: number };
    workerNames = exportedNames(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
  }, 60_000);

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((resolve) => worker!.once('exit', resolve));
      process.kill(-worker.pid!, 'SIGTERM');
      const timer = setTimeout(() => process.kill(-worker!.pid!, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await service?.stop();
  });

  test('the parser finds names in every expression', () => {
    const empty = [...ruleExprs, ...panelExprs, ...templateExprs].filter(({ expr }) => metricNamesIn(expr).length === 0);
    expect(empty).toEqual([]);
  });

  test.each([
    ['alert rules', () => ruleExprs],
    ['dashboard panels', () => panelExprs],
    ['dashboard variables', () => templateExprs],
  ])('%s: every metric name is on an app instance’s /metrics', (_what, exprs) => {
    const missing = exprs().flatMap(({ where, expr }) => metricNamesIn(expr).filter((n) => !appNames.has(n) && !PROMETHEUS_OWN.has(n)).map((n) => `${where}: ${n}`));
    expect(missing).toEqual([]);
  });

  test('the worker process exports the same queue, dependency and job metrics', () => {
    const needed = ruleExprs.flatMap(({ expr }) => metricNamesIn(expr)).filter((n) => !PROMETHEUS_OWN.has(n) && !n.startsWith('meeple_http_'));
    expect(needed.filter((n) => !workerNames.has(n))).toEqual([]);
    expect(workerNames).toContain('meeple_owed_calls');
    expect(workerNames).toContain('meeple_job_failures_total');
  });

  test('the dashboard and alerts between them cover the issue’s questions', () => {
    const used = new Set([...ruleExprs, ...panelExprs].flatMap(({ expr }) => metricNamesIn(expr)));
    for (const name of [
      'meeple_waiting_parties',
      'meeple_called_parties',
      'meeple_owed_calls',
      'meeple_oldest_overdue_hold_seconds',
      'meeple_calls_total',
      'meeple_no_shows_total',
      'meeple_wait_seconds_bucket',
      'meeple_job_latency_seconds_bucket',
      'meeple_job_failures_total',
      'meeple_reconcile_repairs_total',
      'meeple_http_requests_total',
      'meeple_http_request_duration_seconds_bucket',
      'meeple_socket_connections',
      'meeple_realtime_flush_seconds_bucket',
      'meeple_dependency_up',
      'meeple_build_info',
    ]) {
      expect([name, used.has(name)]).toEqual([name, true]);
    }
  });
});

describe('the Grafana dashboard and its provisioning', () => {
  const datasources = parse(readFileSync(join(MONITORING, 'grafana', 'provisioning', 'datasources', 'prometheus.yml'), 'utf8')) as {
    datasources: Array<{ uid: string; type: string; url: string }>;
  };
  const providers = parse(readFileSync(join(MONITORING, 'grafana', 'provisioning', 'dashboards', 'meeple-queue.yml'), 'utf8')) as {
    providers: Array<{ options: { path: string } }>;
  };

  test('every panel and variable queries the provisioned Prometheus data source', () => {
    const [prometheus] = datasources.datasources;
    expect(prometheus).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
    for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) {
      expect([panel.title, panel.datasource?.uid]).toEqual([panel.title, prometheus!.uid]);
      expect(panel.targets?.length).toBeGreaterThan(0);
    }
    for (const variable of dashboard.templating.list) expect(variable.datasource.uid).toBe(prometheus!.uid);
  });

  test('panel ids are unique and panels do not overlap on the 24-column grid', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const { gridPos: g, title } of dashboard.panels) {
      expect(g.x + g.w).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x += 1)
        for (let y = g.y; y < g.y + g.h; y += 1) {
          if (cells.has(`${x},${y}`)) throw new Error(`panel "${title}" overlaps another at ${x},${y}`);
          cells.add(`${x},${y}`);
        }
    }
  });

  test('the compose profile mounts the provisioning and the dashboard where the provider looks', () => {
    const compose = parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { volumes: string[] }> };
    const mounts = compose.services.grafana!.volumes.map((v) => v.split(':'));
    expect(mounts).toContainEqual(['./monitoring/grafana/provisioning', '/etc/grafana/provisioning', 'ro']);
    expect(mounts).toContainEqual(['./monitoring/grafana/dashboards', providers.providers[0]!.options.path, 'ro']);
    expect(dashboard.uid).toBe('meeple-queue');
  });
});
