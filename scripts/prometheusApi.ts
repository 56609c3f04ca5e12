// What the monitoring tests (tests/helpers/prometheus.ts) and the compose probe
// (scripts/prometheus-probe.ts) both need of Prometheus: its rules file as it loads it, and its
// HTTP API (docs/OPERATIONS.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const RULES_FILE = join(__dirname, '..', 'monitoring', 'prometheus', 'rules', 'meeple-queue.yml');

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RecordingRule {
  record: string;
  expr: string;
}

/** The rules files, as Prometheus loads them. */
export function loadRules(file = RULES_FILE): Array<{ name: string; rules: Array<AlertRule | RecordingRule> }> {
  return (parse(readFileSync(file, 'utf8')) as { groups: Array<{ name: string; rules: Array<AlertRule | RecordingRule> }> }).groups;
}

export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** Prometheus' HTTP API at `url`: `get` answers a path's `data`, or throws with Prometheus' error. */
export function prometheusApi(url: string, timeoutMs = 10_000) {
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.error ?? res.status}`);
    return body.data;
  };
  return {
    get,
    /** An instant query's result. */
    query: async (expr: string) => (await get<{ result: Sample[] }>(`/api/v1/query?query=${encodeURIComponent(expr)}`)).result,
  };
}
