#!/usr/bin/env bash
# Browser tests run in Debian's Chromium (a test tool's own browser download
# cannot work here). Installs it when missing and we may; explains otherwise.
set -euo pipefail
bin="${CHROME_PATH:-/usr/bin/chromium}"
if [ -x "$bin" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium not found at $bin: installing Debian's chromium package for the browser tests…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "Browser tests need Chromium at $bin (Debian: sudo apt-get install -y chromium), or set CHROME_PATH." >&2
exit 1
