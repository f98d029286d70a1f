"""Auth events (AdminListUserAuthEvents, AdminUpdateAuthEventFeedback, UpdateAuthEventFeedback)
after a mixed workload against the real binary: sign-up, a wrong password, a good sign-in, a
password change, forgot/confirm, a sign-out; then paging, feedback through both APIs and the
events going with their user."""

import base64
import hashlib
import hmac
import os

import boto3
import pytest
from botocore.config import Config

from helpers import unique
from helpers_assert import client_error
from helpers_users import (NEW_PASSWORD, PASSWORD, attrs, code_message, email_of, make_client,
                           make_pool)

AGENT = "cognate-events-test/1.0"


@pytest.fixture(scope="module")
def agent_client(server):
    """A boto3 client whose User-Agent carries AGENT (the events' DeviceName)."""
    ak, sk = server.credentials
    return boto3.client("cognito-idp", endpoint_url=server.endpoint, region_name="us-east-1",
                        aws_access_key_id=ak, aws_secret_access_key=sk,
                        config=Config(retries={"total_max_attempts": 1},
                                      user_agent_extra=AGENT))


def feedback_token(server, pool_id, username_key, event_id):
    """The documented token: base64url(HMAC-SHA256(kek.Derive("auth-event-feedback"),
    pool|username_key|event_id)), computed from the data directory's master key."""
    with open(os.path.join(server.data_dir, "master.key")) as f:
        kek = base64.b64decode(f.read().strip())
    derived = hmac.new(kek, b"cognate-derive:auth-event-feedback", hashlib.sha256).digest()
    mac = hmac.new(derived, f"{pool_id}|{username_key}|{event_id}".encode(),
                   hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def list_all(cognito, pool_id, username, page):
    events, token, pages = [], None, 0
    while True:
        kw = {"NextToken": token} if token else {}
        r = cognito.admin_list_user_auth_events(UserPoolId=pool_id, Username=username,
                                                MaxResults=page, **kw)
        assert len(r["AuthEvents"]) <= page, r
        events += r["AuthEvents"]
        pages += 1
        token = r.get("NextToken")
        if not token:
            return events, pages


def test_mixed_workload_is_listed_newest_first(cognito, agent_client, server):
    pool_id = make_pool(cognito, AutoVerifiedAttributes=["email"])
    client_id = make_client(cognito, pool_id)["ClientId"]
    c = agent_client
    username = unique("ev")
    # Sign-up, then confirmed by the admin (AdminConfirmSignUp is not an event).
    c.sign_up(ClientId=client_id, Username=username, Password=PASSWORD,
              UserAttributes=attrs({"email": email_of(username)}))
    cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username=username)
    cognito.admin_update_user_attributes(UserPoolId=pool_id, Username=username,
                                         UserAttributes=attrs({"email_verified": "true"}))
    # A wrong password, then a good sign-in.
    client_error(c.initiate_auth, ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": username, "PASSWORD": "Wrong-pass1!"},
                 code="NotAuthorizedException")
    t = c.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD}
                        )["AuthenticationResult"]
    c.change_password(AccessToken=t["AccessToken"], PreviousPassword=PASSWORD,
                      ProposedPassword=NEW_PASSWORD)
    c.forgot_password(ClientId=client_id, Username=username)
    m = code_message(server, pool_id=pool_id, username=username, purpose="forgot-password")
    c.confirm_forgot_password(ClientId=client_id, Username=username, ConfirmationCode=m["code"],
                              Password=PASSWORD)
    t = c.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD}
                        )["AuthenticationResult"]
    c.global_sign_out(AccessToken=t["AccessToken"])
    # Unknown users get no events (and the API says so).
    client_error(c.initiate_auth, ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": "nobody-" + username, "PASSWORD": PASSWORD},
                 code="UserNotFoundException")
    client_error(cognito.admin_list_user_auth_events, UserPoolId=pool_id,
                 Username="nobody-" + username, code="UserNotFoundException")

    # Listed through the client without the model's output check: SignOut is Cognate's
    # extension of EventType (test_feedback... checks the shape of lists without one).
    events = c.admin_list_user_auth_events(UserPoolId=pool_id, Username=username)["AuthEvents"]
    seen = [(e["EventType"], e["EventResponse"]) for e in events]
    assert seen == [("SignOut", "Pass"), ("SignIn", "Pass"), ("ForgotPassword", "Pass"),
                    ("ForgotPassword", "Pass"), ("PasswordChange", "Pass"), ("SignIn", "Pass"),
                    ("SignIn", "Fail"), ("SignUp", "Pass")], seen
    dates = [e["CreationDate"] for e in events]
    assert dates == sorted(dates, reverse=True), dates
    assert events[6]["ChallengeResponses"] == [
        {"ChallengeName": "Password", "ChallengeResponse": "Failure"}], events[6]
    assert events[5]["ChallengeResponses"] == [
        {"ChallengeName": "Password", "ChallengeResponse": "Success"}], events[5]
    for e in events:
        assert e["EventContextData"]["IpAddress"] == "127.0.0.1", e
        assert AGENT in e["EventContextData"]["DeviceName"], e
        assert e["EventRisk"] == {"RiskDecision": "NoRisk", "RiskLevel": "Low",
                                  "CompromisedCredentialsDetected": False}, e
        assert "EventFeedback" not in e, e
    assert len({e["EventId"] for e in events}) == len(events)

    # Paging: three pages of three, the same events in the same order.
    paged, pages = list_all(c, pool_id, username, 3)
    assert pages == 3 and [e["EventId"] for e in paged] == [e["EventId"] for e in events]
    client_error(cognito.admin_list_user_auth_events, UserPoolId=pool_id, Username=username,
                 NextToken="not-a-token", code="InvalidParameterException")


