#!/usr/bin/env bash
# CPU per API request, the API's combined writes on and off, at one revision: the CPU time
# of gunicorn's worker processes and of the database's backends (from /proc, over the
# measured run) divided by the requests served. Throughput alone said the combiner bought
# little at a loaded machine; this says what each request costs on both sides.
# The revision is checked out in a temporary worktree and measured under this tree's
# client.py, against its own database bench_intake_REV (set up as run.sh sets it up).
# A revision from before the switch (2b4f36b) gets it by a one-line patch of that worktree.
# Usage: bench/intake/cpu.sh REV [rounds=3] [seconds=20] [persons=100000]
# Writes bench/results/intake-cpu-STAMP-REV.json and prints it.
set -euo pipefail
cd "$(dirname "$0")/../.."
REV=$(git rev-parse --short=7 "$1"); ROUNDS=${2:-3}; SECS=${3:-20}; PERSONS=${4:-100000}
ROOT=$PWD; TREE=$(mktemp -d)/$REV; PORT=${BENCH_PORT:-8771}; STAMP=$(date +%Y-%m-%dT%H%M)
DB=bench_intake_$REV; RUNS=$(mktemp)
git worktree add -q --detach "$TREE" "$REV"
trap 'git worktree remove --force "$TREE" 2>/dev/null || true; rm -f "$RUNS"' EXIT
ln -s "$ROOT/.venv" "$TREE/.venv"
cp bench/intake/run.sh bench/intake/client.py "$TREE/bench/intake/"
INTAKE=$TREE/ochag/signals/intake.py
if ! grep -rq OCHAG_API_COMBINER "$TREE/ochag" && grep -q "return _API_COMBINER.submit(item)" "$INTAKE"; then
  sed -i 's/^    return _API_COMBINER.submit(item)$/    if __import__("os").environ.get("OCHAG_API_COMBINER") == "0":\n        return _write_api_batch([item])[0]\n    return _API_COMBINER.submit(item)/' "$INTAKE"
fi
# The registry (run.sh without load or import), then the server per run.
(cd "$TREE" && BENCH_DB=$DB BENCH_TAG=cpu-setup bash bench/intake/run.sh "$PERSONS" 1 0 >/dev/null)
export BENCH_TOKEN_FILE=/tmp/${DB}_token BENCH_SAMPLE_FILE=/tmp/${DB}_sample.json
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB OCHAG_DB_CONN_MAX_AGE=600
export OCHAG_EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
ticks() { local t=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo "$t"; }
backends() { psql -h 127.0.0.1 -U postgres -tAc "SELECT pid FROM pg_stat_activity WHERE datname = '$DB' AND pid <> pg_backend_pid()"; }
for round in $(seq "$ROUNDS"); do
  for combiner in 1 0; do
    OCHAG_VAR_DIR=$(mktemp -d) OCHAG_API_COMBINER=$combiner OCHAG_BIND=127.0.0.1:$PORT \
      OCHAG_WORKERS=2 OCHAG_THREADS=8 "$TREE/.venv/bin/python" -m gunicorn --chdir "$TREE" \
      -c "$TREE/deploy/gunicorn.conf.py" --no-control-socket ochag.wsgi 2>/dev/null &
    MASTER=$!
    for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.3; done
    TOKEN=$(cat "$BENCH_TOKEN_FILE")
    .venv/bin/python bench/intake/client.py "$PORT" "$TOKEN" 5 16 >/dev/null  # warm-up
    WORKERS=$(pgrep -P "$MASTER" | tr '\n' ' ')
    PIDS=$(backends | tr '\n' ' ')
    W0=$(ticks $WORKERS); P0=$(ticks $PIDS); LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
    API=$(.venv/bin/python bench/intake/client.py "$PORT" "$TOKEN" "$SECS" 16)
    W1=$(ticks $WORKERS); P1=$(ticks $PIDS)
    echo "{\"round\": $round, \"combiner\": $combiner, \"api\": $API, \"load_before\": \"$LOAD\", \"worker_ticks\": $((W1 - W0)), \"backend_ticks\": $((P1 - P0)), \"hz\": $(getconf CLK_TCK)}" >> "$RUNS"
    kill -TERM "$MASTER"; wait "$MASTER" || true
    echo "round $round combiner=$combiner: $API" >&2
  done
done
.venv/bin/python - "$RUNS" "$REV" "$STAMP" "$PERSONS" <<'PYEOF'
import json, os, platform, statistics, subprocess, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
rev, stamp, persons = sys.argv[2], sys.argv[3], int(sys.argv[4])
for r in runs:
    n = r["api"]["requests"]
    r["worker_cpu_ms_per_request"] = round(r["worker_ticks"] * 1000 / r["hz"] / n, 2)
    r["database_cpu_ms_per_request"] = round(r["backend_ticks"] * 1000 / r["hz"] / n, 2)
def med(on, key, sub=None):
    vals = [(r["api"][key] if sub else r[key]) for r in runs if r["combiner"] == on]
    return statistics.median(vals)
summary = {f"combiner_{'on' if on else 'off'}": {
    "throughput_per_s": med(on, "throughput_per_s", True), "p95_ms": med(on, "p95_ms", True),
    "worker_cpu_ms_per_request": med(on, "worker_cpu_ms_per_request"),
    "database_cpu_ms_per_request": med(on, "database_cpu_ms_per_request")} for on in (1, 0)}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
out = {"revision": rev, "measured_by": subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True).stdout.strip(),
       "date": stamp, "registry_persons": persons, "server": "gunicorn 2x8 (deploy/gunicorn.conf.py)", "clients": 16,
       "machine": {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version()},
       "medians": summary, "runs": runs}
path = f"bench/results/intake-cpu-{stamp}-{rev}.json"
json.dump(out, open(path, "w"), indent=1)
print(path)
print(json.dumps(summary, indent=1))
PYEOF
