"""Profile data encrypted at rest: users written with known emails, phone numbers, names and a
TOTP secret leave none of them in the raw database files; sign-in by email still works; and
`cognate rotate-master-key` (while the server runs, and in the two-step --keep-old /
--retire-old form) keeps every user able to sign in, while the retired key opens nothing."""

import base64
import os
import secrets
import subprocess
import time

import pytest

from cognate_server import cognate_bin
from helpers import boto_client
from helpers_users import PASSWORD, attrs, make_client, make_pool, sign_in, tokens
from totp import totp

FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def marker(prefix):
    # Unlikely to occur in a database by chance, so finding it means it was stored in clear.
    return f"{prefix}{secrets.token_hex(6)}"


def rotate_master(data_dir, *args, env=None):
    return subprocess.run([str(cognate_bin()), "rotate-master-key", "--data", data_dir, *args],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})


def trigger_secret(data_dir, pool_id):
    out = subprocess.run([str(cognate_bin()), "trigger-secret", "--data", data_dir, pool_id],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def database_bytes(data_dir):
    """Every file the store keeps (the database, its WAL and shared memory)."""
    blob = b""
    for name in os.listdir(data_dir):
        if name.startswith("cognate.db"):
            with open(os.path.join(data_dir, name), "rb") as f:
                blob += f.read()
    return blob


class Population:
    """Two pools (email as username; email and phone as aliases) with users whose personal
    attributes are all distinct markers."""

    def __init__(self, cognito):
        self.cognito = cognito
        self.by_email_pool = make_pool(cognito, UsernameAttributes=["email"],
                                       Schema=[{"Name": "tier", "AttributeDataType": "String",
                                                "Mutable": True}])
        cognito.set_user_pool_mfa_config(UserPoolId=self.by_email_pool,
                                         SoftwareTokenMfaConfiguration={"Enabled": True},
                                         MfaConfiguration="OPTIONAL")
        self.alias_pool = make_pool(cognito, AliasAttributes=["email", "phone_number"])
        self.by_email_client = make_client(cognito, self.by_email_pool, FLOWS)["ClientId"]
        self.alias_client = make_client(cognito, self.alias_pool, FLOWS)["ClientId"]
        self.secrets = []   # every string that must not be found in the database
        self.email_users = []  # emails that sign in to by_email_pool
        self.alias_users = []  # (username, email, phone) of alias_pool
        self.mfa_email = None  # the user with TOTP

    def personal(self):
        email = marker("mail") + "@example.com"
        phone = "+1555" + str(secrets.randbelow(10**7)).zfill(7)
        values = {"email": email, "phone_number": phone, "given_name": marker("given"),
                  "family_name": marker("family"), "address": marker("street"),
                  "birthdate": "19" + str(secrets.randbelow(90) + 10) + "-0" +
                               str(secrets.randbelow(9) + 1) + "-1" + str(secrets.randbelow(9))}
        self.secrets += [email, email.split("@")[0], phone, values["given_name"],
                         values["family_name"], values["address"]]
        return values

    def add_email_user(self):
        values = self.personal()
        tier = marker("tier")
        self.secrets.append(tier)
        self.cognito.admin_create_user(
            UserPoolId=self.by_email_pool, Username=values["email"],
            UserAttributes=attrs({**values, "email_verified": "true", "custom:tier": tier}),
            MessageAction="SUPPRESS")
        self.cognito.admin_set_user_password(UserPoolId=self.by_email_pool,
                                             Username=values["email"], Password=PASSWORD,
                                             Permanent=True)
        self.email_users.append(values["email"])

    def add_alias_user(self):
        values = self.personal()
        username = marker("user")
        self.cognito.admin_create_user(
            UserPoolId=self.alias_pool, Username=username,
            UserAttributes=attrs({**values, "email_verified": "true",
                                  "phone_number_verified": "true"}),
            MessageAction="SUPPRESS")
        self.cognito.admin_set_user_password(UserPoolId=self.alias_pool, Username=username,
                                             Password=PASSWORD, Permanent=True)
        self.alias_users.append((username, values["email"], values["phone_number"]))

    def check_sign_ins(self, cognito):
        """Every user signs in by email (and alias users by phone); profiles read back."""
        for email in self.email_users:
            if email == self.mfa_email:  # password accepted; the TOTP is checked on its own
                started = sign_in(cognito, self.by_email_client, email)
                assert started["ChallengeName"] == "SOFTWARE_TOKEN_MFA", started
                continue
            access = tokens(cognito, self.by_email_client, email)["AccessToken"]
            got = {a["Name"]: a["Value"] for a in cognito.get_user(AccessToken=access)
                   ["UserAttributes"]}
            assert got["email"] == email
        for username, email, phone in self.alias_users:
            tokens(cognito, self.alias_client, email)
            tokens(cognito, self.alias_client, phone)
            got = {a["Name"]: a["Value"] for a in cognito.admin_get_user(
                UserPoolId=self.alias_pool, Username=username)["UserAttributes"]}
            assert (got["email"], got["phone_number"]) == (email, phone)


def register_totp(cognito, pool):
    email = pool.email_users[0]
    access = tokens(cognito, pool.by_email_client, email)["AccessToken"]
    secret = cognito.associate_software_token(AccessToken=access)["SecretCode"]
    # The previous step's code, so later sign-ins can use the current and next ones.
    cognito.verify_software_token(AccessToken=access, UserCode=totp(secret, time.time() - 30))
    cognito.set_user_mfa_preference(AccessToken=access, SoftwareTokenMfaSettings={
        "Enabled": True, "PreferredMfa": True})
    pool.mfa_email = email
    return email, secret


def totp_sign_in(cognito, client_id, email, secret, at):
    started = cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                                    AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD})
    assert started["ChallengeName"] == "SOFTWARE_TOKEN_MFA", started
    done = cognito.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="SOFTWARE_TOKEN_MFA", Session=started["Session"],
        ChallengeResponses={"USERNAME": email, "SOFTWARE_TOKEN_MFA_CODE": totp(secret, at)})
    assert "AccessToken" in done["AuthenticationResult"]


