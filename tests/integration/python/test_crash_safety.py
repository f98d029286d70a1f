"""Crash safety (issue 8): SIGKILL the server in the middle of a write-heavy workload (sign-ups,
attribute updates, sign-ins), restart it on the same data, and find every acknowledged write:
each signed-up user exists, each user's attribute is at least the last acknowledged value, each
acknowledged sign-in's refresh token still works, and SQLite's integrity check passes. Three
rounds on the same data, so later rounds also check what earlier crashes left."""

import os
import sqlite3
import threading
import time

from botocore.exceptions import BotoCoreError, ClientError

from helpers import boto_client, unique
from helpers_users import PASSWORD, make_client, make_pool

ROUNDS = 3
WORKERS = 4
LOAD_SECONDS = 1.5


class Ledger:
    """What the server acknowledged, per user."""

    def __init__(self):
        self.lock = threading.Lock()
        self.users = set()
        self.counter = {}     # username -> last acknowledged value of custom:n
        self.refresh = {}     # username -> a refresh token from an acknowledged sign-in


def worker(cognito, pool_id, client_id, ledger, stop, index):
    n = 0
    while not stop.is_set():
        name = f"crash-{index}-{unique('u')}"
        try:
            cognito.sign_up(ClientId=client_id, Username=name, Password=PASSWORD,
                            UserAttributes=[{"Name": "custom:n", "Value": "0"}])
            with ledger.lock:
                ledger.users.add(name)
                ledger.counter[name] = 0
            cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username=name)
            for value in range(1, 4):
                cognito.admin_update_user_attributes(
                    UserPoolId=pool_id, Username=name,
                    UserAttributes=[{"Name": "custom:n", "Value": str(value)}])
                with ledger.lock:
                    ledger.counter[name] = value
            result = cognito.initiate_auth(
                ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": name, "PASSWORD": PASSWORD})["AuthenticationResult"]
            with ledger.lock:
                ledger.refresh[name] = result["RefreshToken"]
            n += 1
        except (ClientError, BotoCoreError):
            if stop.is_set():
                return
            time.sleep(0.05)  # the server went away: wait for the stop


def check(cognito, pool_id, client_id, ledger):
    found = {}
    token = None
    while True:
        page = cognito.list_users(UserPoolId=pool_id, Limit=60,
                                  **({"PaginationToken": token} if token else {}))
        for u in page["Users"]:
            attrs = {a["Name"]: a["Value"] for a in u.get("Attributes", [])}
            found[u["Username"]] = int(attrs.get("custom:n", "-1"))
        token = page.get("PaginationToken")
        if not token:
            break
    missing = ledger.users - set(found)
    assert not missing, f"acknowledged sign-ups lost: {sorted(missing)[:5]}"
    behind = {u: (found[u], v) for u, v in ledger.counter.items() if found[u] < v}
    assert not behind, f"acknowledged attribute updates lost: {list(behind.items())[:5]}"
    for name, refresh in ledger.refresh.items():
        r = cognito.initiate_auth(ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                                  AuthParameters={"REFRESH_TOKEN": refresh})
        assert "AccessToken" in r["AuthenticationResult"], name


def integrity(data_dir):
    db = sqlite3.connect(os.path.join(data_dir, "cognate.db"))
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def test_sigkill_during_writes_loses_nothing_acknowledged(start_server):
    server = start_server()
    cognito = boto_client(server)
    pool_id = make_pool(cognito, Schema=[{"Name": "n", "AttributeDataType": "Number",
                                          "Mutable": True}])
    client_id = make_client(cognito, pool_id)["ClientId"]
    ledger = Ledger()
    for round_ in range(ROUNDS):
        stop = threading.Event()
        threads = [threading.Thread(target=worker,
                                    args=(cognito, pool_id, client_id, ledger, stop, i))
                   for i in range(WORKERS)]
        for t in threads:
            t.start()
        time.sleep(LOAD_SECONDS)
        server.kill()  # SIGKILL while the workers are writing
        stop.set()
        for t in threads:
            t.join(30)
        server.start()
        cognito = boto_client(server)
        check(cognito, pool_id, client_id, ledger)
        print(f"round {round_ + 1}: {len(ledger.users)} users, "
              f"{len(ledger.refresh)} sign-ins acknowledged so far")
    assert len(ledger.users) >= 3 * ROUNDS, "the workload wrote too little to prove anything"
    server.stop()
    assert integrity(server.data_dir) == "ok"
