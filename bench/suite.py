#!/usr/bin/python3
"""The benchmark suite (issue 9), one command: Cognate against its cost floors and against the
peers (cognito-local, moto), in the same run, on the same scenarios.

1. Floors: one Argon2id hash, one RS256 signature and verification (build/cognate_floors).
2. Cognate, per dataset (10 thousand, then 1 million users): the pool and one seed user through
   the API, the others with `cognate users import` (the seed's Argon2id hash), start-up time,
   then every scenario.
3. The peers with 10 thousand users (bench/peers.py), on the scenarios they support.

Each row: wrk (Lua) or bench/loadgen.py (SRP), throughput, p50/p99/max latency, errors, server
CPU per request and the server's peak RSS during the row. Rewrites the "Benchmark suite (issue
9)" section of docs/benchmarks.md, with charts, and docs/bench/suite-results.json
(bench/suite_report.py).

Usage: bench/suite.py [--bin build/cognate] [--duration 10] [--connections 16]
                      [--datasets 10000,1000000] [--no-peers] [--quick] [--out FILE]
"""
import argparse
import base64
import concurrent.futures
import json
import os
import secrets
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

import benchlib
import loadgen
import peers
import srp_bench
import suite_report
from auth_bench import client_for, floors as floor_benchmarks
from peers import PASSWORD, Target, username

SCENARIOS = ("signup", "login", "srp", "getuser", "refresh", "refresh-gtfrt",
             "client-credentials", "jwks", "mixed", "getuser-under-signin")
LOGIN_USERS, TOKEN_USERS, SRP_USERS = 1000, 64, 200
SIGNIN_LOAD_CONNECTIONS = 8  # the sign-in load beside getuser-under-signin


def floors(binary):
    """The floors in ms and, per scenario, the req/s they allow on this machine's cores."""
    ms = floor_benchmarks(os.path.dirname(os.path.abspath(binary)), only="Argon2id|Rs256")
    argon2, sign, verify = ms["BM_Argon2idHash"], ms["BM_Rs256Sign"], ms["BM_Rs256Verify"]
    cost = {"signup": argon2, "login": argon2, "refresh": 2 * sign, "refresh-gtfrt": 2 * sign,
            "getuser": verify, "client-credentials": sign,
            # the mix's average: 60% GetUser, 20% login, 15% refresh, 5% signup
            "mixed": 0.6 * verify + 0.2 * argon2 + 0.15 * 2 * sign + 0.05 * argon2}
    # Every core hashing at once (a saturated server): the hashes share memory bandwidth and
    # the kernel's page-fault path, so this rate is below cores ÷ one hash.
    all_cores = ms.get("BM_Argon2idHashAllCores")
    return {"argon2_ms": argon2, "sign_ms": sign, "verify_ms": verify, "cores": os.cpu_count(),
            "argon2_all_cores_rps": 1000 / all_cores if all_cores else None,
            "rps": {k: os.cpu_count() * 1000 / v for k, v in cost.items()}}


def short_count(n):
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k" if n >= 1000 else str(n)


# Cognate datasets ------------------------------------------------------------------------

def prepare_cognate(binary, users, workdir):
    """A Cognate server with `users` users; (target, preload info)."""
    data = os.path.join(workdir, f"cognate-{users}")
    key_id, secret = "AKCGBENCH00000000009", secrets.token_hex(20)
    port = benchlib.free_port()
    proc = benchlib.start_cognate(binary, data, port, key_id, secret)
    try:
        api = client_for(f"http://127.0.0.1:{port}", key_id, secret)
        pool_id, client_id, m2m = peers.make_pool(api, oauth=True)
        peers.add_user(api, pool_id, 0)
    finally:
        peers.stop(proc)
    export = subprocess.run([binary, "users", "export", "--data", data, pool_id],
                            capture_output=True, text=True, check=True).stdout
    password_hash = json.loads(export.splitlines()[0])["PasswordHash"]
    lines = os.path.join(workdir, f"users-{users}.jsonl")
    with open(lines, "w") as f:
        for i in range(1, users):
            f.write(json.dumps({"Username": username(i), "Attributes": peers.user_attributes(i),
                                "PasswordHash": password_hash}) + "\n")
    began = time.monotonic()
    done = subprocess.run([binary, "users", "import", "--data", data, pool_id, lines],
                          capture_output=True, text=True)
    seconds = time.monotonic() - began
    os.unlink(lines)
    if done.returncode != 0:
        raise SystemExit(f"cognate users import failed: {done.stderr[-2000:]}")
    starts = []
    for _ in range(3):
        began = time.monotonic()
        proc = benchlib.start_cognate(binary, data, port, key_id, secret)
        starts.append((time.monotonic() - began) * 1000)
        if len(starts) < 3:
            peers.stop(proc)
    target = Target(f"Cognate {short_count(users)}", "cognate", port, proc, pool_id, client_id,
                    users, m2m)
    preload = {"method": "`cognate users import` (the seed user's Argon2id hash)",
               "seconds": seconds, "users_per_s": (users - 1) / seconds, "startup_ms": starts}
    return target, preload


