"""Identity providers (CreateIdentityProvider ... GetIdentityProviderByIdentifier) against a real
upstream OpenID provider: tests/integration/node/upstream-oidc.mjs (oidc-provider on loopback),
plus AdminLinkProviderForUser / AdminDisableProviderForUser.

The browser round trip through Cognate's /oauth2 endpoints lives with those endpoints; here the
upstream script is also driven headless (authorize, dev login, code, token) so its contract
(client_secret_basic, PKCE, nonce, sub "upstream-user-1") is pinned down."""

import base64
import hashlib
import html
import json
import os
import re
import secrets
import shutil
import subprocess
import threading
import time
import urllib.parse

import jwt
import pytest
import requests

from cognate_server import free_port
from helpers import unique
from helpers_assert import client_error
from helpers_users import make_pool

NODE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "node")
SCRIPT = os.path.join(NODE_DIR, "upstream-oidc.mjs")
CLIENT_ID = "cognate-test-client"
CLIENT_SECRET = "cognate-test-secret-" + secrets.token_hex(8)
REDIRECT_URI = "http://127.0.0.1:9/us-east-1_test/oauth2/idpresponse"


@pytest.fixture(scope="module")
def upstream():
    """Starts upstream-oidc.mjs; yields its issuer URL."""
    node = shutil.which("node")
    if node is None or not os.path.isdir(os.path.join(NODE_DIR, "node_modules", "oidc-provider")):
        pytest.skip("node or tests/integration/node/node_modules/oidc-provider missing (npm install)")
    port = free_port()
    proc = subprocess.Popen([node, SCRIPT, str(port), CLIENT_ID, CLIENT_SECRET, REDIRECT_URI],
                            cwd=NODE_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    ready = {}

    def read():
        for line in proc.stdout:
            if line.startswith("READY "):
                ready["issuer"] = line.split(" ", 1)[1].strip()
        # Keep draining so the child never blocks on a full pipe.

    threading.Thread(target=read, daemon=True).start()
    deadline = time.time() + 30
    while "issuer" not in ready and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    if "issuer" not in ready:
        proc.kill()
        pytest.fail("upstream-oidc.mjs did not print READY")
    yield ready["issuer"]
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def pool(cognito):
    return make_pool(cognito)


def oidc_details(issuer, **extra):
    d = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
         "attributes_request_method": "GET", "oidc_issuer": issuer,
         "authorize_scopes": "openid email profile"}
    d.update(extra)
    return {k: v for k, v in d.items() if v is not None}


def create_oidc(cognito, pool, issuer, name="Upstream", **kw):
    return cognito.create_identity_provider(
        UserPoolId=pool, ProviderName=name, ProviderType="OIDC",
        ProviderDetails=kw.pop("details", None) or oidc_details(issuer), **kw)["IdentityProvider"]


def test_oidc_provider_with_only_the_issuer_is_completed_by_discovery(cognito, pool, upstream):
    idp = create_oidc(cognito, pool, upstream,
                      AttributeMapping={"email": "email", "given_name": "given_name"},
                      IdpIdentifiers=["example.com"])
    details = idp["ProviderDetails"]
    assert details["authorize_url"] == upstream + "/auth"
    assert details["token_url"] == upstream + "/token"
    assert details["jwks_uri"] == upstream + "/jwks"
    assert details["attributes_url"] == upstream + "/me"
    assert details["oidc_issuer"] == upstream
    assert details["client_secret"] == CLIENT_SECRET
    assert idp["AttributeMapping"] == {"email": "email", "given_name": "given_name",
                                       "username": "sub"}
    assert idp["IdpIdentifiers"] == ["example.com"]

    described = cognito.describe_identity_provider(UserPoolId=pool, ProviderName="Upstream")
    assert described["IdentityProvider"]["ProviderDetails"] == details
    by_id = cognito.get_identity_provider_by_identifier(UserPoolId=pool, IdpIdentifier="example.com")
    assert by_id["IdentityProvider"]["ProviderName"] == "Upstream"
    listed = cognito.list_identity_providers(UserPoolId=pool)["Providers"]
    assert [(p["ProviderName"], p["ProviderType"]) for p in listed] == [("Upstream", "OIDC")]
    assert "ProviderDetails" not in listed[0]


