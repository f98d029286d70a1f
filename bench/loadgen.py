"""A closed-loop load generator for flows wrk cannot drive: several requests with client-side
computation in between (SRP sign-in). `concurrency` threads spread over up to `procs` forked
processes, one keep-alive HTTP connection each, run `flow(api, i)` back to back.

A sign-in counts when it completes inside the measured window (after a warm-up); its latency is
the sum of its HTTP round trips, i.e. time spent waiting on the server, not the client's own math.
CPU seconds are taken over the same window for the load generator (getrusage in each process),
the server (/proc/PID/stat) and the whole machine (/proc/stat: what is left is other work, and
idle), so a report can show who the bottleneck was.
"""
import http.client
import json
import multiprocessing
import os
import resource
import threading
import time

import benchlib

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class FlowError(Exception):
    pass


class Api:
    """One keep-alive connection speaking the Cognito JSON protocol (unsigned public calls)."""

    def __init__(self, port):
        self._port = port
        self._conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, action, body):
        """(parsed response, seconds) for a 200; FlowError otherwise."""
        data = json.dumps(body)
        headers = {"Content-Type": "application/x-amz-json-1.1",
                   "X-Amz-Target": benchlib.TARGET + action}
        start = time.perf_counter()
        try:
            self._conn.request("POST", "/", data, headers)
            resp = self._conn.getresponse()
            payload = resp.read()
        except (OSError, http.client.HTTPException) as e:
            self._conn.close()
            self._conn = http.client.HTTPConnection("127.0.0.1", self._port, timeout=60)
            raise FlowError(f"{action}: {e}") from e
        seconds = time.perf_counter() - start
        if resp.status != 200:
            text = payload[:300].decode(errors="replace")
            raise FlowError(f"{action}: HTTP {resp.status} {text}")
        return json.loads(payload), seconds


def _cpu_seconds(usage):
    return usage.ru_utime + usage.ru_stime


def _worker(port, make_flow, first_indices, step, warm_at, start_at, end_at, pipe):
    """One thread per first index; each runs flows first, first + step, first + 2 * step..."""
    flow = make_flow()  # per-process setup (precomputation) happens before the warm-up
    samples, errors, first_error = [], [0], []
    lock = threading.Lock()

    def run(index):
        api = Api(port)
        while time.time() < warm_at:
            time.sleep(0.001)
        while True:
            if time.time() >= end_at:
                return
            try:
                waited = flow(api, index)
                ok = True
            except FlowError as e:
                ok = False
                first_error[:1] = first_error[:1] or [str(e)]
            done = time.time()
            if start_at <= done <= end_at:
                with lock:
                    if ok:
                        samples.append(waited)
                    else:
                        errors[0] += 1
            index += step

    pool = [threading.Thread(target=run, args=(i,)) for i in first_indices]
    for t in pool:
        t.start()
    time.sleep(max(0.0, start_at - time.time()))
    cpu0 = _cpu_seconds(resource.getrusage(resource.RUSAGE_SELF))
    time.sleep(max(0.0, end_at - time.time()))
    cpu1 = _cpu_seconds(resource.getrusage(resource.RUSAGE_SELF))
    for t in pool:
        t.join()
    pipe.send({"samples": samples, "errors": errors[0], "first_error": first_error[:1],
               "cpu_s": cpu1 - cpu0})
    pipe.close()


def _server_cpu_s(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def _machine_s():
    """(busy, idle) CPU seconds of the whole machine so far; waiting on I/O counts as idle."""
    values = [int(v) for v in open("/proc/stat").readline().split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / CLOCK_TICKS, idle / CLOCK_TICKS


def percentile(sorted_values, fraction):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def run(port, server_pid, make_flow, concurrency, duration, procs=4, warmup=1.0, setup=2.0):
    """Runs one row; returns throughput, latency percentiles (ms) and the CPU split."""
    ctx = multiprocessing.get_context("fork")
    nprocs = max(1, min(procs, concurrency))
    warm_at = time.time() + setup
    start_at, end_at = warm_at + warmup, warm_at + warmup + duration
    workers = []
    for p in range(nprocs):
        parent_end, child_end = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_worker, args=(port, make_flow, range(p, concurrency, nprocs),
                                                 concurrency, warm_at, start_at, end_at,
                                                 child_end))
        proc.start()
        workers.append((proc, parent_end))
    time.sleep(max(0.0, start_at - time.time()))
    server0, (busy0, idle0) = _server_cpu_s(server_pid), _machine_s()
    time.sleep(max(0.0, end_at - time.time()))
    server1, (busy1, idle1) = _server_cpu_s(server_pid), _machine_s()
    results = [conn.recv() for _, conn in workers]
    for proc, _ in workers:
        proc.join()
    samples = sorted(s for r in results for s in r["samples"])
    done = len(samples)
    client_cpu = sum(r["cpu_s"] for r in results)
    server_cpu = server1 - server0
    return {
        "rps": done / duration,
        "p50_ms": percentile(samples, 0.50) * 1000,
        "p99_ms": percentile(samples, 0.99) * 1000,
        "max_ms": samples[-1] * 1000 if samples else float("nan"),
        "requests": done,
        "errors": sum(r["errors"] for r in results),
        "first_error": next((r["first_error"][0] for r in results if r["first_error"]), None),
        "server_cpu_ms": server_cpu * 1000 / done if done else float("nan"),
        "client_cpu_ms": client_cpu * 1000 / done if done else float("nan"),
        "server_pct": 100 * server_cpu / duration,
        "client_pct": 100 * client_cpu / duration,
        "other_pct": 100 * max(0.0, (busy1 - busy0) - server_cpu - client_cpu) / duration,
        "idle_pct": 100 * (idle1 - idle0) / duration,
    }
