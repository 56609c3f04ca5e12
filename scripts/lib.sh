#!/usr/bin/env bash
# Shared helpers for scripts/*.sh (sourced, not run).
# shellcheck shell=bash

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
need() { for c in "$@"; do command -v "$c" >/dev/null 2>&1 || die "'$c' is required but not installed"; done; }

# Repository root (scripts/..).
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

# json_get FILE EXPR — evaluate a JS expression on the parsed JSON `j` (node is always present
# where the app is built; no jq dependency). Prints nothing for undefined/null.
json_get() {
  node -e '
    const fs = require("fs");
    const j = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    const v = (0, eval)("(j) => (" + process.argv[2] + ")")(j);
    if (v !== undefined && v !== null) process.stdout.write(typeof v === "object" ? JSON.stringify(v) : String(v));
  ' "$1" "$2"
}

# load_env_file FILE — export KEY=VALUE lines of a .env file (docker stack deploy does not read .env).
load_env_file() {
  local f="$1"
  [[ -f "$f" ]] || return 0
  set -a
  # shellcheck disable=SC1090
  . "$f"
  set +a
}

# Where deploy.sh remembers the current and previous image tags (for rollback.sh).
DEPLOY_STATE_DIR="${DEPLOY_STATE_DIR:-${HOME:-/tmp}/.meeple-queue-deploy}"
export DEPLOY_STATE_DIR
