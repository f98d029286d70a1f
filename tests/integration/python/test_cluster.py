"""Issue 7: three Cognate nodes over one PostgreSQL behave as one service and survive faults.

Two clients run user journeys (sign-up, confirmation by the emailed code, password sign-in, SRP
sign-in, TOTP set-up and a TOTP sign-in, refresh, GetUser, then GlobalSignOut or RevokeToken),
each call going to the next node in turn, so every flow crosses nodes: an SRP or MFA challenge
started on one node is answered on another, and tokens are used on nodes that did not sign them.
Meanwhile one node is SIGKILLed and restarted, the pool's signing keys are rotated, and
PostgreSQL is restarted. Afterwards every acknowledged sign-up exists, every revoked token is
refused by every node, and every failed call overlaps an outage of its node or of the database.
"""

import base64
import itertools
import json
import os
import shutil
import tempfile
import threading
import time
import urllib.request
import uuid

import pytest
from botocore.exceptions import ClientError

from cluster_harness import Cluster, Outage, Postgres, Recorder, postgres_installed
from helpers_custom_auth import srp_claim, srp_start
from helpers_users import PASSWORD, find_messages
from totp import totp

pytestmark = pytest.mark.skipif(not postgres_installed(), reason="PostgreSQL is not installed")

MIN_JOURNEYS = 24
WORKERS = 2
STEP_DEADLINE = 60.0  # a step retried past this means the cluster did not recover
GRACE = 1.0           # seconds either side of an outage window (process and socket teardown)


@pytest.fixture(scope="module")
def cluster():
    # Under /tmp (not pytest's 0700 tree): as root the server runs as `postgres`.
    pg_dir = tempfile.mkdtemp(prefix="cognate-cluster-pg-")
    node_dir = tempfile.mkdtemp(prefix="cognate-cluster-")
    pg = Postgres(pg_dir)
    pg.start()
    c = Cluster(node_dir, pg)
    try:
        c.start()
        yield c
    finally:
        c.stop()
        pg.stop()
        if not os.environ.get("COGNATE_KEEP_DATA"):
            shutil.rmtree(pg_dir, ignore_errors=True)
            shutil.rmtree(node_dir, ignore_errors=True)


def kid_of(token):
    header = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kid"]


