#!/usr/bin/env bash
# Issue 11 §6: the plain INSERT (ochag/core/inserts.py) and the API's leader/follower combiner
# (ochag/core/combining.py), each switched off in turn, against both on: ROUNDS alternating
# rounds of three API runs in one session (no import: its batches of 500 rows never take the
# plain INSERT path, and it does not go through the combiner). Then the summary:
# bench/results/intake-switches-SESSION.md.
# Usage: bench/intake/switches.sh [persons=100000] [load_seconds=20] [rounds=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
PERSONS=${1:-100000}; LOAD=${2:-20}; ROUNDS=${3:-3}
SESSION=$(date +%Y-%m-%dT%H%M)
for round in $(seq "$ROUNDS"); do
  for config in both-on inserts-off combiner-off; do
    case $config in
      both-on) inserts=1; combiner=1 ;;
      inserts-off) inserts=0; combiner=1 ;;
      combiner-off) inserts=1; combiner=0 ;;
    esac
    OCHAG_PLAIN_INSERTS=$inserts OCHAG_API_COMBINER=$combiner \
      BENCH_TAG="switches-$SESSION-r$round-$config" bench/intake/run.sh "$PERSONS" "$LOAD" 0 | tail -1
  done
done
.venv/bin/python bench/intake/switches_report.py "$SESSION"
