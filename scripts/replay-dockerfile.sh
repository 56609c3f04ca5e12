#!/usr/bin/env bash
# Replays the Dockerfile's steps without Docker, in a clean copy of the repository:
#   deps + build stage : npm ci --ignore-scripts, npm run build      (in BUILD/)
#   prod-deps stage    : npm ci --omit=dev --ignore-scripts          (in PROD/)
#   runtime stage      : only what the runtime stage COPYs (package.json, node_modules from
#                        prod-deps, dist from build, the entrypoint) in RUNTIME/, owned by root,
#                        then the image's CMD as an unprivileged user against local MySQL/Redis,
#                        the image's own HEALTHCHECK command, GET /health, smoke test, SIGTERM.
# Catches a file the runtime stage forgets to copy, or a dev dependency needed at run time.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
  cat <<USAGE
Usage: $0 [--worktree] [--keep]

  --worktree   replay the working tree (tracked + untracked, not ignored) instead of HEAD
  --keep       keep the temporary directory (printed at the end)
Environment:
  RUN_AS       unprivileged user for the runtime command (default: nobody)
  MYSQL_HOST/MYSQL_PORT/MYSQL_ROOT_USER/MYSQL_ROOT_PASSWORD  (default 127.0.0.1:3306 root, no password)
  REDIS_URL    (default redis://127.0.0.1:6379)
  REPLAY_NPM   npm command for the build stages (default "npx -y npm@10": node:22-bookworm-slim
               ships npm 10)
USAGE
}
SOURCE=head KEEP=false
for arg in "$@"; do
  case "$arg" in
    --worktree) SOURCE=worktree ;;
    --keep) KEEP=true ;;
    -h|--help) usage; exit 0 ;;
    *) usage; die "unknown argument $arg" ;;
  esac
done
need git node npm curl mysql redis-cli runuser
[[ $EUID -eq 0 ]] || die "run as root (it switches to RUN_AS=${RUN_AS:-nobody} for the runtime command)"

DOCKERFILE="$REPO_ROOT/Dockerfile"
# The replay mirrors these Dockerfile lines; if the Dockerfile changes, update both.
expect_line() { grep -qxF -- "$1" "$DOCKERFILE" || die "Dockerfile no longer has: $1 — update $0 to match"; }
expect_line 'COPY package.json package-lock.json ./'
expect_line 'RUN npm ci --ignore-scripts'
expect_line 'COPY tsconfig.json tsconfig.build.json ./'
expect_line 'COPY server ./server'
expect_line 'COPY migrations ./migrations'
expect_line 'COPY client ./client'
expect_line 'RUN npm run build'
expect_line 'RUN npm ci --omit=dev --ignore-scripts \'
expect_line ' && if ! node -e "require('"'"'argon2'"'"')" 2>/dev/null; then \'
expect_line 'COPY package.json ./'
expect_line 'COPY --from=prod-deps /app/node_modules ./node_modules'
expect_line 'COPY --from=build /app/dist ./dist'
expect_line 'COPY scripts/docker-entrypoint.sh /usr/local/bin/meeple-entrypoint'
expect_line 'CMD ["node", "dist/server/main.js"]'
# The HEALTHCHECK's node -e program, run as-is later.
HEALTH_JS="$(grep -A1 '^HEALTHCHECK' "$DOCKERFILE" | grep -o '"node", "-e", ".*"\]' | tail -1 | sed -E 's/^"node", "-e", "(.*)"\]$/\1/')"
[[ -n "$HEALTH_JS" ]] || die "could not read the runtime HEALTHCHECK from the Dockerfile"