class Workload:
    def __init__(self, cluster, recorder, pool_id, client_id):
        self.cluster = cluster
        self.rec = recorder
        self.pool_id = pool_id
        self.client_id = client_id
        self.turn = itertools.count()
        self.lock = threading.Lock()
        self.acknowledged = set()
        self.revoked = []  # (username, access tokens, refresh token)
        self.kids = set()
        self.errors = []

    @property
    def size(self):
        return len(self.cluster.nodes)

    def next_node(self):
        with self.lock:
            return next(self.turn) % self.size

    def api(self, node, op, **kwargs):
        return self.rec.call(node, getattr(self.cluster.clients[node], op), **kwargs)

    def step(self, fn, settle=None):
        """fn(node) on the next node, moving on while calls fail for an outage. A refusal after
        an outage is accepted when settle() shows the first try took effect (its answer was
        lost), since retrying a step that already happened cannot succeed again."""
        deadline = time.monotonic() + STEP_DEADLINE
        had_outage = False
        while True:
            try:
                return fn(self.next_node())
            except Outage:
                had_outage = True
            except ClientError:
                if had_outage and settle is not None and settle():
                    return None
                raise
            if time.monotonic() > deadline:
                raise AssertionError(f"a step kept failing for {STEP_DEADLINE} s")
            time.sleep(0.2)

    def status(self, username):
        def get(n):
            try:
                return self.api(n, "admin_get_user", UserPoolId=self.pool_id,
                                Username=username)["UserStatus"]
            except ClientError as e:
                if e.response["Error"]["Code"] == "UserNotFoundException":
                    return None
                raise
        return self.step(get)

    def latest_code(self, username):
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            found = [m for node in self.cluster.nodes
                     for m in find_messages(node, pool_id=self.pool_id, username=username)]
            if found:
                return max(found, key=lambda m: m["time"])["code"]
            time.sleep(0.05)
        return None  # the node that signed the user up died before writing its outbox

    def password_auth(self, node, username):
        return self.api(node, "initiate_auth", ClientId=self.client_id,
                        AuthFlow="USER_PASSWORD_AUTH",
                        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD})

    def refused(self, node, op, **kwargs):
        try:
            self.api(node, op, **kwargs)
        except ClientError as e:
            return e.response["Error"]["Code"] == "NotAuthorizedException"
        return False

    def journey(self, j):
        name = f"c{j}-{uuid.uuid4().hex[:8]}"

        def sign_up(n):
            self.api(n, "sign_up", ClientId=self.client_id, Username=name, Password=PASSWORD,
                     UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}])
        self.step(sign_up, settle=lambda: self.status(name) is not None)
        with self.lock:
            self.acknowledged.add(name)

        code = self.latest_code(name)

        def confirm(n):
            if code is None:
                self.api(n, "admin_confirm_sign_up", UserPoolId=self.pool_id, Username=name)
            else:
                self.api(n, "confirm_sign_up", ClientId=self.client_id, Username=name,
                         ConfirmationCode=code)
        self.step(confirm, settle=lambda: self.status(name) == "CONFIRMED")

        tokens = self.step(lambda n: self.password_auth(n, name))["AuthenticationResult"]

        def srp_sign_in(n):
            ephemeral, params = srp_start(name)
            started = self.api(n, "initiate_auth", ClientId=self.client_id,
                               AuthFlow="USER_SRP_AUTH",
                               AuthParameters={"USERNAME": name, "SRP_A": params["SRP_A"]})
            assert started["ChallengeName"] == "PASSWORD_VERIFIER", started
            extra = {"Session": started["Session"]} if started.get("Session") else {}
            # The proof goes to another node than the one holding the challenge.
            return self.api((n + 1) % self.size, "respond_to_auth_challenge",
                            ClientId=self.client_id, ChallengeName="PASSWORD_VERIFIER",
                            ChallengeResponses=srp_claim(self.pool_id, PASSWORD, ephemeral,
                                                         started["ChallengeParameters"]),
                            **extra)
        srp_tokens = self.step(srp_sign_in)["AuthenticationResult"]
        access_tokens = [tokens["AccessToken"], srp_tokens["AccessToken"]]

        if j % 2 == 0:
            tokens = self.totp_sign_in(name, tokens["AccessToken"])
            access_tokens.append(tokens["AccessToken"])

        refreshed = self.step(lambda n: self.api(
            n, "initiate_auth", ClientId=self.client_id, AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]}))["AuthenticationResult"]
        access_tokens.append(refreshed["AccessToken"])
        for _ in range(self.size):  # one GetUser on each node, in turn
            got = self.step(lambda n: self.api(n, "get_user",
                                               AccessToken=refreshed["AccessToken"]))
            assert got["Username"] == name
        with self.lock:
            self.kids.update(kid_of(t) for t in access_tokens)

        if j % 2 == 0:
            self.step(lambda n: self.api(n, "global_sign_out",
                                         AccessToken=refreshed["AccessToken"]),
                      settle=lambda: self.refused(0, "get_user",
                                                  AccessToken=refreshed["AccessToken"]))
            revoked_access = access_tokens
        else:
            # RevokeToken revokes the refresh token and the access tokens made from it.
            self.step(lambda n: self.api(n, "revoke_token", ClientId=self.client_id,
                                         Token=tokens["RefreshToken"]))
            revoked_access = [refreshed["AccessToken"]]
        with self.lock:
            self.revoked.append((name, revoked_access, tokens["RefreshToken"]))

    def totp_sign_in(self, name, access_token):
        def associate(n):
            secret = self.api(n, "associate_software_token",
                              AccessToken=access_token)["SecretCode"]
            # The previous step's code, so the sign-in below can use the current one.
            self.api((n + 1) % self.size, "verify_software_token", AccessToken=access_token,
                     UserCode=totp(secret, time.time() - 30))
            return secret
        secret = self.step(associate)
        self.step(lambda n: self.api(
            n, "set_user_mfa_preference", AccessToken=access_token,
            SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}))
        attempts = itertools.count()

        def mfa(n):
            started = self.password_auth(n, name)
            assert started["ChallengeName"] == "SOFTWARE_TOKEN_MFA", started
            # A retry may follow a first answer that was accepted but lost: use the next step.
            ahead = 30 if next(attempts) else 0
            return self.api((n + 1) % self.size, "respond_to_auth_challenge",
                            ClientId=self.client_id, ChallengeName="SOFTWARE_TOKEN_MFA",
                            Session=started["Session"],
                            ChallengeResponses={"USERNAME": name, "SOFTWARE_TOKEN_MFA_CODE":
                                                totp(secret, time.time() + ahead)})
        return self.step(mfa)["AuthenticationResult"]

    def run(self, chaos_done):
        journeys = itertools.count()

        def worker():
            while True:
                j = next(journeys)
                if j >= MIN_JOURNEYS and chaos_done.is_set():
                    return
                try:
                    self.journey(j)
                except Exception as e:  # reported by the test, with the journey number
                    with self.lock:
                        self.errors.append(f"journey {j}: {e!r}")
                    return
        threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
        for t in threads:
            t.start()
        return threads


