#!/usr/bin/env bash
# CI stage "Deploy": rolls out IMAGE_TAG with Docker Compose (one host) or Docker Swarm, and
# keeps on the deploy host what rollback.sh and the backup scripts need (lib.sh: DEPLOY_STATE_DIR).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
usage() {
  cat <<USAGE
Usage: $0 IMAGE_TAG
Environment:
  IMAGE            image name without tag, registry included (default: \$REGISTRY\$IMAGE_REPO,
                   i.e. meeple-queue); the same name build-image.sh tagged and pushed
  DEPLOY_MODE      compose | swarm (default: from this engine's Swarm state: swarm on a manager)
  ENV_FILE         settings/secrets file (default: the live release's \$DEPLOY_STATE_DIR/deploy.env,
                   else .env in the repository root)
  STACK_NAME       Swarm stack name (default meeple)
  APP_REPLICAS     compose: app replicas (default 2)
  DEPLOY_STATE_DIR deploy directory on this host (default ~/.meeple-queue-deploy): deploy.env,
                   current, previous, attempted (see scripts/lib.sh)
  DEPLOY_RECORD    false to not record the tag as a new release (used by rollback.sh)
  DEPLOY_TIMEOUT   Swarm: seconds to wait for the services to converge (default 600)

The env file given is copied to \$DEPLOY_STATE_DIR/deploy.env with IMAGE, IMAGE_TAG and
WEB_IMAGE_TAG (the app image's label org.meeple-queue.web-tag) added, and compose/the stack read
the image names from that file only (never from this shell), so a rollback brings back the
Nginx image that went with the app image.
compose: MySQL/Redis are started if needed; the app is rolled without downtime: new replicas
  are started next to the old ones, and once they are healthy (and Nginx has re-resolved
  \`app\`, 5 s) the old ones get SIGTERM and drain. Nginx is recreated only if its image
  (WEB_IMAGE_TAG: the app image's label org.meeple-queue.web-tag) or its configuration changed.
swarm: docker stack deploy; Swarm updates one task at a time, start-first, health-gated, and
  rolls back by itself if a new task fails (docker-stack.yml). This script waits until every
  running task of app and nginx runs the new image and the update is completed.
USAGE
}
[[ $# -ge 1 && "$1" != "-h" && "$1" != "--help" ]] || { usage; [[ $# -ge 1 ]] && exit 0; exit 2; }
need docker
IMAGE_TAG="$1"
tag_re='^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$' # what Docker accepts as a tag
[[ "$IMAGE_TAG" =~ $tag_re ]] || die "not a valid image tag: '$IMAGE_TAG'"
IMAGE="$(app_image)"
MODE="$(deploy_mode)"
ENV_FILE="$(deploy_env_file)"
[[ -f "$ENV_FILE" ]] || die "$ENV_FILE missing (copy .env.example and fill in the secrets)"
ENV_FILE="$(realpath "$ENV_FILE")"
# The Nginx image that goes with this app image: build-image.sh records its tag as the label
# org.meeple-queue.web-tag, so a rollback brings back its client too, and a commit that leaves
# nginx/ and client/ alone keeps the same tag (Nginx is not recreated).
web_tag_for() {
  local image="$IMAGE:$1"
  docker image inspect "$image" >/dev/null 2>&1 || docker pull -q "$image" >/dev/null || die "cannot pull $image"
  web_tag_of "$image"
}
WEB_IMAGE_TAG="$(web_tag_for "$IMAGE_TAG")"
[[ "$WEB_IMAGE_TAG" =~ $tag_re ]] || die "$IMAGE:$IMAGE_TAG names a bad web image tag: '$WEB_IMAGE_TAG'"
cd "$REPO_ROOT"
mkdir -p "$DEPLOY_STATE_DIR"
live="$(state_get current)"
log "deploying $IMAGE:$IMAGE_TAG with $MODE (live before: ${live:-none})"
[[ "${DEPLOY_RECORD:-true}" == true ]] && state_put attempted "$IMAGE_TAG"

# The env file of this release: the settings without any image lines, then IMAGE, IMAGE_TAG and
# WEB_IMAGE_TAG. It becomes deploy.env only once the release is live.
next="$DEPLOY_STATE_DIR/deploy.env.next"
(
  umask 077
  grep -Ev '^[[:space:]]*(export[[:space:]]+)?(IMAGE|IMAGE_TAG|WEB_IMAGE_TAG|IMAGE_REPO|REGISTRY)=' "$ENV_FILE" > "$next" || true
  printf 'IMAGE=%s\nIMAGE_TAG=%s\nWEB_IMAGE_TAG=%s\n' "$IMAGE" "$IMAGE_TAG" "$WEB_IMAGE_TAG" >> "$next"
)
trap 'rm -f "$next"' EXIT

# Compose takes a variable from the shell over the env file: drop the image variables from the
# shell so the file is the one source of the image name.
compose() { env -u IMAGE -u IMAGE_TAG -u WEB_IMAGE_TAG -u IMAGE_REPO -u REGISTRY docker compose --env-file "$next" -f docker-compose.yml "$@"; }

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
  sleep "${NGINX_RESOLVE_WAIT:-6}" # Nginx re-resolves `app` every 5 s (resolver valid=5s)
  log "draining old replicas (SIGTERM, up to 30 s)"
  docker stop -t 30 "${old[@]}" >/dev/null
  docker rm "${old[@]}" >/dev/null
  # Compose recreates Nginx only if its image ($WEB_IMAGE_TAG) or its configuration changed;
  # otherwise it keeps running and its WebSockets stay open.
  log "nginx: $WEB_IMAGE_TAG"
  compose up -d --no-build --no-deps --wait nginx
}

# task_images SERVICE — "IMAGE|CURRENT STATE" of each task Swarm wants running (digest removed).
task_images() { docker service ps "$1" --filter desired-state=running --format '{{.Image}}|{{.CurrentState}}' | sed 's/@sha256:[0-9a-f]*//'; }

# wait_converged SERVICE IMAGE:TAG DEADLINE — until every task Swarm wants running runs
# IMAGE:TAG and no update is in progress. Before Swarm starts the update the old tasks still run
# (and UpdateStatus still says what the last update said), so they never count as converged.
# A rollback state counts as a failure only when the service was set back to another image
# (a stale one from an earlier update, e.g. when rollback.sh re-applies the live tag, does not).
wait_converged() {
  local svc="$1" want="$2" deadline="$3" line state="" spec replicas tasks ok=0 total
  while (( $(date +%s) < deadline )); do
    line="$(docker service inspect \
      --format '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}|{{.Spec.TaskTemplate.ContainerSpec.Image}}|{{.Spec.Mode.Replicated.Replicas}}' "$svc")"
    IFS='|' read -r state spec replicas <<<"$line"
    spec="${spec%@sha256:*}"
    case "$state" in
      paused|rollback_paused) swarm_failed "$svc" "Swarm paused the update of $svc ($state)" ;;
      rollback_started|rollback_completed)
        [[ "$spec" == "$want" ]] || swarm_failed "$svc" "Swarm rolled back the update of $svc to $spec ($state)" ;;
    esac
    [[ "$spec" == "$want" ]] || die "$svc is set to run $spec, not $want"
    tasks="$(task_images "$svc")"
    total="$(grep -c . <<<"$tasks" || true)"
    ok="$(sed 's/|\(Running\).*/|\1/' <<<"$tasks" | grep -c -F -x -- "$want|Running" || true)"
    if [[ "$state" != updating && "$state" != rollback_started && "$ok" == "$replicas" && "$total" == "$replicas" ]]; then
      log "$svc converged: $ok/$replicas tasks run $want"
      return 0
    fi
    sleep "${SWARM_POLL_SECONDS:-5}"
  done
  die "timeout waiting for $svc to run $want (update state: ${state:-none}, $ok/${replicas:-?} tasks)"
}
swarm_failed() { docker service ps --no-trunc "$1" | head -10 >&2; die "$2"; }

deploy_swarm() {
  local stack="${STACK_NAME:-meeple}" deadline
  # docker stack deploy reads no env file: the release's file goes into a clean environment.
  (
    unset IMAGE IMAGE_TAG WEB_IMAGE_TAG IMAGE_REPO REGISTRY
    load_env_file "$next"
    docker stack deploy --with-registry-auth -c docker-stack.yml "$stack"
  )
  deadline=$(( $(date +%s) + ${DEPLOY_TIMEOUT:-600} ))
  wait_converged "${stack}_app" "$IMAGE:$IMAGE_TAG" "$deadline"
  wait_converged "${stack}_nginx" "$IMAGE-web:$WEB_IMAGE_TAG" "$deadline"
}

case "$MODE" in
  compose) deploy_compose ;;
  swarm) deploy_swarm ;;
esac

mv "$next" "$DEPLOY_STATE_DIR/deploy.env"
if [[ "${DEPLOY_RECORD:-true}" == true && "$live" != "$IMAGE_TAG" ]]; then
  [[ -n "$live" ]] && state_put previous "$live"
  state_put current "$IMAGE_TAG"
fi
log "deployed $IMAGE:$IMAGE_TAG (nginx $IMAGE-web:$WEB_IMAGE_TAG)"
