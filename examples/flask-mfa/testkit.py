"""Helpers for test_app.py: the real Cognate (through the integration harness in
tests/integration/python), pools and users set up with boto3 admin calls, and shortcuts that
drive the Flask app through its test client."""

import base64
import json
import os
import re
import sys
import time
from pathlib import Path

import jwt
import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "tests" / "integration" / "python"))

from app import create_app  # noqa: E402
from cognate_server import CognateServer  # noqa: E402
from helpers import unique  # noqa: E402
from totp import totp  # noqa: E402

PASSWORD = "Passw0rd!"
PHONE = "+15555550123"
SNS = {"SnsCallerArn": "arn:aws:iam::123456789012:role/sns", "ExternalId": "flask-mfa"}
TOKEN_RE = re.compile(r'<textarea id="access-token"[^>]*>([A-Za-z0-9_.-]+)</textarea>')


class Clock:
    """The verifier's clock: real time until a test pins it with `at`."""

    def __init__(self):
        self.at = None

    def __call__(self):
        return time.time() if self.at is None else self.at


# ---- Cognate, a pool, users ---------------------------------------------------------------------
def start_cognate():
    server = CognateServer()
    try:
        server.start()
    except Exception as e:
        server.cleanup()
        pytest.fail(f"cannot start cognate: {e}", pytrace=False)
    return server


def make_pool(admin):
    """A pool with optional TOTP and SMS MFA and a password-sign-in client."""
    pool_id = admin.create_user_pool(PoolName=unique("flask"),
                                     SmsConfiguration=SNS)["UserPool"]["Id"]
    admin.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="OPTIONAL",
        SoftwareTokenMfaConfiguration={"Enabled": True},
        SmsMfaConfiguration={"SmsAuthenticationMessage": "Your code is {####}",
                             "SmsConfiguration": SNS})
    return pool_id, make_client(admin, pool_id)


def make_client(admin, pool_id):
    return admin.create_user_pool_client(
        UserPoolId=pool_id, ClientName=unique("web"),
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]


def make_user(admin, pool_id, **attributes):
    username = unique("user")
    admin.admin_create_user(
        UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS",
        UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()])
    admin.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=PASSWORD,
                                  Permanent=True)
    return username


def tokens(admin, client_id, username):
    return admin.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                               AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
                               )["AuthenticationResult"]


def enable_totp(admin, pool_id, client_id, username):
    """Registers and prefers a software token for the user; returns its base32 secret."""
    access = tokens(admin, client_id, username)["AccessToken"]
    secret = admin.associate_software_token(AccessToken=access)["SecretCode"]
    assert admin.verify_software_token(AccessToken=access, UserCode=totp(secret))["Status"] == \
        "SUCCESS"
    admin.set_user_mfa_preference(AccessToken=access, SoftwareTokenMfaSettings={
        "Enabled": True, "PreferredMfa": True})
    return secret


def next_totp(secret):
    """The next step's code: Cognate accepts one step ahead and refuses the step that
    VerifySoftwareToken just used."""
    return totp(secret, time.time() + 30)


def wrong_code(valid):
    return next(c for c in (f"{n:06d}" for n in range(1000)) if c not in valid)


def outbox_code(server, username, purpose="mfa", timeout=5.0):
    deadline = time.monotonic() + timeout
    path = os.path.join(server.data_dir, "outbox.jsonl")
    while time.monotonic() < deadline:
        if os.path.exists(path):
            with open(path) as f:
                found = [json.loads(line) for line in f if line.strip().endswith("}")]
            found = [m for m in found if m.get("username") == username and
                     m.get("purpose") == purpose]
            if found:
                return found[-1]
        time.sleep(0.05)
    raise AssertionError(f"no {purpose} message for {username} in {path}")


def app_for(server, pool_id, client_id, clock=time.time):
    app = create_app({"endpoint": server.endpoint, "region": "us-east-1", "pool_id": pool_id,
                      "client_id": client_id, "secret_key": "test-only-secret",
                      "issuer": f"{server.endpoint}/{pool_id}"}, clock=clock)
    app.testing = True
    return app


# ---- driving the app ----------------------------------------------------------------------------
def login(web, username, password=PASSWORD):
    return web.post("/login", data={"username": username, "password": password})


def token_from(page):
    assert page.status_code == 200, page.get_data(as_text=True)
    match = TOKEN_RE.search(page.get_data(as_text=True))
    assert match, page.get_data(as_text=True)
    return match.group(1)


def api(web, token=None, header=None):
    headers = {"Authorization": header or f"Bearer {token}"} if (token or header) else {}
    return web.get("/api/profile", headers=headers)


def assert_refused(response, description):
    assert response.status_code == 401, response.get_data(as_text=True)
    assert response.headers["WWW-Authenticate"] == (
        f'Bearer realm="flask-mfa", error="invalid_token", error_description="{description}"')
    assert response.get_json()["message"] == description


def claims_of(token):
    return jwt.decode(token, options={"verify_signature": False})


def cookie_session(app, web):
    """The decoded Flask session cookie (signed, not encrypted: the browser can read it)."""
    if hasattr(web, "get_cookie"):  # Werkzeug 2.3+
        cookie = web.get_cookie("session")
        value = cookie.value if cookie else None
    else:  # Debian's Werkzeug 2.2
        value = next((c.value for c in web.cookie_jar if c.name == "session"), None)
    return app.session_interface.get_signing_serializer(app).loads(value) if value else {}


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
