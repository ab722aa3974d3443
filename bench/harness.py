#!/usr/bin/env python3
"""idconv's benchmark harness, run by bench/run inside a throwaway PostgreSQL (pg_virtualenv sets
PGHOST, PGPORT, PGUSER, PGPASSWORD). Every figure is a median of ROUNDS runs, interleaved with the
peers it is compared with, and every goal is a ratio measured in this one run: no absolute time
passes or fails anything. Writes bench/results/<date>.md and bench/results/<date>.png.
"""
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
PGBENCH_SECONDS = int(os.environ.get("BENCH_PGBENCH_SECONDS", "10"))
DB = "idconv_bench"
NS = "9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a"
HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)


def psql(script, db=DB, check=True):
    """Runs a psql script in one session and returns its output."""
    proc = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", db],
                          input=script, text=True, capture_output=True)
    if check and proc.returncode != 0:
        sys.exit(f"psql failed:\n{proc.stderr}\n--- script ---\n{script[:2000]}")
    return proc.stdout


def timed_rounds(queries, setup=""):
    """Runs each (name, sql) ROUNDS times, interleaved, in one session; returns name -> [ms]."""
    lines = [setup, "\\timing on"]
    for _ in range(ROUNDS):
        for i, (_, sql) in enumerate(queries):
            lines += [f"\\echo MARK {i}", sql]
    out = psql("\n".join(lines))
    times = {name: [] for name, _ in queries}
    current = None
    for line in out.splitlines():
        if line.startswith("MARK "):
            current = queries[int(line[5:])][0]
        elif line.startswith("Time: ") and current is not None:
            times[current].append(float(line.split()[1]))
            current = None
    for name, ms in times.items():
        if len(ms) != ROUNDS:
            sys.exit(f"{name}: expected {ROUNDS} timings, got {len(ms)}")
    return times


def cpu_rounds(queries, setup=""):
    """Like timed_rounds, in the backend's CPU time (/proc/self/schedstat, read before and after each
    query; a superuser's pg_read_file): name -> [ms]. Wall time would add the waits for a CPU on a
    shared machine, and more of them to longer queries."""
    stat = "SELECT '{} ' || split_part(pg_read_file('/proc/self/schedstat'), ' ', 1);"
    lines = [setup]
    for _ in range(ROUNDS):
        for i, (_, sql) in enumerate(queries):
            lines += [stat.format(f"S{i}"), sql, stat.format(f"E{i}")]
    out = psql("\n".join(lines))
    times = {name: [] for name, _ in queries}
    start = {}
    for line in out.splitlines():
        if line[:1] in "SE" and " " in line and line.split()[0][1:].isdigit():
            tag, ns = line.split()
            i = int(tag[1:])
            if tag[0] == "S":
                start[i] = int(ns)
            else:
                times[queries[i][0]].append((int(ns) - start.pop(i)) / 1e6)
    return times


def summary(ms):
    return {"median": statistics.median(ms), "min": min(ms), "max": max(ms)}


def names_table(rows):
    """SQL for table names: ROWS subject names in the shapes identity providers send (numeric ids,
    auth0|..., e-mail addresses, google-oauth2|..., UUIDs), shared by every benchmark of the
    subject functions so that their figures are on the same input."""
    return f"""CREATE TABLE names AS SELECT CASE g % 5
            WHEN 0 THEN (100000000000000000 + g)::text
            WHEN 1 THEN 'auth0|' || substr(md5(g::text), 1, 24)
            WHEN 2 THEN 'User ' || g || '@Example.com'
            WHEN 3 THEN 'google-oauth2|' || (100000000000000000000 + g)::text
            ELSE md5(g::text)::uuid::text END AS name
          FROM generate_series(1, {rows}) g;"""


def write_results(name, lines):
    """Writes bench/results/NAME.md, drops the benchmark database, and returns the file's path."""
    md = os.path.join(HERE, "results", f"{name}.md")
    with open(md, "w") as f:
        f.write("\n".join(lines) + "\n")
    psql(f"DROP DATABASE IF EXISTS {DB};", db="postgres")
    return md


# ---- setup ------------------------------------------------------------------------------------

