"""Resource servers (Create/Describe/Update/Delete/ListResourceServers: duplicates, limits, bad
names, unknown ones, paging), custom scopes on app clients, and user pool domains
(Create/Describe/Update/DeleteUserPoolDomain, DescribeUserPool's Domain)."""

import pytest

from helpers import unique
from helpers_assert import client_error


@pytest.fixture
def pool(make_pool):
    return make_pool()


def scopes(*names):
    return [{"ScopeName": n, "ScopeDescription": f"{n} access"} for n in names]


def prefix(tag="app"):
    # Lowercase letters, digits and hyphens; never a reserved word.
    return unique(tag).lower()


# --- resource servers -------------------------------------------------------------------------

def test_resource_server_crud(cognito, pool):
    ident = "https://api.example.com"
    rs = cognito.create_resource_server(UserPoolId=pool, Identifier=ident, Name="My API",
                                        Scopes=scopes("read", "write"))["ResourceServer"]
    assert rs == {"UserPoolId": pool, "Identifier": ident, "Name": "My API",
                  "Scopes": scopes("read", "write")}, rs
    got = cognito.describe_resource_server(UserPoolId=pool, Identifier=ident)["ResourceServer"]
    assert got == rs

    up = cognito.update_resource_server(UserPoolId=pool, Identifier=ident, Name="Renamed",
                                        Scopes=scopes("admin"))["ResourceServer"]
    assert up["Name"] == "Renamed" and up["Scopes"] == scopes("admin"), up
    assert cognito.describe_resource_server(UserPoolId=pool, Identifier=ident)["ResourceServer"] \
        == up
    listed = cognito.list_resource_servers(UserPoolId=pool, MaxResults=50)["ResourceServers"]
    assert listed == [up], listed

    cognito.delete_resource_server(UserPoolId=pool, Identifier=ident)
    client_error(cognito.describe_resource_server, UserPoolId=pool, Identifier=ident,
                 code="ResourceNotFoundException")
    assert cognito.list_resource_servers(UserPoolId=pool, MaxResults=10)["ResourceServers"] == []


def test_duplicate_identifier(cognito, pool, make_pool):
    cognito.create_resource_server(UserPoolId=pool, Identifier="api", Name="a")
    e = client_error(cognito.create_resource_server, UserPoolId=pool, Identifier="api", Name="b",
                     code="InvalidParameterException")
    assert e.response["Error"]["Message"] == f"api already exists in user pool {pool}.", \
        e.response["Error"]
    # The first one is unchanged; another pool may use the identifier.
    assert cognito.describe_resource_server(UserPoolId=pool, Identifier="api")[
        "ResourceServer"]["Name"] == "a"
    other = make_pool()
    cognito.create_resource_server(UserPoolId=other, Identifier="api", Name="c")
    client_error(cognito.create_resource_server, UserPoolId=pool, Identifier="x", Name="x",
                 Scopes=[{"ScopeName": "a", "ScopeDescription": "1"},
                         {"ScopeName": "a", "ScopeDescription": "2"}],
                 code="InvalidParameterException")


def test_limits(cognito, pool):
    client_error(cognito.create_resource_server, UserPoolId=pool, Identifier="big", Name="big",
                 Scopes=scopes(*[f"s{i}" for i in range(101)]), code="InvalidParameterException")
    rs = cognito.create_resource_server(UserPoolId=pool, Identifier="big", Name="big",
                                        Scopes=scopes(*[f"s{i}" for i in range(100)]))
    assert len(rs["ResourceServer"]["Scopes"]) == 100
    for i in range(24):
        cognito.create_resource_server(UserPoolId=pool, Identifier=f"api{i:02d}", Name="n")
    client_error(cognito.create_resource_server, UserPoolId=pool, Identifier="one-more",
                 Name="n", code="LimitExceededException")


