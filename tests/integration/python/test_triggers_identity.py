"""Identity-side Lambda triggers through boto3, against the real server and a local trigger
receiver (trigger_receiver.py): CustomMessage rewrites what lands in the outbox (sign-up code,
forgotten password, invitation) and its bad answers store nothing; PostConfirmation sees the
confirmed user and a rejection fails the confirmation with nothing changed;
UserMigration_ForgotPassword creates an unknown user and the reset code reaches it.
"""

import pytest

from helpers import unique
from helpers_assert import client_error
from helpers_users import confirmed_user
from trigger_receiver import rejecting as reject
from helpers_users import (NEW_PASSWORD, PASSWORD, attr_map, attrs, code_message, email_of,
                           find_messages, make_client, sign_in)
from trigger_receiver import Status, TriggerReceiver

AUTO_EMAIL = {"AutoVerifiedAttributes": ["email"]}


@pytest.fixture(scope="module")
def rx():
    with TriggerReceiver() as receiver:
        yield receiver


@pytest.fixture
def receiver(rx):
    rx.reset()
    yield rx
    rx.reset()


def pool_with(cognito, rx, *triggers, **kw):
    """A pool whose LambdaConfig sends `triggers` to the receiver, and a password client."""
    config = {name: rx.url_for(name) for name in triggers}
    pool_id = cognito.create_user_pool(PoolName=unique("trig"), LambdaConfig=config,
                                       **kw)["UserPool"]["Id"]
    return pool_id, make_client(cognito, pool_id)["ClientId"]


def answer(**response):
    """A handler that fills `response` in, as a Lambda function would."""
    return lambda event: {**event, "response": {**event.get("response", {}), **response}}




def sign_up(cognito, client_id, username, **kw):
    return cognito.sign_up(ClientId=client_id, Username=username, Password=PASSWORD,
                           UserAttributes=attrs({"email": email_of(username)}), **kw)




def status_of(cognito, pool_id, username):
    return cognito.admin_get_user(UserPoolId=pool_id, Username=username)["UserStatus"]


# ---- CustomMessage --------------------------------------------------------------------------
def test_custom_message_rewrites_the_sign_up_code(server, cognito, receiver):
    pool_id, client_id = pool_with(cognito, receiver, "CustomMessage", **AUTO_EMAIL)
    receiver.handle("CustomMessage", lambda e: {**e, "response": {
        "emailSubject": "Welcome aboard",
        "emailMessage": f"Hello {e['userName']}, your code is {e['request']['codeParameter']}",
        "smsMessage": None}})
    user = unique("cm")
    sign_up(cognito, client_id, user, ClientMetadata={"campaign": "spring"})

    m = code_message(server, pool_id=pool_id, username=user, purpose="signup")
    assert m["subject"] == "Welcome aboard"
    assert m["body"] == f"Hello {user}, your code is {m['code']}"
    [event] = receiver.events("CustomMessage")
    assert event["triggerSource"] == "CustomMessage_SignUp"
    assert event["userPoolId"] == pool_id and event["userName"] == user
    assert event["callerContext"]["clientId"] == client_id
    request = event["request"]
    assert request["codeParameter"] == "{####}"
    assert request["usernameParameter"] is None
    assert request["userAttributes"]["email"] == email_of(user)
    assert request["userAttributes"]["cognito:user_status"] == "UNCONFIRMED"
    assert request["userAttributes"]["sub"] == attr_map(cognito.admin_get_user(
        UserPoolId=pool_id, Username=user)["UserAttributes"])["sub"]
    # The code in the rewritten message confirms the user.
    cognito.confirm_sign_up(ClientId=client_id, Username=user, ConfirmationCode=m["code"])
    assert status_of(cognito, pool_id, user) == "CONFIRMED"


