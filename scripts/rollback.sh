#!/usr/bin/env bash
# Rolls back to the release live before a failed or unwanted one, from the state deploy.sh
# keeps on the deploy host (DEPLOY_STATE_DIR), or to a given TAG.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
usage() {
  cat <<USAGE
Usage: $0 [--from FAILED_TAG | TAG]
  --from FAILED_TAG  roll back from FAILED_TAG to the release live before it (Jenkins passes the
                     tag it tried to deploy): "previous" if FAILED_TAG became "current", else
                     "current" (the deploy never finished, the live release is re-applied)
  TAG                roll back to this tag
  (nothing)          from the last deploy started (\$DEPLOY_STATE_DIR/attempted)
Same environment as deploy.sh (IMAGE, DEPLOY_MODE, STACK_NAME, DEPLOY_STATE_DIR). The env file
is the one the live release was deployed with (\$DEPLOY_STATE_DIR/deploy.env) unless ENV_FILE
is given. After rolling back it waits for /health (HEALTH_URL, default http://127.0.0.1/health;
HEALTH_URL=none skips it) and prints the tag it rolled back to.
USAGE
}
from="" TAG=""
case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  --from) [[ -n "${2:-}" ]] || { usage; exit 2; }; from="$2" ;;
  -*) usage; die "unknown option $1" ;;
  *) TAG="${1:-}" ;;
esac
current="$(state_get current)"
if [[ -z "$TAG" ]]; then
  from="${from:-$(state_get attempted)}"
  from="${from:-$current}"
  if [[ "$from" == "$current" ]]; then TAG="$(state_get previous)"; else TAG="$current"; fi
fi
[[ -n "$TAG" && "$TAG" != "$from" ]] || die "nothing to roll back to from ${from:-?} (state in $DEPLOY_STATE_DIR: current=${current:-none} previous=$(state_get previous)); give the tag explicitly"
failed="${from:-$current}"
log "rolling back ${failed:-?} -> $TAG"
# Everything but the tag goes to stderr: stdout is the answer (Jenkins reads it).
DEPLOY_RECORD=false "$(dirname "$0")/deploy.sh" "$TAG" >&2
state_put current "$TAG"
[[ -n "$failed" && "$failed" != "$TAG" ]] && state_put failed "$failed"
if [[ "${HEALTH_URL:-}" != none ]]; then
  "$(dirname "$0")/wait-for-health.sh" "${HEALTH_URL:-http://127.0.0.1/health}" "${HEALTH_TIMEOUT:-180}" >&2
fi
log "rolled back to $TAG"
echo "$TAG"
