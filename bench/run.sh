#!/usr/bin/env bash
# `make bench`: every benchmark in bench/; results go to docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/cognate}
/usr/bin/python3 bench/api_bench.py --bin "$BIN"
/usr/bin/python3 bench/auth_bench.py --bin "$BIN"
/usr/bin/python3 bench/srp_bench.py --bin "$BIN"
/usr/bin/python3 bench/oauth_bench.py --bin "$BIN"
/usr/bin/python3 bench/cluster_bench.py --bin "$BIN"
