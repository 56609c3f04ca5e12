/**
 * package-lock.json is what CI (`npm ci` in .ci/run and scripts/ci-install.sh) and the image
 * (`npm ci` in the Dockerfile) install from, on whichever platform they run. npm 11 refuses a
 * lock file that lacks another platform's optional binary ("Missing: @swc/core-darwin-arm64
 * from lock file"), so the lock must carry every platform's entries, in sync with package.json.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

interface LockEntry {
  version?: string;
  integrity?: string;
  link?: boolean;
  optional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  engines?: Record<string, string>;
}
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { lockfileVersion: number; packages: Record<string, LockEntry> };
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;

/** The lock entry Node would load for `name` required from the package at `from` (nested first, then up). */
function resolveFrom(from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!base) return undefined;
    const up = base.lastIndexOf('/node_modules/');
    base = up < 0 ? '' : base.slice(0, up);
  }
}

describe('package-lock.json', () => {
  test('lockfile v3 whose root mirrors package.json (dependencies, devDependencies, engines)', () => {
    expect(lock.lockfileVersion).toBe(3);
    const root = lock.packages['']!;
    expect(root.dependencies).toEqual(pkg.dependencies);
    expect(root.devDependencies).toEqual(pkg.devDependencies);
    expect(root.engines).toEqual(pkg.engines);
  });

  test("every package's optional dependencies have an entry (each platform's binary), every entry a version and integrity", () => {
    const missing: string[] = [];
    const unpinned: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (!path || entry.link) continue;
      if (!entry.version || !entry.integrity) unpinned.push(path);
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        if (!resolveFrom(path, name)) missing.push(`${path} -> ${name}`);
      }
    }
    expect(missing).toEqual([]);
    expect(unpinned).toEqual([]);
    // The platforms the project is built on: Linux x64/arm64 (CI, images), macOS and Windows (laptops).
    for (const binary of ['@swc/core-linux-x64-gnu', '@swc/core-linux-arm64-gnu', '@swc/core-darwin-arm64', '@swc/core-win32-x64-msvc']) {
      expect(lock.packages[`node_modules/${binary}`]?.optional).toBe(true);
    }
  });

  test('the Node range: the images run Node 22 LTS, hosts with Node 20.19+ still install', () => {
    expect(pkg.engines!.node).toBe('^20.19.0 || >=22.12.0');
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:22-bookworm-slim$/m);
    // BuildKit would fetch a `# syntax=` frontend image from Docker Hub before building.
    expect(dockerfile).not.toMatch(/^#\s*syntax=/m);
    expect(dockerfile).toMatch(/^RUN npm ci --ignore-scripts$/m);
    expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/^npm ci /m);
    expect(readFileSync(join(ROOT, 'scripts', 'ci-install.sh'), 'utf8')).toMatch(/^npm ci /m);
  });

  test('this machine\'s npm accepts the lock file for `npm ci` (dry run on a copy of package.json + lock)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mq-lock-'));
    try {
      for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(ROOT, f), join(dir, f));
      const run = spawnSync('npm', ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, npm_config_update_notifier: 'false' },
      });
      const errors = run.stderr.split('\n').filter((l) => l.startsWith('npm error')).join('\n');
      expect(errors).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/added \d+ packages/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
