#!/usr/bin/env bash
# Intake benchmark on PostgreSQL (database bench_intake, or BENCH_DB).
# Usage: bench/intake/run.sh [persons=1000000] [load_seconds=60] [import_rows=100000]
# BENCH_DB=name uses its own database and token and sample files (/tmp/NAME_token,
# /tmp/NAME_sample.json), so two revisions can be measured side by side (before_after.sh).
# import_rows=0 skips the import. BENCH_TAG=name writes bench/results/intake-STAMP-COMMIT-name.json
# and leaves intake-latest.md alone (bench/intake/switches.sh uses it); OCHAG_PLAIN_INSERTS=0
# switches the plain INSERT off, OCHAG_API_COMBINER=0 the API's combined writes,
# OCHAG_INTAKE_TOLERANT=0 the intake's tolerance (its tolerant look-up and near-name blocking)
# (ochag/settings.py: measurement switches).
# The API load runs against gunicorn with the production config (deploy/gunicorn.conf.py).
set -euo pipefail
cd "$(dirname "$0")/../.."
PERSONS=${1:-1000000}; SECONDS_LOAD=${2:-60}; ROWS=${3:-100000}; CLIENTS=16; PORT=${BENCH_PORT:-8765}
# Workers x threads for the 2-core machine, chosen from 10 s trials with 16 clients (signals/s,
# noisy): 2x8 ~150-170, 3x6 ~130, 2x12 ~130, 4x4 ~95, 1x16 ~65 (one process is GIL-bound).
# At most WORKERS x THREADS persistent DB connections: far below PostgreSQL's max_connections.
WORKERS=${BENCH_WORKERS:-2}; THREADS=${BENCH_THREADS:-8}
PY=.venv/bin/python
DB=${BENCH_DB:-bench_intake}
export BENCH_TOKEN_FILE=${BENCH_TOKEN_FILE:-/tmp/${DB}_token} BENCH_SAMPLE_FILE=${BENCH_SAMPLE_FILE:-/tmp/${DB}_sample.json}
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB OCHAG_DB_CONN_MAX_AGE=600
export OCHAG_EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend OCHAG_VAR_DIR=$(mktemp -d)
# The registry is kept between runs (loading 1 M persons takes minutes); BENCH_FRESH=1 rebuilds.
if [ "${BENCH_FRESH:-0}" = 1 ]; then psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB"; fi
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB"
$PY manage.py migrate -v0
$PY bench/intake/setup.py "$PERSONS"
psql -h 127.0.0.1 -U postgres -d "$DB" -qc "ANALYZE"
# The registry's real size before the runs (earlier runs add the children they report as new).
ACTUAL_PERSONS=$(psql -h 127.0.0.1 -U postgres -d "$DB" -tAc "SELECT count(*) FROM registry_person")

# API load ------------------------------------------------------------------------------
SERVER=
stop_server() {  # SIGTERM is gunicorn's graceful stop: workers finish their requests and exit
  if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then kill -TERM "$SERVER"; wait "$SERVER" || true; fi
  SERVER=
}
trap stop_server EXIT
GUNICORN_LOG=$OCHAG_VAR_DIR/gunicorn.log
OCHAG_BIND=127.0.0.1:$PORT OCHAG_WORKERS=$WORKERS OCHAG_THREADS=$THREADS \
  $PY -m gunicorn -c deploy/gunicorn.conf.py --no-control-socket ochag.wsgi 2>"$GUNICORN_LOG" &
SERVER=$!
# Poll until the server answers HTTP (any status); give up if gunicorn exits or after 60 s.
if ! $PY - "$PORT" "$SERVER" <<'WAITEOF'
import http.client, os, sys, time
port, pid = int(sys.argv[1]), int(sys.argv[2])
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("gunicorn exited")
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/")
        conn.getresponse().read()
        sys.exit(0)
    except OSError:
        time.sleep(0.2)
sys.exit("gunicorn did not answer within 60 s")
WAITEOF
then tail -20 "$GUNICORN_LOG" >&2; exit 1; fi
# Unmeasured warm-up: every worker process pays its own first-request costs (URL resolver,
# API schema, name dictionaries, DB connections), which a long-running server pays once.
$PY bench/intake/client.py "$PORT" "$(cat "$BENCH_TOKEN_FILE")" 5 "$CLIENTS" >/dev/null
# CPU per request (bench/intake/cpu.sh compares it with the combiner on and off): the CPU time
# of the worker processes and of the database backends (their persistent connections, open
# since the warm-up), from /proc, over the measured run, divided by the requests served.
ticks() { local t=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo "$t"; }
WORKER_PIDS=$(pgrep -P "$SERVER" | tr '\n' ' ')
BACKEND_PIDS=$(psql -h 127.0.0.1 -U postgres -tAc "SELECT pid FROM pg_stat_activity WHERE datname = '$DB' AND pid <> pg_backend_pid()" | tr '\n' ' ')
# shellcheck disable=SC2086  # the pid lists are words
W0=$(ticks $WORKER_PIDS); B0=$(ticks $BACKEND_PIDS)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
API=$($PY bench/intake/client.py "$PORT" "$(cat "$BENCH_TOKEN_FILE")" "$SECONDS_LOAD" "$CLIENTS")
# shellcheck disable=SC2086
CPU="{\"worker_ticks\": $(($(ticks $WORKER_PIDS) - W0)), \"backend_ticks\": $(($(ticks $BACKEND_PIDS) - B0)), \"hz\": $(getconf CLK_TCK)}"
echo "api: $API"
stop_server

