"""A small raw client for the Cognito JSON 1.1 API: builds the request by hand, signs it with
SigV4 (our own signer, checked against botocore in test_harness_selfcheck.py), sends it with
http.client on a fresh connection, and returns status, headers and body untouched, so tests
can look at exactly what the server sent.
"""

import datetime
import hashlib
import hmac
import http.client
import json
import re

from shapes import GENERIC_ERRORS, model

TARGET_PREFIX = "AWSCognitoIdentityProviderService"
JSON_CT = "application/x-amz-json-1.1"
SIGV4_FMT = "%Y%m%dT%H%M%SZ"


def _hmac(key, msg):
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def signing_key(secret, date, region, service):
    k = _hmac(("AWS4" + secret).encode("utf-8"), date)
    k = _hmac(k, region)
    k = _hmac(k, service)
    return _hmac(k, "aws4_request")


def sigv4_headers(method, path, headers, body, access_key, secret, region="us-east-1",
                  service="cognito-idp", timestamp=None, signed_names=None,
                  date_in_scope=None, include_date_header=True):
    """Returns a new header dict with X-Amz-Date and Authorization added.

    headers: dict of headers that will be sent (must include Host).
    timestamp: datetime (UTC) to sign with; default now.
    signed_names: which (lower-case) header names to sign; default all given.
    date_in_scope: override for the yyyymmdd in the credential scope (default: from timestamp).
    """
    ts = timestamp or datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    amz_date = ts.strftime(SIGV4_FMT)
    out = dict(headers)
    if include_date_header:
        out["X-Amz-Date"] = amz_date
    lower = {}
    for k, v in out.items():
        lower.setdefault(k.lower(), []).append(v)
    names = sorted(signed_names) if signed_names is not None else sorted(lower)
    canonical_headers = "".join(
        f"{n}:{','.join(' '.join(str(v).split()) for v in lower.get(n, ['']))}\n" for n in names)
    signed = ";".join(names)
    payload_hash = hashlib.sha256(body).hexdigest()
    canonical_request = "\n".join([method, path, "", canonical_headers, signed, payload_hash])
    date = date_in_scope or amz_date[:8]
    scope = f"{date}/{region}/{service}/aws4_request"
    string_to_sign = "\n".join([
        "AWS4-HMAC-SHA256", amz_date, scope,
        hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()])
    sig = hmac.new(signing_key(secret, date, region, service), string_to_sign.encode("utf-8"),
                   hashlib.sha256).hexdigest()
    out["Authorization"] = (f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, "
                            f"SignedHeaders={signed}, Signature={sig}")
    return out


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # list of (name, value)
        self.body = body
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None

    def header(self, name, default=None):
        n = name.lower()
        for k, v in self.headers:
            if k.lower() == n:
                return v
        return default

    def header_all(self, name):
        n = name.lower()
        return [v for k, v in self.headers if k.lower() == n]

    @property
    def error_type(self):
        if isinstance(self.json, dict):
            t = self.json.get("__type")
            if isinstance(t, str):
                return t.split("#")[-1]
        return None

    @property
    def message(self):
        if isinstance(self.json, dict):
            return self.json.get("message", self.json.get("Message"))
        return None

    def __repr__(self):
        return f"<Response {self.status} {self.body[:400]!r}>"


