"""Helpers for the user, sign-in, token and group suites.

  outbox             the messages the server "sent": <data dir>/outbox.jsonl, one JSON object a
                     line {time, pool_id, username, channel, destination, purpose, code, subject,
                     body}; wait_message() polls for the newest one matching a filter
  secret_hash        SECRET_HASH = base64(HMAC-SHA256(client secret, username + client id))
  make_pool/client   pools and app clients set up for password sign-in
  sign_in/...        USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH shortcuts
  verify_token       checks an ID or access token with PyJWT against the pool's JWKS
"""

import base64
import hashlib
import hmac
import json
import os
import time
import urllib.request

import jwt
from jwt.algorithms import RSAAlgorithm

from helpers import unique

# Satisfies Cognito's default policy (8+, upper, lower, digit, symbol).
PASSWORD = "Passw0rd!"
NEW_PASSWORD = "N3w-Passw0rd!"
PASSWORD_FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                  "ALLOW_REFRESH_TOKEN_AUTH"]
SCOPE = "aws.cognito.signin.user.admin"
UUID_RE = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


# ---- outbox ---------------------------------------------------------------------------------
def outbox_path(server):
    return os.path.join(server.data_dir, "outbox.jsonl")


def read_outbox(server):
    """Every complete message line so far (a half-written last line is skipped)."""
    try:
        with open(outbox_path(server), "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return []
    out = []
    for line in data.split(b"\n"):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out


def find_messages(server, pool_id=None, username=None, purpose=None, destination=None):
    def keep(m):
        return ((pool_id is None or m.get("pool_id") == pool_id) and
                (username is None or m.get("username") == username) and
                (purpose is None or m.get("purpose") == purpose) and
                (destination is None or m.get("destination") == destination))
    return [m for m in read_outbox(server) if keep(m)]


def wait_message(server, *, since=0, timeout=5.0, **filters):
    """The newest message matching `filters` among those after the first `since` matches
    (count them first with len(find_messages(...)))."""
    deadline = time.monotonic() + timeout
    while True:
        found = find_messages(server, **filters)
        if len(found) > since:
            return found[-1]
        if time.monotonic() > deadline:
            raise AssertionError(f"no outbox message matching {filters} (after {since}) within "
                                 f"{timeout}s; outbox has {len(read_outbox(server))} lines")
        time.sleep(0.05)


def check_message(m, *, pool_id, purpose, channel="EMAIL", destination=None, username=None):
    """The common shape of every outbox line."""
    for k in ("time", "pool_id", "username", "channel", "destination", "purpose", "code",
              "subject", "body"):
        assert k in m, f"outbox message lacks {k!r}: {m}"
    assert m["pool_id"] == pool_id, m
    assert m["purpose"] == purpose, m
    assert m["channel"] == channel, m
    if destination is not None:
        assert m["destination"] == destination, m
    if username is not None:
        assert m["username"] == username, m
    assert isinstance(m["body"], str) and m["body"], m
    return m


def code_message(server, *, since=0, **filters):
    """wait_message + the code must be 6 digits and appear in the body."""
    m = wait_message(server, since=since, **filters)
    code = m.get("code")
    assert isinstance(code, str) and code.isdigit() and len(code) == 6, \
        f"code is not 6 digits: {m}"
    assert code in m.get("body", ""), f"the message body does not contain the code: {m}"
    return m


# ---- secrets --------------------------------------------------------------------------------
def secret_hash(username, client_id, secret):
    mac = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


# ---- pools, clients, users ------------------------------------------------------------------
def make_pool(cognito, **kw):
    kw.setdefault("PoolName", unique("users"))
    return cognito.create_user_pool(**kw)["UserPool"]["Id"]


def make_client(cognito, pool_id, flows=None, **kw):
    """Returns the UserPoolClient dict (ClientId, ClientSecret when generated, ...)."""
    kw.setdefault("ClientName", unique("app"))
    if flows is None:
        flows = PASSWORD_FLOWS
    if flows:
        kw["ExplicitAuthFlows"] = flows
    return cognito.create_user_pool_client(UserPoolId=pool_id, **kw)["UserPoolClient"]


def email_of(username):
    return f"{username}@example.com"


def attrs(d):
    return [{"Name": k, "Value": v} for k, v in d.items()]


def attr_map(lst):
    """[{"Name","Value"}] -> dict; fails on duplicate names."""
    out = {}
    for a in lst:
        assert a["Name"] not in out, f"attribute {a['Name']} listed twice: {lst}"
        out[a["Name"]] = a.get("Value")
    return out


def signup_confirmed(cognito, pool_id, client_id, username=None, password=PASSWORD,
                     attributes=None, secret=None):
    """SignUp + AdminConfirmSignUp (one password hash). Returns (username, sub)."""
    username = username or unique("user")
    kw = {}
    if secret:
        kw["SecretHash"] = secret_hash(username, client_id, secret)
    r = cognito.sign_up(ClientId=client_id, Username=username, Password=password,
                        UserAttributes=attrs(attributes or {}), **kw)
    cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username=username)
    return username, r["UserSub"]


