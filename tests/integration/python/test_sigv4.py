"""SigV4 on admin actions: missing, wrong secret, unknown key, expired, tampered, wrong scope;
rejected writes change nothing. Also the generated admin-credentials file."""

import datetime
import os
import stat

import pytest

from cognate_server import free_port
from helpers import boto_client, pool_snapshot, unique
from helpers_assert import client_error
from rawclient import RawClient, check_error


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


@pytest.fixture(scope="module")
def victim_pool(raw):
    return raw.ok("CreateUserPool", {"PoolName": unique("sigv4")})["UserPool"]["Id"]


def rejected_variants(raw):
    """(description, kwargs for RawClient.call, expected __type, message check)"""
    def tamper_body(h, data):
        return h, data.replace(b"}", b', "Extra": 1}')

    def tamper_target(h, data):
        h = dict(h)
        h["X-Amz-Target"] = h["X-Amz-Target"] + "x"
        return h, data

    def drop_date(h, data):
        h = {k: v for k, v in h.items() if k.lower() != "x-amz-date"}
        return h, data

    def mangle_auth(h, data):
        h = dict(h)
        h["Authorization"] = "AWS4-HMAC-SHA256 garbage"
        return h, data

    return [
        ("unsigned", dict(sign=False), "MissingAuthenticationTokenException", None),
        ("wrong secret", dict(secret="x" * 40), "InvalidSignatureException", None),
        ("unknown access key", dict(access_key="AKIDUNKNOWN000000000"),
         "UnrecognizedClientException", None),
        ("signed 20 minutes ago", dict(timestamp=utcnow() - datetime.timedelta(minutes=20)),
         "InvalidSignatureException", "Signature expired"),
        ("signed 20 minutes ahead", dict(timestamp=utcnow() + datetime.timedelta(minutes=20)),
         "InvalidSignatureException", None),
        ("body changed after signing", dict(tamper=tamper_body), "InvalidSignatureException", None),
        ("wrong service in scope", dict(service="s3"), "InvalidSignatureException", None),
        ("malformed Authorization", dict(tamper=mangle_auth), "IncompleteSignatureException",
         None),
        ("no X-Amz-Date", dict(tamper=drop_date),
         {"IncompleteSignatureException", "InvalidSignatureException"}, None),
        ("scope date differs from X-Amz-Date", dict(date_in_scope="20200101"),
         "InvalidSignatureException", None),
    ]


def _check_rejections(raw, action, body_fn):
    for desc, kw, expected, msg in rejected_variants(raw):
        r = raw.call(action, body_fn(), **kw)
        try:
            check_error(action, r, expected)
        except AssertionError as e:
            raise AssertionError(f"[{desc}] {e}") from None
        if msg:
            assert msg in (r.message or ""), f"[{desc}] message {r.message!r} lacks {msg!r}"


def test_rejected_create_changes_nothing(raw):
    before = pool_snapshot(raw)
    _check_rejections(raw, "CreateUserPool", lambda: {"PoolName": unique("forged")})
    assert pool_snapshot(raw) == before


def test_rejected_delete_changes_nothing(raw, victim_pool):
    before = pool_snapshot(raw)
    _check_rejections(raw, "DeleteUserPool", lambda: {"UserPoolId": victim_pool})
    assert pool_snapshot(raw) == before
    assert raw.ok("DescribeUserPool", {"UserPoolId": victim_pool})["UserPool"]["Id"] == victim_pool


def test_rejected_reads(raw, victim_pool):
    _check_rejections(raw, "DescribeUserPool", lambda: {"UserPoolId": victim_pool})
    _check_rejections(raw, "ListUserPools", lambda: {"MaxResults": 10})


def test_signature_expired_message(raw):
    r = raw.call("ListUserPools", {"MaxResults": 1},
                 timestamp=utcnow() - datetime.timedelta(minutes=20))
    check_error("ListUserPools", r, "InvalidSignatureException")
    assert "Signature expired" in r.message, r.message