def setup():
    psql(f"DROP DATABASE IF EXISTS {DB}; CREATE DATABASE {DB};", db="postgres")
    psql(f"""
        CREATE EXTENSION idconv; CREATE EXTENSION "uuid-ossp"; CREATE EXTENSION pgcrypto;
        ALTER DATABASE {DB} SET idconv.subject_namespace = '{NS}';
        SELECT register_prefix('user', 'usr');
        CREATE TABLE ids AS SELECT generate_prefixed_id('usr') AS id FROM generate_series(1, {ROWS});
        CREATE TABLE typeids AS SELECT generate_typeid('user') AS id FROM generate_series(1, {ROWS});
        CREATE TABLE uuid_texts AS SELECT gen_random_uuid()::text AS t FROM generate_series(1, {ROWS});
        {names_table(ROWS)}
        VACUUM ANALYZE ids; VACUUM ANALYZE names; VACUUM ANALYZE typeids; VACUUM ANALYZE uuid_texts;
    """)
    psql(open(os.path.join(HERE, "plpgsql_cuid2.sql")).read())


# ---- measurements -----------------------------------------------------------------------------

def has_core_uuidv7():
    """PostgreSQL 18 and later have uuidv7() in core: the peer of uuid_generate_v7()."""
    return int(psql("SHOW server_version_num;").strip()) >= 180000


def per_call():
    """ns per call, each in the company of its peers on the same inputs."""
    groups = [
        (f"generate_series(1, {ROWS}) AS g", ROWS, [
            ("count(g::text) (floor)", "count(g::text)"),
            ("generate_prefixed_id('usr')", "count(generate_prefixed_id('usr'))"),
            ("generate_cuid2()", "count(generate_cuid2())"),
            ("generate_id_for('user')", "count(generate_id_for('user'))"),
            ("gen_random_uuid()", "count(gen_random_uuid())"),
            ("uuid_generate_v4() (uuid-ossp)", "count(uuid_generate_v4())"),
            ("uuid_generate_v7()", "count(uuid_generate_v7())"),
            ("generate_typeid('user')", "count(generate_typeid('user'))"),
        ] + ([("uuidv7() (core)", "count(uuidv7())")] if has_core_uuidv7() else [])),
        ("typeids", ROWS, [
            ("length(typeid)", "count(length(id))"),
            ("is_typeid(id, 'user')", "count(is_typeid(id, 'user'))"),
            ("typeid_to_uuid(id)", "count(typeid_to_uuid(id))"),
        ]),
        ("uuid_texts", ROWS, [
            ("text::uuid cast", "count(t::uuid)"),
        ]),
        ("ids", ROWS, [
            ("length(id)", "count(length(id))"),
            ("is_prefixed_id(id, 'usr')", "count(is_prefixed_id(id, 'usr'))"),
            ("id_kind(id)", "count(id_kind(id))"),
        ]),
        ("names", ROWS, [
            ("md5(name)", "count(md5(name))"),
            ("uuid_generate_v5(ns, name) (uuid-ossp)", f"count(uuid_generate_v5('{NS}', name))"),
            ("uuidv5(ns, name)", f"count(uuidv5('{NS}', name))"),
            ("normalize_subject(name)", "count(normalize_subject(name))"),
            ("slugify(name)", "count(slugify(name))"),
        ]),
        # The hand-written peer is slow: fewer rows, the same per-call arithmetic.
        (f"generate_series(1, {ROWS // 50}) AS g", ROWS // 50, [
            ("PL/pgSQL CUID2 (pgcrypto sha3-512)", "count(plpgsql_cuid2(16))"),
        ]),
    ]
    results = {}
    for source, rows, items in groups:
        queries = [(name, f"SELECT {expr} FROM {source};") for name, expr in items]
        for name, ms in timed_rounds(queries, "SET max_parallel_workers_per_gather = 0;").items():
            s = summary(ms)
            results[name] = {k: v * 1e6 / rows for k, v in s.items()}  # ns per call
    return results


TABLE_VARIANTS = [
    ("prefixed, default collation, CHECK",
     "id text PRIMARY KEY DEFAULT generate_prefixed_id('usr') CHECK (is_prefixed_id(id, 'usr'))"),
    ("prefixed, ICU en-US, CHECK",
     "id text COLLATE \"en-US-x-icu\" PRIMARY KEY DEFAULT generate_prefixed_id('usr') CHECK (is_prefixed_id(id, 'usr'))"),
    ("prefixed, COLLATE \"C\", CHECK",
     "id text COLLATE \"C\" PRIMARY KEY DEFAULT generate_prefixed_id('usr') CHECK (is_prefixed_id(id, 'usr'))"),
    ("prefixed, COLLATE \"C\", no CHECK",
     "id text COLLATE \"C\" PRIMARY KEY DEFAULT generate_prefixed_id('usr')"),
    ("uuid DEFAULT gen_random_uuid()", "id uuid PRIMARY KEY DEFAULT gen_random_uuid()"),
    ("bigserial", "id bigserial PRIMARY KEY"),
]


