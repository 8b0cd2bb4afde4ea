#!/usr/bin/env bash
# Monitoring benchmark on PostgreSQL, one command: recreates its database, generates the
# region (bench/monitoring/generate.py: 1 M persons, 100 000 signals a year, 20 000 open
# cases, 2 000 children in care at SCALE=1) and times the coordinator's dashboard, a
# municipality's dashboard, form 103-РИК and the risk-score audit, with the naive
# per-window counts and the previous open_at_q as baselines in the same run
# (bench/monitoring/measure.py). Results: bench/results/monitoring-*.json, monitoring-latest.md.
# Options: SCALE=1.0 (0.01 for a smoke run) REPEAT=30
#          DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_monitoring
set -euo pipefail
cd "$(dirname "$0")/../.."
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/bench_monitoring}"
# Connections kept open between requests, as in production (deploy/gunicorn.conf.py).
export OCHAG_DB_CONN_MAX_AGE="${OCHAG_DB_CONN_MAX_AGE:-600}"
db="${DATABASE_URL##*/}"
dropdb -h 127.0.0.1 -U postgres --if-exists "$db"
createdb -h 127.0.0.1 -U postgres "$db"
.venv/bin/python manage.py migrate --noinput >/dev/null
generated="$(.venv/bin/python bench/monitoring/generate.py --scale "${SCALE:-1.0}")"
echo "$generated"
.venv/bin/python bench/monitoring/measure.py --repeat "${REPEAT:-30}" --generated "$generated" \
  ${OLD_BASELINES:+--old-baselines}
