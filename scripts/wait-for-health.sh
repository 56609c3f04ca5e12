#!/usr/bin/env bash
# Waits until URL answers 200 with {"status":"healthy"} (GET /health of the app or through Nginx).
# "degraded" (200: the queue engine was paused from Bull Board; reconcile still moves the queue)
# counts as up, with a warning: a deploy must not wait on a pause an admin chose.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { echo "Usage: $0 [URL] [TIMEOUT_SECONDS]   (defaults: \$HEALTH_URL or http://127.0.0.1/health, 120)"; }
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { usage; exit 0; }
need curl

URL="${1:-${HEALTH_URL:-http://127.0.0.1/health}}"
TIMEOUT="${2:-${HEALTH_TIMEOUT:-120}}"
# Consecutive successes required (a replica set mid-rollout can flap).
NEED_OK="${HEALTH_CONSECUTIVE:-3}"

deadline=$(( $(date +%s) + TIMEOUT ))
ok=0 last=""
while (( $(date +%s) < deadline )); do
  if last="$(curl -sS --max-time 5 -w ' HTTP %{http_code}' "$URL" 2>&1)" && [[ "$last" == *'"healthy"'*' HTTP 200' || "$last" == *'"degraded"'*' HTTP 200' ]]; then
    ok=$((ok + 1))
    if [[ "$last" == *'"degraded"'* ]] && (( ok == 1 )); then log "warning: the queue engine is paused (/health says degraded): $URL"; fi
    if (( ok >= NEED_OK )); then log "healthy: $URL"; exit 0; fi
  else
    ok=0
  fi
  sleep 1
done
log "not healthy after ${TIMEOUT}s: $URL — last answer: ${last:-none}"
exit 1
