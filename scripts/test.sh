#!/usr/bin/env bash
# `make test`: unit tests (ctest), then the integration suites against the real binary.
set -uo pipefail
BUILD=${1:-build}
cd "$(dirname "$0")/.."
status=0
echo "== unit tests"
(cd "$BUILD" && ctest --output-on-failure -L unit -j "$(nproc)") || status=1
echo "== integration tests"
COGNATE_BIN="$(pwd)/$BUILD/cognate" tests/integration/run.sh || status=1
if [ $status -eq 0 ]; then echo "make test: all suites passed"; else echo "make test: FAILED"; fi
exit $status
