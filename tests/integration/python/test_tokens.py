"""ID and access tokens, verified with PyJWT against the pool's JWKS: issuer, token_use,
aud / client_id, cognito:username, cognito:groups, attribute claims, lifetimes from the app
client's validity settings, jti/origin_jti, and rejection of tampered tokens (by PyJWT and by
the server's user APIs)."""

import base64
import json
import re
import time

import jwt
import pytest
from jwt.algorithms import RSAAlgorithm

from helpers import unique
from helpers_assert import client_error
from helpers_users import (SCOPE, UUID_RE, attr_map, fetch_jwks, issuer, make_client,
                           make_pool, signup_confirmed, tokens, unverified, verify_token)


@pytest.fixture(scope="module")
def setup(cognito):
    pool_id = make_pool(cognito, Schema=[{"Name": "tenant", "AttributeDataType": "String",
                                          "Mutable": True},
                                         {"Name": "level", "AttributeDataType": "Number",
                                          "Mutable": True}])
    client = make_client(cognito, pool_id, AccessTokenValidity=30, IdTokenValidity=45,
                         TokenValidityUnits={"AccessToken": "minutes", "IdToken": "minutes"})
    client_id = client["ClientId"]
    email = f"{unique('tok')}@example.com"
    username, sub = signup_confirmed(cognito, pool_id, client_id, attributes={
        "email": email, "name": "Token User", "custom:tenant": "acme", "custom:level": "7"})
    cognito.admin_update_user_attributes(UserPoolId=pool_id, Username=username,
                                         UserAttributes=[{"Name": "email_verified",
                                                          "Value": "true"}])
    for g in ("admins", "editors"):
        cognito.create_group(UserPoolId=pool_id, GroupName=g)
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=g)
    t0 = int(time.time())
    result = tokens(cognito, client_id, username)
    return dict(pool_id=pool_id, client_id=client_id, username=username, sub=sub, email=email,
                result=result, t0=t0)


def test_expires_in_matches_access_validity(setup):
    assert setup["result"]["ExpiresIn"] == 30 * 60, setup["result"]
    assert setup["result"]["TokenType"] == "Bearer"


def test_id_token(server, setup):
    s = setup
    claims = verify_token(server, s["pool_id"], s["result"]["IdToken"], token_use="id",
                          client_id=s["client_id"])
    assert claims["iss"] == issuer(server, s["pool_id"]), claims
    assert claims["aud"] == s["client_id"], claims
    assert claims["sub"] == s["sub"], claims
    assert claims["cognito:username"] == s["username"], claims
    assert sorted(claims["cognito:groups"]) == ["admins", "editors"], claims
    assert claims["email"] == s["email"], claims
    assert claims["email_verified"] is True, f"email_verified must be a JSON boolean: {claims}"
    assert claims["name"] == "Token User", claims
    assert claims["custom:tenant"] == "acme", claims
    assert claims["custom:level"] == "7", f"custom attributes are strings in tokens: {claims}"
    assert claims["exp"] - claims["iat"] == 45 * 60, claims
    assert abs(claims["iat"] - s["t0"]) <= 5, claims
    assert claims["auth_time"] == claims["iat"], claims
    for k in ("jti", "origin_jti", "event_id"):
        assert re.match(UUID_RE, claims.get(k, "")), f"{k}: {claims}"
    for k in ("token_use", "scope", "client_id", "username", "password", "cognito:password"):
        if k != "token_use":
            assert k not in claims, f"unexpected {k} in the ID token: {claims}"


def test_access_token(server, setup):
    s = setup
    claims = verify_token(server, s["pool_id"], s["result"]["AccessToken"], token_use="access",
                          client_id=s["client_id"])
    assert claims["iss"] == issuer(server, s["pool_id"]), claims
    assert claims["client_id"] == s["client_id"], claims
    assert "aud" not in claims, claims
    assert claims["sub"] == s["sub"], claims
    assert claims["username"] == s["username"], claims
    assert claims["scope"] == SCOPE, claims
    assert sorted(claims["cognito:groups"]) == ["admins", "editors"], claims
    assert claims["exp"] - claims["iat"] == 30 * 60, claims
    assert claims["auth_time"] == claims["iat"], claims
    for k in ("jti", "origin_jti", "event_id"):
        assert re.match(UUID_RE, claims.get(k, "")), f"{k}: {claims}"
    for k in ("email", "name", "custom:tenant", "cognito:username"):
        assert k not in claims, f"attribute claim {k} does not belong in access tokens: {claims}"


def test_id_and_access_token_share_session_ids(setup):
    _, idc = unverified(setup["result"]["IdToken"])
    _, acc = unverified(setup["result"]["AccessToken"])
    assert idc["origin_jti"] == acc["origin_jti"], (idc, acc)
    assert idc["event_id"] == acc["event_id"], (idc, acc)
    assert idc["jti"] != acc["jti"], (idc, acc)


def test_headers(server, setup):
    jwks = fetch_jwks(server, setup["pool_id"])
    kids = {k["kid"] for k in jwks["keys"]}
    for t in ("IdToken", "AccessToken"):
        h = jwt.get_unverified_header(setup["result"][t])
        assert h.get("alg") == "RS256" and h.get("kid") in kids, (t, h, kids)


