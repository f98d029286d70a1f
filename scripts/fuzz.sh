#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang and runs each for a bounded time over a copy
# of its seed corpus (fuzz/corpus/<target>). A crash fails the run and leaves its input in
# $BUILD/fuzz-artifacts/: fix the bug, then add the input to fuzz/corpus/<target>.
#
#   scripts/fuzz.sh [BUILD_DIR] [SECONDS_PER_TARGET]     (defaults: build/fuzz, 20)
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/fuzz}
seconds=${2:-20}
command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ is missing (apt install clang)" >&2; exit 2; }
mkdir -p "$build"
cmake -S fuzz -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  >"$build/configure.log" 2>&1 || { cat "$build/configure.log"; exit 1; }
cmake --build "$build" -j "$(nproc)" >"$build/build.log" 2>&1 || { tail -40 "$build/build.log"; exit 1; }
artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"
status=0
for target in http_request json_dispatch jwt sigv4 srp; do
  work=$(mktemp -d)
  cp fuzz/corpus/"$target"/* "$work"/
  if "$build/${target}_fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$artifacts/${target}-" -print_final_stats=1 "$work" >"$build/$target.log" 2>&1; then
    echo "fuzz: $target: $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/$target.log" \
      | grep -o '[0-9]*$') runs in ${seconds} s, no crash"
  else
    echo "fuzz: $target FAILED; input and log in $artifacts, $build/$target.log"
    grep -E "ERROR|SUMMARY|runtime error" "$build/$target.log" | head -5
    status=1
  fi
  rm -rf "$work"
done
exit $status
