"""`cognate rotate-keys`: new signing keys published at once, signing from --publish-ahead
seconds later, old keys still verifying; refusals for a pool that does not exist and a data
directory without the master key. (Across nodes it runs in test_cluster.py.)"""

import base64
import json
import subprocess
import time
import urllib.request

from cognate_server import cognate_bin
from helpers import boto_client
from helpers_users import make_client, make_pool, signup_confirmed, tokens


def rotate(*args):
    return subprocess.run([str(cognate_bin()), "rotate-keys", *args], capture_output=True,
                          text=True, timeout=60)


def kids(server, pool_id):
    url = f"{server.endpoint}/{pool_id}/.well-known/jwks.json"
    return [k["kid"] for k in json.loads(urllib.request.urlopen(url).read())["keys"]]


def kid_of(token):
    header = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kid"]


def test_rotation_publishes_first_then_signs_and_old_tokens_stay_valid(start_server):
    server = start_server()
    cognito = boto_client(server)
    pool_id = make_pool(cognito)
    client_id = make_client(cognito, pool_id)["ClientId"]
    username, _ = signup_confirmed(cognito, pool_id, client_id)
    before = tokens(cognito, client_id, username)
    old_kids = kids(server, pool_id)
    assert len(old_kids) == 2

    out = rotate("--data", server.data_dir, "--publish-ahead", "3", pool_id)
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("published now, signs from") == 2, out.stdout
    time.sleep(1.2)  # the server re-reads a pool's keys every second
    published = kids(server, pool_id)
    assert len(published) == 4 and set(old_kids) < set(published)
    new_kids = set(published) - set(old_kids)

    # Published but not yet signing.
    early = tokens(cognito, client_id, username)
    assert kid_of(early["AccessToken"]) in old_kids
    assert kid_of(early["IdToken"]) in old_kids
    time.sleep(3)
    late = tokens(cognito, client_id, username)
    assert kid_of(late["AccessToken"]) in new_kids
    assert kid_of(late["IdToken"]) in new_kids
    assert kid_of(late["AccessToken"]) != kid_of(late["IdToken"])

    # Tokens signed by either generation verify.
    for t in (before, late):
        assert cognito.get_user(AccessToken=t["AccessToken"])["Username"] == username


def test_rotation_refuses_unknown_pools_and_a_missing_master_key(start_server, tmp_path):
    server = start_server()
    missing = rotate("--data", server.data_dir, "us-east-1_NoSuchPool")
    assert missing.returncode == 1
    assert "no user pool us-east-1_NoSuchPool" in missing.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    no_key = rotate("--data", str(empty), "us-east-1_Whatever")
    assert no_key.returncode == 1
    assert "no master key" in no_key.stderr
    assert not (empty / "master.key").exists()  # never creates one
    usage = rotate("--data", server.data_dir)
    assert usage.returncode == 2
