"""Per-pool JWKS and OpenID discovery documents."""

import base64
import json

import pytest
from jwt.algorithms import RSAAlgorithm

from helpers import unique


def b64url_decode(s):
    assert "=" not in s, f"base64url value must be unpadded: {s!r}"
    assert all(c.isalnum() or c in "-_" for c in s), f"not base64url: {s!r}"
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


@pytest.fixture(scope="module")
def pool_id(raw):
    return raw.ok("CreateUserPool", {"PoolName": unique("wk")})["UserPool"]["Id"]


def get_json(raw, path):
    r = raw.get(path)
    assert r.status == 200, f"GET {path}: {r.status} {r.body[:300]!r}"
    ct = r.header("Content-Type", "")
    assert ct.split(";")[0].strip() == "application/json", f"GET {path}: Content-Type {ct!r}"
    assert r.json is not None, f"GET {path}: body is not JSON: {r.body[:300]!r}"
    return r, r.json


def test_jwks(raw, pool_id):
    r, doc = get_json(raw, f"/{pool_id}/.well-known/jwks.json")
    assert set(doc) == {"keys"}, doc
    keys = doc["keys"]
    assert isinstance(keys, list) and len(keys) >= 1
    kids = [k.get("kid") for k in keys]
    assert len(set(kids)) == len(kids), f"duplicate kids: {kids}"
    for k in keys:
        assert isinstance(k.get("kid"), str) and k["kid"], k
        assert k.get("alg") == "RS256", k
        assert k.get("kty") == "RSA", k
        assert k.get("use") == "sig", k
        assert k.get("e") == "AQAB", k
        n = b64url_decode(k["n"])
        assert len(n) == 256, f"modulus is {len(n)} bytes, expected 256 (RSA-2048)"
        assert n[0] & 0x80, "modulus has a leading zero / is not 2048 bits"
        assert not ({"d", "p", "q", "dp", "dq", "qi"} & set(k)), f"private parts published: {k}"
        RSAAlgorithm.from_jwk(json.dumps(k))  # parses as a public key
    cc = r.header("Cache-Control")
    assert cc, "JWKS response without Cache-Control"
    assert "no-store" not in cc, f"JWKS should be cacheable: {cc!r}"
    assert r.header("Access-Control-Allow-Origin"), "JWKS is fetched from browsers too (CORS)"


def test_jwks_is_stable(raw, pool_id):
    _, a = get_json(raw, f"/{pool_id}/.well-known/jwks.json")
    _, b = get_json(raw, f"/{pool_id}/.well-known/jwks.json")
    assert a == b


def test_pools_have_distinct_keys(raw, pool_id):
    other = raw.ok("CreateUserPool", {"PoolName": unique("wk2")})["UserPool"]["Id"]
    _, a = get_json(raw, f"/{pool_id}/.well-known/jwks.json")
    _, b = get_json(raw, f"/{other}/.well-known/jwks.json")
    assert not ({k["kid"] for k in a["keys"]} & {k["kid"] for k in b["keys"]})
    assert not ({k["n"] for k in a["keys"]} & {k["n"] for k in b["keys"]})


def test_openid_configuration(raw, server, pool_id):
    r, doc = get_json(raw, f"/{pool_id}/.well-known/openid-configuration")
    issuer = f"{server.endpoint}/{pool_id}"
    assert doc.get("issuer") == issuer, doc
    assert doc.get("jwks_uri") == f"{issuer}/.well-known/jwks.json", doc
    assert "RS256" in doc.get("id_token_signing_alg_values_supported", []), doc
    assert "public" in doc.get("subject_types_supported", []), doc
    assert isinstance(doc.get("response_types_supported"), list) and \
        doc["response_types_supported"], doc
    assert r.header("Cache-Control"), "openid-configuration without Cache-Control"
    # The advertised jwks_uri works.
    path = doc["jwks_uri"][len(server.endpoint):]
    _, jwks = get_json(raw, path)
    assert jwks["keys"]


@pytest.mark.parametrize("doc", ["jwks.json", "openid-configuration"])
def test_unknown_pool_is_404(raw, doc):
    for pid in ("us-east-1_ZZZZZZZZZ", "not-a-pool", "us-east-1_"):
        r = raw.get(f"/{pid}/.well-known/{doc}")
        assert r.status == 404, f"GET /{pid}/.well-known/{doc}: {r.status} {r.body[:200]!r}"


def test_deleted_pool_is_404(raw):
    pid = raw.ok("CreateUserPool", {"PoolName": unique("wkdel")})["UserPool"]["Id"]
    assert raw.get(f"/{pid}/.well-known/jwks.json").status == 200
    raw.ok("DeleteUserPool", {"UserPoolId": pid})
    for doc in ("jwks.json", "openid-configuration"):
        r = raw.get(f"/{pid}/.well-known/{doc}")
        assert r.status == 404, f"deleted pool: GET {doc} -> {r.status}"
