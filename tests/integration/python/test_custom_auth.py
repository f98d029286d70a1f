"""CUSTOM_AUTH through boto3 with the challenge triggers at the local receiver (signed requests):
an "email me a code" sign-in (helpers_custom_auth.EmailCodeLambda) through InitiateAuth and
AdminInitiateAuth, the events Define/Create/Verify receive, wrong answers, three wrong answers,
replayed sessions, Define failing or missing or unreachable, and the variant that proves the
password with SRP first (CHALLENGE_NAME SRP_A, then PASSWORD_VERIFIER, then the code).
"""

import json
import time

import pytest

from helpers import unique
from helpers_assert import client_error
from helpers_assert import lambda_error
from helpers_custom_auth import (CHALLENGE_TRIGGERS, CUSTOM_FLOWS, EmailCodeLambda, srp_claim,
                                 srp_start)
from helpers_users import PASSWORD, attrs, email_of, make_client, verify_token
from trigger_receiver import Reject, Status

INCORRECT = "Incorrect username or password."
SPENT = "Invalid session for the user, session can only be used once."




@pytest.fixture
def custom_pool(cognito, trigger_pool, trigger_receiver):
    """make(*extra triggers) -> (pool id, client id, username, EmailCodeLambda): a pool with the
    three challenge triggers (and `extra`) at the receiver, a CUSTOM_AUTH client, a confirmed
    user with an email; the receiver runs EmailCodeLambda."""
    return lambda *extra: make_custom_pool(cognito, trigger_pool, trigger_receiver, extra)


@pytest.fixture
def setup(custom_pool):
    """custom_pool("PreAuthentication")."""
    return custom_pool("PreAuthentication")


def make_custom_pool(cognito, trigger_pool, trigger_receiver, extra):
    pool_id = trigger_pool(*CHALLENGE_TRIGGERS, *extra)
    client_id = make_client(cognito, pool_id, flows=CUSTOM_FLOWS)["ClientId"]
    name = unique("custom")
    cognito.admin_create_user(UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS",
                              UserAttributes=attrs({"email": email_of(name),
                                                    "email_verified": "true"}))
    cognito.admin_set_user_password(UserPoolId=pool_id, Username=name, Password=PASSWORD,
                                    Permanent=True)
    fn = EmailCodeLambda().install(trigger_receiver)
    return pool_id, client_id, name, fn


def start(cognito, client_id, name, **kw):
    r = cognito.initiate_auth(ClientId=client_id, AuthFlow="CUSTOM_AUTH",
                              AuthParameters={"USERNAME": name}, **kw)
    assert r.get("ChallengeName") == "CUSTOM_CHALLENGE", r
    assert "AuthenticationResult" not in r, r
    return r


def answer(cognito, client_id, name, session, reply, **kw):
    return cognito.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="CUSTOM_CHALLENGE", Session=session,
        ChallengeResponses={"USERNAME": name, "ANSWER": reply}, **kw)


def check_tokens(server, pool_id, client_id, name, result):
    tokens = result["AuthenticationResult"]
    id_claims = verify_token(server, pool_id, tokens["IdToken"], token_use="id",
                             client_id=client_id)
    access = verify_token(server, pool_id, tokens["AccessToken"], token_use="access",
                          client_id=client_id)
    assert id_claims["cognito:username"] == name and access["username"] == name
    assert id_claims["sub"] == access["sub"]
    assert tokens["RefreshToken"]
    return id_claims


def check_envelope(event, trigger_source, pool_id, client_id, name):
    assert event["version"] == "1"
    assert event["triggerSource"] == trigger_source
    assert event["userPoolId"] == pool_id
    assert event["userName"] == name
    assert event["callerContext"]["clientId"] == client_id
    assert isinstance(event["region"], str) and event["region"]
    assert isinstance(event["response"], dict)
    return event["request"]


