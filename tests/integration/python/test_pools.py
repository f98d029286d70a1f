"""User pools: CreateUserPool (minimal and every settable field), DescribeUserPool, defaults,
UpdateUserPool, DeleteUserPool (+ DeletionProtection), ListUserPools paging,
AddCustomAttributes, unknown pools and schema errors."""

import re
import time

import pytest

from helpers import list_all_pools, unique
from helpers_assert import assert_subset, client_error

POOL_ID_RE = re.compile(r"^us-east-1_[0-9A-Za-z]{9}$")
ARN_RE_T = r"^arn:aws:cognito-idp:us-east-1:\d{12}:userpool/%s$"
UNKNOWN_POOL = "us-east-1_ZZZZZZZZZ"

STANDARD_ATTRIBUTES = {
    "sub", "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username",
    "profile", "picture", "website", "email", "email_verified", "gender", "birthdate", "zoneinfo",
    "locale", "phone_number", "phone_number_verified", "address", "updated_at",
}


def schema_by_name(pool):
    return {a["Name"]: a for a in pool.get("SchemaAttributes", [])}


# ---------------------------------------------------------------------------------------------
# Create / Describe


def test_create_minimal_pool_shape_and_ids(raw):
    name = unique("min")
    before = time.time()
    out = raw.ok("CreateUserPool", {"PoolName": name})
    pool = out["UserPool"]
    assert POOL_ID_RE.match(pool["Id"]), pool["Id"]
    assert re.match(ARN_RE_T % re.escape(pool["Id"]), pool.get("Arn", "")), pool.get("Arn")
    assert pool["Name"] == name
    for k in ("CreationDate", "LastModifiedDate"):
        assert isinstance(pool.get(k), (int, float)), f"{k} missing or not a number: {pool.get(k)!r}"
        assert before - 5 <= pool[k] <= time.time() + 5, f"{k}={pool[k]} is not about now"
    desc = raw.ok("DescribeUserPool", {"UserPoolId": pool["Id"]})["UserPool"]
    assert desc["Id"] == pool["Id"] and desc["Name"] == name and desc["Arn"] == pool["Arn"]
    assert desc["CreationDate"] == pool["CreationDate"]


def test_pool_ids_are_unique(cognito):
    ids = {cognito.create_user_pool(PoolName=unique("uniq"))["UserPool"]["Id"] for _ in range(5)}
    assert len(ids) == 5
    assert all(POOL_ID_RE.match(i) for i in ids)


def test_cognito_defaults(raw):
    pool = raw.ok("CreateUserPool", {"PoolName": unique("defaults")})["UserPool"]
    desc = raw.ok("DescribeUserPool", {"UserPoolId": pool["Id"]})["UserPool"]
    for p in (pool, desc):
        assert_subset({
            "MinimumLength": 8, "RequireUppercase": True, "RequireLowercase": True,
            "RequireNumbers": True, "RequireSymbols": True, "TemporaryPasswordValidityDays": 7,
        }, p.get("Policies", {}).get("PasswordPolicy"), "$.Policies.PasswordPolicy")
        assert p["MfaConfiguration"] == "OFF"
        schema = schema_by_name(p)
        missing = STANDARD_ATTRIBUTES - set(schema)
        assert not missing, f"standard attributes missing from SchemaAttributes: {sorted(missing)}"
        assert schema["email_verified"]["AttributeDataType"] == "Boolean"
        assert schema["phone_number_verified"]["AttributeDataType"] == "Boolean"
        assert schema["updated_at"]["AttributeDataType"] == "Number"
        assert schema["email"]["AttributeDataType"] == "String"
        sub = schema["sub"]
        assert sub["AttributeDataType"] == "String"
        assert sub.get("Required") is True and sub.get("Mutable") is False
        assert schema["email"].get("Required") is False
        assert schema["email"].get("Mutable") is True
        # Constraint values are JSON strings in Cognito's output.
        assert schema["email"]["StringAttributeConstraints"] == {"MinLength": "0", "MaxLength": "2048"}
        assert schema["birthdate"]["StringAttributeConstraints"] == {"MinLength": "10", "MaxLength": "10"}
        assert schema["updated_at"]["NumberAttributeConstraints"].get("MinValue") == "0"
        assert not any(n.startswith("custom:") for n in schema)


