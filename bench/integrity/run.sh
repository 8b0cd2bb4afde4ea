#!/usr/bin/env bash
# Merge integrity (issue 18): the hypothesis property test of merges, unmerges and edits,
# run with many sequences; prints the figures the README quotes.
#   bench/integrity/run.sh [SEQUENCES]        (default 300; SQLite, or $DATABASE_URL)
set -euo pipefail
cd "$(dirname "$0")/../.."
sequences="${1:-300}"
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
OCHAG_INTEGRITY_EXAMPLES="$sequences" OCHAG_INTEGRITY_REPORT="$report" \
  .venv/bin/python -m pytest ochag/registry/tests/test_merge_properties.py -q -p no:randomly
.venv/bin/python - "$report" "$(git rev-parse --short HEAD)" <<'PY'
import json, sys

figures = json.load(open(sys.argv[1], encoding="utf-8"))
print(f"merge integrity at {sys.argv[2]}: every step matched the model")
for name, value in sorted(figures.items(), key=lambda kv: kv[0]):
    print(f"  {name}: {value}")
PY
