#!/usr/bin/env bash
# Posts a deployment notification to a webhook (Slack / Mattermost / Teams-compatible
# {"text": ...} JSON). Without NOTIFY_WEBHOOK_URL it only prints the message.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
usage() {
  cat <<USAGE
Usage: $0 STATUS [MESSAGE]
  STATUS   success | failure | rollback | info
Environment: NOTIFY_WEBHOOK_URL (Jenkins credential), JOB_NAME, BUILD_NUMBER, BUILD_URL, GIT_COMMIT, IMAGE_TAG
USAGE
}
[[ $# -ge 1 && "$1" != "-h" && "$1" != "--help" ]] || { usage; [[ $# -ge 1 ]] && exit 0; exit 2; }
STATUS="$1"; shift
MESSAGE="${*:-}"
case "$STATUS" in
  success) icon="✅" ;; failure) icon="❌" ;; rollback) icon="↩️" ;; *) icon="ℹ️" ;;
esac
text="$icon Meeple Queue ${JOB_NAME:-manual} #${BUILD_NUMBER:-0}: $STATUS"
[[ -n "${IMAGE_TAG:-${GIT_COMMIT:-}}" ]] && text+=" — ${IMAGE_TAG:-${GIT_COMMIT:0:12}}"
[[ -n "$MESSAGE" ]] && text+=" — $MESSAGE"
[[ -n "${BUILD_URL:-}" ]] && text+=" (${BUILD_URL})"
echo "$text"
if [[ -z "${NOTIFY_WEBHOOK_URL:-}" ]]; then
  log "NOTIFY_WEBHOOK_URL not set; not posting"
  exit 0
fi
need curl node
payload="$(TEXT="$text" STATUS="$STATUS" node -e 'process.stdout.write(JSON.stringify({ text: process.env.TEXT, status: process.env.STATUS }))')"
# A failed notification must not fail the build: warn only.
if ! curl -fsS --max-time 10 --retry 2 -H 'Content-Type: application/json' -d "$payload" "$NOTIFY_WEBHOOK_URL" >/dev/null; then
  log "WARNING: webhook notification failed"
fi
