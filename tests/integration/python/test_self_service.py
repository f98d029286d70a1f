"""What signed-in users do with their access token, and password recovery: GetUser,
UpdateUserAttributes, DeleteUserAttributes, GetUserAttributeVerificationCode,
VerifyUserAttribute, ChangePassword, ForgotPassword / ConfirmForgotPassword, DeleteUser."""

import pytest

from helpers import unique
from helpers_assert import client_error
from helpers_users import (NEW_PASSWORD, PASSWORD, attr_map, attrs, check_message, code_message,
                           email_of, find_messages, make_client, make_pool, sign_in,
                           signup_confirmed, tokens)


@pytest.fixture(scope="module")
def pool(cognito):
    pool_id = make_pool(cognito, AutoVerifiedAttributes=["email"],
                        Schema=[{"Name": "tenant", "AttributeDataType": "String",
                                 "Mutable": True}])
    client_id = make_client(cognito, pool_id)["ClientId"]
    return pool_id, client_id


def new_user(cognito, pool, verified=True, **extra):
    """A confirmed user with an email (verified by default); returns (username, email, tokens)."""
    pool_id, client_id = pool
    username = unique("self")
    email = email_of(username)
    signup_confirmed(cognito, pool_id, client_id, username=username,
                     attributes={"email": email, **extra})
    if verified:
        cognito.admin_update_user_attributes(UserPoolId=pool_id, Username=username,
                                             UserAttributes=attrs({"email_verified": "true"}))
    return username, email, tokens(cognito, client_id, username)


def check_delivery(d, email):
    assert d.get("DeliveryMedium") == "EMAIL" and d.get("AttributeName") == "email", d
    assert d.get("Destination") and d["Destination"] != email and "***" in d["Destination"], d


def get_attrs(cognito, access_token):
    return attr_map(cognito.get_user(AccessToken=access_token)["UserAttributes"])


def test_get_user(cognito, pool):
    username, email, t = new_user(cognito, pool, name="Self User", **{"custom:tenant": "t1"})
    u = cognito.get_user(AccessToken=t["AccessToken"])
    assert u["Username"] == username, u
    a = attr_map(u["UserAttributes"])
    assert a["email"] == email and a["email_verified"] == "true", a
    assert a["name"] == "Self User" and a["custom:tenant"] == "t1", a
    assert "sub" in a, a
    assert u["UserAttributes"][0]["Name"] == "sub", "Cognito lists sub first"


def test_update_plain_attributes(cognito, pool):
    username, email, t = new_user(cognito, pool)
    r = cognito.update_user_attributes(AccessToken=t["AccessToken"], UserAttributes=attrs(
        {"name": "Renamed", "custom:tenant": "t2", "given_name": "Ren"}))
    assert not r.get("CodeDeliveryDetailsList"), r
    a = get_attrs(cognito, t["AccessToken"])
    assert a["name"] == "Renamed" and a["custom:tenant"] == "t2" and a["given_name"] == "Ren", a
    assert a["email"] == email and a["email_verified"] == "true", a
    # An empty value deletes the attribute.
    cognito.update_user_attributes(AccessToken=t["AccessToken"],
                                   UserAttributes=attrs({"given_name": ""}))
    assert "given_name" not in get_attrs(cognito, t["AccessToken"])


def test_update_email_requires_verification(cognito, server, pool):
    pool_id, _ = pool
    username, _, t = new_user(cognito, pool)
    new_email = email_of(unique("changed"))
    r = cognito.update_user_attributes(AccessToken=t["AccessToken"],
                                       UserAttributes=attrs({"email": new_email}))
    details = r.get("CodeDeliveryDetailsList")
    assert details and len(details) == 1, r
    check_delivery(details[0], new_email)
    m = code_message(server, pool_id=pool_id, username=username, purpose="update-attribute")
    check_message(m, pool_id=pool_id, purpose="update-attribute", destination=new_email)
    a = get_attrs(cognito, t["AccessToken"])
    assert a["email"] == new_email and a["email_verified"] == "false", a
    wrong = "000000" if m["code"] != "000000" else "111111"
    client_error(cognito.verify_user_attribute, AccessToken=t["AccessToken"],
                 AttributeName="email", Code=wrong, code="CodeMismatchException")
    r = cognito.verify_user_attribute(AccessToken=t["AccessToken"], AttributeName="email",
                                      Code=m["code"])
    assert set(r) == {"ResponseMetadata"}, r
    assert get_attrs(cognito, t["AccessToken"])["email_verified"] == "true"


