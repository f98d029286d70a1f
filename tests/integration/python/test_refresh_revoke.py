"""Refresh and revocation: REFRESH_TOKEN_AUTH / REFRESH_TOKEN, GetTokensFromRefreshToken with and
without RefreshTokenRotation (raw client: Debian's botocore 1.29 predates it), RevokeToken,
GlobalSignOut and AdminUserGlobalSignOut. After revocation the old access token gets
NotAuthorizedException "Access Token has been revoked" from GetUser and the refresh token no
longer refreshes, while other sessions (RevokeToken) or new sign-ins (sign-out) keep working."""

import pytest
from botocore.exceptions import ClientError

from helpers_assert import client_error
from helpers_users import (check_auth_result, make_client, make_pool, secret_hash, sign_in,
                           signup_confirmed, tokens, unverified, verify_token)

REVOKED = "Access Token has been revoked"


@pytest.fixture(scope="module")
def pool(cognito):
    pool_id = make_pool(cognito)
    client_id = make_client(cognito, pool_id)["ClientId"]
    return pool_id, client_id


@pytest.fixture
def user(cognito, pool):
    pool_id, client_id = pool
    username, _ = signup_confirmed(cognito, pool_id, client_id)
    return username


def refresh(cognito, client_id, refresh_token, flow="REFRESH_TOKEN_AUTH"):
    return cognito.initiate_auth(ClientId=client_id, AuthFlow=flow,
                                 AuthParameters={"REFRESH_TOKEN": refresh_token})


def refresh_fails(cognito, client_id, refresh_token):
    return client_error(refresh, cognito, client_id, refresh_token, code="NotAuthorizedException")


def assert_revoked(cognito, access_token):
    e = client_error(cognito.get_user, AccessToken=access_token, code="NotAuthorizedException")
    assert e.response["Error"]["Message"] == REVOKED, e.response["Error"]


def rotation_client(raw, pool_id, grace=0, **kw):
    body = {"UserPoolId": pool_id, "ClientName": "rotating",
            "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            "RefreshTokenRotation": {"Feature": "ENABLED", "RetryGracePeriodSeconds": grace}}
    body.update(kw)
    c = raw.ok("CreateUserPoolClient", body)["UserPoolClient"]
    assert c.get("RefreshTokenRotation") == body["RefreshTokenRotation"], c
    return c


def get_tokens(raw, client_id, refresh_token, **kw):
    return raw.ok("GetTokensFromRefreshToken", {"ClientId": client_id,
                                                "RefreshToken": refresh_token, **kw},
                  sign=False)["AuthenticationResult"]


# ---- refresh --------------------------------------------------------------------------------
@pytest.mark.parametrize("flow", ["REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"])
def test_refresh(cognito, server, pool, user, flow):
    pool_id, client_id = pool
    first = tokens(cognito, client_id, user)
    r = refresh(cognito, client_id, first["RefreshToken"], flow)
    assert "ChallengeName" not in r, r
    res = r["AuthenticationResult"]
    check_auth_result(res, refresh=False)
    old_a = verify_token(server, pool_id, first["AccessToken"], token_use="access",
                         client_id=client_id)
    new_a = verify_token(server, pool_id, res["AccessToken"], token_use="access",
                         client_id=client_id)
    new_i = verify_token(server, pool_id, res["IdToken"], token_use="id", client_id=client_id)
    assert new_a["username"] == user and new_i["cognito:username"] == user
    assert new_a["origin_jti"] == old_a["origin_jti"] == new_i["origin_jti"], (old_a, new_a)
    assert new_a["auth_time"] == old_a["auth_time"] == new_i["auth_time"], (old_a, new_a)
    assert new_a["jti"] != old_a["jti"], (old_a, new_a)
    assert new_a["iat"] >= old_a["iat"]
    cognito.get_user(AccessToken=res["AccessToken"])
    # Refresh tokens are reusable without rotation.
    check_auth_result(refresh(cognito, client_id, first["RefreshToken"])["AuthenticationResult"],
                      refresh=False)


def test_admin_refresh(cognito, pool, user):
    pool_id, client_id = pool
    first = tokens(cognito, client_id, user)
    for flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
        r = cognito.admin_initiate_auth(UserPoolId=pool_id, ClientId=client_id, AuthFlow=flow,
                                        AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]})
        check_auth_result(r["AuthenticationResult"], refresh=False)


