#!/usr/bin/env bash
# Shared helpers for scripts/*.sh (sourced, not run).
# shellcheck shell=bash

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
need() { for c in "$@"; do command -v "$c" >/dev/null 2>&1 || die "'$c' is required but not installed"; done; }

# Repository root (scripts/..).
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

# json_get FILE EXPR — evaluate a JS expression on the parsed JSON `j` (node is always present
# where the app is built; no jq dependency). Prints nothing for undefined/null.
json_get() {
  node -e '
    const fs = require("fs");
    const j = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    const v = (0, eval)("(j) => (" + process.argv[2] + ")")(j);
    if (v !== undefined && v !== null) process.stdout.write(typeof v === "object" ? JSON.stringify(v) : String(v));
  ' "$1" "$2"
}

# load_env_file FILE — export KEY=VALUE lines of a .env file (docker stack deploy does not read .env).
load_env_file() {
  local f="$1"
  [[ -f "$f" ]] || return 0
  set -a
  # shellcheck disable=SC1090
  . "$f"
  set +a
}

# The deploy directory on the deploy host (readable and writable by whoever deploys: the Jenkins
# agent's user, or you). deploy.sh keeps there what the live release was deployed with, so that
# rollbacks and backups work from the host's own files, without the CI workspace:
#   deploy.env   the env file of the live release (the settings file plus IMAGE, IMAGE_TAG and
#                WEB_IMAGE_TAG)
#   current      the live image tag        previous   the tag live before it
#   attempted    the tag of the last deploy started    failed   the tag last rolled back from
DEPLOY_STATE_DIR="${DEPLOY_STATE_DIR:-${HOME:-/tmp}/.meeple-queue-deploy}"
export DEPLOY_STATE_DIR

# The image name without its tag, registry included: what build-image.sh tags and pushes and
# what compose/the stack pull (as ${IMAGE}:${IMAGE_TAG}, and ${IMAGE}-web:${WEB_IMAGE_TAG} for Nginx).
# IMAGE wins; otherwise REGISTRY (with its trailing slash) + IMAGE_REPO.
app_image() { printf '%s' "${IMAGE:-${REGISTRY:-}${IMAGE_REPO:-meeple-queue}}"; }

# web_tag_of IMAGE:TAG — the tag of the Nginx image (\$IMAGE-web) that goes with an app image
# present on this engine: its label org.meeple-queue.web-tag (build-image.sh records the output
# of web-image-tag.sh there); an image built before the label has a web image with its own tag.
web_tag_of() {
  local tag
  tag="$(docker image inspect --format '{{index .Config.Labels "org.meeple-queue.web-tag"}}' "$1")" \
    || die "cannot read the labels of $1"
  [[ "$tag" == "<no value>" ]] && tag=""
  printf '%s' "${tag:-${1##*:}}"
}

# state_get NAME / state_put NAME VALUE — one line files in DEPLOY_STATE_DIR.
state_get() { cat "$DEPLOY_STATE_DIR/$1" 2>/dev/null || true; }
state_put() { mkdir -p "$DEPLOY_STATE_DIR" && printf '%s\n' "$2" > "$DEPLOY_STATE_DIR/$1.tmp" && mv "$DEPLOY_STATE_DIR/$1.tmp" "$DEPLOY_STATE_DIR/$1"; }

# deploy_mode — compose or swarm, from this host: DEPLOY_MODE if the agent/host sets it,
# otherwise the Docker engine's Swarm state (a manager deploys the stack; a Swarm worker cannot).
deploy_mode() {
  if [[ -n "${DEPLOY_MODE:-}" ]]; then
    [[ "$DEPLOY_MODE" == compose || "$DEPLOY_MODE" == swarm ]] || die "DEPLOY_MODE must be compose or swarm, not '$DEPLOY_MODE'"
    printf '%s' "$DEPLOY_MODE"
    return
  fi
  local swarm
  swarm="$(docker info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}')" || die "docker info failed: is the Docker engine reachable?"
  case "$swarm" in
    "active true") printf swarm ;;
    active*) die "this engine is a Swarm worker: deploy from a manager (or set DEPLOY_MODE)" ;;
    *) printf compose ;;
  esac
}

# deploy_env_file — the env file a deploy, rollback or backup reads by default: ENV_FILE if
# given, else the one the live release was deployed with, else .env in the repository.
deploy_env_file() {
  if [[ -n "${ENV_FILE:-}" ]]; then printf '%s' "$ENV_FILE"
  elif [[ -f "$DEPLOY_STATE_DIR/deploy.env" ]]; then printf '%s' "$DEPLOY_STATE_DIR/deploy.env"
  else printf '%s' "$REPO_ROOT/.env"; fi
}

# compose_containers SERVICE — the running containers of the compose project's SERVICE, found
# by the labels compose puts on them (no compose file or env file needed); compose_container: one.
compose_containers() {
  docker ps -q --filter "label=com.docker.compose.project=${COMPOSE_PROJECT_NAME:-meeple-queue}" \
    --filter "label=com.docker.compose.service=$1"
}
compose_container() { compose_containers "$1" | head -1; }

# swarm_container SERVICE — the running task of the stack's SERVICE on this node.
swarm_container() {
  docker ps -q --filter "label=com.docker.swarm.service.name=${STACK_NAME:-meeple}_$1" | head -1
}

# ci_job_label — the label ci-test.sh puts on its throw-away containers and cleanup.sh removes by.
ci_job_label() { local job="${JOB_NAME:-local}"; printf 'meeple-queue.ci-job=%s' "${job//[^a-zA-Z0-9_.-]/-}"; }

# mysql_target VIA — for backup-mysql.sh and restore-mysql.sh: sets MYSQL_CTR (the container
# MySQL runs in; empty for VIA=host), MYSQL_DB (the app's database) and in_mysql_ctr CMD (runs
# CMD in that container with MYSQL_PWD set to its root password). It reads everything from the
# running container itself (its environment or its Swarm secret), so it needs neither the
# compose file nor an env file.
mysql_target() {
  MYSQL_CTR=""
  case "$1" in
    host)
      MYSQL_DB="${MYSQL_DATABASE:-meeple_queue}" ;;
    compose|swarm)
      need docker
      if [[ "$1" == compose ]]; then
        MYSQL_CTR="$(compose_container mysql)"
        MYSQL_ROOT_PW='$MYSQL_ROOT_PASSWORD'
        [[ -n "$MYSQL_CTR" ]] || die "no running mysql container of compose project ${COMPOSE_PROJECT_NAME:-meeple-queue} on this host"
      else
        MYSQL_CTR="$(swarm_container mysql)"
        MYSQL_ROOT_PW='$(cat /run/secrets/meeple_mysql_root_password)'
        [[ -n "$MYSQL_CTR" ]] || die "no ${STACK_NAME:-meeple}_mysql task on this node (run this on the node labelled meeple.db=true)"
      fi
      MYSQL_DB="$(docker exec "$MYSQL_CTR" sh -c 'printf %s "$MYSQL_DATABASE"')" ;;
    *) die "BACKUP_VIA must be compose, swarm or host" ;;
  esac
  [[ "$MYSQL_DB" =~ ^[A-Za-z0-9_]+$ ]] || die "unexpected database name '$MYSQL_DB'"
}
in_mysql_ctr() { docker exec -i "$MYSQL_CTR" sh -c "MYSQL_PWD=\"$MYSQL_ROOT_PW\" $*"; }
