// Asks a running Prometheus about the compose stack it scrapes, through Prometheus' own HTTP API;
// scripts/compose-up-for-real.sh --monitoring runs it. Every mode waits for what it checks
// (scrapes and service discovery run every 15 s), prints one "... OK ..." line or exits 1.
//
//   npx tsx scripts/prometheus-probe.ts targets PROM_URL ADDRESSES
//       the `meeple-queue` job has exactly one target per address (comma-separated IPs of the
//       app replicas on the backend network, port 3000), every one up, instances distinct, and
//       `up{job="meeple-queue"} == 1` counts them
//   npx tsx scripts/prometheus-probe.ts rules PROM_URL RULES_FILE
//       /api/v1/rules lists every alert of RULES_FILE, each loaded without error
//   npx tsx scripts/prometheus-probe.ts queue BASE_URL PROM_URL
//       through Nginx (BASE_URL): staff sign in (SMOKE_PASSWORD), create a game with one copy,
//       three parties join; then meeple_waiting_parties / meeple_called_parties of that game,
//       queried from Prometheus, are 2 / 1 on every instance (auto-advance calls the first)
//   npx tsx scripts/prometheus-probe.ts target PROM_URL ADDRESS up|down SECONDS
//       waits for ADDRESS:3000's target to be up, or to be down (scrape failing) or gone from
//       service discovery; says which and after how long
import { setTimeout as sleep } from 'node:timers/promises';
import { loadRules, prometheusApi, type Sample } from './prometheusApi';

const JOB = 'meeple-queue';
const APP_PORT = 3000;

interface Target {
  labels: Record<string, string>;
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}
const query = (prom: string, expr: string) => prometheusApi(prom).query(expr);
const api = <T>(prom: string, path: string) => prometheusApi(prom).get<T>(path);
const jobTargets = async (prom: string) =>
  (await api<{ activeTargets: Target[] }>(prom, '/api/v1/targets?state=active')).activeTargets.filter((t) => t.labels.job === JOB);

/** Polls `check` until it returns a value (not undefined) or `seconds` pass; the last reason on failure. */
async function waitFor<T>(seconds: number, what: string, check: () => Promise<T | string>): Promise<{ value: T; seconds: number }> {
  const started = Date.now();
  let last = '';
  while (Date.now() - started < seconds * 1000) {
    try {
      const result = await check();
      if (typeof result !== 'string') return { value: result, seconds: Math.round((Date.now() - started) / 1000) };
      last = result;
    } catch (err) {
      last = String(err);
    }
    await sleep(1000);
  }
  throw new Error(`${what}: not within ${seconds} s (last seen: ${last})`);
}

async function targets(prom: string, addresses: string[]): Promise<void> {
  const wanted = addresses.map((a) => `${a}:${APP_PORT}`).sort();
  const { value: found, seconds } = await waitFor(120, `one up target per replica (${wanted.join(' ')})`, async () => {
    const ts = await jobTargets(prom);
    const instances = ts.map((t) => t.labels.instance ?? '').sort();
    const seen = ts.map((t) => `${t.labels.instance}=${t.health}${t.lastError ? ` (${t.lastError})` : ''}`).join(', ') || 'no targets';
    if (instances.join(' ') !== wanted.join(' ') || ts.some((t) => t.health !== 'up')) return seen;
    return ts;
  });
  const up = await query(prom, `up{job="${JOB}"} == 1`);
  const distinct = new Set(found.map((t) => t.labels.instance));
  if (up.length !== addresses.length || distinct.size !== addresses.length) {
    throw new Error(`up{job="${JOB}"} == 1 has ${up.length} series, ${distinct.size} distinct instances; wanted ${addresses.length}`);
  }
  const versions = await query(prom, `count by (instance) (meeple_build_info{job="${JOB}"})`);
  console.log(
    `TARGETS OK job=${JOB} up=${up.length} instances=${[...distinct].sort().join(',')} ` +
      `build_info_from=${versions.length} found_after=${seconds}s`,
  );
}

async function rules(prom: string, file: string): Promise<void> {
  const inFile = loadRules(file)
    .flatMap((g) => g.rules.flatMap((r) => ('alert' in r ? [r.alert] : [])))
    .sort();
  const data = await api<{ groups: Array<{ name: string; rules: Array<{ name: string; type: string; health: string; lastError?: string }> }> }>(
    prom,
    '/api/v1/rules?type=alert',
  );
  const loaded = data.groups.flatMap((g) => g.rules.filter((r) => r.type === 'alerting'));
  const names = loaded.map((r) => r.name).sort();
  const missing = inFile.filter((a) => !names.includes(a));
  const unhealthy = loaded.filter((r) => r.health === 'err');
  if (missing.length > 0 || names.length !== inFile.length || unhealthy.length > 0) {
    throw new Error(
      `alert rules: ${names.length} loaded, ${inFile.length} in ${file}; missing ${missing.join(',') || '-'}; ` +
        `in error ${unhealthy.map((r) => `${r.name}: ${r.lastError}`).join('; ') || '-'}`,
    );
  }
  console.log(`RULES OK alerting=${names.length}/${inFile.length} groups=${data.groups.map((g) => g.name).join(',')}`);
}

