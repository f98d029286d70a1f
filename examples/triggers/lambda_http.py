"""Run a Cognito Lambda trigger handler behind Cognate's trigger webhooks (standard library only).

Cognate POSTs the event a Lambda function would receive to the URL in the pool's LambdaConfig,
signed with the header

    X-Cognate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>

where the secret is the text `cognate trigger-secret --data DIR POOL_ID` prints. This module
checks that signature and its age, parses the event, calls `handler(event, context)` as AWS
Lambda's Python runtime does, and answers what the runtime would hand back to Cognito: the
returned event as JSON, or Lambda's error payload {"errorMessage", "errorType"} when the
handler raises (the client then gets UserLambdaValidationException "<Trigger> failed with
error <errorMessage>.").

    import lambda_http

    def handler(event, context):
        event["response"]["autoConfirmUser"] = True
        return event

    if __name__ == "__main__":
        lambda_http.main(handler)          # --port N --secret HEX (or --secret-file F)

`main` also takes a dict of paths to handlers, to serve several triggers from one process:
main({"/define": define, "/create": create, "/verify": verify}).
"""

import argparse
import hashlib
import hmac
import http.server
import json
import os
import sys
import threading
import time
import traceback
import uuid

SIGNATURE_HEADER = "X-Cognate-Signature"
SECRET_ENV = "COGNATE_TRIGGER_SECRET"
DEFAULT_TOLERANCE = 300        # seconds a signature stays acceptable (replays, clock skew)
TIME_LIMIT_MS = 5000           # Cognate (like Cognito) waits 5 s for an answer
MAX_BODY = 1024 * 1024


# ---- signatures -------------------------------------------------------------------------------
def sign(secret, body, t=None):
    """The X-Cognate-Signature value for `body` (bytes) at `t` (unix seconds, default now)."""
    t = int(time.time()) if t is None else int(t)
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def verify_signature(secret, header, body, now=None, tolerance=DEFAULT_TOLERANCE):
    """True when `header` signs the exact bytes `body` under `secret` (str) with a timestamp
    within `tolerance` seconds of `now`. Several v1 values may be present (key rotation)."""
    if not header or not secret:
        return False
    fields = [part.strip().split("=", 1) for part in header.split(",") if "=" in part]
    stamps = [v for k, v in fields if k == "t"]
    macs = [v for k, v in fields if k == "v1"]
    if len(stamps) != 1 or not stamps[0].isdigit() or not macs:
        return False
    t = int(stamps[0])
    if abs((time.time() if now is None else now) - t) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, mac) for mac in macs)


# ---- the Lambda side ----------------------------------------------------------------------------
class LambdaContext:
    """The attributes and method of the Python runtime's context object that handlers use."""

    def __init__(self, function_name, region, started=None):
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:{region}:000000000000:function:{function_name}"
        self.memory_limit_in_mb = "128"
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "cognate-webhook"
        self.identity = None
        self.client_context = None
        self._deadline = (started or time.monotonic()) + TIME_LIMIT_MS / 1000

    def get_remaining_time_in_millis(self):
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def invoke(handler, event, context):
    """Runs the handler; returns (answer dict/value, error type or None) as Lambda would."""
    try:
        result = handler(event, context)
    except Exception as e:  # A raised exception is the function's error, as in Lambda.
        traceback.print_exc(file=sys.stderr)
        return {"errorMessage": str(e), "errorType": type(e).__name__,
                "requestId": context.aws_request_id}, type(e).__name__
    return result, None


def encode_answer(answer):
    """JSON bytes of the handler's answer, or the runtime's marshalling error."""
    try:
        return json.dumps(answer).encode(), None
    except (TypeError, ValueError) as e:
        error = {"errorMessage": f"Unable to marshal response: {e}",
                 "errorType": "Runtime.MarshalError"}
        return json.dumps(error).encode(), "Runtime.MarshalError"


