/**
 * Puts tests/helpers/fakeDockerEngine.cjs on PATH as `docker`: a loopback stand-in for the Docker
 * engine that records the calls scripts/*.sh make and keeps a small model of images,
 * containers and Swarm services (see the .cjs file for what it models and how).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeContainer {
  id: string;
  image: string;
  running: boolean;
  labels: Record<string, string>;
  /** `docker exec` runs its command on this machine with this environment. */
  env?: Record<string, string>;
}

export interface FakeImage {
  ref: string;
  created: string;
  /** The `--label`s it was built with. */
  labels?: Record<string, string>;
}

export interface FakeService {
  spec: string;
  replicas: number;
  state: string;
  tasks: string[];
  pending?: boolean;
}

export interface FakeDockerState {
  swarm?: string;
  updateDelayPolls?: number;
  /** Swarm updates to these images fail and are rolled back. */
  failingImages?: string[];
  unhealthyImages?: string[];
  images?: FakeImage[];
  /** What was pushed, by reference (`docker pull` takes it from here). */
  registry?: Record<string, FakeImage>;
  containers?: FakeContainer[];
  services?: Record<string, FakeService>;
  pushed?: string[];
}

export interface FakeCall {
  args: string[];
  env: Record<string, string | undefined>;
}

const REAL_DOCKER = spawnSync('sh', ['-c', 'command -v docker'], { encoding: 'utf8' }).stdout.trim();

export class FakeDocker {
  readonly dir = mkdtempSync(join(tmpdir(), 'mq-fake-docker-'));
  private readonly statePath = join(this.dir, 'state.json');
  private readonly logPath = join(this.dir, 'calls.jsonl');

  constructor(initial: FakeDockerState = {}) {
    const bin = join(this.dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'docker'), `#!/bin/sh\nexec node ${JSON.stringify(join(__dirname, 'fakeDockerEngine.cjs'))} "$@"\n`);
    chmodSync(join(bin, 'docker'), 0o755);
    this.set(initial);
    writeFileSync(this.logPath, '');
  }

  /** Environment for a script run: the fake first on PATH, the real client for `stack config`. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      PATH: `${join(this.dir, 'bin')}:${process.env.PATH}`,
      FAKE_DOCKER_STATE: this.statePath,
      FAKE_DOCKER_LOG: this.logPath,
      REAL_DOCKER,
      HOME: this.dir,
      ...extra,
    };
  }

  state(): FakeDockerState {
    return JSON.parse(readFileSync(this.statePath, 'utf8')) as FakeDockerState;
  }

  set(patch: FakeDockerState) {
    let current: FakeDockerState = {};
    try {
      current = this.state();
    } catch {
      // first write
    }
    writeFileSync(this.statePath, JSON.stringify({ ...current, ...patch }));
  }

  calls(): FakeCall[] {
    return readFileSync(this.logPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as FakeCall);
  }

  /** Images of the running containers of a compose service. */
  composeImages(service: string): string[] {
    return (this.state().containers ?? []).filter((c) => c.running && c.labels['com.docker.compose.service'] === service).map((c) => c.image);
  }

  remove() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** `docker stack config` renders a stack file without an engine; tests that need it check this. */
export const hasDockerClient = REAL_DOCKER !== '';
