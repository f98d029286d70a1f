"""AWS JSON 1.1 protocol details: request ids, content types, error headers, CORS, /health,
unknown actions, keep-alive."""

import http.client
import json
import re

import pytest

from rawclient import JSON_CT, TARGET_PREFIX, check_error
from helpers import unique

UUIDISH = re.compile(r"^[0-9A-Za-z-]{16,}$")
UNKNOWN_ACTION_TYPES = {"UnknownOperationException", "InvalidAction"}


def test_request_id_on_success_and_errors(raw):
    ids = []
    r = raw.call("ListUserPools", {"MaxResults": 5})
    assert r.status == 200
    ids.append(r.header("x-amzn-RequestId"))
    r = raw.call("DescribeUserPool", {"UserPoolId": "us-east-1_ZZZZZZZZZ"})
    assert r.status == 400
    ids.append(r.header("x-amzn-RequestId"))
    r = raw.call("ListUserPools", {"MaxResults": 5}, sign=False)
    assert r.status == 400
    ids.append(r.header("x-amzn-RequestId"))
    r = raw.call("NoSuchAction", {})
    ids.append(r.header("x-amzn-RequestId"))
    r = raw.call("ListUserPools", raw_body=b"{not json")
    ids.append(r.header("x-amzn-RequestId"))
    for i in ids:
        assert i and UUIDISH.match(i), f"missing or odd x-amzn-RequestId: {ids}"
    assert len(set(ids)) == len(ids), f"request ids repeat: {ids}"


def test_success_content_type(raw):
    r = raw.call("ListUserPools", {"MaxResults": 1})
    assert r.status == 200
    assert r.header("Content-Type", "").split(";")[0].strip() == JSON_CT
    assert int(r.header("Content-Length", len(r.body))) == len(r.body)


def test_error_format(raw):
    r = raw.call("DescribeUserPool", {"UserPoolId": "us-east-1_ZZZZZZZZZ"})
    check_error("DescribeUserPool", r, "ResourceNotFoundException")
    assert r.header("Content-Type", "").split(";")[0].strip() == JSON_CT
    assert isinstance(r.json.get("message"), str) and r.json["message"]
    assert "#" not in r.json["__type"], "send the bare error name"


def test_empty_output_is_empty_object(raw):
    pid = raw.ok("CreateUserPool", {"PoolName": unique("empty")})["UserPool"]["Id"]
    r = raw.call("UpdateUserPool", {"UserPoolId": pid})
    assert r.status == 200, r
    assert r.body.strip() == b"{}", f"empty output must be the JSON body {{}}, got {r.body!r}"
    r = raw.call("DeleteUserPool", {"UserPoolId": pid})
    assert r.status == 200 and r.body.strip() == b"{}", r


@pytest.mark.parametrize("target", [
    f"{TARGET_PREFIX}.NoSuchAction",
    f"{TARGET_PREFIX}.",
    "SomeOtherService.ListUserPools",
    f"{TARGET_PREFIX}.listuserpools",
    "garbage",
])
def test_unknown_action(raw, target):
    before = raw.ok("ListUserPools", {"MaxResults": 60})
    r = raw.call("ListUserPools", {"MaxResults": 10}, target=target)
    check_error("<unknown>", r, UNKNOWN_ACTION_TYPES)
    assert raw.ok("ListUserPools", {"MaxResults": 60}) == before


def test_missing_target(raw):
    r = raw.call("ListUserPools", {"MaxResults": 10}, target=False)
    assert r.status == 400, r
    check_error("<unknown>", r, UNKNOWN_ACTION_TYPES | {"MissingAuthenticationTokenException",
                                                        "SerializationException"})


def test_health(raw):
    r = raw.get("/health")
    assert r.status == 200
    assert r.json is not None, f"/health is not JSON: {r.body!r}"
    assert r.header("Content-Type", "").startswith("application/json")
    assert r.header("x-amzn-RequestId"), "GET /health without x-amzn-RequestId"


CORS_REQUEST_HEADERS = ["content-type", "x-amz-target", "x-amz-user-agent", "authorization",
                        "x-amz-date", "x-amz-security-token", "x-amz-content-sha256",
                        "amz-sdk-invocation-id", "amz-sdk-request", "cache-control"]


