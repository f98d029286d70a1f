"""The trigger examples (examples/triggers/*.py) run for real: each receiver is started as
`python3 examples/triggers/<name>.py --port N --secret <the pool's secret>`, exactly as its
README says, and one boto3 scenario drives it through the session server: PreSignUp
auto-confirms one domain and rejects others, PreTokenGeneration (V1 and V2) shows in the
tokens, CustomMessage rewrites what lands in the outbox, UserMigration signs a legacy user in,
CUSTOM_AUTH signs in with the code the example printed (and after SRP). lambda_http.py's own
checks (signature, freshness, Lambda's error payload, context, routing, marshalling) are
exercised too.
"""

import importlib.util
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from cognate_server import REPO_ROOT, free_port
from helpers import unique
from helpers_assert import client_error
from helpers_assert import lambda_error
from helpers_users import confirmed_user
from helpers_users import (NEW_PASSWORD, PASSWORD, attr_map, attrs, code_message, email_of,
                           find_messages, make_client, sign_in, tokens, verify_token)
from trigger_fixtures import trigger_secret

EXAMPLES = REPO_ROOT / "examples" / "triggers"
CUSTOM_FLOWS = ["ALLOW_CUSTOM_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


lambda_http = _load("example_lambda_http", EXAMPLES / "lambda_http.py")
srp = _load("cognate_bench_srp_client", REPO_ROOT / "bench" / "srp_client.py")


class Example:
    """One example receiver as a child process; its stdout lines are collected."""

    def __init__(self, script, port, secret, env=None):
        self.port = port
        self.lines, self.errors = [], []  # stdout, stderr
        self._cond = threading.Condition()
        self.proc = subprocess.Popen(
            [sys.executable, str(EXAMPLES / script), "--port", str(port), "--secret", secret],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
            env={**os.environ, **(env or {})})
        for stream, sink in ((self.proc.stdout, self.lines), (self.proc.stderr, self.errors)):
            threading.Thread(target=self._read, args=(stream, sink), daemon=True).start()
        try:
            self.wait_line(r"listening on http://127\.0\.0\.1:(\d+)$")
        except AssertionError:
            self.stop()
            raise

    def _read(self, stream, sink):
        for line in stream:
            with self._cond:
                sink.append(line.rstrip("\n"))
                self._cond.notify_all()

    def wait_line(self, pattern, timeout=10.0, after=0):
        """The match of the first stdout line (from index `after`) that matches `pattern`."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.lines[after:]:
                    m = re.search(pattern, line)
                    if m:
                        return m
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    raise AssertionError(f"no stdout line matching {pattern!r}; stdout "
                                         f"{self.lines}, stderr {self.errors}")
                self._cond.wait(min(left, 0.2))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(5)


@pytest.fixture
def run_example(server):
    """run_example(script, pool_id=None, secret=None, port=None, env=None) -> Example, started
    with the pool's secret (from `cognate trigger-secret`) on `port`."""
    started = []

    def start(script, pool_id=None, secret=None, port=None, env=None):
        secret = secret or trigger_secret(server, pool_id)
        example = Example(script, port or free_port(), secret, env)
        started.append(example)
        return example
    yield start
    for example in started:
        example.stop()


def url(port, path="/"):
    return f"http://127.0.0.1:{port}{path}"






# ---- lambda_http.py ---------------------------------------------------------------------------
def post(port, body, header, path="/"):
    """(status, headers, JSON body) of a POST to an example."""
    request = urllib.request.Request(url(port, path), data=body, method="POST")
    if header is not None:
        request.add_header("X-Cognate-Signature", header)
    try:
        with urllib.request.urlopen(request, timeout=5) as r:
            return r.status, dict(r.headers), json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), json.loads(e.read())


def test_adapter_checks_signatures_and_answers_like_lambda(run_example):
    secret = "ab" * 32
    example = run_example("pre_sign_up.py", secret=secret)
    event = {"version": "1", "triggerSource": "PreSignUp_SignUp", "region": "us-east-1",
             "userPoolId": "us-east-1_Example", "userName": "eve",
             "callerContext": {"awsSdkVersion": "x", "clientId": "c"},
             "request": {"userAttributes": {"email": "eve@example.com"}}, "response": {}}
    body = json.dumps(event).encode()

    # A fresh signature, or one a few minutes old (within the 300 s tolerance), is accepted.
    for t in (None, time.time() - 250):
        status, _, answer = post(example.port, body, lambda_http.sign(secret, body, t))
        assert status == 200
        assert answer == {**event, "response": {"autoConfirmUser": True, "autoVerifyEmail": True}}

    # Refused without calling the handler: no, a wrong, a stale or a future signature, or a
    # signature of other bytes.
    for header in (None, "t=1,v1=00", lambda_http.sign("cd" * 32, body),
                   lambda_http.sign(secret, body, time.time() - 400),
                   lambda_http.sign(secret, body, time.time() + 400),
                   lambda_http.sign(secret, body + b" ")):
        status, _, answer = post(example.port, body, header)
        assert (status, answer) == (401, {"message": "bad or stale signature"}), header

    # A handler that raises answers Lambda's error payload (Cognate: UserLambdaValidation...).
    event["request"]["userAttributes"]["email"] = "eve@elsewhere.test"
    body = json.dumps(event).encode()
    status, headers, answer = post(example.port, body, lambda_http.sign(secret, body))
    assert status == 200 and headers["X-Amz-Function-Error"] == "Unhandled"
    assert answer["errorType"] == "Exception"
    assert answer["errorMessage"] == "Sign-up is open to example.com addresses only"
    assert "response" not in answer


