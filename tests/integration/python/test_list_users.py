"""ListUsers: paging through 250 users (each exactly once, at several page sizes), filters
(= and ^= on username, email, name, sub, cognito:user_status, status), AttributesToGet, and
bad filters / tokens."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from helpers import boto_client, unique
from helpers_assert import client_error
from helpers_users import attr_map, attrs, make_client, make_pool, signup_confirmed

N_USERS = 250
N_ALPHA = 50  # the last 50 users have alpha... emails


def spec(i):
    email = f"alpha{i:03d}@example.org" if i >= N_USERS - N_ALPHA else f"user{i:03d}@example.com"
    return f"u{i:03d}", {"email": email, "name": f"Name {i % 10}"}


@pytest.fixture(scope="module")
def big_pool(cognito, server):
    pool_id = make_pool(cognito)
    clients = [boto_client(server) for _ in range(4)]

    def create(i):
        username, a = spec(i)
        r = clients[i % len(clients)].admin_create_user(
            UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS",
            UserAttributes=attrs(a))
        return username, attr_map(r["User"]["Attributes"])["sub"]

    with ThreadPoolExecutor(max_workers=4) as ex:
        subs = dict(ex.map(create, range(N_USERS)))
    assert len(subs) == N_USERS
    return pool_id, subs


def list_all(cognito, pool_id, limit=None, max_pages=1000, **kw):
    """Every user over all pages; checks page sizes. Returns (users, pages)."""
    users, pages, token = [], 0, None
    while True:
        args = dict(UserPoolId=pool_id, **kw)
        if limit is not None:
            args["Limit"] = limit
        if token:
            args["PaginationToken"] = token
        r = cognito.list_users(**args)
        page = r.get("Users", [])
        assert len(page) <= (limit or 60), f"page of {len(page)} users for Limit {limit}"
        users.extend(page)
        pages += 1
        token = r.get("PaginationToken")
        if not token:
            return users, pages
        assert pages < max_pages, "ListUsers never stopped returning PaginationToken"


def names(users):
    return [u["Username"] for u in users]


@pytest.mark.parametrize("limit", [60, 7, None])
def test_paging_each_user_exactly_once(cognito, big_pool, limit):
    pool_id, subs = big_pool
    users, pages = list_all(cognito, pool_id, limit)
    got = names(users)
    assert len(got) == len(set(got)), \
        f"duplicates across pages: {sorted(n for n in set(got) if got.count(n) > 1)[:10]}"
    assert set(got) == set(subs), f"missing {sorted(set(subs) - set(got))[:10]}"
    assert pages >= -(-N_USERS // (limit or 60)), pages
    for u in users:
        assert u["UserStatus"] == "FORCE_CHANGE_PASSWORD" and u["Enabled"] is True, u
        a = attr_map(u["Attributes"])
        assert a["sub"] == subs[u["Username"]], u
        assert a["email"] == spec(int(u["Username"][1:]))[1]["email"], u


def test_first_page_without_limit(cognito, big_pool):
    pool_id, _ = big_pool
    r = cognito.list_users(UserPoolId=pool_id)
    assert len(r["Users"]) == 60 and r.get("PaginationToken"), len(r["Users"])


def test_filter_email_exact(cognito, big_pool):
    pool_id, _ = big_pool
    r = cognito.list_users(UserPoolId=pool_id, Filter='email = "user007@example.com"')
    assert names(r["Users"]) == ["u007"], r["Users"]
    assert not r.get("PaginationToken"), r
    r = cognito.list_users(UserPoolId=pool_id, Filter='email = "user007@example"')
    assert r.get("Users", []) == [], r


def test_filter_email_prefix_with_paging(cognito, big_pool):
    pool_id, _ = big_pool
    users, _ = list_all(cognito, pool_id, 9, Filter='email ^= "alpha"')
    got = names(users)
    assert len(got) == len(set(got)) == N_ALPHA, got
    assert set(got) == {f"u{i:03d}" for i in range(N_USERS - N_ALPHA, N_USERS)}, got
    users, _ = list_all(cognito, pool_id, None, Filter='email ^= "user01"')
    assert sorted(names(users)) == [f"u{i:03d}" for i in range(10, 20)], names(users)


def test_filter_username(cognito, big_pool):
    pool_id, _ = big_pool
    r = cognito.list_users(UserPoolId=pool_id, Filter='username = "u042"')
    assert names(r["Users"]) == ["u042"], r["Users"]
    users, _ = list_all(cognito, pool_id, None, Filter='username ^= "u24"')
    assert sorted(names(users)) == [f"u{i:03d}" for i in range(240, 250)], names(users)
    r = cognito.list_users(UserPoolId=pool_id, Filter='username = "U042"')
    assert r.get("Users", []) == [], "username filters are case-sensitive"


def test_filter_name_and_sub(cognito, big_pool):
    pool_id, subs = big_pool
    users, _ = list_all(cognito, pool_id, 60, Filter='name = "Name 3"')
    assert sorted(names(users)) == [f"u{i:03d}" for i in range(N_USERS) if i % 10 == 3]
    r = cognito.list_users(UserPoolId=pool_id, Filter=f'sub = "{subs["u123"]}"')
    assert names(r["Users"]) == ["u123"], r["Users"]


def test_attributes_to_get(cognito, big_pool):
    pool_id, _ = big_pool
    r = cognito.list_users(UserPoolId=pool_id, AttributesToGet=["email"], Limit=20)
    assert len(r["Users"]) == 20
    for u in r["Users"]:
        assert [a["Name"] for a in u["Attributes"]] == ["email"], u
        assert u["Username"] and u["UserStatus"] and "Enabled" in u, u
    r = cognito.list_users(UserPoolId=pool_id, AttributesToGet=["name", "email"],
                           Filter='username = "u005"')
    assert attr_map(r["Users"][0]["Attributes"]).keys() == {"name", "email"}, r


def test_status_filters(cognito):
    pool_id = make_pool(cognito)
    client_id = make_client(cognito, pool_id)["ClientId"]
    confirmed, _ = signup_confirmed(cognito, pool_id, client_id)
    unconfirmed = unique("unconf")
    cognito.sign_up(ClientId=client_id, Username=unconfirmed, Password="Passw0rd!")
    forced = unique("forced")
    cognito.admin_create_user(UserPoolId=pool_id, Username=forced, MessageAction="SUPPRESS")
    disabled, _ = signup_confirmed(cognito, pool_id, client_id)
    cognito.admin_disable_user(UserPoolId=pool_id, Username=disabled)

    def q(f):
        return sorted(names(cognito.list_users(UserPoolId=pool_id, Filter=f).get("Users", [])))

    assert q('cognito:user_status = "UNCONFIRMED"') == [unconfirmed]
    assert q('cognito:user_status = "unconfirmed"') == [unconfirmed], "case-insensitive"
    assert q('cognito:user_status = "FORCE_CHANGE_PASSWORD"') == [forced]
    assert q('cognito:user_status = "CONFIRMED"') == sorted([confirmed, disabled])
    assert q('status = "Disabled"') == [disabled]
    assert q('status = "Enabled"') == sorted([confirmed, unconfirmed, forced])


def test_empty_pool(cognito):
    pool_id = make_pool(cognito)
    r = cognito.list_users(UserPoolId=pool_id)
    assert r.get("Users") == [] and "PaginationToken" not in r, r


@pytest.mark.parametrize("bad", ['email', 'email = ', 'email = user007', 'nosuch = "x"',
                                 'custom:tenant = "x"', 'email != "x"',
                                 'email = "a" and name = "b"'])
def test_bad_filters(cognito, big_pool, bad):
    pool_id, _ = big_pool
    client_error(cognito.list_users, UserPoolId=pool_id, Filter=bad,
                 code="InvalidParameterException")


def test_bad_requests(cognito, big_pool):
    pool_id, _ = big_pool
    client_error(cognito.list_users, UserPoolId=pool_id, PaginationToken="not-a-token",
                 code="InvalidParameterException")
    client_error(cognito.list_users, UserPoolId=pool_id, Limit=61,
                 code="InvalidParameterException")
    client_error(cognito.list_users, UserPoolId="us-east-1_ZZZZZZZZZ",
                 code="ResourceNotFoundException")
    # Cognito: "One or more requested attributes do not exist."
    client_error(cognito.list_users, UserPoolId=pool_id, AttributesToGet=["nosuch"],
                 code="InvalidParameterException")