def tables():
    """Bulk INSERT of ROWS rows into a new table per variant and round: time, sizes."""
    lines = ["SET max_parallel_workers_per_gather = 0;", "\\timing on"]
    for _ in range(ROUNDS):
        for i, (_, column) in enumerate(TABLE_VARIANTS):
            lines += [f"DROP TABLE IF EXISTS t{i};", f"CREATE TABLE t{i} ({column}, n int NOT NULL);",
                      "CHECKPOINT;", f"\\echo MARK {i}",
                      f"INSERT INTO t{i} (n) SELECT g FROM generate_series(1, {ROWS}) g;"]
    lines += ["\\timing off"]
    for i in range(len(TABLE_VARIANTS)):
        lines += [f"SELECT 'SIZE {i} ' || pg_table_size('t{i}') || ' ' || pg_indexes_size('t{i}');"]
    out = psql("\n".join(lines))
    times = {i: [] for i in range(len(TABLE_VARIANTS))}
    sizes = {}
    current = None
    for line in out.splitlines():
        if line.startswith("MARK "):
            current = int(line[5:])
        elif line.startswith("Time: ") and current is not None:
            times[current].append(float(line.split()[1]))
            current = None
        elif line.startswith("SIZE "):
            _, i, table, index = line.split()
            sizes[int(i)] = (int(table), int(index))
    results = {}
    for i, (name, column) in enumerate(TABLE_VARIANTS):
        results[name] = dict(summary(times[i]), table_bytes=sizes[i][0], index_bytes=sizes[i][1], column=column)
    return results


def pgbench():
    """Inserts per second into the recommended table, 1 and 2 clients, interleaved."""
    psql("DROP TABLE IF EXISTS pgb; CREATE TABLE pgb (id text COLLATE \"C\" PRIMARY KEY "
         "DEFAULT generate_prefixed_id('usr') CHECK (is_prefixed_id(id, 'usr')), n int NOT NULL);")
    script = os.path.join("/tmp", f"idconv-pgbench-{os.getpid()}.sql")
    with open(script, "w") as f:
        f.write("INSERT INTO pgb (n) VALUES (1);\n")
    tps = {1: [], 2: []}
    for _ in range(ROUNDS):
        for clients in (1, 2):
            out = subprocess.run(["pgbench", "-n", "-f", script, "-c", str(clients), "-j", str(clients),
                                  "-T", str(PGBENCH_SECONDS), DB], text=True, capture_output=True, check=True).stdout
            m = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", out)
            tps[clients].append(float(m.group(1)))
    os.unlink(script)
    return {clients: summary(v) for clients, v in tps.items()}


def rss():
    """Growth of one backend's resident set over 10M generator calls. The warm-up has the same
    shape: a 10M-row generate_series alone grows a backend by tens of MB (PostgreSQL's tuplestore),
    which is not the generator's doing."""
    out = psql("""
        SELECT count(g::text) FROM generate_series(1, 10000000) AS g;
        SELECT count(generate_prefixed_id('usr')) FROM generate_series(1, 1000000);
        SELECT 'RSS ' || substring(pg_read_file('/proc/self/status') FROM 'VmRSS:\\s+(\\d+)');
        SELECT count(generate_prefixed_id('usr')) FROM generate_series(1, 10000000);
        SELECT 'RSS ' || substring(pg_read_file('/proc/self/status') FROM 'VmRSS:\\s+(\\d+)');
    """)
    kb = [int(line.split()[1]) for line in out.splitlines() if line.startswith("RSS ")]
    return {"before_kb": kb[0], "after_kb": kb[1], "growth_kb": kb[1] - kb[0]}


def core():
    """Google Benchmark medians (ns per call) from the Release build."""
    binary = os.path.join(TOP, "build-bench", "idconv_bench")
    out = subprocess.run([binary, f"--benchmark_repetitions={ROUNDS}", "--benchmark_min_time=0.3",
                          "--benchmark_report_aggregates_only=true", "--benchmark_format=json"],
                         text=True, capture_output=True, check=True).stdout
    data = json.loads(out)
    return {b["run_name"]: b["real_time"] for b in data["benchmarks"] if b.get("aggregate_name") == "median"}


