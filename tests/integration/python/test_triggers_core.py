"""Lambda triggers as HTTP webhooks, core behaviour through boto3 against the real server and a
local receiver: LambdaConfig with URLs, PreSignUp (auto-confirm, auto-verify, rejection), the
failure mapping (stopped, slow, invalid answers), the signature, and ARNs mapped by
--trigger-map."""

import json
import time

import pytest

from helpers import boto_client, unique
from helpers_assert import client_error
from helpers_assert import lambda_error
from helpers_users import PASSWORD, attr_map, attrs, find_messages, make_client
from trigger_fixtures import trigger_secret
from trigger_receiver import Reject, Status, TriggerReceiver

ARN = "arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up"


def answer(**response):
    """A handler that returns the event with `response` set."""
    return lambda event: {**event, "response": response}


@pytest.fixture
def signup_pool(cognito, trigger_pool):
    """(pool id, client id) of a pool sending codes by email, PreSignUp at the receiver."""
    pool_id = trigger_pool("PreSignUp", AutoVerifiedAttributes=["email"])
    return pool_id, make_client(cognito, pool_id)["ClientId"]


def sign_up(cognito, client_id, name, **kw):
    return cognito.sign_up(ClientId=client_id, Username=name, Password=PASSWORD,
                           UserAttributes=attrs({"email": f"{name}@example.com"}), **kw)


def assert_no_user(cognito, pool_id, name):
    client_error(cognito.admin_get_user, UserPoolId=pool_id, Username=name,
                 code="UserNotFoundException")




# ---- LambdaConfig ---------------------------------------------------------------------------
def test_lambda_config_urls_round_trip(cognito, raw, make_pool, trigger_receiver):
    names = ["PreSignUp", "CustomMessage", "PostConfirmation", "PreAuthentication",
             "PostAuthentication", "DefineAuthChallenge", "CreateAuthChallenge",
             "VerifyAuthChallengeResponse", "PreTokenGeneration", "UserMigration"]
    config = {n: trigger_receiver.url_for(n) for n in names}
    config["CustomSMSSender"] = {"LambdaVersion": "V1_0", "LambdaArn": "http://127.0.0.1:1/sms"}
    config["CustomEmailSender"] = {"LambdaVersion": "V1_0", "LambdaArn": ARN}
    config["KMSKeyID"] = "arn:aws:kms:us-east-1:123456789012:key/abcd"
    pool_id = make_pool(LambdaConfig=config)
    assert cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["LambdaConfig"] == config
    listed = [p for p in cognito.list_user_pools(MaxResults=60)["UserPools"]
              if p["Id"] == pool_id]
    assert not listed or listed[0]["LambdaConfig"] == config

    updated = {"PreSignUp": ARN, "PostConfirmation": "https://hooks.example.com/pc"}
    cognito.update_user_pool(UserPoolId=pool_id, LambdaConfig=updated)
    assert cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["LambdaConfig"] == updated
    # UpdateUserPool without LambdaConfig resets it, as on Cognito.
    cognito.update_user_pool(UserPoolId=pool_id)
    assert cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["LambdaConfig"] == {}

    # PreTokenGenerationConfig (newer than Debian's botocore): raw requests.
    versioned = {"PreTokenGenerationConfig": {"LambdaVersion": "V2_0",
                                              "LambdaArn": "https://hooks.example.com/ptg?v=2"}}
    raw.ok("UpdateUserPool", {"UserPoolId": pool_id, "LambdaConfig": versioned})
    described = raw.ok("DescribeUserPool", {"UserPoolId": pool_id})
    assert described["UserPool"]["LambdaConfig"] == versioned


@pytest.mark.parametrize("value", ["ftp://hooks.example.com/presignup",
                                   "hooks.example.com/presignup-hook",
                                   "http:///presignup-hook-no-host",
                                   "http://exa mple.com/presignup",
                                   "https://" + "a" * 2048])
def test_lambda_config_refuses_what_is_neither_url_nor_arn(cognito, value):
    e = client_error(cognito.create_user_pool, PoolName=unique("bad"),
                     LambdaConfig={"PreSignUp": value}, code="InvalidParameterException")
    assert "lambdaConfig.preSignUp" in e.response["Error"]["Message"], e.response["Error"]


