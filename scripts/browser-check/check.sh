#!/usr/bin/env bash
# The chooser in a real browser: starts lockscore on a temporary database and
# runs issue 14's journeys in headless Chromium (Debian's package, driven by
# playwright-core) with axe-core on every page. Screenshots at 360 and
# 1280 px go to ./artifacts (git-ignored; CI keeps them).
set -euo pipefail
cd "$(dirname "$0")"
command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
[ -d node_modules/playwright-core ] && [ -d node_modules/axe-core ] || npm ci --silent --no-audit --no-fund >/dev/null
port=${LOCKSCORE_BROWSER_PORT:-18081}
other=${LOCKSCORE_BROWSER_OTHER_PORT:-18091}
tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
(cd ../.. && go build -o "$tmp/lockscore" .)
LOCKSCORE_DATABASE_URL="$tmp/browser.db" LOCKSCORE_ADDR="127.0.0.1:$port" LOCKSCORE_LOG_LEVEL=warn \
  LOCKSCORE_RATE_LIMIT_RPS=0 "$tmp/lockscore" serve &
pid=$!
for i in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
rm -rf artifacts && mkdir -p artifacts
node journeys.js "http://127.0.0.1:$port" "$other" "$PWD/artifacts"
