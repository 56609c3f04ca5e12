#!/usr/bin/env bash
# CI stage "Install": install the versions in package-lock.json, then check that the native
# modules load. `npm install` rather than `npm ci`: npm 11 refuses a lock file that lacks other
# platforms' optional binaries, which registry mirrors without them produce (npm 10 accepts it).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { echo "Usage: $0   (npm install from package-lock.json in the repository root)"; exit 0; }
need node npm
cd "$REPO_ROOT"
node -e 'const [maj, min] = process.versions.node.split(".").map(Number); if (maj < 20 || (maj === 20 && min < 19)) { console.error("Node >= 20.19 required, got " + process.version); process.exit(1); }'
log "node $(node -v), npm $(npm -v)"
npm install --no-audit --no-fund
node -e "require('argon2'); require('msgpackr-extract'); console.log('native modules load: argon2, msgpackr-extract')"
