#!/usr/bin/env bash
# Integration tests: start the real cognate binary and drive it with boto3/aws-cli (pytest,
# Debian's /usr/bin/python3) and the AWS SDK for JavaScript v3 (node --test).
#
#   tests/integration/run.sh              # all suites
#   tests/integration/run.sh -k sigv4     # extra args go to pytest (the node suite still runs)
#
# Env: COGNATE_BIN (default <repo>/build/cognate), COGNATE_KEEP_DATA=1 keeps temp data dirs,
#      SKIP_NODE=1 / SKIP_PYTHON=1 to run one side only (SKIP_PYTHON also skips the example),
#      SKIP_EXAMPLES=1 to leave out the Flask example's test (examples/flask-mfa).
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export COGNATE_BIN="${COGNATE_BIN:-$repo/build/cognate}"

if [[ ! -x "$COGNATE_BIN" ]]; then
  echo "run.sh: $COGNATE_BIN is missing or not executable (build first, or set COGNATE_BIN)" >&2
  exit 2
fi

status=0

if [[ -z "${SKIP_PYTHON:-}" ]]; then
  echo "== python suites (/usr/bin/python3 -m pytest)"
  (cd "$repo" && /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/integration/python "$@") \
    || status=1
fi

if [[ -z "${SKIP_PYTHON:-}" && -z "${SKIP_EXAMPLES:-}" ]]; then
  echo "== flask example (examples/flask-mfa)"
  (cd "$repo/examples/flask-mfa" && /usr/bin/python3 -m pytest -q -p no:cacheprovider .) \
    || status=1
fi

if [[ -z "${SKIP_NODE:-}" ]]; then
  echo "== node suite (node --test)"
  (
    cd "$here/node" || exit 1
    if [[ ! -d node_modules ]]; then
      npm ci --no-audit --no-fund || exit 1
    fi
    node --test --test-reporter=spec
  ) || status=1
fi

if [[ $status -ne 0 ]]; then
  echo "integration tests FAILED" >&2
else
  echo "integration tests passed"
fi
exit $status