def test_cors_preflight(raw):
    origin = "http://localhost:3000"
    r = raw.request("OPTIONS", "/", {
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": ",".join(CORS_REQUEST_HEADERS)})
    assert r.status in (200, 204), f"preflight: {r.status} {r.body[:200]!r}"
    assert r.header("x-amzn-RequestId"), "preflight without x-amzn-RequestId"
    allow_origin = r.header("Access-Control-Allow-Origin")
    assert allow_origin in ("*", origin), f"Access-Control-Allow-Origin: {allow_origin!r}"
    methods = {m.strip().upper() for m in (r.header("Access-Control-Allow-Methods") or "").split(",")}
    assert "POST" in methods or "*" in methods, f"Allow-Methods {methods}"
    allowed = {h.strip().lower() for h in (r.header("Access-Control-Allow-Headers") or "").split(",")}
    if "*" not in allowed:
        missing = set(CORS_REQUEST_HEADERS) - allowed
        assert not missing, f"Access-Control-Allow-Headers lacks {sorted(missing)}: {allowed}"


def test_cors_headers_on_actual_response(raw):
    origin = "http://localhost:3000"
    for body, action in (({"MaxResults": 1}, "ListUserPools"),
                         ({"UserPoolId": "us-east-1_ZZZZZZZZZ"}, "DescribeUserPool")):
        r = raw.call(action, body, headers={"Origin": origin})
        allow_origin = r.header("Access-Control-Allow-Origin")
        assert allow_origin in ("*", origin), f"{action} {r.status}: Allow-Origin {allow_origin!r}"
        exposed = {h.strip().lower()
                   for h in (r.header("Access-Control-Expose-Headers") or "").split(",")}
        assert {"x-amzn-requestid", "x-amzn-errortype"} <= exposed or "*" in exposed, \
            f"{action}: Access-Control-Expose-Headers {exposed}"


def test_keep_alive(raw):
    conn = http.client.HTTPConnection(raw.host, raw.port, timeout=10)
    try:
        for i in range(3):
            h, data = raw.build("ListUserPools", {"MaxResults": 1})
            conn.putrequest("POST", "/", skip_host=True, skip_accept_encoding=True)
            for k, v in h.items():
                conn.putheader(k, v)
            conn.putheader("Content-Length", str(len(data)))
            conn.endheaders(data)
            resp = conn.getresponse()
            body = resp.read()
            assert resp.status == 200, (i, resp.status, body)
            json.loads(body)
    finally:
        conn.close()


def test_public_action_needs_no_signature(raw):
    """SignUp is an unauthenticated operation: an unsigned call must not be rejected for the
    missing signature (the unknown client is what is wrong)."""
    r = raw.call("SignUp", {"ClientId": "abcdefghijklmnopqrstuvwxyz", "Username": "someone",
                            "Password": "Passw0rd!"}, sign=False)
    assert r.status != 200
    assert r.error_type not in ("MissingAuthenticationTokenException",
                                "IncompleteSignatureException", "UnrecognizedClientException",
                                "InvalidSignatureException"), r
    assert r.error_type is not None, r


def test_get_on_api_root_is_not_a_server_error(raw):
    r = raw.get("/")
    assert 200 <= r.status < 500, r
    r = raw.request("PUT", "/", {"Content-Type": JSON_CT}, b"{}")
    assert 400 <= r.status < 500, r


def test_unknown_path_get_is_404(raw):
    r = raw.get("/definitely/not/here")
    assert r.status == 404, r
    assert r.header("x-amzn-RequestId"), "404 without x-amzn-RequestId"


def read_http_responses(sock, count, timeout=10):
    """Reads `count` Content-Length-delimited responses; returns [(status, body)]."""
    import time
    buf = b""
    out = []
    deadline = time.monotonic() + timeout
    while len(out) < count and time.monotonic() < deadline:
        head, sep, rest = buf.partition(b"\r\n\r\n")
        if sep:
            length = 0
            for line in head.split(b"\r\n")[1:]:
                k, _, v = line.partition(b":")
                if k.strip().lower() == b"content-length":
                    length = int(v.strip())
            if len(rest) >= length:
                out.append((int(head.split(b" ", 2)[1]), rest[:length]))
                buf = rest[length:]
                continue
        chunk = sock.recv(65536)
        if not chunk:
            break
        buf += chunk
    return out


def test_pipelined_requests(raw):
    """Two requests written back to back on one connection are both answered, in order."""
    import socket
    reqs = b""
    for max_results in (1, 2):
        h, data = raw.build("ListUserPools", {"MaxResults": max_results})
        reqs += ("POST / HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in h.items()) +
                 f"Content-Length: {len(data)}\r\n\r\n").encode() + data
    s = socket.create_connection((raw.host, raw.port), timeout=10)
    try:
        s.sendall(reqs)
        got = read_http_responses(s, 2)
    finally:
        s.close()
    assert [st for st, _ in got] == [200, 200], got
    for _, body in got:
        json.loads(body)


def test_expect_100_continue(raw):
    import socket
    h, data = raw.build("ListUserPools", {"MaxResults": 1})
    head = ("POST / HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in h.items()) +
            f"Content-Length: {len(data)}\r\nExpect: 100-continue\r\n\r\n").encode()
    s = socket.create_connection((raw.host, raw.port), timeout=10)
    try:
        s.sendall(head)
        interim = s.recv(1024)
        assert interim.startswith(b"HTTP/1.1 100"), interim
        s.sendall(data)
        buf = b""
        while b"\r\n\r\n" not in buf:
            buf += s.recv(65536)
        assert buf.startswith(b"HTTP/1.1 200"), buf[:200]
    finally:
        s.close()