# ---- HTTP -------------------------------------------------------------------------------------
class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "lambda-http"

    def log_message(self, fmt, *args):  # one line per event instead (never the body)
        pass

    def do_GET(self):
        self._reply(405, {"message": "POST Cognito trigger events here"})

    def do_POST(self):
        started = time.monotonic()
        handler = self.server.route(self.path.split("?", 1)[0])
        if handler is None:
            self._reply(404, {"message": "no handler for this path"})
            return
        body = self._verified_body(started)
        if body is None:
            return
        try:
            event = json.loads(body)
        except ValueError:
            event = None
        if not isinstance(event, dict):
            self._reply(400, {"message": "the body is not a JSON object"})
            return
        function_name = getattr(handler, "__name__", self.server.name)
        context = LambdaContext(function_name, event.get("region") or "us-east-1", started)
        answer, error = invoke(handler, event, context)
        payload, marshal_error = encode_answer(answer)
        error = error or marshal_error
        self._log(event.get("triggerSource", "?"), f"error {error}" if error else "ok", started)
        extra = {"X-Amz-Function-Error": "Unhandled"} if error else {}
        self._send(200, payload, extra)

    def _verified_body(self, started):
        """The request body when its signature verifies; else answers the request, None."""
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self._reply(411, {"message": "Content-Length required"})
            return None
        if int(length) > MAX_BODY:
            self._reply(413, {"message": "event too large"})
            self.close_connection = True
            return None
        body = self.rfile.read(int(length))
        # The exact bytes received are checked, before anything is parsed.
        if not verify_signature(self.server.secret, self.headers.get(SIGNATURE_HEADER), body,
                                tolerance=self.server.tolerance):
            self._log("-", "401 bad or stale signature", started)
            self._reply(401, {"message": "bad or stale signature"})
            return None
        return body

    def _log(self, source, outcome, started):
        if self.server.quiet:
            return
        ms = (time.monotonic() - started) * 1000
        print(f"{self.server.name}: {source} -> {outcome} ({ms:.0f} ms)", file=sys.stderr,
              flush=True)

    def _reply(self, status, obj):
        self._send(status, json.dumps(obj).encode(), {})

    def _send(self, status, payload, headers):
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass  # Cognate stopped waiting (its 5-second limit).


class TriggerServer(http.server.ThreadingHTTPServer):
    """Serves `routes`: one handler for every path, or a dict {"/path": handler}."""
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, routes, secret, host="127.0.0.1", port=0, tolerance=DEFAULT_TOLERANCE,
                 name="trigger", quiet=False):
        super().__init__((host, port), _Handler)
        self.routes, self.secret, self.tolerance = routes, secret, tolerance
        self.name, self.quiet = name, quiet

    def route(self, path):
        if callable(self.routes):
            return self.routes
        return self.routes.get(path) or self.routes.get(path.rstrip("/") or "/")

    @property
    def url(self):
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        """Serves on a daemon thread (for tests and embedding); returns self."""
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self


# ---- command line -----------------------------------------------------------------------------
def _secret(args, parser):
    if args.secret:
        return args.secret.strip()
    if args.secret_file:
        with open(args.secret_file) as f:
            return f.read().strip()
    if os.environ.get(SECRET_ENV):
        return os.environ[SECRET_ENV].strip()
    parser.error(f"the pool's signing secret is required: --secret HEX, --secret-file F or "
                 f"{SECRET_ENV} (print it with `cognate trigger-secret --data DIR POOL_ID`)")


def main(routes, argv=None, description=None):
    """Parses --port/--host/--secret/--secret-file/--tolerance/--quiet and serves until
    interrupted. Prints "<name>: listening on http://HOST:PORT" on stdout once ready."""
    name = os.path.splitext(os.path.basename(sys.argv[0]))[0] or "trigger"
    parser = argparse.ArgumentParser(prog=name, description=description)
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: any free)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--secret", help="the pool's trigger signing secret (hex text)")
    parser.add_argument("--secret-file", help="file holding the secret (keeps it out of ps)")
    parser.add_argument("--tolerance", type=int, default=DEFAULT_TOLERANCE,
                        help="oldest signature accepted, in seconds (default 300)")
    parser.add_argument("--quiet", action="store_true", help="no line per event on stderr")
    args = parser.parse_args(argv)
    server = TriggerServer(routes, _secret(args, parser), args.host, args.port, args.tolerance,
                           name, args.quiet)
    print(f"{name}: listening on {server.url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
