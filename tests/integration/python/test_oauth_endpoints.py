"""OAuth 2.0 / OpenID Connect endpoints of a pool domain, driven over HTTP like a browser and a
client would: authorization code with PKCE, tokens, userInfo, refresh, revocation, logout, and
the security properties (exact redirect URIs, PKCE downgrade, code replay, CSRF, framing, open
redirects)."""

import re

import pytest
import requests

from helpers_users import PASSWORD, fetch_jwks, unverified, verify_token
from oauth_browser import (CALLBACK, SIGNED_OUT, Browser, Page, code_of, error_of, exchange,
                           oauth_app, pkce, user)


@pytest.fixture
def app(cognito, server):
    return oauth_app(cognito, server)


def signed_in_code(app, cognito, username=None, **params):
    username = username or user(cognito, app)
    verifier, challenge = pkce()
    browser = Browser(app)
    code = code_of(browser.sign_in(username, challenge=challenge, **params))
    return browser, username, code, verifier


def test_code_flow_issues_scoped_tokens_userinfo_refresh_and_revoke(cognito, server, app):
    username = user(cognito, app)
    browser, _, code, verifier = signed_in_code(app, cognito, username, nonce="nonce-123")
    r = exchange(app, code, verifier)
    assert r.status_code == 200, r.text
    assert r.headers["Cache-Control"] == "no-store"
    tokens = r.json()
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 3600
    id_claims = verify_token(server, app.pool_id, tokens["id_token"], token_use="id",
                             client_id=app.client_id)
    assert id_claims["nonce"] == "nonce-123"
    assert id_claims["cognito:username"] == username
    assert id_claims["email"] == f"{username}@example.com"
    access = verify_token(server, app.pool_id, tokens["access_token"], token_use="access",
                          client_id=app.client_id)
    assert access["scope"].split() == ["openid", "email", "profile"]
    assert access["username"] == username

    info = requests.get(app.base + "/oauth2/userInfo",
                        headers={"Authorization": "Bearer " + tokens["access_token"]})
    assert info.status_code == 200, info.text
    assert info.json()["sub"] == id_claims["sub"]
    assert info.json()["email"] == f"{username}@example.com"

    refreshed = requests.post(app.base + "/oauth2/token", data=dict(
        grant_type="refresh_token", client_id=app.client_id, refresh_token=tokens["refresh_token"]))
    assert refreshed.status_code == 200, refreshed.text
    again = refreshed.json()
    assert "refresh_token" not in again
    assert unverified(again["access_token"])[1]["scope"] == access["scope"]
    assert "nonce" not in unverified(again["id_token"])[1]

    revoke = requests.post(app.base + "/oauth2/revoke",
                           data=dict(token=tokens["refresh_token"], client_id=app.client_id))
    assert revoke.status_code == 200, revoke.text
    after = requests.post(app.base + "/oauth2/token", data=dict(
        grant_type="refresh_token", client_id=app.client_id, refresh_token=tokens["refresh_token"]))
    assert after.status_code == 400 and after.json()["error"] == "invalid_grant"
    gone = requests.get(app.base + "/oauth2/userInfo",
                        headers={"Authorization": "Bearer " + again["access_token"]})
    assert gone.status_code == 401
    assert 'error="invalid_token"' in gone.headers["WWW-Authenticate"]


def test_scopes_decide_id_token_and_userinfo_claims(cognito, server):
    app = oauth_app(cognito, server, scopes=("openid", "phone", "aws.cognito.signin.user.admin"))
    username = user(cognito, app, phone_number="+15555550100")
    browser = Browser(app)
    verifier, challenge = pkce()
    code = code_of(browser.sign_in(username, challenge=challenge, scope="openid phone email"))
    tokens = exchange(app, code, verifier).json()
    # email is not allowed for the client: dropped, not an error.
    assert unverified(tokens["access_token"])[1]["scope"] == "openid phone"
    info = requests.get(app.base + "/oauth2/userInfo",
                        headers={"Authorization": "Bearer " + tokens["access_token"]}).json()
    assert info["phone_number"] == "+15555550100" and "email" not in info

    # Without openid there is no ID token, and userInfo refuses the access token.
    browser2 = Browser(app)
    verifier, challenge = pkce()
    code = code_of(browser2.sign_in(username, challenge=challenge,
                                    scope="aws.cognito.signin.user.admin"))
    tokens = exchange(app, code, verifier).json()
    assert "id_token" not in tokens
    assert cognito.get_user(AccessToken=tokens["access_token"])["Username"] == username
    r = requests.get(app.base + "/oauth2/userInfo",
                     headers={"Authorization": "Bearer " + tokens["access_token"]})
    assert r.status_code == 401


