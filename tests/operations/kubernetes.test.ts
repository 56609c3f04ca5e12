/**
 * k8s/: the kustomize base and the production overlay, rendered by the real `kubectl kustomize`
 * (Debian's kubernetes-client) and every object validated against the Kubernetes schemas
 * (kubernetes-models). Then what matters for Meeple Queue: probes, replicas, cookie affinity,
 * secrets only by reference, and an environment the app's own config loader accepts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../server/config';

const ROOT = join(__dirname, '..', '..');
const hasKubectl = spawnSync('sh', ['-c', 'command -v kubectl']).status === 0;
const SECRET_NAME = 'meeple-queue-secrets';
/** The keys docs/DEPLOY.md tells operators to put in the Secret. */
const SECRET_KEYS = ['session-secret', 'admin-password', 'mysql-password', 'mysql-root-password', 'redis-password', 'metrics-token'];

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are free-form YAML */
type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; annotations?: Record<string, string> }; spec?: any; data?: Record<string, string> };

function render(dir: string): K8sObject[] {
  const res = spawnSync('kubectl', ['kustomize', join(ROOT, dir)], { encoding: 'utf8', timeout: 60_000 });
  if (res.status !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${res.stderr}`);
  return parseAllDocuments(res.stdout).map((d) => d.toJS() as K8sObject);
}

/** The kubernetes-models class for an object: core v1 lives at the package's "v1". */
function modelOf(obj: K8sObject): new (data: unknown) => { validate(): void } {
  const path = obj.apiVersion.includes('/') ? obj.apiVersion : `v1`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module depends on the object
  const models = require(`kubernetes-models/${path}`) as Record<string, new (data: unknown) => { validate(): void }>;
  const model = models[obj.kind];
  if (!model) throw new Error(`no schema for ${obj.apiVersion} ${obj.kind}`);
  return model;
}

/** The environment variable names server/config.ts reads. */
const configKeys = (() => {
  const text = readFileSync(join(ROOT, 'server', 'config.ts'), 'utf8');
  const schema = text.slice(text.indexOf('const envSchema = z'), text.indexOf('.refine((env) =>'));
  return new Set([...schema.matchAll(/^ {4}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!));
})();

function podSpec(obj: K8sObject): any {
  return obj.spec.template.spec;
}

/** A container's environment as the pod would see it, with a placeholder for each secret. */
function containerEnv(container: any, objects: K8sObject[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === from.configMapRef.name);
    if (!cm) throw new Error(`envFrom names a ConfigMap that is not rendered: ${from.configMapRef.name}`);
    Object.assign(env, cm.data);
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.secretKeyRef) env[e.name] = `secret-${e.valueFrom.secretKeyRef.key}-0123456789abcdef`;
    else if (e.valueFrom?.configMapKeyRef) {
      const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === e.valueFrom.configMapKeyRef.name);
      env[e.name] = cm!.data![e.valueFrom.configMapKeyRef.key]!;
    }
  }
  return env;
}

(hasKubectl ? describe : describe.skip).each(['k8s/base', 'k8s/overlays/production'])('%s', (dir) => {
  const objects = render(dir);
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
  const named = (kind: string, name: string) => {
    const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
    if (!found) throw new Error(`${kind} ${name} is not rendered`);
    return found;
  };
  const workloads = objects.filter((o) => ['Deployment', 'StatefulSet', 'Job'].includes(o.kind));
  const containers = workloads.flatMap((w) => podSpec(w).containers.map((c: any) => ({ workload: w, container: c })));

  test('every object is valid against the Kubernetes schemas', () => {
    expect(objects.map((o) => o.kind).sort()).toEqual(
      ['ConfigMap', 'Deployment', 'Deployment', 'HorizontalPodAutoscaler', 'Ingress', 'Ingress', 'Job', 'PodDisruptionBudget', 'PodDisruptionBudget', 'Service', 'Service', 'Service', 'StatefulSet', 'StatefulSet'].sort(),
    );
    for (const obj of objects) {
      const Model = modelOf(obj);
      expect(() => new Model(obj).validate()).not.toThrow();
    }
    // The validation is real: a broken copy is refused.
    const app = structuredClone(named('Deployment', 'meeple-app'));
    app.spec.replicas = 'two';
    expect(() => new (modelOf(app))(app).validate()).toThrow(/replicas/);
  });

  test('app: 2+ replicas, liveness /health/live, readiness /health, PDB, HPA', () => {
    const app = named('Deployment', 'meeple-app');
    expect(app.spec.replicas).toBeGreaterThanOrEqual(2);
    const [c] = podSpec(app).containers;
    expect(c.livenessProbe.httpGet.path).toBe('/health/live');
    expect(c.readinessProbe.httpGet.path).toBe('/health');
    expect(c.livenessProbe.httpGet.port).toBe(c.ports[0].name);
    const hpa = named('HorizontalPodAutoscaler', 'meeple-app');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'meeple-app' });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
    expect(c.resources.requests.cpu).toBeDefined(); // the HPA's utilization is relative to it
    const pdb = named('PodDisruptionBudget', 'meeple-app');
    expect(pdb.spec.minAvailable).toBeGreaterThanOrEqual(1);
    expect(app.spec.template.metadata.labels).toMatchObject(pdb.spec.selector.matchLabels);
  });

  test('Service and Ingress reach the app pods, with cookie affinity for Socket.IO', () => {
    const app = named('Deployment', 'meeple-app');
    const svc = named('Service', 'meeple-app');
    expect(app.spec.template.metadata.labels).toMatchObject(svc.spec.selector);
    const ing = named('Ingress', 'meeple-queue');
    const backend = ing.spec.rules[0].http.paths[0].backend.service;
    expect(backend.name).toBe(svc.metadata.name);
    expect(svc.spec.ports.map((p: any) => p.name)).toContain(backend.port.name);
    expect(ing.spec.ingressClassName).toBe('nginx');
    expect(ing.metadata.annotations).toMatchObject({ 'nginx.ingress.kubernetes.io/affinity': 'cookie', 'nginx.ingress.kubernetes.io/session-cookie-name': 'mq_route' });
    expect(Number(ing.metadata.annotations!['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(60);
  });

  test('/metrics is refused on the public side: its own Ingress, same host and TLS, no client allowed', () => {
    const app = named('Ingress', 'meeple-queue');
    const metrics = named('Ingress', 'meeple-queue-metrics');
    expect(metrics.spec.rules[0].http.paths).toEqual([{ path: '/metrics', pathType: 'Prefix', backend: app.spec.rules[0].http.paths[0].backend }]);
    expect(metrics.spec.ingressClassName).toBe(app.spec.ingressClassName);
    expect(metrics.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/whitelist-source-range': '127.0.0.1/32' });
    expect(metrics.spec.rules[0].host).toBe(app.spec.rules[0].host);
    expect(metrics.spec.tls).toEqual(app.spec.tls);
  });

  test('worker runs dist/server/worker.js with its own probes; migrations run as a Job', () => {
    const worker = podSpec(named('Deployment', 'meeple-worker')).containers[0];
    expect(worker.args).toEqual(['node', 'dist/server/worker.js']);
    expect(worker.livenessProbe.httpGet.path).toBe('/health/live');
    expect(containerEnv(worker, objects)).toMatchObject({ WORKER_HOST: '0.0.0.0', WORKER_PORT: String(worker.ports[0].containerPort) });
    const job = podSpec(named('Job', 'meeple-migrate'));
    expect(job.containers[0].args).toEqual(['node', 'dist/server/db/cli.js', 'migrate']);
    expect(job.restartPolicy).toBe('Never');
    expect(podSpec(named('Deployment', 'meeple-app')).containers[0].image).toBe(worker.image);
    expect(job.containers[0].image).toBe(worker.image);
  });

  test('MySQL and Redis are StatefulSets with volumes', () => {
    for (const name of ['mysql', 'redis']) {
      const sts = named('StatefulSet', name);
      expect(sts.spec.volumeClaimTemplates).toHaveLength(1);
      expect(named('Service', name).spec.clusterIP).toBe('None');
    }
  });

  test('secrets only by reference: no Secret objects, no literal values for secret variables', () => {
    expect(byKind('Secret')).toEqual([]);
    const secretLike = /PASSWORD|SECRET|TOKEN/;
    for (const cm of byKind('ConfigMap')) for (const key of Object.keys(cm.data ?? {})) expect(key).not.toMatch(secretLike);
    let refs = 0;
    for (const { container } of containers) {
      for (const e of container.env ?? []) {
        if (!secretLike.test(e.name)) continue;
        expect(e.value).toBeUndefined();
        expect(e.valueFrom.secretKeyRef.name).toBe(SECRET_NAME);
        expect(SECRET_KEYS).toContain(e.valueFrom.secretKeyRef.key);
        refs++;
      }
    }
    expect(refs).toBeGreaterThanOrEqual(10);
  });

  test('app, worker and migration get every variable they need, and the config loader accepts them', () => {
    const needs = ['NODE_ENV', 'MYSQL_HOST', 'MYSQL_PORT', 'MYSQL_DATABASE', 'MYSQL_USER', 'MYSQL_PASSWORD', 'REDIS_URL', 'REDIS_PASSWORD', 'SESSION_SECRET', 'TRUST_PROXY'];
    for (const name of ['meeple-app', 'meeple-worker', 'meeple-migrate']) {
      const obj = workloads.find((o) => o.metadata.name === name)!;
      const env = containerEnv(podSpec(obj).containers[0], objects);
      for (const key of needs) expect([name, key, env[key]]).toEqual([name, key, expect.any(String)]);
      for (const key of Object.keys(env)) expect([name, key, configKeys.has(key)]).toEqual([name, key, true]);
      const config = loadConfig(env);
      expect(config.env).toBe('production');
      expect(config.mysql.host).toBe('mysql');
      expect(new URL(config.redis.url).hostname).toBe('redis');
    }
    const app = containerEnv(podSpec(named('Deployment', 'meeple-app')).containers[0], objects);
    expect(app).toMatchObject({ RUN_WORKERS: 'false', METRICS_TOKEN: expect.any(String), ADMIN_PASSWORD: expect.any(String) });
    // MySQL creates the app's user and database from the same settings.
    const mysql = containerEnv(podSpec(named('StatefulSet', 'mysql')).containers[0], objects);
    expect(mysql.MYSQL_USER).toBe(app.MYSQL_USER);
    expect(mysql.MYSQL_DATABASE).toBe(app.MYSQL_DATABASE);
  });

  if (dir === 'k8s/overlays/production') {
    test('overlay: namespace, registry image, host with TLS', () => {
      for (const obj of objects) expect((obj.metadata as { namespace?: string }).namespace).toBe('meeple-queue');
      expect(podSpec(named('Deployment', 'meeple-app')).containers[0].image).toMatch(/^registry\.example\.com\/meeple-queue:/);
      const ing = named('Ingress', 'meeple-queue');
      expect(ing.spec.rules[0].host).toBe('queue.cafe.example');
      expect(ing.spec.tls[0].hosts).toEqual(['queue.cafe.example']);
    });
  }
});
