#!/usr/bin/env bash
# Builds the real Dockerfile with podman on a debootstrapped Debian base (no registry needed),
# runs the image against the local MySQL and Redis with --network host, and checks /health,
# the image's own HEALTHCHECK, the non-root user, the smoke test and a graceful stop.
# The podman route of docs/DEPLOY.md#podman-without-a-docker-engine. Takes minutes; run on purpose, not in CI.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
  cat <<USAGE
Usage: $0 [--worktree] [--clean]

  --worktree   build the working tree (tracked + untracked, not ignored) instead of HEAD
  --clean      remove the cached rootfs and images afterwards

Environment:
  SMOKE_CACHE_DIR   rootfs / containers.conf cache (default /var/cache/meeple-smoke)
  SMOKE_PORT        app port on 127.0.0.1 (default: a free port)
  MYSQL_HOST/MYSQL_PORT/MYSQL_ROOT_USER/MYSQL_ROOT_PASSWORD   local server (127.0.0.1:3306 root, no password)
  REDIS_URL         (default redis://127.0.0.1:6379)
  NODE_BINARY       Node 20 binary put into the base image (default: the host's \$(command -v node))

Why Node from the host: a debootstrapped bookworm has no Node at all and Debian 12's own
nodejs package is Node 18, while the app needs Node >= 20.19. The host's Node 20 (NodeSource
build, linked only against glibc/libstdc++, both in the bookworm minbase) is copied into the
base, with npm 10 (what node:20-bookworm-slim ships; \`npm pack npm@10\`), which gives an
equivalent of node:20-bookworm-slim for FROM \$NODE_IMAGE. The host's CA bundle and npm
registry settings (cafile/registry from \`npm config get\`) go into the base too, so npm inside
the build reaches the same registry the host does.
USAGE
}

SOURCE=head CLEAN=false
for arg in "$@"; do
  case "$arg" in
    --worktree) SOURCE=worktree ;;
    --clean) CLEAN=true ;;
    -h|--help) usage; exit 0 ;;
    *) usage; die "unknown argument $arg" ;;
  esac
done

[[ $EUID -eq 0 ]] || die "run as root (podman with runc as docs/DEPLOY.md describes)"
if ! command -v podman >/dev/null || ! command -v debootstrap >/dev/null || [[ ! -x /usr/sbin/runc ]]; then
  log "installing podman runc debootstrap"
  apt-get install -y podman runc debootstrap >/dev/null
fi
need podman debootstrap curl mysql redis-cli git node

CACHE="${SMOKE_CACHE_DIR:-/var/cache/meeple-smoke}"
mkdir -p "$CACHE"
export CONTAINERS_CONF="$CACHE/containers.conf"
printf '[containers]\ndefault_ulimits = []\n' > "$CONTAINERS_CONF"
PODMAN=(podman --runtime /usr/sbin/runc)
NODE_BINARY="${NODE_BINARY:-$(command -v node)}"
NODE_BINARY="$(readlink -f "$NODE_BINARY")"
NODE_VERSION="$("$NODE_BINARY" -v)"
[[ "$NODE_VERSION" == v20.* ]] || die "NODE_BINARY must be Node 20 (got $NODE_VERSION)"

BASE_IMAGE=localhost/meeple-smoke/bookworm:latest
NODE_IMAGE="localhost/meeple-smoke/node20:${NODE_VERSION}-npm10-h"
APP_IMAGE=localhost/meeple-queue:container-smoke
T0=$(date +%s)

# 1. Debian bookworm rootfs -> local base image.
if ! "${PODMAN[@]}" image exists "$BASE_IMAGE"; then
  if [[ ! -d "$CACHE/rootfs" ]]; then
    log "debootstrap --variant=minbase bookworm (a few minutes)"
    rm -rf "$CACHE/rootfs.tmp"
    debootstrap --variant=minbase bookworm "$CACHE/rootfs.tmp" >"$CACHE/debootstrap.log" 2>&1 \
      || die "debootstrap failed, see $CACHE/debootstrap.log"
    mv "$CACHE/rootfs.tmp" "$CACHE/rootfs"
  fi
  log "podman import rootfs as $BASE_IMAGE"
  tar -C "$CACHE/rootfs" -c . | "${PODMAN[@]}" import - "$BASE_IMAGE" >/dev/null
fi

# 2. Base + Node 20 + npm = stand-in for node:20-bookworm-slim.
if ! "${PODMAN[@]}" image exists "$NODE_IMAGE"; then
  log "building $NODE_IMAGE from $BASE_IMAGE + $NODE_BINARY ($NODE_VERSION)"
  NB="$(mktemp -d)"
  cp "$NODE_BINARY" "$NB/node"
  # Node's C headers (official node images have them in /usr/local/include/node), for the
  # Dockerfile's fallback that compiles argon2 when its prebuilt binary does not load.
  headers="$(dirname "$(dirname "$NODE_BINARY")")/include/node"
  [[ -f "$headers/node_api.h" ]] || die "Node headers not found at $headers"
  mkdir -p "$NB/include" && cp -a "$headers" "$NB/include/node"
  (cd "$NB" && npm pack --silent npm@10 >/dev/null && tar -xzf npm-10.*.tgz && mv package npm && rm -f npm-10.*.tgz)
  : > "$NB/npmrc"
  cafile="$(npm config get cafile 2>/dev/null || true)"
  if [[ -n "$cafile" && "$cafile" != null && -r "$cafile" ]]; then
    cp "$cafile" "$NB/ca.crt"
    echo "cafile=/usr/local/etc/ca.crt" >> "$NB/npmrc"
  else
    : > "$NB/ca.crt"
  fi
  echo "registry=$(npm config get registry)" >> "$NB/npmrc"
  cat > "$NB/Containerfile" <<CF
FROM $BASE_IMAGE
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY ca.crt npmrc /usr/local/etc/
COPY include /usr/local/include
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node -v && npm -v
CMD ["node"]
CF
  "${PODMAN[@]}" build --network host --pull=never --format docker -t "$NODE_IMAGE" "$NB" >"$CACHE/node-image.log" 2>&1 \
    || { tail -30 "$CACHE/node-image.log"; die "node base image build failed"; }
  rm -rf "$NB"
fi

# 3. Clean build context.
CTX="$(mktemp -d /tmp/meeple-ctx.XXXXXX)"
CTR=""
DB="mq_csmoke_$(date +%s)_$RANDOM"
PREFIX="mqcsmoke$(date +%s)$RANDOM"
MYSQL_ARGS=(-h "${MYSQL_HOST:-127.0.0.1}" -P "${MYSQL_PORT:-3306}" -u "${MYSQL_ROOT_USER:-root}")
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
cleanup() {
  set +e
  [[ -n "$CTR" ]] && "${PODMAN[@]}" rm -f "$CTR" >/dev/null 2>&1
  MYSQL_PWD="${MYSQL_ROOT_PASSWORD:-}" mysql "${MYSQL_ARGS[@]}" -e "DROP DATABASE IF EXISTS \`$DB\`" 2>/dev/null
  redis-cli -u "$REDIS_URL" --scan --pattern "$PREFIX*" 2>/dev/null | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null 2>&1
  rm -rf "$CTX"
  if [[ "$CLEAN" == true ]]; then
    "${PODMAN[@]}" rmi -f "$APP_IMAGE" "$NODE_IMAGE" "$BASE_IMAGE" >/dev/null 2>&1
    rm -rf "$CACHE"
  fi
}
trap cleanup EXIT

cd "$REPO_ROOT"
if [[ "$SOURCE" == head ]]; then
  log "context: git archive HEAD ($(git rev-parse --short HEAD))"
  git archive HEAD | tar -x -C "$CTX"
else
  log "context: working tree (tracked + untracked, not ignored)"
  git ls-files -z -co --exclude-standard | xargs -0 -I{} cp --parents -P {} "$CTX" 2>/dev/null || true
fi

# 4. Build the project's Dockerfile (runtime target; --format docker keeps HEALTHCHECK).
log "podman build (runtime stage) with NODE_IMAGE=$NODE_IMAGE"
BUILD_LOG="$CACHE/build.log"
NPM_CACHE_MOUNT=()
[[ -d "${HOME}/.npm" ]] && NPM_CACHE_MOUNT=(-v "${HOME}/.npm:/root/.npm")
if ! "${PODMAN[@]}" build --network host --pull=never --format docker \
    "${NPM_CACHE_MOUNT[@]}" \
    --build-arg "NODE_IMAGE=$NODE_IMAGE" --target runtime -t "$APP_IMAGE" "$CTX" >"$BUILD_LOG" 2>&1; then
  tail -40 "$BUILD_LOG"
  die "podman build failed (full log: $BUILD_LOG)"
fi
T_BUILD=$(( $(date +%s) - T0 ))
if grep -q "argon2: prebuilt binary does not load here" "$BUILD_LOG"; then
  log "build: argon2 prebuilt binary did NOT load in the prod-deps stage; it was compiled from source"
else
  log "build: argon2 prebuilt binary loads in the prod-deps stage"
fi
log "built $APP_IMAGE in ${T_BUILD}s: $("${PODMAN[@]}" image inspect "$APP_IMAGE" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}')"

# 5. Run against local MySQL + Redis.
MYSQL_PWD="${MYSQL_ROOT_PASSWORD:-}" mysql "${MYSQL_ARGS[@]}" -e "CREATE DATABASE \`$DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
PORT="${SMOKE_PORT:-$(node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}"
ADMIN_PASSWORD="$(node -e 'console.log(require("crypto").randomBytes(12).toString("hex"))')"
DB_URL="mysql://${MYSQL_ROOT_USER:-root}${MYSQL_ROOT_PASSWORD:+:$MYSQL_ROOT_PASSWORD}@${MYSQL_HOST:-127.0.0.1}:${MYSQL_PORT:-3306}/$DB"
CTR="meeple-smoke-$RANDOM"
log "podman run $CTR on 127.0.0.1:$PORT (network host)"
"${PODMAN[@]}" run -d --name "$CTR" --network host \
  -e HOST=127.0.0.1 -e PORT="$PORT" \
  -e DATABASE_URL="$DB_URL" -e REDIS_URL="$REDIS_URL" -e REDIS_PREFIX="$PREFIX" \
  -e SESSION_SECRET="$(node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))')" \
  -e ADMIN_USERNAME=admin -e ADMIN_PASSWORD="$ADMIN_PASSWORD" -e LOG_LEVEL=warn \
  "$APP_IMAGE" >/dev/null

"$REPO_ROOT/scripts/wait-for-health.sh" "http://127.0.0.1:$PORT/health" 120 \
  || { "${PODMAN[@]}" logs --tail 50 "$CTR"; die "container never became healthy"; }
curl -fsS "http://127.0.0.1:$PORT/health"; echo

uid="$("${PODMAN[@]}" exec "$CTR" id -u)"
[[ "$uid" != 0 ]] || die "container runs as root"
log "container user: $("${PODMAN[@]}" exec "$CTR" id)"

"${PODMAN[@]}" healthcheck run "$CTR" && log "image HEALTHCHECK: healthy" || die "image HEALTHCHECK failed"

spa="$(curl -fsS "http://127.0.0.1:$PORT/board" | head -c 200)"
[[ "$spa" == *"<"* ]] && log "SPA /board served by the app (SERVE_CLIENT)" || log "note: /board did not return HTML"

SMOKE_PASSWORD="$ADMIN_PASSWORD" "$REPO_ROOT/scripts/smoke-test.sh" "http://127.0.0.1:$PORT"

# 6. Graceful stop: SIGTERM -> drain -> exit 0.
t=$(date +%s%N)
"${PODMAN[@]}" stop -t 30 "$CTR" >/dev/null
code="$("${PODMAN[@]}" inspect "$CTR" --format '{{.State.ExitCode}}')"
log "stopped in $(( ($(date +%s%N) - t) / 1000000 )) ms, exit code $code"
[[ "$code" == 0 ]] || die "app did not exit cleanly on SIGTERM (exit $code)"

echo "CONTAINER SMOKE OK image=$APP_IMAGE node=$NODE_VERSION build=${T_BUILD}s total=$(( $(date +%s) - T0 ))s"
