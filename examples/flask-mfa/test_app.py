"""The Flask example against the real build/cognate: sign-in with SOFTWARE_TOKEN_MFA and SMS_MFA
through the app's forms (app.test_client()), and the protected API's answers to no token, bad
tokens, a good token (also with Cognate stopped), and a token past its exp.

Expiry: the app's verifier reads time from an injected clock (create_app(clock=...)); the test
sets that clock to the real token's own exp instead of waiting the 5+ minutes tokens live.

Run: /usr/bin/python3 -m pytest -q examples/flask-mfa  (COGNATE_BIN overrides build/cognate)
"""

import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from testkit import (PASSWORD, PHONE, Clock, api, app_for, assert_refused, b64url, claims_of,
                     cookie_session, enable_totp, login, make_client, make_pool, make_user,
                     next_totp, outbox_code, start_cognate, token_from, tokens, totp, wrong_code)
from app import load_config  # after testkit, which puts the harness on sys.path
from helpers import boto_client


@pytest.fixture(scope="module")
def cognate():
    server = start_cognate()
    yield server
    server.cleanup()


@pytest.fixture(scope="module")
def admin(cognate):
    return boto_client(cognate)


@pytest.fixture(scope="module")
def pool(admin):
    return make_pool(admin)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def app(cognate, pool, clock):
    return app_for(cognate, *pool, clock=clock)


# ---- sign-in with MFA ---------------------------------------------------------------------------
def test_totp_sign_in_then_api_until_expiry(app, admin, pool, clock):
    pool_id, client_id = pool
    username = make_user(admin, pool_id)
    secret = enable_totp(admin, pool_id, client_id, username)
    web = app.test_client()
    assert b'name="password"' in web.get("/").data

    r = login(web, username)
    assert r.status_code == 302 and r.headers["Location"].endswith("/mfa")
    kept = cookie_session(app, web)["challenge"]
    assert kept["name"] == "SOFTWARE_TOKEN_MFA" and kept["username"] == username
    assert len(kept["session"]) >= 20
    assert PASSWORD not in json.dumps(cookie_session(app, web))
    assert b"authenticator app" in web.get("/mfa").data

    now = time.time()
    bad = wrong_code({totp(secret, now + d) for d in range(-90, 91, 30)})
    r = web.post("/mfa", data={"code": bad})
    assert r.status_code == 401
    assert "CodeMismatchException: Invalid code received for user" in r.get_data(as_text=True)
    assert cookie_session(app, web)["challenge"] == kept, "a wrong code may be corrected"

    token = token_from(web.post("/mfa", data={"code": next_totp(secret)}))
    assert "challenge" not in cookie_session(app, web)
    assert web.get("/mfa").status_code == 302, "the used challenge is gone"
    claims = claims_of(token)
    assert claims["username"] == username and claims["token_use"] == "access"

    # The API: 401 without a token, 200 with it, until the clock reaches its exp.
    r = api(web)
    assert r.status_code == 401 and r.headers["WWW-Authenticate"] == 'Bearer realm="flask-mfa"'
    r = api(web, token)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.get_json() == {"username": username, "sub": claims["sub"], "client_id": client_id,
                            "scope": "aws.cognito.signin.user.admin", "expires_at": claims["exp"]}
    assert claims["exp"] - claims["iat"] >= 300
    clock.at = claims["exp"] - 1
    assert api(web, token).status_code == 200
    clock.at = claims["exp"]
    assert_refused(api(web, token), "token expired")
    clock.at = claims["exp"] + 3600
    assert_refused(api(web, token), "token expired")
    clock.at = claims["iat"] - 1
    assert_refused(api(web, token), "token not valid yet")


def test_sms_sign_in(app, cognate, admin, pool):
    pool_id, _ = pool
    username = make_user(admin, pool_id, phone_number=PHONE, phone_number_verified="true")
    admin.admin_set_user_mfa_preference(UserPoolId=pool_id, Username=username,
                                        SMSMfaSettings={"Enabled": True, "PreferredMfa": True})
    web = app.test_client()
    r = login(web, username)
    assert r.status_code == 302
    assert cookie_session(app, web)["challenge"]["name"] == "SMS_MFA"
    page = web.get("/mfa").get_data(as_text=True)
    assert "We sent a code by SMS to +*******0123" in page
    message = outbox_code(cognate, username)
    assert message["destination"] == PHONE and message["channel"] == "SMS"

    r = web.post("/mfa", data={"code": wrong_code({message["code"]})})
    assert r.status_code == 401
    assert "CodeMismatchException" in r.get_data(as_text=True)
    assert web.post("/mfa", data={"code": ""}).status_code == 400

    token = token_from(web.post("/mfa", data={"code": message["code"]}))
    r = api(web, token)
    assert r.status_code == 200 and r.get_json()["username"] == username


