#!/usr/bin/env bash
# Restores a backup made by backup-mysql.sh into the Meeple Queue database. Destructive: the
# database is dropped and created again from the dump, so what the dump does not have (tables
# created after it) is gone too. Stop the app first (or pass --stop-app).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
usage() {
  cat <<USAGE
Usage: $0 [--yes] [--stop-app] BACKUP_FILE.sql.gz
  --yes        do not ask for confirmation (or RESTORE_CONFIRM=yes)
  --stop-app   compose: stop the app replicas during the restore and start them again after
Environment: the same as backup-mysql.sh (BACKUP_VIA=compose|swarm|host, MYSQL_*,
COMPOSE_PROJECT_NAME, STACK_NAME); compose and swarm need no env file (the mysql container's
own settings are used). The database is dropped and created again, then the dump is loaded.
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
# mysqldump writes this trailer only when the dump finished: never drop the data for half a dump.
gzip -dc "$FILE" | tail -n 3 | grep -q -- '-- Dump completed' || die "$FILE is not a complete mysqldump"
VIA="${BACKUP_VIA:-compose}"
mysql_target "$VIA"
DB="$MYSQL_DB"
if [[ "$VIA" == host ]]; then
  need mysql
  target="$DB on ${MYSQL_HOST:-127.0.0.1}:${MYSQL_PORT:-3306}"
  load() { MYSQL_PWD="${MYSQL_PASSWORD:-}" mysql -h "${MYSQL_HOST:-127.0.0.1}" -P "${MYSQL_PORT:-3306}" -u "${MYSQL_USER:-root}"; }
else
  target="$DB in container $MYSQL_CTR ($VIA)"
  load() { in_mysql_ctr 'mysql -uroot'; }
fi

if [[ "$YES" != yes ]]; then
  [[ -t 0 ]] || die "refusing to restore without --yes when not interactive"
  read -r -p "Restore $FILE into $target, dropping the database first? [y/N] " answer
  [[ "$answer" == y || "$answer" == Y ]] || die "aborted"
fi

if [[ "$STOP_APP" == true && "$VIA" == compose ]]; then
  mapfile -t app_ctrs < <(compose_containers app)
  if (( ${#app_ctrs[@]} )); then
    log "stopping ${#app_ctrs[@]} app replica(s)"
    docker stop -t 30 "${app_ctrs[@]}" >/dev/null
    trap 'log "starting app replicas"; docker start "${app_ctrs[@]}" >/dev/null' EXIT
  fi
fi

log "restoring $FILE into $target"
# The database is dropped and created again first, so the result is exactly the dump: tables,
# views and routines created after it are gone. Grants are per database name and survive.
{
  printf 'DROP DATABASE IF EXISTS `%s`;\nCREATE DATABASE `%s` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\nUSE `%s`;\n' "$DB" "$DB" "$DB"
  gzip -dc "$FILE"
} | load
log "restore OK"
