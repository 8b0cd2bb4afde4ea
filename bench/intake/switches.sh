#!/usr/bin/env bash
# Issue 11 §6: the plain INSERT and COPY (ochag/core/inserts.py) and the API's leader/follower
# combiner (ochag/core/combining.py), each switched off in turn, against both on: ROUNDS
# alternating rounds of three API runs in one session, each followed by an import of
# IMPORT_ROWS rows (its 500-row batches are written by COPY; the combiner does not touch it;
# every import grows the registry by the children it reports as new, which the alternation
# spreads over the configurations). Then the summary: bench/results/intake-switches-SESSION.md.
# Usage: bench/intake/switches.sh [persons=100000] [load_seconds=20] [rounds=3]
#        [import_rows=10000] (0: no import)
set -euo pipefail
cd "$(dirname "$0")/../.."
PERSONS=${1:-100000}; LOAD=${2:-20}; ROUNDS=${3:-3}; ROWS=${4:-10000}
SESSION=$(date +%Y-%m-%dT%H%M)
for round in $(seq "$ROUNDS"); do
  for config in both-on inserts-off combiner-off; do
    case $config in
      both-on) inserts=1; combiner=1 ;;
      inserts-off) inserts=0; combiner=1 ;;
      combiner-off) inserts=1; combiner=0 ;;
    esac
    OCHAG_PLAIN_INSERTS=$inserts OCHAG_API_COMBINER=$combiner \
      BENCH_TAG="switches-$SESSION-r$round-$config" bench/intake/run.sh "$PERSONS" "$LOAD" "$ROWS" | tail -1
  done
done
.venv/bin/python bench/intake/switches_report.py "$SESSION"
