"""Durability: a clean restart keeps everything (pools, clients, secrets, signing keys); after
SIGKILL every CreateUserPool that was acknowledged with 200 is still there."""

import random
import threading
import time

from cognate_server import free_port
from helpers import list_all_pools
from rawclient import RawClient


def _jwks(c, pid):
    r = c.get(f"/{pid}/.well-known/jwks.json")
    assert r.status == 200, r
    return r.json


def test_restart_keeps_everything(start_server):
    s = start_server()
    c = RawClient(s.endpoint, *s.credentials)
    pools = {}
    for i in range(3):
        pid = c.ok("CreateUserPool", {
            "PoolName": f"durable-{i}", "DeletionProtection": "ACTIVE" if i == 0 else "INACTIVE",
            "Policies": {"PasswordPolicy": {"MinimumLength": 9 + i}},
            "Schema": [{"Name": f"attr{i}", "AttributeDataType": "String", "Mutable": True}],
            "UserPoolTags": {"n": str(i)}})["UserPool"]["Id"]
        c.ok("AddCustomAttributes", {"UserPoolId": pid, "CustomAttributes": [
            {"Name": "late", "AttributeDataType": "Number"}]})
        c.ok("CreateUserPoolClient", {"UserPoolId": pid, "ClientName": "public"})
        c.ok("CreateUserPoolClient", {"UserPoolId": pid, "ClientName": "confidential",
                                      "GenerateSecret": True,
                                      "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH",
                                                            "ALLOW_REFRESH_TOKEN_AUTH"]})
        gone = c.ok("CreateUserPoolClient", {"UserPoolId": pid,
                                             "ClientName": "deleted"})["UserPoolClient"]
        c.ok("DeleteUserPoolClient", {"UserPoolId": pid, "ClientId": gone["ClientId"]})
        c.ok("UpdateUserPool", {"UserPoolId": pid, "DeletionProtection":
                                "ACTIVE" if i == 0 else "INACTIVE",
                                "Policies": {"PasswordPolicy": {"MinimumLength": 20 + i}},
                                "UserPoolTags": {"n": str(i), "updated": "yes"}})
        pools[pid] = None
    deleted = c.ok("CreateUserPool", {"PoolName": "deleted-before-restart"})["UserPool"]["Id"]
    c.ok("DeleteUserPool", {"UserPoolId": deleted})

    def state():
        out = {}
        for pid in pools:
            desc = c.ok("DescribeUserPool", {"UserPoolId": pid})["UserPool"]
            desc.pop("EstimatedNumberOfUsers", None)
            clients = c.ok("ListUserPoolClients", {"UserPoolId": pid, "MaxResults": 60})
            details = sorted((c.ok("DescribeUserPoolClient", {"UserPoolId": pid,
                                                              "ClientId": e["ClientId"]})
                              ["UserPoolClient"] for e in clients["UserPoolClients"]),
                             key=lambda d: d["ClientId"])
            out[pid] = {"pool": desc, "clients": details, "jwks": _jwks(c, pid)}
        return out

    before = state()
    for i, pid in enumerate(pools):
        assert before[pid]["pool"]["Policies"]["PasswordPolicy"]["MinimumLength"] == 20 + i
        assert len(before[pid]["clients"]) == 2
    listed_before = sorted(p["Id"] for p in list_all_pools(c))
    code, secs = s.stop()
    assert code == 0, f"SIGTERM: exit code {code} after {secs:.1f}s; log:\n{s.log_tail()}"
    assert secs < 10
    s.start(port=free_port())
    c = RawClient(s.endpoint, *s.credentials)
    after = state()
    for pid in pools:
        assert after[pid]["pool"] == before[pid]["pool"], f"pool {pid} changed across restart"
        assert after[pid]["clients"] == before[pid]["clients"], f"clients of {pid} changed"
        assert after[pid]["jwks"] == before[pid]["jwks"], f"signing keys of {pid} changed"
    assert sorted(p["Id"] for p in list_all_pools(c)) == listed_before
    c.err("DescribeUserPool", {"UserPoolId": deleted}, "ResourceNotFoundException")
    # Still writable after the restart.
    c.ok("CreateUserPool", {"PoolName": "after-restart"})