# ---- report -----------------------------------------------------------------------------------

def machine():
    cpu = "unknown"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    openssl, package = "unknown", "libssl3"
    for name in ("libssl3", "libssl3t64"):  # libssl3t64 from Debian 13 on
        version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", name], text=True,
                                 capture_output=True).stdout
        if version:
            openssl, package = version, name
            break
    return {
        "cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(),
        "postgres": psql("SELECT version();").strip(),
        "openssl": f"{package} {openssl} (Debian)",
        "collation": psql("SELECT datcollate FROM pg_database WHERE datname = current_database();").strip(),
    }


def goals(calls, tabs, bench, mem, micro):
    def ratio(a, b):
        return a / b
    checks = []

    def goal(text, value, limit, higher_is_better=False):
        ok = value >= limit if higher_is_better else value <= limit
        checks.append((text, value, ("≥ " if higher_is_better else "≤ ") + f"{limit:g}", ok))

    gp = calls["generate_prefixed_id('usr')"]["median"]
    goal("generate_prefixed_id('usr') / uuid_generate_v5", ratio(gp, calls["uuid_generate_v5(ns, name) (uuid-ossp)"]["median"]), 0.7)
    goal("generate_prefixed_id('usr') / gen_random_uuid()", ratio(gp, calls["gen_random_uuid()"]["median"]), 0.35)
    goal("PL/pgSQL CUID2 / generate_prefixed_id('usr')", ratio(calls["PL/pgSQL CUID2 (pgcrypto sha3-512)"]["median"], gp), 20, True)
    goal("core CUID2 (16) / bare SHA3-512 of its input", ratio(micro["BM_Cuid2Next/16"], micro["BM_Sha3_512/62"]), 1.5)
    goal("normalize_subject / uuid_generate_v5", ratio(calls["normalize_subject(name)"]["median"], calls["uuid_generate_v5(ns, name) (uuid-ossp)"]["median"]), 0.6)
    goal("is_prefixed_id / length(text)", ratio(calls["is_prefixed_id(id, 'usr')"]["median"], calls["length(id)"]["median"]), 1.5)
    goal("INSERT with CHECK / without (COLLATE \"C\")", ratio(tabs["prefixed, COLLATE \"C\", CHECK"]["median"], tabs["prefixed, COLLATE \"C\", no CHECK"]["median"]), 1.05)
    goal("INSERT recommended prefixed table / uuid table", ratio(tabs["prefixed, COLLATE \"C\", CHECK"]["median"], tabs["uuid DEFAULT gen_random_uuid()"]["median"]), 1.15)
    goal("pgbench 2 clients / 1 client", ratio(bench[2]["median"], bench[1]["median"]), 1.6, True)
    goal("RSS growth over 10M calls (kB)", mem["growth_kb"], 1024)
    gr = calls["gen_random_uuid()"]["median"]
    goal("uuid_generate_v7() / gen_random_uuid()", ratio(calls["uuid_generate_v7()"]["median"], gr), 0.25)
    if "uuidv7() (core)" in calls:
        goal("uuid_generate_v7() / core uuidv7()", ratio(calls["uuid_generate_v7()"]["median"], calls["uuidv7() (core)"]["median"]), 1.5)
    goal("generate_typeid('user') / gen_random_uuid()", ratio(calls["generate_typeid('user')"]["median"], gr), 0.3)
    goal("is_typeid / length(text)", ratio(calls["is_typeid(id, 'user')"]["median"], calls["length(typeid)"]["median"]), 1.5)
    goal("typeid_to_uuid / text::uuid cast", ratio(calls["typeid_to_uuid(id)"]["median"], calls["text::uuid cast"]["median"]), 2)
    return checks


