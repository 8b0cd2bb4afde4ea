#!/usr/bin/env bash
# Set everything up and serve Ochag on http://127.0.0.1:8000 with the embedded SQLite demo.
# The background worker runs beside the server (imports, the mail outbox, the dashboards'
# kept counts every 15 minutes, a refresh the coordinator asks for) and stops with it;
# its log is var/worker.log.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh base
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py demo_region --if-empty
.venv/bin/python manage.py monitoring_refresh --schedule >/dev/null
mkdir -p var
.venv/bin/python manage.py db_worker --no-reload >>var/worker.log 2>&1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT
addr="${OCHAG_ADDR:-127.0.0.1:8000}"
echo "Ochag is starting on http://${addr} (Ctrl+C stops it)."
.venv/bin/python manage.py runserver "$addr" --noreload
