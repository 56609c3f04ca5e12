#!/usr/bin/env bash
# Restores a backup made by backup-mysql.sh into the Meeple Queue database. Destructive: the
# dump drops and recreates every table it contains. Stop the app first (or pass --stop-app).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
usage() {
  cat <<USAGE
Usage: $0 [--yes] [--stop-app] BACKUP_FILE.sql.gz
  --yes        do not ask for confirmation (or RESTORE_CONFIRM=yes)
  --stop-app   compose: stop the app replicas during the restore and start them again after
Environment: the same as backup-mysql.sh (BACKUP_VIA=compose|swarm|host, MYSQL_*, ENV_FILE, STACK_NAME).
With BACKUP_VIA=host the database MYSQL_DATABASE is created if it does not exist.
USAGE
}
YES="${RESTORE_CONFIRM:-no}" STOP_APP=false FILE=""
for arg in "$@"; do
  case "$arg" in
    --yes) YES=yes ;;
    --stop-app) STOP_APP=true ;;
    -h|--help) usage; exit 0 ;;
    -*) usage; die "unknown option $arg" ;;
    *) FILE="$arg" ;;
  esac
done
[[ -n "$FILE" ]] || { usage; exit 2; }
[[ -r "$FILE" ]] || die "cannot read $FILE"
cd "$REPO_ROOT"
gzip -t "$FILE" || die "$FILE is not a valid gzip file"
if [[ -f "$FILE.sha256" ]]; then sha256sum -c --status "$FILE.sha256" || die "checksum mismatch for $FILE"; fi
VIA="${BACKUP_VIA:-compose}"

case "$VIA" in
  host)
    need mysql
    DB="${MYSQL_DATABASE:-meeple_queue}"
    target="$DB on ${MYSQL_HOST:-127.0.0.1}:${MYSQL_PORT:-3306}"
    my() { MYSQL_PWD="${MYSQL_PASSWORD:-}" mysql -h "${MYSQL_HOST:-127.0.0.1}" -P "${MYSQL_PORT:-3306}" -u "${MYSQL_USER:-root}" "$@"; }
    load() { my -e "CREATE DATABASE IF NOT EXISTS \`$DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"; my "$DB"; } ;;
  compose)
    need docker
    target="the compose mysql service"
    load() { docker compose --env-file "${ENV_FILE:-.env}" exec -T mysql sh -c 'MYSQL_PWD="$MYSQL_ROOT_PASSWORD" mysql -uroot "$MYSQL_DATABASE"'; } ;;
  swarm)
    need docker
    ctr="$(docker ps -q --filter "label=com.docker.swarm.service.name=${STACK_NAME:-meeple}_mysql" | head -1)"
    [[ -n "$ctr" ]] || die "no ${STACK_NAME:-meeple}_mysql task on this node"
    target="swarm task $ctr"
    load() { docker exec -i "$ctr" sh -c 'MYSQL_PWD="$(cat /run/secrets/meeple_mysql_root_password)" mysql -uroot "$MYSQL_DATABASE"'; } ;;
  *) die "BACKUP_VIA must be compose, swarm or host" ;;
esac

if [[ "$YES" != yes ]]; then
  [[ -t 0 ]] || die "refusing to restore without --yes when not interactive"
  read -r -p "Restore $FILE into $target, replacing its tables? [y/N] " answer
  [[ "$answer" == y || "$answer" == Y ]] || die "aborted"
fi

if [[ "$STOP_APP" == true && "$VIA" == compose ]]; then
  log "stopping app replicas"
  docker compose --env-file "${ENV_FILE:-.env}" stop app
  trap 'log "starting app replicas"; docker compose --env-file "${ENV_FILE:-.env}" start app' EXIT
fi

log "restoring $FILE into $target"
gzip -dc "$FILE" | load
log "restore OK"
