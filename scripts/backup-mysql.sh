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
  BACKUP_VIA    compose (default: the compose project's mysql container on this host, found
                by its labels; dumps inside it with its own root password, so no compose file or
                env file is needed) | swarm (the stack's mysql task on this node, root password
                from its secret) | host (mysqldump on this machine to MYSQL_HOST)
  MYSQL_HOST MYSQL_PORT MYSQL_USER MYSQL_PASSWORD MYSQL_DATABASE   for BACKUP_VIA=host
                (default 127.0.0.1 3306 root "" meeple_queue)
  COMPOSE_PROJECT_NAME  compose: project name (default meeple-queue)
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

mysql_target "$VIA"
DB="$MYSQL_DB"
need gzip
if [[ "$VIA" == host ]]; then
  need mysqldump
  # shellcheck disable=SC2086 # DUMP_OPTS is a list of options
  dump() { MYSQL_PWD="${MYSQL_PASSWORD:-}" mysqldump -h "${MYSQL_HOST:-127.0.0.1}" -P "${MYSQL_PORT:-3306}" -u "${MYSQL_USER:-root}" $DUMP_OPTS "$DB"; }
else
  dump() { in_mysql_ctr "mysqldump -uroot $DUMP_OPTS $DB"; }
fi

file="$OUT/meeple-${DB}-$(date -u +%Y%m%dT%H%M%SZ).sql.gz"
log "dumping $DB ($VIA) to $file"
dump | gzip -9 > "$file.partial" || { rm -f "$file.partial"; die "mysqldump of $DB failed"; }
gzip -t "$file.partial" || die "gzip check failed"
# mysqldump writes this trailer only when the dump finished.
gzip -dc "$file.partial" | tail -n 3 | grep -q -- '-- Dump completed' || { rm -f "$file.partial"; die "dump incomplete"; }
mv "$file.partial" "$file"
sha256sum "$file" > "$file.sha256"
log "backup OK: $file ($(du -h "$file" | cut -f1))"

mapfile -t old < <(ls -1t "$OUT"/meeple-"$DB"-*.sql.gz 2>/dev/null | tail -n +$((KEEP + 1)))
for f in "${old[@]}"; do rm -f "$f" "$f.sha256"; log "pruned $f"; done
echo "$file"
