#!/usr/bin/env bash
# `make run`: starts the server on the embedded SQLite store and prints how to reach it.
set -euo pipefail
BIN=$1 DATA=$2 LISTEN=$3
mkdir -p "$DATA"
ENDPOINT="http://$LISTEN"
if [ -n "${COGNATE_ADMIN_ACCESS_KEY_ID:-}" ]; then
  KEY_ID=$COGNATE_ADMIN_ACCESS_KEY_ID
  CREDS_HINT="the secret in COGNATE_ADMIN_SECRET_ACCESS_KEY"
elif [ -f "$DATA/admin-credentials" ]; then
  KEY_ID=$(sed -n 's/^AWS_ACCESS_KEY_ID=//p' "$DATA/admin-credentials")
  CREDS_HINT="$DATA/admin-credentials"
else
  KEY_ID="(generated at first start; printed below)"
  CREDS_HINT="$DATA/admin-credentials (written at first start)"
fi
cat <<MSG
Cognate endpoint: $ENDPOINT
Admin access key: $KEY_ID   (credentials: $CREDS_HINT)
Try it with aws-cli from another terminal:
  set -a; . $DATA/admin-credentials; set +a
  aws cognito-idp create-user-pool --pool-name demo --region us-east-1 --endpoint-url $ENDPOINT
  aws cognito-idp list-user-pools --max-results 10 --region us-east-1 --endpoint-url $ENDPOINT
Stop with Ctrl-C.
MSG
exec "$BIN" serve --data "$DATA" --listen "$LISTEN"
