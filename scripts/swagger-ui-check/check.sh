#!/usr/bin/env bash
# Swagger UI smoke test: starts lockscore on a temporary database, opens
# /swagger/index.html in headless Chromium (Debian's package) with
# playwright-core, clicks "Try it out" and "Execute" on GET /api/v1/rankings,
# and fails unless the live response is a 200.
set -euo pipefail
cd "$(dirname "$0")"
command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
[ -d node_modules/playwright-core ] || npm install --silent --no-audit --no-fund playwright-core@1.65.1 >/dev/null
tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
(cd ../.. && go build -o "$tmp/lockscore" .)
LOCKSCORE_DATABASE_URL="$tmp/ui.db" LOCKSCORE_ADDR=127.0.0.1:18599 LOCKSCORE_LOG_LEVEL=warn "$tmp/lockscore" serve &
pid=$!
for i in $(seq 1 100); do curl -sf http://127.0.0.1:18599/readyz >/dev/null && break; sleep 0.1; done
node check.js http://127.0.0.1:18599
