"""Sign-in Lambda triggers through boto3, against the real server and the local trigger receiver
(trigger_receiver.py, with signed requests): UserMigration_Authentication creates a user at the
first sign-in with the old password; PreAuthentication can deny; PostAuthentication sees the
sign-in and can refuse the tokens; PreTokenGeneration V1 changes the ID token and V2 the access
token and its scopes (tokens checked with PyJWT against the JWKS); refreshes run
TokenGeneration_RefreshTokens.
"""

import pytest

from helpers import unique
from helpers_assert import client_error
from helpers_assert import lambda_error
from helpers_users import confirmed_user
from trigger_receiver import rejecting as reject
from helpers_users import (PASSWORD, SCOPE, admin_sign_in, attr_map, email_of,
                           make_client, sign_in, tokens, verify_token)
from trigger_fixtures import trigger_secret
from trigger_receiver import Reject

OLD_PASSWORD = "legacy-Pa55word"


def answer(**response):
    """A handler that fills `response` in, as a Lambda function would."""
    return lambda event: {**event, "response": response}








@pytest.fixture
def pool(cognito, trigger_pool):
    """make(*triggers, **create_user_pool kwargs) -> (pool id, password client id)."""
    def make(*names, **kw):
        pool_id = trigger_pool(*names, **kw)
        return pool_id, make_client(cognito, pool_id)["ClientId"]
    return make


# ---- UserMigration --------------------------------------------------------------------------
def legacy_system(known):
    """A UserMigration handler for an old user store {name: (password, attributes)}."""
    def handler(event):
        entry = known.get(event["userName"])
        if entry is None or event["request"]["password"] != entry[0]:
            raise Reject("Bad password")
        return {**event, "response": {"userAttributes": entry[1], "finalUserStatus": "CONFIRMED",
                                      "messageAction": "SUPPRESS"}}
    return handler


def test_user_migration_creates_the_user_at_first_sign_in(server, cognito, pool,
                                                          trigger_receiver):
    pool_id, client_id = pool("UserMigration", Schema=[
        {"Name": "plan", "AttributeDataType": "String", "Mutable": True}])
    name = unique("old")
    trigger_receiver.handle("UserMigration", legacy_system(
        {name: (OLD_PASSWORD, {"email": email_of(name), "email_verified": "true",
                               "custom:plan": "gold"})}))
    client_error(cognito.admin_get_user, UserPoolId=pool_id, Username=name,
                 code="UserNotFoundException")

    result = tokens(cognito, client_id, name, OLD_PASSWORD)
    [event] = trigger_receiver.events("UserMigration")
    assert event["triggerSource"] == "UserMigration_Authentication"
    assert event["userName"] == name
    assert event["userPoolId"] == pool_id
    assert event["callerContext"]["clientId"] == client_id
    assert event["request"]["password"] == OLD_PASSWORD
    assert event["request"]["userAttributes"] == {}
    [invocation] = trigger_receiver.invocations("UserMigration")
    assert invocation.signature_ok is True

    claims = verify_token(server, pool_id, result["IdToken"], token_use="id", client_id=client_id)
    assert claims["cognito:username"] == name
    assert claims["email"] == email_of(name)
    assert claims["custom:plan"] == "gold"
    user = cognito.admin_get_user(UserPoolId=pool_id, Username=name)
    assert user["UserStatus"] == "CONFIRMED"
    assert attr_map(user["UserAttributes"])["sub"] == claims["sub"]

    # The second sign-in is an ordinary one: the trigger is not asked again.
    trigger_receiver.handle("UserMigration", reject("must not be called"))
    tokens(cognito, client_id, name, OLD_PASSWORD)
    admin_sign_in(cognito, pool_id, client_id, name, OLD_PASSWORD)
    lambda_error(sign_in, "NotAuthorizedException", "Incorrect username or password.",
                 cognito=cognito, client_id=client_id, username=name, password="Other-Pa55word")
    assert len(trigger_receiver.events("UserMigration")) == 1


