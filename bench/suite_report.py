"""The report of bench/suite.py: the "Benchmark suite (issue 9)" section of docs/benchmarks.md
(tables, the issue's targets, a kept place for profile notes), the raw results as JSON and three
PNG charts drawn by gnuplot, all next to the markdown file (docs/bench/)."""
import datetime
import json
import os
import statistics
import subprocess

import benchlib
import peers

HEADING = "## Benchmark suite (issue 9)"
NOTES_BEGIN, NOTES_END = "<!-- profile notes -->", "<!-- /profile notes -->"
GETUSER_TARGET_RPS, GETUSER_P99_TARGET_MS, RSS_TARGET_MB, STARTUP_TARGET_MS = 20000, 5, 200, 200


def _run(argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def versions(binary):
    return {"cognate": _run([binary, "version"]).replace("cognate ", ""),
            "cognate_git": _run(["git", "-C", benchlib.ROOT, "rev-parse", "--short", "HEAD"]),
            "cognito-local": peers.COGNITO_LOCAL_VERSION, "moto": peers.MOTO_VERSION,
            "node": _run(["node", "--version"]),
            "wrk": _run(["wrk", "--version"]).splitlines()[0].split(" Copyright")[0] if _run(["which", "wrk"]) else "?"}


def memory_gib():
    kib = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
    return kib / 2**20


def supported(row):
    return row is not None and row.get("supported", True)


def ratio_to_floor(floor, scenario, row):
    f = floor["rps"].get(scenario)
    return row["rps"] / f if f and supported(row) else None


def oneline(text, limit=200):
    """An error body fit for a table cell or a bullet: one line, shortened."""
    return " ".join(str(text).split())[:limit].replace("`", "'")


def num(v, digits=0):
    return "-" if v is None else f"{v:,.{digits}f}"


def rps_text(row):
    if row is None:
        return "-"
    if not supported(row):
        return "not supported"
    return num(row["rps"], 0 if row["rps"] >= 100 else 1)


# Tables ----------------------------------------------------------------------------------

def server_table(run, floor):
    lines = ["| scenario | req/s | % of floor | p50 ms | p99 ms | max ms | errors | CPU ms/req "
             "| peak RSS MiB |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    notes = []
    for name, row in run["rows"].items():
        if not supported(row):
            lines.append(f"| {name} | not supported | | | | | | | |")
            notes.append(f"- {name}: not supported: `{oneline(row['error'])}`")
            continue
        pct = ratio_to_floor(floor, name, row) if run["server"] == "cognate" else None
        lines.append(f"| {name} | {rps_text(row)} | {num(pct and 100 * pct)} "
                     f"| {row['p50_ms']:.2f} | {row['p99_ms']:.2f} | {row['max_ms']:.1f} "
                     f"| {row['errors']} | {num(row['server_cpu_ms'], 3)} "
                     f"| {row['peak_rss_mib']:.0f} |")
        if row.get("signin_rps") is not None:
            notes.append(f"- {name}: password sign-in beside it ({SIGNIN_NOTE}): "
                         f"{row['signin_rps']:,.0f} req/s")
        if row["errors"]:
            notes.append(f"- **{name}: {row['errors']} errors**; replayed alone: "
                         f"`{oneline(row.get('error', '?'), 400)}`")
    return lines + ([""] + notes if notes else [])


SIGNIN_NOTE = "a second wrk, 8 connections"


def preload_table(runs):
    lines = ["| server | users | how | time | users/s | start-up ms (median of 3) "
             "| first sign-ins/s |", "|---|---:|---|---:|---:|---:|---:|"]
    for run in runs:
        p = run["preload"]
        start = f"{statistics.median(p['startup_ms']):.0f}"
        if p.get("startup_note"):
            start += f" ({p['startup_note']})"
        lines.append(f"| {run['label']} | {run['users']:,} | {p['method']} | {p['seconds']:.1f} s "
                     f"| {p['users_per_s']:,.0f} | {start} | {num(p.get('first_sign_ins_per_s'))} |")
    return lines


def comparison_run(runs, peer_users):
    cognate = [r for r in runs if r["server"] == "cognate"]
    same = [r for r in cognate if r["users"] == peer_users]
    return (same or sorted(cognate, key=lambda r: r["users"]))[0]


def peer_ratio(mine, theirs):
    if not (supported(mine) and supported(theirs)) or not theirs["rps"]:
        return None
    return mine["rps"] / theirs["rps"]


def comparison_table(base, peer_runs):
    head = f"| scenario | {base['label']} req/s (p99 ms) |"
    rule = "|---|---:|"
    for p in peer_runs:
        head += f" {p['label']} req/s (p99 ms) | Cognate ÷ {p['label']} |"
        rule += "---:|---:|"
    lines = [head, rule]
    for name, row in base["rows"].items():
        cells = [f"{rps_text(row)} ({row['p99_ms']:.2f})"]
        for p in peer_runs:
            theirs = p["rows"].get(name)
            cells.append(f"{rps_text(theirs)}" + (f" ({theirs['p99_ms']:.1f})"
                                                  if supported(theirs) else ""))
            r = peer_ratio(row, theirs)
            cells.append("-" if r is None else f"{r:,.1f}×")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


# Targets ---------------------------------------------------------------------------------

def targets(floor, runs, base, peer_runs):
    """[(target, measured, met)]; met is None when it could not be measured."""
    cognate = [r for r in runs if r["server"] == "cognate"]

    def worst(key, scenarios, pick=min):
        found = [(key(r, s), f"{r['label']}, {s}") for r in cognate for s in scenarios
                 if supported(r["rows"].get(s))]
        return pick(found) if found else (None, "not measured")

    out = []
    v, where = worst(lambda r, s: ratio_to_floor(floor, s, r["rows"][s]), ["login"])
    out.append(("password sign-in ≥ 90% of the Argon2id floor",
                v and f"{100 * v:.0f}% ({where})", v and v >= 0.9))
    v, where = worst(lambda r, s: ratio_to_floor(floor, s, r["rows"][s]),
                     ["refresh", "refresh-gtfrt"])
    out.append(("refresh ≥ 70% of the RS256 floor (both forms)",
                v and f"{100 * v:.0f}% ({where})", v and v >= 0.7))
    big = [r for r in cognate if r["users"] >= 1_000_000]
    row = big[0]["rows"].get("getuser") if big else None
    out.append((f"GetUser ≥ {GETUSER_TARGET_RPS:,} req/s (1M users)",
                f"{row['rps']:,.0f} req/s" if supported(row) else "not measured (no 1M dataset)",
                row["rps"] >= GETUSER_TARGET_RPS if supported(row) else None))
    v, where = worst(lambda r, s: r["rows"][s]["p99_ms"], ["getuser-under-signin"], max)
    out.append((f"GetUser p99 ≤ {GETUSER_P99_TARGET_MS} ms under sign-in load",
                v and f"{v:.2f} ms ({where})", v is not None and v <= GETUSER_P99_TARGET_MS))
    rss = max(r["peak_rss_mib"] for r in cognate)
    out.append((f"peak RSS ≤ {RSS_TARGET_MB} MB", f"{rss:.0f} MiB = {rss * 1.048576:.0f} MB",
                rss * 1.048576 <= RSS_TARGET_MB))
    start = statistics.median(big[0]["preload"]["startup_ms"]) if big else None
    out.append((f"start-up with 1M users < {STARTUP_TARGET_MS} ms",
                f"{start:.0f} ms" if start else "not measured (no 1M dataset)",
                start < STARTUP_TARGET_MS if start else None))
    local = next((p for p in peer_runs if p["server"] == "cognito-local"), None)
    if local:
        r = peer_ratio(base["rows"].get("getuser"), local["rows"].get("getuser"))
        out.append(("≥ 10× cognito-local on GetUser", r and f"{r:.1f}×", r and r >= 10))
        others = [(peer_ratio(base["rows"][s], local["rows"][s]), s) for s in base["rows"]
                  if s not in ("getuser", "getuser-under-signin") and s in local["rows"]
                  and peer_ratio(base["rows"][s], local["rows"][s]) is not None]
        r, s = min(others) if others else (None, "")
        out.append(("≥ 5× cognito-local on every other shared scenario",
                    r and f"lowest {r:.1f}× ({s})", r and r >= 5))
    else:
        out.append(("≥ 10× / ≥ 5× cognito-local", "not measured (--no-peers)", None))
    return out


# Charts ----------------------------------------------------------------------------------

def _chart(directory, name, title, ylabel, series, scenarios, value, log, extra=""):
    """A grouped bar chart: one group per scenario, one bar per series (run)."""
    data = os.path.join(directory, name + ".dat")
    with open(data, "w") as f:
        f.write("scenario " + " ".join(f'"{s["label"]}"' for s in series) + "\n")
        for sc in scenarios:
            values = [value(s, sc) for s in series]
            f.write(sc + " " + " ".join("NaN" if v is None else f"{v:.4g}" for v in values) + "\n")
    plots = ", ".join(f"'{data}' using {i + 2}:xtic(1) title columnhead"
                      for i in range(len(series)))
    script = f"""set terminal pngcairo size 1100,520 font "DejaVu Sans,10"
set output '{os.path.join(directory, name + '.png')}'
set title "{title}"
set ylabel "{ylabel}"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set xtics rotate by -25 nomirror
set grid ytics
set key top right
set datafile missing "NaN"
{'set logscale y' if log else 'set yrange [0:*]'}
{extra}
plot {plots}
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    os.unlink(data)
    return f"bench/{name}.png"


def charts(directory, floor, runs):
    scenarios = list(runs[0]["rows"])

    def rps(run, sc):
        row = run["rows"].get(sc)
        return row["rps"] if supported(row) and row["rps"] > 0 else None

    def p99(run, sc):
        row = run["rows"].get(sc)
        return row["p99_ms"] if supported(row) and row["rps"] > 0 else None

    def pct(run, sc):
        r = ratio_to_floor(floor, sc, run["rows"].get(sc))
        return r and 100 * r
    cognate = [r for r in runs if r["server"] == "cognate"]
    with_floor = [s for s in scenarios if s in floor["rps"]]
    return [
        _chart(directory, "suite-throughput", "Throughput per scenario (log scale)",
               "requests/s (SRP: sign-ins/s)", runs, scenarios, rps, True),
        _chart(directory, "suite-p99", "p99 latency per scenario (log scale)", "ms", runs,
               scenarios, p99, True),
        _chart(directory, "suite-floor", "Cognate throughput as % of its cost floor",
               "% of floor", cognate, with_floor, pct, False,
               "set arrow from graph 0, first 100 to graph 1, first 100 nohead dt 2"),
    ]


# The section -----------------------------------------------------------------------------

def kept_notes(path):
    old = benchlib.section_text(path, HEADING)
    start, end = old.find(NOTES_BEGIN), old.find(NOTES_END)
    if start < 0 or end < start:
        return ""
    return old[start + len(NOTES_BEGIN):end].strip("\n")


def write(args, floor, runs, seconds):
    out_dir = os.path.join(os.path.dirname(os.path.abspath(args.out)), "bench")
    os.makedirs(out_dir, exist_ok=True)
    info = {"date": datetime.date.today().isoformat(), "machine": benchlib.machine_line(),
            "memory_gib": round(memory_gib(), 1), "versions": versions(args.bin),
            "args": {k: v for k, v in vars(args).items()}, "seconds": seconds,
            "floors": floor, "runs": runs}
    with open(os.path.join(out_dir, "suite-results.json"), "w") as f:
        json.dump(info, f, indent=1)
    pngs = charts(out_dir, floor, runs)
    v = info["versions"]
    peer_runs = [r for r in runs if r["server"] != "cognate"]
    base = comparison_run(runs, args.peer_users)
    flags = "" if not args.quick else " --quick"
    flags += " --no-peers" if args.no_peers else ""
    lines = [
        f"Measured {info['date']} on {info['machine']}, {info['memory_gib']:.0f} GiB; the "
        "servers, wrk and the load generator share the machine. "
        f"Cognate {v['cognate']} (git {v['cognate_git']}), cognito-local "
        f"{v['cognito-local']} (Node {v['node']}), moto {v['moto']}, {v['wrk']}. "
        f"{args.duration} s per row, {args.connections} connections (2 wrk threads); the whole "
        f"run took {seconds / 60:.0f} min.", "",
        f"Command: `make bench` (= `/usr/bin/python3 bench/suite.py{flags}`; this run: datasets "
        f"{args.datasets}, peers with {args.peer_users:,} users). Raw results: "
        "[bench/suite-results.json](bench/suite-results.json).", "",
        "### Floors", "",
        f"Measured by build/cognate_floors in the same run, {floor['cores']} cores: one Argon2id "
        f"hash (server parameters) {floor['argon2_ms']:.1f} ms, one RS256 signature "
        f"{floor['sign_ms'] * 1000:.0f} µs, one RS256 verification "
        f"{floor['verify_ms'] * 1000:.0f} µs. Floors in req/s: "
        + ", ".join(f"{k} {val:,.0f}" for k, val in floor["rps"].items())
        + " (sign-in and sign-up: cores ÷ Argon2id; refresh: cores ÷ two signatures; GetUser: "
        "cores ÷ one verification; client credentials: cores ÷ one signature; mixed: cores ÷ the "
        "mix's average cost)."
        + (f" With every core hashing at once, as a saturated server does, the machine makes "
           f"{floor['argon2_all_cores_rps']:,.0f} Argon2id hashes/s "
           f"({floor['argon2_all_cores_rps'] / floor['rps']['login'] * 100:.0f}% of cores ÷ one "
           "hash): the hashes then share the memory bus and the kernel's page-fault path "
           "(libsodium maps fresh memory for every hash)."
           if floor.get("argon2_all_cores_rps") else ""), "",
        "### Loading and start-up", "",
        *preload_table(runs), "",
        "Cognate: the pool and one seed user through the API, then `cognate users import` of the "
        "others with the seed's Argon2id hash. An imported user's first password sign-in also "
        "makes its SRP verifier (first sign-ins/s: the login users signed in once, 4 at a time, "
        "before the rows, so that the rows measure later sign-ins). cognito-local: one user through its API, then its pool file's user "
        "record copied to every user (its API needs about 30 minutes for 10,000 users), and a "
        "restart. moto: in memory only, loaded through its API one call at a time (concurrent "
        "calls corrupt its state); its start-up is an empty start.", "",
    ]
    for run in runs:
        lines += [f"### {run['label']} ({run['users']:,} users)", "", *server_table(run, floor),
                  "", f"Peak RSS over the run: {run['peak_rss_mib']:.0f} MiB.", ""]
    lines += ["SRP rows count sign-ins (InitiateAuth + RespondToAuthChallenge, driven by "
              "bench/loadgen.py, whose Python client shares the 2 cores), not requests. "
              "getuser-under-signin: GetUser's figures; its CPU per request is over both kinds "
              "of request. Errors are non-2xx answers plus socket errors.", ""]
    if peer_runs:
        lines += [f"### Comparison at {base['users']:,} users", "",
                  *comparison_table(base, peer_runs), "",
                  "moto does not verify SRP proofs and returns a new SALT at every "
                  "InitiateAuth, so the suite's SRP client cannot run against it; neither peer "
                  "has client credentials or GetTokensFromRefreshToken. moto's Werkzeug server "
                  "closes the connection after every answer (wrk reconnects).", ""]
    lines += ["### Charts", "",
              *[f"![{os.path.basename(p)}]({p})" for p in pngs], "",
              "### Targets of issue 9", "",
              "| target | measured | met |", "|---|---|---|"]
    for name, measured, met in targets(floor, runs, base, peer_runs):
        lines.append(f"| {name} | {measured or '-'} | "
                     f"{'-' if met is None else 'met' if met else '**not met**'} |")
    lines += ["", NOTES_BEGIN, kept_notes(args.out), NOTES_END]
    benchlib.replace_section(args.out, HEADING, "\n".join(lines), at_top=True)
