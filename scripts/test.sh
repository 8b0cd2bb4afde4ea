#!/usr/bin/env bash
# Set up the environment and run the whole suite: lint, types, layer contracts, tests.
# DATABASE_URL selects the database (default: SQLite). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh dev
scripts/system-deps.sh
export PATH="$PWD/.venv/bin:$PATH"
echo "== ruff";          ruff check ochag bench deploy
echo "== ruff format";   ruff format --check ochag bench deploy
echo "== mypy";          mypy ochag
echo "== import-linter"; lint-imports
echo "== migrations";    python manage.py makemigrations --check --dry-run -v0
echo "== pytest (${DATABASE_URL:-sqlite})"
set +e
python -m pytest "$@"
status=$?
set -e
# pytest exits 5 when it collected no tests: that is a failure of the suite, not a pass.
if [ "$status" -eq 5 ]; then echo "No tests were collected." >&2; exit 1; fi
exit "$status"