def test_user_migration_rejection_and_empty_answers_create_nobody(cognito, pool,
                                                                  trigger_receiver):
    pool_id, client_id = pool("UserMigration")
    name = unique("old")
    trigger_receiver.handle("UserMigration", legacy_system({name: (OLD_PASSWORD, {})}))
    lambda_error(sign_in, "UserLambdaValidationException",
                 "UserMigration failed with error Bad password.",
                 cognito=cognito, client_id=client_id, username=name, password="Wrong-Pa55word")
    client_error(cognito.admin_get_user, UserPoolId=pool_id, Username=name,
                 code="UserNotFoundException")
    # A receiver that does not know the name answers an empty response: the usual error.
    trigger_receiver.handle("UserMigration", lambda e: e)
    lambda_error(sign_in, "UserNotFoundException", "User does not exist.",
                 cognito=cognito, client_id=client_id, username=name, password=OLD_PASSWORD)
    client_error(cognito.admin_get_user, UserPoolId=pool_id, Username=name,
                 code="UserNotFoundException")


def test_user_migration_reset_required(cognito, pool, trigger_receiver):
    pool_id, client_id = pool("UserMigration")
    name = unique("old")
    trigger_receiver.handle("UserMigration", answer(
        userAttributes={"email": email_of(name), "email_verified": "true"},
        finalUserStatus="RESET_REQUIRED"))
    lambda_error(sign_in, "PasswordResetRequiredException", "Password reset required for the user",
                 cognito=cognito, client_id=client_id, username=name, password=OLD_PASSWORD)
    user = cognito.admin_get_user(UserPoolId=pool_id, Username=name)
    assert user["UserStatus"] == "RESET_REQUIRED"


# ---- PreAuthentication / PostAuthentication -------------------------------------------------
def test_pre_authentication_can_deny_the_sign_in(cognito, pool, trigger_receiver):
    pool_id, client_id = pool("PreAuthentication")
    name = unique("pa")
    confirmed_user(cognito, pool_id, name)
    trigger_receiver.handle("PreAuthentication", reject("Sign-in blocked"))
    lambda_error(sign_in, "UserLambdaValidationException",
                 "PreAuthentication failed with error Sign-in blocked.",
                 cognito=cognito, client_id=client_id, username=name)
    [event] = trigger_receiver.events("PreAuthentication")
    assert event["triggerSource"] == "PreAuthentication_Authentication"
    assert event["userName"] == name
    request = event["request"]
    assert request["userAttributes"]["email"] == email_of(name)
    assert request["userAttributes"]["cognito:user_status"] == "CONFIRMED"
    assert "userNotFound" not in request

    # Asked before the password: a wrong one is not counted while the trigger denies.
    for _ in range(6):
        client_error(sign_in, cognito=cognito, client_id=client_id, username=name,
                     password="Wrong-Pa55word", code="UserLambdaValidationException")
    trigger_receiver.handle("PreAuthentication", lambda e: e)
    tokens(cognito, client_id, name)


def test_pre_authentication_gets_the_client_metadata(cognito, pool, trigger_receiver):
    pool_id, client_id = pool("PreAuthentication")
    name = unique("pa")
    confirmed_user(cognito, pool_id, name)
    cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                          AuthParameters={"USERNAME": name, "PASSWORD": PASSWORD},
                          ClientMetadata={"device": "kiosk"})
    [event] = trigger_receiver.events("PreAuthentication")
    assert event["request"]["validationData"] == {"device": "kiosk"}
    assert event["request"]["clientMetadata"] == {"device": "kiosk"}


