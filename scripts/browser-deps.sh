#!/usr/bin/env bash
# Browser tests drive Debian's chromium (never a downloaded browser). Install it if missing.
set -euo pipefail
if [ -x /usr/bin/chromium ] || [ -n "${OCHAG_SKIP_BROWSER_INSTALL:-}" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
else
  echo "chromium is missing: install Debian's 'chromium' package to run the browser tests." >&2
  exit 1
fi
