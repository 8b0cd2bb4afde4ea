#!/usr/bin/env bash
# Pairs of repeated code in the application code only (issue 11): `duplicates` over a copy of
# ochag/ without tests, migrations and translation catalogues, at REV (default: the work tree).
# Usage: scripts/duplicates-app.sh [REV] [extra duplicates options, e.g. --most 200]
# ONLY=REGEX keeps only the files whose path under ochag/ matches (grep -E), e.g. the web layer
# and the services: ONLY='views|forms|services|selectors\.py|tables\.py|exports\.py'
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:-}; [ $# -gt 0 ] && shift
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
if [ -n "$rev" ]; then
  git archive "$rev" ochag | tar -x -C "$tmp"
else
  git ls-files -co --exclude-standard ochag | while read -r f; do
    [ -f "$f" ] && mkdir -p "$tmp/$(dirname "$f")" && cp "$f" "$tmp/$f"
  done
fi
find "$tmp/ochag" \( -path '*/migrations/*' -o -path '*/tests/*' -o -path '*/locale/*' -o -name conftest.py \) -type f -delete
if [ -n "${ONLY:-}" ]; then
  (cd "$tmp" && find ochag -type f | grep -Ev -- "$ONLY" | while read -r f; do rm -f "$f"; done)
fi
duplicates --repo "$tmp/ochag" --seconds 120 "$@"
