#!/usr/bin/env bash
# `make bench`: rewrites docs/benchmarks.md (and docs/bench/) on this machine: first the suite
# (bench/suite.py: the cost floors, Cognate with 10 thousand and 1 million users, cognito-local
# and moto; about 10 minutes), then the per-issue benchmarks below it (about 10 minutes more).
# `--suite-only` stops after the suite; other arguments go to bench/suite.py (`--quick`, a smoke
# run of the suite alone, `--no-peers`, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/cognate}
shift || true
ALL=1
ARGS=()
for a in "$@"; do
  case "$a" in
    --suite-only) ALL=0 ;;
    --quick) ALL=0; ARGS+=("$a") ;;
    *) ARGS+=("$a") ;;
  esac
done
/usr/bin/python3 bench/suite.py --bin "$BIN" "${ARGS[@]}"
if [ "$ALL" = 1 ]; then
  /usr/bin/python3 bench/api_bench.py --bin "$BIN"
  /usr/bin/python3 bench/auth_bench.py --bin "$BIN"
  /usr/bin/python3 bench/srp_bench.py --bin "$BIN"
  /usr/bin/python3 bench/oauth_bench.py --bin "$BIN"
  /usr/bin/python3 bench/cluster_bench.py --bin "$BIN"
  /usr/bin/python3 bench/import_bench.py --bin "$BIN"
fi
