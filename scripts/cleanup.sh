#!/usr/bin/env bash
# CI stage "Cleanup" (and the pipeline's last step): removes what earlier builds left on the
# agent and prunes old images by policy, so a busy agent does not fill its disk.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
usage() {
  cat <<USAGE
Usage: $0
  1. removes the throw-away MySQL/Redis containers ci-test.sh started for this job
     (label meeple-queue.ci-job=\$JOB_NAME) that an aborted build left behind;
  2. keeps the KEEP_IMAGES newest tags of \$IMAGE, plus the tags the deploy state names
     (current, previous, attempted in \$DEPLOY_STATE_DIR) and IMAGE_TAG, and removes its other
     tags; then keeps the KEEP_IMAGES newest tags of \$IMAGE-web plus every web tag that an app
     tag still here names (label org.meeple-queue.web-tag), and removes the others; an image a
     container still uses is kept;
  3. removes dangling images (layers of earlier builds no tag points to).
Environment: IMAGE (default \$REGISTRY\$IMAGE_REPO, i.e. meeple-queue), KEEP_IMAGES (default 5),
  JOB_NAME (default local), DEPLOY_STATE_DIR, IMAGE_TAG (this build's tag, always kept).
USAGE
}
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { usage; exit 0; }
need docker
KEEP="${KEEP_IMAGES:-5}"
[[ "$KEEP" =~ ^[0-9]+$ && "$KEEP" -ge 1 ]] || die "KEEP_IMAGES must be a whole number ≥ 1, not '$KEEP'"
IMAGE="$(app_image)"

mapfile -t leftovers < <(docker ps -aq --filter "label=$(ci_job_label)")
if (( ${#leftovers[@]} )); then
  log "removing ${#leftovers[@]} CI container(s) left by an earlier build"
  docker rm -f "${leftovers[@]}" >/dev/null
fi

removed=0 kept_in_use=0
# tags_newest_first REPO — its tags, newest first (CreatedAt "2026-11-29 21:00:00 +0000 UTC" sorts as text).
tags_newest_first() { docker image ls "$1" --format '{{.CreatedAt}}|{{.Tag}}' | sort -r | cut -d'|' -f2 | grep -v -x '<none>' || true; }
# prune REPO " KEPT TAGS " — removes the tags of REPO past the KEEP newest, except the kept ones.
prune() {
  local repo="$1" kept="$2" tags tag
  mapfile -t tags < <(tags_newest_first "$repo")
  for tag in "${tags[@]:$KEEP}"; do
    [[ "$kept" == *" $tag "* ]] && continue
    if docker image rm "$repo:$tag" >/dev/null; then
      removed=$((removed + 1))
    else
      log "warning: could not remove $repo:$tag (a container still uses it?); kept"
      kept_in_use=$((kept_in_use + 1))
    fi
  done
}

prune "$IMAGE" " $(state_get current) $(state_get previous) $(state_get attempted) ${IMAGE_TAG:-} "
# The web image is tagged by what it is built from, not by commit (web-image-tag.sh): every app
# tag still here keeps the web image its label names, however old, so it can be deployed again.
web_kept=" "
for tag in $(tags_newest_first "$IMAGE"); do web_kept+="$(web_tag_of "$IMAGE:$tag") "; done
prune "$IMAGE-web" "$web_kept"
docker image prune -f >/dev/null
log "cleanup: $removed old image tag(s) removed, the $KEEP newest of $IMAGE(-web) kept, $kept_in_use more still in use"