# ---- the code sign-in ----------------------------------------------------------------------
def test_code_sign_in_and_the_events(server, cognito, setup, trigger_receiver):
    pool_id, client_id, name, fn = setup
    r = start(cognito, client_id, name, ClientMetadata={"step": "initiate"})
    code = fn.code_for(name)
    assert r["ChallengeParameters"] == {"hint": f"Code sent to {name[0]}***@example.com",
                                        "attempt": "1", "USERNAME": name}
    assert code not in json.dumps(r), "the private challenge parameters stay on the server"
    [pre] = trigger_receiver.events("PreAuthentication")
    assert pre["request"]["clientMetadata"] == {"step": "initiate"}

    result = answer(cognito, client_id, name, r["Session"], code,
                    ClientMetadata={"step": "respond"})
    claims = check_tokens(server, pool_id, client_id, name, result)
    assert cognito.get_user(AccessToken=result["AuthenticationResult"]["AccessToken"])[
        "Username"] == name

    define = trigger_receiver.events("DefineAuthChallenge")
    [create] = trigger_receiver.events("CreateAuthChallenge")
    [verify] = trigger_receiver.events("VerifyAuthChallengeResponse")
    assert len(define) == 2
    first = check_envelope(define[0], "DefineAuthChallenge_Authentication", pool_id, client_id,
                           name)
    assert first["session"] == []
    assert first["userAttributes"]["email"] == email_of(name)
    assert first["userAttributes"]["sub"] == claims["sub"]
    assert "clientMetadata" not in first, "InitiateAuth's metadata goes to PreAuthentication only"
    assert "userNotFound" not in first or first["userNotFound"] is False

    req = check_envelope(create, "CreateAuthChallenge_Authentication", pool_id, client_id, name)
    assert req["challengeName"] == "CUSTOM_CHALLENGE"
    assert req["session"] == []
    assert req["userAttributes"]["email"] == email_of(name)
    assert "clientMetadata" not in req

    req = check_envelope(verify, "VerifyAuthChallengeResponse_Authentication", pool_id,
                         client_id, name)
    assert req["privateChallengeParameters"] == {"answer": code}
    assert req["challengeAnswer"] == code
    assert req["clientMetadata"] == {"step": "respond"}
    assert req["userAttributes"]["sub"] == claims["sub"]

    last = check_envelope(define[1], "DefineAuthChallenge_Authentication", pool_id, client_id,
                          name)
    assert last["session"] == [{"challengeName": "CUSTOM_CHALLENGE", "challengeResult": True,
                                "challengeMetadata": "CODE-1"}]
    assert last["clientMetadata"] == {"step": "respond"}
    calls = trigger_receiver.invocations()
    assert calls and all(c.signature_ok is True for c in calls), calls


def test_wrong_answer_gets_another_challenge(server, cognito, setup, trigger_receiver):
    pool_id, client_id, name, fn = setup
    r = start(cognito, client_id, name)
    first_code = fn.code_for(name)
    # An answer that is missing is a bad request: the session is not spent by it.
    lambda_error(cognito.respond_to_auth_challenge, "InvalidParameterException",
                 "Missing required parameter ANSWER", ClientId=client_id,
                 ChallengeName="CUSTOM_CHALLENGE", Session=r["Session"],
                 ChallengeResponses={"USERNAME": name})
    assert trigger_receiver.events("VerifyAuthChallengeResponse") == []
    wrong = f"{(int(first_code) + 1) % 10 ** 6:06d}"
    again = answer(cognito, client_id, name, r["Session"], wrong)
    assert again["ChallengeName"] == "CUSTOM_CHALLENGE", again
    assert again["ChallengeParameters"]["attempt"] == "2"
    assert again["Session"] != r["Session"]
    second_code = fn.code_for(name)
    assert len(fn.sent) == 2

    creates = trigger_receiver.events("CreateAuthChallenge")
    assert creates[1]["request"]["session"] == [
        {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": False,
         "challengeMetadata": "CODE-1"}]
    [verify] = trigger_receiver.events("VerifyAuthChallengeResponse")
    assert verify["request"]["challengeAnswer"] == wrong

    result = answer(cognito, client_id, name, again["Session"], second_code)
    check_tokens(server, pool_id, client_id, name, result)
    assert trigger_receiver.events("DefineAuthChallenge")[-1]["request"]["session"] == [
        {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": False,
         "challengeMetadata": "CODE-1"},
        {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": True,
         "challengeMetadata": "CODE-2"}]


