"""Password history (issue 8): Policies.PasswordPolicy.PasswordHistorySize (0..24) refuses a new
password equal to one of the user's last n passwords, the current one included, with
PasswordHistoryPolicyViolationException at ChangePassword, ConfirmForgotPassword,
AdminSetUserPassword and the NEW_PASSWORD_REQUIRED answer."""

import json

import boto3
import botocore.session
import pytest
from botocore.config import Config

from helpers import attach_shape_check, unique
from helpers_assert import client_error
from helpers_users import (PASSWORD, attrs, code_message, email_of, make_client, signup_confirmed,
                           tokens)
from cognate_server import MODEL_PATH, REGION

REUSED = "PasswordHistoryPolicyViolationException"
RELAXED = {"MinimumLength": 8, "RequireUppercase": False, "RequireLowercase": False,
           "RequireNumbers": False, "RequireSymbols": False}
A, B, C, D, E = ("Alpha-pass-1", "Bravo-pass-2", "Charlie-pass-3", "Delta-pass-4",
                 "Echo-pass-5")


@pytest.fixture(scope="module")
def idp(server, tmp_path_factory):
    """boto3 whose model knows PasswordHistorySize: Debian's botocore 1.29 predates it, so its
    model gets PasswordPolicyType and the exception from the project's model."""
    loader = botocore.session.get_session().get_component("data_loader")
    model = loader.load_service_model("cognito-idp", "service-2")
    ours = json.loads(MODEL_PATH.read_text())["shapes"]
    for name in ("PasswordPolicyType", "PasswordHistorySizeType",
                 "PasswordHistoryPolicyViolationException"):
        model["shapes"][name] = ours[name]
    target = tmp_path_factory.mktemp("model") / "cognito-idp" / "2016-04-18"
    target.mkdir(parents=True)
    (target / "service-2.json").write_text(json.dumps(model))
    session = botocore.session.get_session()
    session.get_component("data_loader").search_paths.insert(0, str(target.parent.parent))
    ak, sk = server.credentials
    client = boto3.Session(botocore_session=session).client(
        "cognito-idp", endpoint_url=server.endpoint, region_name=REGION,
        aws_access_key_id=ak, aws_secret_access_key=sk,
        config=Config(retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=20))
    return attach_shape_check(client)


def history_pool(idp, size):
    policy = dict(RELAXED, PasswordHistorySize=size)
    pool_id = idp.create_user_pool(PoolName=unique("history"),
                                   Policies={"PasswordPolicy": policy})["UserPool"]["Id"]
    return pool_id, make_client(idp, pool_id)["ClientId"]


def reused(fn, **kwargs):
    e = client_error(fn, code=REUSED, **kwargs)
    assert e.response["Error"]["Message"] == "Password has previously been used.", \
        e.response["Error"]


def password_policy(idp, pool_id):
    return idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Policies"]["PasswordPolicy"]


def test_change_password_refuses_the_last_three(idp):
    pool_id, client_id = history_pool(idp, 3)
    assert password_policy(idp, pool_id)["PasswordHistorySize"] == 3
    name, _ = signup_confirmed(idp, pool_id, client_id, password=A)
    access = tokens(idp, client_id, name, password=A)["AccessToken"]

    def change(old, new):
        idp.change_password(AccessToken=access, PreviousPassword=old, ProposedPassword=new)

    reused(idp.change_password, AccessToken=access, PreviousPassword=A, ProposedPassword=A)
    change(A, B)
    change(B, C)
    reused(idp.change_password, AccessToken=access, PreviousPassword=C, ProposedPassword=A)
    tokens(idp, client_id, name, password=C)  # The refusal changed nothing.
    change(C, D)
    change(D, A)  # Four back now: D, C, B remembered with the current one.
    tokens(idp, client_id, name, password=A)


