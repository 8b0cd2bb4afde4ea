#!/usr/bin/env bash
# Issue 11 §6: the plain INSERT (ochag/core/inserts.py) switched off against on, in ROUNDS
# alternating rounds of API runs in one session (no import: its batches of 500 rows never take
# the plain INSERT path). Then the summary: bench/results/intake-switches-SESSION.md.
# The session of 2026-12-03T0801 also measured the API's leader/follower combiner (then
# ochag/core/combining.py, switched by OCHAG_API_COMBINER): it bought nothing beyond the
# noise and was removed, so its configuration is gone from this script.
# Usage: bench/intake/switches.sh [persons=100000] [load_seconds=20] [rounds=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
PERSONS=${1:-100000}; LOAD=${2:-20}; ROUNDS=${3:-3}
SESSION=$(date +%Y-%m-%dT%H%M)
for round in $(seq "$ROUNDS"); do
  for config in both-on inserts-off; do
    case $config in
      both-on) inserts=1 ;;
      inserts-off) inserts=0 ;;
    esac
    OCHAG_PLAIN_INSERTS=$inserts BENCH_TAG="switches-$SESSION-r$round-$config" bench/intake/run.sh "$PERSONS" "$LOAD" 0 | tail -1
  done
done
.venv/bin/python bench/intake/switches_report.py "$SESSION"