def test_refresh_with_other_client_or_garbage(cognito, pool, user):
    pool_id, client_id = pool
    first = tokens(cognito, client_id, user)
    other = make_client(cognito, pool_id)["ClientId"]
    for cid, token in ((other, first["RefreshToken"]), (client_id, "not-a-refresh-token"),
                       (client_id, first["AccessToken"])):
        e = refresh_fails(cognito, cid, token)
        assert e.response["Error"]["Message"] == "Invalid Refresh Token.", e.response["Error"]


def test_refresh_with_secret_client(cognito, pool, user):
    pool_id, _ = pool
    c = make_client(cognito, pool_id, GenerateSecret=True)
    first = tokens(cognito, c["ClientId"], user, secret=c["ClientSecret"])
    client_error(refresh, cognito, c["ClientId"], first["RefreshToken"],
                 code="NotAuthorizedException")
    # The SECRET_HASH of a refresh is computed over the user's internal username.
    r = cognito.initiate_auth(ClientId=c["ClientId"], AuthFlow="REFRESH_TOKEN_AUTH",
                              AuthParameters={"REFRESH_TOKEN": first["RefreshToken"],
                                              "SECRET_HASH": secret_hash(
                                                  user, c["ClientId"], c["ClientSecret"])})
    check_auth_result(r["AuthenticationResult"], refresh=False)


def test_refresh_disabled_user(cognito, pool, user):
    pool_id, client_id = pool
    first = tokens(cognito, client_id, user)
    cognito.admin_disable_user(UserPoolId=pool_id, Username=user)
    refresh_fails(cognito, client_id, first["RefreshToken"])
    cognito.admin_enable_user(UserPoolId=pool_id, Username=user)


# ---- GetTokensFromRefreshToken --------------------------------------------------------------
def test_get_tokens_without_rotation(cognito, raw, server, pool, user):
    pool_id, client_id = pool
    first = tokens(cognito, client_id, user)
    res = get_tokens(raw, client_id, first["RefreshToken"])
    assert res["TokenType"] == "Bearer" and res["ExpiresIn"] == 3600, res
    acc = verify_token(server, pool_id, res["AccessToken"], token_use="access",
                       client_id=client_id)
    verify_token(server, pool_id, res["IdToken"], token_use="id", client_id=client_id)
    assert acc["username"] == user
    # Without rotation the original refresh token keeps working.
    get_tokens(raw, client_id, first["RefreshToken"])
    check_auth_result(refresh(cognito, client_id, first["RefreshToken"])["AuthenticationResult"],
                      refresh=False)


def test_get_tokens_with_rotation(cognito, raw, server, pool, user):
    pool_id, _ = pool
    client_id = rotation_client(raw, pool_id)["ClientId"]
    first = tokens(cognito, client_id, user)
    res = get_tokens(raw, client_id, first["RefreshToken"])
    assert res.get("RefreshToken") and res["RefreshToken"] != first["RefreshToken"], res
    acc = verify_token(server, pool_id, res["AccessToken"], token_use="access",
                       client_id=client_id)
    assert acc["origin_jti"] == unverified(first["AccessToken"])[1]["origin_jti"], acc
    cognito.get_user(AccessToken=res["AccessToken"])
    # The new token rotates again; the rotated-out one is dead (grace period 0).
    res2 = get_tokens(raw, client_id, res["RefreshToken"])
    assert res2["RefreshToken"] not in (res["RefreshToken"], first["RefreshToken"]), res2
    cognito.get_user(AccessToken=res2["AccessToken"])
    raw.err("GetTokensFromRefreshToken", {"ClientId": client_id,
                                          "RefreshToken": res["RefreshToken"]},
            "RefreshTokenReuseException", sign=False)