WORK="$(mktemp -d /tmp/meeple-replay.XXXXXX)"
chmod 755 "$WORK"
CTX="$WORK/context" BUILD="$WORK/build" PROD="$WORK/prod-deps" RUNTIME="$WORK/runtime"
mkdir -p "$CTX" "$BUILD" "$PROD" "$RUNTIME"
APP_PID=""
DB="mq_replay_$(date +%s)_$RANDOM"
PREFIX="mqreplay$(date +%s)$RANDOM"
MYSQL_ARGS=(-h "${MYSQL_HOST:-127.0.0.1}" -P "${MYSQL_PORT:-3306}" -u "${MYSQL_ROOT_USER:-root}")
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
cleanup() {
  set +e
  [[ -n "$APP_PID" ]] && kill "$APP_PID" 2>/dev/null
  MYSQL_PWD="${MYSQL_ROOT_PASSWORD:-}" mysql "${MYSQL_ARGS[@]}" -e "DROP DATABASE IF EXISTS \`$DB\`" 2>/dev/null
  redis-cli -u "$REDIS_URL" --scan --pattern "$PREFIX*" 2>/dev/null | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null 2>&1
  if [[ "$KEEP" == true ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
T0=$(date +%s)

cd "$REPO_ROOT"
if [[ "$SOURCE" == head ]]; then
  log "clean copy: git archive HEAD ($(git rev-parse --short HEAD))"
  git archive HEAD | tar -x -C "$CTX"
else
  log "clean copy: working tree (tracked + untracked, not ignored)"
  git ls-files -z -co --exclude-standard | (cd "$REPO_ROOT" && xargs -0 cp --parents -P -t "$CTX" 2>/dev/null) || true
fi
# .dockerignore applies to the context: drop what it excludes from the copied paths we use.
[[ -f "$CTX/.dockerignore" ]] || die ".dockerignore missing"

export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
read -r -a NPM <<< "${REPLAY_NPM:-npx -y npm@10}"
log "npm for the image stages: ${NPM[*]} ($("${NPM[@]}" --version 2>/dev/null))"

log "stage deps/build: npm ci --ignore-scripts && npm run build"
cp "$CTX/package.json" "$CTX/package-lock.json" "$CTX/tsconfig.json" "$CTX/tsconfig.build.json" "$BUILD/"
cp -r "$CTX/server" "$CTX/migrations" "$CTX/client" "$BUILD/"
(cd "$BUILD" && "${NPM[@]}" ci --ignore-scripts --loglevel=error && "${NPM[@]}" run build --silent) >"$WORK/build.log" 2>&1 \
  || { tail -40 "$WORK/build.log"; die "build stage failed"; }
[[ -f "$BUILD/dist/server/main.js" ]] || die "build did not produce dist/server/main.js"
[[ -f "$BUILD/dist/client/index.html" ]] || die "build did not produce dist/client/index.html"

log "stage prod-deps: npm ci --omit=dev --ignore-scripts"
cp "$CTX/package.json" "$CTX/package-lock.json" "$PROD/"
(cd "$PROD" && "${NPM[@]}" ci --omit=dev --ignore-scripts --loglevel=error) >"$WORK/prod.log" 2>&1 \
  || { tail -40 "$WORK/prod.log"; die "prod-deps stage failed"; }
if (cd "$PROD" && node -e "require('argon2')") >/dev/null 2>&1; then
  log "argon2 prebuilt binary loads (no install scripts run)"
else
  # Same fallback as the Dockerfile: compile argon2 from its sources with npm's node-gyp.
  log "argon2 prebuilt binary does NOT load here; compiling from source like the Dockerfile does"
  need make g++ python3
  (cd "$PROD/node_modules/argon2" \
    && npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")" \
       node "$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js" rebuild \
    && rm -rf build/Release/obj.target build/Release/.deps) >>"$WORK/prod.log" 2>&1 \
    || { tail -40 "$WORK/prod.log"; die "argon2 source build failed"; }
  (cd "$PROD" && node -e "require('argon2')") || die "argon2 still does not load"
  log "argon2 compiled from source and loads"
fi

log "stage runtime: package.json, node_modules (prod), dist, entrypoint"
cp "$CTX/package.json" "$RUNTIME/"
mv "$PROD/node_modules" "$RUNTIME/node_modules"
cp -r "$BUILD/dist" "$RUNTIME/dist"
install -m 0755 "$CTX/scripts/docker-entrypoint.sh" "$RUNTIME/meeple-entrypoint"
chown -R root:root "$RUNTIME"
chmod -R a+rX,go-w "$RUNTIME"
log "runtime dir: $(du -sh "$RUNTIME" | cut -f1) ($(find "$RUNTIME/node_modules" -maxdepth 1 -mindepth 1 | wc -l) top-level packages)"

MYSQL_PWD="${MYSQL_ROOT_PASSWORD:-}" mysql "${MYSQL_ARGS[@]}" -e "CREATE DATABASE \`$DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
PORT="$(node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
ADMIN_PASSWORD="$(node -e 'console.log(require("crypto").randomBytes(12).toString("hex"))')"
RUN_AS="${RUN_AS:-nobody}"
DB_URL="mysql://${MYSQL_ROOT_USER:-root}${MYSQL_ROOT_PASSWORD:+:$MYSQL_ROOT_PASSWORD}@${MYSQL_HOST:-127.0.0.1}:${MYSQL_PORT:-3306}/$DB"
# The runtime stage's ENV + what compose passes; nothing from this shell leaks in (env -i).
RUN_ENV=(PATH=/usr/local/bin:/usr/bin:/bin HOME=/nonexistent NODE_ENV=production PORT="$PORT"
  SERVE_CLIENT=true TRUST_PROXY=1 HOST=127.0.0.1 DATABASE_URL="$DB_URL" REDIS_URL="$REDIS_URL"
  REDIS_PREFIX="$PREFIX" SESSION_SECRET="$(node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))')"
  ADMIN_USERNAME=admin ADMIN_PASSWORD="$ADMIN_PASSWORD" LOG_LEVEL=warn)
log "start: runuser -u $RUN_AS -- meeple-entrypoint node dist/server/main.js (port $PORT)"
(cd "$RUNTIME" && exec runuser -u "$RUN_AS" -- env -i "${RUN_ENV[@]}" ./meeple-entrypoint node dist/server/main.js) >"$WORK/app.log" 2>&1 &
APP_PID=$!

"$REPO_ROOT/scripts/wait-for-health.sh" "http://127.0.0.1:$PORT/health" 90 || { tail -40 "$WORK/app.log"; die "runtime never became healthy"; }
curl -fsS "http://127.0.0.1:$PORT/health"; echo
(cd "$RUNTIME" && runuser -u "$RUN_AS" -- env -i PORT="$PORT" /usr/bin/env node -e "$HEALTH_JS") \
  && log "the image's HEALTHCHECK command passes" || die "the image's HEALTHCHECK command fails"
curl -fsS "http://127.0.0.1:$PORT/board" | grep -qi '<!doctype html' && log "SPA served from dist/client" || log "note: /board did not return the SPA"
SMOKE_PASSWORD="$ADMIN_PASSWORD" "$REPO_ROOT/scripts/smoke-test.sh" "http://127.0.0.1:$PORT"

log "SIGTERM -> graceful drain"
t=$(date +%s%N)
# Signal the app itself (runuser's child, as in a container where it is PID 1): runuser would
# answer SIGTERM by killing its child and exiting 143 instead of letting the app drain.
NODE_PID="$(pgrep -P "$APP_PID" | head -1)"
[[ -n "$NODE_PID" ]] || die "app process not found under runuser ($APP_PID)"
kill -TERM "$NODE_PID"
code=0
wait "$APP_PID" || code=$?
APP_PID=""
log "exited with $code after $(( ($(date +%s%N) - t) / 1000000 )) ms"
[[ "$code" == 0 ]] || { tail -20 "$WORK/app.log"; die "runtime did not exit cleanly on SIGTERM"; }
grep -iE '"level":(50|60)|error' "$WORK/app.log" | head -5 || true
echo "REPLAY OK in $(( $(date +%s) - T0 ))s"
