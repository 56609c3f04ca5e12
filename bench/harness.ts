/**
 * What every HTTP benchmark here shares: starting the real service and a bare baseline each in
 * its own process, closed-loop load with latency percentiles, and stopping it all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ADMIN, testEnv } from '../tests/helpers/testService';

const ROOT = path.resolve(__dirname, '..');

/** The service's join limits, out of the way: a benchmark's clients all share one address. */
export const NO_JOIN_LIMITS = { JOIN_RATE_LIMIT: '1000000000', JOIN_NEW_DEVICE_LIMIT: '1000000000', JOIN_ADDRESS_LIMIT: '1000000000' };

export interface LoadResult {
  label: string;
  ok: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);

export /** `clients` loops, each sending one request after another for `seconds`. */
async function runLoad(label: string, seconds: number, clients: number, once: (client: number, n: number) => Promise<boolean>): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let n = 0; performance.now() < deadline; n += 1) {
        const t0 = performance.now();
        let ok: boolean;
        try {
          ok = await once(client, n);
        } catch {
          ok = false;
        }
        if (ok) latencies.push(performance.now() - t0);
        else errors += 1;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    label,
    ok: latencies.length,
    errors,
    seconds: elapsed,
    perSecond: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
  };
}

export function spawnNode(args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): ChildProcess {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  // Both streams are read (an unread pipe fills up and stalls the child's logging) and shown.
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on('data', (chunk: Buffer) => process.stderr.write(`[${path.basename(args[args.length - 1]!)}] ${chunk.toString()}`));
  }
  return child;
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export async function waitForHealth(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url}/health did not answer 200 within ${timeoutMs} ms`);
}

/** BENCH_SERVICE_ENV="REALTIME_TICK_MS=1000 MYSQL_POOL_MAX=20": extra service settings, to see what costs what. */
function extraEnv(): Record<string, string> {
  return Object.fromEntries((process.env.BENCH_SERVICE_ENV ?? '').split(' ').filter(Boolean).map((kv) => kv.split('=') as [string, string]));
}

/** `root`: another checkout's service (bench/ab.ts runs the code before a change beside the code after it). */
export async function startService(name: string, overrides: Record<string, string> = {}, root = ROOT): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const env = {
    ...process.env,
    ...testEnv(name, { PORT: String(port), LOG_LEVEL: 'warn', NODE_ENV: 'production', ...overrides, ...extraEnv() }),
  };
  const dist = process.env.BENCH_DIST === '1';
  if (dist && !existsSync(path.join(root, 'dist/server/main.js'))) throw new Error('BENCH_DIST=1 needs npm run build:server first');
  // e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the service
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawnNode([...nodeArgs, ...(dist ? ['dist/server/main.js'] : ['--import', 'tsx', 'server/main.ts'])], env, root);
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url);
  return { child, url };
}

export async function startBareExpress(script: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawnNode(['--import', 'tsx', script], { ...process.env, ...env });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`${script} exited (${code})`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

export async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  if (res.status !== 200) throw new Error(`sign-in: ${res.status}`);
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

/**
 * CPU seconds a process has used (Linux: utime + stime from /proc, in clock ticks of 10 ms):
 * what each request costs a server, whatever else the shared machine is doing.
 */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Runs `run` and adds the CPU time process `pid` spent per answered request, in microseconds. */
export async function withCpu<T extends LoadResult>(pid: number, run: () => Promise<T>): Promise<T & { cpuUsPerRequest: number }> {
  const before = cpuSeconds(pid);
  const result = await run();
  return { ...result, cpuUsPerRequest: ((cpuSeconds(pid) - before) * 1e6) / Math.max(1, result.ok) };
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
