/**
 * A stand-in for the Docker engine, for tests of scripts/*.sh (tests/helpers/fakeDocker.ts puts
 * it on PATH as `docker`). It records every call (argv + the image variables of its
 * environment) in FAKE_DOCKER_LOG and keeps images, containers and Swarm services in the JSON
 * file FAKE_DOCKER_STATE. It is not the engine: it answers the commands the scripts use the way
 * the engine does, and where names come from files it renders them like the real tools:
 *   - `stack deploy -c FILE`: the real `docker stack config` (the client renders the file
 *     without an engine) gives the images the services will run;
 *   - `compose --env-file F -f FILE`: the `image:` of each service is interpolated like
 *     Compose does (a variable of the shell environment wins over the env file).
 * A Swarm update starts only after `updateDelayPolls` polls of the service's UpdateStatus
 * (until then the old tasks run and UpdateStatus still says what the last update said), then
 * completes, or rolls back when the new image is one of `failingImages`.
 * Images keep the `--label`s they were built with (`image inspect --format` reads them);
 * `push` copies an image to `registry`, `pull` copies it back.
 */
'use strict';
const { appendFileSync, readFileSync, writeFileSync } = require('node:fs');
const { spawnSync } = require('node:child_process');

const statePath = process.env.FAKE_DOCKER_STATE;
const args = process.argv.slice(2);
appendFileSync(
  process.env.FAKE_DOCKER_LOG,
  `${JSON.stringify({ args, env: { IMAGE: process.env.IMAGE, IMAGE_TAG: process.env.IMAGE_TAG, WEB_IMAGE_TAG: process.env.WEB_IMAGE_TAG, IMAGE_REPO: process.env.IMAGE_REPO, REGISTRY: process.env.REGISTRY } })}\n`,
);
const state = JSON.parse(readFileSync(statePath, 'utf8'));
state.images ??= [];
state.registry ??= {};
state.containers ??= [];
state.services ??= {};
state.clock ??= 0;
const DIGEST = '@sha256:0123abcd';

function save() {
  writeFileSync(statePath, JSON.stringify(state, null, 2));
}
function fail(message) {
  process.stderr.write(`${message}\n`);
  save();
  process.exit(1);
}
function out(lines) {
  if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
}
/** Value of `--name VALUE` or `--name=VALUE` in list, and list without them. */
function option(list, name) {
  const rest = [];
  let value;
  for (let i = 0; i < list.length; i++) {
    if (list[i] === name) value = list[++i];
    else if (list[i].startsWith(`${name}=`)) value = list[i].slice(name.length + 1);
    else rest.push(list[i]);
  }
  return { value, rest };
}
function options(list, name) {
  const values = [];
  let rest = list;
  for (;;) {
    const r = option(rest, name);
    if (r.value === undefined) return { values, rest };
    values.push(r.value);
    rest = r.rest;
  }
}
function nextId() {
  state.clock += 1;
  return `c${String(state.clock).padStart(11, '0')}`;
}
function parseEnvFile(file) {
  const env = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) env[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return env;
}
/** Compose's ${VAR}, ${VAR:-default}, ${VAR:?message}. */
function interpolate(text, env) {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|:\?)([^}]*))?\}/g, (_, name, op, arg) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (op === ':?') fail(`required variable ${name} is missing a value: ${arg}`);
    return op === ':-' ? arg : '';
  });
}
function matchesFilters(container, filters) {
  return filters.every((f) => {
    const m = /^label=([^=]+)(?:=(.*))?$/.exec(f);
    if (!m) fail(`fake docker: unsupported filter ${f}`);
    return m[2] === undefined ? m[1] in container.labels : container.labels[m[1]] === m[2];
  });
}