# Requests --------------------------------------------------------------------------------

def amz(action, body):
    """A Cognito JSON request: (method, path, headers, body)."""
    return ("POST", "/", {"Content-Type": "application/x-amz-json-1.1",
                          "X-Amz-Target": benchlib.TARGET + action}, json.dumps(body))


def spread(target, count):
    """`count` user names spread evenly over the whole dataset."""
    count = min(count, target.users)
    return [username(i * target.users // count) for i in range(count)]


def sign_in(target, name):
    body = {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": target.client_id,
            "AuthParameters": {"USERNAME": name, "PASSWORD": PASSWORD}}
    return loadgen.Api(target.port).call("InitiateAuth", body)[0]["AuthenticationResult"]


def first_sign_ins(target):
    """Signs the login users in once, 4 at a time; sign-ins/s. An imported user's first sign-in
    also makes and stores its SRP verifier, so the login rows would otherwise measure that (a
    10 s row signs in fewer users than it cycles through)."""
    names = spread(target, LOGIN_USERS)
    began = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda n: sign_in(target, n), names))
    return len(names) / (time.monotonic() - began)


def workload(target):
    """Every wrk scenario's requests. '@ID@' in a body becomes a unique id per request."""
    cid = target.client_id
    login = [amz("InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": cid,
                                  "AuthParameters": {"USERNAME": n, "PASSWORD": PASSWORD}})
             for n in spread(target, LOGIN_USERS)]
    tokens = [sign_in(target, n) for n in spread(target, TOKEN_USERS)]
    getuser = [amz("GetUser", {"AccessToken": t["AccessToken"]}) for t in tokens]
    refresh = [amz("InitiateAuth", {"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": cid,
                                    "AuthParameters": {"REFRESH_TOKEN": t["RefreshToken"]}})
               for t in tokens]
    gtfrt = [amz("GetTokensFromRefreshToken", {"RefreshToken": t["RefreshToken"], "ClientId": cid})
             for t in tokens]
    signup = [amz("SignUp", {"ClientId": cid, "Username": "su-@ID@", "Password": PASSWORD,
                             "UserAttributes": [{"Name": "email",
                                                 "Value": "su-@ID@@example.com"}]})]
    m2m_id, m2m_secret = target.m2m or (cid, "none")  # peers: probed with the public client
    basic = base64.b64encode(f"{m2m_id}:{m2m_secret}".encode()).decode()
    cc = [("POST", f"/{target.pool_id}/oauth2/token",
           {"Authorization": "Basic " + basic,
            "Content-Type": "application/x-www-form-urlencoded"},
           "grant_type=client_credentials&scope=api%2Fread")]
    jwks = [("GET", f"/{target.pool_id}/.well-known/jwks.json", {}, "")]
    mixed = []
    for k in range(100):  # 20 requests per round: 12 GetUser, 4 login, 3 refresh, 1 signup
        mixed += [getuser[(12 * k + j) % len(getuser)] for j in range(12)]
        mixed += [login[(4 * k + j) % len(login)] for j in range(4)]
        mixed += [refresh[(3 * k + j) % len(refresh)] for j in range(3)] + signup
    return {"signup": signup, "login": login, "getuser": getuser, "refresh": refresh,
            "refresh-gtfrt": gtfrt, "client-credentials": cc, "jwks": jwks, "mixed": mixed}


