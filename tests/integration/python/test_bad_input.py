"""Malformed and hostile input: bad JSON, wrong types, missing/oversized fields, oversized
bodies and headers, slow clients. The answer is a clear typed error (or a closed connection for
transport abuse), the server keeps serving, and stored data is unchanged."""

import os
import select
import socket
import threading
import time

import pytest

from helpers import pool_snapshot, unique
from rawclient import TARGET_PREFIX, check_error

SLOWLORIS_SECONDS = float(os.environ.get("COGNATE_TEST_SLOWLORIS_SECONDS", "16"))


@pytest.fixture(scope="module")
def snapshot(raw):
    return pool_snapshot(raw)


@pytest.fixture(autouse=True)
def unchanged(raw, snapshot):
    yield
    assert pool_snapshot(raw) == snapshot, "bad input changed the stored pools"


# ---------------------------------------------------------------------------------------------
# JSON body problems


@pytest.mark.parametrize("body", [
    b"{not json", b"", b"{", b'{"MaxResults": 10', b'{"MaxResults": 10}}', b"\x00\x01\x02",
    b'{"MaxResults": 10,}', b"{'MaxResults': 10}",
])
def test_non_json_body(raw, body):
    r = raw.call("ListUserPools", raw_body=body)
    if body == b"":
        # An empty body may be read as {} (then MaxResults is missing).
        check_error("ListUserPools", r, {"SerializationException", "InvalidParameterException"})
    else:
        check_error("ListUserPools", r, "SerializationException")


@pytest.mark.parametrize("body", [b"[]", b'[{"MaxResults": 10}]', b'"MaxResults"', b"42",
                                  b"null", b"true"])
def test_json_that_is_not_an_object(raw, body):
    r = raw.call("ListUserPools", raw_body=body)
    check_error("ListUserPools", r, "SerializationException")


def test_invalid_utf8(raw):
    r = raw.call("CreateUserPool", raw_body=b'{"PoolName": "abc\xff\xfe"}')
    check_error("CreateUserPool", r, {"SerializationException", "InvalidParameterException"})


def test_deeply_nested_json(raw):
    body = b'{"MaxResults": 10, "X": ' + b"[" * 100000 + b"]" * 100000 + b"}"
    r = raw.call("ListUserPools", raw_body=body)
    assert r.status in (400, 413), r
    if r.status == 400:
        check_error("ListUserPools", r, {"SerializationException", "InvalidParameterException"})


@pytest.mark.parametrize("action,body", [
    ("ListUserPools", {"MaxResults": "10"}),
    ("ListUserPools", {"MaxResults": 10.5}),
    ("ListUserPools", {"MaxResults": True}),
    ("ListUserPools", {"MaxResults": [10]}),
    ("ListUserPools", {"MaxResults": 10, "NextToken": 5}),
    ("CreateUserPool", {"PoolName": 123}),
    ("CreateUserPool", {"PoolName": ["a"]}),
    ("CreateUserPool", {"PoolName": "x", "Policies": "strict"}),
    ("CreateUserPool", {"PoolName": "x", "Schema": {"Name": "a"}}),
    ("CreateUserPool", {"PoolName": "x", "UserPoolTags": ["a", "b"]}),
    ("CreateUserPool", {"PoolName": "x", "UserPoolTags": {"a": 1}}),
    ("CreateUserPool", {"PoolName": "x", "Policies": {"PasswordPolicy": {"MinimumLength": "8"}}}),
    ("CreateUserPool", {"PoolName": "x", "Policies": {"PasswordPolicy": {"RequireNumbers": "true"}}}),
    ("CreateUserPool", {"PoolName": "x", "AutoVerifiedAttributes": "email"}),
    ("CreateUserPool", {"PoolName": None}),
])
def test_wrong_field_types(raw, action, body):
    if body.get("PoolName") == "x":
        body = dict(body, PoolName=unique("wrongtype"))
    r = raw.call(action, body)
    if body.get("PoolName", "") is None:
        # null for a required member: botocore-style "must not be null" or a type error.
        check_error(action, r, {"SerializationException", "InvalidParameterException"})
    else:
        check_error(action, r, "SerializationException")


