"""The "SRP sign-in (issue 4)" section of docs/benchmarks.md, from bench/srp_bench.py's rows."""
import datetime

import benchlib

HEADING = "## SRP sign-in (issue 4)"
FLOWS = ("password", "srp")


def summarize(rows):
    """Per (flow, concurrency): the run with the best throughput, and every run's throughput."""
    grouped = {}
    for r in rows:
        grouped.setdefault((r["flow"], r["concurrency"]), []).append(r)
    return {k: (max(v, key=lambda r: r["rps"]), [r["rps"] for r in v]) for k, v in grouped.items()}


def floor_lines(f):
    challenge, fake = f["BM_SrpChallengeMath"], f["BM_SrpFakeVerifier"]
    answer = f["BM_SrpAnswerMath"]
    return [
        "Cost floors on this machine (build/cognate_floors, Google Benchmark, CPU time; exponents "
        "as in src/auth/srp/srp_server.cc: b is 256 random bits, flagged constant-time, u and x "
        "SHA-256 outputs; N is the 3072-bit group):", "",
        f"- g^b mod N (B = k·v + g^b): {f['BM_SrpModExpGb']:.0f} µs",
        f"- S = (A·v^u)^b mod N (two exponentiations, v^u and ^b): {f['BM_SrpModExpS']:.0f} µs",
        f"- challenge math (SrpServerSession::Start: parse A, k·v, g^b): {challenge:.0f} µs",
        f"- the fake verifier g^x that srp_flow.cc derives on every challenge, for a known user "
        f"too (FakeVerifier): {fake:.0f} µs",
        f"- answer math (Resume, which computes g^b again, + VerifyClaim: u, S, HKDF, HMAC): "
        f"{answer:.0f} µs",
        f"- **one SRP sign-in's math: {challenge + fake + answer:.0f} µs** (five 3072-bit "
        "exponentiations with 256-bit exponents), against one Argon2id hash "
        f"(m=19 MiB, t=2): {f['BM_Argon2idHash'] / 1000:.1f} ms; both then sign two RS256 tokens "
        f"({f['BM_Rs256Sign']:.0f} µs each)", "",
        "Two of the five are repeats a faster server could skip: g^b again in Resume (B could "
        "travel in the sealed SECRET_BLOCK) and the fake verifier for users that exist (unless "
        "it is kept so that known and unknown names cost the same).", "",
    ]


