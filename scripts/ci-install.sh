#!/usr/bin/env bash
# CI stage "Install": `npm ci`, exactly the versions in package-lock.json (as the Dockerfile
# installs them), then check that the native modules load.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { echo "Usage: $0   (npm ci from package-lock.json in the repository root)"; exit 0; }
need node npm
cd "$REPO_ROOT"
# package.json "engines": Node 22.12+ (the images' Node 22 LTS), or 20.19+ where the host has 20.
node -e 'const [maj, min] = process.versions.node.split(".").map(Number); if (maj === 21 || maj < 20 || (maj === 20 && min < 19) || (maj === 22 && min < 12)) { console.error("Node ^20.19.0 || >=22.12.0 required (package.json engines), got " + process.version); process.exit(1); }'
log "node $(node -v), npm $(npm -v)"
npm ci --no-audit --no-fund
node -e "require('argon2'); require('msgpackr-extract'); console.log('native modules load: argon2, msgpackr-extract')"