/** The staff session's cookie header, signed in through BASE (Nginx). */
async function signIn(base: string): Promise<string> {
  const password = process.env.SMOKE_PASSWORD;
  if (!password) throw new Error('SMOKE_PASSWORD is required');
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ username: process.env.SMOKE_USERNAME ?? 'admin', password }),
  });
  if (res.status !== 200 && res.status !== 204) throw new Error(`staff sign-in through Nginx: HTTP ${res.status}`);
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

async function queue(base: string, prom: string): Promise<void> {
  const cookie = await signIn(base);
  const headers = { 'content-type': 'application/json', origin: base };
  const title = `Monitoring probe ${Date.now()}`;
  const created = await fetch(`${base}/api/games`, { method: 'POST', headers: { ...headers, cookie }, body: JSON.stringify({ title, copies: 1 }) });
  if (created.status !== 201 && created.status !== 200) throw new Error(`create game through Nginx: HTTP ${created.status}`);
  const game = (await created.json()) as { id: number };
  for (const name of ['Ada', 'Brook', 'Cyd']) {
    const join = await fetch(`${base}/api/games/${game.id}/reservations`, { method: 'POST', headers, body: JSON.stringify({ customerName: name, partySize: 2 }) });
    if (join.status !== 201) throw new Error(`join ${name} through Nginx: HTTP ${join.status} ${await join.text()}`);
  }
  const selector = `{job="${JOB}", game_id="${game.id}"}`;
  const { value, seconds } = await waitFor(90, `meeple_waiting_parties${selector} = 2 and meeple_called_parties = 1 on every instance`, async () => {
    const [waiting, called, owed] = await Promise.all(
      ['meeple_waiting_parties', 'meeple_called_parties', 'meeple_owed_calls'].map((m) => query(prom, `${m}${selector}`)),
    );
    const seen = `waiting=${waiting!.map((s) => s.value[1]).join('/') || '-'} called=${called!.map((s) => s.value[1]).join('/') || '-'}`;
    const on = (s: Sample[], v: string) => s.length === 2 && s.every((x) => x.value[1] === v);
    if (!on(waiting!, '2') || !on(called!, '1') || !on(owed!, '0')) return seen;
    return { seen, game: waiting![0]!.metric.game };
  });
  if (value.game !== title) throw new Error(`the game label is "${value.game}", not "${title}"`);
  console.log(`QUEUE OK game_id=${game.id} 3 joined through Nginx, 1 copy: Prometheus ${value.seen} owed=0 (2 instances) after ${seconds}s`);
}

async function target(prom: string, address: string, state: 'up' | 'down', seconds: number): Promise<void> {
  const instance = `${address}:${APP_PORT}`;
  const { value, seconds: after } = await waitFor(seconds, `target ${instance} ${state}`, async () => {
    const t = (await jobTargets(prom)).find((x) => x.labels.instance === instance);
    if (state === 'up') return t?.health === 'up' ? { how: 'up' } : `${t?.health ?? 'not discovered'}`;
    if (!t) return { how: 'gone from service discovery' };
    return t.health === 'down' ? { how: `down (${t.lastError})` } : t.health;
  });
  const now = (await jobTargets(prom)).filter((t) => t.health === 'up').map((t) => t.labels.instance);
  console.log(`TARGET ${instance} ${value.how} after ${after}s; up targets now: ${now.sort().join(',') || 'none'}`);
}

async function main(): Promise<void> {
  const [mode, a, b, c, d] = process.argv.slice(2);
  if (mode === 'targets' && a && b) return targets(a, b.split(',').filter(Boolean));
  if (mode === 'rules' && a && b) return rules(a, b);
  if (mode === 'queue' && a && b) return queue(a, b);
  if (mode === 'target' && a && b && (c === 'up' || c === 'down')) return target(a, b, c, Number(d ?? 90));
  console.error('usage: prometheus-probe.ts targets PROM_URL IPS | rules PROM_URL FILE | queue BASE_URL PROM_URL | target PROM_URL IP up|down SECONDS');
  process.exitCode = 2;
}

main().catch((err: unknown) => {
  console.error(String(err));
  process.exitCode = 1;
});