def write_lua(path, requests):
    """A wrk script cycling through `requests`; each thread starts at its own place and numbers
    its '@ID@' requests (thread id + counter + a tag unique to this script)."""
    tag = secrets.token_hex(3)
    header_sets = []
    with open(path, "w") as f:
        f.write("local H = {}\nlocal R = {}\n")
        for method, target_path, headers, body in requests:
            if headers not in header_sets:
                header_sets.append(headers)
                pairs = ", ".join(f"[ {benchlib.lua_string(k)} ] = {benchlib.lua_string(v)}"
                                  for k, v in headers.items())
                f.write(f"H[{len(header_sets)}] = {{{pairs}}}\n")
            lua_body = benchlib.lua_string(body) if body else "nil"
            f.write(f"R[#R + 1] = {{{benchlib.lua_string(method)}, "
                    f"{benchlib.lua_string(target_path)}, {header_sets.index(headers) + 1}, "
                    f"{lua_body}}}\n")
        f.write(f"""local tag = "{tag}"
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local ready, i, n = {{}}, 0, 0
function init(args)
  i = ((tid or 1) * 7919) % #R
  for k, r in ipairs(R) do
    -- requests without '@ID@' are formatted once
    if not (r[4] and string.find(r[4], "@ID@", 1, true)) then
      ready[k] = wrk.format(r[1], r[2], H[r[3]], r[4])
    end
  end
end
function request()
  i = i % #R + 1
  if ready[i] then return ready[i] end
  n = n + 1
  local r = R[i]
  local body = string.gsub(r[4], "@ID@", tag .. "-" .. (tid or 0) .. "-" .. n)
  return wrk.format(r[1], r[2], H[r[3]], body)
end
""")