def test_sigkill_keeps_acknowledged_writes(start_server):
    s = start_server()
    c = RawClient(s.endpoint, *s.credentials, timeout=5)
    acked = {}
    failures = []
    stop = threading.Event()

    def writer():
        i = 0
        while not stop.is_set():
            name = f"kill-{i}"
            i += 1
            try:
                r = c.call("CreateUserPool", {"PoolName": name})
            except OSError as e:  # the server died mid-request: not acknowledged
                failures.append(repr(e))
                if stop.is_set() or not s.running():
                    return
                continue
            if r.status == 200:
                acked[r.json["UserPool"]["Id"]] = name
            else:
                failures.append(f"{r.status} {r.body[:200]!r}")

    th = threading.Thread(target=writer, daemon=True)
    th.start()
    # CreateUserPool generates signing keys (~0.2-0.7 s here), so wait for a few
    # acknowledgements (at least ~1.5 s), then kill at an arbitrary moment mid-stream.
    t0 = time.monotonic()
    while (len(acked) < 3 or time.monotonic() - t0 < 1.5) and time.monotonic() - t0 < 30:
        time.sleep(0.05)
    time.sleep(random.uniform(0.05, 0.5))
    s.kill()
    stop.set()
    th.join(15)
    assert not th.is_alive()
    assert len(acked) >= 3, f"too few writes acknowledged before the kill: {len(acked)} " \
                            f"(failures: {failures[:3]})"
    s.start(port=free_port())
    c = RawClient(s.endpoint, *s.credentials)
    listed = {p["Id"]: p["Name"] for p in list_all_pools(c)}
    missing = {pid: name for pid, name in acked.items() if pid not in listed}
    assert not missing, f"{len(missing)} of {len(acked)} acknowledged pools lost after SIGKILL: " \
                        f"{sorted(missing.values())[:10]}"
    for pid, name in acked.items():
        assert listed[pid] == name
    # Every listed pool is complete enough to describe and has signing keys.
    for pid in list(acked)[:20]:
        assert c.ok("DescribeUserPool", {"UserPoolId": pid})["UserPool"]["Name"] == acked[pid]
        assert _jwks(c, pid)["keys"]
    # The server accepts writes again.
    c.ok("CreateUserPool", {"PoolName": "after-kill"})


def test_restart_on_same_port(start_server):
    """After SIGTERM (with client connections having been open) the server can bind the same
    address again right away."""
    s = start_server()
    c = RawClient(s.endpoint, *s.credentials)
    pid = c.ok("CreateUserPool", {"PoolName": "same-port"})["UserPool"]["Id"]
    for _ in range(5):
        c.ok("ListUserPools", {"MaxResults": 5})
    port = s.port
    code, _ = s.stop()
    assert code == 0
    s.start(port=port)
    assert RawClient(s.endpoint, *s.credentials).ok("DescribeUserPool", {"UserPoolId": pid})


def test_sigterm_under_load(start_server):
    """SIGTERM while CreateUserPool calls are in flight: the process exits 0 within the drain
    time, and every acknowledged pool is there after a restart."""
    s = start_server()
    c = RawClient(s.endpoint, *s.credentials, timeout=15)
    acked = {}
    stop = threading.Event()

    def writer(n):
        i = 0
        while not stop.is_set():
            name = f"term-{n}-{i}"
            i += 1
            try:
                r = c.call("CreateUserPool", {"PoolName": name})
            except OSError:
                if not s.running():
                    return
                continue
            if r.status == 200:
                acked[r.json["UserPool"]["Id"]] = name

    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(3)]
    for t in threads:
        t.start()
    t0 = time.monotonic()
    while len(acked) < 3 and time.monotonic() - t0 < 30:
        time.sleep(0.05)
    code, secs = s.stop(timeout=25)
    stop.set()
    for t in threads:
        t.join(20)
    assert code == 0, f"SIGTERM under load: exit {code} after {secs:.1f}s; log:\n{s.log_tail()}"
    s.start(port=free_port())
    c = RawClient(s.endpoint, *s.credentials)
    listed = {p["Id"]: p["Name"] for p in list_all_pools(c)}
    missing = sorted(n for pid, n in acked.items() if listed.get(pid) != n)
    assert not missing, f"acknowledged pools missing after SIGTERM + restart: {missing[:10]}"
