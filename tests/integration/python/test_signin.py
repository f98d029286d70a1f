"""Password sign-in: InitiateAuth USER_PASSWORD_AUTH, AdminInitiateAuth ADMIN_USER_PASSWORD_AUTH
and its legacy name ADMIN_NO_SRP_AUTH, email as username, case-insensitive pools, and the
NEW_PASSWORD_REQUIRED challenge (RespondToAuthChallenge and AdminRespondToAuthChallenge)."""

import json
import time

import pytest

from helpers import unique
from helpers_assert import client_error
from helpers_users import (NEW_PASSWORD, PASSWORD, admin_sign_in, attr_map, attrs,
                           check_auth_result, email_of, make_client, make_pool, sign_in,
                           signup_confirmed, tokens, unverified)


@pytest.fixture(scope="module")
def pool(cognito):
    pool_id = make_pool(cognito)
    client_id = make_client(cognito, pool_id)["ClientId"]
    return pool_id, client_id


@pytest.fixture(scope="module")
def user(cognito, pool):
    pool_id, client_id = pool
    username, sub = signup_confirmed(cognito, pool_id, client_id,
                                     attributes={"email": "signin@example.com"})
    return username, sub


def test_user_password_auth(cognito, pool, user):
    _, client_id = pool
    username, sub = user
    r = sign_in(cognito, client_id, username)
    assert "ChallengeName" not in r and "Session" not in r, r
    assert not r.get("ChallengeParameters"), r
    check_auth_result(r["AuthenticationResult"])
    _, claims = unverified(r["AuthenticationResult"]["AccessToken"])
    assert claims["username"] == username and claims["sub"] == sub, claims
    now = time.time()
    assert abs(claims["iat"] - now) < 60 and abs(claims["auth_time"] - now) < 60, claims


@pytest.mark.parametrize("flow", ["ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"])
def test_admin_password_auth(cognito, pool, user, flow):
    pool_id, client_id = pool
    username, sub = user
    r = admin_sign_in(cognito, pool_id, client_id, username, flow=flow)
    assert "ChallengeName" not in r, r
    check_auth_result(r["AuthenticationResult"])
    _, claims = unverified(r["AuthenticationResult"]["IdToken"])
    assert claims["cognito:username"] == username and claims["sub"] == sub, claims


def test_legacy_admin_flow_name_on_client(cognito, pool, user):
    """A client created with the legacy ExplicitAuthFlows value ADMIN_NO_SRP_AUTH allows the
    admin password flow under either name."""
    pool_id, _ = pool
    client_id = make_client(cognito, pool_id, flows=["ADMIN_NO_SRP_AUTH"])["ClientId"]
    username, _ = user
    for flow in ("ADMIN_NO_SRP_AUTH", "ADMIN_USER_PASSWORD_AUTH"):
        r = admin_sign_in(cognito, pool_id, client_id, username, flow=flow)
        check_auth_result(r["AuthenticationResult"])


def test_admin_auth_client_of_other_pool(cognito, pool, user):
    pool_id, _ = pool
    other = make_pool(cognito)
    other_client = make_client(cognito, other)["ClientId"]
    username, _ = user
    client_error(admin_sign_in, cognito, pool_id, other_client, username,
                 code="ResourceNotFoundException")


def test_sign_in_with_email_as_username(cognito):
    pool_id = make_pool(cognito, UsernameAttributes=["email"])
    client_id = make_client(cognito, pool_id)["ClientId"]
    email = email_of(unique("mailuser"))
    _, sub = signup_confirmed(cognito, pool_id, client_id, username=email)
    r = tokens(cognito, client_id, email)
    _, claims = unverified(r["IdToken"])
    assert claims["cognito:username"] == sub and claims["email"] == email, claims
    # Also by the internal username (the sub).
    tokens(cognito, client_id, sub)


def test_case_insensitive_pool(cognito):
    pool_id = make_pool(cognito, UsernameConfiguration={"CaseSensitive": False})
    client_id = make_client(cognito, pool_id)["ClientId"]
    name = unique("mixed")
    signup_confirmed(cognito, pool_id, client_id, username=name)
    r = tokens(cognito, client_id, name.upper())
    _, claims = unverified(r["AccessToken"])
    assert claims["username"] == name, claims
    client_error(cognito.sign_up, ClientId=client_id, Username=name.upper(), Password=PASSWORD,
                 code="UsernameExistsException")


def test_case_sensitive_pool(cognito, pool, user):
    _, client_id = pool
    username, _ = user
    client_error(sign_in, cognito, client_id, username.upper(), code="UserNotFoundException")


def _force_change_user(cognito, pool_id, extra=None):
    username = unique("temp")
    temp = "Temp-Passw0rd1"
    r = cognito.admin_create_user(UserPoolId=pool_id, Username=username, TemporaryPassword=temp,
                                  MessageAction="SUPPRESS",
                                  UserAttributes=attrs({"email": email_of(username),
                                                        **(extra or {})}))
    assert r["User"]["UserStatus"] == "FORCE_CHANGE_PASSWORD", r
    return username, temp


def _check_new_password_challenge(r, username, email):
    assert r.get("ChallengeName") == "NEW_PASSWORD_REQUIRED", r
    assert "AuthenticationResult" not in r, r
    assert isinstance(r.get("Session"), str) and 20 <= len(r["Session"]) <= 2048, r
    p = r["ChallengeParameters"]
    assert p.get("USER_ID_FOR_SRP") == username, p
    assert isinstance(p.get("requiredAttributes"), str), p
    assert isinstance(p.get("userAttributes"), str), p
    required = json.loads(p["requiredAttributes"])
    user_attrs = json.loads(p["userAttributes"])
    assert isinstance(required, list) and isinstance(user_attrs, dict), p
    assert user_attrs.get("email") == email, p
    return required


