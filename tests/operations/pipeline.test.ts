/**
 * Jenkinsfile ↔ scripts/: every stage calls a script that exists, is executable, is strict
 * bash and explains itself with --help (each step also runs by hand).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const jenkinsfile = readFileSync(join(ROOT, 'Jenkinsfile'), 'utf8');
const shellScripts = readdirSync(join(ROOT, 'scripts')).filter((f) => f.endsWith('.sh'));

describe('Jenkinsfile', () => {
  test('declarative pipeline triggered by the GitHub webhook', () => {
    expect(jenkinsfile).toMatch(/^pipeline \{/m);
    expect(jenkinsfile).toMatch(/triggers \{\s*githubPush\(\)\s*\}/);
  });

  test('stages in order: checkout, install, lint, test, build, deploy, health, smoke', () => {
    const order = ['Checkout', 'Install', 'Lint & typecheck', 'Test (MySQL + Redis)', 'Build image', 'Deploy', 'Roll out', 'Wait for /health', 'Smoke test'];
    const positions = order.map((name) => jenkinsfile.indexOf(`stage('${name}')`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  test('rolls back on a failed deploy/smoke test and notifies on success and failure', () => {
    expect(jenkinsfile).toMatch(/failure \{[\s\S]*scripts\/rollback\.sh "\$PREVIOUS_TAG"/);
    expect(jenkinsfile).toMatch(/success \{[\s\S]*credentialsId: 'meeple-notify-webhook'[\s\S]*scripts\/notify\.sh success/);
    expect(jenkinsfile).toMatch(/scripts\/notify\.sh failure/);
    expect(jenkinsfile).not.toMatch(/https?:\/\/hooks\./); // the webhook URL is a credential
  });

  test('every script the pipeline calls exists and is executable', () => {
    const called = [...new Set([...jenkinsfile.matchAll(/scripts\/([\w-]+\.sh)/g)].map((m) => m[1]!))];
    expect(called.length).toBeGreaterThanOrEqual(8);
    for (const s of called) accessSync(join(ROOT, 'scripts', s), constants.X_OK);
  });
});

describe('scripts/*.sh', () => {
  test.each(shellScripts)('%s: valid, strict bash with usage text', (name) => {
    const file = join(ROOT, 'scripts', name);
    expect(spawnSync('bash', ['-n', file]).status).toBe(0);
    const text = readFileSync(file, 'utf8');
    if (name === 'lib.sh') return; // sourced helpers
    if (name === 'docker-entrypoint.sh') {
      expect(text).toMatch(/^set -eu$/m); // POSIX sh in the image
      return;
    }
    expect(text).toMatch(/^set -euo pipefail$/m);
    accessSync(file, constants.X_OK);
    const help = spawnSync('bash', [file, '--help'], { encoding: 'utf8', timeout: 10_000, env: { ...process.env, NOTIFY_WEBHOOK_URL: '' } });
    expect(help.status).toBe(0);
    expect(`${help.stdout}${help.stderr}`).toMatch(/Usage:/);
  });
});
