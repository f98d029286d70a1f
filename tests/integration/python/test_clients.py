"""App clients: CreateUserPoolClient (with and without a secret, every field), Describe,
Update, Delete, List (paging), validity limits and unknown clients."""

import re
import time

import pytest

from helpers import unique
from helpers_assert import assert_subset, client_error

CLIENT_ID_RE = re.compile(r"^[a-z0-9]{26}$")
SECRET_RE = re.compile(r"^[\w+]+$")
UNKNOWN_CLIENT = "zzzzzzzzzzzzzzzzzzzzzzzzzz"


@pytest.fixture(scope="module")
def pool_id(raw):
    return raw.ok("CreateUserPool", {"PoolName": unique("clients"), "Schema": [
        {"Name": "tenant", "AttributeDataType": "String", "Mutable": True}]})["UserPool"]["Id"]


def test_create_client_without_secret(raw, pool_id):
    name = unique("app")
    c = raw.ok("CreateUserPoolClient", {"UserPoolId": pool_id, "ClientName": name})["UserPoolClient"]
    assert CLIENT_ID_RE.match(c["ClientId"]), c["ClientId"]
    assert "ClientSecret" not in c
    assert c["UserPoolId"] == pool_id and c["ClientName"] == name
    assert isinstance(c.get("CreationDate"), (int, float))
    assert isinstance(c.get("LastModifiedDate"), (int, float))
    d = raw.ok("DescribeUserPoolClient", {"UserPoolId": pool_id,
                                          "ClientId": c["ClientId"]})["UserPoolClient"]
    assert "ClientSecret" not in d
    assert d["ClientId"] == c["ClientId"] and d["ClientName"] == name
    assert d["CreationDate"] == c["CreationDate"]


def test_client_defaults(raw, pool_id):
    c = raw.ok("CreateUserPoolClient", {"UserPoolId": pool_id,
                                        "ClientName": unique("defaults")})["UserPoolClient"]
    d = raw.ok("DescribeUserPoolClient", {"UserPoolId": pool_id,
                                          "ClientId": c["ClientId"]})["UserPoolClient"]
    for x in (c, d):
        assert x.get("RefreshTokenValidity") == 30, x
        assert x.get("EnableTokenRevocation") is True, x
        assert x.get("AuthSessionValidity") == 3, x
        assert x.get("AllowedOAuthFlowsUserPoolClient", False) is False, x
        assert x.get("PreventUserExistenceErrors", "LEGACY") in ("LEGACY", "ENABLED"), x


def test_create_client_with_secret(raw, pool_id):
    c = raw.ok("CreateUserPoolClient", {"UserPoolId": pool_id, "ClientName": unique("secret"),
                                        "GenerateSecret": True})["UserPoolClient"]
    assert CLIENT_ID_RE.match(c["ClientId"]), c["ClientId"]
    secret = c.get("ClientSecret")
    assert secret and SECRET_RE.match(secret) and 1 <= len(secret) <= 64, secret
    assert len(secret) >= 32, f"client secret suspiciously short: {secret!r}"
    d = raw.ok("DescribeUserPoolClient", {"UserPoolId": pool_id,
                                          "ClientId": c["ClientId"]})["UserPoolClient"]
    assert d.get("ClientSecret") == secret
    # Listing never exposes secrets (the shape checker rejects unknown members in
    # UserPoolClientDescription too).
    page = raw.ok("ListUserPoolClients", {"UserPoolId": pool_id, "MaxResults": 60})
    for e in page["UserPoolClients"]:
        assert "ClientSecret" not in e
    # A second client gets a different secret and id.
    c2 = raw.ok("CreateUserPoolClient", {"UserPoolId": pool_id, "ClientName": unique("secret"),
                                         "GenerateSecret": True})["UserPoolClient"]
    assert c2["ClientId"] != c["ClientId"] and c2["ClientSecret"] != secret


def test_generate_secret_false_means_no_secret(raw, pool_id):
    c = raw.ok("CreateUserPoolClient", {"UserPoolId": pool_id, "ClientName": unique("nosecret"),
                                        "GenerateSecret": False})["UserPoolClient"]
    assert "ClientSecret" not in c


