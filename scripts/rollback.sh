#!/usr/bin/env bash
# Rolls back to the previously deployed image tag (recorded by deploy.sh), or to TAG.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
usage() {
  cat <<USAGE
Usage: $0 [TAG]
  TAG   default: \$DEPLOY_STATE_DIR/previous (the tag live before the last deploy)
Same environment as deploy.sh (DEPLOY_MODE, ENV_FILE, STACK_NAME, DEPLOY_STATE_DIR).
After rolling back it waits for /health (HEALTH_URL, default http://127.0.0.1/health).
USAGE
}
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { usage; exit 0; }
TAG="${1:-$(cat "$DEPLOY_STATE_DIR/previous" 2>/dev/null || true)}"
[[ -n "$TAG" ]] || die "no previous tag recorded in $DEPLOY_STATE_DIR/previous; give the tag explicitly"
failed="$(cat "$DEPLOY_STATE_DIR/current" 2>/dev/null || true)"
log "rolling back ${failed:-?} -> $TAG"
DEPLOY_RECORD=false "$(dirname "$0")/deploy.sh" "$TAG"
echo "$TAG" > "$DEPLOY_STATE_DIR/current"
[[ -n "$failed" && "$failed" != "$TAG" ]] && echo "$failed" > "$DEPLOY_STATE_DIR/failed"
"$(dirname "$0")/wait-for-health.sh" "${HEALTH_URL:-http://127.0.0.1/health}" "${HEALTH_TIMEOUT:-180}"
log "rolled back to $TAG"
