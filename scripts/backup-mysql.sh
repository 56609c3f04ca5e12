#!/usr/bin/env bash
# Backs up the Meeple Queue database with mysqldump (consistent InnoDB snapshot, no locks):
# gzip'd SQL in BACKUP_DIR, verified, old ones pruned.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
usage() {
  cat <<USAGE
Usage: $0 [BACKUP_DIR]
  BACKUP_DIR    default \$BACKUP_DIR or ./backups
Environment:
  BACKUP_VIA    compose (default when docker-compose.yml's mysql runs here: dumps inside the
                container with its root password) | swarm (the stack's mysql task on this node)
                | host (mysqldump on this machine to MYSQL_HOST)
  MYSQL_HOST MYSQL_PORT MYSQL_USER MYSQL_PASSWORD MYSQL_DATABASE   for BACKUP_VIA=host
                (default 127.0.0.1 3306 root "" meeple_queue)
  ENV_FILE      compose: .env to read (default .env)
  STACK_NAME    swarm: stack name (default meeple)
  BACKUP_KEEP   number of backups to keep (default 14)
Restore with scripts/restore-mysql.sh FILE. Cron example (daily 03:15):
  15 3 * * * cd /srv/meeple-queue && scripts/backup-mysql.sh /var/backups/meeple >> /var/log/meeple-backup.log 2>&1
USAGE
}
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { usage; exit 0; }
cd "$REPO_ROOT"
OUT="${1:-${BACKUP_DIR:-$REPO_ROOT/backups}}"
VIA="${BACKUP_VIA:-compose}"
KEEP="${BACKUP_KEEP:-14}"
DUMP_OPTS="--single-transaction --quick --routines --triggers --events --no-tablespaces --hex-blob --default-character-set=utf8mb4"
mkdir -p "$OUT"
chmod 700 "$OUT"
umask 077

case "$VIA" in
  host)
    need mysqldump gzip
    DB="${MYSQL_DATABASE:-meeple_queue}"
    dump() { MYSQL_PWD="${MYSQL_PASSWORD:-}" mysqldump -h "${MYSQL_HOST:-127.0.0.1}" -P "${MYSQL_PORT:-3306}" -u "${MYSQL_USER:-root}" $DUMP_OPTS "$DB"; } ;;
  compose)
    need docker gzip
    DB="$(docker compose --env-file "${ENV_FILE:-.env}" exec -T mysql sh -c 'printf %s "$MYSQL_DATABASE"')"
    dump() { docker compose --env-file "${ENV_FILE:-.env}" exec -T mysql sh -c "MYSQL_PWD=\"\$MYSQL_ROOT_PASSWORD\" mysqldump -uroot $DUMP_OPTS \"\$MYSQL_DATABASE\""; } ;;
  swarm)
    need docker gzip
    ctr="$(docker ps -q --filter "label=com.docker.swarm.service.name=${STACK_NAME:-meeple}_mysql" | head -1)"
    [[ -n "$ctr" ]] || die "no ${STACK_NAME:-meeple}_mysql task on this node (run this on the node labelled meeple.db=true)"
    DB="$(docker exec "$ctr" sh -c 'printf %s "$MYSQL_DATABASE"')"
    dump() { docker exec "$ctr" sh -c "MYSQL_PWD=\"\$(cat /run/secrets/meeple_mysql_root_password)\" mysqldump -uroot $DUMP_OPTS \"\$MYSQL_DATABASE\""; } ;;
  *) die "BACKUP_VIA must be compose, swarm or host" ;;
esac

file="$OUT/meeple-${DB}-$(date -u +%Y%m%dT%H%M%SZ).sql.gz"
log "dumping $DB ($VIA) to $file"
dump | gzip -9 > "$file.partial"
gzip -t "$file.partial" || die "gzip check failed"
# mysqldump writes this trailer only when the dump finished.
gzip -dc "$file.partial" | tail -n 3 | grep -q -- '-- Dump completed' || { rm -f "$file.partial"; die "dump incomplete"; }
mv "$file.partial" "$file"
sha256sum "$file" > "$file.sha256"
log "backup OK: $file ($(du -h "$file" | cut -f1))"

mapfile -t old < <(ls -1t "$OUT"/meeple-"$DB"-*.sql.gz 2>/dev/null | tail -n +$((KEEP + 1)))
for f in "${old[@]}"; do rm -f "$f" "$f.sha256"; log "pruned $f"; done
echo "$file"
