"""MFA settings: SetUserPoolMfaConfig / GetUserPoolMfaConfig (and DescribeUserPool's
MfaConfiguration), AssociateSoftwareToken / VerifySoftwareToken with an access token (codes
computed here with totp.py), SetUserMFAPreference / AdminSetUserMFAPreference, the legacy
SetUserSettings / AdminSetUserSettings, and what GetUser / AdminGetUser then report.
EmailMfaConfiguration and EmailMfaSettings are newer than Debian's botocore 1.29: the raw client
sends them. Sign-in challenges are tested elsewhere; users here get their tokens before any of
their factors is enabled."""

import base64
import re

import pytest

from helpers_assert import client_error
from helpers_users import make_client, make_pool, signup_confirmed, tokens
from totp import totp

BASE32_SECRET = re.compile(r"^[A-Z2-7]{32}$")
MISMATCH = "Code mismatch and fail enable Software Token MFA"
NO_FACTOR = ("Invalid MFA configuration given, can't disable all MFAs with a required or "
             "optional configuration.")
OFF_WITH_FACTOR = ("Invalid MFA configuration given, can't turn off MFA and configure an MFA "
                   "together.")
SMS_OPTION = [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
PHONE = "+15555550123"


def strip(r):
    return {k: v for k, v in r.items() if k != "ResponseMetadata"}


@pytest.fixture(scope="module")
def pool(cognito):
    """A pool with optional TOTP MFA and a password-sign-in client."""
    pool_id = make_pool(cognito)
    cognito.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OPTIONAL",
                                     SoftwareTokenMfaConfiguration={"Enabled": True})
    return pool_id, make_client(cognito, pool_id)["ClientId"]


def new_user(cognito, pool, **attributes):
    """A confirmed user (optionally with attributes); returns (username, access token)."""
    pool_id, client_id = pool
    username, _ = signup_confirmed(cognito, pool_id, client_id, attributes=attributes)
    return username, tokens(cognito, client_id, username)["AccessToken"]


def wrong_code(secret):
    """Six digits that no step around now accepts."""
    import time
    now = time.time()
    valid = {totp(secret, now + d) for d in (-60, -30, 0, 30, 60)}
    return next(c for c in (f"{n:06d}" for n in range(1000)) if c not in valid)


def register_totp(cognito, access_token, name="phone"):
    secret = cognito.associate_software_token(AccessToken=access_token)["SecretCode"]
    r = cognito.verify_software_token(AccessToken=access_token, UserCode=totp(secret),
                                      FriendlyDeviceName=name)
    assert strip(r) == {"Status": "SUCCESS"}, r
    return secret


def test_totp_helper_matches_rfc6238():
    secret = base64.b32encode(b"12345678901234567890").decode()
    for t, code in [(59, "94287082"), (1111111109, "07081804"), (2000000000, "69279037")]:
        assert totp(secret, t, digits=8) == code, t
    assert totp(secret.rstrip("=").lower(), 59) == "287082"


# ---- pool configuration -----------------------------------------------------------------------
def test_pool_mfa_config_round_trip(cognito):
    pool_id = make_pool(cognito)
    assert strip(cognito.get_user_pool_mfa_config(UserPoolId=pool_id)) == \
        {"MfaConfiguration": "OFF"}
    want = {"SoftwareTokenMfaConfiguration": {"Enabled": True}, "MfaConfiguration": "ON"}
    r = cognito.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="ON",
                                         SoftwareTokenMfaConfiguration={"Enabled": True})
    assert strip(r) == want
    assert strip(cognito.get_user_pool_mfa_config(UserPoolId=pool_id)) == want
    assert cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["MfaConfiguration"] == "ON"
    # SMS: the message and SmsConfiguration are the pool's own members.
    sms = {"SmsAuthenticationMessage": "Your code is {####}",
           "SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::123456789012:role/sns",
                                "ExternalId": "ext"}}
    r = cognito.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OPTIONAL",
                                         SmsMfaConfiguration=sms)
    assert strip(r) == {"SmsMfaConfiguration": sms, "MfaConfiguration": "OPTIONAL"}, \
        "a full replace: TOTP is gone"
    described = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert described["MfaConfiguration"] == "OPTIONAL"
    assert described["SmsAuthenticationMessage"] == sms["SmsAuthenticationMessage"]
    assert described["SmsConfiguration"] == sms["SmsConfiguration"]
    # Omitting the mode means OFF; the factors of that call are dropped.
    r = cognito.set_user_pool_mfa_config(UserPoolId=pool_id,
                                         SoftwareTokenMfaConfiguration={"Enabled": True})
    assert strip(r) == {"MfaConfiguration": "OFF"}
    assert strip(cognito.get_user_pool_mfa_config(UserPoolId=pool_id)) == \
        {"MfaConfiguration": "OFF"}
    assert cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["MfaConfiguration"] == "OFF"


