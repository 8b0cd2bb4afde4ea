#!/usr/bin/env bash
# Intake benchmark on PostgreSQL (database bench_intake).
# Usage: bench/intake/run.sh [persons=1000000] [load_seconds=60] [import_rows=100000]
set -euo pipefail
cd "$(dirname "$0")/../.."
PERSONS=${1:-1000000}; SECONDS_LOAD=${2:-60}; ROWS=${3:-100000}; CLIENTS=16; PORT=${BENCH_PORT:-8765}
PY=.venv/bin/python
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_intake OCHAG_DB_CONN_MAX_AGE=600
export OCHAG_EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend OCHAG_VAR_DIR=$(mktemp -d)
# The registry is kept between runs (loading 1 M persons takes minutes); BENCH_FRESH=1 rebuilds.
if [ "${BENCH_FRESH:-0}" = 1 ]; then psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS bench_intake"; fi
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'bench_intake'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE bench_intake"
$PY manage.py migrate -v0
$PY bench/intake/setup.py "$PERSONS"
psql -h 127.0.0.1 -U postgres -d bench_intake -qc "ANALYZE"
$PY bench/intake/server.py "$PORT" & SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
sleep 3
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
API=$($PY bench/intake/client.py "$PORT" "$(cat /tmp/bench_intake_token)" "$SECONDS_LOAD" "$CLIENTS")
echo "api: $API"
kill $SERVER; trap - EXIT
BULK=$($PY bench/intake/bulk.py "$ROWS" | tail -1)
echo "bulk: $BULK"
DATE=$(date +%Y-%m-%d)
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
$PY - "$API" "$BULK" "$PERSONS" "$DATE" "$LOAD_BEFORE" "$LOAD_AFTER" <<'PYEOF'
import json, platform, subprocess, sys, django
api, bulk, persons, date = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
load_before, load_after = sys.argv[5], sys.argv[6]
pg = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "show server_version"], capture_output=True, text=True).stdout.strip()
commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True).stdout.strip()
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
import os
result = {"date": date, "commit": commit, "machine": {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
          "django": django.get_version(), "postgresql": pg,
          "note": "2 cores shared with other engineers' jobs; timings are noisy and pessimistic",
          "load_average_before": load_before, "load_average_after": load_after},
          "registry_persons": persons, "registry_names": "frequency-weighted (ochag.demo.names)", "api": api, "bulk_import": bulk,
          "targets": {"throughput_per_s": 200, "p95_ms": 150, "bulk_100k_seconds": 300}}
json.dump(result, open(f"bench/results/intake-{date}.json", "w"), indent=2, ensure_ascii=False)
md = f"""# Intake benchmark ({date}, commit {commit})

Machine: {cpu}, {os.cpu_count()} cores **shared with other engineers' jobs** (load average {load_before} before the API run, {load_after} after the import): timings are noisy and pessimistic. Python {platform.python_version()}, Django {django.get_version()}, PostgreSQL {pg}.
Server: wsgiref with a fixed pool of 16 worker threads (bench/intake/server.py), one persistent DB connection each; client: {api['clients']} threads on loopback.

| Measure | Result | Target |
|---|---|---|
| Registry size | {persons:,} persons (frequency-weighted names) | 1,000,000 |
| API throughput (with linking) | {api['throughput_per_s']} signals/s ({api['requests']} requests, {api['errors']} errors, {api['seconds']} s) | ≥ 200/s |
| API latency p50 / p95 | {api['p50_ms']} / {api['p95_ms']} ms | p95 ≤ 150 ms |
| Bulk import | {bulk['rows']:,} rows in {bulk['seconds']} s ({bulk['rows_per_s']} rows/s, {bulk['errors']} errors) | 100,000 rows ≤ 300 s |
"""
open("bench/results/intake-latest.md", "w").write(md)
print(md)
PYEOF