def send(target, request):
    """(status, body) of one request, with '@ID@' filled in."""
    method, path, headers, body = request
    body = body.replace("@ID@", "probe-" + secrets.token_hex(4)) if body else None
    req = urllib.request.Request(target.endpoint + path, data=body and body.encode(),
                                 headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read().decode(errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")
    except OSError as e:
        return 0, str(e)


def first_failure(target, requests):
    """The first of (up to 20 of) `requests` that fails when sent alone, as text; None if none."""
    for request in requests[:20]:
        status, body = send(target, request)
        if not 200 <= status < 300:
            return f"{request[0]} {request[2].get('X-Amz-Target', request[1])}: HTTP {status} " \
                   f"{body[:300]}"
    return None


# Rows ------------------------------------------------------------------------------------

def measured(target, run):
    """run() with the server's CPU per request and its peak RSS over the row added."""
    pid = target.proc.pid
    with open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")  # resets VmHWM to the current RSS
    cpu0 = loadgen._server_cpu_s(pid)
    row = run()
    cpu = loadgen._server_cpu_s(pid) - cpu0
    row.setdefault("server_cpu_ms", cpu * 1000 / row["requests"] if row["requests"] else None)
    row["peak_rss_mib"] = benchlib.peak_rss_mib(pid)
    return row


def wrk_row(target, requests, connections, duration, script):
    """One wrk row; a peer that fails the first request alone does not support the scenario."""
    status, body = send(target, requests[0])
    if not 200 <= status < 300 and target.server != "cognate":
        return {"supported": False, "error": f"HTTP {status} {body[:300]}"}
    write_lua(script, requests)
    row = measured(target, lambda: benchlib.run_wrk(target.endpoint, script, connections,
                                                    duration))
    if row["errors"]:
        row["error"] = first_failure(target, requests) or "none of the requests fails alone"
    return row


def under_signin_row(target, work, connections, duration, workdir):
    """GetUser while a second wrk keeps password sign-in saturated."""
    getuser, login = os.path.join(workdir, "under-getuser.lua"), os.path.join(workdir,
                                                                               "under-login.lua")
    write_lua(getuser, work["getuser"])
    write_lua(login, work["login"])
    signin = {}

    def run():
        load = threading.Thread(target=lambda: signin.update(benchlib.run_wrk(
            target.endpoint, login, SIGNIN_LOAD_CONNECTIONS, duration)))
        load.start()
        row = benchlib.run_wrk(target.endpoint, getuser, connections, duration)
        load.join()
        row.update(signin_rps=signin["rps"], signin_errors=signin["errors"],
                   getuser_requests=row["requests"], errors=row["errors"] + signin["errors"])
        row["requests"] += signin["requests"]  # CPU per request: over both kinds
        return row
    row = measured(target, run)
    if row["errors"]:
        row["error"] = (first_failure(target, work["getuser"]) or
                        first_failure(target, work["login"]) or "none fails alone")
    return row


def srp_row(target, connections, duration):
    """USER_SRP_AUTH sign-ins (InitiateAuth + PASSWORD_VERIFIER) with bench/loadgen.py. A user's
    SRP verifier is made at its first password sign-in, hence the sign-ins first."""
    users = spread(target, SRP_USERS if target.server == "cognate" else 2)
    pool_name = target.pool_id.split("_", 1)[1]
    try:
        for name in users:
            sign_in(target, name)
        learned = srp_bench.learn_users(target.port, target.client_id, pool_name, users)
        flows = srp_bench.make_flows(target.client_id, pool_name, learned, 256)
        flows["srp"]()(loadgen.Api(target.port), 0)  # one whole sign-in, or FlowError
    except loadgen.FlowError as e:
        if target.server != "cognate":
            return {"supported": False, "error": str(e)[:300]}
        raise
    row = measured(target, lambda: loadgen.run(target.port, target.proc.pid, flows["srp"],
                                               connections, duration))
    if row["errors"]:
        row["error"] = row.pop("first_error")
    return row


def run_target(target, args, workdir):
    """Every scenario against one server; {scenario: row}."""
    work = workload(target)
    rows = {}
    for name in SCENARIOS:
        if name == "srp":
            row = srp_row(target, args.connections, args.duration)
        elif name == "getuser-under-signin":
            row = under_signin_row(target, work, args.connections, args.duration, workdir)
        else:
            row = wrk_row(target, work[name], args.connections, args.duration,
                          os.path.join(workdir, f"{name}.lua"))
        rows[name] = row
        print(json.dumps({"server": target.label, "scenario": name, **row}), flush=True)
    return rows


def run_server(start, args, workdir):
    """start() -> (target, preload info); measures it and stops it."""
    target, preload = start()
    print(json.dumps({"server": target.label, "preload": preload}), flush=True)
    try:
        rss_at_start = benchlib.peak_rss_mib(target.proc.pid)
        if target.server == "cognate":
            preload["first_sign_ins_per_s"] = first_sign_ins(target)
        rows = run_target(target, args, workdir)
    finally:
        peers.stop(target.proc)
    peak = max([rss_at_start] + [r["peak_rss_mib"] for r in rows.values() if "peak_rss_mib" in r])
    return {"label": target.label, "server": target.server, "users": target.users,
            "preload": preload, "rows": rows, "peak_rss_mib": peak}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(benchlib.ROOT, "build", "cognate"))
    ap.add_argument("--duration", type=int, default=10, help="seconds per row")
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--datasets", default="10000,1000000", help="Cognate's user counts")
    ap.add_argument("--peer-users", type=int, default=10000)
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--quick", action="store_true", help="smoke run: 1,000 users, 3 s rows")
    ap.add_argument("--out", default=os.path.join(benchlib.ROOT, "docs", "benchmarks.md"))
    args = ap.parse_args()
    if args.quick:
        args.datasets, args.duration, args.peer_users = "1000", 3, 1000
    args.bin = os.path.abspath(args.bin)
    datasets = [int(n) for n in args.datasets.split(",")]
    began = time.monotonic()
    floor = floors(args.bin)
    print(json.dumps({"floors": floor}), flush=True)
    runs = []
    with tempfile.TemporaryDirectory(prefix="cognate-suite-") as workdir:
        for users in datasets:
            runs.append(run_server(lambda: prepare_cognate(args.bin, users, workdir), args,
                                   workdir))
        if not args.no_peers:
            for start in (peers.start_cognito_local, peers.start_moto):
                runs.append(run_server(lambda: start(args.peer_users, workdir), args, workdir))
    suite_report.write(args, floor, runs, time.monotonic() - began)


if __name__ == "__main__":
    main()