def test_api_tokens_are_refused_by_userinfo(cognito, app):
    username = user(cognito, app)
    cognito.update_user_pool_client(UserPoolId=app.pool_id, ClientId=app.client_id,
                                    ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH",
                                                       "ALLOW_REFRESH_TOKEN_AUTH"])
    r = cognito.initiate_auth(ClientId=app.client_id, AuthFlow="USER_PASSWORD_AUTH",
                              AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD})
    info = requests.get(app.base + "/oauth2/userInfo", headers={
        "Authorization": "Bearer " + r["AuthenticationResult"]["AccessToken"]})
    assert info.status_code == 401
    assert requests.get(app.base + "/oauth2/userInfo").status_code == 400


def test_redirect_uri_must_match_exactly_and_is_never_followed_otherwise(app):
    browser = Browser(app)
    for uri in [CALLBACK + "/", CALLBACK.upper(), CALLBACK + "?x=1", "http://evil.example/cb",
                CALLBACK + "#f", ""]:
        r = browser.authorize(pkce()[1], redirect_uri=uri)
        assert r.status_code == 400, (uri, r.status_code, r.headers.get("Location"))
        assert "Location" not in r.headers
        assert "callback URLs" in Page(r).error()
    unknown = browser.authorize(pkce()[1], client_id="nosuchclient0000000000000")
    assert unknown.status_code == 400 and "Location" not in unknown.headers


def test_token_exchange_checks_redirect_uri(cognito, app):
    _, _, code, verifier = signed_in_code(app, cognito)
    r = exchange(app, code, verifier, redirect_uri=CALLBACK + "/other")
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    assert exchange(app, code, verifier).status_code == 200  # not spent by the failure


def test_pkce_downgrades_are_refused(cognito, app):
    browser = Browser(app)
    verifier, challenge = pkce()
    plain = error_of(browser.authorize(code_challenge=verifier, code_challenge_method="plain"))
    assert plain["error"] == "invalid_request" and plain["state"] == "state-1"
    missing = error_of(browser.authorize())  # a public client without PKCE
    assert missing["error"] == "invalid_request"
    short = error_of(browser.authorize(code_challenge="abc", code_challenge_method="S256"))
    assert short["error"] == "invalid_request"

    _, _, code, verifier = signed_in_code(app, cognito)
    for bad in [None, pkce()[0], verifier[:-1] + ("A" if verifier[-1] != "A" else "B")]:
        r = exchange(app, code, bad)
        assert r.status_code == 400 and r.json()["error"] == "invalid_grant", r.text
    assert exchange(app, code, verifier).status_code == 200


def test_replayed_code_fails_and_revokes_what_it_issued(cognito, app):
    browser, username, code, verifier = signed_in_code(app, cognito)
    first = exchange(app, code, verifier)
    assert first.status_code == 200
    replay = exchange(app, code, verifier)
    assert replay.status_code == 400
    assert replay.json() == {"error": "invalid_grant",
                             "error_description": "The authorization code has already been used.",
                             "error_message": "The authorization code has already been used."}
    tokens = first.json()
    r = requests.get(app.base + "/oauth2/userInfo",
                     headers={"Authorization": "Bearer " + tokens["access_token"]})
    assert r.status_code == 401
    r = requests.post(app.base + "/oauth2/token", data=dict(
        grant_type="refresh_token", client_id=app.client_id, refresh_token=tokens["refresh_token"]))
    assert r.json()["error"] == "invalid_grant"


def test_codes_are_bound_to_their_client_and_cannot_be_forged(cognito, server, app):
    other = oauth_app(cognito, server)
    _, _, code, verifier = signed_in_code(app, cognito)
    r = requests.post(other.base + "/oauth2/token", data=dict(
        grant_type="authorization_code", code=code, redirect_uri=CALLBACK,
        client_id=other.client_id, code_verifier=verifier))
    assert r.status_code in (400, 401), r.text
    tampered = code[:-4] + ("AAAA" if not code.endswith("AAAA") else "BBBB")
    r = exchange(app, tampered, verifier)
    assert r.json()["error"] == "invalid_grant"
    assert exchange(app, "v1.garbage", verifier).json()["error"] == "invalid_grant"


