"""A pool's CustomSMSSender / CustomEmailSender (LambdaConfig {LambdaVersion, LambdaArn}): its
codes go to that receiver as Cognito's custom sender event, signed with the pool's trigger
secret; other pools keep the server's route (the outbox here); a receiver that keeps failing
makes SignUp fail with CodeDeliveryFailureException and leaves no user."""

import pytest

from helpers import unique
from helpers_users import PASSWORD, attrs, find_messages, make_client
from trigger_receiver import Status


@pytest.fixture
def sender_pool(cognito, trigger_pool, trigger_receiver):
    lambda_config = {
        "CustomSMSSender": {"LambdaVersion": "V1_0",
                            "LambdaArn": trigger_receiver.url_for("CustomSMSSender")},
        "CustomEmailSender": {"LambdaVersion": "V1_0",
                              "LambdaArn": trigger_receiver.url_for("CustomEmailSender")},
        "KMSKeyID": "arn:aws:kms:us-east-1:000000000000:key/cognate-test"}
    pool_id = trigger_pool(LambdaConfig=lambda_config,
                           AutoVerifiedAttributes=["phone_number", "email"])
    return pool_id, make_client(cognito, pool_id)["ClientId"]


def test_sms_code_goes_to_the_pools_sender(cognito, server, sender_pool, trigger_receiver):
    pool_id, client_id = sender_pool
    name, phone = unique("sms"), "+15550123000"
    r = cognito.sign_up(ClientId=client_id, Username=name, Password=PASSWORD,
                        UserAttributes=attrs({"phone_number": phone}))
    assert r["CodeDeliveryDetails"]["DeliveryMedium"] == "SMS", r
    [call] = trigger_receiver.invocations("CustomSMSSender")
    assert call.signature_ok, call.headers
    event = call.event
    assert event["triggerSource"] == "CustomSMSSender_SignUp", event
    assert event["userPoolId"] == pool_id and event["callerContext"]["clientId"] == client_id
    assert event["request"]["type"] == "customSMSSenderRequestV1", event
    assert event["request"]["userAttributes"]["phone_number"] == phone
    assert not find_messages(server, pool_id=pool_id), "the outbox got the code too"
    cognito.confirm_sign_up(ClientId=client_id, Username=name,
                            ConfirmationCode=event["request"]["code"])
    user = cognito.admin_get_user(UserPoolId=pool_id, Username=name)
    assert user["UserStatus"] == "CONFIRMED", user


def test_email_code_goes_to_the_pools_email_sender(cognito, sender_pool, trigger_receiver):
    pool_id, client_id = sender_pool
    name = unique("mail")
    cognito.sign_up(ClientId=client_id, Username=name, Password=PASSWORD,
                    UserAttributes=attrs({"email": name + "@example.com"}))
    [call] = trigger_receiver.invocations("CustomEmailSender")
    assert call.signature_ok
    assert call.event["triggerSource"] == "CustomEmailSender_SignUp", call.event
    assert call.event["request"]["type"] == "customEmailSenderRequestV1", call.event


def test_failing_sender_stores_no_user(cognito, sender_pool, trigger_receiver):
    pool_id, client_id = sender_pool
    trigger_receiver.handle("CustomSMSSender", lambda event: Status(500, "down"))
    name = unique("down")
    with pytest.raises(cognito.exceptions.CodeDeliveryFailureException):
        cognito.sign_up(ClientId=client_id, Username=name, Password=PASSWORD,
                        UserAttributes=attrs({"phone_number": "+15550123001"}))
    assert len(trigger_receiver.invocations("CustomSMSSender")) == 3  # retried, then given up
    with pytest.raises(cognito.exceptions.UserNotFoundException):
        cognito.admin_get_user(UserPoolId=pool_id, Username=name)


def test_pools_without_a_custom_sender_keep_the_server_route(cognito, server, trigger_receiver):
    pool_id = cognito.create_user_pool(PoolName=unique("plain"),
                                       AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    name = unique("plain")
    cognito.sign_up(ClientId=client_id, Username=name, Password=PASSWORD,
                    UserAttributes=attrs({"email": name + "@example.com"}))
    assert find_messages(server, pool_id=pool_id, username=name)
