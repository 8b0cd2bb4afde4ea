#!/usr/bin/env bash
# The duplicates queue's calibration (see calibrate.py): fit on one hard set, check on another.
#   bench/duplicates/run.sh [REGISTRY] [SEED]      (default 20000 persons, seed 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
.venv/bin/python bench/duplicates/calibrate.py --registry "${1:-20000}" --seed "${2:-5}"