def test_three_wrong_codes_end_the_sign_in(cognito, setup, trigger_receiver):
    pool_id, client_id, name, fn = setup
    session = start(cognito, client_id, name)["Session"]
    for _ in range(2):
        r = answer(cognito, client_id, name, session, "000000x")
        assert r["ChallengeName"] == "CUSTOM_CHALLENGE", r
        session = r["Session"]
    lambda_error(answer, "NotAuthorizedException", INCORRECT, cognito=cognito,
                 client_id=client_id, name=name, session=session, reply="000000x")
    history = trigger_receiver.events("DefineAuthChallenge")[-1]["request"]["session"]
    assert [(s["challengeResult"], s["challengeMetadata"]) for s in history] == [
        (False, "CODE-1"), (False, "CODE-2"), (False, "CODE-3")]
    assert len(fn.sent) == 3, "no fourth code after the third wrong answer"
    # The failed flow's last session is spent; a new flow starts afresh.
    lambda_error(answer, "NotAuthorizedException", SPENT, cognito=cognito, client_id=client_id,
                 name=name, session=session, reply=fn.code_for(name))
    r = start(cognito, client_id, name)
    assert "AuthenticationResult" in answer(cognito, client_id, name, r["Session"],
                                            fn.code_for(name))


def test_replayed_sessions_are_refused(cognito, setup, trigger_receiver):
    pool_id, client_id, name, fn = setup
    first = start(cognito, client_id, name)
    first_code = fn.code_for(name)
    second = answer(cognito, client_id, name, first["Session"], "wrong")
    # The spent session cannot be answered again, even with its right code.
    lambda_error(answer, "NotAuthorizedException", SPENT, cognito=cognito, client_id=client_id,
                 name=name, session=first["Session"], reply=first_code)
    result = answer(cognito, client_id, name, second["Session"], fn.code_for(name))
    assert "AuthenticationResult" in result
    lambda_error(answer, "NotAuthorizedException", SPENT, cognito=cognito, client_id=client_id,
                 name=name, session=second["Session"], reply=fn.code_for(name))
    assert len(trigger_receiver.events("VerifyAuthChallengeResponse")) == 2, \
        "a replay is refused before the answer is judged"

    # A session belongs to its challenge and client, and cannot be altered.
    other = start(cognito, client_id, name)
    lambda_error(cognito.respond_to_auth_challenge, "NotAuthorizedException",
                 "Invalid session for the user.", ClientId=client_id,
                 ChallengeName="SMS_MFA", Session=other["Session"],
                 ChallengeResponses={"USERNAME": name, "SMS_MFA_CODE": "123456"})
    other_client = make_client(cognito, pool_id, flows=CUSTOM_FLOWS)["ClientId"]
    lambda_error(answer, "NotAuthorizedException", "Invalid session for the user.",
                 cognito=cognito, client_id=other_client, name=name, session=other["Session"],
                 reply=fn.code_for(name))
    lambda_error(answer, "NotAuthorizedException", "Invalid session for the user.",
                 cognito=cognito, client_id=client_id, name=name,
                 session=other["Session"][:-8] + "AAAAAAAA", reply=fn.code_for(name))
    assert "AuthenticationResult" in answer(cognito, client_id, name, other["Session"],
                                            fn.code_for(name))


