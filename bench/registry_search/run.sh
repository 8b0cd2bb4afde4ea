#!/usr/bin/env bash
# Registry staff-search benchmark on PostgreSQL: loads 1 M synthetic persons (once; later
# runs reuse them) and times mixed staff queries through the search view's selector.
# Options: PERSONS=1000000 QUERIES=1000 DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_registry
set -euo pipefail
cd "$(dirname "$0")/../.."
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/bench_registry}"
db="${DATABASE_URL##*/}"
if ! psql -h 127.0.0.1 -U postgres -lqt | cut -d'|' -f1 | grep -qw "$db"; then
  createdb -h 127.0.0.1 -U postgres "$db"
fi
.venv/bin/python manage.py migrate --noinput >/dev/null
.venv/bin/python bench/registry_search/bench.py --persons "${PERSONS:-1000000}" --queries "${QUERIES:-1000}"
