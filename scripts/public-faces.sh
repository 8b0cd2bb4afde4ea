#!/usr/bin/env bash
# Uses of another domain app's tables (issue 11 §2), as ochag/tests/test_public_faces.py
# finds them, in the application code at REV (default: the work tree): one line per use, then
# the count. The names are resolved against the work tree's code, so an older REV is read
# with today's models (a model that moved since is still found by its table name).
# Usage: scripts/public-faces.sh [REV]
set -euo pipefail
cd "$(dirname "$0")/.."
root=ochag
if [ -n "${1:-}" ]; then
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  git archive "$1" ochag | tar -x -C "$tmp"
  root="$tmp/ochag"
fi
DJANGO_SETTINGS_MODULE=ochag.settings PYTHONPATH=. .venv/bin/python - "$root" <<'PY'
import sys
from pathlib import Path

import django

django.setup()
from ochag.tests.test_public_faces import scan  # noqa: E402

found = scan(Path(sys.argv[1]).resolve())
for violation in found:
    print(violation)
print(f"{len(found)} uses of another domain app's tables")
PY
