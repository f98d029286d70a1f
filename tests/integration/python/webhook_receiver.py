"""An HTTP endpoint that receives Cognate's signed webhooks, for tests (standard library only).

Every POST is recorded as a Delivery: path, headers, raw body, parsed JSON and whether its
X-Cognate-Signature verified under the shared secret. A delivery with a bad or missing
signature is answered 401; otherwise the receiver answers `status` (200 by default), or 500
for the next `fail_next(n)` requests, after an optional `delay`, with `padding` extra bytes.

    with WebhookReceiver(secret="s3cret") as hook:
        ...  # start cognate with --sms-webhook-url hook.url and the secret in a file
        event = hook.next_event("+15555550100")      # waits for the next event to that number
        code = event["request"]["code"]

verify_signature() is the check a real receiver does (also shown in README.md).
"""

import hashlib
import hmac
import http.server
import json
import threading
import time
from dataclasses import dataclass, field

from loopback import LoopbackService

SIGNATURE_HEADER = "X-Cognate-Signature"
MAX_BODY = 1024 * 1024


def verify_signature(secret, header, body, now=None, tolerance=300):
    """True when `header` ("t=<unix>,v1=<hex>") signs `body` (bytes) under `secret` (str) and
    its timestamp is within `tolerance` seconds of `now`."""
    if not header:
        return False
    parts = [p.split("=", 1) for p in header.split(",") if "=" in p]
    stamps = [v for k, v in parts if k == "t"]
    macs = [v for k, v in parts if k == "v1"]
    if len(stamps) != 1 or not stamps[0].isdigit() or not macs:
        return False
    t = int(stamps[0])
    if abs((time.time() if now is None else now) - t) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, m) for m in macs)


@dataclass
class Delivery:
    path: str
    headers: dict
    body: bytes
    signature_ok: bool
    status: int                  # What the receiver answered.
    json: dict = field(default=None)

    def destination(self):
        attrs = (self.json or {}).get("request", {}).get("userAttributes", {})
        return attrs.get("phone_number") if "SMS" in self.trigger() else attrs.get("email")

    def trigger(self):
        return (self.json or {}).get("triggerSource", "")


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet
        pass

    def do_POST(self):
        hook = self.server.hook
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.answer(413)
            return
        body = self.rfile.read(length)
        ok = verify_signature(hook.secret, self.headers.get(SIGNATURE_HEADER), body)
        status = hook._next_status() if ok else 401
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
        if hook.delay:
            time.sleep(hook.delay)
        hook._record(Delivery(self.path, dict(self.headers), body, ok, status, parsed))
        self.answer(status)

    def answer(self, status):
        try:
            payload = b"{}" if status < 300 else b'{"error":"test receiver"}'
            payload += b" " * self.server.hook.padding
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass  # The sender gave up (timeout tests).


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class WebhookReceiver(LoopbackService):
    server_class = _Server
    handler_class = _Handler
    thread_name = "webhook-receiver"

    def __init__(self, secret, host="127.0.0.1", port=0, status=200, delay=0.0, padding=0):
        super().__init__(host, port)
        self.secret = secret
        self.status = status
        self.delay = delay
        self.padding = padding  # Spaces appended to every answer (large-response tests).
        self.deliveries = []
        self._failures_left = 0
        self._failure_status = 500
        self._taken = set()
        self._cond = threading.Condition()

    def attach(self, server):
        server.hook = self

    @property
    def url(self):
        return f"http://{self.host}:{self.port}/hook"

    def url_for(self, path):
        return f"http://{self.host}:{self.port}/{path.lstrip('/')}"

    # ---- behaviour -----------------------------------------------------------------------
    def fail_next(self, n, status=500):
        """Answer `status` to the next `n` correctly signed requests."""
        with self._cond:
            self._failures_left, self._failure_status = n, status

    def _next_status(self):
        with self._cond:
            if self._failures_left > 0:
                self._failures_left -= 1
                return self._failure_status
            return self.status

    # ---- received events -----------------------------------------------------------------
    def _record(self, delivery):
        with self._cond:
            self.deliveries.append(delivery)
            self._cond.notify_all()

    def deliveries_to(self, destination):
        with self._cond:
            return [d for d in self.deliveries if d.destination() == destination]

    def next_delivery(self, destination, timeout=10.0):
        """The oldest delivery to `destination` (phone number or email) that no earlier call
        returned, waiting for it. Failed (non-2xx) answers are included."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for i, d in enumerate(self.deliveries):
                    if i not in self._taken and d.destination() == destination:
                        self._taken.add(i)
                        return d
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no new webhook event for {destination} within "
                                         f"{timeout}s ({len(self.deliveries)} received in all)")
                self._cond.wait(left)

    def next_event(self, destination, timeout=10.0):
        """next_delivery's JSON event, asserting that its signature verified."""
        d = self.next_delivery(destination, timeout)
        assert d.signature_ok, f"bad signature on {d.headers.get(SIGNATURE_HEADER)!r}"
        return d.json


def _main():
    import argparse
    p = argparse.ArgumentParser(description="Test webhook receiver: prints events as JSON lines")
    p.add_argument("--port", type=int, default=8090)
    p.add_argument("--secret-file", required=True)
    args = p.parse_args()
    with open(args.secret_file) as f:
        secret = f.read().strip()
    with WebhookReceiver(secret, port=args.port) as hook:
        print(f"listening on {hook.url}", flush=True)
        seen = 0
        try:
            while True:
                with hook._cond:
                    hook._cond.wait(1)
                    new = hook.deliveries[seen:]
                    seen = len(hook.deliveries)
                for d in new:
                    print(json.dumps({"signature_ok": d.signature_ok, "event": d.json}),
                          flush=True)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    _main()