def test_adapter_context_routes_and_marshalling():
    """In process: the context a handler gets, routing by path, an unserialisable answer."""
    seen = {}

    def remember(event, context):
        seen.update(name=context.function_name, request_id=context.aws_request_id,
                    left=context.get_remaining_time_in_millis(),
                    arn=context.invoked_function_arn)
        return event

    def unserialisable(event, context):
        return {**event, "response": {"when": time}}

    secret = "ef" * 32
    server = lambda_http.TriggerServer({"/ok": remember, "/bad": unserialisable}, secret,
                                       quiet=True).start()
    try:
        port = server.server_address[1]
        body = json.dumps({"region": "eu-west-1", "request": {}, "response": {}}).encode()
        status, _, answer = post(port, body, lambda_http.sign(secret, body), "/ok")
        assert status == 200 and answer == json.loads(body)
        assert seen["name"] == "remember" and 4000 < seen["left"] <= 5000
        assert seen["arn"] == "arn:aws:lambda:eu-west-1:000000000000:function:remember"
        assert re.fullmatch(r"[0-9a-f-]{36}", seen["request_id"])

        status, headers, answer = post(port, body, lambda_http.sign(secret, body), "/bad")
        assert status == 200 and headers["X-Amz-Function-Error"] == "Unhandled"
        assert answer["errorType"] == "Runtime.MarshalError"
        assert post(port, body, lambda_http.sign(secret, body), "/other")[0] == 404
    finally:
        server.shutdown()
        server.server_close()


# ---- PreSignUp --------------------------------------------------------------------------------
def test_pre_sign_up_auto_confirms_one_domain_and_rejects_others(server, cognito, run_example):
    port = free_port()
    pool_id = cognito.create_user_pool(PoolName=unique("ex-psu"), AutoVerifiedAttributes=["email"],
                                       LambdaConfig={"PreSignUp": url(port)})["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    run_example("pre_sign_up.py", pool_id, port=port)

    name = unique("staff")
    r = cognito.sign_up(ClientId=client_id, Username=name, Password=PASSWORD,
                        UserAttributes=attrs({"email": f"{name}@Example.com"}))
    assert r["UserConfirmed"] is True and "CodeDeliveryDetails" not in r
    user = cognito.admin_get_user(UserPoolId=pool_id, Username=name)
    assert user["UserStatus"] == "CONFIRMED"
    assert attr_map(user["UserAttributes"])["email_verified"] == "true"
    assert tokens(cognito, client_id, name)["IdToken"]

    outsider = unique("outsider")
    lambda_error(lambda: cognito.sign_up(ClientId=client_id, Username=outsider, Password=PASSWORD,
                                         UserAttributes=attrs({"email": email_of(outsider)
                                                               .replace("example.com",
                                                                        "example.com.evil.test")})),
                 "UserLambdaValidationException",
                 "PreSignUp failed with error Sign-up is open to example.com addresses only.")
    client_error(cognito.admin_get_user, UserPoolId=pool_id, Username=outsider,
                 code="UserNotFoundException")
    assert find_messages(server, pool_id=pool_id) == []


# ---- PreTokenGeneration -----------------------------------------------------------------------
def grouped_user(cognito, pool_id):
    name = unique("ptg")
    confirmed_user(cognito, pool_id, name, phone_number="+15555550100")
    for group in ("staff", "internal-ops"):
        cognito.create_group(UserPoolId=pool_id, GroupName=group)
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=name, GroupName=group)
    return name


