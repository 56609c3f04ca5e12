#!/usr/bin/env bash
# CI stage "Build image": builds the app image (runtime stage) and the Nginx image (web stage),
# tagged with the commit, optionally pushes them.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
usage() {
  cat <<USAGE
Usage: $0 [IMAGE_TAG]
  IMAGE_TAG    default: first 12 characters of \$GIT_COMMIT or of git rev-parse HEAD
Environment:
  IMAGE        image name without tag, registry included (default \$REGISTRY\$IMAGE_REPO, i.e.
               meeple-queue): builds \$IMAGE:TAG and \$IMAGE-web:TAG, the names deploy.sh deploys
  REGISTRY     registry prefix with trailing slash, e.g. registry.example.com/ (when IMAGE is unset)
  IMAGE_REPO   default meeple-queue (when IMAGE is unset)
  PUSH         true to docker push both tags (needed for Swarm on several machines)
  NODE_IMAGE / NGINX_IMAGE   override the base images (build arguments)
USAGE
}
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { usage; exit 0; }
need docker git
cd "$REPO_ROOT"
sha="${GIT_COMMIT:-$(git rev-parse HEAD)}"
TAG="${1:-${IMAGE_TAG:-${sha:0:12}}}"
REPO="$(app_image)"
args=(--label "org.opencontainers.image.revision=$sha" --label "org.opencontainers.image.source=${GIT_URL:-}"
  --label "org.opencontainers.image.created=$(date -u +%Y-%m-%dT%H:%M:%SZ)")
[[ -n "${NODE_IMAGE:-}" ]] && args+=(--build-arg "NODE_IMAGE=$NODE_IMAGE")
[[ -n "${NGINX_IMAGE:-}" ]] && args+=(--build-arg "NGINX_IMAGE=$NGINX_IMAGE")

log "building $REPO:$TAG (runtime) and $REPO-web:$TAG (web)"
docker build "${args[@]}" --target runtime -t "$REPO:$TAG" .
docker build "${args[@]}" --target web -t "$REPO-web:$TAG" .
if [[ "${PUSH:-false}" == true ]]; then
  docker push "$REPO:$TAG"
  docker push "$REPO-web:$TAG"
fi
echo "$TAG"
