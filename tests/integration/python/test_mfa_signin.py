"""Sign-in with a second factor through boto3: SOFTWARE_TOKEN_MFA after TOTP set-up (access-token
path and the MFA_SETUP challenge), SMS_MFA with the code from the outbox and from a webhook
receiver, EMAIL_OTP with the code from a real SMTP server on loopback, SELECT_MFA_TYPE, and the
choice-based USER_AUTH flow. Bad paths: wrong, replayed and repeated wrong codes, spent and
foreign sessions."""

import contextlib
import json
import time

import pytest
from botocore.exceptions import ClientError

from helpers import unique
from rawclient import RawClient
from helpers_users import (PASSWORD, PASSWORD_FLOWS, code_message, find_messages, make_client,
                           make_pool, signup_confirmed, verify_token)
from totp import totp

SNS = {"SnsCallerArn": "arn:aws:iam::000000000000:role/cognate-sms", "ExternalId": "x"}
PHONE = "+15550142233"


@contextlib.contextmanager
def client_error(code, fragment=""):
    """The block must fail with Cognito error `code` whose message contains `fragment`."""
    with pytest.raises(ClientError) as ei:
        yield
    err = ei.value.response["Error"]
    assert err["Code"] == code and fragment in err["Message"], err


def access_claims(server, pool_id, client_id, result):
    return verify_token(server, pool_id, result["AuthenticationResult"]["AccessToken"],
                        token_use="access", client_id=client_id)


def raw_for(cognito):
    """A RawClient for the server behind `cognito`, for members newer than Debian's botocore
    (EmailMfaConfiguration, EmailMfaSettings, SignInPolicy, USER_AUTH's AvailableChallenges)."""
    creds = cognito._request_signer._credentials
    return RawClient(cognito.meta.endpoint_url, creds.access_key, creds.secret_key)


def mfa_pool(cognito, mode="OPTIONAL", sms=True, email=True, **kw):
    pool_id = make_pool(cognito, **kw)
    config = {"UserPoolId": pool_id, "MfaConfiguration": mode,
              "SoftwareTokenMfaConfiguration": {"Enabled": True}}
    if sms:
        config["SmsMfaConfiguration"] = {"SmsAuthenticationMessage": "Sign-in code {####}",
                                         "SmsConfiguration": SNS}
    if email:
        config["EmailMfaConfiguration"] = {"Message": "Your code: {####}",
                                           "Subject": "Cognate sign-in"}
    raw_for(cognito).ok("SetUserPoolMfaConfig", config)
    client_id = make_client(cognito, pool_id)["ClientId"]
    return pool_id, client_id


def new_user(cognito, pool_id, client_id, **attrs):
    username, _ = signup_confirmed(cognito, pool_id, client_id, attributes=attrs or None)
    return username


def start(cognito, client_id, username, password=PASSWORD):
    return cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                                 AuthParameters={"USERNAME": username, "PASSWORD": password})


def answer(cognito, client_id, challenge, username, **responses):
    return cognito.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName=challenge["ChallengeName"],
        Session=challenge["Session"], ChallengeResponses={"USERNAME": username, **responses})