def test_custom_message_rewrites_the_forgot_password_code(server, cognito, receiver):
    pool_id, client_id = pool_with(cognito, receiver, "CustomMessage")
    user = unique("cmf")
    confirmed_user(cognito, pool_id, user)
    receiver.handle("CustomMessage", answer(emailSubject="Reset",
                                            emailMessage="Reset link: https://x.test/r?c={####}"))
    cognito.forgot_password(ClientId=client_id, Username=user)

    m = code_message(server, pool_id=pool_id, username=user, purpose="forgot-password")
    assert m["subject"] == "Reset"
    assert m["body"] == f"Reset link: https://x.test/r?c={m['code']}"
    [event] = receiver.events("CustomMessage")
    assert event["triggerSource"] == "CustomMessage_ForgotPassword"
    assert event["request"]["userAttributes"]["cognito:user_status"] == "CONFIRMED"
    cognito.confirm_forgot_password(ClientId=client_id, Username=user,
                                    ConfirmationCode=m["code"], Password=NEW_PASSWORD)
    sign_in(cognito, client_id, user, NEW_PASSWORD)


def test_custom_message_rewrites_the_invitation(server, cognito, receiver):
    pool_id, client_id = pool_with(cognito, receiver, "CustomMessage")
    receiver.handle("CustomMessage", lambda e: {**e, "response": {
        "emailSubject": "You are invited",
        "emailMessage": (f"Sign in as {e['request']['usernameParameter']} with "
                         f"{e['request']['codeParameter']}")}})
    user = unique("inv")
    cognito.admin_create_user(UserPoolId=pool_id, Username=user, TemporaryPassword="Temp0rary!",
                              UserAttributes=attrs({"email": email_of(user)}),
                              ClientMetadata={"by": "admin"})

    [m] = find_messages(server, pool_id=pool_id, username=user, purpose="invitation")
    assert m["subject"] == "You are invited"
    assert m["body"] == f"Sign in as {user} with Temp0rary!"
    [event] = receiver.events("CustomMessage")
    assert event["triggerSource"] == "CustomMessage_AdminCreateUser"
    assert event["request"]["usernameParameter"] == "{username}"
    assert event["request"]["clientMetadata"] == {"by": "admin"}
    assert event["request"]["userAttributes"]["cognito:user_status"] == "FORCE_CHANGE_PASSWORD"
    challenge = sign_in(cognito, client_id, user, "Temp0rary!")
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"


def test_custom_message_without_the_code_stores_nothing(server, cognito, receiver):
    pool_id, client_id = pool_with(cognito, receiver, "CustomMessage", **AUTO_EMAIL)
    receiver.handle("CustomMessage", answer(emailMessage="Welcome, no code here"))
    user = unique("nocode")
    err = client_error(sign_up, cognito, client_id, user, code="InvalidLambdaResponseException")
    assert "codeParameter" in err.response["Error"]["Message"]
    client_error(cognito.admin_get_user, UserPoolId=pool_id, Username=user,
                 code="UserNotFoundException")
    # An invitation must carry the username too.
    receiver.handle("CustomMessage", answer(emailMessage="Password: {####}"))
    client_error(cognito.admin_create_user, UserPoolId=pool_id, Username=user,
                 UserAttributes=attrs({"email": email_of(user)}),
                 code="InvalidLambdaResponseException")
    client_error(cognito.admin_get_user, UserPoolId=pool_id, Username=user,
                 code="UserNotFoundException")
    assert find_messages(server, pool_id=pool_id) == []


