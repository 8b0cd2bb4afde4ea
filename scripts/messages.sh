#!/usr/bin/env bash
# Extract translatable strings of every app into its ru catalogue and compile all catalogues.
# English is the source language of msgids; Russian is the primary interface language.
set -euo pipefail
cd "$(dirname "$0")/.."
for app in ochag/*/; do
  [ -f "$app/apps.py" ] || continue
  [ "$(basename "$app")" = "linkage" ] && continue
  mkdir -p "$app/locale"
  (cd "$app" && ../../.venv/bin/django-admin makemessages -l ru --no-location --no-obsolete -v0)
done
.venv/bin/python manage.py compilemessages -v0 --ignore=.venv