def chaos(cluster, recorder, pool_id, done, notes):
    try:
        time.sleep(2)
        victim = cluster.nodes[1]
        with recorder.window(1, "SIGKILL node 1 and restart it"):
            victim.kill()
            time.sleep(1)
            victim.start()
        time.sleep(1)
        notes["rotation"] = cluster.rotate_keys(pool_id, publish_ahead=2)
        time.sleep(1)
        with recorder.window(None, "restart PostgreSQL"):
            cluster.postgres.restart(down_seconds=1.5)
        time.sleep(3)  # traffic after the restart, signed by the rotated keys
    except Exception as e:
        notes["error"] = repr(e)
    finally:
        done.set()


def test_three_nodes_survive_a_node_kill_and_a_database_restart(cluster):
    admin = cluster.clients[0]
    pool_id = admin.create_user_pool(PoolName="cluster", AutoVerifiedAttributes=["email"],
                                     MfaConfiguration="OFF")["UserPool"]["Id"]
    admin.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OPTIONAL",
                                   SoftwareTokenMfaConfiguration={"Enabled": True})
    client_id = admin.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH",
                           "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]["ClientId"]
    jwks_url = f"{cluster.nodes[2].endpoint}/{pool_id}/.well-known/jwks.json"
    old_kids = {k["kid"] for k in json.loads(urllib.request.urlopen(jwks_url).read())["keys"]}

    recorder = Recorder()
    work = Workload(cluster, recorder, pool_id, client_id)
    chaos_done = threading.Event()
    notes = {}
    chaos_thread = threading.Thread(target=chaos,
                                    args=(cluster, recorder, pool_id, chaos_done, notes))
    threads = work.run(chaos_done)
    chaos_thread.start()
    chaos_thread.join(180)
    for t in threads:
        t.join(240)
    assert "error" not in notes, notes
    assert not work.errors, "\n".join(work.errors) + "\n" + cluster.nodes[1].log_tail(20)
    assert len(recorder.windows) == 2

    # Every failed call overlapped an outage of its node or of the database.
    assert recorder.unexplained(GRACE) == [], (recorder.windows, recorder.unexplained(GRACE))
    outage_failures = [f for f in recorder.failures if f[3] == "outage"]
    # They failed fast, and a node that was up answered InternalErrorException (HTTP 500) while
    # the database was away, rather than hanging or dropping the connection.
    assert all(end - start < 5 for start, end, *_ in outage_failures), outage_failures
    kill_start, kill_end = next((s, e) for s, e, n, _ in recorder.windows if n == 1)
    for start, end, node, _, detail in outage_failures:
        if node != 1 or end < kill_start - GRACE or start > kill_end + GRACE:
            assert detail.startswith("InternalErrorException"), detail

    # Every acknowledged sign-up exists, confirmed, on every node.
    assert len(work.acknowledged) >= MIN_JOURNEYS
    for name in work.acknowledged:
        for n in range(len(cluster.nodes)):
            user = cluster.clients[n].admin_get_user(UserPoolId=pool_id, Username=name)
            assert user["UserStatus"] == "CONFIRMED", (name, n, user)

    # Every revoked token is refused by every node.
    for name, access_tokens, refresh_token in work.revoked:
        for n, c in enumerate(cluster.clients):
            for token in access_tokens:
                with pytest.raises(ClientError) as e:
                    c.get_user(AccessToken=token)
                assert e.value.response["Error"]["Code"] == "NotAuthorizedException", (name, n)
            with pytest.raises(ClientError) as e:
                c.initiate_auth(ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                                AuthParameters={"REFRESH_TOKEN": refresh_token})
            assert e.value.response["Error"]["Code"] == "NotAuthorizedException", (name, n)

    # The rotation was used: tokens signed by the new key were accepted by every node (above,
    # each access token passed GetUser on all three), and the old keys still verify.
    new_kids = work.kids - old_kids
    assert new_kids, (notes.get("rotation"), work.kids, old_kids)
    assert work.kids & old_kids
    print(f"\ncluster: {recorder.calls} calls, {len(work.acknowledged)} users, "
          f"{len(outage_failures)} failures inside outage windows "
          f"{[(round(e - s, 2), what) for s, e, _, what in recorder.windows]}")