def test_custom_message_rejection_and_unreachable_receiver(server, cognito, receiver):
    pool_id, client_id = pool_with(cognito, receiver, "CustomMessage", **AUTO_EMAIL)
    receiver.handle("CustomMessage", reject("no mail today"))
    user = unique("rej")
    err = client_error(sign_up, cognito, client_id, user, code="UserLambdaValidationException")
    assert err.response["Error"]["Message"] == "CustomMessage failed with error no mail today."
    client_error(cognito.admin_get_user, UserPoolId=pool_id, Username=user,
                 code="UserNotFoundException")
    # A receiver answering 500 is a rejection too; one nobody listens on is unexpected.
    receiver.handle("CustomMessage", lambda e: Status(500, "boom"))
    client_error(sign_up, cognito, client_id, user, code="UserLambdaValidationException")
    dead = cognito.create_user_pool(PoolName=unique("dead"), AutoVerifiedAttributes=["email"],
                                    LambdaConfig={"CustomMessage": "http://127.0.0.1:1/x"})
    dead_client = make_client(cognito, dead["UserPool"]["Id"])["ClientId"]
    client_error(sign_up, cognito, dead_client, user, code="UnexpectedLambdaException")
    client_error(cognito.admin_get_user, UserPoolId=dead["UserPool"]["Id"], Username=user,
                 code="UserNotFoundException")
    assert find_messages(server, pool_id=pool_id) == []


# ---- PostConfirmation -----------------------------------------------------------------------
def test_post_confirmation_sees_the_confirmed_user(server, cognito, receiver):
    pool_id, client_id = pool_with(cognito, receiver, "PostConfirmation", **AUTO_EMAIL)
    user = unique("pc")
    sub = sign_up(cognito, client_id, user)["UserSub"]
    code = code_message(server, pool_id=pool_id, username=user, purpose="signup")["code"]
    assert receiver.events("PostConfirmation") == []
    cognito.confirm_sign_up(ClientId=client_id, Username=user, ConfirmationCode=code,
                            ClientMetadata={"source": "web"})

    [event] = receiver.events("PostConfirmation")
    assert event["triggerSource"] == "PostConfirmation_ConfirmSignUp"
    assert event["userName"] == user and event["userPoolId"] == pool_id
    assert event["callerContext"]["clientId"] == client_id
    assert event["request"]["userAttributes"] == {
        "sub": sub, "email": email_of(user), "email_verified": "true",
        "cognito:user_status": "CONFIRMED"}
    assert event["request"]["clientMetadata"] == {"source": "web"}
    assert status_of(cognito, pool_id, user) == "CONFIRMED"


def test_post_confirmation_rejection_leaves_the_user_unconfirmed(server, cognito, receiver):
    pool_id, client_id = pool_with(cognito, receiver, "PostConfirmation", **AUTO_EMAIL)
    receiver.handle("PostConfirmation",
                    reject("CRM is down"))
    user = unique("pcr")
    sign_up(cognito, client_id, user)
    code = code_message(server, pool_id=pool_id, username=user, purpose="signup")["code"]

    err = client_error(cognito.confirm_sign_up, ClientId=client_id, Username=user,
                       ConfirmationCode=code, code="UserLambdaValidationException")
    assert err.response["Error"]["Message"] == "PostConfirmation failed with error CRM is down."
    got = cognito.admin_get_user(UserPoolId=pool_id, Username=user)
    assert got["UserStatus"] == "UNCONFIRMED"
    assert "email_verified" not in attr_map(got["UserAttributes"])
    client_error(cognito.admin_confirm_sign_up, UserPoolId=pool_id, Username=user,
                 code="UserLambdaValidationException")
    assert status_of(cognito, pool_id, user) == "UNCONFIRMED"
    # Once the receiver agrees, the same code confirms.
    receiver.handle("PostConfirmation", None)
    cognito.confirm_sign_up(ClientId=client_id, Username=user, ConfirmationCode=code)
    assert status_of(cognito, pool_id, user) == "CONFIRMED"
    assert len(receiver.events("PostConfirmation")) == 3


