#!/usr/bin/env bash
# One command for the linkage benchmark:
#   bash bench/linkage/run.sh [--sizes 100000,1000000] [--queries 200]
# Creates bench/.venv (Splink 5 + DuckDB + recordlinkage + main engine deps) if missing,
# generates the data, runs ochag.linkage and Splink on each data set, writes
# bench/results/linkage-<date>.json and bench/results/linkage-latest.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZES=100000,1000000
QUERIES=200
SPLINK_QUERIES=100
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2 ;;
    --queries) QUERIES="$2"; shift 2 ;;
    --splink-queries) SPLINK_QUERIES="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
PY=bench/.venv/bin/python
if [[ ! -x $PY ]]; then
  export UV_PYTHON_DOWNLOADS=never
  if command -v uv >/dev/null; then
    uv venv --python /root/.pyenv/versions/3.12.1/bin/python bench/.venv
    uv pip install --python $PY -r bench/linkage/requirements.txt
  else
    /root/.pyenv/versions/3.12.1/bin/python -m venv bench/.venv
    $PY -m pip install -r bench/linkage/requirements.txt
  fi
fi
# make `import ochag.linkage` work in the bench venv
echo "$PWD" > "$($PY -c 'import site; print(site.getsitepackages()[0])')/ochag-repo.pth"
export PYTHONPATH="$PWD:$PWD/bench/linkage"
RUN=bench/data/run-$(date +%Y%m%d-%H%M%S)
mkdir -p "$RUN"
$PY - <<PYEOF > "$RUN/machine.info"
import json, common
print(json.dumps({"machine": common.machine_info(), "versions": common.versions(
    ["splink", "duckdb", "recordlinkage", "pandas", "numpy", "rapidfuzz", "pymorphy3",
     "pymorphy3-dicts-ru", "russiannames", "iuliia"])}))
PYEOF
for ds in febrl3 febrl4; do
  [[ -f bench/data/$ds.csv ]] || $PY bench/linkage/common.py $ds bench/data/$ds
  $PY bench/linkage/run_ours.py --data bench/data/$ds --out "$RUN/$ds-ours.json" --train --queries 0
  $PY bench/linkage/run_splink.py --data bench/data/$ds --out "$RUN/$ds-splink.json" --queries 0
done
IFS=, read -ra SZ <<< "$SIZES"
for n in "${SZ[@]}"; do
  base=bench/data/ru$n
  [[ -f $base.csv ]] || $PY bench/linkage/generate.py --rows "$n" --seed 1 --out "$base"
  $PY bench/linkage/run_ours.py --data "$base" --out "$RUN/ru$n-ours.json" --train --queries "$QUERIES"
  $PY bench/linkage/run_splink.py --data "$base" --out "$RUN/ru$n-splink.json" --queries "$SPLINK_QUERIES" || echo "splink failed on $base" >&2
  $PY bench/linkage/report.py "$RUN" > /dev/null
done
# profile of our batch pipeline on the first (smaller) Russian set (cProfile, top entries)
$PY bench/linkage/profile_ours.py "bench/data/ru${SZ[0]}" "$RUN/profile-ours.txt" || true
$PY bench/linkage/report.py "$RUN"
