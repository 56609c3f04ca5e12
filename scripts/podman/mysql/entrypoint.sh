#!/bin/sh
# The official mysql image's start-up, on MariaDB: arguments starting with "-" go to the server;
# an empty data directory is initialised with the root password, database and user from the
# environment before the server starts listening.
set -eu
[ "${1#-}" != "$1" ] && set -- mysqld "$@"
case "$1" in mysqld|mariadbd) ;; *) exec "$@" ;; esac
shift
DATADIR=/var/lib/mysql
chown mysql:mysql "$DATADIR" /run/mysqld

sql_quote() { printf "%s" "$1" | sed "s/\\\\/\\\\\\\\/g; s/'/\\\\'/g"; }
if [ ! -d "$DATADIR/mysql" ]; then
  : "${MYSQL_ROOT_PASSWORD:?MYSQL_ROOT_PASSWORD is required}"
  echo "stand-in mysql: initialising $DATADIR"
  mariadb-install-db --user=mysql --datadir="$DATADIR" --skip-test-db >/dev/null
  mariadbd --user=mysql --datadir="$DATADIR" --skip-networking --socket=/run/mysqld/init.sock &
  pid=$!
  i=0
  until mariadb-admin --socket=/run/mysqld/init.sock ping --silent >/dev/null 2>&1; do
    i=$((i + 1)); [ "$i" -lt 60 ] || { echo "stand-in mysql: server did not start" >&2; exit 1; }
    sleep 0.5
  done
  root_pw="$(sql_quote "$MYSQL_ROOT_PASSWORD")"
  {
    # mariadb-install-db also makes password-less root@127.0.0.1, root@::1 and root@<hostname>,
    # which would shadow root@'%' for TCP logins: only root@localhost (socket) and root@'%' stay.
    echo "DELETE FROM mysql.global_priv WHERE User='root' AND Host NOT IN ('localhost');"
    echo "DELETE FROM mysql.global_priv WHERE User='';"
    echo "FLUSH PRIVILEGES;"
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY '$root_pw';"
    echo "CREATE USER 'root'@'%' IDENTIFIED BY '$root_pw';"
    echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    if [ -n "${MYSQL_DATABASE:-}" ]; then
      echo "CREATE DATABASE IF NOT EXISTS \`$MYSQL_DATABASE\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
    fi
    if [ -n "${MYSQL_USER:-}" ] && [ -n "${MYSQL_PASSWORD:-}" ]; then
      echo "CREATE USER '$(sql_quote "$MYSQL_USER")'@'%' IDENTIFIED BY '$(sql_quote "$MYSQL_PASSWORD")';"
      [ -n "${MYSQL_DATABASE:-}" ] && echo "GRANT ALL ON \`$MYSQL_DATABASE\`.* TO '$(sql_quote "$MYSQL_USER")'@'%';"
    fi
    echo "FLUSH PRIVILEGES;"
  } | mariadb --socket=/run/mysqld/init.sock -uroot
  kill "$pid"
  wait "$pid" || true
  echo "stand-in mysql: initialised"
fi
exec mariadbd --user=mysql --datadir="$DATADIR" --bind-address=0.0.0.0 --port=3306 "$@"