FULL_CLIENT = {
    "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH",
                          "ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                          "ALLOW_CUSTOM_AUTH"],
    "RefreshTokenValidity": 10,
    "AccessTokenValidity": 30,
    "IdTokenValidity": 2,
    "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "hours", "RefreshToken": "days"},
    "ReadAttributes": ["email", "email_verified", "name", "custom:tenant"],
    "WriteAttributes": ["email", "name", "custom:tenant"],
    "SupportedIdentityProviders": ["COGNITO"],
    "CallbackURLs": ["https://app.example.com/callback", "http://localhost:3000/cb"],
    "LogoutURLs": ["https://app.example.com/logout"],
    "DefaultRedirectURI": "https://app.example.com/callback",
    "AllowedOAuthFlows": ["code"],
    "AllowedOAuthScopes": ["openid", "email", "profile"],
    "AllowedOAuthFlowsUserPoolClient": True,
    "PreventUserExistenceErrors": "ENABLED",
    "EnableTokenRevocation": False,
    "AuthSessionValidity": 10,
}


def test_create_client_all_fields_round_trip(raw, pool_id):
    name = unique("full")
    c = raw.ok("CreateUserPoolClient", dict(FULL_CLIENT, UserPoolId=pool_id,
                                            ClientName=name))["UserPoolClient"]
    d = raw.ok("DescribeUserPoolClient", {"UserPoolId": pool_id,
                                          "ClientId": c["ClientId"]})["UserPoolClient"]
    for x in (c, d):
        assert x["ClientName"] == name
        for field, value in FULL_CLIENT.items():
            assert field in x, f"{field} not returned (have {sorted(x)})"
            assert_subset(value, x[field], f"$.UserPoolClient.{field}")


def test_token_validity_units_default_and_seconds(raw, pool_id):
    c = raw.ok("CreateUserPoolClient", {
        "UserPoolId": pool_id, "ClientName": unique("units"),
        "AccessTokenValidity": 3600, "IdTokenValidity": 7200, "RefreshTokenValidity": 86400,
        "TokenValidityUnits": {"AccessToken": "seconds", "IdToken": "seconds",
                               "RefreshToken": "seconds"}})["UserPoolClient"]
    d = raw.ok("DescribeUserPoolClient", {"UserPoolId": pool_id,
                                          "ClientId": c["ClientId"]})["UserPoolClient"]
    assert (d["AccessTokenValidity"], d["IdTokenValidity"], d["RefreshTokenValidity"]) == \
        (3600, 7200, 86400)
    assert d["TokenValidityUnits"] == {"AccessToken": "seconds", "IdToken": "seconds",
                                       "RefreshToken": "seconds"}
    # Without units, validities are in hours (access/id) and days (refresh).
    c = raw.ok("CreateUserPoolClient", {
        "UserPoolId": pool_id, "ClientName": unique("nounits"), "AccessTokenValidity": 2,
        "IdTokenValidity": 3, "RefreshTokenValidity": 5})["UserPoolClient"]
    assert (c["AccessTokenValidity"], c["IdTokenValidity"], c["RefreshTokenValidity"]) == (2, 3, 5)


@pytest.mark.parametrize("fields", [
    {"AccessTokenValidity": 2, "TokenValidityUnits": {"AccessToken": "days"}},      # > 1 day
    {"AccessTokenValidity": 4, "TokenValidityUnits": {"AccessToken": "minutes"}},   # < 5 minutes
    {"AccessTokenValidity": 25},                                                    # 25 h > 1 day
    {"IdTokenValidity": 86401, "TokenValidityUnits": {"IdToken": "seconds"}},
    {"IdTokenValidity": 0},
    {"RefreshTokenValidity": 3651},                                                 # > 10 years
    {"RefreshTokenValidity": 59, "TokenValidityUnits": {"RefreshToken": "minutes"}},  # < 1 hour
    {"AuthSessionValidity": 2},
    {"AuthSessionValidity": 16},
    {"TokenValidityUnits": {"AccessToken": "weeks"}},
    {"ExplicitAuthFlows": ["ALLOW_EVERYTHING"]},
    {"PreventUserExistenceErrors": "SOMETIMES"},
    {"ReadAttributes": ["custom:does_not_exist"]},
    {"AllowedOAuthFlows": ["password"]},
])
def test_out_of_range_client_settings_rejected(raw, pool_id, fields):
    before = raw.ok("ListUserPoolClients", {"UserPoolId": pool_id, "MaxResults": 60})
    raw.err("CreateUserPoolClient", dict(fields, UserPoolId=pool_id, ClientName=unique("bad")),
            "InvalidParameterException")
    after = raw.ok("ListUserPoolClients", {"UserPoolId": pool_id, "MaxResults": 60})
    assert sorted(c["ClientId"] for c in after["UserPoolClients"]) == \
        sorted(c["ClientId"] for c in before["UserPoolClients"])


