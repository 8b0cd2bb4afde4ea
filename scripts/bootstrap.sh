#!/usr/bin/env bash
# Create .venv with Python >= 3.12 and install the locked dependencies.
# Usage: scripts/bootstrap.sh [base|dev]   (dev adds the test and lint tools)
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-base}"

find_python() {
  # pyenv shims answer only when PYENV_VERSION names them, so look for real interpreters.
  # 3.12 first: the lock files are resolved for it.
  for candidate in "${OCHAG_PYTHON:-}" python3.12 python3.13 \
      "$HOME"/.pyenv/versions/3.12*/bin/python3 "$HOME"/.pyenv/versions/3.13*/bin/python3 \
      /usr/local/bin/python3.12 /usr/bin/python3.12 /usr/local/bin/python3.13 /usr/bin/python3.13 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 && \
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  return 1
}

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
  py="$(find_python)" || { echo "Python 3.12 or newer is required (set OCHAG_PYTHON)." >&2; exit 1; }
  echo "Creating .venv with $py"
  rm -rf .venv
  "$py" -m venv .venv
fi
lock="requirements/${kind}.lock"
stamp=".venv/.installed-${kind}"
if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ]; then
  if command -v uv >/dev/null 2>&1 && uv --version >/dev/null 2>&1; then
    UV_PYTHON_DOWNLOADS=never uv pip install -q --python .venv/bin/python -r "$lock"
  else
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -r "$lock"
  fi
  touch "$stamp"
fi