def test_get_attribute_verification_code(cognito, server, pool):
    pool_id, _ = pool
    username, email, t = new_user(cognito, pool, verified=False)
    assert get_attrs(cognito, t["AccessToken"]).get("email_verified", "false") == "false"
    r = cognito.get_user_attribute_verification_code(AccessToken=t["AccessToken"],
                                                     AttributeName="email")
    check_delivery(r["CodeDeliveryDetails"], email)
    m = code_message(server, pool_id=pool_id, username=username, purpose="verify-attribute")
    check_message(m, pool_id=pool_id, purpose="verify-attribute", destination=email)
    cognito.verify_user_attribute(AccessToken=t["AccessToken"], AttributeName="email",
                                  Code=m["code"])
    assert get_attrs(cognito, t["AccessToken"])["email_verified"] == "true"
    # A code works once.
    client_error(cognito.verify_user_attribute, AccessToken=t["AccessToken"],
                 AttributeName="email", Code=m["code"],
                 code={"ExpiredCodeException", "CodeMismatchException"})


def test_verification_code_for_missing_attribute(cognito, pool):
    _, _, t = new_user(cognito, pool)
    client_error(cognito.get_user_attribute_verification_code, AccessToken=t["AccessToken"],
                 AttributeName="phone_number", code="InvalidParameterException")


def test_delete_user_attributes(cognito, pool):
    _, _, t = new_user(cognito, pool, name="To Delete", **{"custom:tenant": "gone"})
    r = cognito.delete_user_attributes(AccessToken=t["AccessToken"],
                                       UserAttributeNames=["name", "custom:tenant"])
    assert set(r) == {"ResponseMetadata"}, r
    a = get_attrs(cognito, t["AccessToken"])
    assert "name" not in a and "custom:tenant" not in a, a
    assert "email" in a


def test_immutable_and_unwritable_attributes(cognito, pool):
    pool_id, _ = pool
    username, _, t = new_user(cognito, pool)
    client_error(cognito.update_user_attributes, AccessToken=t["AccessToken"],
                 UserAttributes=attrs({"sub": "00000000-0000-0000-0000-000000000000"}),
                 code={"InvalidParameterException", "NotAuthorizedException"})
    client_error(cognito.update_user_attributes, AccessToken=t["AccessToken"],
                 UserAttributes=attrs({"custom:undeclared": "x"}),
                 code="InvalidParameterException")
    limited = make_client(cognito, pool_id, WriteAttributes=["name"])["ClientId"]
    lt = tokens(cognito, limited, username)
    client_error(cognito.update_user_attributes, AccessToken=lt["AccessToken"],
                 UserAttributes=attrs({"custom:tenant": "nope"}), code="NotAuthorizedException")
    cognito.update_user_attributes(AccessToken=lt["AccessToken"],
                                   UserAttributes=attrs({"name": "allowed"}))
    assert get_attrs(cognito, t["AccessToken"]).get("custom:tenant") is None


def test_change_password(cognito, pool):
    _, client_id = pool
    username, _, t = new_user(cognito, pool)
    e = client_error(cognito.change_password, AccessToken=t["AccessToken"],
                     PreviousPassword="Wr0ng-Password", ProposedPassword=NEW_PASSWORD,
                     code="NotAuthorizedException")
    assert e.response["Error"]["Message"] == "Incorrect username or password.", \
        e.response["Error"]
    e = client_error(cognito.change_password, AccessToken=t["AccessToken"],
                     PreviousPassword=PASSWORD, ProposedPassword="nouppercase1!",
                     code="InvalidPasswordException")
    assert e.response["Error"]["Message"] == \
        "Password did not conform with policy: Password must have uppercase characters"
    r = cognito.change_password(AccessToken=t["AccessToken"], PreviousPassword=PASSWORD,
                                ProposedPassword=NEW_PASSWORD)
    assert set(r) == {"ResponseMetadata"}, r
    client_error(sign_in, cognito, client_id, username, PASSWORD, code="NotAuthorizedException")
    tokens(cognito, client_id, username, NEW_PASSWORD)