def test_confidential_client_authenticates_at_the_token_endpoint(cognito, server):
    app = oauth_app(cognito, server, secret=True)
    username = user(cognito, app)
    browser = Browser(app)
    code = code_of(browser.sign_in(username))  # confidential: PKCE optional
    wrong = exchange(app, code, auth=(app.client_id, "wrong-secret"))
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    assert "Basic" in wrong.headers["WWW-Authenticate"]
    none = exchange(app, code)
    assert none.status_code == 401
    both = exchange(app, code, auth=(app.client_id, app.secret), client_secret=app.secret)
    assert both.status_code == 400 and both.json()["error"] == "invalid_request"
    ok = exchange(app, code, client_secret=app.secret)
    assert ok.status_code == 200, ok.text
    refreshed = requests.post(app.base + "/oauth2/token", auth=(app.client_id, app.secret),
                              data=dict(grant_type="refresh_token",
                                        refresh_token=ok.json()["refresh_token"]))
    assert refreshed.status_code == 200, refreshed.text


def test_wrong_password_and_unknown_user_read_alike(cognito, app):
    username = user(cognito, app)
    browser = Browser(app)
    wrong = browser.sign_in(username, password="Wrong-Passw0rd!", challenge=pkce()[1])
    unknown = browser.sign_in("nobody-here", password="Wrong-Passw0rd!", challenge=pkce()[1])
    assert wrong.status_code == unknown.status_code == 401
    assert Page(wrong).error() == Page(unknown).error() == "Incorrect username or password."
    assert username in wrong.text  # the name is kept in the form


def test_every_form_refuses_a_missing_or_foreign_csrf_token(cognito, server, app):
    username = user(cognito, app)
    browser = Browser(app)
    login = browser.page(browser.authorize(pkce()[1]))
    attacker = Browser(app)
    attacker_page = attacker.page(attacker.authorize(pkce()[1]))
    foreign = attacker_page.fields()["_csrf"]
    pages = ["/login", "/signup", "/forgotPassword", "/confirm", "/confirmForgotPassword",
             "/challenge", "/resendCode"]
    query = login.action().split("?", 1)[1]
    for page in pages:
        url = f"{app.base}{page}?{query}"
        for token in ["", foreign, "x" * 43]:
            r = browser.http.post(url, data={"_csrf": token, "username": username,
                                             "password": PASSWORD, "code": "123456"},
                                  allow_redirects=False)
            assert r.status_code == 403, (page, token, r.status_code)
            assert "Location" not in r.headers
    # Nothing happened: no user was made and the right token still works.
    assert "_csrf" in login.fields()
    r = browser.submit(login, username=username, password=PASSWORD)
    assert r.status_code == 303 and r.headers["Location"].startswith(CALLBACK)


def test_hosted_pages_cannot_be_framed_and_cookies_are_locked_down(cognito, server, app):
    browser = Browser(app)
    login = browser.authorize(pkce()[1])
    page = browser.page(login)
    pages = [page.response]
    query = page.action().split("?", 1)[1]
    for path in ["/signup", "/forgotPassword", f"/confirm", f"/confirmForgotPassword"]:
        pages.append(browser.get(f"{app.base}{path}?{query}"))
    for r in pages:
        assert r.status_code == 200, r.url
        csp = r.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
        assert "script-src" not in csp
        assert r.headers["X-Frame-Options"] == "DENY"
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Cache-Control"] == "no-store"
        assert "<script" not in r.text
        nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
        assert f'<style nonce="{nonce}">' in r.text
    cookie = page.response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_logout_redirects_only_to_registered_urls(cognito, app):
    browser, username, code, verifier = signed_in_code(app, cognito)
    for uri in ["http://evil.example/", SIGNED_OUT + "/x", "//evil.example", ""]:
        r = browser.get(f"{app.base}/logout", params=dict(client_id=app.client_id, logout_uri=uri))
        assert r.status_code == 400 and "Location" not in r.headers, uri
    r = browser.get(f"{app.base}/logout", params=dict(client_id=app.client_id,
                                                      redirect_uri="http://evil.example/cb",
                                                      response_type="code"))
    assert r.status_code == 400 and "Location" not in r.headers
    r = browser.get(f"{app.base}/logout", params=dict(client_id="nope", logout_uri=SIGNED_OUT))
    assert r.status_code == 400 and "Location" not in r.headers


