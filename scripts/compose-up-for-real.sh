#!/usr/bin/env bash
# Brings the docker-compose.yml stack up for real with podman (no Docker engine, no registry):
# stand-in images built from Debian packages under the names compose uses (MariaDB as mysql,
# Redis, Nginx as the web image's base), the app and web images from the project's Dockerfile
# on a Node 22 base, then Debian's docker-compose 1.29 against podman's Docker API. Checks:
# all four services healthy, /health and a join -> live board update through Nginx (WebSocket
# and long-polling clients), then each app replica restarted in turn under a load loop that
# counts failed requests (must be 0). With --monitoring, the `monitoring` profile's Prometheus
# too (a stand-in from Debian's prometheus package; Grafana is not in Debian), checked through
# its own HTTP API: one up target per app replica found by DNS on the backend network, the alert
# rules loaded, a queue gauge of a game made through Nginx, a stopped replica's target going
# away and its successor coming up. Tears everything down (containers, networks, volumes).
# Takes minutes (image builds); run on purpose, not in CI. docs/DEPLOY.md#the-compose-stack-under-podman
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=scripts/podman/lib.sh
. "$(dirname "$0")/podman/lib.sh"

usage() {
  cat <<USAGE
Usage: $0 [--worktree] [--keep-images] [--monitoring]

  --worktree      build the working tree (tracked + untracked, not ignored) instead of HEAD
  --keep-images   keep the app/web images built for this run (the stand-ins and bases are
                  always kept, in podman's store, so a second run reuses their layers)
  --monitoring    also the \`monitoring\` profile's Prometheus (published on 127.0.0.1 only),
                  checked through its API (docs/DEPLOY.md#the-monitoring-profile-under-podman);
                  Grafana is left out (not in Debian, and no registry to pull it from)
Environment:
  COMPOSE_PROJECT   compose project name (default meeple-podman)
  POLLING_CLIENTS   long-polling board clients to check through Nginx (default 10)
  SMOKE_CACHE_DIR   rootfs / logs cache (default /var/cache/meeple-smoke)
USAGE
}
SOURCE=head KEEP_IMAGES=false MONITORING=false
for arg in "$@"; do
  case "$arg" in
    --worktree) SOURCE=worktree ;;
    --keep-images) KEEP_IMAGES=true ;;
    --monitoring) MONITORING=true ;;
    -h|--help) usage; exit 0 ;;
    *) usage; die "unknown argument $arg" ;;
  esac
done
podman_init
need docker-compose git node npx curl
T0=$(date +%s)
PROJECT="${COMPOSE_PROJECT:-meeple-podman}"
WORK="$(mktemp -d /tmp/meeple-compose.XXXXXX)"
CTX="$WORK/context"
mkdir -p "$CTX"
SOCK="$WORK/podman.sock"
SERVICE_PID="" HEALTH_PID="" LOAD_PID="" APP_IMAGE="" WEB_IMAGE=""
# The services started and expected healthy (Grafana, in the profile too, has no image here).
# docker-compose (1.28+) reads the profiles from COMPOSE_PROFILES, so `down` removes them too.
SERVICES=(app mysql redis nginx)
unset COMPOSE_PROFILES
if [[ "$MONITORING" == true ]]; then SERVICES+=(prometheus); export COMPOSE_PROFILES=monitoring; fi
compose() { DOCKER_HOST="unix://$SOCK" docker-compose -p "$PROJECT" --project-directory "$CTX" \
  --env-file "$CTX/.env" -f "$CTX/docker-compose.yml" -f "$CTX/docker-compose.podman.yml" "$@"; }
stop_group() { [[ -n "$1" ]] && kill -TERM -- "-$1" 2>/dev/null; wait "$1" 2>/dev/null || true; }
cleanup() {
  set +e
  stop_group "$LOAD_PID"
  if [[ -S "$SOCK" ]]; then
    log "teardown: docker-compose down --volumes"
    compose down --volumes --remove-orphans --timeout 30 2>&1 | sed 's/^/  /'
  fi
  stop_group "$HEALTH_PID"
  stop_group "$SERVICE_PID"
  if [[ "$KEEP_IMAGES" != true && -n "$APP_IMAGE" ]]; then
    "${PODMAN[@]}" rmi "$APP_IMAGE" "$(docker_io_name "$APP_IMAGE")" "$WEB_IMAGE" "$(docker_io_name "$WEB_IMAGE")" >/dev/null 2>&1
  fi
  left="$("${PODMAN[@]}" ps -a --filter "label=com.docker.compose.project=$PROJECT" -q | wc -l)"
  log "teardown: $left container(s) of $PROJECT left, volumes: $("${PODMAN[@]}" volume ls -q --filter "label=com.docker.compose.project=$PROJECT" | wc -l)"
  rm -rf "$WORK"
}
trap cleanup EXIT

# 1. Bases: Debian bookworm, and Node 22 on it (stand-in for node:22-bookworm-slim).
podman_base_image
podman_node_image
log "node base: $NODE_IMAGE ($(pm run --rm "$NODE_IMAGE" node -v), npm $(pm run --rm "$NODE_IMAGE" npm -v))"

# 2. The context, and the image names compose and the Dockerfile use.
podman_context "$CTX" "$SOURCE"
TAG="podman-$(git -C "$REPO_ROOT" rev-parse --short HEAD)"
image_of() { node -e '
  const doc = require(process.argv[1]).parse(require("fs").readFileSync(process.argv[2], "utf8"));
  process.stdout.write(String(doc.services[process.argv[3]].image));' "$REPO_ROOT/node_modules/yaml" "$CTX/docker-compose.yml" "$1"; }
MYSQL_NAME="$(image_of mysql)" REDIS_NAME="$(image_of redis)"
NGINX_NAME="$(sed -n 's/^ARG NGINX_IMAGE=//p' "$CTX/Dockerfile")"
[[ -n "$MYSQL_NAME" && -n "$REDIS_NAME" && -n "$NGINX_NAME" ]] || die "could not read the image names from docker-compose.yml / Dockerfile"
STANDINS=(mysql:"$MYSQL_NAME" redis:"$REDIS_NAME" nginx:"$NGINX_NAME")
[[ "$MONITORING" == true ]] && STANDINS+=(prometheus:"$(image_of prometheus)")

# 3. Stand-ins from Debian packages, tagged as compose and the Dockerfile name them.
for standin in "${STANDINS[@]}"; do
  dir="${standin%%:*}" name="${standin#*:}"
  log "stand-in $name <- Debian bookworm $dir (scripts/podman/$dir)"
  podman_build "localhost/meeple-standin/$dir:bookworm" "$REPO_ROOT/scripts/podman/$dir" --build-arg "BASE=$BASE_IMAGE"
  podman_tag_as "localhost/meeple-standin/$dir:bookworm" "$name"
done

# 4. The environment: .env.example's values, generated secrets, the port on 127.0.0.1 only.
HTTP_PORT="$(node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
HTTPS_PORT="$(node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
PROMETHEUS_PORT="$(node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
secret() { node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))'; }
ADMIN_PASSWORD="$(secret)"
declare -A OVERRIDE=(
  [IMAGE]=meeple-queue [IMAGE_TAG]="$TAG" [WEB_IMAGE_TAG]="$TAG" [HTTP_PORT]="127.0.0.1:$HTTP_PORT" [HTTPS_PORT]="127.0.0.1:$HTTPS_PORT"
  [MYSQL_PASSWORD]="$(secret)" [MYSQL_ROOT_PASSWORD]="$(secret)" [REDIS_PASSWORD]="$(secret)"
  [SESSION_SECRET]="$(secret)" [METRICS_TOKEN]="$(secret)" [ADMIN_PASSWORD]="$ADMIN_PASSWORD" [LOG_LEVEL]=warn
  [PROMETHEUS_PORT]="$PROMETHEUS_PORT"
)
{
  sed -nE 's/^([A-Z][A-Z0-9_]*)=([^#]*[^#[:space:]])?[[:space:]]*(#.*)?$/\1=\2/p' "$CTX/.env.example" \
    | while IFS='=' read -r key value; do [[ -n "${OVERRIDE[$key]+x}" ]] || echo "$key=$value"; done
  for key in "${!OVERRIDE[@]}"; do echo "$key=${OVERRIDE[$key]}"; done
} > "$CTX/.env"
chmod 600 "$CTX/.env"
# docker-compose 1.29 rejects the top-level `name:` (the project name is -p).
sed -i '/^name:/d' "$CTX/docker-compose.yml"
# Debian's Nginx 1.22 has no `resolve` on upstream servers: it resolves `app` to every replica
# at start and on reload (step 8 reloads it after an app container restarts).
cat > "$CTX/docker-compose.podman.yml" <<'YAML'
services:
  nginx:
    environment:
      NGINX_UPSTREAM_SERVERS: "server app:3000 max_fails=2 fail_timeout=5s;"
YAML
APP_IMAGE="$(compose config 2>/dev/null | node -e '
  const doc = require(process.argv[1]).parse(require("fs").readFileSync(0, "utf8"));
  process.stdout.write(doc.services.app.image + " " + doc.services.nginx.image);' "$REPO_ROOT/node_modules/yaml" || true)"
WEB_IMAGE="${APP_IMAGE#* }" APP_IMAGE="${APP_IMAGE%% *}"
[[ -n "$APP_IMAGE" && -n "$WEB_IMAGE" ]] || { compose config >/dev/null; die "docker-compose config failed"; }

# 5. The app and web images from the project's Dockerfile (shared stages built once).
log "podman build $APP_IMAGE (target runtime, NODE_IMAGE=$NODE_IMAGE)"
t=$(date +%s)
podman_build "$APP_IMAGE" "$CTX" --build-arg "NODE_IMAGE=$NODE_IMAGE" --target runtime
log "podman build $WEB_IMAGE (target web, NGINX_IMAGE=$NGINX_NAME stand-in)"
podman_build "$WEB_IMAGE" "$CTX" --build-arg "NODE_IMAGE=$NODE_IMAGE" --build-arg "NGINX_IMAGE=$NGINX_NAME" --target web
podman_tag_as "$APP_IMAGE" "$APP_IMAGE"
podman_tag_as "$WEB_IMAGE" "$WEB_IMAGE"
log "images built in $(( $(date +%s) - t ))s: app $("${PODMAN[@]}" image inspect "$APP_IMAGE" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}'), node in the app image: $(pm run --rm --entrypoint node "$APP_IMAGE" -v)"

# 6. Podman's Docker API for docker-compose, and a healthcheck runner (podman runs
#    healthchecks from systemd timers; there is no systemd here).
setsid "${PODMAN[@]}" system service --time=0 "unix://$SOCK" >"$WORK/podman-service.log" 2>&1 &
SERVICE_PID=$!
for _ in $(seq 1 50); do [[ -S "$SOCK" ]] && break; sleep 0.2; done
[[ -S "$SOCK" ]] || die "podman system service did not open $SOCK"
setsid bash -c '
  project="$1"; shift
  while sleep 3; do
    for c in $("$@" ps -q --filter "label=com.docker.compose.project=$project"); do
      "$@" healthcheck run "$c" >/dev/null 2>&1 || true
    done
  done' healthcheck-runner "$PROJECT" "${PODMAN[@]}" &
HEALTH_PID=$!

log "docker-compose $(docker-compose version --short) up -d ${SERVICES[*]} (project $PROJECT${COMPOSE_PROFILES:+, profile $COMPOSE_PROFILES}, Nginx on 127.0.0.1:$HTTP_PORT)"
[[ "$MONITORING" == true ]] && log "grafana: not started (grafana/grafana is not in Debian and no registry is reachable)"
t=$(date +%s)
export -f compose
export SOCK PROJECT CTX
# The services named: with the profile on, a bare `up` would also try to start Grafana.
timeout 300 bash -c 'compose up -d --no-build "$@"' up "${SERVICES[@]}" 2>&1 | sed 's/^/  /' || die "docker-compose up failed"

# 7. Every service healthy.
health_table() { "${PODMAN[@]}" ps --filter "label=com.docker.compose.project=$PROJECT" --format '{{.Names}}\t{{.Image}}\t{{.Status}}' | sort; }
for _ in $(seq 1 90); do
  unhealthy="$(health_table | grep -vc '(healthy)' || true)"
  [[ "$unhealthy" == 0 ]] && break
  sleep 2
done
health_table | sed 's/^/  /'
[[ "$unhealthy" == 0 ]] || { compose logs --tail 30 2>&1 | tail -60; die "not every container became healthy"; }
services="$(health_table | awk -F'\t' '{print $1}' | sed -E "s/^${PROJECT}_//; s/_[0-9]+$//" | sort -u | paste -sd' ')"
expected="$(printf '%s\n' "${SERVICES[@]}" | sort | paste -sd' ')"
[[ "$services" == "$expected" ]] || die "expected $expected, got: $services"
log "all healthy $(( $(date +%s) - t ))s after up: $(health_table | wc -l) containers ($services)"

BASE="http://127.0.0.1:$HTTP_PORT"
log "GET $BASE/health (through Nginx): $(curl -fsS "$BASE/health")"
export SMOKE_PASSWORD="$ADMIN_PASSWORD"
log "join -> board update through Nginx, WebSocket client"
(cd "$REPO_ROOT" && npx tsx scripts/compose-probe.ts board "$BASE" 1 websocket) 2>&1 | sed 's/^/  /' \
  || die "no live board update through Nginx"
log "join -> board update through Nginx, ${POLLING_CLIENTS:-10} long-polling clients (two replicas behind one name)"
polling_ok=true
(cd "$REPO_ROOT" && npx tsx scripts/compose-probe.ts board "$BASE" "${POLLING_CLIENTS:-10}" polling) >"$WORK/polling.log" 2>&1 \
  || polling_ok=false
sed 's/^/  /' "$WORK/polling.log"

ip_of() { "${PODMAN[@]}" inspect "$1" --format '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' | xargs; }
app_containers() { "${PODMAN[@]}" ps --filter "label=com.docker.compose.project=$PROJECT" --filter label=com.docker.compose.service=app --format '{{.Names}}' | sort; }
app_addresses() { for c in $(app_containers); do ip_of "$c"; done | paste -sd, -; }
probe() { (cd "$REPO_ROOT" && npx tsx scripts/prometheus-probe.ts "$@") 2>&1 | sed 's/^/  /'; }

# 8. The monitoring profile: Prometheus, through its own API on 127.0.0.1, scraping each app
#    replica by DNS on the backend network (not through Nginx).
if [[ "$MONITORING" == true ]]; then
  PROM="http://127.0.0.1:$PROMETHEUS_PORT"
  prom_ctr="$("${PODMAN[@]}" ps -q --filter "label=com.docker.compose.project=$PROJECT" --filter label=com.docker.compose.service=prometheus)"
  log "prometheus $(pm exec "$prom_ctr" /bin/prometheus --version 2>&1 | head -1 | awk '{print $3}') published as $("${PODMAN[@]}" port "$prom_ctr" | paste -sd' ') (127.0.0.1 only), networks: $("${PODMAN[@]}" inspect "$prom_ctr" --format '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}')"
  log "DNS on the backend network, from the prometheus container: app -> $(pm exec "$prom_ctr" getent ahostsv4 app | awk '{print $1}' | sort -u | paste -sd' ' -); the app containers: $(app_addresses)"
  log "worker targets: none (this stack has no worker service: every app replica runs the workers, RUN_WORKERS=true)"
  log "targets of job meeple-queue through $PROM/api/v1/targets"
  probe targets "$PROM" "$(app_addresses)" | tee "$WORK/monitoring.log" || die "Prometheus does not scrape every app replica"
  log "alert rules through $PROM/api/v1/rules"
  probe rules "$PROM" "$CTX/monitoring/prometheus/rules/meeple-queue.yml" | tee -a "$WORK/monitoring.log" || die "the alert rules are not all loaded"
  log "a game made through Nginx, its queue gauges through $PROM/api/v1/query"
  probe queue "$BASE" "$PROM" | tee -a "$WORK/monitoring.log" || die "Prometheus does not report the queue made through Nginx"
  refused=""
  for path in /metrics /Metrics/ "/metrics?x=1" /METRICS; do
    refused+="$path=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(sed -n 's/^METRICS_TOKEN=//p' "$CTX/.env")" "$BASE$path") "
  done
  log "/metrics through Nginx, with the token: ${refused% }"
  [[ "$refused" =~ ^(/[^ ]*=404 )+$ ]] || die "Nginx serves /metrics: $refused"
fi

# 9. Each app replica restarted in turn under load; Nginx reloaded when a replica's address
#    changed. With --monitoring, Prometheus must see the stopped replica's target go (down, or
#    gone from DNS) before the restart, and the restarted one's come up.
STOP="$WORK/stop-load"
(cd "$REPO_ROOT" && exec setsid npx tsx scripts/compose-probe.ts load "$BASE" "$STOP") >"$WORK/load.log" 2>&1 &
LOAD_PID=$!
LOAD_T0=$(date +%s%N) LOAD_STARTED="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
since_load() { printf '(load +%.1fs)' "$(( ($(date +%s%N) - LOAD_T0) / 1000000 ))e-3"; }
sleep 5
nginx_ctr="$("${PODMAN[@]}" ps -q --filter "label=com.docker.compose.project=$PROJECT" --filter label=com.docker.compose.service=nginx)"
READY_JS="require('http').get({host:'127.0.0.1',port:3000,path:'/health',timeout:2000},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"
for ctr in $(app_containers); do
  before="$(ip_of "$ctr")"
  t=$(date +%s%N)
  log "stopping $ctr $(since_load)"
  pm stop --time 30 "$ctr" >/dev/null
  code="$("${PODMAN[@]}" inspect "$ctr" --format '{{.State.ExitCode}}')"
  log "stopped $ctr in $(( ($(date +%s%N) - t) / 1000000 )) ms, exit code $code (SIGTERM: drain, then exit) $(since_load)"
  [[ "$code" == 0 ]] || die "$ctr did not exit cleanly on SIGTERM (exit $code)"
  if [[ "$MONITORING" == true ]]; then
    probe target "$PROM" "$before" down 90 | tee -a "$WORK/monitoring.log" || die "Prometheus still scrapes the stopped $ctr"
    log "(Prometheus noticed) $(since_load)"
  fi
  pm start "$ctr" >/dev/null
  # Ready again: /health (readiness) answers 200 inside the container.
  ready=false
  for _ in $(seq 1 120); do
    "${PODMAN[@]}" exec "$ctr" node -e "$READY_JS" 2>/dev/null && { ready=true; break; }
    sleep 1
  done
  [[ "$ready" == true ]] || die "$ctr did not answer /health 200 within about 2 minutes of its start"
  after="$(ip_of "$ctr")"
  log "restarted $ctr: /health 200 again $(( ($(date +%s%N) - t) / 1000000 )) ms after the stop began, address $before -> $after $(since_load)"
  if [[ "$before" != "$after" ]]; then
    # What the reload resolves `app` to (a stale answer would leave Nginx a dead address).
    pm exec "$nginx_ctr" nginx -s reload 2>/dev/null \
      && log "nginx reloaded (new upstream address; app resolves to $(pm exec "$nginx_ctr" getent ahostsv4 app | awk '{print $1}' | sort -u | paste -sd' ' -)) $(since_load)"
  fi
  if [[ "$MONITORING" == true ]]; then
    probe target "$PROM" "$after" up 90 | tee -a "$WORK/monitoring.log" || die "Prometheus does not scrape the restarted $ctr"
    probe targets "$PROM" "$(app_addresses)" | tee -a "$WORK/monitoring.log" || die "Prometheus does not scrape every app replica after the restart of $ctr"
  fi
  sleep 5
done
touch "$STOP"
wait "$LOAD_PID" || true
LOAD_PID=""
sed 's/^/  /' "$WORK/load.log"
# What Nginx itself logged about its upstreams meanwhile (warn and up): by kind and address.
log "nginx upstream errors while the replicas restarted (count, kind, upstream):"
"${PODMAN[@]}" logs --since "$LOAD_STARTED" "$nginx_ctr" 2>&1 | grep -E '\[(warn|error|crit)\]' \
  | sed -nE 's/.*\] [0-9]+#[0-9]+: (\*[0-9]+ )?([a-z][^,]*), client: .*upstream: "http:\/\/([^/"]+)[^"]*".*/\2 \3/p' \
  | sed -E 's/ while (connecting to|reading response header from) upstream//' | sort | uniq -c | sed 's/^/  /' || true
grep -q '^LOAD .* failed=0 ' "$WORK/load.log" || die "requests failed while the app replicas restarted"
log "GET $BASE/health after the restarts: $(curl -fsS "$BASE/health")"

monitoring=""
if [[ "$MONITORING" == true ]]; then
  monitoring=", monitoring: $(grep -c '^  TARGETS OK' "$WORK/monitoring.log")x all replicas up in Prometheus, $(grep -o 'alerting=[0-9/]*' "$WORK/monitoring.log") rules, queue gauges ok, $(grep -c '^  TARGET .* \(down\|gone\)' "$WORK/monitoring.log") stopped replica(s) seen going, /metrics 404 through Nginx"
fi
summary="project=$PROJECT services=${#SERVICES[@]}/${#SERVICES[@]} healthy, websocket board update ok, $(grep -o 'live_update_with[^ ]*' "$WORK/polling.log" | sed 's/^/polling /'), restart $(grep -o '^LOAD.*seconds=[0-9.]*' "$WORK/load.log")$monitoring, total=$(( $(date +%s) - T0 ))s"
[[ "$polling_ok" == true ]] || die "COMPOSE UP FOR REAL FAILED (long-polling clients did not all get the live update: Socket.IO pinning, docs/DEPLOY.md): $summary"
echo "COMPOSE UP FOR REAL OK $summary"