class RawClient:
    def __init__(self, endpoint, access_key=None, secret=None, region="us-east-1", timeout=15):
        m = re.match(r"http://([^:/]+):(\d+)", endpoint)
        self.endpoint = endpoint
        self.host = m.group(1)
        self.port = int(m.group(2))
        self.access_key = access_key
        self.secret = secret
        self.region = region
        self.timeout = timeout

    @property
    def host_header(self):
        return f"{self.host}:{self.port}"

    def build(self, action, body=None, *, raw_body=None, sign=True, headers=None,
              access_key=None, secret=None, region=None, service="cognito-idp",
              timestamp=None, target=None, path="/", **sign_kw):
        """Returns (headers dict, body bytes) for a request."""
        if raw_body is not None:
            data = raw_body if isinstance(raw_body, bytes) else raw_body.encode("utf-8")
        else:
            data = json.dumps(body if body is not None else {}).encode("utf-8")
        h = {"Host": self.host_header, "Content-Type": JSON_CT}
        if target is not False:
            h["X-Amz-Target"] = target if target is not None else f"{TARGET_PREFIX}.{action}"
        if headers:
            h.update(headers)
        if sign:
            h = sigv4_headers("POST", path, h, data, access_key or self.access_key,
                              secret or self.secret, region=region or self.region,
                              service=service, timestamp=timestamp, **sign_kw)
        return h, data

    def send(self, method, path, headers, data):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for k, v in headers.items():
                conn.putheader(k, v)
            if data is not None and not any(k.lower() == "content-length" for k in headers):
                conn.putheader("Content-Length", str(len(data)))
            conn.endheaders(data if data else None)
            r = conn.getresponse()
            return Response(r.status, r.getheaders(), r.read())
        finally:
            conn.close()

    def call(self, action, body=None, *, tamper=None, path="/", **kw):
        h, data = self.build(action, body, path=path, **kw)
        if tamper is not None:
            h, data = tamper(h, data)
        return self.send("POST", path, h, data)

    def get(self, path, headers=None):
        h = {"Host": self.host_header}
        h.update(headers or {})
        return self.send("GET", path, h, None)

    def request(self, method, path, headers=None, data=None):
        h = {"Host": self.host_header}
        h.update(headers or {})
        return self.send(method, path, h, data)

    # ---- assertions ---------------------------------------------------------------------------
    def ok(self, action, body=None, **kw):
        """Calls `action`, asserts 200 and that the body matches the model's output shape."""
        r = self.call(action, body, **kw)
        assert r.status == 200, \
        f"{action} {_short(repr(body), 300)}: expected 200, got {r.status} {_short(r.body)}"
        check_success(action, r)
        return r.json

    def err(self, action, body=None, expected=None, status=400, **kw):
        """Calls `action`, asserts a well-formed error of type `expected` (str or set)."""
        r = self.call(action, body, **kw)
        check_error(action, r, expected, status, request=body)
        return r


def check_success(action, r):
    assert r.header("x-amzn-RequestId"), f"{action}: no x-amzn-RequestId header: {r.headers}"
    assert r.json is not None and isinstance(r.json, dict), \
        f"{action}: success body is not a JSON object: {_short(r.body)}"
    problems = model().check_output(action, r.json)
    assert not problems, f"{action}: response does not match the model:\n  " + \
        "\n  ".join(problems[:20]) + f"\nbody: {_short(r.body, 1500)}"


def _short(b, n=700):
    s = b.decode("utf-8", "replace") if isinstance(b, bytes) else str(b)
    return s if len(s) <= n else s[:n] + f"...<{len(s) - n} more>"


def check_error(action, r, expected=None, status=400, request=None):
    where = f"{action} {_short(repr(request), 300)}" if request is not None else action
    if isinstance(expected, str):
        expected = {expected}
    want = f"{sorted(expected) if expected else 'an error'} (HTTP {status})"
    assert r.status != 200, f"{where}: expected {want}, got 200 {_short(r.body)}"
    assert r.json is not None, \
        f"{where}: expected {want}; error body is not JSON (status {r.status}): {_short(r.body)}"
    problems = model().check_error_body(action, r.json)
    assert not problems, f"{where}: expected {want}, got {r.status}: " + \
        "; ".join(_short(p, 300) for p in problems)
    if expected is not None:
        assert r.error_type in expected, \
            f"{where}: expected {want}, got {r.status} {_short(r.body)}"
    if status is not None:
        assert r.status == status, f"{where}: expected HTTP {status}, got {r.status} {_short(r.body)}"
    hdr = r.header("x-amzn-ErrorType")
    assert hdr, f"{where}: error response lacks x-amzn-ErrorType header: {r.headers}"
    assert hdr.split(":")[0].split("#")[-1] == r.error_type, \
        f"{where}: x-amzn-ErrorType {hdr!r} disagrees with __type {r.json.get('__type')!r}"
    assert r.header("x-amzn-RequestId"), f"{where}: error lacks x-amzn-RequestId"
    declared = model().operation_errors(action)
    if declared:
        assert r.error_type in declared | GENERIC_ERRORS, \
            f"{where}: error type {r.error_type} is neither modelled for {action} nor generic"