def findings(args, best, rows):
    top = max(args.levels)
    srp, check = best[("srp", top)][0], best[("srp-check", top)][0]
    password = best[("password", top)][0]
    ratios = ", ".join(f"{best[('srp', c)][0]['rps'] / best[('password', c)][0]['rps']:.1f}x at "
                       f"concurrency {c}" for c in args.levels if best[('password', c)][0]['rps'])
    spread = max((max(v) - min(v)) / max(v) for _, v in best.values() if max(v) > 0)
    if check["rps"] < 1.1 * srp["rps"]:
        verdict = "more generator did not mean more sign-ins"
    elif max(srp["other_pct"], check["other_pct"]) < 20:
        verdict = "so this run's generator may have held the server back"
    else:
        verdict = "inconclusive, other work was running (see 'other')"
    return [
        "A sign-in's latency is the time spent waiting on the server: one round trip for "
        "password, InitiateAuth + RespondToAuthChallenge for SRP (the client's math between the "
        "two is not counted, but at concurrency 1 it does sit between two sign-ins). 'CPU %' is "
        "CPU seconds per wall second over the measured window (200 = both cores); 'other' is "
        "everything else that ran on the machine meanwhile, 'idle' includes waiting on I/O.", "",
        f"SRP sign-ins per second against password ones, same run: {ratios}. Server CPU per "
        f"sign-in at concurrency {top}: {srp['server_cpu_ms']:.2f} ms for SRP against "
        f"{password['server_cpu_ms']:.2f} ms for password "
        f"({password['server_cpu_ms'] / srp['server_cpu_ms']:.1f}x less; CPU alone would allow "
        f"about {2000 / srp['server_cpu_ms']:.0f} SRP sign-ins/s on two cores).", "",
        "Load generator check: bench/srp_client.py precomputes what a client can keep (per user "
        f"x and k·g^x, per process 64 pairs (a, A), a of {args.a_bits} bits: the size of a "
        "changes nothing on the server, A is a full group element either way), leaving one "
        "exponentiation per sign-in, in OpenSSL through ctypes (which releases the GIL); "
        f"bench/loadgen.py spreads the clients over {args.procs} processes. At concurrency "
        f"{top} it used {srp['client_cpu_ms']:.2f} ms of CPU per sign-in against the server's "
        f"{srp['server_cpu_ms']:.2f}, and the same row with {2 * args.procs} processes gave "
        f"{check['rps']:.0f} sign-ins/s (CPU % {check['server_pct']:.0f} / "
        f"{check['client_pct']:.0f} / {check['other_pct']:.0f} / {check['idle_pct']:.0f}) "
        f"against {srp['rps']:.0f}: {verdict}. When 'idle' stays well above zero the server "
        "is not CPU-bound either: it has one worker thread per core, "
        "and each SRP sign-in commits three times to SQLite (synchronous=FULL, an fsync each: "
        "the nonce at the challenge; spending it and the refresh token at the answer), against "
        "one commit for a password sign-in, and commits go one at a time through the store's "
        "single writer connection: the workers wait on them (`--data-parent /dev/shm` puts the "
        "data on tmpfs, where an fsync costs nothing, to see the difference).", "",
        f"Noise: the runs of a row differed by up to {spread * 100:.0f} % in throughput. Errors "
        f"over all rows: {sum(r['errors'] for r in rows)}.",
    ]


def write(path, args, rows, rss, floor, peer):
    best = summarize(rows)
    lines = [
        f"Measured {datetime.date.today().isoformat()} on {benchlib.machine_line()}; server and "
        "load generator share the machine ('other' in the CPU column is anything else that ran "
        f"meanwhile). {args.users} users (email as username), {args.duration} s per row after "
        f"1 s of warm-up, each row run {args.runs} times (interleaved), best run shown. Both "
        "flows are driven by the same Python load generator (the issue 3 table above used wrk).",
        "",
        "Why SRP is the cheaper sign-in here: Cognate derives x and the verifier v = g^x from the "
        "password once, when the password is set (next to the Argon2id hash). An SRP sign-in "
        "never sees the password, so the server hashes nothing: its cost is five 3072-bit "
        "modular exponentiations plus the token signatures and writes, where a password sign-in "
        "costs one Argon2id hash (by design about 20 ms of CPU).", "",
    ] + floor_lines(floor) + [
        "| flow | concurrency | sign-ins/s | all runs | p50 ms | p99 ms | server CPU ms per "
        "sign-in | load-gen CPU ms per sign-in | CPU % server / load gen / other / idle |",
        "|---|---:|---:|---|---:|---:|---:|---:|---|",
    ]
    for flow in FLOWS:
        for c in args.levels:
            r, all_rps = best[(flow, c)]
            lines.append(
                f"| {flow} | {c} | {r['rps']:.0f} | {' / '.join(f'{v:.0f}' for v in all_rps)} "
                f"| {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['server_cpu_ms']:.2f} "
                f"| {r['client_cpu_ms']:.2f} | {r['server_pct']:.0f} / {r['client_pct']:.0f} / "
                f"{r['other_pct']:.0f} / {r['idle_pct']:.0f} |")
    lines += [""] + findings(args, best, rows) + [
        "", f"Peak RSS of Cognate: {rss:.0f} MiB.",
        "", f"cognito-local 5.3.0: {peer}" if peer else "cognito-local: not probed (--no-peer); it "
        "does not implement USER_SRP_AUTH (shared/reference/peer-cognito-local.md).",
        "", f"Reproduce: `make build && bench/srp_bench.py{args.cmdline}` (rewrites this section).",
    ]
    benchlib.replace_section(path, HEADING, "\n".join(lines))


