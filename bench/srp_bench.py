#!/usr/bin/python3
"""SRP sign-in benchmark (issue 4): USER_SRP_AUTH sign-ins (InitiateAuth, then
RespondToAuthChallenge PASSWORD_VERIFIER until tokens) against Cognate, next to password
sign-ins (USER_PASSWORD_AUTH) driven by the same load generator in the same run, plus the cost
of the server's 3072-bit modular exponentiations measured on the same machine
(build/cognate_floors).

wrk cannot compute SRP claims, so both flows are driven by bench/loadgen.py (Python processes,
one keep-alive connection per simulated client); bench/srp_client.py does the client math with
OpenSSL through ctypes. What a real client keeps between sign-ins is precomputed: per user x and
k*g^x, per process a pool of (a, A). Every row also records the CPU seconds of the server, of the
load generator and of everything else on the machine. Each row is run --runs times (interleaved)
and the best throughput is reported, with the other runs as the noise.

cognito-local has no USER_SRP_AUTH: unless --no-peer, one SRP InitiateAuth is sent to it and its
answer quoted. Rewrites the "SRP sign-in (issue 4)" section of docs/benchmarks.md.

Usage: bench/srp_bench.py [--users 200] [--duration 10] [--runs 2] [--levels 1,16,32] [--no-peer]
"""
import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile

import benchlib
import loadgen
import srp_client
import srp_report
from auth_bench import client_for, install_peer

PASSWORD = "Bench-Passw0rd!"
FLOWS = ("password", "srp")


def floors(build_dir):
    """CPU time (µs) of each SRP / Argon2id / RS256 floor: CPU, not wall time, so that other
    work on the shared machine does not inflate a cost."""
    out = subprocess.run([os.path.join(build_dir, "cognate_floors"), "--benchmark_format=json",
                          "--benchmark_filter=Srp|Argon2id|Rs256Sign"],
                         capture_output=True, text=True, check=True).stdout
    scale = {"ms": 1000.0, "us": 1.0, "ns": 1e-3}
    return {b["name"].split("/")[0]: b["cpu_time"] * scale[b["time_unit"]]
            for b in json.loads(out)["benchmarks"]}


