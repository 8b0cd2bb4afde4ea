#!/usr/bin/env bash
# Set everything up and serve Ochag on http://127.0.0.1:8000 with the embedded SQLite demo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh base
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py demo_region --if-empty
addr="${OCHAG_ADDR:-127.0.0.1:8000}"
echo "Ochag is starting on http://${addr} (Ctrl+C stops it)."
exec .venv/bin/python manage.py runserver "$addr" --noreload