def test_no_personal_data_or_totp_secret_in_the_database_file(start_server):
    server = start_server()
    cognito = boto_client(server)
    pool = Population(cognito)
    for _ in range(3):
        pool.add_email_user()
        pool.add_alias_user()
    email, secret = register_totp(cognito, pool)
    # An attribute update goes through the sealing path too.
    new_email = marker("changed") + "@example.com"
    pool.secrets.append(new_email)
    username, _, phone = pool.alias_users[0]
    cognito.admin_update_user_attributes(
        UserPoolId=pool.alias_pool, Username=username,
        UserAttributes=attrs({"email": new_email, "email_verified": "true"}))
    pool.alias_users[0] = (username, new_email, phone)
    pool.check_sign_ins(cognito)
    server.stop()

    raw = database_bytes(server.data_dir)
    assert len(raw) > 10000
    for needle in pool.secrets:
        assert needle.encode() not in raw, f"{needle} is stored in clear"
        assert needle.lower().encode() not in raw
    assert secret.encode() not in raw
    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) not in raw
    # The usernames (identifiers, not profile data) are stored as they are: the check above is
    # not vacuous.
    assert username.encode() in raw

    server.start()
    pool.check_sign_ins(cognito)
    totp_sign_in(cognito, pool.by_email_client, email, secret, time.time())


def test_rotating_the_master_key_keeps_every_user_signing_in(start_server):
    server = start_server()
    cognito = boto_client(server)
    pool = Population(cognito)
    pool.add_email_user()
    pool.add_alias_user()
    email, secret = register_totp(cognito, pool)
    with open(os.path.join(server.data_dir, "master.key")) as f:
        old_key = f.read().strip()
    secret_before = trigger_secret(server.data_dir, pool.by_email_pool)

    out = rotate_master(server.data_dir)
    assert out.returncode == 0, out.stderr
    assert "re-wrapped 2 data keys" in out.stdout, out.stdout
    with open(os.path.join(server.data_dir, "master.key")) as f:
        assert f.read().strip() != old_key
    # The running server goes on with the keys it unwrapped at start: no downtime.
    pool.check_sign_ins(cognito)
    pool.add_email_user()

    server.stop()
    server.start()
    pool.check_sign_ins(cognito)
    totp_sign_in(cognito, pool.by_email_client, email, secret, time.time())
    # Derived keys come from data key k0, not from the master key: trigger receivers keep
    # their secret.
    assert trigger_secret(server.data_dir, pool.by_email_pool) == secret_before

    # The old key no longer opens the store: the server refuses to start with it.
    server.stop()
    server.extra_env = {"COGNATE_MASTER_KEY": old_key}
    with pytest.raises(Exception):
        server.start(timeout=10)
    assert "does not open this store's data keys" in server.log_text()
    server.extra_env = {}
    server.start()
    pool.check_sign_ins(cognito)


def test_two_step_rotation_for_a_cluster(start_server, tmp_path):
    server = start_server()
    cognito = boto_client(server)
    pool = Population(cognito)
    pool.add_alias_user()
    new_key = base64.b64encode(secrets.token_bytes(32)).decode()
    key_file = tmp_path / "new.key"
    key_file.write_text(new_key + "\n")

    out = rotate_master(server.data_dir, "--new-key-file", str(key_file), "--keep-old")
    assert out.returncode == 0, out.stderr
    # Both keys open the store while nodes move over: the file's old key, and the new one.
    server.stop()
    server.start()
    pool.check_sign_ins(cognito)
    server.stop()
    server.extra_env = {"COGNATE_MASTER_KEY": new_key}
    server.start()
    pool.check_sign_ins(cognito)

    # Every node is on the new key: retire the old one (run with the new key).
    out = rotate_master(server.data_dir, "--retire-old", env={"COGNATE_MASTER_KEY": new_key})
    assert out.returncode == 0, out.stderr
    assert "removed 2 wrappings" in out.stdout, out.stdout
    pool.check_sign_ins(cognito)
    server.stop()
    server.extra_env = {}
    with pytest.raises(Exception):
        server.start(timeout=10)  # master.key still holds the old key
    server.extra_env = {"COGNATE_MASTER_KEY": new_key}
    server.start()
    pool.check_sign_ins(cognito)


def test_rotation_refusals(start_server, tmp_path):
    server = start_server()
    empty = tmp_path / "empty"
    empty.mkdir()
    no_key = rotate_master(str(empty))
    assert no_key.returncode == 1 and "no master key" in no_key.stderr
    assert not (empty / "master.key").exists()
    with open(os.path.join(server.data_dir, "master.key")) as f:
        current = f.read().strip()
    # With the key from the environment there is no file to write the new key to.
    from_env = rotate_master(server.data_dir, env={"COGNATE_MASTER_KEY": current})
    assert from_env.returncode == 1 and "--new-key-file" in from_env.stderr
    same = tmp_path / "same.key"
    same.write_text(current + "\n")
    assert rotate_master(server.data_dir, "--new-key-file", str(same)).returncode == 1
    bad = tmp_path / "bad.key"
    bad.write_text("not base64 of 32 bytes\n")
    out = rotate_master(server.data_dir, "--new-key-file", str(bad))
    assert out.returncode == 1 and "malformed" in out.stderr
    assert rotate_master(server.data_dir, "--keep-old", "--retire-old").returncode == 2
