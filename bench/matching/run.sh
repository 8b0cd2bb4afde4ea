#!/usr/bin/env bash
# One command for the matching benchmark (engine vs the peer rule baseline, same region):
#   bash bench/matching/run.sh [--children 5000] [--families 20000] [--samples 300] [--seed 16]
# Writes bench/results/matching-<when>-<commit>.json and bench/results/matching-latest.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-.venv/bin/python}
PYTHONPATH=. exec "$PY" -m bench.matching.bench "$@"
