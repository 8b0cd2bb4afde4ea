#!/usr/bin/env bash
# The intake benchmark at two revisions, alternating (before, after, before, after, ...) so both
# see the same load (issue 11: "the benchmarks are re-run, before/after from the same session").
# Each revision is checked out in a temporary worktree and runs its own setup.py and bulk.py
# (they import that revision's code) under this tree's run.sh and client.py (the wrapper and the
# HTTP client, so both are measured the same way), on its own database bench_intake_REV.
# Then the summary: bench/results/intake-before-after-SESSION.md and intake-latest.md.
# Usage: bench/intake/before_after.sh BEFORE [AFTER=HEAD] [rounds=2] [persons=100000]
#        [load_seconds=60] [import_rows=10000]
set -euo pipefail
cd "$(dirname "$0")/../.."
BEFORE=$(git rev-parse --short=7 "$1"); AFTER=$(git rev-parse --short=7 "${2:-HEAD}")
ROUNDS=${3:-2}; PERSONS=${4:-100000}; LOAD=${5:-60}; ROWS=${6:-10000}
SESSION=$(date +%Y-%m-%dT%H%M)
ROOT=$PWD; TREES=$(mktemp -d)
cleanup() { for rev in "$BEFORE" "$AFTER"; do git worktree remove --force "$TREES/$rev" 2>/dev/null || true; done; rm -rf "$TREES"; }
trap cleanup EXIT
for rev in "$BEFORE" "$AFTER"; do
  git worktree add -q --detach "$TREES/$rev" "$rev"
  ln -s "$ROOT/.venv" "$TREES/$rev/.venv"
  cp bench/intake/run.sh bench/intake/client.py "$TREES/$rev/bench/intake/"
done
for round in $(seq "$ROUNDS"); do
  for side in before after; do
    rev=$BEFORE; [ "$side" = after ] && rev=$AFTER
    out=$(cd "$TREES/$rev" && BENCH_DB=bench_intake_$rev BENCH_TAG="before-after-$SESSION-r$round-$side" \
      bash bench/intake/run.sh "$PERSONS" "$LOAD" "$ROWS" | tail -1)
    cp "$TREES/$rev/$out" bench/results/
    echo "round $round $side ($rev): bench/results/$(basename "$out")"
  done
done
.venv/bin/python bench/intake/before_after_report.py "$SESSION" "$PERSONS" "$LOAD" "$ROWS"
