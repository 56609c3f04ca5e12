/**
 * Issue 17: the Prometheus configuration and alert rules, checked by the real promtool
 * (Debian's `prometheus` package): configurations and rules load, the rule unit tests pass,
 * every alert is tested (an alert made never to fire breaks its test), and every alert has a
 * runbook section in docs/OPERATIONS.md.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { REPO_ROOT } from '../helpers/nginx';
import { MONITORING, loadRules, promtool, type AlertRule } from '../helpers/prometheus';

const RULES = join(MONITORING, 'prometheus', 'rules', 'meeple-queue.yml');
const RULE_TESTS = join(MONITORING, 'prometheus', 'tests', 'meeple-queue.test.yml');

const alerts = loadRules().flatMap((g) => g.rules.filter((r): r is AlertRule => 'alert' in r));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mq-rules-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('promtool', () => {
  test('the rules load: promtool check rules', () => {
    const { status, output } = promtool('check', 'rules', RULES);
    expect(output).toContain(`SUCCESS: ${alerts.length} rules found`);
    expect(status).toBe(0);
  });

  test.each(['compose.yml', 'swarm.yml'])('%s loads with its rules and token file: promtool check config', (file) => {
    // The container paths, pointed at this checkout and a stand-in token.
    const token = join(dir, 'token');
    writeFileSync(token, 'metrics-token-0123456789abcdef');
    const config = readFileSync(join(MONITORING, 'prometheus', file), 'utf8')
      .replaceAll('/etc/prometheus/rules/', `${join(MONITORING, 'prometheus', 'rules')}/`)
      .replace(/credentials_file: \S+/g, `credentials_file: ${token}`);
    const copy = join(dir, file);
    writeFileSync(copy, config);
    const { status, output } = promtool('check', 'config', copy);
    expect(output).toContain(`SUCCESS: ${copy} is valid prometheus config file syntax`);
    expect(output).toContain(`SUCCESS: ${alerts.length} rules found`);
    expect(status).toBe(0);
  });

  test('the rule unit tests pass: promtool test rules', () => {
    const { status, output } = promtool('test', 'rules', RULE_TESTS);
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });
});

describe('every alert is tested, firing and quiet', () => {
  const tested = readFileSync(RULE_TESTS, 'utf8');

  test.each(alerts.map((a) => a.alert))('%s: has a test that expects it to fire and one that expects it quiet', (name) => {
    const blocks = tested.split(/\n\s+- eval_time: /).filter((b) => new RegExp(`alertname: ${name}\\n`).test(b));
    expect(blocks.some((b) => /exp_alerts: \[\]/.test(b))).toBe(true);
    expect(blocks.some((b) => /exp_labels:/.test(b))).toBe(true);
  });

  test.each(alerts.map((a) => a.alert))('%s made never to fire: its rule test fails', (name) => {
    const mutated = loadRules().map((g) => ({
      ...g,
      rules: g.rules.map((r) => ('alert' in r && r.alert === name ? { ...r, expr: 'vector(1) < 0' } : r)),
    }));
    const sub = join(dir, name);
    mkdirSync(join(sub, 'rules'), { recursive: true });
    mkdirSync(join(sub, 'tests'));
    writeFileSync(join(sub, 'rules', 'meeple-queue.yml'), stringify({ groups: mutated }));
    copyFileSync(RULE_TESTS, join(sub, 'tests', 'meeple-queue.test.yml'));
    const { status, output } = promtool('test', 'rules', join(sub, 'tests', 'meeple-queue.test.yml'));
    expect(status).not.toBe(0);
    expect(output).toContain(`alertname: ${name}`);
  });
});

describe('every alert is actionable', () => {
  const operations = readFileSync(join(REPO_ROOT, 'docs/OPERATIONS.md'), 'utf8');
  const headings = new Set([...operations.matchAll(/^#{2,4} (.+)$/gm)].map((m) => m[1]!.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-')));

  test.each(alerts.map((a) => [a.alert, a] as const))('%s: severity, summary, description, and a runbook section in docs/OPERATIONS.md', (name, alert) => {
    expect(['critical', 'warning']).toContain(alert.labels?.severity);
    expect(alert.annotations?.summary).toBeTruthy();
    expect(alert.annotations?.description).toBeTruthy();
    expect(alert.annotations?.runbook_url).toBe(`docs/OPERATIONS.md#${name.toLowerCase()}`);
    expect(headings).toContain(name.toLowerCase());
    // the section says what it means and what to do
    const section = operations.slice(operations.indexOf(`### ${name}`)).split(/\n### /)[0]!;
    expect(section).toMatch(/\*\*What it means\*\*/);
    expect(section).toMatch(/\*\*What to do\*\*/);
  });

  test('the issue\'s alerts are all there', () => {
    const names = alerts.map((a) => a.alert);
    for (const expected of ['MeepleQueueInstanceDown', 'MeepleQueueStuck', 'MeepleQueueHoldsOverdue', 'MeepleQueueJobsFailing', 'MeepleQueueReconcileRepairing', 'MeepleQueueMySQLDown', 'MeepleQueueRedisDown', 'MeepleQueueHighErrorRate', 'MeepleQueueSlowRequests', 'MeepleQueueEnginePaused']) {
      expect(names).toContain(expected);
    }
    expect(alerts.find((a) => a.alert === 'MeepleQueueStuck')).toMatchObject({ expr: expect.stringContaining('meeple_owed_calls'), for: '1m' });
  });
});
