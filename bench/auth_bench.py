#!/usr/bin/python3
"""Sign-in benchmark (issue 3): password sign-in (InitiateAuth USER_PASSWORD_AUTH), GetUser and
refresh (REFRESH_TOKEN_AUTH), against Cognate and against cognito-local (npm) in the same run,
plus the cost floors measured on the same machine (build/cognate_floors: one Argon2id hash with
the server's parameters, one RS256 signature, one RS256 verification).

Both servers get the same pool (email as username, public client), the same --users preloaded
with AdminCreateUser + AdminSetUserPassword, and the same wrk scripts, which cycle through the
users' requests. Rewrites the "Sign-in" section of docs/benchmarks.md.

Usage: bench/auth_bench.py [--users 200] [--duration 10] [--no-peer]
"""
import argparse
import datetime
import json
import os
import secrets
import signal
import subprocess
import tempfile

import boto3

import benchlib

PASSWORD = "Bench-Passw0rd!"
PEER_DIR = os.path.expanduser("~/.cache/cognate-bench/cognito-local")
SCENARIOS = ("login", "getuser", "refresh")
CONCURRENCY = (1, 16)


def client_for(endpoint, key_id="local", secret="localsecret"):
    return boto3.client("cognito-idp", region_name=benchlib.REGION, endpoint_url=endpoint,
                        aws_access_key_id=key_id, aws_secret_access_key=secret)


