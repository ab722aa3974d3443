#!/usr/bin/env python3
"""The time-ordered generators of bench/harness.py's per-call group, alone, on one PostgreSQL major:
uuid_generate_v7() and generate_typeid('user') against gen_random_uuid() and, on 18 and later, core
uuidv7(), interleaved in one session, in the backend's CPU time (/proc/self/schedstat). Run by
bench/versions inside a matrix root through pg_virtualenv (or by hand in any cluster with idconv
installed). Writes bench/results/<date>-pg<major>.md.
Knobs: BENCH_ROUNDS (default 11), BENCH_ROWS (default 500000).
"""
import datetime
import os
import sys

os.environ.setdefault("BENCH_ROUNDS", "11")
os.environ.setdefault("BENCH_ROWS", "500000")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

ROWS = harness.ROWS
FLOOR = "count(g) (floor: the scan, no call)"


def measure(core_v7):
    items = [
        (FLOOR, "count(g)"),
        ("gen_random_uuid()", "count(gen_random_uuid())"),
        ("uuid_generate_v7()", "count(uuid_generate_v7())"),
        ("generate_typeid('user')", "count(generate_typeid('user'))"),
    ] + ([("uuidv7() (core)", "count(uuidv7())")] if core_v7 else [])
    queries = [(name, f"SELECT {expr} FROM generate_series(1, {ROWS}) AS g;") for name, expr in items]
    # One unmeasured pass first: the library loaded and the code paths warm in every round alike.
    harness.psql("\n".join(sql for _, sql in queries))
    times = harness.cpu_rounds(queries, "SET max_parallel_workers_per_gather = 0;")
    return {name: {k: v * 1e6 / ROWS for k, v in harness.summary(ms).items()} for name, ms in times.items()}, times


def main():
    stamp = datetime.date.today().isoformat()
    harness.psql(f"DROP DATABASE IF EXISTS {harness.DB}; CREATE DATABASE {harness.DB};", db="postgres")
    harness.psql("CREATE EXTENSION idconv; SELECT register_prefix('user', 'usr');")
    major = int(harness.psql("SHOW server_version_num;").strip()) // 10000
    info = harness.machine()
    load_before = open("/proc/loadavg").read().split()[:3]
    calls, times = measure(major >= 18)
    load_after = open("/proc/loadavg").read().split()[:3]
    med = {name: s["median"] for name, s in calls.items()}

    # The same goals, with the same names, as bench/harness.py's table.
    # Beside it, the spread of the same ratio taken within each round (neighbouring queries).
    goals = []
    for text, a, b, limit in [
            ("uuid_generate_v7() / gen_random_uuid()", "uuid_generate_v7()", "gen_random_uuid()", 0.25),
            ("uuid_generate_v7() / core uuidv7()", "uuid_generate_v7()", "uuidv7() (core)", 1.5),
            ("generate_typeid('user') / gen_random_uuid()", "generate_typeid('user')", "gen_random_uuid()", 0.3)]:
        if b in med:
            per_round = harness.summary([x / y for x, y in zip(times[a], times[b])])
            goals.append((text, med[a] / med[b], limit, per_round))

    source = os.environ.get("BENCH_SOURCE", "")
    out = [f"# idconv's time-ordered generators on PostgreSQL {major}, {stamp}", "",
           f"Made by `sudo bash bench/versions {major}`" + (f" from {source}" if source else "") +
           f": {harness.ROUNDS} rounds interleaved in one session, {ROWS:,} calls per query "
           "(`SELECT count(f()) FROM generate_series(…)`). Every figure is a median of the backend's CPU time "
           "per call (/proc/self/schedstat), which includes the `generate_series` scan (the floor row); "
           "the goals divide the medians as `bench/harness.py` does. Ratios are from this run only.", "",
           f"- CPU: {info['cpu']}, {info['cores']} cores; kernel {info['kernel']}",
           f"- {info['postgres']}",
           f"- OpenSSL: {info['openssl']}",
           f"- Load average (1, 5, 15 min): {' '.join(load_before)} before, {' '.join(load_after)} after", "",
           "## Goals", "", "| goal | measured | target | met | per round: median (min–max) |",
           "|---|---:|---:|:---:|---:|"]
    for text, value, limit, r in goals:
        out.append(f"| {text} | {value:.3g} | ≤ {limit:g} | {'yes' if value <= limit else '**no**'} | "
                   f"{r['median']:.3g} ({r['min']:.3g}–{r['max']:.3g}) |")
    out += ["", "## Per call", "",
            "| function | ns/call median | min–max | less the floor |", "|---|---:|---:|---:|"]
    for name, s in sorted(calls.items(), key=lambda kv: kv[1]["median"]):
        less = "" if name == FLOOR else harness.fmt_ns(s["median"] - med[FLOOR])
        out.append(f"| `{name}` | {harness.fmt_ns(s['median'])} | "
                   f"{harness.fmt_ns(s['min'])}–{harness.fmt_ns(s['max'])} | {less} |")
    md = harness.write_results(f"{stamp}-pg{major}", out)
    print("\n".join(out))
    print(f"wrote {md}")


if __name__ == "__main__":
    main()