# ---- Define decides -------------------------------------------------------------------------
def test_define_fail_authentication(cognito, setup, trigger_receiver):
    pool_id, client_id, name, fn = setup
    trigger_receiver.handle("DefineAuthChallenge", lambda e: {**e, "response": {
        "challengeName": "CUSTOM_CHALLENGE", "issueTokens": True, "failAuthentication": True}})
    lambda_error(cognito.initiate_auth, "NotAuthorizedException", INCORRECT,
                 ClientId=client_id, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": name})
    assert trigger_receiver.events("CreateAuthChallenge") == []

    # Define may also end the flow after an answer, however right it was.
    fn.install(trigger_receiver)
    r = start(cognito, client_id, name)
    trigger_receiver.handle("DefineAuthChallenge",
                            lambda e: {**e, "response": {"failAuthentication": True}})
    lambda_error(answer, "NotAuthorizedException", INCORRECT, cognito=cognito,
                 client_id=client_id, name=name, session=r["Session"], reply=fn.code_for(name))
    [verify] = trigger_receiver.events("VerifyAuthChallengeResponse")
    assert verify["request"]["challengeAnswer"] == fn.code_for(name)


def test_define_issues_tokens_without_a_challenge(server, cognito, setup, trigger_receiver):
    pool_id, client_id, name, _ = setup
    trigger_receiver.handle("DefineAuthChallenge",
                            lambda e: {**e, "response": {"issueTokens": True}})
    r = cognito.initiate_auth(ClientId=client_id, AuthFlow="CUSTOM_AUTH",
                              AuthParameters={"USERNAME": name})
    check_tokens(server, pool_id, client_id, name, r)
    assert trigger_receiver.events("CreateAuthChallenge") == []


def test_define_rejecting_or_answering_nonsense(cognito, setup, trigger_receiver):
    pool_id, client_id, name, fn = setup
    def refuse(event):
        raise Reject("Too many sign-ins")
    trigger_receiver.handle("DefineAuthChallenge", refuse)
    lambda_error(start, "UserLambdaValidationException",
                 "DefineAuthChallenge failed with error Too many sign-ins.",
                 cognito=cognito, client_id=client_id, name=name)
    trigger_receiver.handle("DefineAuthChallenge",
                            lambda e: {**e, "response": {"challengeName": "SMS_MFA"}})
    client_error(start, code="InvalidLambdaResponseException", cognito=cognito,
                 client_id=client_id, name=name)
    trigger_receiver.handle("DefineAuthChallenge", lambda e: Status(200, "not json"))
    client_error(start, code="InvalidLambdaResponseException", cognito=cognito,
                 client_id=client_id, name=name)
    assert trigger_receiver.events("CreateAuthChallenge") == []

    fn.install(trigger_receiver)
    trigger_receiver.handle("CreateAuthChallenge", lambda e: {**e, "response": {
        "publicChallengeParameters": ["not", "a", "map"]}})
    client_error(start, code="InvalidLambdaResponseException", cognito=cognito,
                 client_id=client_id, name=name)
    trigger_receiver.handle("CreateAuthChallenge", lambda e: Status(500, "boom"))
    client_error(start, code="UserLambdaValidationException", cognito=cognito,
                 client_id=client_id, name=name)


def test_define_missing_or_flow_not_allowed(cognito, trigger_pool, trigger_receiver):
    EmailCodeLambda().install(trigger_receiver)
    for triggers in ((), ("CreateAuthChallenge", "VerifyAuthChallengeResponse")):
        pool_id = trigger_pool(*triggers)
        client_id = make_client(cognito, pool_id, flows=CUSTOM_FLOWS)["ClientId"]
        lambda_error(cognito.initiate_auth, "InvalidParameterException",
                     "Custom auth lambda trigger is not configured for the user pool.",
                     ClientId=client_id, AuthFlow="CUSTOM_AUTH",
                     AuthParameters={"USERNAME": "anyone"})
    pool_id = trigger_pool(*CHALLENGE_TRIGGERS)
    client_id = make_client(cognito, pool_id)["ClientId"]  # password flows only
    lambda_error(cognito.initiate_auth, "InvalidParameterException",
                 "Auth flow not enabled for this client", ClientId=client_id,
                 AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "anyone"})
    client_id = make_client(cognito, pool_id, flows=CUSTOM_FLOWS)["ClientId"]
    lambda_error(cognito.initiate_auth, "InvalidParameterException",
                 "Missing required parameter USERNAME", ClientId=client_id,
                 AuthFlow="CUSTOM_AUTH", AuthParameters={})
    lambda_error(cognito.initiate_auth, "UserNotFoundException", "User does not exist.",
                 ClientId=client_id, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "ghost"})
    assert trigger_receiver.events() == []