def test_feedback_through_both_apis_and_events_go_with_the_user(cognito, server):
    pool_id = make_pool(cognito)
    client_id = make_client(cognito, pool_id)["ClientId"]
    username = unique("fb")
    cognito.sign_up(ClientId=client_id, Username=username, Password=PASSWORD)
    cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username=username)
    cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                          AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD})
    events = cognito.admin_list_user_auth_events(UserPoolId=pool_id,
                                                 Username=username)["AuthEvents"]
    sign_in, sign_up = events[0]["EventId"], events[1]["EventId"]

    cognito.admin_update_auth_event_feedback(UserPoolId=pool_id, Username=username,
                                             EventId=sign_up, FeedbackValue="Valid")
    client_error(cognito.admin_update_auth_event_feedback, UserPoolId=pool_id,
                 Username=username, EventId="no-such-event", FeedbackValue="Valid",
                 code="ResourceNotFoundException")
    client_error(cognito.admin_update_auth_event_feedback, UserPoolId=pool_id,
                 Username="nobody-" + username, EventId=sign_up, FeedbackValue="Valid",
                 code="UserNotFoundException")

    # The public action: no SigV4, the token stands for the caller.
    token = feedback_token(server, pool_id, username, sign_in)
    client_error(cognito.update_auth_event_feedback, UserPoolId=pool_id, Username=username,
                 EventId=sign_in, FeedbackToken=token[:-2] + "AA", FeedbackValue="Invalid",
                 code="NotAuthorizedException")
    client_error(cognito.update_auth_event_feedback, UserPoolId=pool_id, Username=username,
                 EventId=sign_up, FeedbackToken=token, FeedbackValue="Invalid",
                 code="NotAuthorizedException")  # another event's token
    client_error(cognito.update_auth_event_feedback, UserPoolId=pool_id, Username=username,
                 EventId="no-such-event",
                 FeedbackToken=feedback_token(server, pool_id, username, "no-such-event"),
                 FeedbackValue="Invalid", code="ResourceNotFoundException")
    cognito.update_auth_event_feedback(UserPoolId=pool_id, Username=username, EventId=sign_in,
                                       FeedbackToken=token, FeedbackValue="Invalid")

    events = cognito.admin_list_user_auth_events(UserPoolId=pool_id,
                                                 Username=username)["AuthEvents"]
    feedback = {e["EventId"]: e.get("EventFeedback") for e in events}
    assert feedback[sign_in]["FeedbackValue"] == "Invalid", feedback
    assert feedback[sign_in]["Provider"] == "Cognito", feedback
    assert feedback[sign_up]["FeedbackValue"] == "Valid", feedback
    assert feedback[sign_up]["Provider"] == "Admin", feedback
    assert feedback[sign_up]["FeedbackDate"] >= events[1]["CreationDate"], feedback

    # Deleted with the user: a new user of the same name starts with no events.
    cognito.admin_delete_user(UserPoolId=pool_id, Username=username)
    cognito.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS")
    assert cognito.admin_list_user_auth_events(UserPoolId=pool_id,
                                               Username=username)["AuthEvents"] == []
