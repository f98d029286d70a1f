#!/usr/bin/python3
"""Cluster benchmark (issue 7): GetUser and refresh (REFRESH_TOKEN_AUTH) throughput with one node
over SQLite, one node over PostgreSQL and two nodes over one PostgreSQL (Debian's server, started
by scripts/postgres.sh on loopback with fsync on).

With two nodes the load is split the way a client-side round robin (or a load balancer) would:
two wrk processes, one per node, each with half the connections; the table sums their
throughput and shows the worse p50/p99. Everything (wrk, nodes, PostgreSQL) shares the machine.
Rewrites the "Cluster" section of docs/benchmarks.md.

Usage: bench/cluster_bench.py [--users 200] [--duration 10] [--connections 16]
"""
import argparse
import base64
import datetime
import json
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading

import benchlib
from auth_bench import client_for, preload, scenario_bodies

SCENARIOS = ("getuser", "refresh")
POSTGRES_SH = os.path.join(benchlib.ROOT, "scripts", "postgres.sh")


def start_nodes(args, workdir, name, count, store_url):
    """`count` nodes sharing a master key, admin key and public URL (the tokens' issuer)."""
    key_id, secret = "AKCGBENCH00000000001", secrets.token_hex(20)
    master = base64.b64encode(secrets.token_bytes(32)).decode()
    os.environ["COGNATE_MASTER_KEY"] = master
    procs, endpoints = [], []
    public_url = "http://cognate.bench"
    for i in range(count):
        port = benchlib.free_port()
        extra = ["--public-url", public_url] + (["--store", store_url] if store_url else [])
        extra += args.node_args.split()
        procs.append(benchlib.start_cognate(args.bin, os.path.join(workdir, f"{name}-{i}"), port,
                                            key_id, secret, extra))
        endpoints.append(f"http://127.0.0.1:{port}")
    del os.environ["COGNATE_MASTER_KEY"]
    return procs, endpoints, client_for(endpoints[0], key_id, secret)


def wrk_split(endpoints, script, connections, duration):
    """One wrk per endpoint, connections split evenly, run at the same time."""
    results = [None] * len(endpoints)
    share = max(1, connections // len(endpoints))

    def one(i):
        results[i] = benchlib.run_wrk(endpoints[i], script, share, duration, timeout_s=60)
    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(endpoints))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"rps": sum(r["rps"] for r in results),
            "p50_ms": max(r["p50_ms"] for r in results),
            "p99_ms": max(r["p99_ms"] for r in results),
            "errors": sum(r["errors"] for r in results)}


def measure(args, workdir, name, count, store_url):
    procs, endpoints, api = start_nodes(args, workdir, name, count, store_url)
    rows = []
    try:
        _, client_id, emails = preload(api, args.users)
        bodies = scenario_bodies(api, client_id, emails)
        for scenario in SCENARIOS:
            action, payloads = bodies[scenario]
            script = os.path.join(workdir, f"{name}-{scenario}.lua")
            benchlib.write_wrk_script(script, action, payloads)
            r = wrk_split(endpoints, script, args.connections, args.duration)
            r.update(setup=name, scenario=scenario)
            r["rss_mib"] = max(benchlib.peak_rss_mib(p.pid) for p in procs)
            print(json.dumps(r), flush=True)
            rows.append(r)
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
            p.wait(timeout=60)
    return rows


def report(path, rows, args):
    by = {(r["setup"], r["scenario"]): r for r in rows}
    setups = [("sqlite-1", "SQLite, 1 node"), ("postgres-1", "PostgreSQL, 1 node"),
              ("postgres-2", "PostgreSQL, 2 nodes")]
    lines = [
        f"Measured {datetime.date.today().isoformat()} on {benchlib.machine_line()}; wrk, the "
        "nodes and PostgreSQL 15 (loopback, fsync on) share the machine.",
        f"{args.users} users; {args.connections} wrk connections in all, {args.duration} s per "
        "row; with two nodes, two wrk processes, one per node, with half the connections each "
        "(throughput summed, the worse latency shown).", "",
        "| setup | scenario | req/s | p50 ms | p99 ms | errors | peak RSS per node |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for key, label in setups:
        for s in SCENARIOS:
            r = by.get((key, s))
            if r:
                lines.append(f"| {label} | {s} | {r['rps']:.0f} | {r['p50_ms']:.2f} | "
                             f"{r['p99_ms']:.2f} | {r['errors']} | {r['rss_mib']:.0f} MiB |")
    lines += [
        "",
        "GetUser verifies the token (one RSA verification, in memory), then reads the user and "
        "the token's revocation state from the store; refresh reads the refresh token and the "
        "user and signs two new tokens. Over PostgreSQL each read is a network round trip to "
        "another process on the same two cores, where SQLite is a library call. Over "
        "PostgreSQL a node runs 4 network threads and 2 workers per CPU (SQLite: 1 and 1) so "
        "that threads waiting on the database leave the CPUs to others (`--threads` overrides "
        "the first). A second node adds no cores here: the two-node rows show the cost of the "
        "split, not the scaling that nodes on machines of their own give, and their p99 shows "
        "two nodes' threads, PostgreSQL and wrk oversubscribing two cores (single statements "
        "logged by PostgreSQL at over 300 ms while waiting for a CPU).", "",
        "Reproduce: `make build && /usr/bin/python3 bench/cluster_bench.py` (rewrites this "
        "section)."]
    benchlib.replace_section(path, "## Cluster: SQLite and PostgreSQL, one and two nodes (issue 7)",
                             "\n".join(lines))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(benchlib.ROOT, "build", "cognate"))
    ap.add_argument("--users", type=int, default=200)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--node-args", default="", help="extra `cognate serve` flags for every node")
    ap.add_argument("--setups", default="sqlite-1,postgres-1,postgres-2")
    ap.add_argument("--out", default=os.path.join(benchlib.ROOT, "docs", "benchmarks.md"))
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as workdir:
        setups = args.setups.split(",")
        if "sqlite-1" in setups:
            rows += measure(args, workdir, "sqlite-1", 1, None)
        pg_dir = tempfile.mkdtemp(prefix="cognate-bench-pg-")
        url = subprocess.run([POSTGRES_SH, "start", pg_dir], check=True, capture_output=True,
                             text=True).stdout.strip()
        try:
            for count in (c for c in (1, 2) if f"postgres-{c}" in setups):
                # A fresh database per setup, so both start from the same data.
                db = f"bench{count}"
                subprocess.run(["psql", url, "-qc", f"CREATE DATABASE {db}"], check=True)
                rows += measure(args, workdir, f"postgres-{count}", count,
                                url.rsplit("/", 1)[0] + "/" + db)
        finally:
            subprocess.run([POSTGRES_SH, "stop", pg_dir])
            shutil.rmtree(pg_dir, ignore_errors=True)
    report(args.out, rows, args)


if __name__ == "__main__":
    main()
