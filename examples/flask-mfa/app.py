"""A small Flask app that signs users in against Cognate with boto3, answers the SMS_MFA and
SOFTWARE_TOKEN_MFA challenges, and serves a JSON API protected by access tokens verified offline.

Environment:
  COGNATE_ENDPOINT   the server, e.g. http://127.0.0.1:9330 (required)
  COGNATE_REGION     region given to boto3 (default us-east-1)
  POOL_ID, CLIENT_ID the user pool and an app client with ALLOW_USER_PASSWORD_AUTH (required)
  FLASK_SECRET_KEY   signs the session cookie (a random one per process when unset)
  COGNATE_ISSUER     the tokens' `iss` (default COGNATE_ENDPOINT/POOL_ID; set it when the server
                     runs with --public-url)

Run: /usr/bin/python3 app.py   (listens on 127.0.0.1:$PORT, default 5000)
"""

import functools
import os
import secrets
import time

import boto3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from flask import (Blueprint, Flask, current_app, g, jsonify, redirect, render_template_string,
                   request, session, url_for)

from access_token import AccessTokenVerifier, JwksUnavailable, TokenError, fetch_url

# The challenges this example answers, and the ChallengeResponses key that carries the code.
CODE_KEYS = {"SOFTWARE_TOKEN_MFA": "SOFTWARE_TOKEN_MFA_CODE", "SMS_MFA": "SMS_MFA_CODE"}
REALM = "flask-mfa"

LAYOUT = """<!doctype html>
<html><head><meta charset="utf-8"><title>Cognate MFA example</title></head><body>
<h1>Cognate MFA example</h1>
{% if error %}<p class="error" role="alert">{{ error }}</p>{% endif %}
BODY
</body></html>"""

LOGIN_PAGE = LAYOUT.replace("BODY", """<form method="post" action="{{ url_for('mfa.login') }}">
  <label>Username <input name="username" autocomplete="username" required></label>
  <label>Password <input name="password" type="password" autocomplete="current-password"
    required></label>
  <button>Sign in</button>
</form>""")

CODE_PAGE = LAYOUT.replace("BODY", """{% if challenge.name == "SMS_MFA" %}
<p>We sent a code by SMS to {{ challenge.destination }}.</p>
{% else %}<p>Enter the code your authenticator app shows.</p>{% endif %}
<form method="post" action="{{ url_for('mfa.mfa') }}">
  <label>Code <input name="code" inputmode="numeric" autocomplete="one-time-code" required></label>
  <button>Verify</button>
</form>
<p><a href="{{ url_for('mfa.index') }}">Start again</a></p>""")

TOKEN_PAGE = LAYOUT.replace("BODY", """<p>Signed in as <b>{{ username }}</b>. The access token
expires in {{ expires_in }} seconds; the refresh token is not kept by this example.</p>
<textarea id="access-token" rows="8" cols="80" readonly>{{ access_token }}</textarea>
<pre>curl -H "Authorization: Bearer $TOKEN" {{ url_for('mfa.profile', _external=True) }}</pre>""")

bp = Blueprint("mfa", __name__)


def load_config(env=os.environ):
    """The app's settings from the environment (see the module docstring)."""
    missing = [k for k in ("COGNATE_ENDPOINT", "POOL_ID", "CLIENT_ID") if not env.get(k)]
    if missing:
        raise RuntimeError(f"set {', '.join(missing)} in the environment")
    endpoint = env["COGNATE_ENDPOINT"].rstrip("/")
    return {
        "endpoint": endpoint,
        "region": env.get("COGNATE_REGION") or "us-east-1",
        "pool_id": env["POOL_ID"],
        "client_id": env["CLIENT_ID"],
        "secret_key": env.get("FLASK_SECRET_KEY") or secrets.token_hex(32),
        "issuer": env.get("COGNATE_ISSUER") or f"{endpoint}/{env['POOL_ID']}",
    }


def create_app(config=None, clock=time.time, fetch_jwks=fetch_url):
    """The Flask app. `clock` (Unix seconds) is what the token verifier checks exp against."""
    cfg = config or load_config()
    app = Flask(__name__)
    app.secret_key = cfg["secret_key"]
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    # InitiateAuth and RespondToAuthChallenge are public calls: no AWS credentials needed.
    app.extensions["cognito"] = boto3.client(
        "cognito-idp", endpoint_url=cfg["endpoint"], region_name=cfg["region"],
        config=Config(signature_version=UNSIGNED, retries={"total_max_attempts": 1}))
    app.extensions["verifier"] = AccessTokenVerifier(cfg["issuer"], cfg["client_id"],
                                                     clock=clock, fetch=fetch_jwks)
    app.extensions["client_id"] = cfg["client_id"]
    app.register_blueprint(bp)
    return app


