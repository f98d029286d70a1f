"""Alerts (issue 8): rules in the server's configuration fire once per window, not once per
request, to the log and to a webhook as signed JSON."""

import json
import secrets
import time

import pytest
from botocore.exceptions import ClientError

from helpers import boto_client
from helpers_users import PASSWORD, make_client, make_pool, signup_confirmed
from webhook_receiver import WebhookReceiver


def fail_sign_in(c, client_id, name, times):
    for _ in range(times):
        with pytest.raises(ClientError) as e:
            c.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                            AuthParameters={"USERNAME": name, "PASSWORD": "Wrong-Passw0rd!"})
        assert e.value.response["Error"]["Code"] == "NotAuthorizedException"


def wait_for(predicate, seconds=5):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_a_burst_of_failed_sign_ins_sends_exactly_one_alert(start_server, tmp_path):
    secret = secrets.token_urlsafe(32)
    (tmp_path / "webhook-secret").write_text(secret + "\n")
    with WebhookReceiver(secret=secret) as hook:
        rules = tmp_path / "alerts.json"
        rules.write_text(json.dumps({"webhook_url": hook.url_for("/alerts"), "rules": [
            {"name": "user-guessing", "kind": "failed_sign_ins_per_user", "threshold": 3,
             "window_seconds": 300},
            {"name": "address-spraying", "kind": "failed_sign_ins_per_ip", "threshold": 100,
             "window_seconds": 300}]}))
        s = start_server(extra_args=["--alert-rules", str(rules), "--webhook-secret-file",
                                     str(tmp_path / "webhook-secret"),
                                     "--lockout-threshold", "100"])
        c = boto_client(s)
        pool_id = make_pool(c)
        client_id = make_client(c, pool_id)["ClientId"]
        victim, _ = signup_confirmed(c, pool_id, client_id)
        bystander, _ = signup_confirmed(c, pool_id, client_id)
        fail_sign_in(c, client_id, bystander, 2)  # under the threshold: no alert
        fail_sign_in(c, client_id, victim, 12)     # over it 9 times: one alert
        assert wait_for(lambda: len(hook.deliveries) >= 1)
        time.sleep(0.5)  # a second alert would have arrived by now
        assert len(hook.deliveries) == 1, [d.body for d in hook.deliveries]
        alert = hook.deliveries[0]
        assert alert.signature_ok
        body = alert.json
        assert body["alert"] == "user-guessing"
        assert body["kind"] == "failed_sign_ins_per_user"
        assert body["pool_id"] == pool_id
        assert body["username"] == victim
        assert body["failed_sign_ins"] == 4  # fired when the count first exceeded 3
        assert body["window_end"] > body["window_start"]
        # The alert names the failed attempt's auth event and carries its feedback token: the
        # receiver can ask the user and report "not me" with UpdateAuthEventFeedback.
        events = c.admin_list_user_auth_events(UserPoolId=pool_id, Username=victim,
                                               MaxResults=60)["AuthEvents"]
        fired = next(e for e in events if e["EventId"] == body["event_id"])
        assert fired["EventType"] == "SignIn" and fired["EventResponse"] == "Fail"
        c.update_auth_event_feedback(UserPoolId=pool_id, Username=victim,
                                     EventId=body["event_id"],
                                     FeedbackToken=body["feedback_token"], FeedbackValue="Invalid")
        events = c.admin_list_user_auth_events(UserPoolId=pool_id, Username=victim,
                                               MaxResults=60)["AuthEvents"]
        fired = next(e for e in events if e["EventId"] == body["event_id"])
        assert fired["EventFeedback"]["FeedbackValue"] == "Invalid"
        # The token is for the user's eyes: delivered, never logged.
        assert body["feedback_token"] not in s.log_text()
        assert body["event_id"] in s.log_text()
        # Successful sign-ins do not count; the log has the alert too.
        c.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                        AuthParameters={"USERNAME": victim, "PASSWORD": PASSWORD})
        assert wait_for(lambda: '"msg":"alert"' in s.log_text())
        assert s.log_text().count('"msg":"alert"') == 1


def test_bad_rules_stop_start_up(start_server, tmp_path):
    for bad in ('{"rules": []}', '{"rules": [{"name": "x", "kind": "nope", "window_seconds": 5}]}',
                '{"rules": [{"name": "x", "kind": "failed_sign_ins_per_ip", "threshold": 0, '
                '"window_seconds": 5}]}', "not json"):
        rules = tmp_path / "rules.json"
        rules.write_text(bad)
        s = start_server(start=False, extra_args=["--alert-rules", str(rules)])
        with pytest.raises(Exception):
            s.start(timeout=10)
        assert "alert rules" in s.log_text(), bad
