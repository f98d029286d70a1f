"""What goes wrong in sign-up and sign-in, with Cognito's exact error types and messages: wrong
password, unknown user (PreventUserExistenceErrors LEGACY and ENABLED), unconfirmed and disabled
users, SECRET_HASH missing or wrong, flows the client does not allow, weak passwords, duplicate
users, wrong and reused codes, bad access tokens, and the lockout after 5 failed sign-ins."""

import time

import pytest

from helpers import unique
from helpers_assert import client_error
from helpers_users import (PASSWORD, admin_sign_in, attrs, code_message, email_of,
                           find_messages, make_client, make_pool, secret_hash, sign_in,
                           signup_confirmed, tokens)

WRONG = "Incorrect username or password."


@pytest.fixture(scope="module")
def pool(cognito):
    pool_id = make_pool(cognito, AutoVerifiedAttributes=["email"])
    legacy = make_client(cognito, pool_id, PreventUserExistenceErrors="LEGACY")["ClientId"]
    enabled = make_client(cognito, pool_id, PreventUserExistenceErrors="ENABLED")["ClientId"]
    return pool_id, legacy, enabled


@pytest.fixture(scope="module")
def user(cognito, pool):
    pool_id, legacy, _ = pool
    username = unique("bad")
    signup_confirmed(cognito, pool_id, legacy, username=username,
                     attributes={"email": email_of(username)})
    cognito.admin_update_user_attributes(UserPoolId=pool_id, Username=username,
                                         UserAttributes=attrs({"email_verified": "true"}))
    return username


def msg(e):
    return e.response["Error"]["Message"]


# ---- wrong password / unknown user ----------------------------------------------------------
def test_wrong_password(cognito, pool, user):
    pool_id, legacy, enabled = pool
    for client_id in (legacy, enabled):
        e = client_error(sign_in, cognito, client_id, user, "Wr0ng-Password",
                         code="NotAuthorizedException")
        assert msg(e) == WRONG, e.response
        e = client_error(admin_sign_in, cognito, pool_id, client_id, user, "Wr0ng-Password",
                         code="NotAuthorizedException")
        assert msg(e) == WRONG, e.response
    tokens(cognito, legacy, user)  # two failures do not lock the user out


def test_unknown_user_legacy(cognito, pool):
    pool_id, legacy, _ = pool
    e = client_error(sign_in, cognito, legacy, unique("ghost"), code="UserNotFoundException")
    assert msg(e) == "User does not exist.", e.response
    client_error(admin_sign_in, cognito, pool_id, legacy, unique("ghost"),
                 code="UserNotFoundException")
    client_error(cognito.forgot_password, ClientId=legacy, Username=unique("ghost"),
                 code="UserNotFoundException")


def test_unknown_user_prevent_existence_errors(cognito, server, pool):
    pool_id, _, enabled = pool
    ghost = unique("ghost")
    e = client_error(sign_in, cognito, enabled, ghost, code="NotAuthorizedException")
    assert msg(e) == WRONG, e.response
    e = client_error(admin_sign_in, cognito, pool_id, enabled, ghost,
                     code="NotAuthorizedException")
    assert msg(e) == WRONG, e.response
    # Recovery and confirmation answer as if a code had been sent; nothing is sent.
    before = len(find_messages(server, pool_id=pool_id))
    r = cognito.forgot_password(ClientId=enabled, Username=ghost)
    d = r["CodeDeliveryDetails"]
    assert d.get("DeliveryMedium") in ("EMAIL", "SMS") and d.get("Destination"), r
    r = cognito.resend_confirmation_code(ClientId=enabled, Username=ghost)
    assert r["CodeDeliveryDetails"].get("Destination"), r
    client_error(cognito.confirm_sign_up, ClientId=enabled, Username=ghost,
                 ConfirmationCode="123456",
                 code={"CodeMismatchException", "ExpiredCodeException"})
    client_error(cognito.confirm_forgot_password, ClientId=enabled, Username=ghost,
                 ConfirmationCode="123456", Password=PASSWORD,
                 code={"CodeMismatchException", "ExpiredCodeException"})
    assert len(find_messages(server, pool_id=pool_id)) == before
    # SignUp still reports taken usernames.
    username, _ = signup_confirmed(cognito, pool_id, enabled)
    client_error(cognito.sign_up, ClientId=enabled, Username=username, Password=PASSWORD,
                 code="UsernameExistsException")