def test_create_bad_paths(cognito, pool, upstream):
    create_oidc(cognito, pool, upstream)
    client_error(create_oidc, cognito, pool, upstream, code="DuplicateProviderException")
    client_error(create_oidc, cognito, pool, upstream, name="COGNITO",
                 code="InvalidParameterException")
    client_error(cognito.create_identity_provider, UserPoolId=pool, ProviderName="Corp",
                 ProviderType="SAML", ProviderDetails={"MetadataURL": "https://corp.test/md"},
                 code="InvalidParameterException")
    client_error(cognito.create_identity_provider, UserPoolId=pool, ProviderName="Odd",
                 ProviderType="Twitter", ProviderDetails={"client_id": "x"},
                 code="InvalidParameterException")
    client_error(create_oidc, cognito, pool, upstream, name="NoClient",
                 details=oidc_details(upstream, client_id=None), code="InvalidParameterException")
    client_error(create_oidc, cognito, pool, upstream, name="NoOpenid",
                 details=oidc_details(upstream, authorize_scopes="email profile"),
                 code="InvalidParameterException")
    client_error(create_oidc, cognito, pool, upstream, name="BadMethod",
                 details=oidc_details(upstream, attributes_request_method="PUT"),
                 code="InvalidParameterException")
    dead = f"http://127.0.0.1:{free_port()}"
    client_error(create_oidc, cognito, pool, dead, name="Unreachable",
                 code="InvalidParameterException")
    client_error(create_oidc, cognito, pool, upstream, name="BadMapping",
                 AttributeMapping={"no_such_attribute": "email"}, code="InvalidParameterException")
    client_error(cognito.create_identity_provider, UserPoolId=pool, ProviderName="MyGoogle",
                 ProviderType="Google",
                 ProviderDetails={"client_id": "g", "client_secret": "s",
                                  "authorize_scopes": "openid email"},
                 code="InvalidParameterException")
    client_error(create_oidc, cognito, "us-east-1_NoSuchPool", upstream,
                 code="ResourceNotFoundException")
    names = [p["ProviderName"] for p in cognito.list_identity_providers(UserPoolId=pool)["Providers"]]
    assert names == ["Upstream"]


def test_unknown_providers_and_identifiers(cognito, pool, upstream):
    for call in (cognito.describe_identity_provider, cognito.delete_identity_provider,
                 cognito.update_identity_provider):
        client_error(call, UserPoolId=pool, ProviderName="Nope", code="ResourceNotFoundException")
    client_error(cognito.get_identity_provider_by_identifier, UserPoolId=pool,
                 IdpIdentifier="nobody.example", code="ResourceNotFoundException")
    create_oidc(cognito, pool, upstream, name="ProvA", IdpIdentifiers=["shared"])
    client_error(create_oidc, cognito, pool, upstream, name="ProvB", IdpIdentifiers=["shared"],
                 code="InvalidParameterException")


def test_update_and_delete(cognito, pool, upstream):
    created = create_oidc(cognito, pool, upstream)
    updated = cognito.update_identity_provider(
        UserPoolId=pool, ProviderName="Upstream",
        AttributeMapping={"email": "email"}, IdpIdentifiers=["new.example"])["IdentityProvider"]
    assert updated["AttributeMapping"] == {"email": "email", "username": "sub"}
    assert updated["ProviderDetails"] == created["ProviderDetails"]
    assert updated["IdpIdentifiers"] == ["new.example"]
    client_error(cognito.update_identity_provider, UserPoolId=pool, ProviderName="Upstream",
                 ProviderDetails=oidc_details(upstream, authorize_scopes="email"),
                 code="InvalidParameterException")
    cognito.delete_identity_provider(UserPoolId=pool, ProviderName="Upstream")
    client_error(cognito.describe_identity_provider, UserPoolId=pool, ProviderName="Upstream",
                 code="ResourceNotFoundException")


def test_list_pages(cognito, pool, upstream):
    for name in ("Prov3", "Prov1", "Prov2"):
        create_oidc(cognito, pool, upstream, name=name)
    first = cognito.list_identity_providers(UserPoolId=pool, MaxResults=2)
    assert [p["ProviderName"] for p in first["Providers"]] == ["Prov1", "Prov2"]
    rest = cognito.list_identity_providers(UserPoolId=pool, MaxResults=2,
                                           NextToken=first["NextToken"])
    assert [p["ProviderName"] for p in rest["Providers"]] == ["Prov3"]
    assert "NextToken" not in rest


