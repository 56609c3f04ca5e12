#!/usr/bin/env bash
# Prints the tag of the Nginx image (Dockerfile stage `web`) for a commit: "web-" and a hash of
# everything that image is built from (nginx/, client/, the npm dependencies, the Dockerfile).
# Commits that change none of these give the same tag, so a deploy does not recreate Nginx and
# its open WebSockets are not dropped (docs/DEPLOY.md, "Nginx is recreated only when it changes").
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { echo "Usage: $0 [COMMIT]   (default HEAD; WEB_TAG_REPO: another checkout)"; exit 0; }
need git sha256sum
rev="${1:-HEAD}"
inputs="$(git -C "${WEB_TAG_REPO:-$REPO_ROOT}" ls-tree -r "$rev" -- nginx client package.json package-lock.json Dockerfile)"
[[ -n "$inputs" ]] || die "no nginx/ or client/ files in $rev"
echo "web-$(printf '%s\n' "$inputs" | sha256sum | cut -c1-12)"