def set_up_totp(cognito, access_token):
    secret = cognito.associate_software_token(AccessToken=access_token)["SecretCode"]
    assert len(secret) == 32, secret
    r = cognito.verify_software_token(AccessToken=access_token, UserCode=totp(secret),
                                      FriendlyDeviceName="test phone")
    assert r["Status"] == "SUCCESS", r
    cognito.set_user_mfa_preference(
        AccessToken=access_token,
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    return secret


@pytest.fixture(scope="module")
def totp_user(cognito):
    pool_id, client_id = mfa_pool(cognito)
    username = new_user(cognito, pool_id, client_id)
    first = start(cognito, client_id, username)  # no factor yet: tokens at once
    secret = set_up_totp(cognito, first["AuthenticationResult"]["AccessToken"])
    return pool_id, client_id, username, secret


def test_totp_sign_in_and_a_replayed_code(cognito, server, totp_user):
    pool_id, client_id, username, secret = totp_user
    challenge = start(cognito, client_id, username)
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA", challenge
    assert "AuthenticationResult" not in challenge and challenge["Session"]
    # The set-up code's step is spent: the next step's code (one step of drift) signs in.
    code = totp(secret, time.time() + 30)
    r = answer(cognito, client_id, challenge, username, SOFTWARE_TOKEN_MFA_CODE=code)
    claims = access_claims(server, pool_id, client_id, r)
    assert claims["username"] == username
    # The same code again, with a fresh session: refused.
    again = start(cognito, client_id, username)
    with client_error("CodeMismatchException", "Invalid code received for user"):
        answer(cognito, client_id, again, username, SOFTWARE_TOKEN_MFA_CODE=code)
    # And the spent session cannot be answered again.
    with client_error("NotAuthorizedException", "session can only be used once"):
        answer(cognito, client_id, challenge, username, SOFTWARE_TOKEN_MFA_CODE=code)


def test_wrong_totp_codes_are_limited(cognito, totp_user):
    pool_id, client_id, username, secret = totp_user
    challenge = start(cognito, client_id, username)
    wrong = totp(secret, time.time() + 300)
    for _ in range(3):
        with client_error("CodeMismatchException"):
            answer(cognito, client_id, challenge, username, SOFTWARE_TOKEN_MFA_CODE=wrong)
    # The session is dead after three wrong codes, even for a right one.
    with client_error("NotAuthorizedException", "Invalid session"):
        answer(cognito, client_id, challenge, username,
               SOFTWARE_TOKEN_MFA_CODE=totp(secret, time.time() + 30))
    user = cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    assert user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"], user
    assert user["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA", user


def test_admin_flow_asks_for_the_second_factor_too(cognito, totp_user):
    pool_id, client_id, username, _ = totp_user
    r = cognito.admin_initiate_auth(UserPoolId=pool_id, ClientId=client_id,
                                    AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                    AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD})
    assert r["ChallengeName"] == "SOFTWARE_TOKEN_MFA", r
    with client_error("CodeMismatchException"):
        cognito.admin_respond_to_auth_challenge(
            UserPoolId=pool_id, ClientId=client_id, ChallengeName="SOFTWARE_TOKEN_MFA",
            Session=r["Session"],
            ChallengeResponses={"USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": "000000"})


def test_required_mfa_sets_up_a_totp_inside_the_challenge(cognito, server):
    pool_id, client_id = mfa_pool(cognito, mode="ON", sms=False, email=False)
    username = new_user(cognito, pool_id, client_id)
    setup = start(cognito, client_id, username)
    assert setup["ChallengeName"] == "MFA_SETUP", setup
    assert json.loads(setup["ChallengeParameters"]["MFAS_CAN_SETUP"]) == ["SOFTWARE_TOKEN_MFA"]
    associated = cognito.associate_software_token(Session=setup["Session"])
    secret = associated["SecretCode"]
    with client_error("EnableSoftwareTokenMFAException"):
        cognito.verify_software_token(Session=associated["Session"], UserCode="000000")
    verified = cognito.verify_software_token(Session=associated["Session"],
                                             UserCode=totp(secret))
    assert verified["Status"] == "SUCCESS" and verified["Session"], verified
    r = cognito.respond_to_auth_challenge(ClientId=client_id, ChallengeName="MFA_SETUP",
                                          Session=verified["Session"],
                                          ChallengeResponses={"USERNAME": username})
    access_claims(server, pool_id, client_id, r)
    assert start(cognito, client_id, username)["ChallengeName"] == "SOFTWARE_TOKEN_MFA"


def test_sms_mfa_code_from_the_outbox(cognito, server):
    pool_id, client_id = mfa_pool(cognito)
    username = new_user(cognito, pool_id, client_id, phone_number=PHONE)
    cognito.admin_set_user_mfa_preference(UserPoolId=pool_id, Username=username,
                                          SMSMfaSettings={"Enabled": True})
    since = len(find_messages(server, pool_id=pool_id, purpose="mfa"))
    challenge = start(cognito, client_id, username)
    assert challenge["ChallengeName"] == "SMS_MFA", challenge
    params = challenge["ChallengeParameters"]
    assert params["CODE_DELIVERY_DELIVERY_MEDIUM"] == "SMS", params
    assert params["CODE_DELIVERY_DESTINATION"] == "+*******2233", params
    m = code_message(server, since=since, pool_id=pool_id, purpose="mfa")
    assert m["channel"] == "SMS" and m["destination"] == PHONE, m
    assert m["body"] == "Sign-in code " + m["code"], m
    wrong = "000000" if m["code"] != "000000" else "111111"
    with client_error("CodeMismatchException"):
        answer(cognito, client_id, challenge, username, SMS_MFA_CODE=wrong)
    r = answer(cognito, client_id, challenge, username, SMS_MFA_CODE=m["code"])
    access_claims(server, pool_id, client_id, r)


def test_select_mfa_type_when_two_factors_and_no_preference(cognito, server, totp_user):
    pool_id, client_id = mfa_pool(cognito)
    username = new_user(cognito, pool_id, client_id, phone_number="+15550199999")
    first = start(cognito, client_id, username)
    secret = set_up_totp(cognito, first["AuthenticationResult"]["AccessToken"])
    cognito.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username=username, SMSMfaSettings={"Enabled": True},
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": False})
    select = start(cognito, client_id, username)
    assert select["ChallengeName"] == "SELECT_MFA_TYPE", select
    choices = json.loads(select["ChallengeParameters"]["MFAS_CAN_CHOOSE"])
    assert choices == ["SMS_MFA", "SOFTWARE_TOKEN_MFA"], choices
    chosen = answer(cognito, client_id, select, username, ANSWER="SOFTWARE_TOKEN_MFA")
    assert chosen["ChallengeName"] == "SOFTWARE_TOKEN_MFA", chosen
    r = answer(cognito, client_id, chosen, username,
               SOFTWARE_TOKEN_MFA_CODE=totp(secret, time.time() + 30))
    assert r["AuthenticationResult"]["AccessToken"]


def test_sms_mfa_through_the_webhook(delivery_cognito, delivery_server, webhook_receiver):
    cognito = delivery_cognito
    pool_id, client_id = mfa_pool(cognito)
    phone = "+15550177001"
    username = new_user(cognito, pool_id, client_id, phone_number=phone)
    cognito.admin_set_user_mfa_preference(UserPoolId=pool_id, Username=username,
                                          SMSMfaSettings={"Enabled": True, "PreferredMfa": True})
    challenge = start(cognito, client_id, username)
    assert challenge["ChallengeName"] == "SMS_MFA", challenge
    event = webhook_receiver.next_event(phone)
    assert event["triggerSource"] == "CustomSMSSender_Authentication", event
    assert event["userPoolId"] == pool_id and event["callerContext"]["clientId"] == client_id
    r = answer(cognito, client_id, challenge, username, SMS_MFA_CODE=event["request"]["code"])
    access_claims(delivery_server, pool_id, client_id, r)


def test_email_otp_through_a_real_smtp_server(delivery_cognito, delivery_server, smtp_sink):
    cognito = delivery_cognito
    pool_id, client_id = mfa_pool(cognito, sms=False)
    email = unique("otp") + "@example.com"
    username = new_user(cognito, pool_id, client_id, email=email)
    raw_for(cognito).ok("AdminSetUserMFAPreference", {
        "UserPoolId": pool_id, "Username": username,
        "EmailMfaSettings": {"Enabled": True, "PreferredMfa": True}})
    challenge = start(cognito, client_id, username)
    assert challenge["ChallengeName"] == "EMAIL_OTP", challenge
    assert challenge["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "EMAIL"
    mail = smtp_sink.next_message(email)
    assert mail.header("Subject") == "Cognate sign-in"
    code = mail.code()
    with client_error("CodeMismatchException"):
        answer(cognito, client_id, challenge, username,
               EMAIL_OTP_CODE="000000" if code != "000000" else "111111")
    r = answer(cognito, client_id, challenge, username, EMAIL_OTP_CODE=code)
    access_claims(delivery_server, pool_id, client_id, r)


def test_user_auth_select_challenge_and_passwordless_email(cognito, server):
    raw = raw_for(cognito)
    pool_id = raw.ok("CreateUserPool", {"PoolName": unique("pwless"), "Policies": {
        "SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}}})["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id,
                            flows=PASSWORD_FLOWS + ["ALLOW_USER_AUTH"])["ClientId"]
    email = unique("pwless") + "@example.com"
    username = new_user(cognito, pool_id, client_id, email=email)
    cognito.admin_update_user_attributes(UserPoolId=pool_id, Username=username, UserAttributes=[
        {"Name": "email_verified", "Value": "true"}])  # AdminConfirmSignUp verifies nothing
    r = raw.ok("InitiateAuth", {"ClientId": client_id, "AuthFlow": "USER_AUTH",
                                "AuthParameters": {"USERNAME": username}})
    assert r["ChallengeName"] == "SELECT_CHALLENGE", r
    assert r["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"], r
    since = len(find_messages(server, pool_id=pool_id, purpose="otp"))
    otp = answer(cognito, client_id, r, username, ANSWER="EMAIL_OTP")
    assert otp["ChallengeName"] == "EMAIL_OTP", otp
    m = code_message(server, since=since, pool_id=pool_id, purpose="otp")
    tokens = answer(cognito, client_id, otp, username, EMAIL_OTP_CODE=m["code"])
    access_claims(server, pool_id, client_id, tokens)
    # The password as the preferred first factor, in one step.
    r = cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH",
                              AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD,
                                              "PREFERRED_CHALLENGE": "PASSWORD"})
    assert r["AuthenticationResult"]["IdToken"]


def test_session_of_one_user_does_not_answer_for_another(cognito, totp_user):
    pool_id, client_id, username, secret = totp_user
    other = new_user(cognito, pool_id, client_id)
    challenge = start(cognito, client_id, username)
    with client_error("NotAuthorizedException", "Invalid session for the user."):
        answer(cognito, client_id, challenge, other, SOFTWARE_TOKEN_MFA_CODE="123456")