def test_browser_session_skips_the_page_until_logout(cognito, app):
    browser, username, code, verifier = signed_in_code(app, cognito)
    again = browser.authorize(pkce()[1])
    assert again.status_code == 302 and again.headers["Location"].startswith(CALLBACK)
    forced = browser.authorize(pkce()[1], prompt="login")
    assert "/login?" in forced.headers["Location"]
    r = browser.get(f"{app.base}/logout", params=dict(client_id=app.client_id, logout_uri=SIGNED_OUT))
    assert r.status_code == 302 and r.headers["Location"] == SIGNED_OUT
    after = browser.authorize(pkce()[1])
    assert "/login?" in after.headers["Location"]
    silent = browser.authorize(pkce()[1], prompt="none")
    assert error_of(silent)["error"] == "login_required"


def test_global_sign_out_ends_the_browser_session(cognito, app):
    browser, username, code, verifier = signed_in_code(app, cognito)
    assert browser.authorize(pkce()[1]).headers["Location"].startswith(CALLBACK)
    cognito.admin_user_global_sign_out(UserPoolId=app.pool_id, Username=username)
    assert "/login?" in browser.authorize(pkce()[1]).headers["Location"]


def test_domain_decides_where_endpoints_answer(cognito, server, app):
    host = f"{app.domain}.auth.localhost"
    r = requests.get(f"{server.endpoint}/oauth2/authorize", headers={"Host": host}, params=dict(
        client_id=app.client_id, response_type="code", redirect_uri=CALLBACK, scope="openid",
        code_challenge=pkce()[1], code_challenge_method="S256"), allow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"].startswith("/login?"), r.headers
    cognito.delete_user_pool_domain(UserPoolId=app.pool_id, Domain=app.domain)
    assert requests.get(f"{server.endpoint}/oauth2/authorize",
                        headers={"Host": host}).status_code == 404
    assert requests.get(f"{app.base}/oauth2/authorize").status_code == 404


def test_discovery_document_points_at_working_endpoints(server, app):
    doc = requests.get(f"{app.base}/.well-known/openid-configuration").json()
    assert doc["issuer"] == app.base
    assert doc["code_challenge_methods_supported"] == ["S256"]
    for key in ["authorization_endpoint", "token_endpoint", "userinfo_endpoint",
                "revocation_endpoint", "end_session_endpoint"]:
        assert doc[key].startswith(app.base + "/"), key
    r = requests.post(doc["token_endpoint"], data={"grant_type": "password"})
    assert r.status_code in (400, 401)
    assert requests.get(doc["jwks_uri"]).json()["keys"]


def test_token_endpoint_bad_requests(app):
    url = app.base + "/oauth2/token"
    assert requests.post(url, json={"grant_type": "authorization_code"}).status_code == 400
    r = requests.post(url, data={"grant_type": "password", "client_id": app.client_id})
    assert r.json()["error"] == "unsupported_grant_type"
    r = requests.post(url, data={"client_id": app.client_id})
    assert r.json()["error"] == "invalid_request"
    r = requests.post(url, data="grant_type=a&grant_type=b&client_id=" + app.client_id,
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.json()["error"] == "invalid_request"
    assert requests.get(url).status_code == 405
    big = requests.post(url, data={"client_id": app.client_id, "code": "x" * 20000,
                                   "grant_type": "authorization_code"})
    assert big.status_code == 400


def test_custom_domain_answers_by_its_host_name(cognito, server, app):
    custom = f"login-{app.domain}.example.test"
    cognito.create_user_pool_domain(UserPoolId=app.pool_id, Domain=custom, CustomDomainConfig={
        "CertificateArn": "arn:aws:acm:us-east-1:000000000000:certificate/abc"})
    described = cognito.describe_user_pool_domain(Domain=custom)["DomainDescription"]
    assert described["UserPoolId"] == app.pool_id
    r = requests.get(f"{server.endpoint}/oauth2/authorize", headers={"Host": custom}, params=dict(
        client_id=app.client_id, response_type="code", redirect_uri=CALLBACK, scope="openid",
        code_challenge=pkce()[1], code_challenge_method="S256"), allow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"].startswith("/login?"), r.headers
    other = requests.get(f"{server.endpoint}/oauth2/authorize",
                         headers={"Host": "unknown.example.test"})
    assert other.status_code == 404