def test_sign_in_without_mfa_and_bad_password(app, admin, pool):
    username = make_user(admin, pool[0])
    web = app.test_client()
    r = login(web, username, "Wr0ng-password!")
    assert r.status_code == 401
    assert "NotAuthorizedException: Incorrect username or password." in r.get_data(as_text=True)
    assert login(web, "", "").status_code == 400
    token = token_from(login(web, username))
    assert api(web, token).status_code == 200


# ---- tokens the API refuses ---------------------------------------------------------------------

def test_api_refuses_bad_tokens(app, admin, pool):
    pool_id, client_id = pool
    username = make_user(admin, pool_id)
    web = app.test_client()
    token = token_from(login(web, username))
    header, payload, signature = token.split(".")
    claims = claims_of(token)
    kid = jwt.get_unverified_header(token)["kid"]

    for header_value in ("Basic dXNlcjpwYXNz", "Bearer ", "Bearer"):
        r = api(web, header=header_value)
        assert r.status_code == 401 and r.headers["WWW-Authenticate"] == 'Bearer realm="flask-mfa"'
    assert_refused(api(web, "not-a-jwt"), "malformed token")

    tampered = b64url(json.dumps({**claims, "username": "mallory"}).encode())
    assert_refused(api(web, f"{header}.{tampered}.{signature}"), "bad signature")
    assert_refused(api(web, f"{header}.{payload}.{signature[:-4]}AAAA"), "bad signature")

    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(claims, other_key, algorithm="RS256", headers={"kid": kid})
    assert_refused(api(web, forged), "bad signature")
    hs256 = jwt.encode(claims, "guess", algorithm="HS256", headers={"kid": kid})
    assert_refused(api(web, hs256), "unsupported signing algorithm")
    unknown = jwt.encode(claims, other_key, algorithm="RS256", headers={"kid": "no-such-key"})
    assert_refused(api(web, unknown), "unknown signing key")

    id_token = tokens(admin, client_id, username)["IdToken"]
    assert_refused(api(web, id_token), "not an access token")
    other_client = make_client(admin, pool_id)
    assert_refused(api(web, tokens(admin, other_client, username)["AccessToken"]),
                   "token issued to another client")
    assert api(web, token).status_code == 200, "the genuine token still passes"


def test_other_issuer_refused(cognate, admin, pool):
    """A verifier configured with another issuer refuses a genuine token of this pool."""
    pool_id, client_id = pool
    app = app_for(cognate, pool_id, client_id)
    app.extensions["verifier"].issuer = f"{cognate.endpoint}/us-east-1_Other0000"
    token = tokens(admin, client_id, make_user(admin, pool_id))["AccessToken"]
    assert_refused(api(app.test_client(), token), "wrong issuer")


# ---- offline: no call to Cognate per request ----------------------------------------------------
def test_api_works_with_cognate_stopped():
    server = start_cognate()
    try:
        admin = boto_client(server)
        pool_id, client_id = make_pool(admin)
        username = make_user(admin, pool_id)
        app = app_for(server, pool_id, client_id)
        web = app.test_client()
        token = token_from(login(web, username))
        verifier = app.extensions["verifier"]
        assert verifier.fetches == 1, "the JWKS is fetched once, at sign-in"

        server.stop()
        assert not server.running()
        for _ in range(3):
            r = api(web, token)
            assert r.status_code == 200, r.get_data(as_text=True)
            assert r.get_json()["username"] == username
        assert verifier.fetches == 1
        r = login(web, username)
        assert r.status_code == 502 and b"Cannot reach the sign-in service" in r.data

        # A fresh app has no keys cached and cannot get any now: 503, not 200 and not 401.
        cold = app_for(server, pool_id, client_id).test_client()
        r = api(cold, token)
        assert r.status_code == 503 and r.get_json() == {"error": "signing keys unavailable"}
    finally:
        server.cleanup()


def test_load_config_from_environment():
    env = {"COGNATE_ENDPOINT": "http://127.0.0.1:9330/", "POOL_ID": "us-east-1_Abc123456",
           "CLIENT_ID": "client1"}
    cfg = load_config(env)
    assert cfg["issuer"] == "http://127.0.0.1:9330/us-east-1_Abc123456"
    assert cfg["region"] == "us-east-1" and len(cfg["secret_key"]) == 64
    cfg = load_config({**env, "COGNATE_ISSUER": "https://id.example/us-east-1_Abc123456",
                       "COGNATE_REGION": "eu-west-1", "FLASK_SECRET_KEY": "k"})
    assert cfg["issuer"] == "https://id.example/us-east-1_Abc123456"
    assert (cfg["region"], cfg["secret_key"]) == ("eu-west-1", "k")
    with pytest.raises(RuntimeError, match="POOL_ID, CLIENT_ID"):
        load_config({"COGNATE_ENDPOINT": "http://x"})