def test_unknown_user_gets_a_challenge_when_existence_errors_are_prevented(
        cognito, setup, trigger_receiver):
    """With PreventUserExistenceErrors, Cognito runs the flow for an unknown name too (the
    triggers get userNotFound: true) so that the caller cannot tell it from a real user; the
    answer then fails."""
    pool_id, client_id, name, fn = setup
    client_id = make_client(cognito, pool_id, flows=CUSTOM_FLOWS,
                            PreventUserExistenceErrors="ENABLED")["ClientId"]
    ghost = unique("ghost")
    r = cognito.initiate_auth(ClientId=client_id, AuthFlow="CUSTOM_AUTH",
                              AuthParameters={"USERNAME": ghost})
    [define] = trigger_receiver.events("DefineAuthChallenge")
    assert define["request"]["userNotFound"] is True
    assert r.get("ChallengeName") == "CUSTOM_CHALLENGE", r
    [create] = trigger_receiver.events("CreateAuthChallenge")
    assert create["request"]["userNotFound"] is True
    lambda_error(answer, "NotAuthorizedException", INCORRECT, cognito=cognito,
                 client_id=client_id, name=ghost, session=r["Session"], reply=fn.code_for(ghost))


def test_stopped_receiver_is_unexpected(cognito, custom_pool, trigger_receiver):
    pool_id, client_id, name, fn = custom_pool()
    r = start(cognito, client_id, name)
    trigger_receiver.stop()
    try:
        began = time.monotonic()
        lambda_error(start, "UnexpectedLambdaException",
                     "DefineAuthChallenge invocation failed due to error ConnectionError.",
                     cognito=cognito, client_id=client_id, name=name)
        lambda_error(answer, "UnexpectedLambdaException",
                     "VerifyAuthChallengeResponse invocation failed due to error "
                     "ConnectionError.", cognito=cognito, client_id=client_id, name=name,
                     session=r["Session"], reply=fn.code_for(name))
        assert time.monotonic() - began < 5
    finally:
        trigger_receiver.start()
    # The failed Verify cost no session: the same answer works once the receiver is back.
    assert "AuthenticationResult" in answer(cognito, client_id, name, r["Session"],
                                            fn.code_for(name))


