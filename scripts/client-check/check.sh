#!/usr/bin/env bash
# Official clients check. Regenerates clients/go (oapi-codegen, pinned in
# this directory's go.mod) and clients/typescript (openapi-typescript, pinned
# in its package-lock.json) from docs/openapi.json and fails when either
# differs from what is committed; vets, tests and builds both. Then starts
# lockscore on a temporary database and runs each client's tour against it
# (a ranking for a context, a what-if, walking every page, a problem error),
# and the three users' journeys through the Go client (main.go).
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
tmp=$(mktemp -d)
pid=""
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
drift() {
  if ! git -C "$root" diff --exit-code --stat -- "$1"; then
    echo "$1 is not what docs/openapi.json generates: regenerate it (README, Official clients) and commit"
    exit 1
  fi
}

echo "Go client: regenerate, vet, test"
(cd "$root/clients/go" && go generate ./... && go vet ./... && go test -count=1 ./...)
drift clients/go/lockscore.gen.go

echo "TypeScript client: regenerate, build"
(cd "$root/clients/typescript" && npm ci --silent --no-audit --no-fund && npm run --silent generate >/dev/null && npm run --silent build)
drift clients/typescript/src/schema.ts

(cd "$root" && go build -o "$tmp/lockscore" .)
port=${CLIENT_CHECK_PORT:-18598}
api=http://127.0.0.1:$port
export LOCKSCORE_DATABASE_URL="$tmp/client.db" LOCKSCORE_ADDR=127.0.0.1:$port LOCKSCORE_LOG_LEVEL=warn
"$tmp/lockscore" migrate >/dev/null
key=$("$tmp/lockscore" apikey create --name client-check --scope write)
"$tmp/lockscore" serve &
pid=$!
for i in $(seq 1 100); do curl -sf "$api/readyz" >/dev/null && break; sleep 0.1; done

echo "Go client against the live server"
(cd "$root/clients/go" && go run ./examples/tour -api "$api")
go run . -api "$api" -key "$key"
echo "TypeScript client against the live server"
(cd "$root/clients/typescript" && node dist/examples/tour.js "$api")
echo "official clients: regenerated without drift, built, and exercised against a live server"