def test_huge_number(raw):
    r = raw.call("ListUserPools", raw_body=b'{"MaxResults": 1e400}')
    check_error("ListUserPools", r, {"SerializationException", "InvalidParameterException"})
    r = raw.call("ListUserPools", raw_body=b'{"MaxResults": 99999999999999999999999}')
    check_error("ListUserPools", r, {"SerializationException", "InvalidParameterException"})


@pytest.mark.parametrize("action,body,field", [
    ("CreateUserPool", {}, "poolName"),
    ("DescribeUserPool", {}, "userPoolId"),
    ("DeleteUserPool", {}, "userPoolId"),
    ("ListUserPools", {"NextToken": "abc"}, "maxResults"),
    ("CreateUserPoolClient", {"ClientName": "c"}, "userPoolId"),
    ("AddCustomAttributes", {"UserPoolId": "us-east-1_ZZZZZZZZZ"}, "customAttributes"),
])
def test_missing_required_field(raw, action, body, field):
    r = raw.call(action, body)
    check_error(action, r, "InvalidParameterException")
    assert field in r.message, f"message should name {field!r}: {r.message!r}"
    assert "null" in r.message, f"Coral-style 'must not be null' expected: {r.message!r}"


def test_too_long_pool_name(raw):
    r = raw.call("CreateUserPool", {"PoolName": "p" * 129})
    check_error("CreateUserPool", r, "InvalidParameterException")
    assert "poolName" in r.message, r.message
    check_error("CreateUserPool", raw.call("CreateUserPool", {"PoolName": ""}),
                "InvalidParameterException")
    check_error("CreateUserPool", raw.call("CreateUserPool", {"PoolName": "bad/name!"}),
                "InvalidParameterException")


def test_multiple_violations_reported(raw):
    r = raw.call("CreateUserPool", {"PoolName": "p" * 129,
                                    "Policies": {"PasswordPolicy": {"MinimumLength": 200}}})
    check_error("CreateUserPool", r, "InvalidParameterException")
    assert r.message.startswith("2 validation errors detected"), r.message


def test_unknown_members_ignored(raw):
    page = raw.ok("ListUserPools", {"MaxResults": 1, "SomethingElse": {"deep": [1, 2]}})
    assert "UserPools" in page


# ---------------------------------------------------------------------------------------------
# Transport abuse (raw sockets)


def exchange(raw, payload, read_timeout=10.0, chunk=65536, watch=False):
    """Sends `payload` (bytes or list of bytes) and reads one response.
    watch=True sends in 4 KiB pieces and stops sending as soon as the server answers, so an
    early error response is not lost to a reset caused by unread request bytes.
    Returns (status or None, response bytes, how: 'response' | 'closed' | 'reset' | 'timeout')."""
    s = socket.create_connection((raw.host, raw.port), timeout=read_timeout)
    how = None
    data = b""
    if watch:
        chunk = 4096
    try:
        parts = payload if isinstance(payload, list) else [payload]
        try:
            for p in parts:
                for i in range(0, len(p), chunk):
                    s.sendall(p[i:i + chunk])
                    if watch and select.select([s], [], [], 0.005)[0]:
                        raise StopIteration
        except StopIteration:
            pass
        except (BrokenPipeError, ConnectionResetError):
            how = "reset"
        deadline = time.monotonic() + read_timeout
        while time.monotonic() < deadline:
            try:
                b = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                how = how or "reset"
                break
            if not b:
                how = how or "closed"
                break
            data += b
            if _complete(data):
                break
        if not data and how is None:
            how = "timeout"
    finally:
        s.close()
    status = None
    if data.startswith(b"HTTP/1."):
        try:
            status = int(data.split(b" ", 2)[1])
        except (IndexError, ValueError):
            status = None
        how = "response"
    return status, data, how