# ---- AdminInitiateAuth ----------------------------------------------------------------------
def test_admin_initiate_auth_variant(server, cognito, setup, trigger_receiver):
    pool_id, client_id, name, fn = setup
    r = cognito.admin_initiate_auth(UserPoolId=pool_id, ClientId=client_id,
                                    AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": name})
    assert r["ChallengeName"] == "CUSTOM_CHALLENGE", r
    again = cognito.admin_respond_to_auth_challenge(
        UserPoolId=pool_id, ClientId=client_id, ChallengeName="CUSTOM_CHALLENGE",
        Session=r["Session"], ChallengeResponses={"USERNAME": name, "ANSWER": "nope"})
    assert again["ChallengeName"] == "CUSTOM_CHALLENGE", again
    result = cognito.admin_respond_to_auth_challenge(
        UserPoolId=pool_id, ClientId=client_id, ChallengeName="CUSTOM_CHALLENGE",
        Session=again["Session"], ChallengeResponses={"USERNAME": name,
                                                      "ANSWER": fn.code_for(name)},
        ClientMetadata={"via": "admin"})
    check_tokens(server, pool_id, client_id, name, result)
    define = trigger_receiver.events("DefineAuthChallenge")
    assert [e["callerContext"]["clientId"] for e in define] == [client_id] * 3
    assert define[-1]["request"]["clientMetadata"] == {"via": "admin"}
    lambda_error(cognito.admin_respond_to_auth_challenge, "NotAuthorizedException", SPENT,
                 UserPoolId=pool_id, ClientId=client_id, ChallengeName="CUSTOM_CHALLENGE",
                 Session=again["Session"],
                 ChallengeResponses={"USERNAME": name, "ANSWER": fn.code_for(name)})


# ---- SRP first ------------------------------------------------------------------------------
def srp_verifier_challenge(cognito, client_id, name):
    ephemeral, params = srp_start(name)
    r = cognito.initiate_auth(ClientId=client_id, AuthFlow="CUSTOM_AUTH", AuthParameters=params)
    assert r.get("ChallengeName") == "PASSWORD_VERIFIER", r
    for k in ("SRP_B", "SALT", "SECRET_BLOCK", "USER_ID_FOR_SRP"):
        assert r["ChallengeParameters"].get(k), (k, r)
    return ephemeral, r


def respond_claim(cognito, client_id, challenge, claim):
    """RespondToAuthChallenge PASSWORD_VERIFIER (with the Session when the server gave one)."""
    kw = {"Session": challenge["Session"]} if challenge.get("Session") else {}
    return cognito.respond_to_auth_challenge(ClientId=client_id, ChallengeName="PASSWORD_VERIFIER",
                                             ChallengeResponses=claim, **kw)


def test_srp_then_code(server, cognito, setup, trigger_receiver):
    pool_id, client_id, name, fn = setup
    ephemeral, r = srp_verifier_challenge(cognito, client_id, name)
    [define] = trigger_receiver.events("DefineAuthChallenge")
    assert define["request"]["session"] == [{"challengeName": "SRP_A", "challengeResult": True}]
    assert trigger_receiver.events("CreateAuthChallenge") == []

    claim = srp_claim(pool_id, PASSWORD, ephemeral, r["ChallengeParameters"])
    challenge = respond_claim(cognito, client_id, r, claim)
    assert challenge["ChallengeName"] == "CUSTOM_CHALLENGE", challenge
    proven = [{"challengeName": "SRP_A", "challengeResult": True},
              {"challengeName": "PASSWORD_VERIFIER", "challengeResult": True}]
    assert trigger_receiver.events("DefineAuthChallenge")[1]["request"]["session"] == proven
    [create] = trigger_receiver.events("CreateAuthChallenge")
    assert create["request"]["session"] == proven

    result = answer(cognito, client_id, name, challenge["Session"], fn.code_for(name))
    check_tokens(server, pool_id, client_id, name, result)
    assert trigger_receiver.events("DefineAuthChallenge")[2]["request"]["session"] == proven + [
        {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": True,
         "challengeMetadata": "CODE-1"}]
    # The claim is single-use too.
    lambda_error(respond_claim, "NotAuthorizedException", SPENT, cognito=cognito,
                 client_id=client_id, challenge=r, claim=claim)


def test_srp_with_the_wrong_password(cognito, setup, trigger_receiver):
    pool_id, client_id, name, fn = setup
    ephemeral, r = srp_verifier_challenge(cognito, client_id, name)
    claim = srp_claim(pool_id, "Wrong-Passw0rd!", ephemeral, r["ChallengeParameters"])
    lambda_error(respond_claim, "NotAuthorizedException", INCORRECT, cognito=cognito,
                 client_id=client_id, challenge=r, claim=claim)
    assert len(trigger_receiver.events("DefineAuthChallenge")) == 1
    assert fn.sent == [], "no code is mailed before the password is proven"


def test_srp_a_bad_starts(cognito, setup, trigger_receiver):
    pool_id, client_id, name, fn = setup
    lambda_error(cognito.initiate_auth, "InvalidParameterException",
                 "Missing required parameter SRP_A", ClientId=client_id,
                 AuthFlow="CUSTOM_AUTH",
                 AuthParameters={"USERNAME": name, "CHALLENGE_NAME": "SRP_A"})
    # Define asking for PASSWORD_VERIFIER when the client sent no SRP_A is the Lambda's mistake.
    trigger_receiver.handle("DefineAuthChallenge",
                            lambda e: {**e, "response": {"challengeName": "PASSWORD_VERIFIER"}})
    client_error(start, code="InvalidParameterException", cognito=cognito,
                 client_id=client_id, name=name)
