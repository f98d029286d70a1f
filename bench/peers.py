"""The servers of bench/suite.py other than Cognate: cognito-local (npm) and moto (Python),
started on a free port and preloaded with the suite's pool and users; plus what every server
under test shares: the pool definition, the user names and the Target record.

cognito-local is preloaded through its own storage format (a JSON file per pool), because its
API takes about 30 minutes for 10,000 users; moto keeps everything in memory, so it is preloaded
through its API, one call at a time (concurrent calls corrupt its state).
"""
import copy
import dataclasses
import json
import os
import signal
import subprocess
import time
import uuid

import benchlib
from auth_bench import client_for, install_peer
from srp_bench import PASSWORD

MOTO_PYTHON = "/root/.pyenv/versions/3.11.7/bin/python"
MOTO_VERSION = "5.2.1"
COGNITO_LOCAL_VERSION = "5.3.0"


@dataclasses.dataclass
class Target:
    """One running server under test, with its pool loaded."""
    label: str  # "Cognate 10k", "cognito-local", "moto"
    server: str  # cognate, cognito-local, moto
    port: int
    proc: subprocess.Popen
    pool_id: str
    client_id: str
    users: int
    m2m: tuple = None  # (client id, secret) of the client-credentials client, if any

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"


def username(i):
    return f"user-{i:07d}"


def user_attributes(i):
    return {"email": f"{username(i)}@example.com", "email_verified": "true"}


def make_pool(api, oauth):
    """The suite's pool (plain usernames, an email attribute), its public client and, with
    `oauth`, a domain, a resource server and a client-credentials client.
    Returns (pool id, public client id, (m2m id, m2m secret) or None)."""
    pool_id = api.create_user_pool(PoolName="suite")["UserPool"]["Id"]
    client_id = api.create_user_pool_client(
        UserPoolId=pool_id, ClientName="suite",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH",
                           "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]["ClientId"]
    m2m = None
    if oauth:
        c = benchlib.add_client_credentials(api, pool_id, "suite-bench")
        m2m = (c["ClientId"], c["ClientSecret"])
    return pool_id, client_id, m2m


def add_user(api, pool_id, i):
    api.admin_create_user(UserPoolId=pool_id, Username=username(i), MessageAction="SUPPRESS",
                          UserAttributes=[{"Name": k, "Value": v}
                                          for k, v in user_attributes(i).items()])
    api.admin_set_user_password(UserPoolId=pool_id, Username=username(i), Password=PASSWORD,
                                Permanent=True)


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def timed_start(argv, health_url, cwd=None, env=None):
    """(process, ms from spawn to the first HTTP answer)."""
    began = time.monotonic()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    benchlib.wait_ready(health_url, proc, seconds=120)
    return proc, (time.monotonic() - began) * 1000


# cognito-local ----------------------------------------------------------------------------

def _start_cognito_local(run_dir, port):
    env = dict(os.environ, PORT=str(port), HOST="127.0.0.1")
    return timed_start(["node", install_peer()], f"http://127.0.0.1:{port}/health", run_dir, env)


def _replicate_users(pool_file, users):
    """Copies the one user record of `pool_file` to `users` users (its own name, sub and email;
    the same clear-text password)."""
    db = json.load(open(pool_file))
    seed = db["Users"][username(0)]
    seed.pop("RefreshTokens", None)
    for i in range(1, users):
        user = copy.deepcopy(seed)
        user["Username"] = username(i)
        values = dict(user_attributes(i), sub=str(uuid.uuid4()))
        user["Attributes"] = [{"Name": a["Name"], "Value": values.get(a["Name"], a["Value"])}
                              for a in user["Attributes"]]
        db["Users"][username(i)] = user
    with open(pool_file, "w") as f:
        json.dump(db, f, indent=2)


def start_cognito_local(users, workdir):
    """A cognito-local with `users` users; (target, preload info)."""
    run_dir = os.path.join(workdir, "cognito-local")
    os.makedirs(os.path.join(run_dir, ".cognito"))
    # Its default pool config makes the email the username; the suite's pool has plain names.
    with open(os.path.join(run_dir, ".cognito", "config.json"), "w") as f:
        json.dump({"UserPoolDefaults": {"UsernameAttributes": []}}, f)
    port = benchlib.free_port()
    began = time.monotonic()
    proc, _ = _start_cognito_local(run_dir, port)
    try:
        api = client_for(f"http://127.0.0.1:{port}")
        pool_id, client_id, _ = make_pool(api, oauth=False)
        add_user(api, pool_id, 0)
    finally:
        stop(proc)
    _replicate_users(os.path.join(run_dir, ".cognito", "db", f"{pool_id}.json"), users)
    seconds = time.monotonic() - began
    starts = []
    for _ in range(3):
        proc, ms = _start_cognito_local(run_dir, port)
        starts.append(ms)
        if len(starts) < 3:
            stop(proc)
    target = Target("cognito-local", "cognito-local", port, proc, pool_id, client_id, users)
    preload = {"method": "its own storage: one user through the API, then the pool file's user "
                         "record copied to every user (clear-text password), then a restart",
               "seconds": seconds, "users_per_s": users / seconds, "startup_ms": starts}
    return target, preload


# moto -------------------------------------------------------------------------------------

def start_moto(users, workdir):
    """A moto server with `users` users, preloaded through its API; (target, preload info)."""
    port = benchlib.free_port()
    starts = []
    for _ in range(3):  # nothing survives a restart: time empty starts, keep the last server
        proc, ms = timed_start([MOTO_PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p",
                                str(port)], f"http://127.0.0.1:{port}/moto-api/")
        starts.append(ms)
        if len(starts) < 3:
            stop(proc)
    try:
        api = client_for(f"http://127.0.0.1:{port}")
        began = time.monotonic()
        pool_id, client_id, _ = make_pool(api, oauth=False)
        for i in range(users):
            add_user(api, pool_id, i)
        seconds = time.monotonic() - began
    except BaseException:
        stop(proc)
        raise
    target = Target("moto", "moto", port, proc, pool_id, client_id, users)
    preload = {"method": "its API, one call at a time (AdminCreateUser + AdminSetUserPassword)",
               "seconds": seconds, "users_per_s": users / seconds, "startup_ms": starts,
               "startup_note": "empty: in memory only"}
    return target, preload
