#!/bin/sh
# As the official redis image: "-..." arguments go to redis-server, which runs as redis.
set -eu
[ "${1#-}" != "$1" ] && set -- redis-server "$@"
if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
  chown -R redis:redis /data
  exec setpriv --reuid=redis --regid=redis --init-groups "$@"
fi
exec "$@"
