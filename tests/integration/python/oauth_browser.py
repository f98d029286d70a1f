"""A tiny browser for the hosted pages: requests.Session with cookies, plus form filling.

  oauth_app(cognito, **client_kw)  pool with a domain and an OAuth client -> OAuthApp
  Browser(base).authorize(...)     GET /oauth2/authorize, following Cognate's own redirects
  browser.submit(page, **fields)   POST a page's first form with its CSRF token
  pkce()                           (verifier, S256 challenge)
"""

import base64
import hashlib
import html
import os
import re
import urllib.parse as up
from dataclasses import dataclass

import requests

from helpers import unique
from helpers_users import PASSWORD, confirmed_user

CALLBACK = "http://localhost:3000/callback"
SIGNED_OUT = "http://localhost:3000/signed-out"


def pkce():
    verifier = base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass
class OAuthApp:
    pool_id: str
    domain: str
    client_id: str
    secret: str
    base: str  # <endpoint>/<pool id>: the endpoints without DNS


def oauth_app(cognito, server, *, secret=False, scopes=("openid", "email", "profile"),
              flows=("code",), pool_kw=None, **client_kw):
    pool_id = cognito.create_user_pool(PoolName=unique("oauth"), **(pool_kw or {}))["UserPool"]["Id"]
    domain = unique("app").lower().replace("_", "-")[:40]
    cognito.create_user_pool_domain(UserPoolId=pool_id, Domain=domain)
    kw = dict(ClientName=unique("web"), AllowedOAuthFlowsUserPoolClient=True,
              AllowedOAuthFlows=list(flows), AllowedOAuthScopes=list(scopes),
              GenerateSecret=secret)
    if "code" in flows:
        kw.update(CallbackURLs=[CALLBACK], LogoutURLs=[SIGNED_OUT],
                  SupportedIdentityProviders=["COGNITO"])
    kw.update(client_kw)
    client = cognito.create_user_pool_client(UserPoolId=pool_id, **kw)["UserPoolClient"]
    return OAuthApp(pool_id, domain, client["ClientId"], client.get("ClientSecret", ""),
                    f"{server.endpoint}/{pool_id}")


def user(cognito, app, name=None, **extra):
    name = name or unique("user")
    confirmed_user(cognito, app.pool_id, name, **extra)
    return name


class Page:
    def __init__(self, response):
        self.response = response
        self.text = response.text

    def form(self, index=0):
        forms = re.findall(r"<form\b[^>]*>.*?</form>", self.text, re.S)
        assert len(forms) > index, f"no form {index} on the page:\n{self.text[:2000]}"
        return forms[index]

    def action(self, index=0):
        m = re.search(r'action="([^"]*)"', self.form(index))
        return html.unescape(m.group(1))

    def fields(self, index=0):
        """Hidden inputs of the form (the CSRF token among them)."""
        out = {}
        for tag in re.findall(r"<input\b[^>]*>", self.form(index)):
            if 'type="hidden"' not in tag:
                continue
            name = re.search(r'name="([^"]*)"', tag).group(1)
            value = re.search(r'value="([^"]*)"', tag)
            out[html.unescape(name)] = html.unescape(value.group(1)) if value else ""
        return out

    def error(self):
        m = re.search(r'role="alert"[^>]*>(.*?)</', self.text, re.S)
        return html.unescape(m.group(1)).strip() if m else None


class Browser:
    def __init__(self, app):
        self.app = app
        self.http = requests.Session()
        self.origin = app.base[: app.base.index("/", 8)]

    def url(self, path_or_url):
        return path_or_url if path_or_url.startswith("http") else self.origin + path_or_url

    def get(self, path_or_url, **kw):
        return self.http.get(self.url(path_or_url), allow_redirects=False, **kw)

    def authorize(self, challenge=None, scope="openid email profile", state="state-1", **params):
        """GET /oauth2/authorize; returns the response (302 to /login or to the client)."""
        q = dict(client_id=self.app.client_id, response_type="code", redirect_uri=CALLBACK,
                 scope=scope, state=state)
        if challenge:
            q.update(code_challenge=challenge, code_challenge_method="S256")
        q.update(params)
        return self.http.get(self.app.base + "/oauth2/authorize", params=q, allow_redirects=False)

    def page(self, response):
        """Follows Cognate's redirects (never the client's) and returns the Page reached."""
        while response.status_code in (302, 303) and not response.headers["Location"].startswith(CALLBACK):
            response = self.get(response.headers["Location"])
        return Page(response)

    def submit(self, page, index=0, csrf=None, **fields):
        data = page.fields(index)
        if csrf is not None:
            data["_csrf"] = csrf
        data.update(fields)
        return self.http.post(self.url(page.action(index)), data=data, allow_redirects=False)

    def sign_in(self, username, password=PASSWORD, challenge=None, **params):
        """authorize + the sign-in form; returns the response of the POST."""
        login = self.page(self.authorize(challenge, **params))
        return self.submit(login, username=username, password=password)


def code_of(response, state="state-1"):
    assert response.status_code in (302, 303), (response.status_code, response.text[:1000])
    location = response.headers["Location"]
    assert location.startswith(CALLBACK + "?"), location
    q = up.parse_qs(up.urlparse(location).query)
    assert q.get("state") == [state], q
    return q["code"][0]


def error_of(response):
    location = response.headers["Location"]
    assert location.startswith(CALLBACK + "?"), location
    return {k: v[0] for k, v in up.parse_qs(up.urlparse(location).query).items()}


def exchange(app, code, verifier=None, redirect_uri=CALLBACK, auth=None, **extra):
    data = dict(grant_type="authorization_code", code=code, redirect_uri=redirect_uri,
                client_id=app.client_id, **extra)
    if verifier:
        data["code_verifier"] = verifier
    return requests.post(app.base + "/oauth2/token", data=data, auth=auth)