def preload(api, users):
    pool_id = api.create_user_pool(PoolName="bench", UsernameAttributes=["email"],
                                   AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    client_id = api.create_user_pool_client(
        UserPoolId=pool_id, ClientName="bench",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    emails = [f"bench-u-{i:06d}@example.com" for i in range(users)]
    for email in emails:
        api.admin_create_user(UserPoolId=pool_id, Username=email, MessageAction="SUPPRESS",
                              UserAttributes=[{"Name": "email", "Value": email},
                                              {"Name": "email_verified", "Value": "true"}])
        api.admin_set_user_password(UserPoolId=pool_id, Username=email, Password=PASSWORD,
                                    Permanent=True)
    return pool_id, client_id, emails


def scenario_bodies(api, client_id, emails):
    logins = [{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
               "AuthParameters": {"USERNAME": e, "PASSWORD": PASSWORD}} for e in emails]
    tokens = [api.initiate_auth(**b)["AuthenticationResult"] for b in logins[:64]]
    return {
        "login": ("InitiateAuth", [json.dumps(b) for b in logins]),
        "getuser": ("GetUser", [json.dumps({"AccessToken": t["AccessToken"]}) for t in tokens]),
        "refresh": ("InitiateAuth", [json.dumps({"AuthFlow": "REFRESH_TOKEN_AUTH",
                                                 "ClientId": client_id,
                                                 "AuthParameters": {
                                                     "REFRESH_TOKEN": t["RefreshToken"]}})
                                     for t in tokens]),
    }


def measure(name, endpoint, api, users, duration, workdir, pid):
    _, client_id, emails = preload(api, users)
    rows = []
    for scenario, (action, bodies) in scenario_bodies(api, client_id, emails).items():
        script = os.path.join(workdir, f"{name}-{scenario}.lua")
        benchlib.write_wrk_script(script, action, bodies)
        for c in CONCURRENCY:
            r = benchlib.run_wrk(endpoint, script, c, duration, timeout_s=60)
            r.update(server=name, scenario=scenario, concurrency=c)
            print(json.dumps(r), flush=True)
            rows.append(r)
    return rows, benchlib.peak_rss_mib(pid)


def run_cognate(args, workdir):
    key_id, secret = "AKCGBENCH00000000001", secrets.token_hex(20)
    port = benchlib.free_port()
    proc = benchlib.start_cognate(args.bin, os.path.join(workdir, "cognate"), port, key_id, secret)
    try:
        return measure("cognate", f"http://127.0.0.1:{port}",
                       client_for(f"http://127.0.0.1:{port}", key_id, secret),
                       args.users, args.duration, workdir, proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


def install_peer():
    start = os.path.join(PEER_DIR, "node_modules", "cognito-local", "lib", "bin", "start.js")
    if not os.path.exists(start):
        os.makedirs(PEER_DIR, exist_ok=True)
        subprocess.run(["npm", "init", "-y"], cwd=PEER_DIR, check=True, capture_output=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "cognito-local@5.3.0"],
                       cwd=PEER_DIR, check=True)
    return start


def run_peer(args, workdir):
    start = install_peer()
    port = benchlib.free_port()
    run_dir = os.path.join(workdir, "cognito-local")
    os.makedirs(run_dir)
    env = dict(os.environ, PORT=str(port), HOST="127.0.0.1")
    proc = subprocess.Popen(["node", start], cwd=run_dir, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        benchlib.wait_ready(f"http://127.0.0.1:{port}/health", proc)
        return measure("cognito-local", f"http://127.0.0.1:{port}",
                       client_for(f"http://127.0.0.1:{port}"), args.users, args.duration,
                       workdir, proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


def floors(build_dir, only=None):
    """Wall time (ms) of each floor benchmark; `only`: a --benchmark_filter regex."""
    flags = [f"--benchmark_filter={only}"] if only else []
    out = subprocess.run([os.path.join(build_dir, "cognate_floors"), "--benchmark_format=json",
                          *flags],
                         capture_output=True, text=True, check=True).stdout
    result = {}
    for b in json.loads(out)["benchmarks"]:
        scale = {"ms": 1.0, "us": 1e-3, "ns": 1e-6}[b["time_unit"]]
        result[b["name"].split("/")[0]] = b["real_time"] * scale  # milliseconds
    return result


def report(path, rows, rss, floor, users, duration):
    by = {(r["server"], r["scenario"], r["concurrency"]): r for r in rows}
    lines = [
        f"Measured {datetime.date.today().isoformat()} on {benchlib.machine_line()}; server and wrk",
        f"share the machine. {users} users (email as username), {duration} s per row, each wrk",
        "connection cycling through the users' requests. cognito-local (npm) stores passwords in",
        "plain text and compares them with `!==`; Cognate verifies an Argon2id hash per sign-in.", "",
        "Cost floors on this machine (build/cognate_floors, Google Benchmark):", "",
        f"- one Argon2id hash (m=19 MiB, t=2, the server default): {floor['BM_Argon2idHash']:.1f} ms",
        f"- one RS256 signature (RSA-2048): {floor['BM_Rs256Sign'] * 1000:.0f} µs "
        "(a sign-in signs two tokens)",
        f"- one RS256 verification: {floor['BM_Rs256Verify'] * 1000:.0f} µs", "",
        "| scenario | concurrency | Cognate req/s | p50 ms | p99 ms | cognito-local req/s | p50 ms "
        "| p99 ms | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in SCENARIOS:
        for c in CONCURRENCY:
            a, b = by.get(("cognate", s, c)), by.get(("cognito-local", s, c))
            peer = (f"{b['rps']:.0f} | {b['p50_ms']:.2f} | {b['p99_ms']:.2f} | "
                    f"{a['rps'] / b['rps']:.1f}x" if b and b["rps"] else "- | - | - | -")
            lines.append(f"| {s} | {c} | {a['rps']:.0f} | {a['p50_ms']:.2f} | {a['p99_ms']:.2f} "
                         f"| {peer} |")
    errors = sum(r["errors"] for r in rows)
    lines += ["", f"Errors (non-2xx or socket errors) over all rows: {errors}. Peak RSS: "
              + ", ".join(f"{k} {v:.0f} MiB" for k, v in rss.items()) + ".", "",
              "With 2 cores, password sign-in is bound by Argon2id: two hashes at a time at most, "
              "so its ceiling is about 2 / (hash time).", "",
              "Reproduce: `make build && bench/auth_bench.py` (rewrites this section)."]
    benchlib.replace_section(path, "## Sign-in, GetUser and refresh (issue 3)", "\n".join(lines))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(benchlib.ROOT, "build", "cognate"))
    ap.add_argument("--users", type=int, default=200)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--out", default=os.path.join(benchlib.ROOT, "docs", "benchmarks.md"))
    args = ap.parse_args()
    floor = floors(os.path.dirname(os.path.abspath(args.bin)))
    with tempfile.TemporaryDirectory() as workdir:
        rows, rss = [], {}
        r, rss["Cognate"] = run_cognate(args, workdir)
        rows += r
        if not args.no_peer:
            r, rss["cognito-local"] = run_peer(args, workdir)
            rows += r
    report(args.out, rows, rss, floor, args.users, args.duration)


if __name__ == "__main__":
    main()
