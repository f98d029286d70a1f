"""Groups: CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups (paging), membership
(AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup),
and the group claims in tokens (cognito:groups, cognito:roles, cognito:preferred_role)."""

import datetime
import time

import pytest

from helpers import unique
from helpers_assert import client_error
from helpers_users import make_client, make_pool, signup_confirmed, tokens, unverified

ROLE_A = "arn:aws:iam::123456789012:role/GroupA"
ROLE_B = "arn:aws:iam::123456789012:role/GroupB"


@pytest.fixture(scope="module")
def pool(cognito):
    pool_id = make_pool(cognito)
    client_id = make_client(cognito, pool_id)["ClientId"]
    return pool_id, client_id


def page_all(fn, key, limit, **kw):
    out, token, pages = [], None, 0
    while True:
        args = dict(kw, Limit=limit)
        if token:
            args["NextToken"] = token
        r = fn(**args)
        assert len(r.get(key, [])) <= limit, r
        out.extend(r.get(key, []))
        pages += 1
        token = r.get("NextToken")
        if not token:
            return out
        assert pages < 500


def test_create_get_update_delete(cognito, pool):
    pool_id, _ = pool
    name = unique("grp")
    g = cognito.create_group(UserPoolId=pool_id, GroupName=name, Description="first",
                             RoleArn=ROLE_A, Precedence=5)["Group"]
    assert g["GroupName"] == name and g["UserPoolId"] == pool_id, g
    assert g["Description"] == "first" and g["RoleArn"] == ROLE_A and g["Precedence"] == 5, g
    for k in ("CreationDate", "LastModifiedDate"):
        assert isinstance(g[k], datetime.datetime) and abs(g[k].timestamp() - time.time()) < 120
    got = cognito.get_group(UserPoolId=pool_id, GroupName=name)["Group"]
    assert got == g, (got, g)

    e = client_error(cognito.create_group, UserPoolId=pool_id, GroupName=name,
                     code="GroupExistsException")
    assert e.response["Error"]["Message"] == f"A group with the name {name} already exists.", \
        e.response["Error"]

    time.sleep(1.05)
    u = cognito.update_group(UserPoolId=pool_id, GroupName=name, Description="second",
                             Precedence=1)["Group"]
    assert u["Description"] == "second" and u["Precedence"] == 1, u
    assert u["RoleArn"] == ROLE_A, f"unspecified members keep their values: {u}"
    assert u["CreationDate"] == g["CreationDate"] and u["LastModifiedDate"] > g["LastModifiedDate"]
    assert cognito.get_group(UserPoolId=pool_id, GroupName=name)["Group"] == u

    assert set(cognito.delete_group(UserPoolId=pool_id, GroupName=name)) == {"ResponseMetadata"}
    client_error(cognito.get_group, UserPoolId=pool_id, GroupName=name,
                 code="ResourceNotFoundException")
    client_error(cognito.delete_group, UserPoolId=pool_id, GroupName=name,
                 code="ResourceNotFoundException")
    client_error(cognito.update_group, UserPoolId=pool_id, GroupName=name, Description="x",
                 code="ResourceNotFoundException")


def test_minimal_group(cognito, pool):
    pool_id, _ = pool
    name = unique("min")
    g = cognito.create_group(UserPoolId=pool_id, GroupName=name)["Group"]
    assert set(g) == {"GroupName", "UserPoolId", "CreationDate", "LastModifiedDate"}, g


def test_group_errors(cognito, pool):
    pool_id, _ = pool
    client_error(cognito.create_group, UserPoolId="us-east-1_ZZZZZZZZZ", GroupName="g",
                 code="ResourceNotFoundException")
    client_error(cognito.create_group, UserPoolId=pool_id, GroupName="bad\tname",
                 code="InvalidParameterException")
    client_error(cognito.create_group, UserPoolId=pool_id, GroupName=unique("arn"),
                 RoleArn="not-an-arn-but-long-enough", code="InvalidParameterException")


def test_list_groups_paging(cognito):
    pool_id = make_pool(cognito)
    created = {unique(f"g{i}") for i in range(7)}
    for n in created:
        cognito.create_group(UserPoolId=pool_id, GroupName=n)
    for limit in (3, 7, 60):
        got = [g["GroupName"] for g in page_all(cognito.list_groups, "Groups", limit,
                                                UserPoolId=pool_id)]
        assert len(got) == len(set(got)) and set(got) == created, (limit, got)
    r = cognito.list_groups(UserPoolId=make_pool(cognito))
    assert r.get("Groups") == [] and "NextToken" not in r, r