def test_get_tokens_rotation_grace_period(cognito, raw, pool, user):
    pool_id, _ = pool
    client_id = rotation_client(raw, pool_id, grace=60)["ClientId"]
    first = tokens(cognito, client_id, user)
    res = get_tokens(raw, client_id, first["RefreshToken"])
    # Within the grace period the old token may be retried.
    again = get_tokens(raw, client_id, first["RefreshToken"])
    assert again["AccessToken"] and again.get("RefreshToken"), again
    get_tokens(raw, client_id, res["RefreshToken"])


def test_get_tokens_errors(cognito, raw, pool, user):
    pool_id, client_id = pool
    first = tokens(cognito, client_id, user)
    r = raw.err("GetTokensFromRefreshToken", {"ClientId": client_id, "RefreshToken": "garbage"},
                "NotAuthorizedException", sign=False)
    assert r.message == "Invalid Refresh Token.", r
    other = make_client(cognito, pool_id)["ClientId"]
    raw.err("GetTokensFromRefreshToken", {"ClientId": other,
                                          "RefreshToken": first["RefreshToken"]},
            "NotAuthorizedException", sign=False)
    raw.err("GetTokensFromRefreshToken", {"ClientId": "zzzzzzzzzzzzzzzzzzzzzzzzzz",
                                          "RefreshToken": first["RefreshToken"]},
            "ResourceNotFoundException", sign=False)


def test_get_tokens_secret_client(cognito, raw, pool, user):
    pool_id, _ = pool
    c = rotation_client(raw, pool_id, GenerateSecret=True)
    first = sign_in(cognito, c["ClientId"], user, secret=c["ClientSecret"])
    rt = first["AuthenticationResult"]["RefreshToken"]
    raw.err("GetTokensFromRefreshToken", {"ClientId": c["ClientId"], "RefreshToken": rt},
            "NotAuthorizedException", sign=False)
    raw.err("GetTokensFromRefreshToken", {"ClientId": c["ClientId"], "RefreshToken": rt,
                                          "ClientSecret": "wrong" + c["ClientSecret"][5:]},
            "NotAuthorizedException", sign=False)
    res = get_tokens(raw, c["ClientId"], rt, ClientSecret=c["ClientSecret"])
    assert res.get("RefreshToken"), res


# ---- RevokeToken ----------------------------------------------------------------------------
def test_revoke_token(cognito, pool, user):
    _, client_id = pool
    a = tokens(cognito, client_id, user)
    b = tokens(cognito, client_id, user)
    refreshed = refresh(cognito, client_id, a["RefreshToken"])["AuthenticationResult"]
    cognito.get_user(AccessToken=a["AccessToken"])
    r = cognito.revoke_token(Token=a["RefreshToken"], ClientId=client_id)
    assert set(r) == {"ResponseMetadata"}, r
    assert_revoked(cognito, a["AccessToken"])
    assert_revoked(cognito, refreshed["AccessToken"])
    refresh_fails(cognito, client_id, a["RefreshToken"])
    # The other session is untouched.
    cognito.get_user(AccessToken=b["AccessToken"])
    check_auth_result(refresh(cognito, client_id, b["RefreshToken"])["AuthenticationResult"],
                      refresh=False)


def test_revoke_token_unsigned(cognito, raw, pool, user):
    """JS SDK v3 sends RevokeToken without SigV4; botocore 1.29 signs it. Both work."""
    _, client_id = pool
    a = tokens(cognito, client_id, user)
    assert raw.ok("RevokeToken", {"Token": a["RefreshToken"], "ClientId": client_id},
                  sign=False) == {}
    assert_revoked(cognito, a["AccessToken"])
    # Revoking again is harmless.
    raw.ok("RevokeToken", {"Token": a["RefreshToken"], "ClientId": client_id}, sign=False)


