#!/usr/bin/env bash
# Installs what the browser test suite needs: Debian's chromium (never a downloaded browser)
# and the pinned axe-core from package-lock.json. Without root, it says why it cannot.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the browser tests (apt-get)..."
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      chromium poppler-utils >/dev/null
  else
    echo "note: chromium is not installed and this user cannot apt-get it;" \
         "browser tests will be skipped (they fail instead when CI is set)." >&2
  fi
fi

if command -v npm >/dev/null 2>&1; then
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --ignore-scripts --no-audit --no-fund --silent
  fi
else
  echo "note: npm is missing; accessibility tests will be skipped (they fail when CI is set)." >&2
fi
