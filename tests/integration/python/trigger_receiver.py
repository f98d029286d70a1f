"""A local receiver for Cognate's Lambda-trigger webhooks, for tests (standard library only).

Each trigger gets its own path: url_for("PreSignUp") -> "http://127.0.0.1:<port>/PreSignUp",
which goes into the pool's LambdaConfig. A handler answers like the Lambda function it stands
for: it gets the event (a dict) and returns it with `response` filled in (the default handler
returns it unchanged), raises Reject(message) to answer Lambda's error payload (the client then
sees UserLambdaValidationException "<Trigger> failed with error <message>."), or returns
Status(code, body) to answer anything else (a non-2xx status, a body that is not JSON...).

    with TriggerReceiver(secret=s) as rx:
        rx.handle("PreSignUp", lambda e: {**e, "response": {"autoConfirmUser": True}})
        ...  # create_user_pool(LambdaConfig={"PreSignUp": rx.url_for("PreSignUp")})
        [event] = rx.events("PreSignUp")

With a `secret` (the pool's, from `cognate trigger-secret`) every request's X-Cognate-Signature
is verified; a request that fails is answered 401 without calling the handler. `secret` may
also be a function of the event (dict, or None when the body is not JSON) returning the secret,
e.g. per userPoolId, or None to leave that request unchecked. Each request is
recorded as an Invocation (events(name) lists their JSON events; invocations(name) the records
with headers, raw body, signature_ok and the status answered). delay(name, s) holds the answers
for a trigger (timeout tests).
"""

import http.server
import json
import threading
import time
from dataclasses import dataclass, field

from loopback import LoopbackService
from webhook_receiver import SIGNATURE_HEADER, verify_signature

MAX_BODY = 1024 * 1024


class Reject(Exception):
    """Raised by a handler: answers Lambda's error payload {"errorType", "errorMessage"} with
    `status` (200, as Lambda's Invoke API does for a function that threw)."""

    def __init__(self, message, error_type="Error", status=200):
        super().__init__(message)
        self.message, self.error_type, self.status = message, error_type, status


def rejecting(message):
    """A handler that throws, as a Lambda function that denies the event does."""
    def handler(event):
        raise Reject(message)
    return handler


@dataclass
class Status:
    """Returned by a handler: answer `code` with `body` (dict/list -> JSON, str or bytes as is)."""
    code: int
    body: object = b""


@dataclass
class Invocation:
    name: str                    # The path without its leading "/" (the trigger's name).
    headers: dict
    body: bytes
    signature_ok: bool           # None when the receiver had no secret for it.
    status: int = 0              # What the receiver answered.
    event: dict = field(default=None)


def _encode(body):
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    return json.dumps(body).encode()


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet
        pass

    def do_POST(self):
        rx = self.server.receiver
        name = self.path.split("?", 1)[0].strip("/")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._answer(413, b"")
            return
        body = self.rfile.read(length)
        try:
            event = json.loads(body)
        except ValueError:
            event = None
        secret = rx.secret(event) if callable(rx.secret) else rx.secret
        signature_ok = None
        if secret is not None:
            signature_ok = verify_signature(secret, self.headers.get(SIGNATURE_HEADER), body)
        call = Invocation(name, dict(self.headers), body, signature_ok, event=event)
        if signature_ok is False:
            status, payload = 401, b'{"message":"bad signature"}'
        else:
            status, payload = rx._run(name, event)
        call.status = status
        rx._record(call)
        pause = rx._delay_for(name)
        if pause:
            time.sleep(pause)
        self._answer(status, payload)

    def _answer(self, status, payload):
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass  # Cognate gave up (timeout tests).


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class TriggerReceiver(LoopbackService):
    server_class = _Server
    handler_class = _Handler
    thread_name = "trigger-receiver"

    def __init__(self, secret=None, host="127.0.0.1", port=0):
        super().__init__(host, port)
        self.secret = secret
        self._handlers = {}
        self._delays = {}
        self._calls = []
        self._cond = threading.Condition()

    def attach(self, server):
        server.receiver = self

    def url_for(self, name):
        return f"http://{self.host}:{self.port}/{name.lstrip('/')}"

    # ---- behaviour -----------------------------------------------------------------------
    def handle(self, name, fn):
        """fn(event) -> event | Status; may raise Reject. None restores the default (echo)."""
        with self._cond:
            if fn is None:
                self._handlers.pop(name, None)
            else:
                self._handlers[name] = fn

    def delay(self, name, seconds):
        """Answer `name`'s requests `seconds` late (0 to stop delaying)."""
        with self._cond:
            self._delays[name] = seconds

    def reset(self):
        """Default handlers, no delays, nothing recorded."""
        with self._cond:
            self._handlers.clear()
            self._delays.clear()
            self._calls.clear()

    def _delay_for(self, name):
        with self._cond:
            return self._delays.get(name, 0)

    def _run(self, name, event):
        with self._cond:
            fn = self._handlers.get(name, lambda e: e)
        try:
            out = fn(event)
        except Reject as r:
            return r.status, _encode({"errorType": r.error_type, "errorMessage": r.message})
        except Exception as e:  # A handler bug answers like an unhandled Lambda error.
            return 500, _encode({"errorType": type(e).__name__, "errorMessage": str(e)})
        if isinstance(out, Status):
            return out.code, _encode(out.body)
        return 200, _encode(out)

    # ---- received events -----------------------------------------------------------------
    def _record(self, call):
        with self._cond:
            self._calls.append(call)
            self._cond.notify_all()

    def invocations(self, name=None):
        """The recorded requests (to `name`, or all), oldest first."""
        with self._cond:
            return [c for c in self._calls if name is None or c.name == name]

    def events(self, name=None):
        """The JSON events received (for `name`, or all), oldest first."""
        return [c.event for c in self.invocations(name)]

    def wait_for(self, name, count=1, timeout=10.0):
        """Waits until `name` received at least `count` requests; returns their invocations."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                got = [c for c in self._calls if c.name == name]
                if len(got) >= count:
                    return got
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{name}: {len(got)} of {count} requests within "
                                         f"{timeout}s")
                self._cond.wait(left)
