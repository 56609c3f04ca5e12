#!/usr/bin/env bash
# CI stage "Lint & typecheck": ESLint, tsc (server + tests), vue-tsc (client), and a syntax
# check of the shell scripts and the Nginx templates' shape.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { echo "Usage: $0   (npm run lint, npm run typecheck, bash -n scripts/*.sh)"; exit 0; }
cd "$REPO_ROOT"
npm run lint
npm run typecheck
for f in scripts/*.sh nginx/docker-entrypoint.d/*.sh; do bash -n "$f"; done
if command -v shellcheck >/dev/null; then shellcheck -x -S warning scripts/*.sh; else log "shellcheck not installed; skipped"; fi
log "lint + typecheck OK"
