"""Checks of the test harness itself (no server needed): our SigV4 signer agrees with botocore's,
the shape checker accepts good and rejects bad bodies, the credentials-file parser reads both
forms."""

import datetime
from unittest import mock

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from cognate_server import parse_admin_credentials
from rawclient import RawClient, sigv4_headers
from shapes import model


def _botocore_sign(url, headers, body, ak, sk, region, when):
    req = AWSRequest(method="POST", url=url, data=body, headers=dict(headers))

    class FakeDatetime(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return when

    with mock.patch.object(botocore.auth.datetime, "datetime", FakeDatetime):
        botocore.auth.SigV4Auth(Credentials(ak, sk), "cognito-idp", region).add_auth(req)
    return req.headers["Authorization"], req.headers["X-Amz-Date"]


def test_signer_matches_botocore():
    when = datetime.datetime(2024, 3, 9, 12, 34, 56)
    raw = RawClient("http://127.0.0.1:4567", "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    for body in ({"MaxResults": 10}, {"PoolName": "a  b\u00e9"}):
        h, data = raw.build("ListUserPools", body, sign=False)
        ours = sigv4_headers("POST", "/", h, data, raw.access_key, raw.secret, timestamp=when)
        theirs, date = _botocore_sign("http://127.0.0.1:4567/", h, data, raw.access_key,
                                      raw.secret, "us-east-1", when)
        assert ours["X-Amz-Date"] == date == "20240309T123456Z"
        assert ours["Authorization"] == theirs


def test_signer_matches_botocore_other_region():
    when = datetime.datetime(2023, 12, 31, 23, 59, 59)
    raw = RawClient("http://127.0.0.1:80", "AK", "SK")
    h, data = raw.build("DescribeUserPool", {"UserPoolId": "eu-west-1_abc"}, sign=False,
                        headers={"X-Amz-User-Agent": "x   y"})
    ours = sigv4_headers("POST", "/", h, data, "AK", "SK", region="eu-west-1", timestamp=when)
    theirs, _ = _botocore_sign("http://127.0.0.1:80/", h, data, "AK", "SK", "eu-west-1", when)
    assert ours["Authorization"] == theirs


def test_shape_checker_accepts_valid_output():
    m = model()
    body = {"UserPool": {
        "Id": "us-east-1_abcdefghi", "Name": "p", "CreationDate": 1.7e9, "LastModifiedDate": 1700000000,
        "MfaConfiguration": "OFF", "EstimatedNumberOfUsers": 0,
        "Policies": {"PasswordPolicy": {"MinimumLength": 8, "RequireUppercase": True}},
        "SchemaAttributes": [{"Name": "email", "AttributeDataType": "String",
                              "StringAttributeConstraints": {"MinLength": "0", "MaxLength": "2048"}}],
        "UserPoolTags": {"a": "b"}, "LambdaConfig": {}}}
    assert m.check_output("CreateUserPool", body) == []
    assert m.check_output("UpdateUserPool", {}) == []
    assert m.check_output("ListUserPools", {"UserPools": [], "NextToken": "x"}) == []


def test_shape_checker_rejects_invalid_output():
    m = model()
    cases = [
        {"UserPool": {"Bogus": 1}},                                # unknown member
        {"UserPool": {"MfaConfiguration": "MAYBE"}},               # enum
        {"UserPool": {"EstimatedNumberOfUsers": "3"}},             # integer as string
        {"UserPool": {"EstimatedNumberOfUsers": True}},            # boolean as integer
        {"UserPool": {"CreationDate": "2024-01-01"}},              # timestamp as string
        {"UserPool": {"Name": None}},                              # null
        {"UserPool": {"SchemaAttributes": {"Name": "x"}}},         # object for list
        {"UserPool": {"UserPoolTags": {"a": 1}}},                  # map value type
        {"UserPool": {"Policies": {"PasswordPolicy": {"RequireNumbers": "true"}}}},
    ]
    for c in cases:
        assert m.check_output("DescribeUserPool", c), f"accepted invalid {c}"
    assert m.check_output("UpdateUserPool", {"x": 1})
    assert m.check_output("ListUserPools", {"UserPools": [{"Id": "x", "Extra": 1}]})


def test_credentials_parser_both_forms():
    assert parse_admin_credentials('{"access_key_id": "AKID1", "secret_access_key": "S1"}') == \
        ("AKID1", "S1")
    assert parse_admin_credentials('{"AccessKeyId": "AKID2", "SecretAccessKey": "S2"}') == \
        ("AKID2", "S2")
    assert parse_admin_credentials(
        "# admin\nCOGNATE_ADMIN_ACCESS_KEY_ID=AKID3\nCOGNATE_ADMIN_SECRET_ACCESS_KEY='S3'\n") == \
        ("AKID3", "S3")
    assert parse_admin_credentials("export AWS_ACCESS_KEY_ID=AKID4\nexport AWS_SECRET_ACCESS_KEY=S4") \
        == ("AKID4", "S4")
