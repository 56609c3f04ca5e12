/**
 * Writes k8s/monitoring/prometheus-rule.yaml: the alert rules of
 * monitoring/prometheus/rules/meeple-queue.yml as a Prometheus Operator PrometheusRule, so the
 * rules live in one file. `npm run monitoring:k8s` after editing the rules.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

const ROOT = join(__dirname, '..');
const RULES = join(ROOT, 'monitoring', 'prometheus', 'rules', 'meeple-queue.yml');
const OUT = join(ROOT, 'k8s', 'monitoring', 'prometheus-rule.yaml');

export function prometheusRule(): string {
  const { groups } = parse(readFileSync(RULES, 'utf8')) as { groups: unknown[] };
  const rule = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'meeple-queue' }, spec: { groups } };
  return `# Generated from monitoring/prometheus/rules/meeple-queue.yml by \`npm run monitoring:k8s\`: edit that file.\n${stringify(rule, { lineWidth: 0 })}`;
}

if (require.main === module) writeFileSync(OUT, prometheusRule());
