#!/usr/bin/env bash
# System packages the test suite needs: Debian's chromium for the browser tests (never a
# downloaded browser) and gettext to check the translation catalogues. Installed if missing.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-dejavu-core)
command -v msgfmt >/dev/null || missing+=(gettext)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing ${missing[*]}…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Missing system packages: ${missing[*]} (install them with apt-get)." >&2
  exit 1
fi