def test_small_clock_skew_accepted(raw):
    for minutes in (-4, 4):
        raw.ok("ListUserPools", {"MaxResults": 1},
               timestamp=utcnow() + datetime.timedelta(minutes=minutes))


def test_boto3_with_wrong_credentials(server, cognito):
    bad_secret = boto_client(server, secret="y" * 40)
    client_error(bad_secret.list_user_pools, MaxResults=10, code="InvalidSignatureException")
    unknown = boto_client(server, access_key="AKIDNOTKNOWN00000000")
    client_error(unknown.list_user_pools, MaxResults=10, code="UnrecognizedClientException")
    before = [p["Id"] for p in cognito.list_user_pools(MaxResults=60)["UserPools"]]
    client_error(bad_secret.create_user_pool, PoolName=unique("x"),
                 code="InvalidSignatureException")
    assert [p["Id"] for p in cognito.list_user_pools(MaxResults=60)["UserPools"]] == before


def test_signed_with_unsigned_optional_headers(raw):
    """Only some headers signed (host + x-amz-date + x-amz-target): still valid."""
    raw.ok("ListUserPools", {"MaxResults": 1},
           signed_names=["host", "x-amz-date", "x-amz-target"])


def test_unsigned_header_cannot_be_swapped(raw, victim_pool):
    """X-Amz-Target is signed; changing it afterwards breaks the signature."""
    def swap(h, data):
        h = dict(h)
        h["X-Amz-Target"] = "AWSCognitoIdentityProviderService.DeleteUserPool"
        return h, data
    r = raw.call("DescribeUserPool", {"UserPoolId": victim_pool}, tamper=swap)
    check_error("DeleteUserPool", r, "InvalidSignatureException")
    assert raw.ok("DescribeUserPool", {"UserPoolId": victim_pool})


def test_generated_admin_credentials(start_server):
    s = start_server(env_credentials=False)
    path = os.path.join(s.data_dir, "admin-credentials")
    st = os.stat(path)
    assert stat.S_IMODE(st.st_mode) == 0o600, oct(st.st_mode)
    ak, sk = s.credentials
    assert ak and sk and len(sk) >= 32, (ak, sk)
    log = s.log_text()
    assert sk in log, "first start should print the generated secret once"
    c = RawClient(s.endpoint, ak, sk)
    pid = c.ok("CreateUserPool", {"PoolName": "gen"})["UserPool"]["Id"]
    c.err("ListUserPools", {"MaxResults": 1}, "InvalidSignatureException", secret=sk[::-1])
    # Restart on the same data: same credentials, not printed again, data still there.
    with open(path) as f:
        content = f.read()
    code, _ = s.stop()
    assert code == 0, f"SIGTERM exit code {code}"
    log_len = len(s.log_text())
    s.start(port=free_port())
    with open(path) as f:
        assert f.read() == content, "admin-credentials rewritten on restart"
    assert sk not in s.log_text()[log_len:], "secret printed again on the second start"
    c = RawClient(s.endpoint, ak, sk)
    assert c.ok("DescribeUserPool", {"UserPoolId": pid})["UserPool"]["Name"] == "gen"


def test_signed_header_whitespace_is_canonicalised(raw):
    """SigV4 trims header values and collapses inner runs of spaces before signing."""
    raw.ok("ListUserPools", {"MaxResults": 1},
           headers={"X-Amz-User-Agent": "  aws-sdk-js/3.0   os/linux  lang/js  ",
                    "Amz-Sdk-Request": "attempt=1;  max=3"})


def test_lower_case_header_names(raw):
    """Header names are case-insensitive (JS SDK v3 sends them lower-case)."""
    h, data = raw.build("ListUserPools", {"MaxResults": 1}, sign=False)
    h = {k.lower(): v for k, v in h.items()}
    from rawclient import sigv4_headers
    h = {k.lower(): v for k, v in sigv4_headers("POST", "/", h, data, *raw_creds(raw)).items()}
    r = raw.send("POST", "/", h, data)
    assert r.status == 200, r


def raw_creds(raw):
    return raw.access_key, raw.secret
