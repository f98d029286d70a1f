#!/usr/bin/env bash
# `make test`: unit tests (ctest), then the integration suites against the real binary.
set -uo pipefail
BUILD=${1:-build}
cd "$(dirname "$0")/.."
status=0
# A throwaway PostgreSQL on loopback for the PostgreSQL store's tests, stopped on exit.
pg_dir=$(mktemp -d /tmp/cognate-pg.XXXXXX)
trap 'scripts/postgres.sh stop "$pg_dir"; rm -rf "$pg_dir"' EXIT
if COGNATE_TEST_POSTGRES_URL=$(scripts/postgres.sh start "$pg_dir"); then
  export COGNATE_TEST_POSTGRES_URL
else
  echo "make test: could not start PostgreSQL:"; cat "$pg_dir"/*.log 2>/dev/null; status=1
fi
echo "== unit tests"
(cd "$BUILD" && ctest --output-on-failure -L unit -j "$(nproc)") || status=1
echo "== fuzzing (libFuzzer, 20 s per target)"
scripts/fuzz.sh "$BUILD/fuzz" 20 || status=1
echo "== integration tests"
COGNATE_BIN="$(pwd)/$BUILD/cognate" tests/integration/run.sh || status=1
if [ $status -eq 0 ]; then echo "make test: all suites passed"; else echo "make test: FAILED"; fi
exit $status
