"""Debian's aws-cli v2 (/usr/bin/aws) against the server: pool and client management."""

import json
import os
import subprocess

import pytest

from helpers import unique

AWS = os.environ.get("COGNATE_AWS_CLI", "/usr/bin/aws")


@pytest.fixture(scope="module")
def aws(server, tmp_path_factory):
    if not os.path.exists(AWS):
        pytest.fail(f"{AWS} not found (Debian package awscli)")
    home = tmp_path_factory.mktemp("awshome")
    ak, sk = server.credentials
    env = {
        "PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
        "AWS_ACCESS_KEY_ID": ak, "AWS_SECRET_ACCESS_KEY": sk, "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(home / "config"), "AWS_SHARED_CREDENTIALS_FILE": str(home / "creds"),
        "AWS_PAGER": "", "AWS_MAX_ATTEMPTS": "1", "AWS_RETRY_MODE": "standard",
    }

    def run(*args, ok=True, creds=None):
        e = dict(env)
        if creds:
            e["AWS_ACCESS_KEY_ID"], e["AWS_SECRET_ACCESS_KEY"] = creds
        cmd = [AWS, "cognito-idp", *args, "--endpoint-url", server.endpoint, "--output", "json"]
        p = subprocess.run(cmd, env=e, capture_output=True, text=True, timeout=60)
        if ok:
            assert p.returncode == 0, f"{' '.join(args)} failed ({p.returncode}): {p.stderr}"
            return json.loads(p.stdout) if p.stdout.strip() else {}
        assert p.returncode != 0, f"{' '.join(args)} unexpectedly succeeded: {p.stdout[:500]}"
        return p
    return run


def test_pool_lifecycle(aws):
    name = unique("cli")
    pool = aws("create-user-pool", "--pool-name", name,
               "--policies", json.dumps({"PasswordPolicy": {"MinimumLength": 10}}),
               "--auto-verified-attributes", "email",
               "--user-pool-tags", "team=cli")["UserPool"]
    pid = pool["Id"]
    assert pool["Name"] == name
    desc = aws("describe-user-pool", "--user-pool-id", pid)["UserPool"]
    assert desc["Policies"]["PasswordPolicy"]["MinimumLength"] == 10
    assert desc["AutoVerifiedAttributes"] == ["email"]
    assert desc["UserPoolTags"] == {"team": "cli"}

    listed = aws("list-user-pools", "--max-results", "10")
    assert pid in {p["Id"] for p in listed["UserPools"]}, "list-user-pools (all pages) lacks pool"

    aws("update-user-pool", "--user-pool-id", pid,
        "--policies", json.dumps({"PasswordPolicy": {"MinimumLength": 16}}),
        "--auto-verified-attributes", "email", "--mfa-configuration", "OFF")
    aws("add-custom-attributes", "--user-pool-id", pid, "--custom-attributes",
        json.dumps([{"Name": "dept", "AttributeDataType": "String", "Mutable": True}]))
    desc = aws("describe-user-pool", "--user-pool-id", pid)["UserPool"]
    assert desc["Policies"]["PasswordPolicy"]["MinimumLength"] == 16
    assert "custom:dept" in {a["Name"] for a in desc["SchemaAttributes"]}

    client = aws("create-user-pool-client", "--user-pool-id", pid, "--client-name", "cli-app",
                 "--generate-secret", "--explicit-auth-flows", "ALLOW_USER_SRP_AUTH",
                 "ALLOW_REFRESH_TOKEN_AUTH")["UserPoolClient"]
    cid = client["ClientId"]
    assert client.get("ClientSecret")
    d = aws("describe-user-pool-client", "--user-pool-id", pid, "--client-id", cid)["UserPoolClient"]
    assert d["ClientSecret"] == client["ClientSecret"]
    assert sorted(d["ExplicitAuthFlows"]) == ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]
    clients = aws("list-user-pool-clients", "--user-pool-id", pid, "--max-results", "10")
    assert [c["ClientId"] for c in clients["UserPoolClients"]] == [cid]
    u = aws("update-user-pool-client", "--user-pool-id", pid, "--client-id", cid,
            "--client-name", "cli-app-2", "--access-token-validity", "2")["UserPoolClient"]
    assert u["ClientName"] == "cli-app-2" and u["AccessTokenValidity"] == 2
    aws("delete-user-pool-client", "--user-pool-id", pid, "--client-id", cid)

    aws("delete-user-pool", "--user-pool-id", pid)
    p = aws("describe-user-pool", "--user-pool-id", pid, ok=False)
    assert "ResourceNotFoundException" in p.stderr, p.stderr


def test_cli_errors(aws):
    """A failing call exits non-zero with the error type in stderr (run in parallel: each
    aws-cli start costs ~2 s here)."""
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(2) as ex:
        unknown_key = ex.submit(aws, "list-user-pools", "--max-results", "10", ok=False,
                                creds=("AKIDUNKNOWNCLI000000", "x" * 40))
        bad_name = ex.submit(aws, "create-user-pool", "--pool-name", "bad/name", ok=False)
        assert "UnrecognizedClientException" in unknown_key.result().stderr, \
            unknown_key.result().stderr
        assert "InvalidParameterException" in bad_name.result().stderr, bad_name.result().stderr
