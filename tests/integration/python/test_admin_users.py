"""Administrative user management: AdminCreateUser (invitations, SUPPRESS, RESEND, generated
temporary passwords), AdminGetUser, AdminDeleteUser, AdminDisableUser / AdminEnableUser,
AdminSetUserPassword, AdminResetUserPassword, AdminUpdateUserAttributes and
AdminDeleteUserAttributes."""

import datetime
import re
import time

import pytest

from helpers import unique
from helpers_assert import client_error
from helpers_users import (NEW_PASSWORD, PASSWORD, UUID_RE, attr_map, attrs, check_message,
                           code_message, email_of, find_messages, make_client, make_pool,
                           sign_in, signup_confirmed, tokens, wait_message)

TEMP = "Temp-Passw0rd1"


@pytest.fixture(scope="module")
def pool(cognito):
    pool_id = make_pool(cognito, AutoVerifiedAttributes=["email"],
                        Schema=[{"Name": "tenant", "AttributeDataType": "String",
                                 "Mutable": True}])
    client_id = make_client(cognito, pool_id)["ClientId"]
    return pool_id, client_id


def near_now(d):
    assert isinstance(d, datetime.datetime), d
    assert abs(d.timestamp() - time.time()) < 120, d


def test_create_user_suppressed(cognito, server, pool):
    pool_id, _ = pool
    username = unique("adm")
    before = len(find_messages(server, pool_id=pool_id, username=username))
    r = cognito.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS",
                                  UserAttributes=attrs({"email": email_of(username),
                                                        "name": "Admin Made",
                                                        "custom:tenant": "t"}))
    u = r["User"]
    assert u["Username"] == username and u["Enabled"] is True, u
    assert u["UserStatus"] == "FORCE_CHANGE_PASSWORD", u
    near_now(u["UserCreateDate"])
    near_now(u["UserLastModifiedDate"])
    a = attr_map(u["Attributes"])
    assert re.match(UUID_RE, a["sub"]), a
    assert a["email"] == email_of(username) and a["name"] == "Admin Made", a
    assert a["custom:tenant"] == "t", a
    assert len(find_messages(server, pool_id=pool_id, username=username)) == before, \
        "SUPPRESS must not send an invitation"
    g = cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    assert g["Username"] == username and g["UserStatus"] == "FORCE_CHANGE_PASSWORD", g
    assert attr_map(g["UserAttributes"]) == a, g
    assert g["UserCreateDate"] == u["UserCreateDate"], (g, u)


def test_create_user_invitation_with_given_password(cognito, server, pool):
    pool_id, client_id = pool
    username = unique("invite")
    email = email_of(username)
    cognito.admin_create_user(UserPoolId=pool_id, Username=username, TemporaryPassword=TEMP,
                              UserAttributes=attrs({"email": email}))
    m = wait_message(server, pool_id=pool_id, username=username, purpose="invitation")
    check_message(m, pool_id=pool_id, purpose="invitation", destination=email,
                  username=username)
    assert m["code"] == TEMP, m
    assert TEMP in m["body"] and username in m["body"], m
    r = sign_in(cognito, client_id, username, TEMP)
    assert r.get("ChallengeName") == "NEW_PASSWORD_REQUIRED", r


def test_create_user_generated_password(cognito, server, pool):
    pool_id, client_id = pool
    username = unique("gen")
    cognito.admin_create_user(UserPoolId=pool_id, Username=username,
                              UserAttributes=attrs({"email": email_of(username)}),
                              DesiredDeliveryMediums=["EMAIL"])
    m = wait_message(server, pool_id=pool_id, username=username, purpose="invitation")
    temp = m["code"]
    assert len(temp) >= 8 and re.search("[A-Z]", temp) and re.search("[a-z]", temp) and \
        re.search("[0-9]", temp), f"generated password does not meet the policy: {temp!r}"
    assert temp in m["body"], m
    r = sign_in(cognito, client_id, username, temp)
    assert r.get("ChallengeName") == "NEW_PASSWORD_REQUIRED", r
    out = cognito.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="NEW_PASSWORD_REQUIRED", Session=r["Session"],
        ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": NEW_PASSWORD})
    assert out["AuthenticationResult"]["AccessToken"]


def test_resend_invitation(cognito, server, pool):
    pool_id, client_id = pool
    username = unique("resendinv")
    cognito.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS",
                              UserAttributes=attrs({"email": email_of(username)}))
    r = cognito.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="RESEND",
                                  TemporaryPassword=TEMP)
    assert r["User"]["Username"] == username, r
    m = wait_message(server, pool_id=pool_id, username=username, purpose="invitation")
    assert m["code"] == TEMP, m
    assert sign_in(cognito, client_id, username, TEMP).get("ChallengeName") == \
        "NEW_PASSWORD_REQUIRED"
    client_error(cognito.admin_create_user, UserPoolId=pool_id, Username=unique("nobody"),
                 MessageAction="RESEND", code="UserNotFoundException")