def test_confirm_forgot_password_and_admin_set_refuse_recent(idp, server):
    pool_id, client_id = history_pool(idp, 3)
    name, _ = signup_confirmed(idp, pool_id, client_id, password=A,
                               attributes={"email": email_of(unique("h"))})
    idp.admin_update_user_attributes(UserPoolId=pool_id, Username=name,
                                     UserAttributes=attrs({"email_verified": "true"}))
    idp.admin_set_user_password(UserPoolId=pool_id, Username=name, Password=B, Permanent=True)

    idp.forgot_password(ClientId=client_id, Username=name)
    code = code_message(server, pool_id=pool_id, purpose="forgot-password")["code"]
    for recent in (A, B):
        reused(idp.confirm_forgot_password, ClientId=client_id, Username=name,
               ConfirmationCode=code, Password=recent)
    # The code survives a refused password: the user chooses another with it.
    idp.confirm_forgot_password(ClientId=client_id, Username=name, ConfirmationCode=code,
                                Password=C)
    tokens(idp, client_id, name, password=C)

    for permanent in (True, False):
        for recent in (A, B, C):
            reused(idp.admin_set_user_password, UserPoolId=pool_id, Username=name,
                   Password=recent, Permanent=permanent)
    idp.admin_set_user_password(UserPoolId=pool_id, Username=name, Password=D, Permanent=True)
    tokens(idp, client_id, name, password=D)


def test_new_password_challenge_refuses_the_temporary_password(idp):
    pool_id, client_id = history_pool(idp, 2)
    name = unique("invited")
    idp.admin_create_user(UserPoolId=pool_id, Username=name, TemporaryPassword=A,
                          MessageAction="SUPPRESS")
    challenge = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                                  AuthParameters={"USERNAME": name, "PASSWORD": A})
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"

    def answer(password):
        return idp.respond_to_auth_challenge(
            ClientId=client_id, ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=challenge["Session"],
            ChallengeResponses={"USERNAME": name, "NEW_PASSWORD": password})

    reused(answer, password=A)
    assert "AuthenticationResult" in answer(B)


def test_size_zero_allows_reuse_and_is_not_shown(idp):
    pool_id, client_id = history_pool(idp, 0)
    assert "PasswordHistorySize" not in password_policy(idp, pool_id)
    name, _ = signup_confirmed(idp, pool_id, client_id, password=A)
    access = tokens(idp, client_id, name, password=A)["AccessToken"]
    idp.change_password(AccessToken=access, PreviousPassword=A, ProposedPassword=B)
    idp.change_password(AccessToken=access, PreviousPassword=B, ProposedPassword=A)
    idp.admin_set_user_password(UserPoolId=pool_id, Username=name, Password=A, Permanent=True)
    tokens(idp, client_id, name, password=A)


def test_size_is_validated_and_updatable(idp):
    e = client_error(idp.create_user_pool, PoolName=unique("history"),
                     Policies={"PasswordPolicy": dict(RELAXED, PasswordHistorySize=25)},
                     code="InvalidParameterException")
    assert "Member must have value less than or equal to 24" in \
        e.response["Error"]["Message"], e.response["Error"]
    pool_id, client_id = history_pool(idp, 24)
    assert password_policy(idp, pool_id)["PasswordHistorySize"] == 24
    client_error(idp.update_user_pool, UserPoolId=pool_id,
                 Policies={"PasswordPolicy": dict(RELAXED, PasswordHistorySize=25)},
                 code="InvalidParameterException")
    name, _ = signup_confirmed(idp, pool_id, client_id, password=A)
    access = tokens(idp, client_id, name, password=A)["AccessToken"]
    idp.change_password(AccessToken=access, PreviousPassword=A, ProposedPassword=B)

    # Lowering the size applies at once to what is already remembered.
    idp.update_user_pool(UserPoolId=pool_id,
                         Policies={"PasswordPolicy": dict(RELAXED, PasswordHistorySize=1)})
    assert password_policy(idp, pool_id)["PasswordHistorySize"] == 1
    reused(idp.change_password, AccessToken=access, PreviousPassword=B, ProposedPassword=B)
    idp.change_password(AccessToken=access, PreviousPassword=B, ProposedPassword=A)
    # And raising it again finds the earlier passwords still remembered.
    idp.update_user_pool(UserPoolId=pool_id,
                         Policies={"PasswordPolicy": dict(RELAXED, PasswordHistorySize=3)})
    reused(idp.change_password, AccessToken=access, PreviousPassword=A, ProposedPassword=B)
    idp.update_user_pool(UserPoolId=pool_id, Policies={"PasswordPolicy": RELAXED})
    assert "PasswordHistorySize" not in password_policy(idp, pool_id)
