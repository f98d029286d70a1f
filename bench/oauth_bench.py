#!/usr/bin/python3
"""OAuth 2.0 endpoints of a pool domain (issue 6): client-credentials tokens and userInfo with
wrk, and the whole authorization-code flow (authorize, hosted sign-in page, code exchange) as
one browser-like client would run it, timed step by step.

Starts build/cognate on a temporary data dir, makes a pool with a domain, a resource server, a
client-credentials client and a code-flow client, signs a user in through the hosted pages to
get an access token for userInfo, then measures. Writes the "OAuth 2.0 endpoints" section of
docs/benchmarks.md (or --out).

Usage: bench/oauth_bench.py [--bin build/cognate] [--duration 10] [--flows 40]
"""
import argparse
import base64
import datetime
import json
import os
import secrets
import signal
import statistics
import sys
import tempfile
import time

import boto3

import benchlib
from benchlib import REGION

sys.path.insert(0, os.path.join(benchlib.ROOT, "tests", "integration", "python"))
from oauth_browser import Browser, OAuthApp, code_of, exchange, pkce  # noqa: E402

PASSWORD = "Bench-Passw0rd!"


def setup(endpoint, key_id, secret):
    c = boto3.client("cognito-idp", endpoint_url=endpoint, region_name=REGION,
                     aws_access_key_id=key_id, aws_secret_access_key=secret)
    pool_id = c.create_user_pool(PoolName="oauth-bench")["UserPool"]["Id"]
    m2m = benchlib.add_client_credentials(c, pool_id, "oauth-bench")
    web = c.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"], AllowedOAuthScopes=["openid", "email", "profile"],
        CallbackURLs=["http://localhost:3000/callback"],
        SupportedIdentityProviders=["COGNITO"])["UserPoolClient"]
    c.admin_create_user(UserPoolId=pool_id, Username="bench", MessageAction="SUPPRESS",
                        UserAttributes=[{"Name": "email", "Value": "bench@example.com"}])
    c.admin_set_user_password(UserPoolId=pool_id, Username="bench", Password=PASSWORD,
                              Permanent=True)
    app = OAuthApp(pool_id, "oauth-bench", web["ClientId"], "", f"{endpoint}/{pool_id}")
    return app, m2m


def code_flows(app, n):
    """n sequential authorization-code flows in fresh browsers; per-step latencies in ms."""
    steps = {"authorize + page": [], "sign-in POST": [], "token": [], "total": []}
    for _ in range(n):
        browser = Browser(app)
        verifier, challenge = pkce()
        t0 = time.perf_counter()
        page = browser.page(browser.authorize(challenge, scope="openid email"))
        t1 = time.perf_counter()
        done = browser.submit(page, username="bench", password=PASSWORD)
        t2 = time.perf_counter()
        r = exchange(app, code_of(done), verifier)
        t3 = time.perf_counter()
        assert r.status_code == 200, r.text
        for name, ms in (("authorize + page", t1 - t0), ("sign-in POST", t2 - t1),
                         ("token", t3 - t2), ("total", t3 - t0)):
            steps[name].append(ms * 1000)
    return steps, r.json()["access_token"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(benchlib.ROOT, "build", "cognate"))
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--flows", type=int, default=40)
    ap.add_argument("--out", default=os.path.join(benchlib.ROOT, "docs", "benchmarks.md"))
    args = ap.parse_args()

    key_id, secret = "AKCGBENCH00000000006", secrets.token_hex(20)
    port = benchlib.free_port()
    endpoint = f"http://127.0.0.1:{port}"
    rows = []
    with tempfile.TemporaryDirectory() as data:
        proc = benchlib.start_cognate(args.bin, data, port, key_id, secret)
        try:
            app, m2m = setup(endpoint, key_id, secret)
            steps, access_token = code_flows(app, args.flows)
            basic = base64.b64encode(f"{m2m['ClientId']}:{m2m['ClientSecret']}".encode()).decode()
            scenarios = [
                ("client_credentials token", "POST", f"/{app.pool_id}/oauth2/token",
                 {"Authorization": "Basic " + basic,
                  "Content-Type": "application/x-www-form-urlencoded"},
                 "grant_type=client_credentials&scope=api%2Fread"),
                ("userInfo", "GET", f"/{app.pool_id}/oauth2/userInfo",
                 {"Authorization": "Bearer " + access_token}, ""),
            ]
            for name, method, path, headers, body in scenarios:
                script = os.path.join(data, name.split()[0] + ".lua")
                benchlib.write_wrk_request(script, method, headers, body)
                for c in (1, 16):
                    r = benchlib.run_wrk(endpoint, script, c, args.duration, path=path)
                    r.update(scenario=name, concurrency=c)
                    print(json.dumps(r), flush=True)
                    rows.append(r)
            rss_mib = benchlib.peak_rss_mib(proc.pid)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
    write_report(args, rows, steps, rss_mib)


def write_report(args, rows, steps, rss_mib):
    lines = [
        f"Measured {datetime.date.today().isoformat()} on {benchlib.machine_line()}; server and load",
        "generator share the machine. Client credentials: client authentication (constant-time",
        "secret check), scope check against the resource servers, one RS256 signature. userInfo:",
        "one RS256 verification, the revocation and user lookups. Both with wrk, "
        f"{args.duration} s per row.",
        "",
        "| scenario | concurrency | requests/s | p50 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['scenario']} | {r['concurrency']} | {r['rps']:.0f} | "
                     f"{r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['errors']} |")
    lines += [
        "",
        f"The authorization-code flow, {args.flows} times in a row, each in a fresh browser-like",
        "session (Python requests; the sign-in POST includes one Argon2id password check):",
        "",
        "| step | median ms | p90 ms |",
        "|---|---:|---:|",
    ]
    for name, values in steps.items():
        values = sorted(values)
        p90 = values[min(len(values) - 1, int(len(values) * 0.9))]
        lines.append(f"| {name} | {statistics.median(values):.1f} | {p90:.1f} |")
    lines += ["", f"Peak server RSS: {rss_mib:.0f} MiB.", "",
              "Command: `/usr/bin/python3 bench/oauth_bench.py --bin build/cognate`"]
    benchlib.replace_section(args.out, "## OAuth 2.0 endpoints (issue 6)", "\n".join(lines))


if __name__ == "__main__":
    main()