def test_create_user_errors(cognito, pool):
    pool_id, _ = pool
    username = unique("dup")
    cognito.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS")
    e = client_error(cognito.admin_create_user, UserPoolId=pool_id, Username=username,
                     MessageAction="SUPPRESS", code="UsernameExistsException")
    assert e.response["Error"]["Message"] == "User account already exists", e.response["Error"]
    client_error(cognito.admin_create_user, UserPoolId=pool_id, Username=unique("weak"),
                 TemporaryPassword="weakpassword", MessageAction="SUPPRESS",
                 code="InvalidPasswordException")
    client_error(cognito.admin_create_user, UserPoolId=pool_id, Username=unique("attr"),
                 MessageAction="SUPPRESS", UserAttributes=attrs({"custom:undeclared": "x"}),
                 code="InvalidParameterException")
    client_error(cognito.admin_create_user, UserPoolId="us-east-1_ZZZZZZZZZ",
                 Username=unique("nopool"), MessageAction="SUPPRESS",
                 code="ResourceNotFoundException")


def test_create_user_email_as_username(cognito):
    pool_id = make_pool(cognito, UsernameAttributes=["email"])
    email = email_of(unique("admmail"))
    u = cognito.admin_create_user(UserPoolId=pool_id, Username=email, MessageAction="SUPPRESS",
                                  TemporaryPassword=TEMP)["User"]
    a = attr_map(u["Attributes"])
    assert re.match(UUID_RE, u["Username"]) and u["Username"] == a["sub"], u
    assert a["email"] == email, u
    g = cognito.admin_get_user(UserPoolId=pool_id, Username=email)
    assert g["Username"] == u["Username"], g
    client_error(cognito.admin_create_user, UserPoolId=pool_id, Username=email,
                 MessageAction="SUPPRESS", code="UsernameExistsException")


def test_get_user_errors(cognito, pool):
    pool_id, _ = pool
    e = client_error(cognito.admin_get_user, UserPoolId=pool_id, Username=unique("ghost"),
                     code="UserNotFoundException")
    assert e.response["Error"]["Message"] == "User does not exist.", e.response["Error"]
    client_error(cognito.admin_get_user, UserPoolId="us-east-1_ZZZZZZZZZ", Username="x",
                 code="ResourceNotFoundException")


def test_delete_user(cognito, pool):
    pool_id, client_id = pool
    username, _ = signup_confirmed(cognito, pool_id, client_id)
    t = tokens(cognito, client_id, username)
    r = cognito.admin_delete_user(UserPoolId=pool_id, Username=username)
    assert set(r) == {"ResponseMetadata"}, r
    client_error(cognito.admin_get_user, UserPoolId=pool_id, Username=username,
                 code="UserNotFoundException")
    client_error(cognito.admin_delete_user, UserPoolId=pool_id, Username=username,
                 code="UserNotFoundException")
    client_error(cognito.get_user, AccessToken=t["AccessToken"],
                 code={"NotAuthorizedException", "UserNotFoundException"})
    names = [u["Username"] for u in cognito.list_users(
        UserPoolId=pool_id, Filter=f'username = "{username}"').get("Users", [])]
    assert names == [], names


def test_disable_enable(cognito, pool):
    pool_id, client_id = pool
    username, _ = signup_confirmed(cognito, pool_id, client_id)
    assert set(cognito.admin_disable_user(UserPoolId=pool_id, Username=username)) == \
        {"ResponseMetadata"}
    g = cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    assert g["Enabled"] is False and g["UserStatus"] == "CONFIRMED", g
    e = client_error(sign_in, cognito, client_id, username, code="NotAuthorizedException")
    assert e.response["Error"]["Message"] == "User is disabled.", e.response["Error"]
    client_error(cognito.admin_initiate_auth, UserPoolId=pool_id, ClientId=client_id,
                 AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
                 code="NotAuthorizedException")
    cognito.admin_disable_user(UserPoolId=pool_id, Username=username)  # idempotent
    cognito.admin_enable_user(UserPoolId=pool_id, Username=username)
    assert cognito.admin_get_user(UserPoolId=pool_id, Username=username)["Enabled"] is True
    tokens(cognito, client_id, username)
    for fn in (cognito.admin_disable_user, cognito.admin_enable_user):
        client_error(fn, UserPoolId=pool_id, Username=unique("ghost"),
                     code="UserNotFoundException")


