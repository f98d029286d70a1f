"""Self sign-up: SignUp, ConfirmSignUp (code from the outbox), ResendConfirmationCode,
AdminConfirmSignUp, email as username, required attributes, secret clients, admin-only pools."""

import re

import pytest

from helpers import unique
from helpers_assert import client_error
from helpers_users import (PASSWORD, UUID_RE, attr_map, attrs, check_message, code_message,
                           email_of, find_messages, make_client, make_pool, secret_hash, tokens)


@pytest.fixture(scope="module")
def pool(cognito):
    """Email codes; a custom attribute; email required."""
    pool_id = make_pool(cognito, AutoVerifiedAttributes=["email"],
                        Schema=[{"Name": "tenant", "AttributeDataType": "String",
                                 "Mutable": True},
                                {"Name": "email", "AttributeDataType": "String",
                                 "Required": True, "Mutable": True}])
    client = make_client(cognito, pool_id)
    return pool_id, client["ClientId"]


def check_email_delivery(details, email):
    assert details.get("DeliveryMedium") == "EMAIL", details
    assert details.get("AttributeName") == "email", details
    dest = details.get("Destination", "")
    assert dest and dest != email and "***" in dest, f"destination must be masked: {details}"
    assert dest[0] == email[0] and "@" in dest, f"unexpected mask for {email}: {dest}"


def test_signup_confirm_and_sign_in(cognito, server, pool):
    pool_id, client_id = pool
    username = unique("alice")
    email = email_of(username)
    r = cognito.sign_up(ClientId=client_id, Username=username, Password=PASSWORD,
                        UserAttributes=attrs({"email": email, "name": "Alice",
                                              "custom:tenant": "acme"}))
    assert r["UserConfirmed"] is False, r
    assert re.match(UUID_RE, r["UserSub"]), r
    check_email_delivery(r["CodeDeliveryDetails"], email)

    m = code_message(server, pool_id=pool_id, username=username, purpose="signup")
    check_message(m, pool_id=pool_id, purpose="signup", destination=email, username=username)

    u = cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    assert u["UserStatus"] == "UNCONFIRMED", u
    a = attr_map(u["UserAttributes"])
    assert a["sub"] == r["UserSub"], a
    assert a["email"] == email and a["name"] == "Alice" and a["custom:tenant"] == "acme", a
    assert a.get("email_verified", "false") == "false", a

    client_error(cognito.initiate_auth, ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
                 code="UserNotConfirmedException")

    assert cognito.confirm_sign_up(ClientId=client_id, Username=username,
                                   ConfirmationCode=m["code"])["ResponseMetadata"]
    u = cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    assert u["UserStatus"] == "CONFIRMED", u
    assert attr_map(u["UserAttributes"]).get("email_verified") == "true", u
    assert u["Enabled"] is True
    tokens(cognito, client_id, username)


def test_confirm_twice_is_not_authorized(cognito, server, pool):
    pool_id, client_id = pool
    username = unique("twice")
    cognito.sign_up(ClientId=client_id, Username=username, Password=PASSWORD,
                    UserAttributes=attrs({"email": email_of(username)}))
    code = code_message(server, pool_id=pool_id, username=username, purpose="signup")["code"]
    cognito.confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=code)
    e = client_error(cognito.confirm_sign_up, ClientId=client_id, Username=username,
                     ConfirmationCode=code, code="NotAuthorizedException")
    assert e.response["Error"]["Message"] == \
        "User cannot be confirmed. Current status is CONFIRMED", e.response["Error"]
    client_error(cognito.admin_confirm_sign_up, UserPoolId=pool_id, Username=username,
                 code="NotAuthorizedException")
    client_error(cognito.resend_confirmation_code, ClientId=client_id, Username=username,
                 code="InvalidParameterException")


def test_resend_confirmation_code(cognito, server, pool):
    pool_id, client_id = pool
    username = unique("resend")
    email = email_of(username)
    cognito.sign_up(ClientId=client_id, Username=username, Password=PASSWORD,
                    UserAttributes=attrs({"email": email}))
    code_message(server, pool_id=pool_id, username=username, purpose="signup")
    r = cognito.resend_confirmation_code(ClientId=client_id, Username=username)
    check_email_delivery(r["CodeDeliveryDetails"], email)
    m = code_message(server, pool_id=pool_id, username=username, purpose="resend")
    check_message(m, pool_id=pool_id, purpose="resend", destination=email, username=username)
    cognito.confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=m["code"])
    u = cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    assert u["UserStatus"] == "CONFIRMED", u


def test_wrong_code_then_right_code(cognito, server, pool):
    pool_id, client_id = pool
    username = unique("wrongcode")
    cognito.sign_up(ClientId=client_id, Username=username, Password=PASSWORD,
                    UserAttributes=attrs({"email": email_of(username)}))
    code = code_message(server, pool_id=pool_id, username=username, purpose="signup")["code"]
    wrong = "000000" if code != "000000" else "111111"
    e = client_error(cognito.confirm_sign_up, ClientId=client_id, Username=username,
                     ConfirmationCode=wrong, code="CodeMismatchException")
    assert e.response["Error"]["Message"] == \
        "Invalid verification code provided, please try again.", e.response["Error"]
    assert cognito.admin_get_user(UserPoolId=pool_id,
                                  Username=username)["UserStatus"] == "UNCONFIRMED"
    cognito.confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=code)
    assert cognito.admin_get_user(UserPoolId=pool_id,
                                  Username=username)["UserStatus"] == "CONFIRMED"