def _complete(data):
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        return False
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            return len(body) >= int(v.strip())
    return False


def _request_head(raw, content_length, extra=b""):
    return (f"POST / HTTP/1.1\r\nHost: {raw.host_header}\r\n"
            f"Content-Type: application/x-amz-json-1.1\r\n"
            f"X-Amz-Target: {TARGET_PREFIX}.CreateUserPool\r\n"
            f"Content-Length: {content_length}\r\n").encode() + extra + b"\r\n"


def _assert_rejected(status, data, how, allowed, what, need_response=False):
    assert how != "timeout", f"{what}: no answer and connection left open"
    if need_response:
        assert how == "response", \
            f"{what}: connection {how} without an HTTP {'/'.join(map(str, allowed))} response"
    if how == "response":
        assert status in allowed, f"{what}: expected one of {allowed}, got {data[:300]!r}"
        head = data.partition(b"\r\n\r\n")[0].lower()
        assert b"\r\nx-amzn-requestid:" in head, f"{what}: no x-amzn-RequestId: {data[:300]!r}"
        if status == 400:
            head, _, body = data.partition(b"\r\n\r\n")
            assert b"__type" in body, f"{what}: 400 without a typed error: {data[:300]!r}"


def test_two_mib_body(raw):
    h, body = raw.build("CreateUserPool", {"PoolName": "x" * (2 * 1024 * 1024)})
    head = "POST / HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in h.items()) + \
        f"Content-Length: {len(body)}\r\n\r\n"
    status, data, how = exchange(raw, [head.encode(), body])
    _assert_rejected(status, data, how, (400, 413), "2 MiB body")
    raw.ok("ListUserPools", {"MaxResults": 1})


def test_huge_declared_content_length_answered_promptly(raw):
    t0 = time.monotonic()
    status, data, how = exchange(raw, _request_head(raw, 10 * 1024 ** 3), read_timeout=5)
    assert how != "timeout", "declared 10 GiB body: the server waited for it"
    if how == "response":
        assert status in (400, 413), data[:300]
    assert time.monotonic() - t0 < 5
    raw.ok("ListUserPools", {"MaxResults": 1})


def test_ten_thousand_headers(raw):
    extra = b"".join(b"X-Header-%d: value-%d\r\n" % (i, i) for i in range(10000))
    status, data, how = exchange(raw, _request_head(raw, 2, extra) + b"{}", watch=True)
    _assert_rejected(status, data, how, (400, 431), "10,000 headers", need_response=True)
    raw.ok("ListUserPools", {"MaxResults": 1})


def test_moderately_large_headers_accepted(raw):
    """~12 KiB of headers (6 x 2 KiB, e.g. cookies/tracing) is a normal request: answered 200."""
    extra = {f"X-Pad-{i}": "p" * 2048 for i in range(6)}
    h, body = raw.build("ListUserPools", {"MaxResults": 1}, headers=extra)
    head = "POST / HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in h.items()) + \
        f"Content-Length: {len(body)}\r\n\r\n"
    status, data, how = exchange(raw, head.encode() + body, watch=True)
    assert status == 200, f"12 KiB of headers: {how} {data[:300]!r}"


def test_one_huge_header(raw):
    extra = b"X-Big: " + b"a" * (256 * 1024) + b"\r\n"
    status, data, how = exchange(raw, _request_head(raw, 2, extra) + b"{}", watch=True)
    _assert_rejected(status, data, how, (400, 431), "256 KiB header", need_response=True)
    raw.ok("ListUserPools", {"MaxResults": 1})


def test_garbage_request_line(raw):
    status, data, how = exchange(raw, b"HELLO THERE\r\n\r\n", read_timeout=5)
    _assert_rejected(status, data, how, (400, 505), "garbage request line")
    status, data, how = exchange(raw, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64,
                                 read_timeout=5)  # a TLS ClientHello on the plain port
    _assert_rejected(status, data, how, (400,), "TLS hello")
    raw.ok("ListUserPools", {"MaxResults": 1})


