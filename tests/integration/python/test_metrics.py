"""GET /metrics (issue 8): Prometheus text that moves with traffic (requests by action and
outcome, latency, sign-ins per pool, challenges, lockouts, store latency, the hashing queue),
never names a user, and needs a bearer token when --metrics-token-file is set."""

import re
import time
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError

from helpers import boto_client, unique
from helpers_users import PASSWORD, make_client, make_pool, signup_confirmed, tokens


def scrape(server, token=None):
    req = urllib.request.Request(server.endpoint + "/metrics")
    if token is not None:
        req.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 200
        assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        return r.read().decode()


def settled_scrape(server, check, token=None, seconds=5):
    """Scrapes until check(text) holds (or time runs out) and returns the text: a request is
    counted once its answer is written, so the last one may land just after the client read
    it."""
    deadline = time.monotonic() + seconds
    text = scrape(server, token)
    while not check(text) and time.monotonic() < deadline:
        time.sleep(0.05)
        text = scrape(server, token)
    return text


def value(text, name, **labels):
    """The sample of `name` whose labels include `labels` (0 when absent)."""
    total = 0.0
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        m = re.match(r"^([a-z_]+)(\{(.*)\})? (\S+)$", line)
        if not m or m.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(3) or ""))
        if all(found.get(k) == v for k, v in labels.items()):
            total += float(m.group(4))
    return total


def test_metrics_move_with_traffic_and_name_no_user(server, cognito):
    pool_id = make_pool(cognito)
    client_id = make_client(cognito, pool_id)["ClientId"]
    username, _ = signup_confirmed(cognito, pool_id, client_id,
                                   attributes={"email": "metrics-user@example.com"})
    before = scrape(server)
    assert "# TYPE cognate_requests_total counter" in before
    assert "# TYPE cognate_request_duration_seconds histogram" in before
    assert "cognate_hashing_queue_depth " in before

    tokens(cognito, client_id, username)
    for _ in range(5):
        with pytest.raises(ClientError):
            cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                                  AuthParameters={"USERNAME": username,
                                                  "PASSWORD": "Wrong-Passw0rd!"})
    with pytest.raises(ClientError) as locked:
        cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                              AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD})
    assert locked.value.response["Error"]["Message"] == "Password attempts exceeded"

    def moved(name, text=None, **labels):
        return value(text or after, name, **labels) - value(before, name, **labels)

    after = settled_scrape(server, lambda t: moved(
        "cognate_requests_total", t, action="InitiateAuth", outcome="NotAuthorizedException") >= 6)

    assert moved("cognate_requests_total", action="InitiateAuth", outcome="ok") >= 1
    assert moved("cognate_requests_total", action="InitiateAuth",
                 outcome="NotAuthorizedException") == 6
    assert moved("cognate_request_duration_seconds_count", action="InitiateAuth") >= 7
    assert moved("cognate_sign_ins_total", pool=pool_id, outcome="succeeded") == 1
    assert moved("cognate_sign_ins_total", pool=pool_id, outcome="failed") == 6
    assert moved("cognate_lockouts_total", pool=pool_id) >= 1
    assert moved("cognate_store_duration_seconds_count", store="sqlite", kind="read") > 0
    assert moved("cognate_store_duration_seconds_count", store="sqlite", kind="write") > 0
    # Labels carry actions, outcomes and pools, never who signed in.
    for secret in (username, "metrics-user@example.com", client_id, PASSWORD):
        assert secret not in after


def test_challenges_are_counted_per_pool(server, cognito):
    pool_id = make_pool(cognito)
    client_id = make_client(cognito, pool_id,
                            flows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["ClientId"]
    cognito.admin_create_user(UserPoolId=pool_id, Username=unique("srp"),
                              MessageAction="SUPPRESS")
    before = value(scrape(server), "cognate_challenges_total", pool=pool_id,
                   challenge="PASSWORD_VERIFIER")
    users = cognito.list_users(UserPoolId=pool_id)["Users"]
    cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_SRP_AUTH",
                          AuthParameters={"USERNAME": users[0]["Username"], "SRP_A": "ab" * 64})
    after = value(scrape(server), "cognate_challenges_total", pool=pool_id,
                  challenge="PASSWORD_VERIFIER")
    assert after == before + 1


def test_a_metrics_token_is_required_when_configured(start_server, tmp_path):
    token_file = tmp_path / "metrics-token"
    token_file.write_text("s3cret-scrape-token\n")
    s = start_server(extra_args=["--metrics-token-file", str(token_file)])
    for header in (None, "Bearer wrong-token", "Basic czNjcmV0", "Bearer "):
        req = urllib.request.Request(s.endpoint + "/metrics")
        if header:
            req.add_header("Authorization", header)
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(req, timeout=10)
        assert e.value.code == 401, header
        assert e.value.headers["WWW-Authenticate"].startswith("Bearer")
    text = scrape(s, token="s3cret-scrape-token")
    assert "cognate_requests_total" in text
    # Refused scrapes are counted too, as the metrics action.
    def refused(t):
        return value(t, "cognate_requests_total", action="metrics",
                     outcome="NotAuthorizedException")
    assert refused(settled_scrape(s, lambda t: refused(t) >= 4, token="s3cret-scrape-token")) == 4
    assert boto_client(s).list_user_pools(MaxResults=1) is not None  # the API is unaffected


def test_a_missing_metrics_token_file_stops_start_up(start_server, tmp_path):
    s = start_server(start=False, extra_args=["--metrics-token-file",
                                              str(tmp_path / "absent")])
    with pytest.raises(Exception):
        s.start(timeout=10)
    assert "--metrics-token-file" in s.log_text()
