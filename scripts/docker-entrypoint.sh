#!/bin/sh
# Image entrypoint. For each VAR in the list below, VAR_FILE=/path sets VAR from that file's
# contents (Docker/Swarm secrets under /run/secrets), then the command runs as PID 1 so it
# receives SIGTERM directly and can drain.
# Usage: meeple-entrypoint node dist/server/main.js   (or: node dist/server/worker.js)
set -eu
for var in SESSION_SECRET ADMIN_PASSWORD MYSQL_PASSWORD DATABASE_URL REDIS_URL REDIS_PASSWORD METRICS_TOKEN VAPID_PRIVATE_KEY TWILIO_AUTH_TOKEN SMS_WEBHOOK_SECRET; do
  eval "file=\${${var}_FILE:-}"
  if [ -n "$file" ]; then
    eval "already=\${${var}:-}"
    if [ -n "$already" ]; then
      echo "meeple-entrypoint: both $var and ${var}_FILE are set; use one" >&2
      exit 1
    fi
    if [ ! -r "$file" ]; then
      echo "meeple-entrypoint: ${var}_FILE=$file is not readable" >&2
      exit 1
    fi
    value="$(cat "$file")"
    export "$var=$value"
    unset "${var}_FILE"
  fi
done
exec "$@"
