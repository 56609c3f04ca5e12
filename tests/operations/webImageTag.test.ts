/**
 * Nginx is recreated only when its image or configuration changes: the web image is tagged by
 * a hash of what it is built from (scripts/web-image-tag.sh), compose and the stack name it by
 * that tag alone (never the commit's IMAGE_TAG), and nothing else in Nginx's service definition
 * moves from one commit to the next. Checked on a scratch git repository with real commits.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'web-image-tag.sh');
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('scripts/web-image-tag.sh', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    writeFileSync(join(repo, file), text);
  };
  const commit = (file: string, text: string) => {
    write(file, text);
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', `change ${file}`);
    return git('rev-parse', 'HEAD');
  };
  const tagOf = (rev: string) => execFileSync(SCRIPT, [rev], { env: { ...process.env, WEB_TAG_REPO: repo }, encoding: 'utf8' }).trim();

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'mq-webtag-'));
    git('init', '-q');
    for (const f of ['nginx/nginx.conf', 'client/src/main.ts', 'server/main.ts', 'package.json', 'package-lock.json', 'Dockerfile', 'README.md']) write(f, `${f} v1\n`);
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  test('same tag for commits that leave nginx/, client/, dependencies and the Dockerfile alone; a new one otherwise', () => {
    const first = commit('README.md', 'v1\n');
    const base = tagOf(first);
    expect(base).toMatch(/^web-[0-9a-f]{12}$/);
    expect(tagOf(commit('server/main.ts', 'server v2\n'))).toBe(base);
    expect(tagOf(commit('README.md', 'v2\n'))).toBe(base);
    const tags = new Set([base]);
    for (const file of ['nginx/nginx.conf', 'client/src/main.ts', 'package-lock.json', 'Dockerfile']) {
      const tag = tagOf(commit(file, `${file} v2\n`));
      expect(tags.has(tag)).toBe(false);
      tags.add(tag);
    }
    // A commit's tag never changes (a rollback finds its web image again).
    expect(tagOf(first)).toBe(base);
  });
});

describe("Nginx's service definition does not change with the commit", () => {
  for (const file of ['docker-compose.yml', 'docker-stack.yml']) {
    test(`${file}: Nginx names its image by WEB_IMAGE_TAG and never mentions IMAGE_TAG`, () => {
      const nginx = (parse(readFileSync(join(ROOT, file), 'utf8'), { merge: true }) as Obj).services.nginx;
      expect(nginx.image).toMatch(/-web:\$\{WEB_IMAGE_TAG[:}]/);
      expect(JSON.stringify(nginx)).not.toMatch(/\$\{IMAGE_TAG\b/);
    });
  }

  test('build-image.sh tags the web image with web-image-tag.sh, labels the app image with it; deploy.sh reads that label into the release env file', () => {
    const build = readFileSync(join(ROOT, 'scripts', 'build-image.sh'), 'utf8');
    expect(build).toMatch(/WEB_TAG="\$\("\$\(dirname "\$0"\)\/web-image-tag\.sh" "\$sha"\)"/);
    expect(build).toMatch(/--label "org\.meeple-queue\.web-tag=\$WEB_TAG" --target runtime/);
    expect(build).toMatch(/-t "\$REPO-web:\$WEB_TAG"/);
    // No per-build label (a date, the commit) on the web image: rebuilt, it stays the same image.
    const webBuild = build.split('\n').find((l) => l.includes('--target web'))!;
    expect(webBuild).toContain('"${web_args[@]}"');
    expect(build).toMatch(/web_args=\(--label "org\.opencontainers\.image\.source=\$\{GIT_URL:-\}"/);
    // deploy.sh reads the label of $IMAGE:<tag> (lib.sh's web_tag_of) and writes WEB_IMAGE_TAG
    // into the release's env file; tests/operations/pipeline.test.ts runs it and checks what runs.
    expect(readFileSync(join(ROOT, 'scripts', 'lib.sh'), 'utf8')).toMatch(/web_tag_of\(\) \{[^}]*org\.meeple-queue\.web-tag/);
    const deploy = readFileSync(join(ROOT, 'scripts', 'deploy.sh'), 'utf8');
    expect(deploy).toMatch(/web_tag_of "\$image"/);
    expect(deploy).toMatch(/printf 'IMAGE=%s\\nIMAGE_TAG=%s\\nWEB_IMAGE_TAG=%s\\n'/);
  });
});
