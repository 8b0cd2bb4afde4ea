#!/usr/bin/env bash
# Trust figures (issue 12), on PostgreSQL (database bench_trust, rebuilt each run with a demo
# region of 2 000 persons):
#  1. concurrent bursts against the sign-in lockout and the public form's rate limit, over HTTP
#     against gunicorn (production config): bench/results/trust-latest.md. Bounded: 40 + 20.
#  2. the URL walker per role, in-process: bench/results/trust-walk-latest.md.
#     Bounded: WALK_PAGES (60) pages crawled per demo role, then the union x every role.
#  3. a soak of SOAK_SESSIONS (300) staff sessions for SOAK_SECONDS (600) against gunicorn with
#     the idle limit shortened to SOAK_IDLE_LIMIT (120 s): bench/results/trust-soak-latest.md.
# Each step writes a dated JSON beside its .md.
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
stop_server
SERVER=

$PY bench/trust/walk.py --pages "${WALK_PAGES:-60}"

export OCHAG_SESSION_SECONDS=${SOAK_IDLE_LIMIT:-120}
OCHAG_BIND=127.0.0.1:$PORT OCHAG_WORKERS=2 OCHAG_THREADS=8 \
  $PY -m gunicorn -c deploy/gunicorn.conf.py --no-control-socket ochag.wsgi 2>"$OCHAG_VAR_DIR/gunicorn-soak.log" &
SERVER=$!
$PY -c "import sys; sys.path.insert(0, 'bench/trust'); import bursts; bursts.wait_for($PORT, $SERVER)"
$PY bench/trust/soak.py --port "$PORT" --sessions "${SOAK_SESSIONS:-300}" --seconds "${SOAK_SECONDS:-600}"