# ---- PreSignUp ------------------------------------------------------------------------------
def test_presignup_auto_confirms_and_verifies(server, cognito, signup_pool, trigger_receiver):
    pool_id, client_id = signup_pool
    trigger_receiver.handle("PreSignUp", answer(autoConfirmUser=True, autoVerifyEmail=True))
    name = unique("auto")
    r = sign_up(cognito, client_id, name, ValidationData=attrs({"invite": "X1"}),
                ClientMetadata={"source": "web"})
    assert r["UserConfirmed"] is True
    assert "CodeDeliveryDetails" not in r

    [event] = trigger_receiver.events("PreSignUp")
    assert event == {
        "version": "1", "triggerSource": "PreSignUp_SignUp", "region": "us-east-1",
        "userPoolId": pool_id, "userName": name,
        "callerContext": {"awsSdkVersion": event["callerContext"]["awsSdkVersion"],
                          "clientId": client_id},
        "request": {"userAttributes": {"email": f"{name}@example.com"},
                    "validationData": {"invite": "X1"}, "clientMetadata": {"source": "web"}},
        "response": {}}
    assert "Passw0rd" not in json.dumps(event), "the password never goes to PreSignUp"

    user = cognito.admin_get_user(UserPoolId=pool_id, Username=name)
    assert user["UserStatus"] == "CONFIRMED"
    assert attr_map(user["UserAttributes"])["email_verified"] == "true"
    assert find_messages(server, pool_id=pool_id) == [], "no code for an auto-confirmed user"
    # Confirmed means usable: the password signs in at once.
    admin = make_client(cognito, pool_id, flows=["ALLOW_ADMIN_USER_PASSWORD_AUTH",
                                                 "ALLOW_REFRESH_TOKEN_AUTH"])
    auth = cognito.admin_initiate_auth(UserPoolId=pool_id, ClientId=admin["ClientId"],
                                       AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                       AuthParameters={"USERNAME": name, "PASSWORD": PASSWORD})
    assert "AccessToken" in auth["AuthenticationResult"]


def test_presignup_default_answer_changes_nothing(server, cognito, signup_pool,
                                                  trigger_receiver):
    pool_id, client_id = signup_pool
    name = unique("plain")
    r = sign_up(cognito, client_id, name)
    assert r["UserConfirmed"] is False
    assert r["CodeDeliveryDetails"]["AttributeName"] == "email"
    assert cognito.admin_get_user(UserPoolId=pool_id, Username=name)["UserStatus"] == \
        "UNCONFIRMED"
    assert len(find_messages(server, pool_id=pool_id, username=name)) == 1
    assert "validationData" not in trigger_receiver.events("PreSignUp")[0]["request"]


def test_presignup_rejection_reaches_the_client_and_stores_nothing(server, cognito, signup_pool,
                                                                   trigger_receiver):
    pool_id, client_id = signup_pool

    def refuse(event):
        raise Reject("Sign-up is by invitation only")
    trigger_receiver.handle("PreSignUp", refuse)
    name = unique("rejected")
    lambda_error(lambda: sign_up(cognito, client_id, name), "UserLambdaValidationException",
                 "PreSignUp failed with error Sign-up is by invitation only.")
    assert_no_user(cognito, pool_id, name)
    assert find_messages(server, pool_id=pool_id) == []

    # A non-2xx answer without Lambda's payload is a rejection too, worded from the status.
    trigger_receiver.handle("PreSignUp", lambda e: Status(503, "down for maintenance"))
    lambda_error(lambda: sign_up(cognito, client_id, name), "UserLambdaValidationException",
                 "PreSignUp failed with error HTTP 503: down for maintenance.")
    assert_no_user(cognito, pool_id, name)
    # Nothing was left behind: the same sign-up succeeds once the receiver agrees.
    trigger_receiver.handle("PreSignUp", None)
    assert sign_up(cognito, client_id, name)["UserSub"]


def test_presignup_admin_create_user(cognito, trigger_pool, trigger_receiver):
    pool_id = trigger_pool("PreSignUp")

    def refuse(event):
        raise Reject("no admins")
    trigger_receiver.handle("PreSignUp", refuse)
    lambda_error(lambda: cognito.admin_create_user(UserPoolId=pool_id, Username="dave",
                                                   MessageAction="SUPPRESS"),
                 "UserLambdaValidationException", "PreSignUp failed with error no admins.")
    assert_no_user(cognito, pool_id, "dave")
    trigger_receiver.handle("PreSignUp", answer(autoConfirmUser=True))  # ignored here
    cognito.admin_create_user(UserPoolId=pool_id, Username="dave", MessageAction="SUPPRESS")
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="dave")["UserStatus"] == \
        "FORCE_CHANGE_PASSWORD"
    event = trigger_receiver.events("PreSignUp")[-1]
    assert event["triggerSource"] == "PreSignUp_AdminCreateUser"
    assert event["callerContext"]["clientId"] == "CLIENT_ID_NOT_APPLICABLE"


# ---- failures -------------------------------------------------------------------------------
def test_stopped_receiver_is_unexpected(cognito, signup_pool, trigger_receiver):
    pool_id, client_id = signup_pool
    name = unique("stopped")
    trigger_receiver.stop()
    try:
        started = time.monotonic()
        lambda_error(lambda: sign_up(cognito, client_id, name), "UnexpectedLambdaException",
                     "PreSignUp invocation failed due to error ConnectionError.")
        assert time.monotonic() - started < 5
    finally:
        trigger_receiver.start()
    assert_no_user(cognito, pool_id, name)


