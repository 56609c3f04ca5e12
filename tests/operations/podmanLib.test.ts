/**
 * scripts/podman/lib.sh, the helpers of the podman bring-ups (container-smoke.sh,
 * compose-up-for-real.sh), sourced the way those scripts source them (strict bash). What a
 * real run on a fresh machine found wrong, pinned here so it cannot come back unnoticed:
 * - on a machine whose apt sources are deb822 only (no /etc/apt/sources.list), the mirror
 *   lookup ended the whole script, silently, before debootstrap;
 * - an image with an owner (`prom/prometheus:v2.55.1`) is what the Docker API asks podman for
 *   as `docker.io/prom/prometheus:…`, not `docker.io/library/…`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/nginx';

/** Runs `body` in strict bash after sourcing scripts/lib.sh and scripts/podman/lib.sh. */
function strictBash(body: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const script = `set -euo pipefail\n. scripts/lib.sh\n. scripts/podman/lib.sh\n${body}`;
  const res = spawnSync('bash', ['-c', script, 'podman-lib', ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('scripts/podman/lib.sh', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mq-apt-'));
    mkdirSync(join(dir, 'sources.list.d'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const lookup = 'm="$(apt_mirror "$1/sources.list" "$1/sources.list.d/")"\necho "mirror=[$m]"';

  test('a deb822-only machine (no sources.list): the mirror is found and the script goes on', () => {
    writeFileSync(
      join(dir, 'sources.list.d', 'debian.sources'),
      'Types: deb\nURIs: http://deb.example.org/debian\nSuites: bookworm\n\nTypes: deb\nURIs: http://deb.example.org/debian-security\nSuites: bookworm-security\n',
    );
    expect(strictBash(lookup, dir)).toMatchObject({ status: 0, stdout: 'mirror=[http://deb.example.org/debian]\n' });
  });

  test('a one-line sources.list works as well', () => {
    writeFileSync(join(dir, 'sources.list'), 'deb http://mirror.example.net/debian/ bookworm main\n');
    expect(strictBash(lookup, dir)).toMatchObject({ status: 0, stdout: 'mirror=[http://mirror.example.net/debian/]\n' });
  });

  test('no sources at all: an empty mirror (debootstrap\'s default), not the end of the script', () => {
    expect(strictBash(lookup, join(dir, 'missing'))).toMatchObject({ status: 0, stdout: 'mirror=[]\n' });
  });

  test('images are tagged as the Docker API spells them in full', () => {
    const names = ['redis:7-alpine', 'meeple-queue:podman-abc', 'prom/prometheus:v2.55.1', 'ghcr.io/owner/app:1', 'localhost:5000/app:1', 'localhost/meeple-smoke/bookworm:latest'];
    const res = strictBash('for n in "$@"; do docker_io_name "$n"; done', ...names);
    expect(res.status).toBe(0);
    expect(res.stdout.trim().split('\n')).toEqual([
      'docker.io/library/redis:7-alpine',
      'docker.io/library/meeple-queue:podman-abc',
      'docker.io/prom/prometheus:v2.55.1',
      'ghcr.io/owner/app:1',
      'localhost:5000/app:1',
      'localhost/meeple-smoke/bookworm:latest',
    ]);
  });
});