def test_post_authentication_receives_the_event(server, cognito, pool, trigger_receiver):
    pool_id, client_id = pool("PostAuthentication")
    name = unique("post")
    confirmed_user(cognito, pool_id, name)
    client_error(sign_in, cognito=cognito, client_id=client_id, username=name,
                 password="Wrong-Pa55word", code="NotAuthorizedException")
    assert trigger_receiver.events("PostAuthentication") == []

    result = tokens(cognito, client_id, name)
    [event] = trigger_receiver.events("PostAuthentication")
    assert event["triggerSource"] == "PostAuthentication_Authentication"
    assert event["userName"] == name
    assert event["callerContext"]["clientId"] == client_id
    assert event["request"]["newDeviceUsed"] is False
    claims = verify_token(server, pool_id, result["IdToken"], token_use="id", client_id=client_id)
    assert event["request"]["userAttributes"]["sub"] == claims["sub"]

    trigger_receiver.handle("PostAuthentication", reject("Not today"))
    lambda_error(sign_in, "UserLambdaValidationException",
                 "PostAuthentication failed with error Not today.",
                 cognito=cognito, client_id=client_id, username=name)


# ---- PreTokenGeneration ---------------------------------------------------------------------
def test_pre_token_generation_v1_changes_the_id_token(server, cognito, pool, trigger_receiver):
    pool_id, client_id = pool("PreTokenGeneration")
    name = unique("ptg")
    confirmed_user(cognito, pool_id, name, phone_number="+15551234567")
    cognito.create_group(UserPoolId=pool_id, GroupName="staff")
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=name, GroupName="staff")
    trigger_receiver.handle("PreTokenGeneration", answer(claimsOverrideDetails={
        "claimsToAddOrOverride": {"tier": "gold", "email": "shown@example.com", "sub": "forged"},
        "claimsToSuppress": ["phone_number"],
        "groupOverrideDetails": {"groupsToOverride": ["vip"]}}))

    result = tokens(cognito, client_id, name)
    [event] = trigger_receiver.events("PreTokenGeneration")
    assert event["version"] == "1"
    assert event["triggerSource"] == "TokenGeneration_Authentication"
    assert event["request"]["groupConfiguration"] == {
        "groupsToOverride": ["staff"], "iamRolesToOverride": [], "preferredRole": None}
    assert event["request"]["userAttributes"]["phone_number"] == "+15551234567"

    id_claims = verify_token(server, pool_id, result["IdToken"], token_use="id",
                             client_id=client_id)
    assert id_claims["tier"] == "gold"
    assert id_claims["email"] == "shown@example.com"
    assert "phone_number" not in id_claims
    assert id_claims["sub"] != "forged"  # reserved claims stay
    assert id_claims["cognito:groups"] == ["vip"]
    access = verify_token(server, pool_id, result["AccessToken"], token_use="access",
                          client_id=client_id)
    assert "tier" not in access  # V1 changes the ID token only
    assert access["cognito:groups"] == ["vip"]
    assert access["sub"] == id_claims["sub"]
    # The customised access token still works with the user APIs.
    assert cognito.get_user(AccessToken=result["AccessToken"])["Username"] == name


def test_pre_token_generation_rejection_means_no_tokens(cognito, pool, trigger_receiver):
    pool_id, client_id = pool("PreTokenGeneration")
    name = unique("ptg")
    confirmed_user(cognito, pool_id, name)
    trigger_receiver.handle("PreTokenGeneration", reject("No tokens"))
    lambda_error(sign_in, "UserLambdaValidationException",
                 "PreTokenGeneration failed with error No tokens.",
                 cognito=cognito, client_id=client_id, username=name)
    trigger_receiver.handle("PreTokenGeneration", answer(
        claimsOverrideDetails={"claimsToAddOrOverride": ["not", "a", "map"]}))
    client_error(sign_in, cognito=cognito, client_id=client_id, username=name,
                 code="InvalidLambdaResponseException")