def test_slow_receiver_times_out_within_five_seconds(cognito, signup_pool, trigger_receiver):
    pool_id, client_id = signup_pool
    trigger_receiver.handle("PreSignUp", answer(autoConfirmUser=True))
    trigger_receiver.delay("PreSignUp", 7)
    name = unique("slow")
    started = time.monotonic()
    lambda_error(lambda: sign_up(cognito, client_id, name), "UnexpectedLambdaException",
                 "PreSignUp invocation failed due to error TimeoutError.")
    took = time.monotonic() - started
    assert 4.5 <= took < 6.5, f"answered after {took:.1f}s"
    trigger_receiver.wait_for("PreSignUp")
    time.sleep(2.5)  # The receiver has answered by now; its late yes changes nothing.
    assert_no_user(cognito, pool_id, name)


@pytest.mark.parametrize("body,message", [
    ("this is not json", "Invalid lambda function output : Invalid JSON"),
    ('["an", "array"]', "Invalid lambda function output : Invalid JSON"),
    ('{"version": "1"}', "Unrecognizable lambda output"),
    ('{"response": "yes"}', "Unrecognizable lambda output"),
    ('{"response": {"autoConfirmUser": "yes"}}', "Unrecognizable lambda output"),
])
def test_invalid_answers(cognito, signup_pool, trigger_receiver, body, message):
    pool_id, client_id = signup_pool
    trigger_receiver.handle("PreSignUp", lambda e: Status(200, body))
    name = unique("invalid")
    lambda_error(lambda: sign_up(cognito, client_id, name), "InvalidLambdaResponseException",
                 message)
    assert_no_user(cognito, pool_id, name)


# ---- signature ------------------------------------------------------------------------------
def test_signature_verifies_with_the_pools_secret(server, cognito, signup_pool,
                                                  trigger_receiver):
    pool_id, client_id = signup_pool
    sign_up(cognito, client_id, unique("signed"))
    [call] = trigger_receiver.invocations("PreSignUp")
    assert call.signature_ok is True
    header = call.headers["X-Cognate-Signature"]
    assert abs(int(header.split(",")[0][2:]) - time.time()) < 60, header
    secret = trigger_secret(server, pool_id)
    assert len(secret) == 64 and int(secret, 16) >= 0
    assert trigger_secret(server, pool_id) == secret, "stable"
    assert trigger_secret(server, cognito.create_user_pool(PoolName=unique("other"))
                          ["UserPool"]["Id"]) != secret, "one secret per pool"

    # A receiver holding another secret refuses (401), which the client sees as a rejection.
    with TriggerReceiver(secret="not-the-pools-secret") as wrong:
        cognito.update_user_pool(UserPoolId=pool_id, AutoVerifiedAttributes=["email"],
                                 LambdaConfig={"PreSignUp": wrong.url_for("PreSignUp")})
        name = unique("refused")
        e = client_error(lambda: sign_up(cognito, client_id, name),
                         code="UserLambdaValidationException")
        assert e.response["Error"]["Message"].startswith("PreSignUp failed with error HTTP 401")
        assert [c.signature_ok for c in wrong.invocations()] == [False]
    assert_no_user(cognito, pool_id, name)


# ---- ARNs -----------------------------------------------------------------------------------
def test_arn_mapped_by_trigger_map(start_server, trigger_receiver, tmp_path):
    path = tmp_path / "trigger-map.json"
    path.write_text(json.dumps({ARN: trigger_receiver.url_for("mapped")}))
    server = start_server(extra_args=["--trigger-map", str(path)])
    cognito = boto_client(server)
    trigger_receiver.reset()
    trigger_receiver.handle("mapped", answer(autoConfirmUser=True))
    pool_id = cognito.create_user_pool(PoolName=unique("arn"),
                                       LambdaConfig={"PreSignUp": ARN})["UserPool"]["Id"]
    trigger_receiver.secret[pool_id] = trigger_secret(server, pool_id)
    client_id = make_client(cognito, pool_id)["ClientId"]
    assert sign_up(cognito, client_id, "mapped-user")["UserConfirmed"] is True
    [call] = trigger_receiver.invocations("mapped")
    assert call.signature_ok is True and call.event["userPoolId"] == pool_id

    other = ARN.replace("pre-sign-up", "not-mapped")
    cognito.update_user_pool(UserPoolId=pool_id, LambdaConfig={"PreSignUp": other})
    lambda_error(lambda: sign_up(cognito, client_id, "unmapped-user"),
                 "UnexpectedLambdaException",
                 "PreSignUp invocation failed due to error ResourceNotFoundException.")
    assert_no_user(cognito, pool_id, "unmapped-user")
    lines = [json.loads(line) for line in server.log_text().splitlines()
             if line.startswith("{") and '"msg":"trigger"' in line]
    assert any(entry.get("error") == "UnexpectedLambdaException" and entry["target"] == other
               and entry["pool_id"] == pool_id for entry in lines), lines
    assert PASSWORD not in server.log_text()


def test_bad_trigger_map_stops_start_up(start_server, tmp_path):
    path = tmp_path / "bad-map.json"
    path.write_text(json.dumps({"not-an-arn": "http://127.0.0.1:1/"}))
    server = start_server(start=False, extra_args=["--trigger-map", str(path)])
    with pytest.raises(Exception) as e:
        server.start(timeout=10)
    assert "trigger map" in str(e.value)