# Bulk import: all ROWS rows are imported (no sample, no extrapolation); this takes minutes.
if [ "$ROWS" -gt 0 ]; then BULK=$($PY bench/intake/bulk.py "$ROWS" | tail -1); else BULK=null; fi
echo "bulk: $BULK"
DATE=$(date +%Y-%m-%d); STAMP=$(date +%Y-%m-%dT%H%M)
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
$PY - "$API" "$BULK" "$ACTUAL_PERSONS" "$DATE" "$LOAD_BEFORE" "$LOAD_AFTER" "$WORKERS" "$THREADS" "$STAMP" "${BENCH_TAG:-}" "$CPU" <<'PYEOF'
import json, platform, subprocess, sys, django, gunicorn
api, bulk, persons, date = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
ticks = json.loads(sys.argv[11])
per_request = lambda n: round(n * 1000 / ticks["hz"] / max(api["requests"], 1), 2)  # ms
api["cpu"] = {**ticks, "worker_cpu_ms_per_request": per_request(ticks["worker_ticks"]),
              "database_cpu_ms_per_request": per_request(ticks["backend_ticks"])}
load_before, load_after = sys.argv[5], sys.argv[6]
workers, threads, stamp, tag = int(sys.argv[7]), int(sys.argv[8]), sys.argv[9], sys.argv[10]
pg = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "show server_version"], capture_output=True, text=True).stdout.strip()
commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True).stdout.strip()
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
import os
result = {"date": date, "commit": commit, "machine": {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
          "django": django.get_version(), "postgresql": pg, "gunicorn": gunicorn.__version__,
          "note": "2 cores shared with other engineers' jobs; timings are noisy and pessimistic",
          "load_average_before": load_before, "load_average_after": load_after},
          "server": {"gunicorn_workers": workers, "gunicorn_threads": threads, "worker_class": "gthread",
                     "config": "deploy/gunicorn.conf.py"},
          "switches": {"OCHAG_PLAIN_INSERTS": os.environ.get("OCHAG_PLAIN_INSERTS", "1") != "0",
                       "OCHAG_API_COMBINER": os.environ.get("OCHAG_API_COMBINER", "1") != "0",
                       "OCHAG_INTAKE_TOLERANT": os.environ.get("OCHAG_INTAKE_TOLERANT", "1") != "0"},
          "registry_persons": persons, "registry_names": "frequency-weighted (ochag.demo.names)", "api": api, "bulk_import": bulk,
          "targets": {"throughput_per_s": 200, "p95_ms": 150, "bulk_100k_seconds": 300}}
# One file per run (minute and commit): a second run of the same commit keeps the first.
name = f"bench/results/intake-{stamp}-{commit}{'-' + tag if tag else ''}.json"
json.dump(result, open(name, "w"), indent=2, ensure_ascii=False)
print(name)
if tag or bulk is None:  # a tagged or partial run is a trial, not the benchmark's latest result
    sys.exit(0)
md = f"""# Intake benchmark ({date}, commit {commit})

Machine: {cpu}, {os.cpu_count()} cores **shared with other engineers' jobs** (load average {load_before} before the API run, {load_after} after the import): timings are noisy and pessimistic. Python {platform.python_version()}, Django {django.get_version()}, PostgreSQL {pg}.
Server: gunicorn {gunicorn.__version__} (deploy/gunicorn.conf.py), {workers} worker processes x {threads} threads (gthread), one persistent DB connection per thread; client: {api['clients']} threads on loopback.

| Measure | Result | Target |
|---|---|---|
| Registry size | {persons:,} persons (frequency-weighted names) | 1,000,000 |
| API throughput (with linking) | {api['throughput_per_s']} signals/s ({api['requests']} requests, {api['errors']} errors, {api['seconds']} s) | ≥ 200/s |
| API latency p50 / p95 | {api['p50_ms']} / {api['p95_ms']} ms | p95 ≤ 150 ms |
| Bulk import | {bulk['rows']:,} rows in {bulk['seconds']} s ({bulk['rows_per_s']} rows/s, {bulk['errors']} errors) | 100,000 rows ≤ 300 s |

Result file: `bench/results/intake-{stamp}-{commit}.json`. Earlier runs, what changed between
them and where the time goes: `bench/results/intake-analysis.md` (written by hand).
"""
open("bench/results/intake-latest.md", "w").write(md)
print(md)
PYEOF