@pytest.mark.parametrize("kw", [
    {"Identifier": "has space", "Name": "n"},
    {"Identifier": 'quote"d', "Name": "n"},
    {"Identifier": "api", "Name": "bad/name"},
    {"Identifier": "api", "Name": "n", "Scopes": [{"ScopeName": "a/b", "ScopeDescription": "d"}]},
    {"Identifier": "x" * 257, "Name": "n"},
])
def test_bad_names(cognito, pool, kw):
    client_error(cognito.create_resource_server, UserPoolId=pool, code="InvalidParameterException",
                 **kw)
    assert cognito.list_resource_servers(UserPoolId=pool, MaxResults=10)["ResourceServers"] == []


def test_unknown_ones(cognito, pool):
    missing = "eu-west-1_Nope00000"
    client_error(cognito.create_resource_server, UserPoolId=missing, Identifier="api", Name="n",
                 code="ResourceNotFoundException")
    client_error(cognito.list_resource_servers, UserPoolId=missing, MaxResults=5,
                 code="ResourceNotFoundException")
    client_error(cognito.describe_resource_server, UserPoolId=pool, Identifier="none",
                 code="ResourceNotFoundException")
    client_error(cognito.update_resource_server, UserPoolId=pool, Identifier="none", Name="n",
                 code="ResourceNotFoundException")
    client_error(cognito.delete_resource_server, UserPoolId=pool, Identifier="none",
                 code="ResourceNotFoundException")
    client_error(cognito.list_resource_servers, UserPoolId=pool, MaxResults=5,
                 NextToken="bm90LW91cnM", code="InvalidParameterException")


def test_list_pages(cognito, pool):
    idents = [f"api-{c}" for c in "edcba"]
    for ident in idents:
        cognito.create_resource_server(UserPoolId=pool, Identifier=ident, Name="n")
    seen, token = [], None
    for _ in range(10):
        kw = {"NextToken": token} if token else {}
        r = cognito.list_resource_servers(UserPoolId=pool, MaxResults=2, **kw)
        assert len(r["ResourceServers"]) <= 2
        seen += [s["Identifier"] for s in r["ResourceServers"]]
        token = r.get("NextToken")
        if not token:
            break
    assert seen == sorted(idents), seen


def test_client_custom_scope_needs_its_resource_server(cognito, pool):
    kw = dict(UserPoolId=pool, ClientName=unique("m2m"), GenerateSecret=True,
              AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["client_credentials"],
              AllowedOAuthScopes=["orders/read"])
    e = client_error(cognito.create_user_pool_client, code="ScopeDoesNotExistException", **kw)
    assert e.response["Error"]["Message"] == "Invalid scope requested: orders/read"
    cognito.create_resource_server(UserPoolId=pool, Identifier="orders", Name="Orders",
                                   Scopes=scopes("read"))
    c = cognito.create_user_pool_client(**kw)["UserPoolClient"]
    assert c["AllowedOAuthScopes"] == ["orders/read"], c
    client_error(cognito.update_user_pool_client, UserPoolId=pool, ClientId=c["ClientId"],
                 AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["client_credentials"],
                 AllowedOAuthScopes=["orders/write"], code="ScopeDoesNotExistException")


# --- domains ----------------------------------------------------------------------------------

def test_prefix_domain_lifecycle(cognito, pool):
    domain = prefix()
    assert cognito.create_user_pool_domain(UserPoolId=pool, Domain=domain).get(
        "CloudFrontDomain") is None
    d = cognito.describe_user_pool_domain(Domain=domain)["DomainDescription"]
    assert d["UserPoolId"] == pool and d["Domain"] == domain and d["Status"] == "ACTIVE", d
    for k in ("AWSAccountId", "S3Bucket", "CloudFrontDistribution", "Version"):
        assert d.get(k), (k, d)
    assert "CustomDomainConfig" not in d
    assert cognito.describe_user_pool(UserPoolId=pool)["UserPool"]["Domain"] == domain

    e = client_error(cognito.create_user_pool_domain, UserPoolId=pool, Domain=prefix("second"),
                     code="InvalidParameterException")
    assert e.response["Error"]["Message"] == "User pool already has a domain configured."

    cognito.delete_user_pool_domain(UserPoolId=pool, Domain=domain)
    assert cognito.describe_user_pool_domain(Domain=domain)["DomainDescription"] == {}
    assert "Domain" not in cognito.describe_user_pool(UserPoolId=pool)["UserPool"]


