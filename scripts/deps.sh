#!/usr/bin/env bash
# Installs every Debian and npm package the build and the tests need. Idempotent: it only calls
# apt-get when a package is missing, and npm only when the lock file changed.
# --bench: also what `make bench` needs (gnuplot for the charts of bench/suite.py).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libsodium-dev libsqlite3-dev libpcre2-dev libcurl4-openssl-dev libqrencode-dev libpq-dev libjemalloc-dev postgresql
  john-data clang libclang-rt-14-dev
  libgtest-dev libgmock-dev libbenchmark-dev chromium fonts-liberation fonts-dejavu-core
  python3 python3-boto3 python3-botocore python3-pytest python3-jwt python3-requests
  python3-flask python3-cryptography python3-bcrypt
  awscli wrk
)
if [ "${1:-}" = "--bench" ]; then APT_PACKAGES+=(gnuplot-nox); fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node.js may come from elsewhere (with its own npm); only install Debian's when there is none.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages for the JavaScript test clients.
NODE_DIR=tests/integration/node
if [ -f "$NODE_DIR/package.json" ]; then
  stamp="$NODE_DIR/node_modules/.deps-stamp"
  lock="$NODE_DIR/package-lock.json"
  if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ]; then
    echo "deps: npm ci in $NODE_DIR"
    (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error)
    touch "$stamp"
  fi
fi
