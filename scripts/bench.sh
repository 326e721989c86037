#!/usr/bin/env bash
# The load test of BENCHMARKS.md in one command: installs wrk if needed,
# starts PostgreSQL for the replica scenario when it is installed, and runs
# internal/loadtest (about 8 minutes on 2 cores). Extra flags pass through,
# e.g. scripts/bench.sh -duration 5s -n-large 50000.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
if [ -z "${LOCKSCORE_BENCH_POSTGRES_URL:-}" ] && command -v pg_ctlcluster >/dev/null; then
  pg_ctlcluster 15 main start 2>/dev/null || true
  for i in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
  su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
  export LOCKSCORE_BENCH_POSTGRES_URL="postgres://postgres:postgres@127.0.0.1:5432/postgres?sslmode=disable"
fi
exec go run ./internal/loadtest "$@"