def test_unconfirmed_user(cognito, pool):
    pool_id, legacy, enabled = pool
    username = unique("unconf")
    cognito.sign_up(ClientId=legacy, Username=username, Password=PASSWORD,
                    UserAttributes=attrs({"email": email_of(username)}))
    for client_id in (legacy, enabled):
        e = client_error(sign_in, cognito, client_id, username,
                         code="UserNotConfirmedException")
        assert msg(e) == "User is not confirmed.", e.response
    client_error(admin_sign_in, cognito, pool_id, legacy, username,
                 code="UserNotConfirmedException")


def test_disabled_user(cognito, pool):
    pool_id, legacy, enabled = pool
    username, _ = signup_confirmed(cognito, pool_id, legacy)
    cognito.admin_disable_user(UserPoolId=pool_id, Username=username)
    for client_id in (legacy, enabled):
        e = client_error(sign_in, cognito, client_id, username, code="NotAuthorizedException")
        assert msg(e) == "User is disabled.", e.response


# ---- SECRET_HASH ----------------------------------------------------------------------------
def test_secret_hash(cognito, pool, user):
    pool_id, _, _ = pool
    c = make_client(cognito, pool_id, GenerateSecret=True)
    cid, secret = c["ClientId"], c["ClientSecret"]
    e = client_error(sign_in, cognito, cid, user, code="NotAuthorizedException")
    assert msg(e) == f"Client {cid} is configured for secret but secret was not received", \
        e.response
    bad = {"USERNAME": user, "PASSWORD": PASSWORD,
           "SECRET_HASH": secret_hash(user, cid, secret + "x")}
    e = client_error(cognito.initiate_auth, ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                     AuthParameters=bad, code="NotAuthorizedException")
    assert msg(e) == f"Unable to verify secret hash for client {cid}", e.response
    # A hash for another username does not fit either.
    bad["SECRET_HASH"] = secret_hash(user + "x", cid, secret)
    e = client_error(cognito.initiate_auth, ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                     AuthParameters=bad, code="NotAuthorizedException")
    assert msg(e) == f"Unable to verify secret hash for client {cid}", e.response
    e = client_error(admin_sign_in, cognito, pool_id, cid, user, code="NotAuthorizedException")
    assert msg(e) == f"Client {cid} is configured for secret but secret was not received"
    tokens(cognito, cid, user, secret=secret)
    admin_sign_in(cognito, pool_id, cid, user, secret=secret)
    # Public operations check the hash too.
    e = client_error(cognito.forgot_password, ClientId=cid, Username=user,
                     code="NotAuthorizedException")
    assert msg(e) == f"Client {cid} is configured for secret but secret was not received"
    e = client_error(cognito.sign_up, ClientId=cid, Username=unique("s"), Password=PASSWORD,
                     SecretHash=secret_hash("other", cid, secret), code="NotAuthorizedException")
    assert msg(e) == f"Unable to verify secret hash for client {cid}"


