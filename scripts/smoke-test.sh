#!/usr/bin/env bash
# Smoke test of a running Meeple Queue: health, staff login, create a game, join its queue as a
# customer, and see the new reservation code on the public board.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
  cat <<USAGE
Usage: $0 [BASE_URL]

  BASE_URL          default \$SMOKE_BASE_URL or http://127.0.0.1
Environment:
  SMOKE_USERNAME    staff user (default \$ADMIN_USERNAME or "admin")
  SMOKE_PASSWORD    staff password (default \$ADMIN_PASSWORD) — required
  SMOKE_KEEP_GAME   "true" keeps the smoke-test game instead of deleting it
Exit 0 and prints "SMOKE OK" on success.
USAGE
}
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { usage; exit 0; }

need curl node
BASE="${1:-${SMOKE_BASE_URL:-http://127.0.0.1}}"
BASE="${BASE%/}"
USERNAME="${SMOKE_USERNAME:-${ADMIN_USERNAME:-admin}}"
PASSWORD="${SMOKE_PASSWORD:-${ADMIN_PASSWORD:-}}"
[[ -n "$PASSWORD" ]] || { usage; die "SMOKE_PASSWORD (or ADMIN_PASSWORD) is required"; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
JAR="$WORK/cookies"

# req METHOD PATH [JSON_BODY] — writes the body to $WORK/body, prints the HTTP status.
req() {
  local method="$1" path="$2" body="${3:-}"
  local args=(-sS -o "$WORK/body" -w '%{http_code}' -X "$method" -b "$JAR" -c "$JAR"
    --max-time 15 -H 'Accept: application/json' -H "Origin: $BASE")
  [[ -n "$body" ]] && args+=(-H 'Content-Type: application/json' --data "$body")
  curl "${args[@]}" "$BASE$path"
}
expect() { # expect STATUS_GOT STATUS_WANTED... STEP
  local got="$1" step="${*: -1}"
  for want in "${@:2:$#-2}"; do [[ "$got" == "$want" ]] && { log "ok: $step ($got)"; return 0; }; done
  die "$step: HTTP $got — $(head -c 500 "$WORK/body")"
}

stamp="$(date +%s)-$RANDOM"

expect "$(req GET /health)" 200 "GET /health"
[[ "$(json_get "$WORK/body" 'j.status')" == "healthy" ]] || die "/health is not healthy: $(cat "$WORK/body")"

login_body="$(USERNAME="$USERNAME" PASSWORD="$PASSWORD" node -e 'process.stdout.write(JSON.stringify({username: process.env.USERNAME, password: process.env.PASSWORD}))')"
expect "$(req POST /api/auth/login "$login_body")" 200 204 "staff login"

expect "$(req POST /api/games "{\"title\":\"Smoke test $stamp\",\"copies\":1}")" 200 201 "create game"
game_id="$(json_get "$WORK/body" 'j.id ?? j.game?.id ?? j.data?.id')"
[[ -n "$game_id" ]] || die "no game id in $(cat "$WORK/body")"

expect "$(req POST "/api/games/$game_id/reservations" '{"customerName":"Smoke Test","partySize":2}')" 201 "join the queue"
code="$(json_get "$WORK/body" 'j.code ?? j.reservation?.code ?? j.data?.code')"
[[ -n "$code" ]] || die "no reservation code in $(cat "$WORK/body")"
secret="$(json_get "$WORK/body" 'j.secret ?? j.reservation?.secret ?? j.data?.secret')"

# The board is fed asynchronously in some set-ups; give it a few seconds.
found=""
for _ in $(seq 1 20); do
  expect "$(req GET /api/board)" 200 "GET /api/board" 2>/dev/null
  found="$(CODE="$code" json_get "$WORK/body" '(function find(o){ if (Array.isArray(o)) return o.some(find); if (o && typeof o === "object") return ["waiting","calling"].some(k => Array.isArray(o[k]) && o[k].some(r => r && r.code === process.env.CODE)) || Object.values(o).some(find); return false; })(j) || ""')"
  [[ "$found" == "true" ]] && break
  sleep 0.5
done
[[ "$found" == "true" ]] || die "reservation $code not on /api/board: $(head -c 1000 "$WORK/body")"
log "ok: reservation $code is on the board"

if [[ "${SMOKE_KEEP_GAME:-false}" != "true" ]]; then
  # Leave the queue as the customer would (with the secret returned on joining), then the
  # game can be deleted (a game with waiting parties cannot).
  if [[ -n "$secret" ]]; then
    status="$(req POST "/api/tickets/$code/cancel" "$(SECRET="$secret" node -e 'process.stdout.write(JSON.stringify({secret: process.env.SECRET}))')")" || true
    [[ "$status" == 200 ]] && log "ok: reservation $code cancelled" || log "note: cancelling $code answered HTTP $status"
  fi
  status="$(req DELETE "/api/games/$game_id")" || true
  case "$status" in 200|202|204) log "ok: removed smoke-test game $game_id" ;;
    *) log "note: could not delete smoke-test game $game_id (HTTP $status); remove it from /staff" ;; esac
fi
echo "SMOKE OK $BASE game=$game_id code=$code"
