#!/usr/bin/env bash
# CI stage "Deploy": rolls out IMAGE_TAG with Docker Compose (one host) or Docker Swarm, and
# records the tag that was live before, for rollback.sh.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
usage() {
  cat <<USAGE
Usage: $0 IMAGE_TAG
Environment:
  DEPLOY_MODE      compose (default) | swarm
  ENV_FILE         secrets/settings file (default: .env in the repository root)
  STACK_NAME       Swarm stack name (default meeple)
  APP_REPLICAS     compose: app replicas (default 2)
  DEPLOY_STATE_DIR where current/previous tags are kept (default ~/.meeple-queue-deploy)
  DEPLOY_RECORD    false to not record the tag (used by rollback.sh)

compose: MySQL/Redis are started if needed; the app is rolled without downtime: new replicas
  are started next to the old ones, and once they are healthy (and Nginx has re-resolved
  \`app\`, 5 s) the old ones get SIGTERM and drain. Nginx is recreated only if its image
  (WEB_IMAGE_TAG: the app image's label org.meeple-queue.web-tag) or its configuration changed.
swarm: docker stack deploy; Swarm updates one task at a time, start-first, health-gated, and
  rolls back by itself if a new task fails (docker-stack.yml). This script waits for the end.
USAGE
}
[[ $# -ge 1 && "$1" != "-h" && "$1" != "--help" ]] || { usage; [[ $# -ge 1 ]] && exit 0; exit 2; }
need docker
export IMAGE_TAG="$1"
# The Nginx image that goes with this app image (build-image.sh records it as a label), so a
# rollback brings back its client too. Unchanged between commits, Nginx is not recreated.
web_tag_for() {
  local image="${REGISTRY:-}${IMAGE_REPO:-meeple-queue}:$1" tag
  docker image inspect "$image" >/dev/null 2>&1 || docker pull -q "$image" >/dev/null
  tag="$(docker image inspect --format '{{index .Config.Labels "org.meeple-queue.web-tag"}}' "$image")"
  echo "${tag:-$1}" # an image built before the label: its web image has the same tag
}
export WEB_IMAGE_TAG="${WEB_IMAGE_TAG:-$(web_tag_for "$IMAGE_TAG")}"
MODE="${DEPLOY_MODE:-compose}"
ENV_FILE="${ENV_FILE:-$REPO_ROOT/.env}"
cd "$REPO_ROOT"
mkdir -p "$DEPLOY_STATE_DIR"
previous="$(cat "$DEPLOY_STATE_DIR/current" 2>/dev/null || true)"
log "deploying $IMAGE_TAG with $MODE (live before: ${previous:-none})"

compose() { docker compose --env-file "$ENV_FILE" -f docker-compose.yml "$@"; }

health_of() { docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$1" 2>/dev/null || echo gone; }

wait_healthy() { # wait_healthy TIMEOUT ID...
  local timeout="$1"; shift
  local deadline=$(( $(date +%s) + timeout ))
  for id in "$@"; do
    while [[ "$(health_of "$id")" != healthy ]]; do
      [[ "$(health_of "$id")" == unhealthy || "$(health_of "$id")" == exited ]] && { docker logs --tail 40 "$id" >&2; return 1; }
      (( $(date +%s) < deadline )) || { log "timeout waiting for $id"; return 1; }
      sleep 2
    done
  done
}

deploy_compose() {
  [[ -f "$ENV_FILE" ]] || die "$ENV_FILE missing (copy .env.example and fill in the secrets)"
  local n="${APP_REPLICAS:-2}"
  compose up -d --no-build --wait mysql redis
  mapfile -t old < <(compose ps -q app)
  if [[ ${#old[@]} -eq 0 ]]; then
    log "first deploy: starting everything"
    compose up -d --no-build --wait --scale "app=$n"
    return
  fi
  log "rolling app: starting $n new replicas next to ${#old[@]} old ones"
  compose up -d --no-build --no-deps --no-recreate --scale "app=$(( ${#old[@]} + n ))" app
  mapfile -t all < <(compose ps -q app)
  local new=()
  for id in "${all[@]}"; do [[ " ${old[*]} " == *" $id "* ]] || new+=("$id"); done
  if ! wait_healthy 180 "${new[@]}"; then
    log "new replicas unhealthy: removing them, old ones keep serving"
    docker rm -f "${new[@]}" >/dev/null
    return 1
  fi
  sleep 6 # Nginx re-resolves `app` every 5 s (resolver valid=5s)
  log "draining old replicas (SIGTERM, up to 30 s)"
  docker stop -t 30 "${old[@]}" >/dev/null
  docker rm "${old[@]}" >/dev/null
  # Compose recreates Nginx only if its image ($WEB_IMAGE_TAG) or its configuration changed;
  # otherwise it keeps running and its WebSockets stay open.
  log "nginx: $WEB_IMAGE_TAG"
  compose up -d --no-build --no-deps --wait nginx
}

deploy_swarm() {
  load_env_file "$ENV_FILE"
  local stack="${STACK_NAME:-meeple}"
  docker stack deploy --with-registry-auth -c docker-stack.yml "$stack"
  local svc="${stack}_app" deadline=$(( $(date +%s) + ${DEPLOY_TIMEOUT:-600} )) state=""
  while (( $(date +%s) < deadline )); do
    state="$(docker service inspect --format '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' "$svc")"
    case "$state" in
      ""|completed)
        local want have
        want="$(docker service inspect --format '{{.Spec.Mode.Replicated.Replicas}}' "$svc")"
        have="$(docker service ls --filter "name=$svc" --format '{{.Replicas}}' | head -1)"
        [[ "$have" == "$want/$want" ]] && { log "$svc converged ($have)"; return 0; } ;;
      rollback_completed|rollback_paused|paused)
        docker service ps --no-trunc "$svc" | head -10 >&2
        die "Swarm rolled back / paused the update of $svc ($state)" ;;
    esac
    sleep 5
  done
  die "timeout waiting for $svc (state: ${state:-unknown})"
}

case "$MODE" in
  compose) deploy_compose ;;
  swarm) deploy_swarm ;;
  *) die "DEPLOY_MODE must be compose or swarm" ;;
esac

if [[ "${DEPLOY_RECORD:-true}" == true && "$previous" != "$IMAGE_TAG" ]]; then
  [[ -n "$previous" ]] && echo "$previous" > "$DEPLOY_STATE_DIR/previous"
  echo "$IMAGE_TAG" > "$DEPLOY_STATE_DIR/current"
fi
log "deployed $IMAGE_TAG"