# ---- flows ----------------------------------------------------------------------------------
def test_flow_not_enabled(cognito, pool, user):
    pool_id, _, _ = pool
    default = make_client(cognito, pool_id, flows=[])["ClientId"]  # SRP, refresh, custom
    e = client_error(sign_in, cognito, default, user, code="InvalidParameterException")
    assert msg(e) == "USER_PASSWORD_AUTH flow not enabled for this client", e.response
    e = client_error(admin_sign_in, cognito, pool_id, default, user,
                     code="InvalidParameterException")
    assert msg(e) == "Auth flow not enabled for this client", e.response
    only_admin = make_client(cognito, pool_id,
                             flows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"])["ClientId"]
    client_error(sign_in, cognito, only_admin, user, code="InvalidParameterException")
    admin_sign_in(cognito, pool_id, only_admin, user)
    only_user = make_client(cognito, pool_id, flows=["ALLOW_USER_PASSWORD_AUTH"])["ClientId"]
    client_error(admin_sign_in, cognito, pool_id, only_user, user,
                 code="InvalidParameterException")


def test_admin_flow_on_public_api(cognito, pool, user):
    _, legacy, _ = pool
    client_error(cognito.initiate_auth, ClientId=legacy, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": user, "PASSWORD": PASSWORD},
                 code="InvalidParameterException")


def test_missing_auth_parameters(cognito, pool, user):
    _, legacy, _ = pool
    client_error(cognito.initiate_auth, ClientId=legacy, AuthFlow="USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": user}, code="InvalidParameterException")
    client_error(cognito.initiate_auth, ClientId=legacy, AuthFlow="USER_PASSWORD_AUTH",
                 AuthParameters={"PASSWORD": PASSWORD}, code="InvalidParameterException")
    client_error(cognito.initiate_auth, ClientId=legacy, AuthFlow="REFRESH_TOKEN_AUTH",
                 AuthParameters={}, code="InvalidParameterException")


def test_unknown_client(cognito, pool, user):
    client_error(sign_in, cognito, "zzzzzzzzzzzzzzzzzzzzzzzzzz", user,
                 code="ResourceNotFoundException")


# ---- passwords, duplicates, codes -----------------------------------------------------------
@pytest.mark.parametrize("password,rule", [
    ("Sh0rt!x", "Password not long enough"),
    ("nouppercase1!", "Password must have uppercase characters"),
    ("NOLOWERCASE1!", "Password must have lowercase characters"),
    ("NoNumbers!!", "Password must have numeric characters"),
    ("NoSymbols123", "Password must have symbol characters"),
])
def test_weak_password(cognito, pool, password, rule):
    pool_id, legacy, _ = pool
    username = unique("weak")
    e = client_error(cognito.sign_up, ClientId=legacy, Username=username, Password=password,
                     code="InvalidPasswordException")
    assert msg(e) == f"Password did not conform with policy: {rule}", e.response
    client_error(cognito.admin_get_user, UserPoolId=pool_id, Username=username,
                 code="UserNotFoundException")


def test_password_shorter_than_six(cognito, pool):
    """The current model sets no minimum length on PasswordType, so the policy answers."""
    _, legacy, _ = pool
    e = client_error(cognito.sign_up, ClientId=legacy, Username=unique("tiny"), Password="Ab1!",
                     code="InvalidPasswordException")
    assert msg(e) == "Password did not conform with policy: Password not long enough", e.response


def test_duplicate_user(cognito, pool, user):
    _, legacy, _ = pool
    e = client_error(cognito.sign_up, ClientId=legacy, Username=user, Password=PASSWORD,
                     code="UsernameExistsException")
    assert msg(e) == "User already exists", e.response


def test_wrong_and_reused_codes(cognito, server, pool, user):
    pool_id, legacy, _ = pool
    username = unique("codes")
    cognito.sign_up(ClientId=legacy, Username=username, Password=PASSWORD,
                    UserAttributes=attrs({"email": email_of(username)}))
    code = code_message(server, pool_id=pool_id, username=username, purpose="signup")["code"]
    wrong = "000000" if code != "000000" else "111111"
    e = client_error(cognito.confirm_sign_up, ClientId=legacy, Username=username,
                     ConfirmationCode=wrong, code="CodeMismatchException")
    assert msg(e) == "Invalid verification code provided, please try again.", e.response
    cognito.confirm_sign_up(ClientId=legacy, Username=username, ConfirmationCode=code)

    # Forgot-password codes: wrong, right, then the same one again.
    cognito.forgot_password(ClientId=legacy, Username=user)
    code = code_message(server, pool_id=pool_id, username=user, purpose="forgot-password")["code"]
    wrong = "000000" if code != "000000" else "111111"
    client_error(cognito.confirm_forgot_password, ClientId=legacy, Username=user,
                 ConfirmationCode=wrong, Password="Diff3rent-Pass", code="CodeMismatchException")
    cognito.confirm_forgot_password(ClientId=legacy, Username=user, ConfirmationCode=code,
                                    Password=PASSWORD)
    e = client_error(cognito.confirm_forgot_password, ClientId=legacy, Username=user,
                     ConfirmationCode=code, Password="Diff3rent-Pass",
                     code={"ExpiredCodeException", "CodeMismatchException"})
    tokens(cognito, legacy, user)  # the reused code changed nothing


