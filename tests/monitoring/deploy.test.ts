/**
 * Issue 17: the monitoring pieces of each deploy path. Compose: the `monitoring` profile
 * (Prometheus on the backend network next to the replicas, Grafana provisioned, both on
 * 127.0.0.1 only, the core stack untouched). Swarm: the monitoring stack, checked by the real
 * `docker stack config`, scraping `tasks.app`. Kubernetes: k8s/monitoring rendered by the real
 * `kubectl kustomize`: PodMonitors on the pods' own ports, and the rules file as a
 * PrometheusRule, identical.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../helpers/nginx';
import { MONITORING, loadRules } from '../helpers/prometheus';
import { prometheusRule } from '../../scripts/generate-k8s-rules';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const load = (file: string): Obj => parse(readFileSync(join(REPO_ROOT, file), 'utf8'), { merge: true }) as Obj;

describe('compose: the monitoring profile', () => {
  const compose = load('docker-compose.yml');
  const { prometheus, grafana } = compose.services as Obj;

  test('Prometheus and Grafana start only with the profile', () => {
    expect(prometheus.profiles).toEqual(['monitoring']);
    expect(grafana.profiles).toEqual(['monitoring']);
  });

  test('Prometheus sits on the backend network with the replicas and reads the compose configuration and the rules', () => {
    expect(prometheus.networks).toContain('backend');
    expect(prometheus.volumes).toContain('./monitoring/prometheus/compose.yml:/etc/prometheus/prometheus.yml:ro');
    expect(prometheus.volumes).toContain('./monitoring/prometheus/rules:/etc/prometheus/rules:ro');
    const config = parse(readFileSync(join(MONITORING, 'prometheus', 'compose.yml'), 'utf8')) as Obj;
    const job = config.scrape_configs.find((j: Obj) => j.job_name === 'meeple-queue');
    // every replica, by Docker's DNS, on the app's own port: not Nginx
    expect(job.dns_sd_configs).toEqual([expect.objectContaining({ names: ['app'], type: 'A', port: 3000 })]);
    expect(config.rule_files).toEqual(['/etc/prometheus/rules/*.yml']);
    // the token: the app's METRICS_TOKEN, the same variable
    expect(prometheus.environment.METRICS_TOKEN).toBe(compose.services.app.environment.METRICS_TOKEN);
    expect(prometheus.tmpfs).toEqual(['/run/meeple']);
    expect(job.authorization.credentials_file).toBe('/run/meeple/metrics_token');
  });

  test('the entrypoint writes the token where the configuration reads it, unreadable to others, then runs Prometheus with the command', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mq-entry-'));
    try {
      const [shell, flag, script, name] = prometheus.entrypoint as string[];
      expect([shell, flag, name]).toEqual(['/bin/sh', '-c', 'prometheus']);
      const local = script!.replaceAll('$$', '$').replaceAll('/run/meeple', dir).replace('exec /bin/prometheus', 'exec echo prometheus');
      const res = spawnSync('sh', ['-c', local, 'prometheus', ...(prometheus.command as string[])], { env: { METRICS_TOKEN: 'token-0123' }, encoding: 'utf8' });
      expect(res.status).toBe(0);
      expect(res.stdout).toBe(`prometheus ${(prometheus.command as string[]).join(' ')}\n`);
      expect(readFileSync(join(dir, 'metrics_token'), 'utf8')).toBe('token-0123');
      expect(statSync(join(dir, 'metrics_token')).mode & 0o077).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const dockerCompose = spawnSync('docker-compose', ['version']).status === 0;
  (dockerCompose ? test : test.skip)('Debian\'s docker-compose 1.29 (scripts/compose-up-for-real.sh) accepts the file, profile included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mq-compose-'));
    try {
      // as the script does: without the top-level `name:`
      writeFileSync(join(dir, 'docker-compose.yml'), readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8').replace(/^name:.*\n/m, ''));
      const env = { PATH: process.env.PATH, MYSQL_PASSWORD: 'a', REDIS_PASSWORD: 'b', METRICS_TOKEN: 'c', SESSION_SECRET: 'd', ADMIN_PASSWORD: 'e', MYSQL_ROOT_PASSWORD: 'f' };
      const res = spawnSync('docker-compose', ['-p', 'mq', '--profile', 'monitoring', 'config', '--services'], { cwd: dir, env, encoding: 'utf8' });
      if (res.status !== 0) throw new Error(res.stderr);
      expect(res.stdout.split('\n').filter(Boolean).sort()).toEqual(expect.arrayContaining(['app', 'grafana', 'prometheus']));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('both publish on 127.0.0.1 only; Grafana is not on the backend network', () => {
    for (const service of [prometheus, grafana]) for (const port of service.ports as string[]) expect(port).toMatch(/^127\.0\.0\.1:/);
    expect(grafana.networks).toEqual(['monitoring']);
    expect(compose.networks.monitoring.internal).toBeFalsy();
  });

  test('Grafana refuses to start with its default password', () => {
    expect(grafana.environment.GF_SECURITY_ADMIN_PASSWORD).toBe('${GRAFANA_ADMIN_PASSWORD:-}');
    const script = (grafana.entrypoint as string[]).at(-1)!.replaceAll('$$', '$');
    const run = (password: string) => spawnSync('sh', ['-c', script.replace('exec /run.sh', 'echo started')], { env: { GF_SECURITY_ADMIN_PASSWORD: password }, encoding: 'utf8' });
    expect(run('')).toMatchObject({ status: 1, stderr: expect.stringContaining('GRAFANA_ADMIN_PASSWORD') });
    expect(run('s3cret-s3cret')).toMatchObject({ status: 0, stdout: 'started\n' });
  });

  test('the image versions are pinned', () => {
    expect(prometheus.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
    expect(grafana.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
  });
});

describe('Swarm: the monitoring stack', () => {
  const stack = load('monitoring/docker-stack.yml');

  test('Prometheus joins the app stack\'s backend overlay and scrapes every task by tasks.app with the Swarm secret', () => {
    expect(stack.networks.meeple_backend).toEqual({ external: true });
    expect(stack.services.prometheus.networks).toContain('meeple_backend');
    const config = parse(readFileSync(join(MONITORING, 'prometheus', 'swarm.yml'), 'utf8')) as Obj;
    const job = config.scrape_configs.find((j: Obj) => j.job_name === 'meeple-queue');
    expect(job.dns_sd_configs).toEqual([expect.objectContaining({ names: ['tasks.app'], type: 'A', port: 3000 })]);
    expect(job.authorization.credentials_file).toBe('/run/secrets/meeple_metrics_token');
    expect(stack.services.prometheus.secrets).toContain('meeple_metrics_token');
    // the same secret the app stack creates
    expect(load('docker-stack.yml').secrets.meeple_metrics_token).toEqual({ external: true });
  });

  test('every config file it ships exists, and the rules are the project\'s', () => {
    for (const config of Object.values(stack.configs as Obj)) expect(() => readFileSync(join(MONITORING, config.file))).not.toThrow();
    expect(stack.configs.prometheus_rules.file).toBe('./prometheus/rules/meeple-queue.yml');
  });

  const docker = spawnSync('docker', ['--version']).status === 0;
  (docker ? test : test.skip)('valid for `docker stack config`', () => {
    const res = spawnSync('docker', ['stack', 'config', '-c', join(MONITORING, 'docker-stack.yml')], { encoding: 'utf8', env: { ...process.env, MONITORING_CONFIG_VERSION: 'abc123' } });
    if (res.status !== 0) throw new Error(res.stderr);
    expect(res.stdout).toContain('name: meeple_prometheus_rules_abc123');
  });
});

describe('Kubernetes: k8s/monitoring', () => {
  const render = (dir: string): Obj[] => {
    const res = spawnSync('kubectl', ['kustomize', join(REPO_ROOT, dir)], { encoding: 'utf8', timeout: 60_000 });
    if (res.status !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${res.stderr}`);
    return parseAllDocuments(res.stdout).map((d) => d.toJS() as Obj);
  };
  const hasKubectl = spawnSync('sh', ['-c', 'command -v kubectl']).status === 0;
  const maybe = hasKubectl ? test : test.skip;

  maybe('PodMonitors scrape app and worker pods on the ports their containers name, with the Secret\'s token', () => {
    const objects = render('k8s/monitoring');
    const base = render('k8s/base');
    const monitors = objects.filter((o) => o.kind === 'PodMonitor');
    expect(monitors.map((m) => m.metadata.name).sort()).toEqual(['meeple-queue', 'meeple-queue-worker']);
    for (const monitor of monitors) {
      expect(monitor.metadata.namespace).toBe('meeple-queue');
      const deployment = base.find((o) => o.kind === 'Deployment' && Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => o.spec.template.metadata.labels[k] === v));
      expect(deployment).toBeDefined();
      const ports = deployment!.spec.template.spec.containers.flatMap((c: Obj) => (c.ports ?? []).map((p: Obj) => p.name));
      for (const endpoint of monitor.spec.podMetricsEndpoints) {
        expect(ports).toContain(endpoint.port);
        expect(endpoint.path).toBe('/metrics');
        expect(endpoint.authorization).toEqual({ type: 'Bearer', credentials: { name: 'meeple-queue-secrets', key: 'metrics-token' } });
        // the job names the rules use
        expect(endpoint.relabelings).toContainEqual({ targetLabel: 'job', replacement: monitor.metadata.name });
        // and that container reads its METRICS_TOKEN from the same key
        const env = deployment!.spec.template.spec.containers[0].env as Obj[];
        expect(env.find((e) => e.name === 'METRICS_TOKEN')?.valueFrom.secretKeyRef).toEqual({ name: 'meeple-queue-secrets', key: 'metrics-token' });
      }
    }
  });

  test('the PrometheusRule is the rules file, unchanged (npm run monitoring:k8s)', () => {
    const file = readFileSync(join(REPO_ROOT, 'k8s', 'monitoring', 'prometheus-rule.yaml'), 'utf8');
    expect(file).toBe(prometheusRule());
    expect((parse(file) as Obj).spec.groups).toEqual(loadRules());
  });

  maybe('kustomize renders it into the namespace', () => {
    const rule = render('k8s/monitoring').find((o) => o.kind === 'PrometheusRule');
    expect(rule?.metadata.namespace).toBe('meeple-queue');
    expect(rule?.spec.groups).toEqual(loadRules());
  });
});

describe('CI', () => {
  test('.ci/run installs Prometheus (promtool and the end-to-end test need it)', () => {
    const run = readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8');
    expect(run).toMatch(/\/usr\/bin\/prometheus \] \|\| need\+=\(prometheus\)/);
  });
});
