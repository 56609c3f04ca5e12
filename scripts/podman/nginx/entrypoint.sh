#!/bin/sh
# As the official nginx image: before nginx starts, run /docker-entrypoint.d/*.sh in name order.
set -eu
if [ "$1" = nginx ]; then
  for hook in $(find /docker-entrypoint.d -maxdepth 1 -type f -name '*.sh' | sort); do
    echo "$0: running $hook"
    sh "$hook"
  done
fi
exec "$@"
