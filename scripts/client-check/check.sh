#!/usr/bin/env bash
# Generated-client check: generates a Go client from docs/openapi.json with
# oapi-codegen (pinned in this directory's go.mod), starts lockscore on a
# temporary database with a write key, and drives it through the generated
# types (main.go); then generates TypeScript types with openapi-typescript
# and type-checks a sample front end against them (ts/use.ts). Fails when
# the document cannot make a working client.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
pid=""
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$tmp" client_gen.go' EXIT
go tool oapi-codegen -generate types,client -package main -o client_gen.go ../../docs/openapi.json
go vet .
(cd ../.. && go build -o "$tmp/lockscore" .)
export LOCKSCORE_DATABASE_URL="$tmp/client.db" LOCKSCORE_ADDR=127.0.0.1:18598 LOCKSCORE_LOG_LEVEL=warn
"$tmp/lockscore" migrate >/dev/null
key=$("$tmp/lockscore" apikey create --name client-check --scope write)
"$tmp/lockscore" serve &
pid=$!
for i in $(seq 1 100); do curl -sf http://127.0.0.1:18598/readyz >/dev/null && break; sleep 0.1; done
go run . -api http://127.0.0.1:18598 -key "$key"
cd ts
[ -d node_modules/openapi-typescript ] || npm ci --silent --no-audit --no-fund >/dev/null
npx openapi-typescript ../../../docs/openapi.json -o api.d.ts
npx tsc -p .
echo "TypeScript front end: type-checks against the generated types"
