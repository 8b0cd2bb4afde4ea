#!/usr/bin/env bash
# One command for the findability evidence (issue 19):
#   bash bench/linkage/findability.sh [--rows 100000] [--baseline 2b4f36b] [--big 1000000]
# 1. builds the independent hard set (hardset.py), the FEBRL-style set (febrlset.py) and the
#    old generator's set (generate.py);
# 2. measures the engine (CLI path: Matcher.match, dedupe) on all three, for this commit and
#    for the baseline engine (ochag/linkage as it was at --baseline, via git archive);
# 3. loads each set into its own PostgreSQL database (hard: DATABASE_URL; febrl and old:
#    DATABASE_URL's name + _febrl / _old) and measures the staff search (the view's
#    selector, queries typed as staff type them), plain pg_trgm as a search baseline, and
#    the intake's resolve path (the hard set with and without household evidence: only it
#    names relatives);
# 4. with --big N (e.g. 1000000): the engine's real-time matching on an N-person hard set
#    (index build time, memory, latency; this commit only), alongside steps 2-3; then the
#    N-person hard set loaded into a second PostgreSQL database (BIG_DATABASE_URL) and the
#    staff search and the intake measured there as in step 3 (pg_trgm only with --big-trgm:
#    at 1 M it takes longer than everything else together); run after step 3 and after the
#    engine part, alone, so its times are not shared with this script's other steps;
# 5. records the load average at every step and writes bench/results/findability-<date>-<commit>.json
#    and findability-latest.md.
# DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_findability) is the
# PostgreSQL database the hard set's registry is loaded into (the other two sets' are named
# after it); BIG_DATABASE_URL (default: DATABASE_URL's name + _big) the one for --big. Each is
# created and migrated if missing, and loaded only when it does not hold the data set already
# (load once, measure many).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=100000
BASELINE=2b4f36b
BIG=0
BIG_TRGM=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) ROWS="$2"; shift 2 ;;
    --baseline) BASELINE="$2"; shift 2 ;;
    --big) BIG="$2"; shift 2 ;;
    --big-trgm) BIG_TRGM=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
PY=.venv/bin/python
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/bench_findability}"
BIG_DATABASE_URL="${BIG_DATABASE_URL:-${DATABASE_URL}_big}"
RUN=bench/data/findability-$(date +%Y%m%d-%H%M%S)
mkdir -p "$RUN"
step() { echo "$(date -u +%FT%T) $1 $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RUN/load.txt"; }
step start
[[ -f bench/data/hard$ROWS.registry.csv ]] || $PY bench/linkage/hardset.py --registry "$ROWS" --out "bench/data/hard$ROWS"
[[ -f bench/data/febrl$ROWS.registry.csv ]] || $PY bench/linkage/febrlset.py --registry "$ROWS" --out "bench/data/febrl$ROWS"
[[ -f bench/data/ru$ROWS.csv ]] || $PY bench/linkage/generate.py --rows "$ROWS" --seed 1 --out "bench/data/ru$ROWS"
step data
big_pid=""
if [[ $BIG -gt 0 ]]; then
  # the N-person engine part runs alongside the rest (it is mostly one long index build);
  # its step lines in load.txt say when it ran
  (
    [[ -f bench/data/hard$BIG.registry.csv ]] || $PY bench/linkage/hardset.py --registry "$BIG" --out "bench/data/hard$BIG"
    step "data-$BIG"
    $PY bench/linkage/hardrun.py --data "bench/data/hard$BIG" --out "$RUN/big-this.json" > /dev/null
    step "big-this"
  ) &
  big_pid=$!
fi
base="$RUN/engine-$BASELINE"
mkdir -p "$base"
git archive "$BASELINE" ochag/linkage | tar -x -C "$base"
touch "$base/ochag/__init__.py"
for set in hard febrl old; do
  data=bench/data/$set$ROWS; flag=""
  [[ $set == old ]] && { data=bench/data/ru$ROWS; flag=--old-set; }
  $PY bench/linkage/hardrun.py --data "$data" $flag --dedupe --out "$RUN/engine-$set-this.json" > /dev/null
  step "engine-$set-this"
  $PY bench/linkage/hardrun.py --data "$data" $flag --dedupe --engine-root "$base" \
      --out "$RUN/engine-$set-baseline.json" > /dev/null
  step "engine-$set-baseline"
done
database() {  # create and migrate the database of DATABASE_URL if it is missing
  local name="${DATABASE_URL##*/}"
  if ! psql -h 127.0.0.1 -U postgres -lqt | cut -d'|' -f1 | grep -qw "$name"; then
    createdb -h 127.0.0.1 -U postgres "$name"
  fi
  $PY manage.py migrate --noinput > /dev/null
}
database
$PY bench/linkage/findability.py --data "bench/data/hard$ROWS" --out "$RUN/paths.json" > /dev/null
step paths
for set in febrl old; do
  data=bench/data/$set$ROWS
  [[ $set == old ]] && data=bench/data/ru$ROWS
  (
    export DATABASE_URL="${DATABASE_URL}_$set"
    database
    $PY bench/linkage/findability.py --set "$set" --data "$data" --out "$RUN/paths-$set.json" \
        > /dev/null
  )
  step "paths-$set"
done
[[ -z $big_pid ]] || wait "$big_pid"
if [[ $BIG -gt 0 ]]; then
  trgm=--no-trgm
  [[ $BIG_TRGM == 1 ]] && trgm=""
  (
    export DATABASE_URL="$BIG_DATABASE_URL"
    database
    $PY bench/linkage/findability.py --data "bench/data/hard$BIG" --out "$RUN/paths-big.json" \
        $trgm > /dev/null
  )
  step "paths-$BIG"
fi
$PY bench/linkage/findability_report.py "$RUN" "$BASELINE" "$ROWS" "$BIG"
