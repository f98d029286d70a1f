"""PreSignUp: people with an address at one email domain sign up without a code; others may not.

    python3 examples/triggers/pre_sign_up.py --port 9401 --secret HEX

The domain comes from the environment, as a Lambda function's settings would:
ALLOWED_DOMAIN (default example.com). For PreSignUp_SignUp:

- email at ALLOWED_DOMAIN: autoConfirmUser and autoVerifyEmail, so SignUp answers
  UserConfirmed=true, no code is sent and the user can sign in at once;
- anything else: the handler raises, and the client gets UserLambdaValidationException
  "PreSignUp failed with error Sign-up is open to <domain> addresses only."

PreSignUp_AdminCreateUser (an administrator adding someone) is let through unchanged; Cognito
ignores the response of that source anyway.
"""

import os

import lambda_http

ALLOWED_DOMAIN = os.environ.get("ALLOWED_DOMAIN", "example.com").lower()


def email_domain(address):
    local, at, domain = (address or "").strip().rpartition("@")
    return domain.lower() if at and local else ""


def handler(event, context):
    if event["triggerSource"] != "PreSignUp_SignUp":
        return event
    email = event["request"]["userAttributes"].get("email")
    if email_domain(email) != ALLOWED_DOMAIN:
        raise Exception(f"Sign-up is open to {ALLOWED_DOMAIN} addresses only")
    event["response"]["autoConfirmUser"] = True
    event["response"]["autoVerifyEmail"] = True
    return event


if __name__ == "__main__":
    lambda_http.main(handler, description=__doc__.splitlines()[0])