def test_update_client(raw, pool_id):
    c = raw.ok("CreateUserPoolClient", {"UserPoolId": pool_id, "ClientName": unique("upd"),
                                        "GenerateSecret": True,
                                        "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH",
                                                              "ALLOW_REFRESH_TOKEN_AUTH"]})
    c = c["UserPoolClient"]
    time.sleep(1.1)
    new_name = unique("renamed")
    changes = {
        "ClientName": new_name,
        "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        "AccessTokenValidity": 15, "IdTokenValidity": 20, "RefreshTokenValidity": 2,
        "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "minutes",
                               "RefreshToken": "days"},
        "ReadAttributes": ["email", "custom:tenant"],
        "WriteAttributes": ["email"],
        "CallbackURLs": ["https://new.example.com/cb"],
        "LogoutURLs": ["https://new.example.com/bye"],
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid"],
        "AllowedOAuthFlowsUserPoolClient": True,
        "SupportedIdentityProviders": ["COGNITO"],
        "PreventUserExistenceErrors": "ENABLED",
        "EnableTokenRevocation": True,
        "AuthSessionValidity": 15,
    }
    u = raw.ok("UpdateUserPoolClient", dict(changes, UserPoolId=pool_id,
                                            ClientId=c["ClientId"]))["UserPoolClient"]
    d = raw.ok("DescribeUserPoolClient", {"UserPoolId": pool_id,
                                          "ClientId": c["ClientId"]})["UserPoolClient"]
    for x in (u, d):
        for field, value in changes.items():
            assert field in x, f"{field} not returned after update"
            assert_subset(value, x[field], f"$.UserPoolClient.{field}")
        assert x["ClientId"] == c["ClientId"]
        assert x.get("ClientSecret") == c["ClientSecret"], "secret changed by UpdateUserPoolClient"
        assert x["CreationDate"] == c["CreationDate"]
    assert d["LastModifiedDate"] > c["LastModifiedDate"]
    listed = raw.ok("ListUserPoolClients", {"UserPoolId": pool_id, "MaxResults": 60})
    assert {"ClientId": c["ClientId"], "ClientName": new_name, "UserPoolId": pool_id} in \
        listed["UserPoolClients"]
    # Invalid updates are rejected and change nothing.
    raw.err("UpdateUserPoolClient", {"UserPoolId": pool_id, "ClientId": c["ClientId"],
                                     "AccessTokenValidity": 2,
                                     "TokenValidityUnits": {"AccessToken": "days"}},
            "InvalidParameterException")
    d2 = raw.ok("DescribeUserPoolClient", {"UserPoolId": pool_id,
                                           "ClientId": c["ClientId"]})["UserPoolClient"]
    assert d2 == d


def test_delete_client(cognito, pool_id):
    cid = cognito.create_user_pool_client(UserPoolId=pool_id,
                                          ClientName=unique("del"))["UserPoolClient"]["ClientId"]
    cognito.delete_user_pool_client(UserPoolId=pool_id, ClientId=cid)
    client_error(cognito.describe_user_pool_client, UserPoolId=pool_id, ClientId=cid,
                 code="ResourceNotFoundException")
    client_error(cognito.delete_user_pool_client, UserPoolId=pool_id, ClientId=cid,
                 code="ResourceNotFoundException")
    listed = cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)
    assert cid not in {c["ClientId"] for c in listed["UserPoolClients"]}