def page(template, status=200, **context):
    return render_template_string(template, **context), status


def aws_error(e):
    """Cognate's error as `Code: message` (never contains the password or the code sent)."""
    if isinstance(e, ClientError):
        err = e.response.get("Error", {})
        return f"{err.get('Code', 'Error')}: {err.get('Message', '')}"
    return "Cannot reach the sign-in service."


# ---- sign-in ----------------------------------------------------------------------------------
@bp.get("/")
def index():
    session.pop("challenge", None)
    return page(LOGIN_PAGE)


@bp.post("/login")
def login():
    username = request.form.get("username", "").strip()[:128]
    password = request.form.get("password", "")[:256]
    if not username or not password:
        return page(LOGIN_PAGE, 400, error="Username and password are required.")
    try:
        response = current_app.extensions["cognito"].initiate_auth(
            ClientId=current_app.extensions["client_id"], AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password})
    except (ClientError, BotoCoreError) as e:
        return page(LOGIN_PAGE, 401 if isinstance(e, ClientError) else 502, error=aws_error(e))
    return next_step(response, username)


@bp.route("/mfa", methods=["GET", "POST"])
def mfa():
    challenge = session.get("challenge")
    if not challenge:
        return redirect(url_for("mfa.index"))
    if request.method == "GET":
        return page(CODE_PAGE, challenge=challenge)
    code = request.form.get("code", "").strip()[:16]
    if not code:
        return page(CODE_PAGE, 400, challenge=challenge, error="Enter the code.")
    try:
        response = current_app.extensions["cognito"].respond_to_auth_challenge(
            ClientId=current_app.extensions["client_id"], ChallengeName=challenge["name"],
            Session=challenge["session"],
            ChallengeResponses={"USERNAME": challenge["username"],
                                CODE_KEYS[challenge["name"]]: code})
    except ClientError as e:
        if e.response.get("Error", {}).get("Code") == "CodeMismatchException":
            return page(CODE_PAGE, 401, challenge=challenge, error=aws_error(e))
        session.pop("challenge", None)  # Session expired or used up: sign in again.
        return page(LOGIN_PAGE, 401, error=aws_error(e))
    except BotoCoreError as e:
        return page(CODE_PAGE, 502, challenge=challenge, error=aws_error(e))
    return next_step(response, challenge["username"])


def next_step(response, username):
    """Tokens, or the code form for an MFA challenge (its Session kept in the signed cookie)."""
    session.pop("challenge", None)
    if "AuthenticationResult" in response:
        return signed_in(response["AuthenticationResult"])
    name = response.get("ChallengeName")
    if name not in CODE_KEYS:
        return page(LOGIN_PAGE, 501, error=f"This example does not handle the {name} challenge.")
    params = response.get("ChallengeParameters", {})
    session["challenge"] = {
        "name": name, "session": response["Session"],
        "username": params.get("USERNAME", username),
        "destination": params.get("CODE_DELIVERY_DESTINATION", ""),
    }
    return redirect(url_for("mfa.mfa"))


def signed_in(result):
    # Verifying the fresh token also loads the JWKS, so API calls later need no network.
    try:
        claims = current_app.extensions["verifier"].verify(result["AccessToken"])
    except (TokenError, JwksUnavailable) as e:
        # A misconfiguration (COGNATE_ISSUER, CLIENT_ID), not the user's fault.
        return page(LOGIN_PAGE, 502, error=f"Signed in, but the access token is refused: {e}")
    return page(TOKEN_PAGE, username=claims.get("username"), expires_in=result["ExpiresIn"],
                access_token=result["AccessToken"])


# ---- the protected API --------------------------------------------------------------------------
def unauthorized(reason=None):
    """401 with an RFC 6750 challenge; no error code when no token was sent at all."""
    challenge = f'Bearer realm="{REALM}"'
    if reason:
        challenge += f', error="invalid_token", error_description="{reason}"'
    response = jsonify(error="unauthorized", message=reason or "bearer token required")
    response.status_code = 401
    response.headers["WWW-Authenticate"] = challenge
    return response


def require_access_token(view):
    """Runs `view` with the verified claims in flask.g.claims, or answers 401 (503 while the
    signing keys have never been fetched)."""
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return unauthorized()
        try:
            g.claims = current_app.extensions["verifier"].verify(token.strip())
        except TokenError as e:
            return unauthorized(str(e))
        except JwksUnavailable:
            return jsonify(error="signing keys unavailable"), 503
        return view(*args, **kwargs)
    return wrapped


@bp.get("/api/profile")
@require_access_token
def profile():
    c = g.claims
    return jsonify(username=c.get("username"), sub=c.get("sub"), client_id=c["client_id"],
                   scope=c.get("scope", ""), expires_at=c["exp"])


if __name__ == "__main__":
    create_app().run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
