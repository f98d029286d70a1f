"""Helpers for the CUSTOM_AUTH suite (test_custom_auth.py).

  EmailCodeLambda   the three challenge triggers of a passwordless "email me a code" sign-in,
                    written the way the Lambda functions are: Define asks for CUSTOM_CHALLENGE
                    until an answer is right (tokens) or three are wrong (fail), and answers
                    PASSWORD_VERIFIER first when the client started with SRP_A; Create draws a
                    random 6-digit code, "mails" it (self.mailbox) and keeps it in
                    privateChallengeParameters; Verify compares the answer with it
  srp_claim         the PASSWORD_VERIFIER answer for a PASSWORD_VERIFIER challenge, computed with
                    bench/srp_client.py (standard library only; imported by path)
"""

import importlib.util
import pathlib
import secrets

CUSTOM_FLOWS = ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
CHALLENGE_TRIGGERS = ("DefineAuthChallenge", "CreateAuthChallenge", "VerifyAuthChallengeResponse")
MAX_WRONG = 3

_SRP_PATH = pathlib.Path(__file__).resolve().parents[3] / "bench" / "srp_client.py"
_spec = importlib.util.spec_from_file_location("cognate_bench_srp_client", _SRP_PATH)
srp = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(srp)


def masked(email):
    local, _, domain = email.partition("@")
    return f"{local[0]}***@{domain}"


class EmailCodeLambda:
    """Define/Create/Verify handlers; install(receiver) points the receiver's paths at them."""

    def __init__(self):
        self.mailbox = {}  # userName -> the newest code "sent" to them
        self.sent = []     # (userName, code), oldest first

    def install(self, receiver):
        receiver.handle("DefineAuthChallenge", self.define)
        receiver.handle("CreateAuthChallenge", self.create)
        receiver.handle("VerifyAuthChallengeResponse", self.verify)
        return self

    def code_for(self, username):
        return self.mailbox[username]

    @staticmethod
    def define(event):
        session = event["request"]["session"]
        response = {"issueTokens": False, "failAuthentication": False}
        last = session[-1] if session else None
        codes = [s for s in session if s["challengeName"] == "CUSTOM_CHALLENGE"]
        if last and last["challengeName"] == "SRP_A":
            response["challengeName"] = "PASSWORD_VERIFIER"
        elif last and last["challengeName"] == "PASSWORD_VERIFIER" and not last["challengeResult"]:
            response["failAuthentication"] = True
        elif codes and codes[-1]["challengeResult"]:
            response["issueTokens"] = True
        elif len(codes) >= MAX_WRONG:
            response["failAuthentication"] = True
        else:
            response["challengeName"] = "CUSTOM_CHALLENGE"
        return {**event, "response": response}

    def create(self, event):
        code = f"{secrets.randbelow(10 ** 6):06d}"
        name = event["userName"]
        self.mailbox[name] = code
        self.sent.append((name, code))
        rounds = sum(1 for s in event["request"]["session"]
                     if s["challengeName"] == "CUSTOM_CHALLENGE")
        email = event["request"]["userAttributes"].get("email", "nobody@example.com")
        return {**event, "response": {
            "publicChallengeParameters": {"hint": f"Code sent to {masked(email)}",
                                          "attempt": rounds + 1},
            "privateChallengeParameters": {"answer": code},
            "challengeMetadata": f"CODE-{rounds + 1}"}}

    @staticmethod
    def verify(event):
        expected = event["request"]["privateChallengeParameters"]["answer"]
        correct = secrets.compare_digest(event["request"]["challengeAnswer"], expected)
        return {**event, "response": {"answerCorrect": correct}}


def srp_start(username):
    """(ephemeral, AuthParameters) for CUSTOM_AUTH starting with SRP_A."""
    ephemeral = srp.new_ephemeral()
    return ephemeral, {"USERNAME": username, "CHALLENGE_NAME": "SRP_A", "SRP_A": ephemeral[2]}


def srp_claim(pool_id, password, ephemeral, parameters):
    """ChallengeResponses answering the PASSWORD_VERIFIER challenge `parameters`."""
    pool_name = pool_id.split("_", 1)[1]
    user_id = parameters["USER_ID_FOR_SRP"]
    secret = srp.user_secret(pool_name, user_id, password, parameters["SALT"])
    stamp = srp.timestamp()
    signature = srp.claim_signature(pool_name, user_id, secret, ephemeral, parameters["SRP_B"],
                                    parameters["SECRET_BLOCK"], stamp)
    return {"USERNAME": user_id, "PASSWORD_CLAIM_SECRET_BLOCK": parameters["SECRET_BLOCK"],
            "TIMESTAMP": stamp, "PASSWORD_CLAIM_SIGNATURE": signature}