def v2_pool(raw, server, trigger_receiver, cognito):
    """A pool whose PreTokenGenerationConfig (V2_0; newer than Debian's botocore) points at the
    receiver, and a password client."""
    pool_id = raw.ok("CreateUserPool", {"PoolName": unique("ptg2"), "LambdaConfig": {
        "PreTokenGenerationConfig": {"LambdaVersion": "V2_0",
                                     "LambdaArn": trigger_receiver.url_for("PreTokenGeneration")}}}
    )["UserPool"]["Id"]
    trigger_receiver.secret[pool_id] = trigger_secret(server, pool_id)
    return pool_id, make_client(cognito, pool_id)["ClientId"]


def test_pre_token_generation_v2_changes_the_access_token(server, raw, cognito,
                                                          trigger_receiver):
    trigger_receiver.reset()
    pool_id, client_id = v2_pool(raw, server, trigger_receiver, cognito)
    name = unique("ptg")
    confirmed_user(cognito, pool_id, name)
    trigger_receiver.handle("PreTokenGeneration", answer(claimsAndScopeOverrideDetails={
        "idTokenGeneration": {"claimsToAddOrOverride": {"level": 3}},
        "accessTokenGeneration": {"claimsToAddOrOverride": {"perms": ["read", "write"],
                                                            "client_id": "forged"},
                                  "claimsToSuppress": ["email"],
                                  "scopesToAdd": ["api/read"]}}))

    result = tokens(cognito, client_id, name)
    [event] = trigger_receiver.events("PreTokenGeneration")
    assert event["version"] == "2"
    assert event["request"]["scopes"] == [SCOPE]
    assert trigger_receiver.invocations("PreTokenGeneration")[0].signature_ok is True

    access = verify_token(server, pool_id, result["AccessToken"], token_use="access",
                          client_id=client_id)
    assert access["perms"] == ["read", "write"]
    assert access["scope"] == f"{SCOPE} api/read"
    id_claims = verify_token(server, pool_id, result["IdToken"], token_use="id",
                             client_id=client_id)
    assert id_claims["level"] == 3
    assert id_claims["email"] == email_of(name)
    assert "perms" not in id_claims


def test_refresh_runs_token_generation_refresh_tokens(server, raw, cognito, pool,
                                                      trigger_receiver):
    pool_id, client_id = pool("PreTokenGeneration")
    name = unique("ptg")
    confirmed_user(cognito, pool_id, name)
    refresh = tokens(cognito, client_id, name)["RefreshToken"]
    trigger_receiver.handle("PreTokenGeneration", lambda e: {**e, "response": {
        "claimsOverrideDetails": {"claimsToAddOrOverride": {"source": e["triggerSource"]}}}})

    r = cognito.initiate_auth(ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                              AuthParameters={"REFRESH_TOKEN": refresh})
    claims = verify_token(server, pool_id, r["AuthenticationResult"]["IdToken"], token_use="id",
                          client_id=client_id)
    assert claims["source"] == "TokenGeneration_RefreshTokens"

    out = raw.ok("GetTokensFromRefreshToken", {"ClientId": client_id, "RefreshToken": refresh,
                                               "ClientMetadata": {"app": "mobile"}})
    claims = verify_token(server, pool_id, out["AuthenticationResult"]["IdToken"],
                          token_use="id", client_id=client_id)
    assert claims["source"] == "TokenGeneration_RefreshTokens"
    events = trigger_receiver.events("PreTokenGeneration")
    assert [e["triggerSource"] for e in events] == ["TokenGeneration_Authentication",
                                                    "TokenGeneration_RefreshTokens",
                                                    "TokenGeneration_RefreshTokens"]
    assert events[2]["request"]["clientMetadata"] == {"app": "mobile"}

    trigger_receiver.handle("PreTokenGeneration", reject("Session over"))
    lambda_error(cognito.initiate_auth, "UserLambdaValidationException",
                 "PreTokenGeneration failed with error Session over.", ClientId=client_id,
                 AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": refresh})