def test_new_password_required(cognito, pool):
    pool_id, client_id = pool
    username, temp = _force_change_user(cognito, pool_id)
    r = sign_in(cognito, client_id, username, temp)
    assert _check_new_password_challenge(r, username, email_of(username)) == []
    out = cognito.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="NEW_PASSWORD_REQUIRED", Session=r["Session"],
        ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": NEW_PASSWORD})
    assert "ChallengeName" not in out, out
    check_auth_result(out["AuthenticationResult"])
    assert cognito.admin_get_user(UserPoolId=pool_id,
                                  Username=username)["UserStatus"] == "CONFIRMED"
    tokens(cognito, client_id, username, NEW_PASSWORD)
    client_error(sign_in, cognito, client_id, username, temp, code="NotAuthorizedException")
    # A challenge session works once.
    e = client_error(cognito.respond_to_auth_challenge, ClientId=client_id,
                     ChallengeName="NEW_PASSWORD_REQUIRED", Session=r["Session"],
                     ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": "An0ther-Pass!"},
                     code="NotAuthorizedException")
    assert e.response["Error"]["Message"] == \
        "Invalid session for the user, session can only be used once.", e.response["Error"]


def test_admin_new_password_required(cognito, pool):
    pool_id, client_id = pool
    username, temp = _force_change_user(cognito, pool_id)
    r = admin_sign_in(cognito, pool_id, client_id, username, temp)
    _check_new_password_challenge(r, username, email_of(username))
    out = cognito.admin_respond_to_auth_challenge(
        UserPoolId=pool_id, ClientId=client_id, ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=r["Session"],
        ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": NEW_PASSWORD})
    check_auth_result(out["AuthenticationResult"])
    assert cognito.admin_get_user(UserPoolId=pool_id,
                                  Username=username)["UserStatus"] == "CONFIRMED"
    r = admin_sign_in(cognito, pool_id, client_id, username, NEW_PASSWORD)
    check_auth_result(r["AuthenticationResult"])


def test_new_password_weak(cognito, pool):
    pool_id, client_id = pool
    username, temp = _force_change_user(cognito, pool_id)
    r = sign_in(cognito, client_id, username, temp)
    e = client_error(cognito.respond_to_auth_challenge, ClientId=client_id,
                     ChallengeName="NEW_PASSWORD_REQUIRED", Session=r["Session"],
                     ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": "weakpassword"},
                     code="InvalidPasswordException")
    assert e.response["Error"]["Message"].startswith("Password did not conform with policy: "), \
        e.response["Error"]
    assert cognito.admin_get_user(UserPoolId=pool_id,
                                  Username=username)["UserStatus"] == "FORCE_CHANGE_PASSWORD"


def test_new_password_wrong_session(cognito, pool):
    _, client_id = pool
    client_error(cognito.respond_to_auth_challenge, ClientId=client_id,
                 ChallengeName="NEW_PASSWORD_REQUIRED", Session="x" * 40,
                 ChallengeResponses={"USERNAME": "nobody", "NEW_PASSWORD": NEW_PASSWORD},
                 code="NotAuthorizedException")


def test_new_password_with_required_attribute(cognito):
    pool_id = make_pool(cognito, Schema=[{"Name": "name", "AttributeDataType": "String",
                                          "Required": True, "Mutable": True}])
    client_id = make_client(cognito, pool_id)["ClientId"]
    username = unique("needsname")
    temp = "Temp-Passw0rd1"
    # Admins may create users without required attributes; the user supplies them later.
    cognito.admin_create_user(UserPoolId=pool_id, Username=username, TemporaryPassword=temp,
                              MessageAction="SUPPRESS",
                              UserAttributes=attrs({"email": email_of(username)}))
    r = sign_in(cognito, client_id, username, temp)
    required = _check_new_password_challenge(r, username, email_of(username))
    assert required == ["userAttributes.name"], r["ChallengeParameters"]
    client_error(cognito.respond_to_auth_challenge, ClientId=client_id,
                 ChallengeName="NEW_PASSWORD_REQUIRED", Session=r["Session"],
                 ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": NEW_PASSWORD},
                 code="InvalidParameterException")
    r = sign_in(cognito, client_id, username, temp)
    out = cognito.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="NEW_PASSWORD_REQUIRED", Session=r["Session"],
        ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": NEW_PASSWORD,
                            "userAttributes.name": "Named Now"})
    check_auth_result(out["AuthenticationResult"])
    u = cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    assert attr_map(u["UserAttributes"]).get("name") == "Named Now", u
    assert u["UserStatus"] == "CONFIRMED"


def test_set_password_not_permanent_forces_change(cognito, pool, user):
    pool_id, client_id = pool
    username, _ = signup_confirmed(cognito, pool_id, client_id)
    cognito.admin_set_user_password(UserPoolId=pool_id, Username=username,
                                    Password="Temp-Passw0rd2", Permanent=False)
    assert cognito.admin_get_user(UserPoolId=pool_id,
                                  Username=username)["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    r = sign_in(cognito, client_id, username, "Temp-Passw0rd2")
    assert r.get("ChallengeName") == "NEW_PASSWORD_REQUIRED", r
