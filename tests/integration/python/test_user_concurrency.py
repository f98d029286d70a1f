"""Races on user creation and membership: 50 concurrent SignUps of one username (exactly one
wins), concurrent AdminCreateUser of one name, concurrent sign-ups of distinct users, and
concurrent AdminAddUserToGroup of one membership."""

import threading
from concurrent.futures import ThreadPoolExecutor

from botocore.exceptions import ClientError

from helpers import boto_client, unique
from helpers_users import PASSWORD, attrs, make_client, make_pool, tokens


def race(server, n, call):
    """Runs call(client) n times at once (one boto3 client each, released together);
    returns [("ok", response) | ("err", code, message)]."""
    clients = [boto_client(server) for _ in range(n)]
    barrier = threading.Barrier(n)

    def one(c):
        barrier.wait()
        try:
            return ("ok", call(c))
        except ClientError as e:
            return ("err", e.response["Error"]["Code"], e.response["Error"].get("Message"))

    with ThreadPoolExecutor(max_workers=n) as ex:
        return list(ex.map(one, clients))


def test_concurrent_signup_same_username(cognito, server):
    pool_id = make_pool(cognito)
    client_id = make_client(cognito, pool_id)["ClientId"]
    username = unique("race")
    results = race(server, 50, lambda c: c.sign_up(
        ClientId=client_id, Username=username, Password=PASSWORD,
        UserAttributes=attrs({"email": f"{username}@example.com"})))
    ok = [r for r in results if r[0] == "ok"]
    errs = [r for r in results if r[0] == "err"]
    assert len(ok) == 1, f"{len(ok)} SignUps succeeded; errors: {sorted(set(errs))}"
    assert all(e[1] == "UsernameExistsException" for e in errs), sorted(set(errs))
    assert all(e[2] == "User already exists" for e in errs), sorted(set(errs))
    users = cognito.list_users(UserPoolId=pool_id)["Users"]
    assert [u["Username"] for u in users] == [username], users
    sub = [a["Value"] for a in users[0]["Attributes"] if a["Name"] == "sub"]
    assert sub == [ok[0][1]["UserSub"]], (sub, ok)
    cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username=username)
    tokens(cognito, client_id, username)


def test_concurrent_admin_create_same_username(cognito, server):
    pool_id = make_pool(cognito)
    username = unique("adminrace")
    results = race(server, 20, lambda c: c.admin_create_user(
        UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS"))
    ok = [r for r in results if r[0] == "ok"]
    errs = [r for r in results if r[0] == "err"]
    assert len(ok) == 1, f"{len(ok)} AdminCreateUsers succeeded; errors: {sorted(set(errs))}"
    assert all(e[1] == "UsernameExistsException" for e in errs), sorted(set(errs))
    assert len(cognito.list_users(UserPoolId=pool_id)["Users"]) == 1


def test_concurrent_signup_same_email_as_username(cognito, server):
    pool_id = make_pool(cognito, UsernameAttributes=["email"])
    client_id = make_client(cognito, pool_id)["ClientId"]
    email = f"{unique('mailrace')}@example.com"
    results = race(server, 20, lambda c: c.sign_up(ClientId=client_id, Username=email,
                                                   Password=PASSWORD))
    ok = [r for r in results if r[0] == "ok"]
    errs = [r for r in results if r[0] == "err"]
    assert len(ok) == 1, f"{len(ok)} SignUps succeeded; errors: {sorted(set(errs))}"
    assert all(e[1] == "UsernameExistsException" for e in errs), sorted(set(errs))
    assert len(cognito.list_users(UserPoolId=pool_id)["Users"]) == 1


def test_concurrent_distinct_signups(cognito, server):
    pool_id = make_pool(cognito)
    client_id = make_client(cognito, pool_id)["ClientId"]
    prefix = unique("many")
    counter = iter(range(1000))
    lock = threading.Lock()

    def signup(c):
        with lock:
            i = next(counter)
        return c.sign_up(ClientId=client_id, Username=f"{prefix}-{i:02d}", Password=PASSWORD)

    results = race(server, 30, signup)
    assert all(r[0] == "ok" for r in results), [r for r in results if r[0] != "ok"]
    subs = {r[1]["UserSub"] for r in results}
    assert len(subs) == 30
    users = cognito.list_users(UserPoolId=pool_id, Limit=60)["Users"]
    assert sorted(u["Username"] for u in users) == [f"{prefix}-{i:02d}" for i in range(30)]


def test_concurrent_group_add(cognito, server):
    pool_id = make_pool(cognito)
    username = unique("member")
    cognito.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS")
    cognito.create_group(UserPoolId=pool_id, GroupName="g")
    results = race(server, 20, lambda c: c.admin_add_user_to_group(
        UserPoolId=pool_id, Username=username, GroupName="g"))
    assert all(r[0] == "ok" for r in results), [r for r in results if r[0] != "ok"]
    users = cognito.list_users_in_group(UserPoolId=pool_id, GroupName="g")["Users"]
    assert [u["Username"] for u in users] == [username], users
    groups = cognito.admin_list_groups_for_user(UserPoolId=pool_id, Username=username)["Groups"]
    assert [g["GroupName"] for g in groups] == ["g"], groups