def test_post_confirmation_after_a_password_reset(server, cognito, receiver):
    pool_id, client_id = pool_with(cognito, receiver, "PostConfirmation")
    user = unique("pcf")
    confirmed_user(cognito, pool_id, user)
    cognito.forgot_password(ClientId=client_id, Username=user)
    code = code_message(server, pool_id=pool_id, username=user, purpose="forgot-password")["code"]

    receiver.handle("PostConfirmation", reject("not now"))
    client_error(cognito.confirm_forgot_password, ClientId=client_id, Username=user,
                 ConfirmationCode=code, Password=NEW_PASSWORD,
                 code="UserLambdaValidationException")
    sign_in(cognito, client_id, user, PASSWORD)  # the old password still works
    receiver.handle("PostConfirmation", None)
    cognito.confirm_forgot_password(ClientId=client_id, Username=user, ConfirmationCode=code,
                                    Password=NEW_PASSWORD)
    sign_in(cognito, client_id, user, NEW_PASSWORD)
    events = receiver.events("PostConfirmation")
    assert [e["triggerSource"] for e in events] == ["PostConfirmation_ConfirmForgotPassword"] * 2
    assert events[-1]["request"]["userAttributes"]["cognito:user_status"] == "CONFIRMED"


# ---- UserMigration_ForgotPassword -----------------------------------------------------------
def test_user_migration_creates_the_user_and_sends_the_code(server, cognito, receiver):
    pool_id, client_id = pool_with(cognito, receiver, "UserMigration", "CustomMessage")
    user = unique("legacy")
    receiver.handle("UserMigration", answer(
        userAttributes={"email": email_of(user), "email_verified": "true"},
        finalUserStatus="RESET_REQUIRED", messageAction="SUPPRESS"))
    receiver.handle("CustomMessage", answer(emailMessage="Welcome back, code {####}"))

    out = cognito.forgot_password(ClientId=client_id, Username=user,
                                  ClientMetadata={"from": "legacy"})
    assert out["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    [event] = receiver.events("UserMigration")
    assert event["triggerSource"] == "UserMigration_ForgotPassword"
    assert event["userName"] == user
    assert event["request"]["userAttributes"] == {}
    assert event["request"]["clientMetadata"] == {"from": "legacy"}
    assert "password" not in event["request"]
    assert status_of(cognito, pool_id, user) == "RESET_REQUIRED"
    m = code_message(server, pool_id=pool_id, username=user, purpose="forgot-password",
                     destination=email_of(user))
    assert m["body"] == f"Welcome back, code {m['code']}"
    assert receiver.events("CustomMessage")[-1]["triggerSource"] == "CustomMessage_ForgotPassword"

    cognito.confirm_forgot_password(ClientId=client_id, Username=user, ConfirmationCode=m["code"],
                                    Password=NEW_PASSWORD)
    assert status_of(cognito, pool_id, user) == "CONFIRMED"
    sign_in(cognito, client_id, user, NEW_PASSWORD)
    assert len(receiver.events("UserMigration")) == 1


def test_user_migration_unknown_user(server, cognito, receiver):
    pool_id, client_id = pool_with(cognito, receiver, "UserMigration")
    user = unique("nobody")
    client_error(cognito.forgot_password, ClientId=client_id, Username=user,
                 code="UserNotFoundException")  # the default handler answers {}
    hidden = make_client(cognito, pool_id, PreventUserExistenceErrors="ENABLED")["ClientId"]
    out = cognito.forgot_password(ClientId=hidden, Username=user)
    assert out["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    receiver.handle("UserMigration", answer(userAttributes={"email": 7}))
    client_error(cognito.forgot_password, ClientId=client_id, Username=user,
                 code="InvalidLambdaResponseException")
    receiver.handle("UserMigration", reject("gone"))
    err = client_error(cognito.forgot_password, ClientId=client_id, Username=user,
                       code="UserLambdaValidationException")
    assert err.response["Error"]["Message"] == "UserMigration failed with error gone."
    client_error(cognito.admin_get_user, UserPoolId=pool_id, Username=user,
                 code="UserNotFoundException")
    assert len(receiver.events("UserMigration")) == 4
    assert find_messages(server, pool_id=pool_id) == []