def chart(calls, path):
    data = path[:-4] + ".dat"
    rows = sorted(calls.items(), key=lambda kv: kv[1]["median"])
    with open(data, "w") as f:
        for i, (name, s) in enumerate(rows):
            f.write(f'{i} {s["median"]:.1f} "{name}"\n')
    script = f"""
set terminal pngcairo noenhanced size 1100,{120 + 34 * len(rows)} font "sans,10"
set output "{path}"
set title "ns per call, median of {ROUNDS} runs (lower is better); log scale"
set logscale x
set xlabel "ns per call"
set ytics nomirror
set grid xtics
set style fill solid 0.7
set boxwidth 0.6
set yrange [-1:{len(rows)}]
unset key
plot "{data}" using 2:1:(1):2:($1-0.3):($1+0.3):ytic(3) with boxxyerror lc rgb "#4477aa", \\
     "{data}" using 2:1:(sprintf(" %.0f", $2)) with labels left offset 0.5,0
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    os.unlink(data)


def fmt_ns(v):
    return f"{v:,.0f}" if v >= 100 else f"{v:.1f}"


def main():
    stamp = datetime.date.today().isoformat()
    print(f"rounds={ROUNDS} rows={ROWS}")
    setup()
    info = machine()
    print("per-call ...", flush=True)
    calls = per_call()
    print("tables ...", flush=True)
    tabs = tables()
    print("pgbench ...", flush=True)
    bench = pgbench()
    print("rss ...", flush=True)
    mem = rss()
    print("core ...", flush=True)
    micro = core()
    checks = goals(calls, tabs, bench, mem, micro)
    png = os.path.join(HERE, "results", f"{stamp}.png")
    chart(calls, png)

    out = [f"# idconv benchmarks, {stamp}", "",
           "Made by `sudo bash bench/run` from a clean clone. Every figure is the median of "
           f"{ROUNDS} runs interleaved with its peers (min–max beside it); ratios are from this run only.", "",
           "## Machine", "",
           f"- CPU: {info['cpu']}, {info['cores']} cores; kernel {info['kernel']}",
           f"- {info['postgres']}",
           f"- OpenSSL: {info['openssl']}",
           f"- Database collation: {info['collation']}", "",
           "## Goals", "", "| goal | measured | target | met |", "|---|---:|---:|:---:|"]
    for text, value, limit, ok in checks:
        out.append(f"| {text} | {value:.3g} | {limit} | {'yes' if ok else '**no**'} |")
    out += ["", f"## Per call ({ROWS:,} rows; the PL/pgSQL peer {ROWS // 50:,})", "",
            f"![ns per call]({stamp}.png)", "",
            "| function | ns/call median | min–max | × generate_prefixed_id |", "|---|---:|---:|---:|"]
    gp = calls["generate_prefixed_id('usr')"]["median"]
    for name, s in sorted(calls.items(), key=lambda kv: kv[1]["median"]):
        out.append(f"| `{name}` | {fmt_ns(s['median'])} | {fmt_ns(s['min'])}–{fmt_ns(s['max'])} | {s['median'] / gp:.2f} |")
    out += ["", f"## Bulk INSERT of {ROWS:,} rows", "",
            "| table | ms median | min–max | × uuid table | table MB | index MB |", "|---|---:|---:|---:|---:|---:|"]
    uuid_ms = tabs["uuid DEFAULT gen_random_uuid()"]["median"]
    for name, s in tabs.items():
        out.append(f"| {name} | {s['median']:,.0f} | {s['min']:,.0f}–{s['max']:,.0f} | {s['median'] / uuid_ms:.2f} | "
                   f"{s['table_bytes'] / 2**20:.1f} | {s['index_bytes'] / 2**20:.1f} |")
    out += ["", "Columns:", ""] + [f"- {name}: `{s['column']}`" for name, s in tabs.items()]
    out += ["", f"## pgbench: single-row INSERT into the recommended table, {PGBENCH_SECONDS} s per run", "",
            "| clients | tps median | min–max |", "|---:|---:|---:|"]
    for clients, s in bench.items():
        out.append(f"| {clients} | {s['median']:,.0f} | {s['min']:,.0f}–{s['max']:,.0f} |")
    out += ["", "## Memory", "",
            f"One backend, 10,000,000 calls of `generate_prefixed_id('usr')` after a warm-up of the same shape "
            f"(a 10M-row `generate_series`, then 1,000,000 calls): "
            f"VmRSS {mem['before_kb']:,} kB → {mem['after_kb']:,} kB ({mem['growth_kb']:+,} kB).", "",
            "## Core micro-benchmarks (Google Benchmark, Release, median ns)", "", "| benchmark | ns |", "|---|---:|"]
    for name, ns in micro.items():
        out.append(f"| `{name}` | {fmt_ns(ns)} |")
    md = write_results(stamp, out)
    print("\n".join(out[out.index("## Goals"):out.index("## Goals") + 4 + len(checks)]))
    print(f"wrote {md} and {png}")


if __name__ == "__main__":
    main()