def test_admin_confirm_sign_up(cognito, server, pool):
    pool_id, client_id = pool
    username = unique("adminconf")
    cognito.sign_up(ClientId=client_id, Username=username, Password=PASSWORD,
                    UserAttributes=attrs({"email": email_of(username)}))
    r = cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username=username)
    assert set(r) == {"ResponseMetadata"}, r
    assert cognito.admin_get_user(UserPoolId=pool_id,
                                  Username=username)["UserStatus"] == "CONFIRMED"
    tokens(cognito, client_id, username)
    client_error(cognito.admin_confirm_sign_up, UserPoolId=pool_id, Username=unique("nobody"),
                 code="UserNotFoundException")


def test_required_attribute_missing(cognito, pool):
    _, client_id = pool
    e = client_error(cognito.sign_up, ClientId=client_id, Username=unique("noemail"),
                     Password=PASSWORD, code="InvalidParameterException")
    assert "email" in e.response["Error"]["Message"], e.response["Error"]


def test_unknown_attribute_rejected(cognito, pool):
    _, client_id = pool
    username = unique("badattr")
    client_error(cognito.sign_up, ClientId=client_id, Username=username, Password=PASSWORD,
                 UserAttributes=attrs({"email": email_of(username), "custom:nope": "x"}),
                 code="InvalidParameterException")


def test_signup_without_auto_verification(cognito, server):
    pool_id = make_pool(cognito)
    client_id = make_client(cognito, pool_id)["ClientId"]
    username = unique("noverify")
    before = len(find_messages(server, pool_id=pool_id))
    r = cognito.sign_up(ClientId=client_id, Username=username, Password=PASSWORD,
                        UserAttributes=attrs({"email": email_of(username)}))
    assert r["UserConfirmed"] is False and "CodeDeliveryDetails" not in r, r
    assert len(find_messages(server, pool_id=pool_id)) == before, "no code should be sent"
    assert cognito.admin_get_user(UserPoolId=pool_id,
                                  Username=username)["UserStatus"] == "UNCONFIRMED"
    cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username=username)
    tokens(cognito, client_id, username)


def test_email_as_username(cognito, server):
    pool_id = make_pool(cognito, UsernameAttributes=["email"], AutoVerifiedAttributes=["email"])
    client_id = make_client(cognito, pool_id)["ClientId"]
    email = email_of(unique("mail"))
    r = cognito.sign_up(ClientId=client_id, Username=email, Password=PASSWORD)
    sub = r["UserSub"]
    u = cognito.admin_get_user(UserPoolId=pool_id, Username=email)
    assert u["Username"] == sub, f"the stored username must be the sub: {u}"
    assert re.match(UUID_RE, u["Username"]), u
    assert attr_map(u["UserAttributes"])["email"] == email, u
    m = code_message(server, pool_id=pool_id, purpose="signup", destination=email)
    assert m["username"] == sub, m
    cognito.confirm_sign_up(ClientId=client_id, Username=email, ConfirmationCode=m["code"])
    tokens(cognito, client_id, email)
    e = client_error(cognito.sign_up, ClientId=client_id, Username=email, Password=PASSWORD,
                     code="UsernameExistsException")
    assert e.response["Error"]["Message"] == "An account with the given email already exists.", \
        e.response["Error"]
    client_error(cognito.sign_up, ClientId=client_id, Username="not-an-email",
                 Password=PASSWORD, code="InvalidParameterException")


def test_signup_with_secret_client(cognito, server, pool):
    pool_id, _ = pool
    c = make_client(cognito, pool_id, GenerateSecret=True)
    client_id, secret = c["ClientId"], c["ClientSecret"]
    username = unique("secret")
    r = cognito.sign_up(ClientId=client_id, Username=username, Password=PASSWORD,
                        SecretHash=secret_hash(username, client_id, secret),
                        UserAttributes=attrs({"email": email_of(username)}))
    assert r["UserConfirmed"] is False
    code = code_message(server, pool_id=pool_id, username=username, purpose="signup")["code"]
    e = client_error(cognito.confirm_sign_up, ClientId=client_id, Username=username,
                     ConfirmationCode=code, code="NotAuthorizedException")
    assert e.response["Error"]["Message"] == \
        f"Client {client_id} is configured for secret but secret was not received", \
        e.response["Error"]
    cognito.confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=code,
                            SecretHash=secret_hash(username, client_id, secret))
    tokens(cognito, client_id, username, secret=secret)


def test_admin_create_only_pool_rejects_signup(cognito):
    pool_id = make_pool(cognito, AdminCreateUserConfig={"AllowAdminCreateUserOnly": True})
    client_id = make_client(cognito, pool_id)["ClientId"]
    client_error(cognito.sign_up, ClientId=client_id, Username=unique("x"), Password=PASSWORD,
                 code="NotAuthorizedException")
    assert cognito.list_users(UserPoolId=pool_id).get("Users") == []


def test_signup_unknown_client(cognito):
    client_error(cognito.sign_up, ClientId="zzzzzzzzzzzzzzzzzzzzzzzzzz", Username=unique("x"),
                 Password=PASSWORD, code="ResourceNotFoundException")


def test_confirm_unknown_user(cognito, pool):
    _, client_id = pool
    client_error(cognito.confirm_sign_up, ClientId=client_id, Username=unique("ghost"),
                 ConfirmationCode="123456", code="UserNotFoundException")
    client_error(cognito.resend_confirmation_code, ClientId=client_id, Username=unique("ghost"),
                 code="UserNotFoundException")