def test_pool_email_mfa_config_raw(cognito, raw):
    pool_id = make_pool(cognito)
    email = {"Message": "Your sign-in code is {####}", "Subject": "Sign-in code"}
    r = raw.ok("SetUserPoolMfaConfig", {"UserPoolId": pool_id, "MfaConfiguration": "OPTIONAL",
                                        "EmailMfaConfiguration": email,
                                        "SoftwareTokenMfaConfiguration": {"Enabled": True}})
    want = {"SoftwareTokenMfaConfiguration": {"Enabled": True}, "EmailMfaConfiguration": email,
            "MfaConfiguration": "OPTIONAL"}
    assert r == want
    assert raw.ok("GetUserPoolMfaConfig", {"UserPoolId": pool_id}) == want


@pytest.mark.parametrize("mode,extra,message", [
    ("ON", {}, NO_FACTOR),
    ("OPTIONAL", {"SoftwareTokenMfaConfiguration": {"Enabled": False}}, NO_FACTOR),
    ("OFF", {"SoftwareTokenMfaConfiguration": {"Enabled": True}}, OFF_WITH_FACTOR),
    ("OFF", {"SmsMfaConfiguration": {"SmsAuthenticationMessage": "Code {####}"}},
     OFF_WITH_FACTOR),
])
def test_pool_mfa_config_refusals(cognito, mode, extra, message):
    pool_id = make_pool(cognito)
    cognito.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OPTIONAL",
                                     SoftwareTokenMfaConfiguration={"Enabled": True})
    e = client_error(cognito.set_user_pool_mfa_config, UserPoolId=pool_id, MfaConfiguration=mode,
                     code="InvalidParameterException", **extra)
    assert e.response["Error"]["Message"] == message
    assert strip(cognito.get_user_pool_mfa_config(UserPoolId=pool_id)) == \
        {"SoftwareTokenMfaConfiguration": {"Enabled": True}, "MfaConfiguration": "OPTIONAL"}, \
        "a refused call changes nothing"


def test_pool_mfa_config_unknown_pool(cognito):
    client_error(cognito.get_user_pool_mfa_config, UserPoolId="us-east-1_nopenope",
                 code="ResourceNotFoundException")
    client_error(cognito.set_user_pool_mfa_config, UserPoolId="us-east-1_nopenope",
                 MfaConfiguration="OFF", code="ResourceNotFoundException")