def test_truncated_body_then_close(raw):
    s = socket.create_connection((raw.host, raw.port), timeout=5)
    s.sendall(_request_head(raw, 100) + b'{"PoolName":')
    s.close()
    raw.ok("ListUserPools", {"MaxResults": 1})


def test_chunked_request_body(raw):
    h, body = raw.build("ListUserPools", {"MaxResults": 1})
    head = "POST / HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in h.items()) + \
        "Transfer-Encoding: chunked\r\n\r\n"
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    status, data, how = exchange(raw, head.encode() + chunked)
    assert status == 200, data[:400]


def test_slow_loris(raw):
    """Connections that trickle header bytes (1 byte / 0.5 s) are closed by the server's read
    deadline, while normal clients keep being served promptly."""
    conns = []
    for _ in range(8):
        s = socket.create_connection((raw.host, raw.port), timeout=5)
        s.setblocking(False)
        conns.append(s)
    stream = (f"POST / HTTP/1.1\r\nHost: {raw.host_header}\r\nX-Amz-Target: {TARGET_PREFIX}."
              f"ListUserPools\r\nX-Slow: ").encode() + b"a" * 100000
    pos = [0] * len(conns)
    closed_at = [None] * len(conns)
    latencies = []
    errors = []
    stop = threading.Event()

    def normal_client():
        while not stop.is_set():
            t = time.monotonic()
            try:
                raw.ok("ListUserPools", {"MaxResults": 1})
                latencies.append(time.monotonic() - t)
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(repr(e))
            stop.wait(1.0)

    th = threading.Thread(target=normal_client, daemon=True)
    th.start()
    t0 = time.monotonic()
    try:
        while time.monotonic() - t0 < SLOWLORIS_SECONDS and None in closed_at:
            for i, s in enumerate(conns):
                if closed_at[i] is not None:
                    continue
                try:
                    s.send(stream[pos[i]:pos[i] + 1])
                    pos[i] += 1
                except (BrokenPipeError, ConnectionResetError):
                    closed_at[i] = time.monotonic() - t0
                    continue
                except BlockingIOError:
                    pass
                r, _, _ = select.select([s], [], [], 0)
                if r:
                    try:
                        b = s.recv(4096)
                    except (ConnectionResetError, BlockingIOError):
                        b = b""
                    # Either a close (b"") or an error response (e.g. 408) ends the attack.
                    closed_at[i] = time.monotonic() - t0
                    if b:
                        assert b.startswith(b"HTTP/1.1 4"), f"slow client got {b[:200]!r}"
            time.sleep(0.5)
    finally:
        stop.set()
        th.join(10)
        for s in conns:
            s.close()
    assert not errors, f"normal clients failed during the slow-loris attack: {errors[:3]}"
    assert latencies, "normal client never completed"
    assert max(latencies) < 3.0, f"normal client latencies during attack: {latencies}"
    assert None not in closed_at, \
        (f"server kept trickling connections open for {SLOWLORIS_SECONDS}s "
         f"(sent {pos} bytes; closed at {closed_at})")


def test_many_idle_connections_do_not_block_service(raw):
    """Connections that never send anything (the server may keep them for its keep-alive idle
    timeout) do not stop other clients from being served."""
    idle = []
    try:
        for _ in range(64):
            idle.append(socket.create_connection((raw.host, raw.port), timeout=5))
        for _ in range(5):
            t = time.monotonic()
            raw.ok("ListUserPools", {"MaxResults": 1})
            assert time.monotonic() - t < 2.0
    finally:
        for s in idle:
            s.close()


def test_zz_server_still_serves(raw, snapshot):
    assert raw.get("/health").status == 200
    assert pool_snapshot(raw) == snapshot
    pid = raw.ok("CreateUserPool", {"PoolName": unique("after-abuse")})["UserPool"]["Id"]
    raw.ok("DeleteUserPool", {"UserPoolId": pid})
