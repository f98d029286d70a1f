"""`cognate users export` / `cognate users import`: users move between two Cognate servers with
their passwords, subs, attributes and status; bcrypt (Debian's python3-bcrypt) and PBKDF2
(Python's hashlib) hashes made by other tools sign in after import and are upgraded to Argon2id
at that first sign-in, after which SRP works too; bad lines are reported and skipped."""

import base64
import hashlib
import json
import secrets
import subprocess

import bcrypt
import pytest
from botocore.exceptions import ClientError

from cognate_server import cognate_bin
from helpers import boto_client
from helpers_custom_auth import srp_claim, srp_start
from helpers_users import PASSWORD, attrs, make_client, make_pool, signup_confirmed, tokens

FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def users_cli(server, action, pool_id, *extra, stdin=None):
    return subprocess.run([str(cognate_bin()), "users", action, "--data", server.data_dir,
                           pool_id, *extra], input=stdin, capture_output=True, text=True,
                          timeout=120)


def export(server, pool_id):
    out = users_cli(server, "export", pool_id)
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


def claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def srp_sign_in(cognito, pool_id, client_id, username, password):
    ephemeral, params = srp_start(username)
    started = cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_SRP_AUTH",
                                    AuthParameters={"USERNAME": username,
                                                    "SRP_A": params["SRP_A"]})
    assert started["ChallengeName"] == "PASSWORD_VERIFIER", started
    return cognito.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="PASSWORD_VERIFIER",
        ChallengeResponses=srp_claim(pool_id, password, ephemeral, started["ChallengeParameters"]),
        **({"Session": started["Session"]} if started.get("Session") else {}))


def same_pool(cognito):
    pool_id = make_pool(cognito, AliasAttributes=["email"],
                        Schema=[{"Name": "plan", "AttributeDataType": "String", "Mutable": True}])
    return pool_id, make_client(cognito, pool_id, FLOWS)["ClientId"]


def test_users_move_between_servers_with_their_passwords(start_server):
    source, target = start_server(), start_server()
    a, b = boto_client(source), boto_client(target)
    pool_a, client_a = same_pool(a)
    people = {}
    for i in range(3):
        email = f"mover{i}-{secrets.token_hex(4)}@example.com"
        name, sub = signup_confirmed(a, pool_a, client_a, attributes={
            "email": email, "custom:plan": f"plan-{i}"})
        a.admin_update_user_attributes(UserPoolId=pool_a, Username=name,
                                       UserAttributes=attrs({"email_verified": "true"}))
        people[name] = (sub, email)
    disabled = next(iter(people))
    a.admin_disable_user(UserPoolId=pool_a, Username=disabled)

    lines = export(source, pool_a)
    assert len(lines) == 3
    for line in lines:
        assert line["PasswordHash"].startswith("$argon2id$")
        assert line["Sub"] == people[line["Username"]][0]
        assert line["Attributes"]["email"] == people[line["Username"]][1]
        assert "sub" not in line["Attributes"]

    pool_b, client_b = same_pool(b)
    out = users_cli(target, "import", pool_b, "-",
                    stdin="\n".join(json.dumps(line) for line in lines) + "\n")
    assert out.returncode == 0, out.stderr
    assert "imported 3 users, skipped 0, failed 0" in out.stderr
    for name, (sub, email) in people.items():
        if name == disabled:
            with pytest.raises(ClientError) as e:
                tokens(b, client_b, name)
            assert e.value.response["Error"]["Code"] == "NotAuthorizedException"
            continue
        # By username and by the verified email alias, with the same password and the same sub.
        for login in (name, email):
            assert claims(tokens(b, client_b, login)["IdToken"])["sub"] == sub
        user = {x["Name"]: x["Value"] for x in
                b.admin_get_user(UserPoolId=pool_b, Username=name)["UserAttributes"]}
        assert user["custom:plan"].startswith("plan-") and user["email"] == email
        srp_sign_in(b, pool_b, client_b, name, PASSWORD)
        with pytest.raises(ClientError):
            tokens(b, client_b, name, password="Wrong-Passw0rd!")

    # Importing the same file again skips everyone.
    again = users_cli(target, "import", pool_b, "-",
                      stdin="\n".join(json.dumps(line) for line in lines))
    assert again.returncode == 0 and "imported 0 users, skipped 3" in again.stderr


