/**
 * Jenkinsfile ↔ scripts/: every stage calls a script that exists, is executable, is strict
 * bash and explains itself with --help (each step also runs by hand); one image name, the mode
 * from the agent, Cleanup, JUnit; and the deploy/rollback/cleanup scripts run against a fake
 * `docker` (below).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FakeDocker, type FakeImage } from '../helpers/fakeDocker';

const ROOT = join(__dirname, '..', '..');
const jenkinsfile = readFileSync(join(ROOT, 'Jenkinsfile'), 'utf8');
/** jest.config.js as a process with this environment loads it. */
function jestConfig(env: Record<string, string>): { reporters: unknown[] } {
  const res = spawnSync(process.execPath, ['-e', 'process.stdout.write(JSON.stringify(require(process.argv[1])))', join(ROOT, 'jest.config.js')], { encoding: 'utf8', env: { ...process.env, ...env } });
  return JSON.parse(res.stdout) as { reporters: unknown[] };
}
function junitReporter(env: Record<string, string>) {
  const entry = jestConfig(env).reporters.find((r) => Array.isArray(r) && r[0] === 'jest-junit') as [string, { outputDirectory: string; outputName: string }] | undefined;
  return entry?.[1];
}
const shellScripts = readdirSync(join(ROOT, 'scripts')).filter((f) => f.endsWith('.sh'));