def sign_in(cognito, client_id, username, password=PASSWORD, secret=None):
    """InitiateAuth USER_PASSWORD_AUTH; returns the whole response."""
    params = {"USERNAME": username, "PASSWORD": password}
    if secret:
        params["SECRET_HASH"] = secret_hash(username, client_id, secret)
    return cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                                 AuthParameters=params)


def tokens(cognito, client_id, username, password=PASSWORD, secret=None):
    r = sign_in(cognito, client_id, username, password, secret)
    assert "AuthenticationResult" in r, f"expected tokens, got a challenge: {r}"
    return r["AuthenticationResult"]


def admin_sign_in(cognito, pool_id, client_id, username, password=PASSWORD,
                  flow="ADMIN_USER_PASSWORD_AUTH", secret=None):
    params = {"USERNAME": username, "PASSWORD": password}
    if secret:
        params["SECRET_HASH"] = secret_hash(username, client_id, secret)
    return cognito.admin_initiate_auth(UserPoolId=pool_id, ClientId=client_id, AuthFlow=flow,
                                       AuthParameters=params)


def check_auth_result(result, *, refresh=True, expires_in=3600):
    assert result.get("TokenType") == "Bearer", result
    assert result.get("ExpiresIn") == expires_in, result
    for k in ("AccessToken", "IdToken"):
        assert isinstance(result.get(k), str) and result[k].count(".") == 2, (k, result)
    if refresh:
        assert isinstance(result.get("RefreshToken"), str) and result["RefreshToken"], result
    else:
        assert "RefreshToken" not in result, f"unexpected RefreshToken: {result}"


# ---- tokens ---------------------------------------------------------------------------------
def issuer(server, pool_id):
    return f"{server.endpoint}/{pool_id}"


def fetch_jwks(server, pool_id):
    url = f"{issuer(server, pool_id)}/.well-known/jwks.json"
    with urllib.request.urlopen(url, timeout=5) as r:
        assert r.status == 200, f"GET {url}: {r.status}"
        return json.loads(r.read())


def unverified(token):
    """(header, claims) without any checks."""
    return jwt.get_unverified_header(token), jwt.decode(token, options={"verify_signature": False})


def verify_token(server, pool_id, token, *, token_use, client_id, jwks=None, leeway=5):
    """Verifies signature, iss, exp, token_use and the client (aud for ID tokens, client_id
    and no aud for access tokens); returns the claims."""
    jwks = jwks or fetch_jwks(server, pool_id)
    header = jwt.get_unverified_header(token)
    assert header.get("alg") == "RS256", header
    keys = {k["kid"]: k for k in jwks["keys"]}
    assert header.get("kid") in keys, f"kid {header.get('kid')} not in the pool's JWKS {list(keys)}"
    key = RSAAlgorithm.from_jwk(json.dumps(keys[header["kid"]]))
    opts = {"require": ["exp", "iat", "iss", "sub"]}
    if token_use == "id":
        claims = jwt.decode(token, key=key, algorithms=["RS256"], issuer=issuer(server, pool_id),
                            audience=client_id, options=opts, leeway=leeway)
        assert claims.get("aud") == client_id, claims
    else:
        # No audience given: PyJWT then rejects any token that has an aud claim.
        claims = jwt.decode(token, key=key, algorithms=["RS256"], issuer=issuer(server, pool_id),
                            options=opts, leeway=leeway)
        assert "aud" not in claims, f"access tokens have no aud: {claims}"
        assert claims.get("client_id") == client_id, claims
    assert claims.get("token_use") == token_use, claims
    return claims


def confirmed_user(cognito, pool_id, username, **extra):
    """A CONFIRMED user with a verified email and PASSWORD, made by admin calls (so no sign-up
    or sign-in trigger runs)."""
    cognito.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS",
                              UserAttributes=attrs({"email": email_of(username),
                                                    "email_verified": "true", **extra}))
    cognito.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=PASSWORD,
                                    Permanent=True)