def test_lockout_codes_and_client_changes_are_shared(cluster):
    """Failed sign-ins counted on every node lock the user out everywhere; a code spent on one
    node is spent on all; a client change made on one node holds on the others at once."""
    c = cluster.clients
    pool_id = c[0].create_user_pool(PoolName="shared", AutoVerifiedAttributes=["email"])[
        "UserPool"]["Id"]
    client_id = c[1].create_user_pool_client(
        UserPoolId=pool_id, ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])[
        "UserPoolClient"]["ClientId"]
    name = f"shared-{uuid.uuid4().hex[:8]}"
    c[2].admin_create_user(UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS",
                           UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"},
                                           {"Name": "email_verified", "Value": "true"}])
    c[0].admin_set_user_password(UserPoolId=pool_id, Username=name, Password=PASSWORD,
                                 Permanent=True)

    def sign_in(node, password):
        return c[node].initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                                     AuthParameters={"USERNAME": name, "PASSWORD": password})

    def error_of(fn, *args, **kwargs):
        with pytest.raises(ClientError) as e:
            fn(*args, **kwargs)
        return e.value.response["Error"]["Code"], e.value.response["Error"]["Message"]

    # Five wrong passwords, spread over the nodes, then the right one on each node: locked out.
    for i in range(5):
        assert error_of(sign_in, i % 3, "Wrong-Passw0rd!")[0] == "NotAuthorizedException"
    for node in range(3):
        assert error_of(sign_in, node, PASSWORD) == ("NotAuthorizedException",
                                                      "Password attempts exceeded")
    time.sleep(1.2)  # the first lockout lasts one second
    assert "AuthenticationResult" in sign_in(1, PASSWORD)

    # A reset code sent by one node, spent on another, is refused by the third.
    c[0].forgot_password(ClientId=client_id, Username=name)
    code = None
    for _ in range(100):
        found = [m for n in cluster.nodes
                 for m in find_messages(n, pool_id=pool_id, username=name)]
        if found:
            code = max(found, key=lambda m: m["time"])["code"]
            break
        time.sleep(0.05)
    assert code
    c[1].confirm_forgot_password(ClientId=client_id, Username=name, ConfirmationCode=code,
                                 Password="N3w-Passw0rd!")
    assert error_of(c[2].confirm_forgot_password, ClientId=client_id, Username=name,
                    ConfirmationCode=code, Password="An0ther-Passw0rd!")[0] in (
        "CodeMismatchException", "ExpiredCodeException")
    assert "AuthenticationResult" in sign_in(2, "N3w-Passw0rd!")

    # The password flow taken off the client on one node is refused by the others at once.
    c[0].update_user_pool_client(UserPoolId=pool_id, ClientId=client_id,
                                 ExplicitAuthFlows=["ALLOW_REFRESH_TOKEN_AUTH"])
    for node in (1, 2):
        code_, _ = error_of(sign_in, node, "N3w-Passw0rd!")
        assert code_ == "InvalidParameterException", code_