def preload(api, users):
    pool_id = api.create_user_pool(PoolName="bench-srp", UsernameAttributes=["email"],
                                   AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    client_id = api.create_user_pool_client(
        UserPoolId=pool_id, ClientName="bench-srp",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH",
                           "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]["ClientId"]
    emails = [f"bench-srp-{i:06d}@example.com" for i in range(users)]
    for email in emails:
        api.admin_create_user(UserPoolId=pool_id, Username=email, MessageAction="SUPPRESS",
                              UserAttributes=[{"Name": "email", "Value": email},
                                              {"Name": "email_verified", "Value": "true"}])
        api.admin_set_user_password(UserPoolId=pool_id, Username=email, Password=PASSWORD,
                                    Permanent=True)
    return pool_id, client_id, emails


def srp_start(api, client_id, email, ephemeral):
    body = {"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id,
            "AuthParameters": {"USERNAME": email, "SRP_A": format(ephemeral[1], "x")}}
    answer, seconds = api.call("InitiateAuth", body)
    if answer.get("ChallengeName") != "PASSWORD_VERIFIER":
        raise loadgen.FlowError(f"no PASSWORD_VERIFIER challenge: {answer}")
    return answer, seconds


def learn_users(port, client_id, pool_name, emails):
    """What a client learns at its first sign-in and keeps: USER_ID_FOR_SRP, SALT, x, k*g^x."""
    api, ephemeral, users = loadgen.Api(port), srp_client.new_ephemeral(256), []
    for email in emails:
        params = srp_start(api, client_id, email, ephemeral)[0]["ChallengeParameters"]
        uid, salt = params["USER_ID_FOR_SRP"], params["SALT"]
        users.append((email, uid, salt, srp_client.user_secret(pool_name, uid, PASSWORD, salt)))
    return users


def srp_sign_in(api, client_id, pool_name, user, ephemeral):
    email, uid, salt, secret = user
    challenge, first = srp_start(api, client_id, email, ephemeral)
    params = challenge["ChallengeParameters"]
    if params.get("SALT") != salt or params.get("USER_ID_FOR_SRP") != uid:
        raise loadgen.FlowError("the user's salt or USER_ID_FOR_SRP changed")
    stamp = srp_client.timestamp()
    signature = srp_client.claim_signature(pool_name, uid, secret, ephemeral, params["SRP_B"],
                                           params["SECRET_BLOCK"], stamp)
    answer = {"ChallengeName": "PASSWORD_VERIFIER", "ClientId": client_id,
              "ChallengeResponses": {"USERNAME": uid, "TIMESTAMP": stamp,
                                     "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
                                     "PASSWORD_CLAIM_SIGNATURE": signature}}
    if "Session" in challenge:
        answer["Session"] = challenge["Session"]
    result, second = api.call("RespondToAuthChallenge", answer)
    if "AccessToken" not in result.get("AuthenticationResult", {}):
        raise loadgen.FlowError(f"no tokens after PASSWORD_VERIFIER: {list(result)}")
    return first + second


def password_sign_in(api, client_id, email):
    result, seconds = api.call("InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH",
                                                "ClientId": client_id,
                                                "AuthParameters": {"USERNAME": email,
                                                                   "PASSWORD": PASSWORD}})
    if "AccessToken" not in result.get("AuthenticationResult", {}):
        raise loadgen.FlowError(f"no tokens: {list(result)}")
    return seconds


def make_flows(client_id, pool_name, users, a_bits):
    def password():
        return lambda api, i: password_sign_in(api, client_id, users[i % len(users)][0])

    def srp():
        pool = [srp_client.new_ephemeral(a_bits) for _ in range(64)]  # (a, A) ahead of time
        return lambda api, i: srp_sign_in(api, client_id, pool_name, users[i % len(users)],
                                          pool[i % len(pool)])
    return {"password": password, "srp": srp}


def run_cognate(args, workdir):
    key_id, secret = "AKCGBENCH00000000001", secrets.token_hex(20)
    port = benchlib.free_port()
    proc = benchlib.start_cognate(args.bin, os.path.join(workdir, "cognate"), port, key_id, secret)
    try:
        api = client_for(f"http://127.0.0.1:{port}", key_id, secret)
        pool_id, client_id, emails = preload(api, args.users)
        pool_name = pool_id.split("_", 1)[1]
        users = learn_users(port, client_id, pool_name, emails)
        flows = make_flows(client_id, pool_name, users, args.a_bits)
        flows["srp"]()(loadgen.Api(port), 0)  # one full SRP sign-in, or fail loudly
        rows = []
        for run in range(args.runs):
            for flow in FLOWS:
                for c in args.levels:
                    r = loadgen.run(port, proc.pid, flows[flow], c, args.duration, args.procs)
                    r.update(flow=flow, concurrency=c, run=run)
                    print(json.dumps(r), flush=True)
                    rows.append(r)
            # The same top row with twice the load generator processes: if the generator were
            # the limit, this one would be faster.
            top = max(args.levels)
            r = loadgen.run(port, proc.pid, flows["srp"], top, args.duration, 2 * args.procs)
            r.update(flow="srp-check", concurrency=top, run=run)
            print(json.dumps(r), flush=True)
            rows.append(r)
        return rows, benchlib.peak_rss_mib(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


def probe_peer(workdir):
    """cognito-local's answer to one USER_SRP_AUTH InitiateAuth for a real user."""
    start = install_peer()
    port = benchlib.free_port()
    run_dir = os.path.join(workdir, "cognito-local")
    os.makedirs(run_dir)
    env = dict(os.environ, PORT=str(port), HOST="127.0.0.1")
    proc = subprocess.Popen(["node", start], cwd=run_dir, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        benchlib.wait_ready(f"http://127.0.0.1:{port}/health", proc)
        _, client_id, emails = preload(client_for(f"http://127.0.0.1:{port}"), 1)
        try:
            srp_start(loadgen.Api(port), client_id, emails[0], srp_client.new_ephemeral(256))
            return "answered USER_SRP_AUTH with a PASSWORD_VERIFIER challenge"
        except loadgen.FlowError as e:
            return str(e).replace("InitiateAuth: ", "")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(benchlib.ROOT, "build", "cognate"))
    ap.add_argument("--users", type=int, default=200)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--levels", default="1,16,32")
    ap.add_argument("--procs", type=int, default=4, help="load generator processes at most")
    ap.add_argument("--a-bits", type=int, default=256, help="size of the client's secret a")
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--data-parent", default=None,
                    help="where the data directory goes (/dev/shm: no fsync cost)")
    ap.add_argument("--out", default=os.path.join(benchlib.ROOT, "docs", "benchmarks.md"))
    args = ap.parse_args()
    args.cmdline = "".join(f" --{k.replace('_', '-')} {v}" for k, v in vars(args).items()
                           if k not in ("bin", "out", "no_peer") and v != ap.get_default(k))
    args.cmdline += " --no-peer" if args.no_peer else ""
    args.levels = [int(v) for v in args.levels.split(",")]
    if srp_client.BACKEND != "OpenSSL BN_mod_exp (ctypes)":
        print("warning: no libcrypto, the client math uses pow() and will be the bottleneck",
              file=sys.stderr)
    floor = floors(os.path.dirname(os.path.abspath(args.bin)))
    with tempfile.TemporaryDirectory(dir=args.data_parent) as workdir:
        rows, rss = run_cognate(args, workdir)
        peer = None if args.no_peer else probe_peer(workdir)
    srp_report.write(args.out, args, rows, rss, floor, peer)


if __name__ == "__main__":
    main()