def test_code_from_other_user(cognito, server, pool):
    pool_id, legacy, _ = pool
    a, b = unique("ca"), unique("cb")
    for u in (a, b):
        cognito.sign_up(ClientId=legacy, Username=u, Password=PASSWORD,
                        UserAttributes=attrs({"email": email_of(u)}))
    code_a = code_message(server, pool_id=pool_id, username=a, purpose="signup")["code"]
    code_b = code_message(server, pool_id=pool_id, username=b, purpose="signup")["code"]
    if code_a != code_b:
        client_error(cognito.confirm_sign_up, ClientId=legacy, Username=b,
                     ConfirmationCode=code_a, code="CodeMismatchException")
    cognito.confirm_sign_up(ClientId=legacy, Username=b, ConfirmationCode=code_b)


# ---- access tokens --------------------------------------------------------------------------
@pytest.mark.parametrize("token", ["garbage", "a.b.c", "eyJhbGciOiJub25lIn0.e30."])
def test_bad_access_tokens(cognito, token):
    e = client_error(cognito.get_user, AccessToken=token, code="NotAuthorizedException")
    assert msg(e) == "Invalid Access Token", e.response
    client_error(cognito.global_sign_out, AccessToken=token, code="NotAuthorizedException")
    client_error(cognito.change_password, AccessToken=token, PreviousPassword=PASSWORD,
                 ProposedPassword="N3w-Passw0rd!", code="NotAuthorizedException")


# ---- lockout --------------------------------------------------------------------------------
def test_lockout_after_five_failures(cognito, pool):
    pool_id, legacy, _ = pool
    username, _ = signup_confirmed(cognito, pool_id, legacy)
    for i in range(5):
        e = client_error(sign_in, cognito, legacy, username, "Wr0ng-Password",
                         code="NotAuthorizedException")
        assert msg(e) == WRONG, f"failure {i + 1}: {e.response}"
    # Locked for 1 s: even the right password is refused, without a new failure counted.
    t_locked = time.monotonic()
    e = client_error(sign_in, cognito, legacy, username, code="NotAuthorizedException")
    assert msg(e) == "Password attempts exceeded", e.response
    e = client_error(admin_sign_in, cognito, pool_id, legacy, username,
                     code="NotAuthorizedException")
    assert msg(e) == "Password attempts exceeded", e.response
    assert time.monotonic() - t_locked < 0.9, "too slow to observe the 1 s lockout"
    time.sleep(1.3)
    # A sixth failure locks for 2 s.
    e = client_error(sign_in, cognito, legacy, username, "Wr0ng-Password",
                     code="NotAuthorizedException")
    assert msg(e) == WRONG, e.response
    e = client_error(sign_in, cognito, legacy, username, code="NotAuthorizedException")
    assert msg(e) == "Password attempts exceeded", e.response
    time.sleep(2.3)
    tokens(cognito, legacy, username)


def test_lockout_is_per_user(cognito, pool):
    pool_id, legacy, _ = pool
    victim, _ = signup_confirmed(cognito, pool_id, legacy)
    bystander, _ = signup_confirmed(cognito, pool_id, legacy)
    for _ in range(5):
        client_error(sign_in, cognito, legacy, victim, "Wr0ng-Password",
                     code="NotAuthorizedException")
    tokens(cognito, legacy, bystander)
