"""CustomMessage: branded texts for the sign-up code, resent codes, forgotten passwords and
invitations.

    python3 examples/triggers/custom_message.py --port 9403 --secret HEX

Settings (environment): BRAND (default "Acme"), APP_URL (default https://app.example.com).

The event carries placeholders, not the secrets: request.codeParameter ("{####}") and, for
invitations, request.usernameParameter ("{username}"). The texts must contain them; Cognate
puts the code (and username) in after the answer. A source this handler does not know keeps
the pool's own template (the event is returned unchanged).
"""

import html
import os

import lambda_http

BRAND = os.environ.get("BRAND", "Acme")
APP_URL = os.environ.get("APP_URL", "https://app.example.com")


def texts(source, name, code, username):
    """(email subject, email body, SMS text) for a trigger source, or None."""
    if source in ("CustomMessage_SignUp", "CustomMessage_ResendCode"):
        return (f"Welcome to {BRAND}",
                f"<p>Hi {name},</p><p>Thanks for joining {BRAND}. Your confirmation code is "
                f"<b>{code}</b>.</p>",
                f"{BRAND}: your confirmation code is {code}")
    if source == "CustomMessage_ForgotPassword":
        return (f"Reset your {BRAND} password",
                f"<p>Hi {name},</p><p>Use the code <b>{code}</b> to choose a new password at "
                f"{APP_URL}/reset. If you did not ask for it, ignore this message.</p>",
                f"{BRAND}: your password reset code is {code}")
    if source == "CustomMessage_AdminCreateUser":
        return (f"You are invited to {BRAND}",
                f"<p>Sign in at {APP_URL} as <b>{username}</b> with the temporary password "
                f"<b>{code}</b>.</p>",
                f"{BRAND}: sign in as {username} with {code}")
    return None


def handler(event, context):
    request = event["request"]
    attributes = request["userAttributes"]
    # Names come from users: escaped before they go into HTML.
    name = html.escape(attributes.get("given_name") or attributes.get("name") or event["userName"])
    chosen = texts(event["triggerSource"], name, request["codeParameter"],
                   request.get("usernameParameter"))
    if chosen is not None:
        subject, email, sms = chosen
        event["response"].update(emailSubject=subject, emailMessage=email, smsMessage=sms)
    return event


if __name__ == "__main__":
    lambda_http.main(handler, description=__doc__.splitlines()[0])
