"""Throttling (issue 8): token buckets answer TooManyRequestsException under a burst and recover;
off by default; the Cognito preset limits a pool's quota categories."""

import time
import urllib.request

import pytest
from botocore.exceptions import ClientError

from helpers import boto_client, unique
from helpers_users import PASSWORD, make_client, make_pool, signup_confirmed


def sign_in(c, client_id, name, password=PASSWORD):
    return c.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                           AuthParameters={"USERNAME": name, "PASSWORD": password})


def throttled(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except ClientError as e:
        if e.response["Error"]["Code"] == "TooManyRequestsException":
            assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 429
            return True
        raise
    return False


def test_a_burst_on_one_user_is_throttled_and_recovers(start_server):
    s = start_server(extra_args=["--throttle-user", "1/3"])
    c = boto_client(s)
    pool_id = make_pool(c)
    client_id = make_client(c, pool_id)["ClientId"]
    alice, _ = signup_confirmed(c, pool_id, client_id)
    bob, _ = signup_confirmed(c, pool_id, client_id)
    # signup_confirmed named each user twice (SignUp, AdminConfirmSignUp): let the buckets refill.
    time.sleep(3.1)
    results = [throttled(sign_in, c, client_id, alice) for _ in range(8)]
    assert results[:3] == [False, False, False], results  # the burst
    assert results.count(True) >= 4, results
    assert not throttled(sign_in, c, client_id, bob)  # another user is not affected
    time.sleep(1.1)  # a token back at 1 per second
    assert not throttled(sign_in, c, client_id, alice)
    metrics = urllib.request.urlopen(s.endpoint + "/metrics").read().decode()
    assert 'cognate_throttled_requests_total{action="InitiateAuth"}' in metrics


def test_off_by_default(server, cognito):
    pool_id = make_pool(cognito)
    for _ in range(40):
        cognito.describe_user_pool(UserPoolId=pool_id)


def test_cognito_preset_limits_a_category_per_pool(start_server):
    s = start_server(extra_args=["--throttle-preset", "cognito"])
    c = boto_client(s)
    first, second = make_pool(c), make_pool(c)
    outcomes = [throttled(c.describe_user_pool, UserPoolId=first) for _ in range(40)]
    assert outcomes.count(True) >= 5, outcomes  # UserPoolRead: 15 per second
    assert not throttled(c.describe_user_pool, UserPoolId=second)
    assert not throttled(c.list_users, UserPoolId=first)  # UserList has its own budget
    time.sleep(1.1)
    assert not throttled(c.describe_user_pool, UserPoolId=first)


def test_per_ip_limit_applies_before_authentication(start_server):
    s = start_server(extra_args=["--throttle-ip", "2/5"])
    c = boto_client(s)
    outcomes = []
    for _ in range(12):
        outcomes.append(throttled(c.list_user_pools, MaxResults=1))
    assert outcomes[:5] == [False] * 5 and outcomes.count(True) >= 5, outcomes
    # Unsigned garbage from the same address is refused by the throttle too, not parsed.
    bad = boto_client(s, access_key="AKIDNOTAKEY0000000000", secret="x")
    assert throttled(bad.list_user_pools, MaxResults=1)


@pytest.mark.parametrize("flag,value", [("--throttle-ip", "0"), ("--throttle-user", "x/2"),
                                        ("--throttle-preset", "aws")])
def test_bad_throttle_flags_stop_start_up(start_server, flag, value):
    s = start_server(start=False, extra_args=[flag, value])
    with pytest.raises(Exception):
        s.start(timeout=10)
    assert flag in s.log_text()