function compose(list) {
  const envFile = option(list, '--env-file');
  const file = option(envFile.rest, '-f');
  const rest = file.rest;
  const env = { ...(envFile.value ? parseEnvFile(envFile.value) : {}), ...process.env };
  const doc = require('yaml').parse(readFileSync(file.value ?? 'docker-compose.yml', 'utf8'));
  const project = doc.name ?? 'meeple-queue';
  const imageOf = (svc) => interpolate(String(doc.services[svc].image), env);
  const mine = (svc) => state.containers.filter((c) => c.labels['com.docker.compose.project'] === project && c.labels['com.docker.compose.service'] === svc);
  const create = (svc) =>
    state.containers.push({ id: nextId(), image: imageOf(svc), running: true, labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': svc } });
  const [verb, ...more] = rest;
  if (verb === 'ps') {
    const svc = more.filter((a) => !a.startsWith('-'))[0];
    return out(mine(svc).map((c) => c.id));
  }
  if (verb !== 'up') fail(`fake docker: unsupported compose command ${verb}`);
  const scales = Object.fromEntries(options(more, '--scale').values.map((s) => s.split('=')));
  const named = options(more, '--scale').rest.filter((a) => !a.startsWith('-'));
  const services = named.length ? named : Object.keys(doc.services).filter((s) => !doc.services[s].profiles);
  for (const svc of services) {
    const want = Number(scales[svc] ?? (svc === 'app' ? doc.services[svc].deploy?.replicas ?? 1 : 1));
    let running = mine(svc);
    if (!more.includes('--no-recreate')) {
      // Recreated when the image changed (compose compares the configuration).
      const stale = running.filter((c) => c.image !== imageOf(svc)).map((c) => c.id);
      state.containers = state.containers.filter((c) => !stale.includes(c.id));
      running = mine(svc);
    }
    for (let i = running.length; i < want; i++) create(svc);
  }
}

function stackDeploy(list) {
  const file = option(list, '-c');
  const stack = file.rest.filter((a) => !a.startsWith('-')).pop();
  const rendered = spawnSync(process.env.REAL_DOCKER, ['stack', 'config', '-c', file.value], { encoding: 'utf8', env: process.env });
  if (rendered.status !== 0) fail(rendered.stderr);
  const doc = require('yaml').parse(rendered.stdout);
  for (const [name, svc] of Object.entries(doc.services)) {
    const key = `${stack}_${name}`;
    out([`${state.services[key] ? 'Updating' : 'Creating'} service ${key} (id: ${key}id)`]); // as the engine does, on stdout
    const replicas = svc.deploy?.replicas ?? 1;
    const existing = state.services[key];
    if (!existing) {
      state.services[key] = { spec: svc.image, replicas, state: '', tasks: Array(replicas).fill(svc.image), polls: 0 };
    } else if (existing.spec !== svc.image) {
      Object.assign(existing, { previous: existing.spec, spec: svc.image, replicas, polls: state.updateDelayPolls ?? 0, pending: true });
    }
  }
}

/** One poll of UpdateStatus: the update starts after `polls` polls, then finishes. */
function advance(svc) {
  if (!svc.pending) return;
  if (svc.polls > 0) {
    svc.polls -= 1;
    return;
  }
  if (svc.state !== 'updating') {
    svc.state = 'updating';
    svc.tasks[0] = svc.spec;
    return;
  }
  svc.pending = false;
  if ((state.failingImages ?? []).includes(svc.spec)) {
    svc.state = 'rollback_completed';
    svc.spec = svc.previous;
    svc.tasks = Array(svc.replicas).fill(svc.previous);
  } else {
    svc.state = 'completed';
    svc.tasks = Array(svc.replicas).fill(svc.spec);
  }
}

function service(list) {
  const [verb, ...more] = list;
  const format = option(more, '--format');
  const name = format.rest.filter((a) => !a.startsWith('-') && !a.includes('=')).pop();
  const svc = state.services[name];
  if (!svc) fail(`Error: no such service: ${name}`);
  if (verb === 'inspect') {
    // Each {{...}} field of the format, in order, joined by "|".
    const fields = {
      UpdateStatus: () => {
        advance(svc);
        return svc.state;
      },
      'ContainerSpec.Image': () => `${svc.spec}${DIGEST}`,
      'Replicated.Replicas': () => String(svc.replicas),
    };
    const parts = format.value.split('|').map((part) => {
      const field = Object.keys(fields).find((k) => part.includes(k));
      if (!field) fail(`fake docker: unsupported service inspect format ${part}`);
      return fields[field]();
    });
    return out([parts.join('|')]);
  }
  if (verb === 'ps') {
    if (!format.value) return out([`ID NAME IMAGE ${svc.tasks.join(' ')}`]);
    return out(svc.tasks.map((image) => `${image}${DIGEST}|Running 4 seconds ago`));
  }
  fail(`fake docker: unsupported service command ${verb}`);
}

function image(list) {
  const [verb, ...more] = list;
  if (verb === 'ls') {
    const repo = option(more, '--format').rest[0];
    const mine = state.images.filter((i) => i.ref.slice(0, i.ref.lastIndexOf(':')) === repo);
    return out(mine.map((i) => `${i.created}|${i.ref.slice(i.ref.lastIndexOf(':') + 1)}`));
  }
  if (verb === 'rm') {
    const ref = more[0];
    if (state.containers.some((c) => c.image === ref)) fail(`Error response from daemon: conflict: unable to remove ${ref} (must force) - image is being used by a container`);
    if (!state.images.some((i) => i.ref === ref)) fail(`Error: No such image: ${ref}`);
    state.images = state.images.filter((i) => i.ref !== ref);
    return out([`Untagged: ${ref}`]);
  }
  if (verb === 'prune') return out(['Total reclaimed space: 0B']);
  if (verb === 'inspect') {
    const format = option(more, '--format');
    const ref = format.rest[0];
    const found = state.images.find((i) => i.ref === ref);
    if (!found) fail(`Error: No such image: ${ref}`);
    if (format.value === undefined) return out([JSON.stringify([{ RepoTags: [ref], Config: { Labels: found.labels ?? null } }])]);
    // {{index .Config.Labels "NAME"}}: the label's value, empty when the image has no such label.
    const label = /^\{\{index \.Config\.Labels "([^"]+)"\}\}$/.exec(format.value);
    if (!label) fail(`fake docker: unsupported image inspect format ${format.value}`);
    return out([found.labels?.[label[1]] ?? '']);
  }
  fail(`fake docker: unsupported image command ${verb}`);
}

const [command, ...rest] = args;
switch (command) {
  case 'info':
    out([state.swarm ?? 'inactive false']);
    break;
  case 'login':
    break;
  case 'build': {
    const tagged = option(rest, '-t');
    const ref = tagged.value;
    const labels = Object.fromEntries(options(tagged.rest, '--label').values.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    state.clock += 1;
    // The tag moves to the new image.
    state.images = state.images.filter((i) => i.ref !== ref);
    state.images.push({ ref, labels, created: `2026-11-29 20:${String(state.clock % 60).padStart(2, '0')}:00 +0000 UTC` });
    break;
  }
  case 'push': {
    const found = state.images.find((i) => i.ref === rest[0]);
    if (!found) fail(`An image does not exist locally with the tag: ${rest[0]}`);
    state.pushed = [...(state.pushed ?? []), rest[0]];
    state.registry[rest[0]] = found;
    break;
  }
  case 'pull': {
    const ref = rest.filter((a) => !a.startsWith('-'))[0];
    const found = state.registry[ref];
    if (!found) fail(`Error response from daemon: manifest for ${ref} not found: manifest unknown`);
    state.images = [...state.images.filter((i) => i.ref !== ref), found];
    if (!rest.includes('-q')) out([`Status: Downloaded newer image for ${ref}`]);
    out([ref]);
    break;
  }
  case 'compose':
    compose(rest);
    break;
  case 'stack':
    if (rest[0] !== 'deploy') fail(`fake docker: unsupported stack command ${rest[0]}`);
    stackDeploy(rest.slice(1));
    break;
  case 'service':
    service(rest);
    break;
  case 'image':
    image(rest);
    break;
  case 'ps': {
    const { values, rest: others } = options(rest, '--filter');
    const all = others.includes('-aq') || others.includes('-a');
    out(state.containers.filter((c) => (all || c.running) && matchesFilters(c, values)).map((c) => c.id));
    break;
  }
  case 'inspect': {
    const c = state.containers.find((x) => x.id === rest[rest.length - 1]);
    if (!c) fail('Error: No such object');
    out([(state.unhealthyImages ?? []).includes(c.image) ? 'unhealthy' : 'healthy']);
    break;
  }
  case 'logs':
    break;
  case 'exec': {
    // The command runs here, with the container's environment (`env` of the container).
    const argv = rest.filter((a) => a !== '-i');
    const c = state.containers.find((x) => x.id === argv[0]);
    if (!c || !c.running) fail(`Error response from daemon: container ${argv[0]} is not running`);
    const res = spawnSync(argv[1], argv.slice(2), { stdio: 'inherit', env: { ...process.env, ...c.env } });
    save();
    process.exit(res.status ?? 1);
    break;
  }
  case 'stop':
  case 'start':
    for (const id of rest.filter((a) => !a.startsWith('-') && !/^\d+$/.test(a))) {
      const c = state.containers.find((x) => x.id === id);
      if (!c) fail(`Error response from daemon: No such container: ${id}`);
      c.running = command === 'start';
    }
    break;
  case 'rm': {
    const ids = rest.filter((a) => !a.startsWith('-'));
    state.containers = state.containers.filter((c) => !ids.includes(c.id));
    break;
  }
  default:
    fail(`fake docker: unsupported command ${command}`);
}
save();