def test_each_sign_in_is_a_new_session(cognito, server, setup):
    s = setup
    again = tokens(cognito, s["client_id"], s["username"])
    _, a = unverified(s["result"]["AccessToken"])
    _, b = unverified(again["AccessToken"])
    assert a["origin_jti"] != b["origin_jti"] and a["jti"] != b["jti"], (a, b)
    assert again["RefreshToken"] != s["result"]["RefreshToken"]


def _b64(obj):
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


def _tampered_variants(token):
    header, payload, sig = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    evil = dict(claims, username="root", sub="00000000-0000-0000-0000-000000000000",
                exp=claims["exp"] + 86400)
    flipped = sig[:-4] + ("AAAA" if sig[-4:] != "AAAA" else "BBBB")
    return {
        "payload changed": f"{header}.{_b64(evil)}.{sig}",
        "signature changed": f"{header}.{payload}.{flipped}",
        "alg none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.",
        "signature dropped": f"{header}.{payload}.",
    }


def test_tampered_tokens_fail_pyjwt(server, setup):
    s = setup
    jwks = fetch_jwks(server, s["pool_id"])
    for t, use in (("AccessToken", "access"), ("IdToken", "id")):
        good = s["result"][t]
        kid = jwt.get_unverified_header(good)["kid"]
        key = RSAAlgorithm.from_jwk(json.dumps(next(k for k in jwks["keys"] if k["kid"] == kid)))
        audience = s["client_id"] if use == "id" else None
        jwt.decode(good, key=key, algorithms=["RS256"], audience=audience,
                   issuer=issuer(server, s["pool_id"]))
        for what, bad in _tampered_variants(good).items():
            with pytest.raises(jwt.PyJWTError):
                jwt.decode(bad, key=key, algorithms=["RS256"], audience=audience,
                           issuer=issuer(server, s["pool_id"]))
                pytest.fail(f"PyJWT accepted a {use} token with {what}")


def test_tampered_tokens_rejected_by_server(cognito, setup):
    for what, bad in _tampered_variants(setup["result"]["AccessToken"]).items():
        e = client_error(cognito.get_user, AccessToken=bad, code="NotAuthorizedException")
        assert e.response["Error"]["Message"] == "Invalid Access Token", (what, e.response)


def test_id_token_is_not_an_access_token(cognito, setup):
    client_error(cognito.get_user, AccessToken=setup["result"]["IdToken"],
                 code="NotAuthorizedException")


def test_token_of_other_pool_does_not_verify(cognito, server, setup):
    other = make_pool(cognito)
    with pytest.raises((jwt.PyJWTError, AssertionError)):
        verify_token(server, other, setup["result"]["AccessToken"], token_use="access",
                     client_id=setup["client_id"], jwks=fetch_jwks(server, other))


def test_get_user_with_access_token(cognito, setup):
    u = cognito.get_user(AccessToken=setup["result"]["AccessToken"])
    assert u["Username"] == setup["username"], u
    a = attr_map(u["UserAttributes"])
    assert a["sub"] == setup["sub"] and a["email"] == setup["email"], a


def test_default_validity(cognito, server, setup):
    s = setup
    client_id = make_client(cognito, s["pool_id"])["ClientId"]
    r = tokens(cognito, client_id, s["username"])
    assert r["ExpiresIn"] == 3600, r
    idc = verify_token(server, s["pool_id"], r["IdToken"], token_use="id", client_id=client_id)
    acc = verify_token(server, s["pool_id"], r["AccessToken"], token_use="access",
                       client_id=client_id)
    assert idc["exp"] - idc["iat"] == 3600 and acc["exp"] - acc["iat"] == 3600, (idc, acc)


def test_validity_default_unit_is_hours(cognito, server, setup):
    s = setup
    client_id = make_client(cognito, s["pool_id"], AccessTokenValidity=2,
                            IdTokenValidity=3)["ClientId"]
    r = tokens(cognito, client_id, s["username"])
    assert r["ExpiresIn"] == 7200, r
    idc = verify_token(server, s["pool_id"], r["IdToken"], token_use="id", client_id=client_id)
    assert idc["exp"] - idc["iat"] == 3 * 3600, idc


def test_read_attributes_limit_id_token_claims(cognito, server, setup):
    s = setup
    client_id = make_client(cognito, s["pool_id"], ReadAttributes=["name"])["ClientId"]
    r = tokens(cognito, client_id, s["username"])
    idc = verify_token(server, s["pool_id"], r["IdToken"], token_use="id", client_id=client_id)
    assert idc.get("name") == "Token User", idc
    for k in ("email", "email_verified", "custom:tenant", "custom:level"):
        assert k not in idc, f"{k} is not readable by this client: {idc}"
    assert idc["cognito:username"] == s["username"]


def test_no_groups_claim_without_groups(cognito, server, setup):
    s = setup
    username, _ = signup_confirmed(cognito, s["pool_id"], s["client_id"])
    r = tokens(cognito, s["client_id"], username)
    for t, use in (("IdToken", "id"), ("AccessToken", "access")):
        c = verify_token(server, s["pool_id"], r[t], token_use=use, client_id=s["client_id"])
        assert "cognito:groups" not in c, c