def test_set_user_password(cognito, pool):
    pool_id, client_id = pool
    username = unique("setpw")
    cognito.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS",
                              TemporaryPassword=TEMP)
    r = cognito.admin_set_user_password(UserPoolId=pool_id, Username=username,
                                        Password=NEW_PASSWORD, Permanent=True)
    assert set(r) == {"ResponseMetadata"}, r
    assert cognito.admin_get_user(UserPoolId=pool_id,
                                  Username=username)["UserStatus"] == "CONFIRMED"
    tokens(cognito, client_id, username, NEW_PASSWORD)
    client_error(sign_in, cognito, client_id, username, TEMP, code="NotAuthorizedException")
    e = client_error(cognito.admin_set_user_password, UserPoolId=pool_id, Username=username,
                     Password="NoDigits-Here", Permanent=True, code="InvalidPasswordException")
    assert e.response["Error"]["Message"] == \
        "Password did not conform with policy: Password must have numeric characters"
    client_error(cognito.admin_set_user_password, UserPoolId=pool_id, Username=unique("ghost"),
                 Password=NEW_PASSWORD, Permanent=True, code="UserNotFoundException")


def test_reset_user_password(cognito, server, pool):
    pool_id, client_id = pool
    username, _ = signup_confirmed(cognito, pool_id, client_id,
                                   attributes={"email": email_of("reset")})
    email = email_of("reset")
    cognito.admin_update_user_attributes(UserPoolId=pool_id, Username=username,
                                         UserAttributes=attrs({"email_verified": "true"}))
    r = cognito.admin_reset_user_password(UserPoolId=pool_id, Username=username)
    assert set(r) == {"ResponseMetadata"}, r
    assert cognito.admin_get_user(UserPoolId=pool_id,
                                  Username=username)["UserStatus"] == "RESET_REQUIRED"
    m = code_message(server, pool_id=pool_id, username=username, purpose="admin-reset")
    check_message(m, pool_id=pool_id, purpose="admin-reset", destination=email)
    client_error(sign_in, cognito, client_id, username, code="PasswordResetRequiredException")
    cognito.confirm_forgot_password(ClientId=client_id, Username=username,
                                    ConfirmationCode=m["code"], Password=NEW_PASSWORD)
    assert cognito.admin_get_user(UserPoolId=pool_id,
                                  Username=username)["UserStatus"] == "CONFIRMED"
    tokens(cognito, client_id, username, NEW_PASSWORD)


def test_update_user_attributes(cognito, pool):
    pool_id, client_id = pool
    username, _ = signup_confirmed(cognito, pool_id, client_id)
    before = cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    time.sleep(1.05)
    new_email = email_of(unique("admupd"))
    r = cognito.admin_update_user_attributes(
        UserPoolId=pool_id, Username=username,
        UserAttributes=attrs({"name": "Updated", "custom:tenant": "t9", "email": new_email,
                              "email_verified": "true"}))
    assert set(r) == {"ResponseMetadata"}, r
    after = cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    a = attr_map(after["UserAttributes"])
    assert a["name"] == "Updated" and a["custom:tenant"] == "t9", a
    assert a["email"] == new_email and a["email_verified"] == "true", a
    assert a["sub"] == attr_map(before["UserAttributes"])["sub"]
    assert after["UserLastModifiedDate"] > before["UserLastModifiedDate"], (before, after)
    assert after["UserCreateDate"] == before["UserCreateDate"]
    client_error(cognito.admin_update_user_attributes, UserPoolId=pool_id, Username=username,
                 UserAttributes=attrs({"custom:undeclared": "x"}),
                 code="InvalidParameterException")
    client_error(cognito.admin_update_user_attributes, UserPoolId=pool_id, Username=username,
                 UserAttributes=attrs({"sub": "00000000-0000-0000-0000-000000000000"}),
                 code="InvalidParameterException")
    client_error(cognito.admin_update_user_attributes, UserPoolId=pool_id,
                 Username=unique("ghost"), UserAttributes=attrs({"name": "x"}),
                 code="UserNotFoundException")


def test_delete_user_attributes(cognito, pool):
    pool_id, client_id = pool
    username, _ = signup_confirmed(cognito, pool_id, client_id,
                                   attributes={"name": "N", "custom:tenant": "t"})
    r = cognito.admin_delete_user_attributes(UserPoolId=pool_id, Username=username,
                                             UserAttributeNames=["name", "custom:tenant"])
    assert set(r) == {"ResponseMetadata"}, r
    a = attr_map(cognito.admin_get_user(UserPoolId=pool_id, Username=username)["UserAttributes"])
    assert "name" not in a and "custom:tenant" not in a and "sub" in a, a
    client_error(cognito.admin_delete_user_attributes, UserPoolId=pool_id,
                 Username=unique("ghost"), UserAttributeNames=["name"],
                 code="UserNotFoundException")


def test_estimated_number_of_users_counts_the_pool(cognito):
    pool_id = make_pool(cognito)
    assert cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["EstimatedNumberOfUsers"] == 0
    for i in range(3):
        cognito.admin_create_user(UserPoolId=pool_id, Username=unique(f"n{i}"),
                                  MessageAction="SUPPRESS")
    assert cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["EstimatedNumberOfUsers"] == 3
    cognito.admin_delete_user(UserPoolId=pool_id,
                              Username=cognito.list_users(UserPoolId=pool_id)["Users"][0]["Username"])
    assert cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["EstimatedNumberOfUsers"] == 2