def test_list_clients_paging(raw):
    pid = raw.ok("CreateUserPool", {"PoolName": unique("clientpages")})["UserPool"]["Id"]
    assert raw.ok("ListUserPoolClients", {"UserPoolId": pid, "MaxResults": 10}) \
        .get("UserPoolClients", []) == []
    made = {}
    for i in range(5):
        c = raw.ok("CreateUserPoolClient", {"UserPoolId": pid,
                                            "ClientName": f"c{i}"})["UserPoolClient"]
        made[c["ClientId"]] = f"c{i}"
    seen = []
    token = None
    pages = 0
    while True:
        body = {"UserPoolId": pid, "MaxResults": 2}
        if token:
            body["NextToken"] = token
        page = raw.ok("ListUserPoolClients", body)
        pages += 1
        assert len(page["UserPoolClients"]) <= 2
        for e in page["UserPoolClients"]:
            assert e["UserPoolId"] == pid
            assert made.get(e["ClientId"]) == e["ClientName"], e
            seen.append(e["ClientId"])
        token = page.get("NextToken")
        if not token:
            break
        assert pages < 50
    assert sorted(seen) == sorted(made), "paging lost or repeated clients"
    assert pages == 3
    # Without MaxResults (it is optional) all five come back (default page size >= 5)
    page = raw.ok("ListUserPoolClients", {"UserPoolId": pid})
    assert len(page["UserPoolClients"]) == 5 or page.get("NextToken")
    raw.err("ListUserPoolClients", {"UserPoolId": pid, "MaxResults": 2, "NextToken": "bogus!!"},
            "InvalidParameterException")
    raw.err("ListUserPoolClients", {"UserPoolId": pid, "MaxResults": 61},
            "InvalidParameterException")


def test_unknown_client(raw, pool_id):
    for action, extra in (("DescribeUserPoolClient", {}),
                          ("UpdateUserPoolClient", {"ClientName": "x"}),
                          ("DeleteUserPoolClient", {})):
        raw.err(action, dict(extra, UserPoolId=pool_id, ClientId=UNKNOWN_CLIENT),
                "ResourceNotFoundException")


def test_client_of_another_pool_is_not_found(raw, pool_id):
    other = raw.ok("CreateUserPool", {"PoolName": unique("other")})["UserPool"]["Id"]
    cid = raw.ok("CreateUserPoolClient", {"UserPoolId": other,
                                          "ClientName": "x"})["UserPoolClient"]["ClientId"]
    raw.err("DescribeUserPoolClient", {"UserPoolId": pool_id, "ClientId": cid},
            "ResourceNotFoundException")
    raw.err("DeleteUserPoolClient", {"UserPoolId": pool_id, "ClientId": cid},
            "ResourceNotFoundException")
    assert raw.ok("DescribeUserPoolClient", {"UserPoolId": other, "ClientId": cid})


def test_deleting_pool_removes_its_clients(raw):
    pid = raw.ok("CreateUserPool", {"PoolName": unique("gone")})["UserPool"]["Id"]
    cid = raw.ok("CreateUserPoolClient", {"UserPoolId": pid,
                                          "ClientName": "x"})["UserPoolClient"]["ClientId"]
    raw.ok("DeleteUserPool", {"UserPoolId": pid})
    raw.err("DescribeUserPoolClient", {"UserPoolId": pid, "ClientId": cid},
            "ResourceNotFoundException")
    raw.err("ListUserPoolClients", {"UserPoolId": pid, "MaxResults": 10},
            "ResourceNotFoundException")


def test_client_name_constraints(raw, pool_id):
    raw.err("CreateUserPoolClient", {"UserPoolId": pool_id, "ClientName": "x" * 129},
            "InvalidParameterException")
    raw.err("CreateUserPoolClient", {"UserPoolId": pool_id, "ClientName": "bad/name"},
            "InvalidParameterException")
    raw.err("CreateUserPoolClient", {"UserPoolId": pool_id}, "InvalidParameterException")
