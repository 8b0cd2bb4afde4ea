#!/usr/bin/env bash
# Care pages benchmark on PostgreSQL: the commission's agenda page, the register of
# institutions and the children list for a region with 2 000 children in care and 60
# institutions, against a baseline region of 200 children and 6 institutions in the same run
# (queries per page must be equal: constant in rows). Recreates its database each run.
# Options: CHILDREN=2000 INSTITUTIONS=60 AGENDA=50 REPEAT=60 DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_care
set -euo pipefail
cd "$(dirname "$0")/../.."
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/bench_care}"
# Connections kept open between requests, as in production (deploy/gunicorn.conf.py).
export OCHAG_DB_CONN_MAX_AGE="${OCHAG_DB_CONN_MAX_AGE:-600}"
db="${DATABASE_URL##*/}"
dropdb -h 127.0.0.1 -U postgres --if-exists "$db"
createdb -h 127.0.0.1 -U postgres "$db"
.venv/bin/python manage.py migrate --noinput >/dev/null
.venv/bin/python bench/care/bench.py --children "${CHILDREN:-2000}" \
  --institutions "${INSTITUTIONS:-60}" --agenda "${AGENDA:-50}" --repeat "${REPEAT:-60}"