def django_pbkdf2(password, iterations=20000):
    salt = secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations)
    return f"pbkdf2_sha256${iterations}${salt}${base64.b64encode(digest).decode()}"


def test_hashes_from_other_tools_sign_in_and_are_upgraded(start_server):
    server = start_server()
    cognito = boto_client(server)
    pool_id, client_id = same_pool(cognito)
    hashes = {
        "from-bcrypt": bcrypt.hashpw(b"Bcrypt-Passw0rd!", bcrypt.gensalt(8)).decode(),
        "from-django": django_pbkdf2("Pbkdf2-Passw0rd!"),
    }
    passwords = {"from-bcrypt": "Bcrypt-Passw0rd!", "from-django": "Pbkdf2-Passw0rd!"}
    lines = [json.dumps({"Username": name, "PasswordHash": h,
                         "Attributes": {"email": f"{name}@example.com"}})
             for name, h in hashes.items()]
    out = users_cli(server, "import", pool_id, stdin="\n".join(lines))
    assert out.returncode == 0, out.stderr

    for name, password in passwords.items():
        # SRP needs a verifier, which only a sign-in with the password itself can make.
        with pytest.raises(ClientError):
            srp_sign_in(cognito, pool_id, client_id, name, password)
        with pytest.raises(ClientError) as e:
            tokens(cognito, client_id, name, password=password + "x")
        assert e.value.response["Error"]["Code"] == "NotAuthorizedException"
        tokens(cognito, client_id, name, password=password)
        srp_sign_in(cognito, pool_id, client_id, name, password)
    upgraded = {line["Username"]: line["PasswordHash"] for line in export(server, pool_id)}
    assert all(h.startswith("$argon2id$") for h in upgraded.values()), upgraded


def test_bad_lines_are_reported_and_skipped(start_server, tmp_path):
    server = start_server()
    cognito = boto_client(server)
    pool_id, client_id = same_pool(cognito)
    lines = [
        json.dumps({"Username": "good", "PasswordHash": django_pbkdf2(PASSWORD)}),
        "{not json",
        json.dumps({"Username": "weak", "PasswordHash": "$1$salt$md5crypt"}),
        json.dumps({"Username": "slow", "PasswordHash": django_pbkdf2(PASSWORD, 10_000_000)}),
        json.dumps({"Username": "odd", "Attributes": {"favourite_colour": "blue"}}),
        json.dumps({"Username": "bad-email", "Attributes": {"email": "not an address"}}),
        json.dumps({"PasswordHash": django_pbkdf2(PASSWORD)}),
        json.dumps({"Username": "nohash", "UserStatus": "CONFIRMED"}),
        json.dumps({"Username": "good", "PasswordHash": django_pbkdf2(PASSWORD)}),
    ]
    path = tmp_path / "users.jsonl"
    path.write_text("\n".join(lines) + "\n")
    out = users_cli(server, "import", pool_id, str(path))
    assert out.returncode == 1
    for n in (2, 3, 4, 5, 6, 7):
        assert f"line {n}:" in out.stderr, out.stderr
    assert "line 9: skipped" in out.stderr
    assert "imported 2 users, skipped 1, failed 6" in out.stderr
    tokens(cognito, client_id, "good")
    # No hash: the user must reset the password first, as after Cognito's import.
    with pytest.raises(ClientError) as e:
        tokens(cognito, client_id, "nohash", password="Anything-1!")
    assert e.value.response["Error"]["Code"] == "PasswordResetRequiredException"
    assert cognito.admin_get_user(UserPoolId=pool_id,
                                  Username="nohash")["UserStatus"] == "RESET_REQUIRED"
    # Wrong pool, missing master key.
    assert users_cli(server, "import", "us-east-1_NoSuchPool", stdin="").returncode == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    out = subprocess.run([str(cognate_bin()), "users", "export", "--data", str(empty), pool_id],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and "no master key" in out.stderr