def test_revoke_token_errors(cognito, pool, user):
    pool_id, client_id = pool
    a = tokens(cognito, client_id, user)
    client_error(cognito.revoke_token, Token=a["AccessToken"], ClientId=client_id,
                 code="UnsupportedTokenTypeException")
    other = make_client(cognito, pool_id)["ClientId"]
    client_error(cognito.revoke_token, Token=a["RefreshToken"], ClientId=other,
                 code="UnauthorizedException", status=None)
    cognito.get_user(AccessToken=a["AccessToken"])
    no_revocation = make_client(cognito, pool_id, EnableTokenRevocation=False)["ClientId"]
    t = tokens(cognito, no_revocation, user)
    client_error(cognito.revoke_token, Token=t["RefreshToken"], ClientId=no_revocation,
                 code="UnsupportedOperationException")
    _, claims = unverified(t["AccessToken"])
    assert "origin_jti" not in claims, f"no origin_jti without token revocation: {claims}"


def test_revoke_token_secret_client(cognito, pool, user):
    pool_id, _ = pool
    c = make_client(cognito, pool_id, GenerateSecret=True)
    t = tokens(cognito, c["ClientId"], user, secret=c["ClientSecret"])
    client_error(cognito.revoke_token, Token=t["RefreshToken"], ClientId=c["ClientId"],
                 code="UnauthorizedException", status=None)
    cognito.get_user(AccessToken=t["AccessToken"])
    cognito.revoke_token(Token=t["RefreshToken"], ClientId=c["ClientId"],
                         ClientSecret=c["ClientSecret"])
    assert_revoked(cognito, t["AccessToken"])


# ---- sign-out -------------------------------------------------------------------------------
def _check_everything_revoked(cognito, client_id, sessions, user):
    for s in sessions:
        assert_revoked(cognito, s["AccessToken"])
        refresh_fails(cognito, client_id, s["RefreshToken"])
    # A new sign-in right afterwards (usually within the same second) works.
    fresh = tokens(cognito, client_id, user)
    try:
        cognito.get_user(AccessToken=fresh["AccessToken"])
    except ClientError as e:
        raise AssertionError(f"an access token issued after the sign-out is refused: "
                             f"{e.response['Error']}; claims {unverified(fresh['AccessToken'])[1]}")
    check_auth_result(refresh(cognito, client_id, fresh["RefreshToken"])["AuthenticationResult"],
                      refresh=False)


def test_global_sign_out(cognito, pool, user):
    _, client_id = pool
    a = tokens(cognito, client_id, user)
    b = tokens(cognito, client_id, user)
    r = cognito.global_sign_out(AccessToken=a["AccessToken"])
    assert set(r) == {"ResponseMetadata"}, r
    _check_everything_revoked(cognito, client_id, [a, b], user)
    e = client_error(cognito.global_sign_out, AccessToken=a["AccessToken"],
                     code="NotAuthorizedException")
    assert e.response["Error"]["Message"] == REVOKED


def test_global_sign_out_unsigned(cognito, raw, pool, user):
    _, client_id = pool
    a = tokens(cognito, client_id, user)
    assert raw.ok("GlobalSignOut", {"AccessToken": a["AccessToken"]}, sign=False) == {}
    assert_revoked(cognito, a["AccessToken"])


def test_admin_user_global_sign_out(cognito, pool, user):
    pool_id, client_id = pool
    a = tokens(cognito, client_id, user)
    b = tokens(cognito, client_id, user)
    r = cognito.admin_user_global_sign_out(UserPoolId=pool_id, Username=user)
    assert set(r) == {"ResponseMetadata"}, r
    _check_everything_revoked(cognito, client_id, [a, b], user)
    client_error(cognito.admin_user_global_sign_out, UserPoolId=pool_id, Username="nobody-x",
                 code="UserNotFoundException")


def test_sign_out_does_not_touch_other_users(cognito, pool, user):
    pool_id, client_id = pool
    other, _ = signup_confirmed(cognito, pool_id, client_id)
    mine = tokens(cognito, client_id, user)
    theirs = tokens(cognito, client_id, other)
    cognito.admin_user_global_sign_out(UserPoolId=pool_id, Username=user)
    assert_revoked(cognito, mine["AccessToken"])
    cognito.get_user(AccessToken=theirs["AccessToken"])
    refresh(cognito, client_id, theirs["RefreshToken"])
