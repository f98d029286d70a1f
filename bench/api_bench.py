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
import platform
import re
import secrets
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

TARGET = "AWSCognitoIdentityProviderService."
REGION = "us-east-1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(binary, data_dir, port, key_id, secret):
    env = dict(os.environ, COGNATE_ADMIN_ACCESS_KEY_ID=key_id,
               COGNATE_ADMIN_SECRET_ACCESS_KEY=secret)
    proc = subprocess.Popen([binary, "serve", "--data", data_dir, "--listen", f"127.0.0.1:{port}"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("server did not start")


def signed_request(endpoint, creds, action, body):
    req = AWSRequest(method="POST", url=endpoint + "/", data=json.dumps(body), headers={
        "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": TARGET + action})
    SigV4Auth(creds, "cognito-idp", REGION).add_auth(req)
    return dict(req.headers.items()), req.body


def wrk_script(path, headers, body):
    with open(path, "w") as f:
        f.write('wrk.method = "POST"\n')
        f.write("wrk.body = [==[%s]==]\n" % body)
        for k, v in headers.items():
            if k.lower() in ("host", "content-length"):
                continue
            f.write('wrk.headers["%s"] = [==[%s]==]\n' % (k, v))


def parse_ms(text):
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def run_wrk(endpoint, script, connections, duration):
    threads = 1 if connections == 1 else 2
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s",
                          "--latency", "-s", script, endpoint + "/"],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = parse_ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = parse_ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = int(non2xx.group(1)) if non2xx else 0
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "errors": errors}


def main():
    ap = argparse.ArgumentParser()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--bin", default=os.path.join(root, "build", "cognate"))
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--out", default=os.path.join(root, "docs", "benchmarks.md"))
    args = ap.parse_args()

    key_id, secret = "AKCGBENCH00000000001", secrets.token_hex(20)
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data:
        proc = start_server(args.bin, data, port, key_id, secret)
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
                wrk_script(script, headers, payload.decode() if isinstance(payload, bytes)
                           else payload)
                for c in (1, 32):
                    r = run_wrk(endpoint, script, c, args.duration)
                    r.update(action=action, concurrency=c)
                    print(json.dumps(r), flush=True)
                    rows.append(r)
            rss_kb = int(re.search(r"VmHWM:\s+(\d+)", open(f"/proc/{proc.pid}/status").read())
                         .group(1))
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
    write_report(args.out, rows, rss_kb, args.duration)


def write_report(path, rows, rss_kb, duration):
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                if l.startswith("model name")), platform.processor())
    lines = [
        "# Benchmarks", "",
        "## Signed admin reads (issue 2)", "",
        f"Measured {datetime.date.today().isoformat()} on {os.cpu_count()} cores ({cpu}), the server",
        "and the load generator (wrk, a C program) sharing the machine. Each request carries a real",
        "SigV4 signature that the server verifies (HMAC chain, canonical request) before reading the",
        "SQLite store; request logging on (info, to /dev/null). "
        f"{duration} s per row, keep-alive connections.", "",
        "| action | concurrency | requests/s | p50 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['action']} | {r['concurrency']} | {r['rps']:.0f} | {r['p50_ms']:.3f} "
                     f"| {r['p99_ms']:.3f} | {r['errors']} |")
    lines += ["", f"Peak RSS of the server over the run: {rss_kb / 1024:.1f} MiB.", "",
              "Reproduce: `make build && bench/api_bench.py` (writes this file).", ""]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
