#!/usr/bin/env bash
# Trust figures (issue 12): concurrent bursts against the sign-in lockout and the public form's
# rate limit, over HTTP against gunicorn (production config) on PostgreSQL (database
# bench_trust, rebuilt each run with a small demo region). Writes bench/results/trust-latest.md
# and a dated JSON. Bounded: two bursts of 40 and 20 requests.
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${BENCH_PORT:-8766}
PY=.venv/bin/python
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_trust OCHAG_DB_CONN_MAX_AGE=600
export OCHAG_EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend OCHAG_VAR_DIR=$(mktemp -d)
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS bench_trust"
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE bench_trust"
$PY manage.py migrate -v0
$PY manage.py demo_region --persons 2000 >/dev/null
SERVER=
stop_server() {
  if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then kill -TERM "$SERVER"; wait "$SERVER" || true; fi
}
trap stop_server EXIT
OCHAG_BIND=127.0.0.1:$PORT OCHAG_WORKERS=2 OCHAG_THREADS=8 \
  $PY -m gunicorn -c deploy/gunicorn.conf.py --no-control-socket ochag.wsgi 2>"$OCHAG_VAR_DIR/gunicorn.log" &
SERVER=$!
$PY bench/trust/bursts.py --port "$PORT" --server-pid "$SERVER"
