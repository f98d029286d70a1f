#!/usr/bin/python3
"""First Cognate benchmark: signed admin reads (DescribeUserPool, ListUserPoolClients).

Starts build/cognate on a temporary data dir, creates a pool with a few clients, pre-signs one
request per scenario with botocore's SigV4 signer (a signature stays valid for 5 minutes, longer
than a run), and drives it with wrk (a C load generator) at concurrency 1 and 32. Writes a
markdown table to docs/benchmarks.md (or --out).

Usage: bench/api_bench.py [--bin build/cognate] [--duration 10] [--out docs/benchmarks.md]
"""
import argparse
import datetime
import json
import os
import secrets
import signal
import tempfile

import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

import benchlib
from benchlib import REGION, TARGET


def signed_request(endpoint, creds, action, body):
    req = AWSRequest(method="POST", url=endpoint + "/", data=json.dumps(body), headers={
        "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": TARGET + action})
    SigV4Auth(creds, "cognito-idp", REGION).add_auth(req)
    return dict(req.headers.items()), req.body


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(benchlib.ROOT, "build", "cognate"))
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--out", default=os.path.join(benchlib.ROOT, "docs", "benchmarks.md"))
    args = ap.parse_args()

    key_id, secret = "AKCGBENCH00000000001", secrets.token_hex(20)
    port = benchlib.free_port()
    endpoint = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data:
        proc = benchlib.start_cognate(args.bin, data, port, key_id, secret)
        try:
            session = botocore.session.get_session()
            client = session.create_client("cognito-idp", region_name=REGION, endpoint_url=endpoint,
                                           aws_access_key_id=key_id, aws_secret_access_key=secret)
            pool_id = client.create_user_pool(PoolName="bench")["UserPool"]["Id"]
            for i in range(5):
                client.create_user_pool_client(UserPoolId=pool_id, ClientName=f"c{i}")
            creds = Credentials(key_id, secret)
            scenarios = [("DescribeUserPool", {"UserPoolId": pool_id}),
                         ("ListUserPoolClients", {"UserPoolId": pool_id, "MaxResults": 10})]
            rows = []
            for action, body in scenarios:
                headers, payload = signed_request(endpoint, creds, action, body)
                script = os.path.join(data, action + ".lua")
                body_text = payload.decode() if isinstance(payload, bytes) else payload
                benchlib.write_wrk_script(script, action, [body_text], headers)
                for c in (1, 32):
                    r = benchlib.run_wrk(endpoint, script, c, args.duration)
                    r.update(action=action, concurrency=c)
                    print(json.dumps(r), flush=True)
                    rows.append(r)
            rss_mib = benchlib.peak_rss_mib(proc.pid)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
    write_report(args.out, rows, rss_mib, args.duration)


def write_report(path, rows, rss_mib, duration):
    lines = [
        f"Measured {datetime.date.today().isoformat()} on {benchlib.machine_line()}, the server and",
        "the load generator (wrk, a C program) sharing the machine. Each request carries a real",
        "SigV4 signature that the server verifies (HMAC chain, canonical request) before reading the",
        "SQLite store; request logging on (info, to /dev/null). "
        f"{duration} s per row, keep-alive connections.", "",
        "| action | concurrency | requests/s | p50 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['action']} | {r['concurrency']} | {r['rps']:.0f} | {r['p50_ms']:.3f} "
                     f"| {r['p99_ms']:.3f} | {r['errors']} |")
    lines += ["", f"Peak RSS of the server over the run: {rss_mib:.1f} MiB.", "",
              "Reproduce: `make build && bench/api_bench.py` (rewrites this section)."]
    benchlib.replace_section(path, "## Signed admin reads (issue 2)", "\n".join(lines))


if __name__ == "__main__":
    main()
