"""CUSTOM_AUTH with an emailed one-time code: DefineAuthChallenge, CreateAuthChallenge and
VerifyAuthChallengeResponse in one process, one path each.

    python3 examples/triggers/custom_auth.py --port 9405 --secret HEX

    LambdaConfig: DefineAuthChallenge=http://127.0.0.1:9405/define
                  CreateAuthChallenge=http://127.0.0.1:9405/create
                  VerifyAuthChallengeResponse=http://127.0.0.1:9405/verify

The app client needs ALLOW_CUSTOM_AUTH. InitiateAuth(AuthFlow=CUSTOM_AUTH, USERNAME) answers
the CUSTOM_CHALLENGE with the Session; RespondToAuthChallenge(ChallengeName=CUSTOM_CHALLENGE,
ChallengeResponses={USERNAME, ANSWER: code}, Session) answers tokens, or another challenge
after a wrong code (the same code stays valid), and fails after three wrong codes.

A client that starts with SRP (AuthParameters CHALLENGE_NAME=SRP_A and SRP_A) proves its
password first (PASSWORD_VERIFIER), then gets the code: password and code.

Instead of sending email, this example prints the code on stdout ("code for <user>: 123456")
so you can try it locally. A real function sends it (SES, SMTP...) and never logs it.
"""

import hmac
import secrets

import lambda_http

MAX_ATTEMPTS = 3
CODE_PREFIX = "CODE-"


def custom_rounds(session):
    return [s for s in session if s["challengeName"] == "CUSTOM_CHALLENGE"]


def define_auth_challenge(event, context):
    request, response = event["request"], event["response"]
    session = request["session"]
    rounds = custom_rounds(session)
    response.update(issueTokens=False, failAuthentication=False)
    # A name nobody has (userNotFound, with PreventUserExistenceErrors) is asked for a code
    # like anyone else, so the answer does not tell who exists; no answer can be right for it.
    if session and session[-1]["challengeName"] == "SRP_A":
        response["challengeName"] = "PASSWORD_VERIFIER"
    elif session and session[-1]["challengeName"] == "PASSWORD_VERIFIER" \
            and not session[-1]["challengeResult"]:
        response["failAuthentication"] = True
    elif rounds and rounds[-1]["challengeResult"]:
        response["issueTokens"] = True
    elif len(rounds) >= MAX_ATTEMPTS:
        response["failAuthentication"] = True
    else:
        response["challengeName"] = "CUSTOM_CHALLENGE"
    return event


def send_code_email(address, username, code):
    # Stand-in for email. A real function sends the message and never logs the code.
    print(f"code for {username}: {code}", flush=True)


def masked(address):
    local, at, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if at else "***"


def create_auth_challenge(event, context):
    request = event["request"]
    unknown = bool(request.get("userNotFound"))
    email = event["userName"] if unknown else request["userAttributes"].get("email")
    if not email:
        raise Exception("No email address to send the code to")
    rounds = custom_rounds(request["session"])
    previous = rounds[-1].get("challengeMetadata", "") if rounds else ""
    if previous.startswith(CODE_PREFIX):
        code = previous[len(CODE_PREFIX):]        # a retry: the code already sent stays valid
    else:
        code = f"{secrets.randbelow(10**6):06d}"
        if not unknown:                           # nobody to send it to; nothing tells
            send_code_email(email, event["userName"], code)
    event["response"].update(
        publicChallengeParameters={"email": masked(email)},
        privateChallengeParameters={"code": code},
        # Cognate keeps this sealed in the Session; only the triggers ever see it.
        challengeMetadata=CODE_PREFIX + code)
    return event


def verify_auth_challenge_response(event, context):
    request = event["request"]
    expected = request["privateChallengeParameters"].get("code", "")
    answer = request.get("challengeAnswer", "").strip()
    event["response"]["answerCorrect"] = bool(expected) and hmac.compare_digest(
        answer.encode(), expected.encode())
    return event


ROUTES = {"/define": define_auth_challenge, "/create": create_auth_challenge,
          "/verify": verify_auth_challenge_response}

if __name__ == "__main__":
    lambda_http.main(ROUTES, description=__doc__.splitlines()[0])