def test_pre_token_generation_v1_claims_in_the_id_token(server, cognito, run_example):
    port = free_port()
    pool_id = cognito.create_user_pool(PoolName=unique("ex-ptg"), LambdaConfig={
        "PreTokenGeneration": url(port)})["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    run_example("pre_token_generation.py", pool_id, port=port)
    name = grouped_user(cognito, pool_id)

    result = tokens(cognito, client_id, name)
    id_claims = verify_token(server, pool_id, result["IdToken"], token_use="id",
                             client_id=client_id)
    assert id_claims["tenant"] == "acme"
    assert "phone_number" not in id_claims and id_claims["email"] == email_of(name)
    assert sorted(id_claims["cognito:groups"]) == ["staff", "users"]
    access = verify_token(server, pool_id, result["AccessToken"], token_use="access",
                          client_id=client_id)
    assert "tenant" not in access  # V1 changes the ID token only
    assert sorted(access["cognito:groups"]) == ["staff", "users"]


def test_pre_token_generation_v2_claims_in_both_tokens(server, raw, cognito, run_example):
    port = free_port()
    # PreTokenGenerationConfig is newer than Debian's botocore: a raw request.
    pool_id = raw.ok("CreateUserPool", {"PoolName": unique("ex-ptg2"), "LambdaConfig": {
        "PreTokenGenerationConfig": {"LambdaVersion": "V2_0", "LambdaArn": url(port)}}}
    )["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    run_example("pre_token_generation.py", pool_id, port=port, env={"TENANT": "globex"})
    name = grouped_user(cognito, pool_id)

    result = tokens(cognito, client_id, name)
    access = verify_token(server, pool_id, result["AccessToken"], token_use="access",
                          client_id=client_id)
    assert access["tenant"] == "globex"
    assert access["scope"].split() == ["aws.cognito.signin.user.admin", "globex/api"]
    assert sorted(access["cognito:groups"]) == ["staff", "users"]
    id_claims = verify_token(server, pool_id, result["IdToken"], token_use="id",
                             client_id=client_id)
    assert id_claims["tenant"] == "globex" and "phone_number" not in id_claims


# ---- CustomMessage ----------------------------------------------------------------------------
def test_custom_message_brands_sign_up_and_reset_texts(server, cognito, run_example):
    port = free_port()
    pool_id = cognito.create_user_pool(PoolName=unique("ex-cm"), AutoVerifiedAttributes=["email"],
                                       LambdaConfig={"CustomMessage": url(port)})["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    run_example("custom_message.py", pool_id, port=port, env={"BRAND": "Initech"})

    name = unique("cm")
    cognito.sign_up(ClientId=client_id, Username=name, Password=PASSWORD,
                    UserAttributes=attrs({"email": email_of(name), "name": "<b>Peter</b>"}))
    m = code_message(server, pool_id=pool_id, username=name, purpose="signup")
    assert m["subject"] == "Welcome to Initech"
    assert m["body"] == (f"<p>Hi &lt;b&gt;Peter&lt;/b&gt;,</p><p>Thanks for joining Initech. "
                         f"Your confirmation code is <b>{m['code']}</b>.</p>")
    cognito.confirm_sign_up(ClientId=client_id, Username=name, ConfirmationCode=m["code"])

    cognito.forgot_password(ClientId=client_id, Username=name)
    m = code_message(server, pool_id=pool_id, username=name, purpose="forgot-password")
    assert m["subject"] == "Reset your Initech password"
    assert f"Use the code <b>{m['code']}</b> to choose a new password" in m["body"]
    cognito.confirm_forgot_password(ClientId=client_id, Username=name,
                                    ConfirmationCode=m["code"], Password=NEW_PASSWORD)
    assert tokens(cognito, client_id, name, NEW_PASSWORD)["AccessToken"]


# ---- UserMigration ----------------------------------------------------------------------------
def test_user_migration_signs_a_legacy_user_in(server, cognito, run_example):
    port = free_port()
    pool_id = cognito.create_user_pool(PoolName=unique("ex-um"), LambdaConfig={
        "UserMigration": url(port)})["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    example = run_example("user_migration.py", pool_id, port=port)

    # A wrong password, like an unknown name, creates nobody and says "no such user".
    for name, password in (("bob", "Not-bobs-Passw0rd"), ("carol", "Legacy-Passw0rd1")):
        lambda_error(sign_in, "UserNotFoundException", "User does not exist.",
                     cognito=cognito, client_id=client_id, username=name, password=password)
        client_error(cognito.admin_get_user, UserPoolId=pool_id, Username=name,
                     code="UserNotFoundException")

    result = tokens(cognito, client_id, "alice", "Legacy-Passw0rd1")
    claims = verify_token(server, pool_id, result["IdToken"], token_use="id", client_id=client_id)
    assert claims["cognito:username"] == "alice"
    assert claims["email"] == "alice@example.com" and claims["email_verified"] is True
    assert claims["name"] == "Alice Liddell"
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="alice")["UserStatus"] == \
        "CONFIRMED"
    # From now on Cognate knows the password itself.
    assert tokens(cognito, client_id, "alice", "Legacy-Passw0rd1")["AccessToken"]
    # The receiver's log says what happened, never what the event held.
    assert sum("UserMigration_Authentication -> ok" in line for line in example.errors) == 3
    assert not [line for line in example.errors if "Passw0rd" in line or "0ld-" in line]


# ---- CUSTOM_AUTH ------------------------------------------------------------------------------
def custom_auth_pool(cognito, port):
    pool_id = cognito.create_user_pool(PoolName=unique("ex-ca"), LambdaConfig={
        "DefineAuthChallenge": url(port, "/define"), "CreateAuthChallenge": url(port, "/create"),
        "VerifyAuthChallengeResponse": url(port, "/verify")})["UserPool"]["Id"]
    return pool_id, make_client(cognito, pool_id, flows=CUSTOM_FLOWS)["ClientId"]


def answer(cognito, client_id, name, challenge, code):
    return cognito.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="CUSTOM_CHALLENGE", Session=challenge["Session"],
        ChallengeResponses={"USERNAME": name, "ANSWER": code})


def test_custom_auth_with_the_printed_code(server, cognito, run_example):
    port = free_port()
    pool_id, client_id = custom_auth_pool(cognito, port)
    example = run_example("custom_auth.py", pool_id, port=port)
    name = unique("ca")
    confirmed_user(cognito, pool_id, name)

    challenge = cognito.initiate_auth(ClientId=client_id, AuthFlow="CUSTOM_AUTH",
                                      AuthParameters={"USERNAME": name})
    assert challenge["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert challenge["ChallengeParameters"]["email"] == f"{name[0]}***@example.com"
    code = example.wait_line(rf"^code for {re.escape(name)}: (\d{{6}})$").group(1)

    # A wrong code asks again with the same code; no second one is sent.
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    again = answer(cognito, client_id, name, challenge, wrong)
    assert again["ChallengeName"] == "CUSTOM_CHALLENGE"
    result = answer(cognito, client_id, name, again, code)["AuthenticationResult"]
    claims = verify_token(server, pool_id, result["IdToken"], token_use="id", client_id=client_id)
    assert claims["cognito:username"] == name
    assert [line for line in example.lines if line.startswith("code for")] == \
        [f"code for {name}: {code}"]
    assert not [line for line in example.errors if code in line or wrong in line]

    # Three wrong codes fail the sign-in.
    challenge = cognito.initiate_auth(ClientId=client_id, AuthFlow="CUSTOM_AUTH",
                                      AuthParameters={"USERNAME": name})
    for _ in range(2):
        challenge = answer(cognito, client_id, name, challenge, "not-it")
    lambda_error(lambda: answer(cognito, client_id, name, challenge, "not-it"),
                 "NotAuthorizedException", "Incorrect username or password.")


def test_custom_auth_after_srp_asks_password_then_code(server, cognito, run_example):
    port = free_port()
    pool_id, client_id = custom_auth_pool(cognito, port)
    example = run_example("custom_auth.py", pool_id, port=port)
    name = unique("srp")
    confirmed_user(cognito, pool_id, name)

    ephemeral = srp.new_ephemeral()
    verifier = cognito.initiate_auth(ClientId=client_id, AuthFlow="CUSTOM_AUTH", AuthParameters={
        "USERNAME": name, "CHALLENGE_NAME": "SRP_A", "SRP_A": ephemeral[2]})
    assert verifier["ChallengeName"] == "PASSWORD_VERIFIER"
    p = verifier["ChallengeParameters"]
    pool_name, user_id = pool_id.split("_", 1)[1], p["USER_ID_FOR_SRP"]
    stamp = srp.timestamp()
    signature = srp.claim_signature(pool_name, user_id,
                                    srp.user_secret(pool_name, user_id, PASSWORD, p["SALT"]),
                                    ephemeral, p["SRP_B"], p["SECRET_BLOCK"], stamp)
    session = {"Session": verifier["Session"]} if verifier.get("Session") else {}
    challenge = cognito.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="PASSWORD_VERIFIER", **session,
        ChallengeResponses={"USERNAME": user_id, "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"],
                            "TIMESTAMP": stamp, "PASSWORD_CLAIM_SIGNATURE": signature})
    assert challenge["ChallengeName"] == "CUSTOM_CHALLENGE"
    code = example.wait_line(rf"^code for {re.escape(name)}: (\d{{6}})$").group(1)
    result = answer(cognito, client_id, name, challenge, code)["AuthenticationResult"]
    assert verify_token(server, pool_id, result["AccessToken"], token_use="access",
                        client_id=client_id)["username"] == name