def test_link_and_disable_provider_for_user(cognito, pool, upstream):
    create_oidc(cognito, pool, upstream, AttributeMapping={"email": "email"})
    cognito.admin_create_user(UserPoolId=pool, Username="alice", MessageAction="SUPPRESS")
    source = {"ProviderName": "Upstream", "ProviderAttributeName": "Cognito_Subject",
              "ProviderAttributeValue": "upstream-user-1"}
    cognito.admin_link_provider_for_user(
        UserPoolId=pool, SourceUser=source,
        DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "alice"})
    attrs = {a["Name"]: a["Value"] for a in
             cognito.admin_get_user(UserPoolId=pool, Username="alice")["UserAttributes"]}
    identities = json.loads(attrs["identities"])
    assert identities[0]["userId"] == "upstream-user-1"
    assert identities[0]["providerName"] == "Upstream"
    assert identities[0]["providerType"] == "OIDC"

    cognito.admin_create_user(UserPoolId=pool, Username="bob", MessageAction="SUPPRESS")
    client_error(cognito.admin_link_provider_for_user, UserPoolId=pool, SourceUser=source,
                 DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "bob"},
                 code="AliasExistsException")
    client_error(cognito.admin_link_provider_for_user, UserPoolId=pool, SourceUser=source,
                 DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "nobody"},
                 code="UserNotFoundException")
    client_error(cognito.admin_link_provider_for_user, UserPoolId=pool,
                 SourceUser=dict(source, ProviderName="Cognito"),
                 DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "bob"},
                 code="InvalidParameterException")

    cognito.admin_disable_provider_for_user(UserPoolId=pool, User=source)
    attrs = {a["Name"] for a in
             cognito.admin_get_user(UserPoolId=pool, Username="alice")["UserAttributes"]}
    assert "identities" not in attrs
    client_error(cognito.admin_disable_provider_for_user, UserPoolId=pool, User=source,
                 code="UserNotFoundException")


def pkce_pair():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    return verifier, challenge.decode()


def test_upstream_script_signs_in_headless(upstream):
    """What Cognate's /oauth2/authorize -> idpresponse round trip will do, done by hand."""
    verifier, challenge = pkce_pair()
    state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    session = requests.Session()
    url = upstream + "/auth?" + urllib.parse.urlencode({
        "response_type": "code", "client_id": CLIENT_ID, "redirect_uri": REDIRECT_URI,
        "scope": "openid email profile", "state": state, "nonce": nonce,
        "code_challenge": challenge, "code_challenge_method": "S256"})
    r = session.get(url, allow_redirects=True, timeout=10)
    assert r.status_code == 200 and 'name="login"' in r.text, r.text[:500]
    action = re.search(r'<form[^>]*action="([^"]+)"', r.text).group(1)
    login_url = urllib.parse.urljoin(r.url, html.unescape(action))
    r = session.post(login_url, data={"prompt": "login", "login": "any-name", "password": "x"},
                     allow_redirects=False, timeout=10)
    # Follow the provider's redirects until it sends the browser to the redirect_uri.
    for _ in range(10):
        assert r.status_code in (302, 303), (r.status_code, r.text[:500])
        location = urllib.parse.urljoin(r.url, r.headers["Location"])
        if location.startswith(REDIRECT_URI):
            break
        r = session.get(location, allow_redirects=False, timeout=10)
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
    assert query.get("state") == state, query
    assert "code" in query, query

    token = requests.post(upstream + "/token", auth=(CLIENT_ID, CLIENT_SECRET), timeout=10, data={
        "grant_type": "authorization_code", "code": query["code"], "redirect_uri": REDIRECT_URI,
        "code_verifier": verifier})
    assert token.status_code == 200, token.text
    id_token = token.json()["id_token"]
    jwks = jwt.PyJWKClient(upstream + "/jwks")
    claims = jwt.decode(id_token, jwks.get_signing_key_from_jwt(id_token).key,
                        algorithms=["RS256"], audience=CLIENT_ID, issuer=upstream)
    assert claims["sub"] == "upstream-user-1"
    assert claims["nonce"] == nonce
    info = requests.get(upstream + "/me", timeout=10,
                        headers={"Authorization": "Bearer " + token.json()["access_token"]}).json()
    assert info["sub"] == "upstream-user-1"
    assert info["email"] == "upstream.user@example.com"
    assert info["given_name"] == "Upstream"