def test_membership(cognito, pool):
    pool_id, client_id = pool
    g1, g2 = unique("m1"), unique("m2")
    cognito.create_group(UserPoolId=pool_id, GroupName=g1, Precedence=2)
    cognito.create_group(UserPoolId=pool_id, GroupName=g2, Precedence=1)
    users = [signup_confirmed(cognito, pool_id, client_id)[0] for _ in range(5)]
    for u in users:
        r = cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=u, GroupName=g1)
        assert set(r) == {"ResponseMetadata"}, r
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=users[0], GroupName=g2)
    # Adding again is a no-op.
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=users[0], GroupName=g1)

    members = page_all(cognito.list_users_in_group, "Users", 2, UserPoolId=pool_id,
                       GroupName=g1)
    got = [m["Username"] for m in members]
    assert len(got) == len(set(got)) and set(got) == set(users), got
    for m in members:
        assert m["UserStatus"] == "CONFIRMED" and m["Enabled"] is True, m
        assert any(a["Name"] == "sub" for a in m["Attributes"]), m

    groups = page_all(cognito.admin_list_groups_for_user, "Groups", 1, UserPoolId=pool_id,
                      Username=users[0])
    assert sorted(g["GroupName"] for g in groups) == sorted([g1, g2]), groups
    assert all(g["UserPoolId"] == pool_id for g in groups)
    assert cognito.admin_list_groups_for_user(UserPoolId=pool_id,
                                              Username=users[1])["Groups"][0]["GroupName"] == g1

    r = cognito.admin_remove_user_from_group(UserPoolId=pool_id, Username=users[1],
                                             GroupName=g1)
    assert set(r) == {"ResponseMetadata"}, r
    assert cognito.admin_list_groups_for_user(UserPoolId=pool_id,
                                              Username=users[1]).get("Groups") == []
    got = [m["Username"] for m in page_all(cognito.list_users_in_group, "Users", 60,
                                           UserPoolId=pool_id, GroupName=g1)]
    assert sorted(got) == sorted(set(users) - {users[1]}), got

    # Deleting a user removes its memberships; deleting a group removes it from its users.
    cognito.admin_delete_user(UserPoolId=pool_id, Username=users[2])
    got = [m["Username"] for m in cognito.list_users_in_group(UserPoolId=pool_id,
                                                              GroupName=g1)["Users"]]
    assert users[2] not in got, got
    cognito.delete_group(UserPoolId=pool_id, GroupName=g2)
    groups = cognito.admin_list_groups_for_user(UserPoolId=pool_id, Username=users[0])["Groups"]
    assert [g["GroupName"] for g in groups] == [g1], groups


def test_membership_errors(cognito, pool):
    pool_id, client_id = pool
    g = unique("err")
    cognito.create_group(UserPoolId=pool_id, GroupName=g)
    user, _ = signup_confirmed(cognito, pool_id, client_id)
    client_error(cognito.admin_add_user_to_group, UserPoolId=pool_id, Username=unique("ghost"),
                 GroupName=g, code="UserNotFoundException")
    client_error(cognito.admin_add_user_to_group, UserPoolId=pool_id, Username=user,
                 GroupName=unique("nogroup"), code="ResourceNotFoundException")
    client_error(cognito.admin_remove_user_from_group, UserPoolId=pool_id, Username=user,
                 GroupName=unique("nogroup"), code="ResourceNotFoundException")
    client_error(cognito.admin_remove_user_from_group, UserPoolId=pool_id,
                 Username=unique("ghost"), GroupName=g, code="UserNotFoundException")
    client_error(cognito.admin_list_groups_for_user, UserPoolId=pool_id,
                 Username=unique("ghost"), code="UserNotFoundException")
    client_error(cognito.list_users_in_group, UserPoolId=pool_id, GroupName=unique("nogroup"),
                 code="ResourceNotFoundException")
    # Removing a non-member is harmless.
    cognito.admin_remove_user_from_group(UserPoolId=pool_id, Username=user, GroupName=g)


def test_group_claims_in_tokens(cognito, pool):
    pool_id, client_id = pool
    user, _ = signup_confirmed(cognito, pool_id, client_id)
    ga, gb, gn = unique("ca"), unique("cb"), unique("cn")
    cognito.create_group(UserPoolId=pool_id, GroupName=ga, RoleArn=ROLE_A, Precedence=10)
    cognito.create_group(UserPoolId=pool_id, GroupName=gb, RoleArn=ROLE_B, Precedence=3)
    cognito.create_group(UserPoolId=pool_id, GroupName=gn)
    for g in (ga, gb, gn):
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=user, GroupName=g)
    t = tokens(cognito, client_id, user)
    _, idc = unverified(t["IdToken"])
    _, acc = unverified(t["AccessToken"])
    assert sorted(idc["cognito:groups"]) == sorted([ga, gb, gn]), idc
    assert sorted(acc["cognito:groups"]) == sorted([ga, gb, gn]), acc
    assert sorted(idc["cognito:roles"]) == sorted([ROLE_A, ROLE_B]), idc
    assert idc["cognito:preferred_role"] == ROLE_B, f"lowest Precedence wins: {idc}"
    # Membership changes show in the next tokens (here: after a refresh).
    cognito.admin_remove_user_from_group(UserPoolId=pool_id, Username=user, GroupName=gb)
    r = cognito.initiate_auth(ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                              AuthParameters={"REFRESH_TOKEN": t["RefreshToken"]})
    _, idc = unverified(r["AuthenticationResult"]["IdToken"])
    assert sorted(idc["cognito:groups"]) == sorted([ga, gn]), idc
    assert idc["cognito:roles"] == [ROLE_A] and idc["cognito:preferred_role"] == ROLE_A, idc