describe('Jenkinsfile', () => {
  test('declarative pipeline triggered by the GitHub webhook', () => {
    expect(jenkinsfile).toMatch(/^pipeline \{/m);
    expect(jenkinsfile).toMatch(/triggers \{\s*githubPush\(\)\s*\}/);
  });

  test('stages in order: checkout, cleanup, install, lint, test, build, deploy, health, smoke', () => {
    const order = ['Checkout', 'Cleanup', 'Install', 'Lint & typecheck', 'Test (MySQL + Redis)', 'Build image', 'Deploy', 'Roll out', 'Wait for /health', 'Smoke test'];
    const positions = order.map((name) => jenkinsfile.indexOf(`stage('${name}')`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  test('rolls back on a failed deploy/smoke test and notifies on success and failure', () => {
    expect(jenkinsfile).toMatch(/failure \{[\s\S]*scripts\/rollback\.sh --from "\$IMAGE_TAG"/);
    expect(jenkinsfile).toMatch(/success \{[\s\S]*credentialsId: 'meeple-notify-webhook'[\s\S]*scripts\/notify\.sh success/);
    expect(jenkinsfile).toMatch(/scripts\/notify\.sh failure/);
    expect(jenkinsfile).not.toMatch(/https?:\/\/hooks\./); // the webhook URL is a credential
  });

  test('one image name, registry included, and nothing in the shell that overrides the env file', () => {
    const assignments = [...jenkinsfile.matchAll(/^\s*(IMAGE\w*|REGISTRY)\s*=/gm)].map((m) => m[1]);
    expect(assignments).toEqual(['IMAGE']);
    expect(jenkinsfile).toMatch(/^\s*IMAGE = "\$\{env\.MEEPLE_REGISTRY \?: ''\}meeple-queue"$/m);
    expect(jenkinsfile).not.toMatch(/IMAGE_REPO/);
  });

  test('the deploy mode comes from the agent, state lives on the deploy host', () => {
    expect(jenkinsfile).not.toMatch(/name: 'DEPLOY_MODE'/);
    expect(jenkinsfile).not.toMatch(/DEPLOY_MODE=/);
    expect(jenkinsfile).not.toMatch(/JENKINS_HOME/);
    expect(jenkinsfile).toMatch(/sh 'scripts\/deploy\.sh "\$IMAGE_TAG"'/);
  });

  test('a Cleanup stage, and cleanup whatever the result', () => {
    expect(jenkinsfile).toMatch(/stage\('Cleanup'\) \{[\s\S]*?sh 'scripts\/cleanup\.sh'/);
    expect(jenkinsfile).toMatch(/post \{[\s\S]*cleanup \{\s*(\/\/.*\s*)*sh 'scripts\/cleanup\.sh'/);
  });

  test('publishes the JUnit XML that npm test writes in CI mode', () => {
    const published = /junit testResults: '([^']+)'/.exec(jenkinsfile)?.[1];
    const junit = junitReporter({ CI: 'true' });
    expect(junit).toBeDefined();
    expect(published).toBe(`${junit!.outputDirectory}/${junit!.outputName}`);
    expect(junitReporter({ CI: '' })).toBeUndefined(); // local runs write no XML
    expect(readFileSync(join(ROOT, 'scripts', 'ci-test.sh'), 'utf8')).toMatch(/^export CI=true$/m);
  });

  test('the reporter writes JUnit XML with every test and its failure', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mq-junit-'));
    try {
      writeFileSync(join(dir, 'sample.test.js'), "test('passes', () => {});\ntest('fails', () => { throw new Error('boom'); });\n");
      // The project's reporters, with jest-junit resolved from the project (the sample is in /tmp).
      const reporters = jestConfig({ CI: 'true' }).reporters.map((r) => (Array.isArray(r) && r[0] === 'jest-junit' ? [require.resolve('jest-junit'), r[1]] : r));
      writeFileSync(join(dir, 'jest.config.js'), `module.exports = { rootDir: __dirname, testMatch: ['**/sample.test.js'], reporters: ${JSON.stringify(reporters)} };`);
      const res = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--ci', '--config', join(dir, 'jest.config.js')], { cwd: dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, CI: 'true' } });
      expect(`${res.status}${res.stderr}`).toMatch(/^1[\s\S]*1 failed/); // one test failed
      const xml = readFileSync(join(dir, 'test-results', 'junit.xml'), 'utf8');
      expect(xml).toMatch(/<testsuites [^>]*tests="2" failures="1"/);
      expect(xml).toMatch(/<testsuite name="sample\.test\.js"/);
      expect(xml).toMatch(/<testcase [^>]*name="fails"[\s\S]*?<failure[\s\S]*?boom/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

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

/**
 * The deploy, rollback and cleanup scripts against a stand-in for the Docker engine
 * (tests/helpers/fakeDockerEngine.cjs on PATH as `docker`: a loopback fake that records the calls and
 * models images, containers and Swarm services; stack files are rendered by the real
 * `docker stack config`, compose files interpolated the way Compose does).
 */
describe('deploy, rollback and cleanup against a fake docker', () => {
  const REGISTRY_IMAGE = 'registry.example.com:5000/cafe/meeple-queue';
  const WEB_LABEL = 'org.meeple-queue.web-tag';
  let fake: FakeDocker;
  let envFile: string;
  /**
   * A scratch repository build-image.sh reads the web image's inputs from (WEB_TAG_REPO):
   * commit A, then B changes nginx/ (a new web tag), then C changes only the README (B's tag).
   */
  let repo: string;
  const commits: Record<'A' | 'B' | 'C', string> = { A: '', B: '', C: '' };
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
  const commit = (file: string, text: string) => {
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    writeFileSync(join(repo, file), text);
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', `change ${file}`);
    return git('rev-parse', 'HEAD');
  };
  const webTag = (rev: string) => execFileSync(join(ROOT, 'scripts', 'web-image-tag.sh'), [rev], { env: { ...process.env, WEB_TAG_REPO: repo }, encoding: 'utf8' }).trim();

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'mq-pipeline-repo-'));
    git('init', '-q');
    for (const f of ['client/src/main.ts', 'package.json', 'package-lock.json', 'Dockerfile']) {
      mkdirSync(dirname(join(repo, f)), { recursive: true });
      writeFileSync(join(repo, f), `${f} v1\n`);
    }
    commits.A = commit('nginx/nginx.conf', 'v1\n');
    commits.B = commit('nginx/nginx.conf', 'v2\n');
    commits.C = commit('README.md', 'only the readme\n');
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));
  /** App images already on the engine (built earlier), each naming its web image by its label. */
  const appImages = (web: string, ...tags: string[]): FakeImage[] => tags.map((tag) => ({ ref: `${REGISTRY_IMAGE}:${tag}`, created: '2026-11-28 10:00:00 +0000 UTC', labels: { [WEB_LABEL]: web } }));

  beforeEach(() => {
    fake = new FakeDocker();
    envFile = join(fake.dir, 'jenkins-secret.env');
    // The settings file Jenkins hands over; its stale image lines must not win.
    writeFileSync(
      envFile,
      ['MYSQL_ROOT_PASSWORD=r00t', 'MYSQL_PASSWORD=pw', 'REDIS_PASSWORD=abc123', 'METRICS_TOKEN=0123456789abcdef', 'SESSION_SECRET=0123456789abcdef0123', 'ADMIN_PASSWORD=Sup3r-secret-pass', 'IMAGE_REPO=stale-name', 'IMAGE=stale/meeple-queue', 'IMAGE_TAG=old', 'WEB_IMAGE_TAG=stale-web'].join('\n'),
    );
  });
  afterEach(() => fake.remove());

  function script(name: string, args: string[], env: Record<string, string> = {}) {
    return spawnSync('bash', [join(ROOT, 'scripts', name), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      // What the Jenkinsfile's environment block gives every sh step, plus the old fixed
      // IMAGE_REPO and a WEB_IMAGE_TAG left in the shell (neither may name what runs).
      env: fake.env({ IMAGE: REGISTRY_IMAGE, IMAGE_REPO: 'meeple-queue', WEB_IMAGE_TAG: 'shell-web', NGINX_RESOLVE_WAIT: '0', SWARM_POLL_SECONDS: '0', GIT_COMMIT: commits.A, WEB_TAG_REPO: repo, ...env }),
    });
  }
  function ok(name: string, args: string[], env: Record<string, string> = {}) {
    const res = script(name, args, env);
    if (res.status !== 0) throw new Error(`${name} ${args.join(' ')} exited ${res.status}:\n${res.stdout}\n${res.stderr}`);
    return res;
  }
  const stateFile = (name: string) => readFileSync(join(fake.dir, '.meeple-queue-deploy', name), 'utf8').trim();

  test('compose: what is built and pushed is exactly what runs, whatever the shell and the settings file say', () => {
    const web = webTag(commits.A);
    expect(web).toMatch(/^web-[0-9a-f]{12}$/);
    ok('build-image.sh', ['aaa111'], { PUSH: 'true' });
    expect(fake.state().pushed).toEqual([`${REGISTRY_IMAGE}:aaa111`, `${REGISTRY_IMAGE}-web:${web}`]);
    expect(fake.state().images!.find((i) => i.ref === `${REGISTRY_IMAGE}:aaa111`)!.labels![WEB_LABEL]).toBe(web);

    ok('deploy.sh', ['aaa111'], { ENV_FILE: envFile });
    expect(fake.composeImages('app')).toEqual([`${REGISTRY_IMAGE}:aaa111`, `${REGISTRY_IMAGE}:aaa111`]);
    expect(fake.composeImages('nginx')).toEqual([`${REGISTRY_IMAGE}-web:${web}`]);
    for (const image of [...fake.composeImages('app'), ...fake.composeImages('nginx')]) expect(fake.state().pushed).toContain(image);
    // The image variables never reach compose from the shell: the release's env file decides.
    const composeCalls = fake.calls().filter((c) => c.args[0] === 'compose');
    expect(composeCalls.length).toBeGreaterThan(0);
    for (const call of composeCalls) expect(call.env).toEqual({});
    // Kept on the deploy host: the env file the release ran with, and its tag.
    const kept = readFileSync(join(fake.dir, '.meeple-queue-deploy', 'deploy.env'), 'utf8');
    expect(kept).toContain('MYSQL_PASSWORD=pw');
    expect(kept).not.toMatch(/stale/);
    expect(kept).toMatch(new RegExp(`^IMAGE=${REGISTRY_IMAGE}$`, 'm'));
    expect(kept).toMatch(/^IMAGE_TAG=aaa111$/m);
    expect(kept).toMatch(new RegExp(`^WEB_IMAGE_TAG=${web}$`, 'm'));
    expect(kept).not.toMatch(/shell-web/);
    expect(stateFile('current')).toBe('aaa111');

    // The next commit leaves nginx/ and client/ alone: the web image is not built again.
    const builds = () => fake.calls().filter((c) => c.args[0] === 'build' && c.args.includes('web')).length;
    const before = builds();
    ok('build-image.sh', ['aaa222'], { GIT_COMMIT: commits.A });
    expect(builds()).toBe(before);
  });

  test('deploy then rollback: the Nginx image follows the app image, through the release env file and a pull', () => {
    const [webA, webB] = [webTag(commits.A), webTag(commits.B)];
    expect(webB).not.toBe(webA);
    expect(webTag(commits.C)).toBe(webB); // C changes only the README
    ok('build-image.sh', ['v1'], { GIT_COMMIT: commits.A, PUSH: 'true' });
    ok('build-image.sh', ['v2'], { GIT_COMMIT: commits.B, PUSH: 'true' });
    ok('build-image.sh', ['v3'], { GIT_COMMIT: commits.C, PUSH: 'true' });
    const keptEnv = () => readFileSync(join(fake.dir, '.meeple-queue-deploy', 'deploy.env'), 'utf8');
    const nginxIds = () => (fake.state().containers ?? []).filter((c) => c.labels['com.docker.compose.service'] === 'nginx').map((c) => c.id);

    ok('deploy.sh', ['v1'], { ENV_FILE: envFile });
    expect(fake.composeImages('nginx')).toEqual([`${REGISTRY_IMAGE}-web:${webA}`]);
    ok('deploy.sh', ['v2']);
    expect(fake.composeImages('nginx')).toEqual([`${REGISTRY_IMAGE}-web:${webB}`]);
    const nginxOfV2 = nginxIds();
    ok('deploy.sh', ['v3']);
    expect(fake.composeImages('app')).toEqual(Array(2).fill(`${REGISTRY_IMAGE}:v3`));
    expect(nginxIds()).toEqual(nginxOfV2); // same web image: Nginx not recreated
    expect(keptEnv()).toMatch(new RegExp(`^WEB_IMAGE_TAG=${webB}$`, 'm'));

    const back = ok('rollback.sh', ['--from', 'v3'], { HEALTH_URL: 'none' });
    expect(back.stdout.trim()).toBe('v2');
    expect(fake.composeImages('nginx')).toEqual([`${REGISTRY_IMAGE}-web:${webB}`]);

    // v1 is no longer on this engine (pruned): the deploy host pulls it to read its label.
    fake.set({ images: fake.state().images!.filter((i) => i.ref !== `${REGISTRY_IMAGE}:v1`) });
    const further = ok('rollback.sh', ['v1'], { HEALTH_URL: 'none' });
    expect(further.stdout.trim()).toBe('v1');
    expect(fake.calls().some((c) => c.args[0] === 'pull' && c.args.includes(`${REGISTRY_IMAGE}:v1`))).toBe(true);
    expect(fake.composeImages('app')).toEqual(Array(2).fill(`${REGISTRY_IMAGE}:v1`));
    expect(fake.composeImages('nginx')).toEqual([`${REGISTRY_IMAGE}-web:${webA}`]);
    expect(keptEnv()).toMatch(new RegExp(`^IMAGE_TAG=v1\nWEB_IMAGE_TAG=${webA}$`, 'm'));
    for (const call of fake.calls().filter((c) => c.args[0] === 'compose')) expect(call.env).toEqual({});

    // An app image that is nowhere cannot be deployed (and nothing changes).
    const missing = script('deploy.sh', ['v9']);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/cannot pull .*:v9/);
    expect(fake.composeImages('app')).toEqual(Array(2).fill(`${REGISTRY_IMAGE}:v1`));
    expect(stateFile('current')).toBe('v1');
  });

  test('the mode comes from the engine: a Swarm manager deploys the stack, a worker refuses, DEPLOY_MODE wins', () => {
    fake.set({ swarm: 'active true', images: appImages('web-1', 'bbb222', 'bbb333', 'bbb444') });
    ok('deploy.sh', ['bbb222'], { ENV_FILE: envFile });
    expect(fake.calls().some((c) => c.args[0] === 'stack' && c.args[1] === 'deploy')).toBe(true);
    expect(fake.calls().some((c) => c.args[0] === 'compose')).toBe(false);
    expect(fake.state().services!.meeple_app!.spec).toBe(`${REGISTRY_IMAGE}:bbb222`);
    expect(fake.state().services!.meeple_nginx!.spec).toBe(`${REGISTRY_IMAGE}-web:web-1`);

    fake.set({ swarm: 'active false' });
    const worker = script('deploy.sh', ['bbb333'], { ENV_FILE: envFile });
    expect(worker.status).not.toBe(0);
    expect(worker.stderr).toMatch(/Swarm worker/);

    ok('deploy.sh', ['bbb444'], { ENV_FILE: envFile, DEPLOY_MODE: 'compose' });
    expect(fake.composeImages('app')[0]).toBe(`${REGISTRY_IMAGE}:bbb444`);
  });

  test('swarm: not converged before the update has started and every task runs the new image', () => {
    fake.set({ swarm: 'active true', images: [...appImages('web-1', 'ccc111'), ...appImages('web-2', 'ccc222')] });
    ok('deploy.sh', ['ccc111'], { ENV_FILE: envFile });
    // The last update "completed"; the next one starts only after 3 polls.
    const services = fake.state().services!;
    for (const svc of Object.values(services)) svc.state = 'completed';
    fake.set({ services, updateDelayPolls: 3 });

    const res = ok('deploy.sh', ['ccc222']);
    expect(res.stderr).toMatch(/meeple_app converged: 3\/3 tasks run/);
    const app = fake.state().services!.meeple_app!;
    expect(app.pending).toBe(false); // the fake's update ran to its end before deploy.sh returned
    expect(app.tasks).toEqual(Array(3).fill(`${REGISTRY_IMAGE}:ccc222`));
    expect(fake.state().services!.meeple_nginx!.tasks.every((t) => t === `${REGISTRY_IMAGE}-web:web-2`)).toBe(true);
    expect(res.stderr).toMatch(/meeple_nginx converged: \d+\/\d+ tasks run .*-web:web-2/);
    const polls = fake.calls().filter((c) => c.args[0] === 'service' && c.args.some((a) => a.includes('UpdateStatus')) && c.args.includes('meeple_app'));
    // Not converged while the update had not started (3 polls), nor while it ran (1 more).
    expect(polls.length).toBeGreaterThan(4);
    expect(stateFile('current')).toBe('ccc222');
    expect(stateFile('previous')).toBe('ccc111');
  });

  test('swarm: an update Swarm rolled back fails the deploy and records nothing', () => {
    fake.set({ swarm: 'active true', images: appImages('web-1', 'ddd111', 'ddd222') });
    ok('deploy.sh', ['ddd111'], { ENV_FILE: envFile });
    fake.set({ failingImages: [`${REGISTRY_IMAGE}:ddd222`] });
    const res = script('deploy.sh', ['ddd222']);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/rolled back/);
    expect(stateFile('current')).toBe('ddd111');
    expect(readFileSync(join(fake.dir, '.meeple-queue-deploy', 'deploy.env'), 'utf8')).toMatch(/^IMAGE_TAG=ddd111$/m);

    // Jenkins then re-applies the live tag: Swarm has nothing to update (UpdateStatus still
    // says rollback_completed from the failed update) and the tasks run it: converged.
    const back = ok('rollback.sh', ['--from', 'ddd222'], { HEALTH_URL: 'none' });
    expect(back.stdout.trim()).toBe('ddd111');
    expect(fake.state().services!.meeple_app!.state).toBe('rollback_completed');
  });

  test('rollback restores the previous tag from the deploy host state, with the kept env file', () => {
    // Images built before the web tag label: their web image has their own tag.
    fake.set({ images: ['v1', 'v2', 'v3'].map((tag) => ({ ref: `${REGISTRY_IMAGE}:${tag}`, created: '2026-11-28 10:00:00 +0000 UTC' })) });
    ok('deploy.sh', ['v1'], { ENV_FILE: envFile });
    ok('deploy.sh', ['v2'], { ENV_FILE: envFile });
    expect(stateFile('previous')).toBe('v1');

    // v3 never becomes healthy: the deploy fails, the old replicas keep serving.
    fake.set({ unhealthyImages: [`${REGISTRY_IMAGE}:v3`] });
    expect(script('deploy.sh', ['v3'], { ENV_FILE: envFile }).status).not.toBe(0);
    expect(fake.composeImages('app')).toEqual(Array(2).fill(`${REGISTRY_IMAGE}:v2`));
    expect(stateFile('current')).toBe('v2');

    // Jenkins: rollback --from the tag it tried. No ENV_FILE: the deploy host's own copy is used.
    const again = ok('rollback.sh', ['--from', 'v3'], { HEALTH_URL: 'none' });
    expect(again.stdout.trim()).toBe('v2');

    // v2's smoke test fails after it went live: back to v1.
    const back = ok('rollback.sh', ['--from', 'v2'], { HEALTH_URL: 'none' });
    expect(back.stdout.trim()).toBe('v1');
    expect(fake.composeImages('app')).toEqual(Array(2).fill(`${REGISTRY_IMAGE}:v1`));
    expect(fake.composeImages('nginx')).toEqual([`${REGISTRY_IMAGE}-web:v1`]);
    expect(stateFile('current')).toBe('v1');
    expect(stateFile('failed')).toBe('v2');
    expect(readFileSync(join(fake.dir, '.meeple-queue-deploy', 'deploy.env'), 'utf8')).toMatch(/^IMAGE_TAG=v1$/m);

    const nothing = script('rollback.sh', ['--from', 'v1'], { HEALTH_URL: 'none' });
    expect(nothing.status).not.toBe(0);
    expect(nothing.stderr).toMatch(/nothing to roll back to/);
  });

  test('cleanup keeps the newest KEEP_IMAGES tags, the deployed ones and images in use', () => {
    // Six builds, oldest first (what build-image.sh leaves: both images of each tag).
    const built = ['t1', 't2', 't3', 't4', 't5', 't6'].flatMap((tag, i) => [`${REGISTRY_IMAGE}:${tag}`, `${REGISTRY_IMAGE}-web:${tag}`].map((ref) => ({ ref, created: `2026-11-2${i} 10:00:00 +0000 UTC` })));
    fake.set({ images: built });
    ok('deploy.sh', ['t1'], { ENV_FILE: envFile });
    ok('deploy.sh', ['t2'], { ENV_FILE: envFile });
    fake.set({ containers: [...fake.state().containers!, { id: 'c-other', image: `${REGISTRY_IMAGE}:t3`, running: false, labels: {} }] });
    fake.set({ containers: [...fake.state().containers!, { id: 'c-ci', image: 'mysql:8.4', running: false, labels: { 'meeple-queue.ci-job': 'meeple' } }] });

    const res = ok('cleanup.sh', [], { KEEP_IMAGES: '2', JOB_NAME: 'meeple' });
    const tags = (repo: string) => fake.state().images!.filter((i) => i.ref.startsWith(`${repo}:`)).map((i) => i.ref.split(':').pop()).sort();
    expect(tags(REGISTRY_IMAGE)).toEqual(['t1', 't2', 't3', 't5', 't6']); // newest 2, current, previous, in use
    expect(tags(`${REGISTRY_IMAGE}-web`)).toEqual(['t1', 't2', 't3', 't5', 't6']); // those of the app tags kept (no label: the same tag)
    expect(res.stderr).toMatch(/could not remove .*:t3/);
    expect(fake.state().containers!.some((c) => c.id === 'c-ci')).toBe(false);
    expect(script('cleanup.sh', [], { KEEP_IMAGES: 'all' }).status).not.toBe(0);
  });

  test('cleanup keeps the web image a kept app tag names, however old', () => {
    const at = (day: number) => `2026-11-${10 + day} 10:00:00 +0000 UTC`;
    const app = (tag: string, web: string, day: number) => ({ ref: `${REGISTRY_IMAGE}:${tag}`, created: at(day), labels: { [WEB_LABEL]: web } });
    const web = (tag: string, day: number) => ({ ref: `${REGISTRY_IMAGE}-web:${tag}`, created: at(day) });
    fake.set({
      images: [web('web-a', 0), app('t1', 'web-a', 1), web('web-b', 2), app('t2', 'web-b', 3), app('t3', 'web-b', 4), web('web-c', 5), web('web-d', 6), app('t4', 'web-d', 7), app('t5', 'web-d', 8)],
    });
    mkdirSync(join(fake.dir, '.meeple-queue-deploy'));
    writeFileSync(join(fake.dir, '.meeple-queue-deploy', 'current'), 't1\n'); // the live release is old

    ok('cleanup.sh', [], { KEEP_IMAGES: '2', JOB_NAME: 'meeple' });
    const tags = (repo: string) => fake.state().images!.filter((i) => i.ref.startsWith(`${repo}:`)).map((i) => i.ref.split(':').pop()).sort();
    expect(tags(REGISTRY_IMAGE)).toEqual(['t1', 't4', 't5']);
    // web-a: the oldest web image, but the live t1 names it; web-b: only removed app tags named it.
    expect(tags(`${REGISTRY_IMAGE}-web`)).toEqual(['web-a', 'web-c', 'web-d']);
  });
});
