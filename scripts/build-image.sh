#!/usr/bin/env bash
# CI stage "Build image": builds the app image (runtime stage) and the Nginx image (web stage),
# the app tagged with the commit, Nginx with a hash of what it is built from; optionally pushes them.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
usage() {
  cat <<USAGE
Usage: $0 [IMAGE_TAG]
  IMAGE_TAG    default: first 12 characters of \$GIT_COMMIT or of git rev-parse HEAD
Environment:
  IMAGE        image name without tag, registry included (default \$REGISTRY\$IMAGE_REPO, i.e.
               meeple-queue): builds \$IMAGE:TAG and \$IMAGE-web:WEB_TAG, the names deploy.sh deploys;
               WEB_TAG from scripts/web-image-tag.sh, recorded in the app image's label
               org.meeple-queue.web-tag (a web tag that exists already is not rebuilt)
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
build_args=()
[[ -n "${NODE_IMAGE:-}" ]] && build_args+=(--build-arg "NODE_IMAGE=$NODE_IMAGE")
[[ -n "${NGINX_IMAGE:-}" ]] && build_args+=(--build-arg "NGINX_IMAGE=$NGINX_IMAGE")
web_args=(--label "org.opencontainers.image.source=${GIT_URL:-}" ${build_args[@]+"${build_args[@]}"})
args+=(${build_args[@]+"${build_args[@]}"})

# The web image is tagged by what it is built from (scripts/web-image-tag.sh), not by commit, and
# carries no per-build label: a commit that leaves nginx/ and client/ alone leaves it as it was,
# and a deploy does not recreate Nginx. The app image records which web image goes with it.
WEB_TAG="$("$(dirname "$0")/web-image-tag.sh" "$sha")"
log "building $REPO:$TAG (runtime) and $REPO-web:$WEB_TAG (web)"
docker build "${args[@]}" --label "org.meeple-queue.web-tag=$WEB_TAG" --target runtime -t "$REPO:$TAG" .
if docker image inspect "$REPO-web:$WEB_TAG" >/dev/null 2>&1; then
  log "$REPO-web:$WEB_TAG exists: nginx/ and client/ unchanged"
else
  docker build "${web_args[@]}" --label "org.meeple-queue.web-tag=$WEB_TAG" --target web -t "$REPO-web:$WEB_TAG" .
fi
if [[ "${PUSH:-false}" == true ]]; then
  docker push "$REPO:$TAG"
  docker push "$REPO-web:$WEB_TAG"
fi
echo "$TAG"
