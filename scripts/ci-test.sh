#!/usr/bin/env bash
# CI stage "Test": the whole Jest suite against a real MySQL and Redis.
#
# With CI_SERVICES=docker (the Jenkins default) it starts throw-away mysql:8.4 and redis:7
# containers on free ports and removes them afterwards; with CI_SERVICES=external it uses
# MYSQL_HOST/MYSQL_PORT/MYSQL_USER/MYSQL_PASSWORD and REDIS_URL as given (defaults: local
# 127.0.0.1:3306 root without password, redis://127.0.0.1:6379). Each test file creates and
# drops its own database and Redis key prefix.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
usage() { echo "Usage: CI_SERVICES=docker|external $0 [jest args...]"; }
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { usage; exit 0; }
cd "$REPO_ROOT"

CI_SERVICES="${CI_SERVICES:-external}"
started=()
cleanup() { for c in "${started[@]}"; do docker rm -f "$c" >/dev/null 2>&1 || true; done; }
trap cleanup EXIT

if [[ "$CI_SERVICES" == docker ]]; then
  need docker
  tag="ci-${BUILD_TAG:-local}-$$"
  tag="${tag//[^a-zA-Z0-9_.-]/-}"
  pw="$(node -e 'console.log(require("crypto").randomBytes(12).toString("hex"))')"
  docker run -d --name "mysql-$tag" --label "$(ci_job_label)" -e MYSQL_ROOT_PASSWORD="$pw" -p 127.0.0.1::3306 mysql:8.4 \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci >/dev/null
  started+=("mysql-$tag")
  docker run -d --name "redis-$tag" --label "$(ci_job_label)" -p 127.0.0.1::6379 redis:7-alpine >/dev/null
  started+=("redis-$tag")
  export MYSQL_HOST=127.0.0.1 MYSQL_USER=root MYSQL_PASSWORD="$pw"
  MYSQL_PORT="$(docker port "mysql-$tag" 3306/tcp | head -1 | sed 's/.*://')"
  REDIS_PORT="$(docker port "redis-$tag" 6379/tcp | head -1 | sed 's/.*://')"
  export MYSQL_PORT REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
  log "waiting for MySQL on :$MYSQL_PORT"
  for _ in $(seq 1 90); do
    docker exec -e MYSQL_PWD="$pw" "mysql-$tag" mysqladmin ping -h 127.0.0.1 -uroot --silent >/dev/null 2>&1 && break
    sleep 2
  done
  docker exec -e MYSQL_PWD="$pw" "mysql-$tag" mysqladmin ping -h 127.0.0.1 -uroot --silent >/dev/null || die "MySQL did not start"
else
  export MYSQL_HOST="${MYSQL_HOST:-127.0.0.1}" MYSQL_PORT="${MYSQL_PORT:-3306}" MYSQL_USER="${MYSQL_USER:-root}" MYSQL_PASSWORD="${MYSQL_PASSWORD:-}"
  export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
fi
# URL form too, for code that reads DATABASE_URL (the tests add their own database name).
enc_pw="$(node -e 'process.stdout.write(encodeURIComponent(process.argv[1] || ""))' "$MYSQL_PASSWORD")"
export TEST_MYSQL_URL="mysql://${MYSQL_USER}${enc_pw:+:$enc_pw}@${MYSQL_HOST}:${MYSQL_PORT}"
export DEPLOY_TEST_MYSQL="$TEST_MYSQL_URL" DEPLOY_TEST_REDIS="$REDIS_URL"
log "tests against MySQL $MYSQL_HOST:$MYSQL_PORT and Redis $REDIS_URL"
# CI mode: jest.config.js adds the jest-junit reporter (test-results/junit.xml, for the junit step).
export CI=true
mkdir -p test-results
npm test -- --ci "$@"
