#!/usr/bin/env bash
# CI stage "Install": clean install from package-lock.json, then check that the native modules
# with prebuilt binaries load (install scripts are skipped; node-gyp-build loads the prebuilds).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { echo "Usage: $0   (npm ci --ignore-scripts in the repository root)"; exit 0; }
need node npm
cd "$REPO_ROOT"
node -e 'const [maj, min] = process.versions.node.split(".").map(Number); if (maj < 20 || (maj === 20 && min < 19)) { console.error("Node >= 20.19 required, got " + process.version); process.exit(1); }'
log "node $(node -v), npm $(npm -v)"
npm ci --ignore-scripts --no-audit --no-fund
node -e "require('argon2'); require('msgpackr-extract'); console.log('native prebuilds load: argon2, msgpackr-extract')"
