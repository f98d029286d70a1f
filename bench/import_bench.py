#!/usr/bin/python3
"""Import and start-up benchmark (issue 9): `cognate users import` of N users (JSON lines with
an Argon2id hash, an email alias and a name, 500 per transaction) into a fresh SQLite store;
then the store's size, and the time from `cognate serve` to its first /health answer with those
users loaded. Rewrites the "Import and start-up" section of docs/benchmarks.md.

Usage: bench/import_bench.py [--users 1000000] [--bin build/cognate]
"""
import argparse
import datetime
import os
import secrets
import subprocess
import tempfile
import time

import benchlib
from auth_bench import client_for

HASH = ("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
        "3wFpa5x1eNDPiiRUx6qcqNjLoJt0hkVoPnAoBtwq0Bg")


def make_pool(binary, data_dir):
    key_id, secret = "AKCGBENCH00000000001", secrets.token_hex(20)
    port = benchlib.free_port()
    proc = benchlib.start_cognate(binary, data_dir, port, key_id, secret)
    try:
        cognito = client_for(f"http://127.0.0.1:{port}", key_id, secret)
        return cognito.create_user_pool(PoolName="import-bench",
                                        AliasAttributes=["email"])["UserPool"]["Id"]
    finally:
        proc.terminate()
        proc.wait()


def start_up_ms(binary, data_dir):
    port = benchlib.free_port()
    began = time.monotonic()
    proc = benchlib.start_cognate(binary, data_dir, port, "AKCGBENCH00000000001", "x" * 40)
    elapsed = (time.monotonic() - began) * 1000
    proc.terminate()
    proc.wait()
    return elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(benchlib.ROOT, "build", "cognate"))
    ap.add_argument("--users", type=int, default=1_000_000)
    ap.add_argument("--out", default=os.path.join(benchlib.ROOT, "docs", "benchmarks.md"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="cognate-import-bench-") as work:
        data_dir = os.path.join(work, "data")
        pool_id = make_pool(args.bin, data_dir)
        lines = os.path.join(work, "users.jsonl")
        with open(lines, "w") as f:
            for i in range(args.users):
                f.write('{"Username":"u%07d","PasswordHash":"%s","Attributes":{"email":'
                        '"u%d@example.com","email_verified":"true","given_name":"Given"}}\n'
                        % (i, HASH, i))
        began = time.monotonic()
        with open(os.path.join(work, "import.log"), "w") as log:
            proc = subprocess.Popen([args.bin, "users", "import", "--data", data_dir, pool_id,
                                     lines], stdout=subprocess.DEVNULL, stderr=log)
            _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.monotonic() - began
        if status != 0:
            raise SystemExit(open(os.path.join(work, "import.log")).read()[-2000:])
        rss_mib = usage.ru_maxrss / 1024
        db_mib = os.path.getsize(os.path.join(data_dir, "cognate.db")) / 2**20
        starts = sorted(start_up_ms(args.bin, data_dir) for _ in range(5))
    body = f"""Measured {datetime.date.today()} on {benchlib.machine_line()}.

| users | import | users/s | peak RSS (import) | database | start-up to first answer (median of 5) |
|---:|---:|---:|---:|---:|---:|
| {args.users:,} | {seconds:.1f} s | {args.users / seconds:,.0f} | {rss_mib:.0f} MiB | {db_mib:,.0f} MiB | {starts[2]:.0f} ms |

Each user: an Argon2id hash, a verified email alias and a name, sealed and keyed as any user
(docs/security.md); 500 users per transaction, each durable at its commit. Start-up reads no
user: it opens the database, checks its migrations and data keys, and listens.

Reproduce: `make build && /usr/bin/python3 bench/import_bench.py` (rewrites this section)."""
    benchlib.replace_section(args.out, "## Import and start-up (issue 9)", body)
    print(body)


if __name__ == "__main__":
    main()