def test_forgot_password(cognito, server, pool):
    pool_id, client_id = pool
    username, email, _ = new_user(cognito, pool)
    r = cognito.forgot_password(ClientId=client_id, Username=username)
    check_delivery(r["CodeDeliveryDetails"], email)
    m = code_message(server, pool_id=pool_id, username=username, purpose="forgot-password")
    check_message(m, pool_id=pool_id, purpose="forgot-password", destination=email)
    wrong = "000000" if m["code"] != "000000" else "111111"
    e = client_error(cognito.confirm_forgot_password, ClientId=client_id, Username=username,
                     ConfirmationCode=wrong, Password=NEW_PASSWORD,
                     code="CodeMismatchException")
    assert e.response["Error"]["Message"] == \
        "Invalid verification code provided, please try again.", e.response["Error"]
    client_error(cognito.confirm_forgot_password, ClientId=client_id, Username=username,
                 ConfirmationCode=m["code"], Password="nouppercase1!",
                 code="InvalidPasswordException")
    r = cognito.confirm_forgot_password(ClientId=client_id, Username=username,
                                        ConfirmationCode=m["code"], Password=NEW_PASSWORD)
    assert set(r) == {"ResponseMetadata"}, r
    tokens(cognito, client_id, username, NEW_PASSWORD)
    client_error(sign_in, cognito, client_id, username, PASSWORD, code="NotAuthorizedException")
    # The code was used up.
    client_error(cognito.confirm_forgot_password, ClientId=client_id, Username=username,
                 ConfirmationCode=m["code"], Password="Th1rd-Passw0rd",
                 code={"ExpiredCodeException", "CodeMismatchException"})
    tokens(cognito, client_id, username, NEW_PASSWORD)


def test_forgot_password_by_email_alias(cognito, server):
    pool_id = make_pool(cognito, UsernameAttributes=["email"], AutoVerifiedAttributes=["email"])
    client_id = make_client(cognito, pool_id)["ClientId"]
    email = email_of(unique("forgot"))
    _, sub = signup_confirmed(cognito, pool_id, client_id, username=email)
    cognito.admin_update_user_attributes(UserPoolId=pool_id, Username=email,
                                         UserAttributes=attrs({"email_verified": "true"}))
    cognito.forgot_password(ClientId=client_id, Username=email)
    m = code_message(server, pool_id=pool_id, purpose="forgot-password", destination=email)
    assert m["username"] == sub, m
    cognito.confirm_forgot_password(ClientId=client_id, Username=email,
                                    ConfirmationCode=m["code"], Password=NEW_PASSWORD)
    tokens(cognito, client_id, email, NEW_PASSWORD)


def test_forgot_password_without_verified_contact(cognito, server, pool):
    pool_id, client_id = pool
    username, _, _ = new_user(cognito, pool, verified=False)
    before = len(find_messages(server, pool_id=pool_id, username=username))
    client_error(cognito.forgot_password, ClientId=client_id, Username=username,
                 code="InvalidParameterException")
    assert len(find_messages(server, pool_id=pool_id, username=username)) == before


def test_delete_user(cognito, pool):
    pool_id, client_id = pool
    username, _, t = new_user(cognito, pool)
    r = cognito.delete_user(AccessToken=t["AccessToken"])
    assert set(r) == {"ResponseMetadata"}, r
    client_error(cognito.admin_get_user, UserPoolId=pool_id, Username=username,
                 code="UserNotFoundException")
    client_error(cognito.get_user, AccessToken=t["AccessToken"],
                 code={"NotAuthorizedException", "UserNotFoundException"})
    client_error(sign_in, cognito, client_id, username, code="UserNotFoundException")
    client_error(cognito.initiate_auth, ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                 AuthParameters={"REFRESH_TOKEN": t["RefreshToken"]},
                 code={"NotAuthorizedException", "UserNotFoundException"})
    # The name is free again.
    cognito.sign_up(ClientId=client_id, Username=username, Password=PASSWORD)


def test_disabled_user_token_stops_working(cognito, pool):
    pool_id, _ = pool
    username, _, t = new_user(cognito, pool)
    cognito.admin_disable_user(UserPoolId=pool_id, Username=username)
    client_error(cognito.get_user, AccessToken=t["AccessToken"], code="NotAuthorizedException")
    cognito.admin_enable_user(UserPoolId=pool_id, Username=username)