def test_cognito_defaults_secondary(raw):
    """Defaults the live service shows in DescribeUserPool for an API-created pool."""
    pool_id = raw.ok("CreateUserPool", {"PoolName": unique("defaults2")})["UserPool"]["Id"]
    p = raw.ok("DescribeUserPool", {"UserPoolId": pool_id})["UserPool"]
    assert p.get("DeletionProtection", "INACTIVE") == "INACTIVE"
    assert p.get("LambdaConfig", {}) == {}
    assert p.get("EstimatedNumberOfUsers") == 0
    assert_subset({"AllowAdminCreateUserOnly": False, "UnusedAccountValidityDays": 7},
                  p.get("AdminCreateUserConfig"))
    assert_subset({"DefaultEmailOption": "CONFIRM_WITH_CODE"}, p.get("VerificationMessageTemplate"))
    assert_subset({"EmailSendingAccount": "COGNITO_DEFAULT"}, p.get("EmailConfiguration"))
    assert p.get("UserPoolTags", {}) == {}


FULL_REQUEST = {
    "Policies": {"PasswordPolicy": {
        "MinimumLength": 12, "RequireUppercase": False, "RequireLowercase": True,
        "RequireNumbers": False, "RequireSymbols": True, "TemporaryPasswordValidityDays": 3}},
    "DeletionProtection": "INACTIVE",
    "LambdaConfig": {
        "PreSignUp": "arn:aws:lambda:us-east-1:123456789012:function:pre-signup",
        "PostConfirmation": "arn:aws:lambda:us-east-1:123456789012:function:post-confirm",
        "PreTokenGeneration": "arn:aws:lambda:us-east-1:123456789012:function:pre-token",
    },
    "AutoVerifiedAttributes": ["email"],
    "AliasAttributes": ["email", "preferred_username"],
    "VerificationMessageTemplate": {
        "SmsMessage": "Your code is {####}",
        "EmailMessage": "Hello, your verification code is {####}.",
        "EmailSubject": "Verify your account",
        "EmailMessageByLink": "Click {##Verify Email##} to verify.",
        "EmailSubjectByLink": "Verify by link",
        "DefaultEmailOption": "CONFIRM_WITH_CODE",
    },
    "SmsAuthenticationMessage": "Your sign-in code is {####}",
    "MfaConfiguration": "OPTIONAL",
    "UserAttributeUpdateSettings": {"AttributesRequireVerificationBeforeUpdate": ["email"]},
    "DeviceConfiguration": {"ChallengeRequiredOnNewDevice": True,
                            "DeviceOnlyRememberedOnUserPrompt": True},
    "EmailConfiguration": {"EmailSendingAccount": "COGNITO_DEFAULT",
                           "ReplyToEmailAddress": "support@example.com"},
    "SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::123456789012:role/cognito-sms",
                         "ExternalId": "ext-123", "SnsRegion": "us-east-1"},
    "UserPoolTags": {"env": "test", "team": "identity"},
    "AdminCreateUserConfig": {
        "AllowAdminCreateUserOnly": True,
        "InviteMessageTemplate": {
            "SMSMessage": "Hi {username}, your temporary password is {####}",
            "EmailMessage": "Welcome {username}! Temporary password: {####}",
            "EmailSubject": "Your new account"}},
    "Schema": [
        {"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True},
        {"Name": "tenant", "AttributeDataType": "String", "Mutable": True,
         "DeveloperOnlyAttribute": False,
         "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "64"}},
        {"Name": "level", "AttributeDataType": "Number", "Mutable": False,
         "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "100"}},
    ],
    "UserPoolAddOns": {"AdvancedSecurityMode": "OFF"},
    "UsernameConfiguration": {"CaseSensitive": False},
    "AccountRecoverySetting": {"RecoveryMechanisms": [
        {"Priority": 1, "Name": "verified_email"},
        {"Priority": 2, "Name": "verified_phone_number"}]},
}


def test_create_full_pool_reads_back_every_field(raw):
    name = unique("full")
    created = raw.ok("CreateUserPool", dict(FULL_REQUEST, PoolName=name))["UserPool"]
    desc = raw.ok("DescribeUserPool", {"UserPoolId": created["Id"]})["UserPool"]
    for p in (created, desc):
        assert p["Name"] == name
        for field, value in FULL_REQUEST.items():
            if field == "Schema":
                continue
            assert field in p, f"{field} not returned (have {sorted(p)})"
            assert_subset(value, p[field], f"$.UserPool.{field}")
        schema = schema_by_name(p)
        assert "tenant" not in schema and "level" not in schema, \
            "custom attributes must be named custom:<name>"
        assert_subset({"AttributeDataType": "String", "Mutable": True,
                       "DeveloperOnlyAttribute": False,
                       "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "64"}},
                      schema.get("custom:tenant"), "custom:tenant")
        assert_subset({"AttributeDataType": "Number", "Mutable": False,
                       "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "100"}},
                      schema.get("custom:level"), "custom:level")
        assert schema["custom:tenant"].get("Required", False) is False
        assert schema["email"]["Required"] is True
        assert STANDARD_ATTRIBUTES <= set(schema)
    assert desc["Arn"].endswith("/" + created["Id"])


def test_username_attributes_and_addons(raw, cognito):
    out = raw.ok("CreateUserPool", {
        "PoolName": unique("userattrs"), "UsernameAttributes": ["email"],
        "AutoVerifiedAttributes": ["email"],
        "UserPoolAddOns": {"AdvancedSecurityMode": "AUDIT"},
        "UsernameConfiguration": {"CaseSensitive": True},
        "EmailVerificationMessage": "Code: {####}", "EmailVerificationSubject": "Code",
        "SmsVerificationMessage": "SMS code {####}"})["UserPool"]
    desc = raw.ok("DescribeUserPool", {"UserPoolId": out["Id"]})["UserPool"]
    assert desc["UsernameAttributes"] == ["email"]
    assert "AliasAttributes" not in desc or desc["AliasAttributes"] == []
    assert desc["UserPoolAddOns"] == {"AdvancedSecurityMode": "AUDIT"}
    assert desc["UsernameConfiguration"] == {"CaseSensitive": True}
    assert desc["EmailVerificationMessage"] == "Code: {####}"
    assert desc["EmailVerificationSubject"] == "Code"
    assert desc["SmsVerificationMessage"] == "SMS code {####}"


def test_alias_and_username_attributes_are_exclusive(raw):
    raw.err("CreateUserPool", {"PoolName": unique("excl"), "AliasAttributes": ["email"],
                               "UsernameAttributes": ["email"]}, "InvalidParameterException")


def test_create_pool_invalid_enum_rejected(raw):
    raw.err("CreateUserPool", {"PoolName": unique("enum"), "MfaConfiguration": "SOMETIMES"},
            "InvalidParameterException")
    raw.err("CreateUserPool", {"PoolName": unique("enum"), "AutoVerifiedAttributes": ["address"]},
            "InvalidParameterException")


def test_password_policy_out_of_range_rejected(raw):
    for n in (5, 100):
        raw.err("CreateUserPool", {"PoolName": unique("pw"),
                                   "Policies": {"PasswordPolicy": {"MinimumLength": n}}},
                "InvalidParameterException")
    raw.err("CreateUserPool", {"PoolName": unique("pw"), "Policies": {"PasswordPolicy": {
        "TemporaryPasswordValidityDays": 366}}}, "InvalidParameterException")


def test_verification_message_without_code_placeholder_rejected(raw):
    raw.err("CreateUserPool", {"PoolName": unique("vmt"), "VerificationMessageTemplate": {
        "EmailMessage": "There is no code placeholder here"}}, "InvalidParameterException")
    raw.err("CreateUserPool", {"PoolName": unique("vmt"),
                               "SmsVerificationMessage": "no placeholder"},
            "InvalidParameterException")


# ---------------------------------------------------------------------------------------------
# Update


def test_update_user_pool_changes_fields(raw):
    created = raw.ok("CreateUserPool", {
        "PoolName": unique("upd"), "AliasAttributes": ["email"],
        "Schema": [{"Name": "dept", "AttributeDataType": "String", "Mutable": True}]})["UserPool"]
    pid = created["Id"]
    time.sleep(1.1)
    update = {
        "Policies": {"PasswordPolicy": {"MinimumLength": 14, "RequireUppercase": True,
                                        "RequireLowercase": False, "RequireNumbers": True,
                                        "RequireSymbols": False,
                                        "TemporaryPasswordValidityDays": 2}},
        "AutoVerifiedAttributes": ["email"],
        "UserPoolTags": {"stage": "prod"},
        "DeletionProtection": "ACTIVE",
        "VerificationMessageTemplate": {"EmailMessage": "New code {####}",
                                        "EmailSubject": "New subject",
                                        "DefaultEmailOption": "CONFIRM_WITH_CODE"},
        "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": True},
        "AccountRecoverySetting": {"RecoveryMechanisms": [{"Priority": 1, "Name": "admin_only"}]},
        "DeviceConfiguration": {"ChallengeRequiredOnNewDevice": False,
                                "DeviceOnlyRememberedOnUserPrompt": True},
        "LambdaConfig": {"PreAuthentication": "arn:aws:lambda:us-east-1:123456789012:function:pa"},
        "UserAttributeUpdateSettings": {"AttributesRequireVerificationBeforeUpdate": ["email"]},
        "UserPoolAddOns": {"AdvancedSecurityMode": "OFF"},
    }
    out = raw.ok("UpdateUserPool", dict(update, UserPoolId=pid))
    assert out == {}
    desc = raw.ok("DescribeUserPool", {"UserPoolId": pid})["UserPool"]
    for field, value in update.items():
        assert field in desc, f"{field} not returned after update"
        assert_subset(value, desc[field], f"$.UserPool.{field}")
    # Things UpdateUserPool cannot change stay as they were.
    assert desc["Name"] == created["Name"]
    assert desc["AliasAttributes"] == ["email"]
    assert "custom:dept" in schema_by_name(desc)
    assert desc["CreationDate"] == created["CreationDate"]
    assert desc["LastModifiedDate"] > created["LastModifiedDate"], \
        f"LastModifiedDate not advanced: {created['LastModifiedDate']} -> {desc['LastModifiedDate']}"
    # Turn deletion protection off again and delete.
    raw.ok("UpdateUserPool", {"UserPoolId": pid, "DeletionProtection": "INACTIVE",
                              "AutoVerifiedAttributes": ["email"]})
    raw.ok("DeleteUserPool", {"UserPoolId": pid})


def test_update_mfa_optional_with_sms_configuration(raw):
    """UpdateUserPool MfaConfiguration OFF -> OPTIONAL with SMS configuration."""
    pid = raw.ok("CreateUserPool", {"PoolName": unique("mfa")})["UserPool"]["Id"]
    raw.ok("UpdateUserPool", {"UserPoolId": pid, "MfaConfiguration": "OPTIONAL",
                              "SmsConfiguration": {"SnsCallerArn":
                                                   "arn:aws:iam::123456789012:role/sms"}})
    assert raw.ok("DescribeUserPool", {"UserPoolId": pid})["UserPool"]["MfaConfiguration"] == \
        "OPTIONAL"


# ---------------------------------------------------------------------------------------------
# Delete


def test_delete_pool(cognito):
    pid = cognito.create_user_pool(PoolName=unique("del"))["UserPool"]["Id"]
    assert pid in {p["Id"] for p in list_all_pools(cognito)}
    cognito.delete_user_pool(UserPoolId=pid)
    client_error(cognito.describe_user_pool, UserPoolId=pid, code="ResourceNotFoundException")
    client_error(cognito.delete_user_pool, UserPoolId=pid, code="ResourceNotFoundException")
    assert pid not in {p["Id"] for p in list_all_pools(cognito)}


def test_deletion_protection_blocks_delete(cognito, raw):
    pid = cognito.create_user_pool(PoolName=unique("protected"),
                                   DeletionProtection="ACTIVE")["UserPool"]["Id"]
    assert cognito.describe_user_pool(UserPoolId=pid)["UserPool"]["DeletionProtection"] == "ACTIVE"
    r = raw.err("DeleteUserPool", {"UserPoolId": pid}, "InvalidParameterException")
    assert r.message, "error without message"
    assert cognito.describe_user_pool(UserPoolId=pid)["UserPool"]["Id"] == pid
    assert pid in {p["Id"] for p in list_all_pools(cognito)}
    cognito.update_user_pool(UserPoolId=pid, DeletionProtection="INACTIVE")
    cognito.delete_user_pool(UserPoolId=pid)
    client_error(cognito.describe_user_pool, UserPoolId=pid, code="ResourceNotFoundException")


# ---------------------------------------------------------------------------------------------
# List


def test_list_user_pools_paging(cognito, raw):
    prefix = unique("page")
    mine = {cognito.create_user_pool(PoolName=f"{prefix}-{i}")["UserPool"]["Id"] for i in range(5)}
    seen = []
    token = None
    pages = 0
    while True:
        body = {"MaxResults": 2}
        if token:
            body["NextToken"] = token
        page = raw.ok("ListUserPools", body)
        pages += 1
        assert len(page.get("UserPools", [])) <= 2, f"page larger than MaxResults: {page}"
        for p in page.get("UserPools", []):
            assert {"Id", "Name"} <= set(p), p
            assert isinstance(p.get("CreationDate"), (int, float)), p
            assert isinstance(p.get("LastModifiedDate"), (int, float)), p
        seen.extend(p["Id"] for p in page.get("UserPools", []))
        token = page.get("NextToken")
        if not token:
            break
        assert pages < 1000
    assert len(seen) == len(set(seen)), f"duplicates across pages: {seen}"
    assert mine <= set(seen), f"missing from paged listing: {mine - set(seen)}"
    assert pages >= 3
    full = {p["Id"] for p in list_all_pools(raw)}
    assert set(seen) == full
    names = {p["Id"]: p["Name"] for p in list_all_pools(raw)}
    assert {names[i] for i in mine} == {f"{prefix}-{i}" for i in range(5)}


def test_list_user_pools_bad_arguments(raw):
    raw.err("ListUserPools", {"MaxResults": 10, "NextToken": "not-a-real-token!!"},
            "InvalidParameterException")
    raw.err("ListUserPools", {"MaxResults": 10, "NextToken": "AAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
            "InvalidParameterException")
    raw.err("ListUserPools", {"MaxResults": 0}, "InvalidParameterException")
    raw.err("ListUserPools", {"MaxResults": 61}, "InvalidParameterException")
    raw.err("ListUserPools", {}, "InvalidParameterException")


# ---------------------------------------------------------------------------------------------
# AddCustomAttributes


def test_add_custom_attributes(raw):
    pid = raw.ok("CreateUserPool", {"PoolName": unique("custom")})["UserPool"]["Id"]
    out = raw.ok("AddCustomAttributes", {"UserPoolId": pid, "CustomAttributes": [
        {"Name": "dept", "AttributeDataType": "String", "Mutable": True,
         "StringAttributeConstraints": {"MinLength": "0", "MaxLength": "20"}},
        {"Name": "score", "AttributeDataType": "Number",
         "NumberAttributeConstraints": {"MinValue": "1", "MaxValue": "9"}}]})
    assert out == {}
    schema = schema_by_name(raw.ok("DescribeUserPool", {"UserPoolId": pid})["UserPool"])
    assert_subset({"AttributeDataType": "String", "Mutable": True,
                   "StringAttributeConstraints": {"MinLength": "0", "MaxLength": "20"}},
                  schema.get("custom:dept"), "custom:dept")
    assert_subset({"AttributeDataType": "Number",
                   "NumberAttributeConstraints": {"MinValue": "1", "MaxValue": "9"}},
                  schema.get("custom:score"), "custom:score")
    assert "dept" not in schema
    # Adding an existing attribute again is rejected; nothing changes.
    raw.err("AddCustomAttributes", {"UserPoolId": pid, "CustomAttributes": [
        {"Name": "dept", "AttributeDataType": "String"}]}, "InvalidParameterException")
    schema2 = schema_by_name(raw.ok("DescribeUserPool", {"UserPoolId": pid})["UserPool"])
    assert schema2 == schema


def test_add_custom_attributes_errors(raw):
    pid = raw.ok("CreateUserPool", {"PoolName": unique("custerr")})["UserPool"]["Id"]
    before = raw.ok("DescribeUserPool", {"UserPoolId": pid})["UserPool"]["SchemaAttributes"]
    bad = [
        [{"Name": "req", "AttributeDataType": "String", "Required": True}],
        [{"Name": "x" * 21, "AttributeDataType": "String"}],
        [{"Name": "kind", "AttributeDataType": "Colour"}],
        [{"Name": "dup", "AttributeDataType": "String"}, {"Name": "dup", "AttributeDataType": "String"}],
        [],
    ]
    for attrs in bad:
        raw.err("AddCustomAttributes", {"UserPoolId": pid, "CustomAttributes": attrs},
                "InvalidParameterException")
    raw.err("AddCustomAttributes", {"UserPoolId": UNKNOWN_POOL, "CustomAttributes": [
        {"Name": "a", "AttributeDataType": "String"}]}, "ResourceNotFoundException")
    after = raw.ok("DescribeUserPool", {"UserPoolId": pid})["UserPool"]["SchemaAttributes"]
    assert sorted(a["Name"] for a in after) == sorted(a["Name"] for a in before)


# ---------------------------------------------------------------------------------------------
# Unknown pools and schema errors


@pytest.mark.parametrize("action,extra", [
    ("DescribeUserPool", {}),
    ("UpdateUserPool", {}),
    ("DeleteUserPool", {}),
    ("ListUserPoolClients", {"MaxResults": 10}),
    ("CreateUserPoolClient", {"ClientName": "c"}),
    ("DescribeUserPoolClient", {"ClientId": "abcdefghijklmnopqrstuvwxyz"}),
])
def test_unknown_pool_is_resource_not_found(raw, action, extra):
    r = raw.err(action, dict(extra, UserPoolId=UNKNOWN_POOL), "ResourceNotFoundException")
    assert r.message


def test_malformed_pool_id_is_invalid_parameter(raw):
    r = raw.err("DescribeUserPool", {"UserPoolId": "not a pool id"}, "InvalidParameterException")
    assert "userPoolId" in r.message, r.message


@pytest.mark.parametrize("schema", [
    [{"Name": "tier", "AttributeDataType": "String", "Required": True}],          # required custom
    [{"Name": "email", "AttributeDataType": "Number"}],                          # wrong std type
    [{"Name": "a" * 21, "AttributeDataType": "String"}],                         # name too long
    [{"Name": "kind", "AttributeDataType": "Colour"}],                           # bad enum
    [{"Name": "x", "AttributeDataType": "String"}, {"Name": "x", "AttributeDataType": "String"}],
])
def test_schema_errors_rejected(raw, schema):
    from helpers import pool_snapshot
    before = pool_snapshot(raw)
    raw.err("CreateUserPool", {"PoolName": unique("badschema"), "Schema": schema},
            "InvalidParameterException")
    assert pool_snapshot(raw) == before, "a rejected CreateUserPool left a pool behind"


def test_concurrent_creates(server):
    """Eight clients creating pools at once: all succeed, ids are unique, all are listed."""
    from concurrent.futures import ThreadPoolExecutor
    from rawclient import RawClient
    prefix = unique("conc")

    def create(i):
        c = RawClient(server.endpoint, *server.credentials, timeout=30)
        return c.ok("CreateUserPool", {"PoolName": f"{prefix}-{i}"})["UserPool"]["Id"]

    with ThreadPoolExecutor(8) as ex:
        ids = list(ex.map(create, range(16)))
    assert len(set(ids)) == 16
    c = RawClient(server.endpoint, *server.credentials)
    listed = {p["Id"]: p["Name"] for p in list_all_pools(c)}
    assert all(listed.get(i, "").startswith(prefix) for i in ids)


def test_concurrent_add_custom_attributes_loses_none(server):
    """Sixteen AddCustomAttributes calls at once on one pool (read-modify-write of its schema):
    every attribute is there afterwards, none lost to a concurrent writer."""
    from concurrent.futures import ThreadPoolExecutor
    from rawclient import RawClient
    c = RawClient(server.endpoint, *server.credentials, timeout=30)
    pool_id = c.ok("CreateUserPool", {"PoolName": unique("race")})["UserPool"]["Id"]

    def add(i):
        RawClient(server.endpoint, *server.credentials, timeout=30).ok(
            "AddCustomAttributes", {"UserPoolId": pool_id,
                                    "CustomAttributes": [{"Name": f"attr{i}",
                                                          "AttributeDataType": "String"}]})

    with ThreadPoolExecutor(8) as ex:
        list(ex.map(add, range(16)))
    pool = c.ok("DescribeUserPool", {"UserPoolId": pool_id})["UserPool"]
    names = {a["Name"] for a in pool["SchemaAttributes"]}
    assert {f"custom:attr{i}" for i in range(16)} <= names


def test_paging_survives_deletes_between_pages(start_server):
    """A NextToken stays usable when pools are deleted between pages; deleted pools are not
    returned and no remaining pool is skipped."""
    from rawclient import RawClient
    s = start_server()
    c = RawClient(s.endpoint, *s.credentials)
    ids = [c.ok("CreateUserPool", {"PoolName": f"p{i}"})["UserPool"]["Id"] for i in range(6)]
    first = c.ok("ListUserPools", {"MaxResults": 2})
    assert len(first["UserPools"]) == 2 and first.get("NextToken")
    seen = [p["Id"] for p in first["UserPools"]]
    for pid in seen:
        c.ok("DeleteUserPool", {"UserPoolId": pid})
    token = first["NextToken"]
    while token:
        page = c.ok("ListUserPools", {"MaxResults": 2, "NextToken": token})
        seen.extend(p["Id"] for p in page["UserPools"])
        token = page.get("NextToken")
    assert sorted(seen) == sorted(ids), "pages skipped or repeated pools after deletes"