# ---- software tokens --------------------------------------------------------------------------
def test_associate_verify_and_prefer(cognito, pool):
    pool_id, _ = pool
    username, access = new_user(cognito, pool)
    r = cognito.associate_software_token(AccessToken=access)
    assert BASE32_SECRET.match(r["SecretCode"]), r
    assert "Session" not in r, r
    assert cognito.associate_software_token(AccessToken=access)["SecretCode"] != r["SecretCode"]
    secret = register_totp(cognito, access)
    # Verified is not enabled: nothing to report yet.
    u = cognito.get_user(AccessToken=access)
    assert "UserMFASettingList" not in u and "PreferredMfaSetting" not in u, u
    cognito.set_user_mfa_preference(AccessToken=access, SoftwareTokenMfaSettings={
        "Enabled": True, "PreferredMfa": True})
    for u in (cognito.get_user(AccessToken=access),
              cognito.admin_get_user(UserPoolId=pool_id, Username=username)):
        assert u["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"], u
        assert u["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA", u
        assert "MFAOptions" not in u, u
    assert secret not in str(cognito.admin_get_user(UserPoolId=pool_id, Username=username))


def test_verify_wrong_code(cognito, pool):
    _, access = new_user(cognito, pool)
    secret = cognito.associate_software_token(AccessToken=access)["SecretCode"]
    e = client_error(cognito.verify_software_token, AccessToken=access,
                     UserCode=wrong_code(secret), code="EnableSoftwareTokenMFAException")
    assert e.response["Error"]["Message"] == MISMATCH
    r = cognito.verify_software_token(AccessToken=access, UserCode=totp(secret))
    assert r["Status"] == "SUCCESS", r


def test_five_wrong_codes_drop_the_pending_secret(cognito, pool):
    _, access = new_user(cognito, pool)
    secret = cognito.associate_software_token(AccessToken=access)["SecretCode"]
    for _ in range(5):
        client_error(cognito.verify_software_token, AccessToken=access,
                     UserCode=wrong_code(secret), code="EnableSoftwareTokenMFAException")
    # The right code no longer helps: the user must associate again.
    client_error(cognito.verify_software_token, AccessToken=access, UserCode=totp(secret),
                 code="InvalidParameterException")
    client_error(cognito.set_user_mfa_preference, AccessToken=access,
                 SoftwareTokenMfaSettings={"Enabled": True}, code="InvalidParameterException")
    register_totp(cognito, access)


def test_verify_without_association(cognito, pool):
    _, access = new_user(cognito, pool)
    e = client_error(cognito.verify_software_token, AccessToken=access, UserCode="123456",
                     code="InvalidParameterException")
    assert "AssociateSoftwareToken" in e.response["Error"]["Message"]


def test_access_token_or_session_exactly_one(cognito, raw, pool):
    _, access = new_user(cognito, pool)
    session = "s" * 64
    client_error(cognito.associate_software_token, code="InvalidParameterException")
    client_error(cognito.associate_software_token, AccessToken=access, Session=session,
                 code="InvalidParameterException")
    client_error(cognito.verify_software_token, UserCode="123456",
                 code="InvalidParameterException")
    client_error(cognito.verify_software_token, AccessToken=access, Session=session,
                 UserCode="123456", code="InvalidParameterException")
    # A Session goes to the MFA_SETUP challenge, which does not know this one.
    raw.err("AssociateSoftwareToken", {"Session": session}, "NotAuthorizedException", sign=False)
    raw.err("VerifySoftwareToken", {"Session": session, "UserCode": "123456"},
            "NotAuthorizedException", sign=False)


def test_bad_and_other_pools_tokens(cognito, pool):
    pool_id, _ = pool
    client_error(cognito.associate_software_token, AccessToken="not.a.token",
                 code="NotAuthorizedException")
    client_error(cognito.set_user_mfa_preference, AccessToken="not.a.token",
                 SMSMfaSettings={"Enabled": False}, code="NotAuthorizedException")
    # The same username in another pool: that pool's token acts on that pool's user only.
    username, access = new_user(cognito, pool)
    other_pool = make_pool(cognito, MfaConfiguration="OFF")
    cognito.set_user_pool_mfa_config(UserPoolId=other_pool, MfaConfiguration="OPTIONAL",
                                     SoftwareTokenMfaConfiguration={"Enabled": True})
    other_client = make_client(cognito, other_pool)["ClientId"]
    signup_confirmed(cognito, other_pool, other_client, username=username)
    other_access = tokens(cognito, other_client, username)["AccessToken"]
    register_totp(cognito, other_access)
    cognito.set_user_mfa_preference(AccessToken=other_access,
                                    SoftwareTokenMfaSettings={"Enabled": True})
    assert cognito.admin_get_user(UserPoolId=other_pool,
                                  Username=username)["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    assert "UserMFASettingList" not in cognito.admin_get_user(UserPoolId=pool_id,
                                                              Username=username)
    client_error(cognito.set_user_mfa_preference, AccessToken=access,
                 SoftwareTokenMfaSettings={"Enabled": True}, code="InvalidParameterException")


def test_pool_without_totp(cognito):
    pool_id = make_pool(cognito)
    client_id = make_client(cognito, pool_id)["ClientId"]
    _, access = new_user(cognito, (pool_id, client_id))
    for call, kw in ((cognito.associate_software_token, {}),
                     (cognito.verify_software_token, {"UserCode": "123456"})):
        e = client_error(call, AccessToken=access, code="SoftwareTokenMFANotFoundException", **kw)
        assert e.response["Error"]["Message"] == \
            "Software Token MFA has not been enabled by the userPool"


# ---- user preferences -------------------------------------------------------------------------
def test_set_user_mfa_preference_refusals(cognito, pool):
    pool_id, _ = pool
    username, access = new_user(cognito, pool)
    e = client_error(cognito.set_user_mfa_preference, AccessToken=access,
                     SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
                     code="InvalidParameterException")
    assert e.response["Error"]["Message"] == "User has not set up software token mfa"
    e = client_error(cognito.set_user_mfa_preference, AccessToken=access,
                     SMSMfaSettings={"Enabled": True}, code="InvalidParameterException")
    assert "phone_number" in e.response["Error"]["Message"]
    register_totp(cognito, access)
    client_error(cognito.set_user_mfa_preference, AccessToken=access,
                 SoftwareTokenMfaSettings={"Enabled": False, "PreferredMfa": True},
                 code="InvalidParameterException")
    cognito.admin_update_user_attributes(UserPoolId=pool_id, Username=username,
                                         UserAttributes=[{"Name": "phone_number",
                                                          "Value": PHONE}])
    client_error(cognito.set_user_mfa_preference, AccessToken=access,
                 SMSMfaSettings={"Enabled": True, "PreferredMfa": True},
                 SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
                 code="InvalidParameterException")
    assert "UserMFASettingList" not in cognito.get_user(AccessToken=access), \
        "refused calls change nothing"
    # Disabling the preferred factor clears the preference.
    cognito.set_user_mfa_preference(AccessToken=access, SMSMfaSettings={"Enabled": True},
                                    SoftwareTokenMfaSettings={"Enabled": True,
                                                              "PreferredMfa": True})
    u = cognito.get_user(AccessToken=access)
    assert u["UserMFASettingList"] == ["SMS_MFA", "SOFTWARE_TOKEN_MFA"], u
    assert u["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA", u
    cognito.set_user_mfa_preference(AccessToken=access, SoftwareTokenMfaSettings={
        "Enabled": False})
    u = cognito.get_user(AccessToken=access)
    assert u["UserMFASettingList"] == ["SMS_MFA"] and "PreferredMfaSetting" not in u, u


def test_admin_set_user_mfa_preference(cognito, raw, pool):
    pool_id, _ = pool
    username, _ = new_user(cognito, pool, phone_number=PHONE, email=f"{PHONE[1:]}@example.com")
    cognito.admin_set_user_mfa_preference(UserPoolId=pool_id, Username=username,
                                          SMSMfaSettings={"Enabled": True, "PreferredMfa": True})
    u = cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    assert u["UserMFASettingList"] == ["SMS_MFA"], u
    assert u["PreferredMfaSetting"] == "SMS_MFA", u
    assert u["MFAOptions"] == SMS_OPTION, u
    # Email MFA (newer than botocore 1.29): raw client.
    raw.ok("AdminSetUserMFAPreference", {
        "UserPoolId": pool_id, "Username": username,
        "EmailMfaSettings": {"Enabled": True, "PreferredMfa": True}})
    u = raw.ok("AdminGetUser", {"UserPoolId": pool_id, "Username": username})
    assert u["UserMFASettingList"] == ["SMS_MFA", "EMAIL_OTP"], u
    assert u["PreferredMfaSetting"] == "EMAIL_OTP", u
    cognito.admin_set_user_mfa_preference(UserPoolId=pool_id, Username=username,
                                          SMSMfaSettings={"Enabled": False})
    raw.ok("AdminSetUserMFAPreference", {"UserPoolId": pool_id, "Username": username,
                                         "EmailMfaSettings": {"Enabled": False}})
    u = cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    for k in ("UserMFASettingList", "PreferredMfaSetting", "MFAOptions"):
        assert k not in u, u
    client_error(cognito.admin_set_user_mfa_preference, UserPoolId=pool_id, Username="nobody-x",
                 SMSMfaSettings={"Enabled": True}, code="UserNotFoundException", status=None)
    client_error(cognito.admin_set_user_mfa_preference, UserPoolId=pool_id, Username=username,
                 SoftwareTokenMfaSettings={"Enabled": True}, code="InvalidParameterException")


def test_set_user_settings_legacy(cognito, pool):
    pool_id, _ = pool
    username, access = new_user(cognito, pool, phone_number=PHONE)
    cognito.set_user_settings(AccessToken=access, MFAOptions=SMS_OPTION)
    u = cognito.get_user(AccessToken=access)
    assert u["MFAOptions"] == SMS_OPTION and u["UserMFASettingList"] == ["SMS_MFA"], u
    cognito.set_user_settings(AccessToken=access, MFAOptions=[])
    u = cognito.get_user(AccessToken=access)
    assert "MFAOptions" not in u and "UserMFASettingList" not in u, u
    for bad in ([{"DeliveryMedium": "EMAIL", "AttributeName": "email"}],
                [{"DeliveryMedium": "SMS", "AttributeName": "email"}],
                SMS_OPTION + SMS_OPTION):
        client_error(cognito.set_user_settings, AccessToken=access, MFAOptions=bad,
                     code="InvalidParameterException")
    cognito.admin_set_user_settings(UserPoolId=pool_id, Username=username, MFAOptions=SMS_OPTION)
    assert cognito.admin_get_user(UserPoolId=pool_id,
                                  Username=username)["MFAOptions"] == SMS_OPTION
    cognito.admin_set_user_settings(UserPoolId=pool_id, Username=username, MFAOptions=[])
    assert "MFAOptions" not in cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    # Without a phone number there is nothing to send SMS codes to.
    no_phone, _ = new_user(cognito, pool)
    client_error(cognito.admin_set_user_settings, UserPoolId=pool_id, Username=no_phone,
                 MFAOptions=SMS_OPTION, code="InvalidParameterException")