def test_domain_taken_by_another_pool(cognito, pool, make_pool):
    domain = prefix()
    cognito.create_user_pool_domain(UserPoolId=pool, Domain=domain)
    other = make_pool()
    e = client_error(cognito.create_user_pool_domain, UserPoolId=other, Domain=domain,
                     code="InvalidParameterException")
    assert e.response["Error"]["Message"] == "Domain already associated with another user pool."
    e = client_error(cognito.delete_user_pool_domain, UserPoolId=other, Domain=domain,
                     code="InvalidParameterException")
    assert e.response["Error"]["Message"] == "No such domain or user pool exists."
    assert cognito.describe_user_pool_domain(Domain=domain)["DomainDescription"]["UserPoolId"] \
        == pool
    cognito.delete_user_pool_domain(UserPoolId=pool, Domain=domain)
    cognito.create_user_pool_domain(UserPoolId=other, Domain=domain)


@pytest.mark.parametrize("domain,message", [
    ("my-aws-app", "Domain cannot contain reserved word: aws"),
    ("amazonapp", "Domain cannot contain reserved word: amazon"),
    ("cognitoapp", "Domain cannot contain reserved word: cognito"),
    ("My-App", None), ("-app", None), ("app-", None), ("my_app", None), ("a" * 64, None),
])
def test_bad_domain_names(cognito, pool, domain, message):
    e = client_error(cognito.create_user_pool_domain, UserPoolId=pool, Domain=domain,
                     code="InvalidParameterException")
    if message:
        assert e.response["Error"]["Message"] == message
    assert "Domain" not in cognito.describe_user_pool(UserPoolId=pool)["UserPool"]


def test_domain_unknown_ones(cognito, pool):
    assert cognito.describe_user_pool_domain(Domain=prefix("nobody"))["DomainDescription"] == {}
    client_error(cognito.create_user_pool_domain, UserPoolId="eu-west-1_Nope00000",
                 Domain=prefix(), code="ResourceNotFoundException")
    e = client_error(cognito.delete_user_pool_domain, UserPoolId=pool, Domain=prefix("nobody"),
                     code="InvalidParameterException")
    assert e.response["Error"]["Message"] == "No such domain or user pool exists."


def test_update_domain_login_version(raw, pool):
    domain = prefix()
    raw.ok("CreateUserPoolDomain", {"UserPoolId": pool, "Domain": domain,
                                    "ManagedLoginVersion": 1})
    out = raw.ok("UpdateUserPoolDomain", {"UserPoolId": pool, "Domain": domain,
                                          "ManagedLoginVersion": 2})
    assert out == {"ManagedLoginVersion": 2}, out
    d = raw.ok("DescribeUserPoolDomain", {"Domain": domain})["DomainDescription"]
    assert d["ManagedLoginVersion"] == 2, d
    raw.err("UpdateUserPoolDomain", {"UserPoolId": pool, "Domain": domain,
                                     "CustomDomainConfig": {"CertificateArn":
                                         "arn:aws:acm:us-east-1:123456789012:certificate/x"}},
            expected="InvalidParameterException")
    raw.err("UpdateUserPoolDomain", {"UserPoolId": pool, "Domain": prefix("nobody"),
                                     "ManagedLoginVersion": 2},
            expected="InvalidParameterException")


def test_a_pool_with_a_domain_cannot_be_deleted(cognito):
    pool_id = cognito.create_user_pool(PoolName="with-domain")["UserPool"]["Id"]
    domain = "del-" + pool_id.split("_")[1].lower()
    cognito.create_user_pool_domain(UserPoolId=pool_id, Domain=domain)
    e = client_error(cognito.delete_user_pool, UserPoolId=pool_id, code="InvalidParameterException")
    assert e.response["Error"]["Message"] == (
        "User pool cannot be deleted. It has a domain configured that should be deleted first.")
    cognito.delete_user_pool_domain(UserPoolId=pool_id, Domain=domain)
    cognito.delete_user_pool(UserPoolId=pool_id)
