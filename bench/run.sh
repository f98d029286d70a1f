#!/usr/bin/env bash
# `make bench`: the benchmark suite (bench/suite.py: Cognate with 10 thousand and 1 million
# users, its cost floors, cognito-local and moto, about 20 minutes); results go to
# docs/benchmarks.md and docs/bench/. `bench/run.sh BIN --all` also runs the older per-issue
# benchmarks after it. Other arguments go to bench/suite.py (e.g. --quick for a smoke run).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/cognate}
shift || true
ALL=0
ARGS=()
for a in "$@"; do
  if [ "$a" = "--all" ]; then ALL=1; else ARGS+=("$a"); fi
done
/usr/bin/python3 bench/suite.py --bin "$BIN" "${ARGS[@]}"
if [ "$ALL" = 1 ]; then
  /usr/bin/python3 bench/api_bench.py --bin "$BIN"
  /usr/bin/python3 bench/auth_bench.py --bin "$BIN"
  /usr/bin/python3 bench/srp_bench.py --bin "$BIN"
  /usr/bin/python3 bench/oauth_bench.py --bin "$BIN"
  /usr/bin/python3 bench/cluster_bench.py --bin "$BIN"
fi
