#!/usr/bin/env python3
"""Run by bench/keys/run inside a throwaway server (pg_virtualenv sets PGHOST, PGPORT, ...).
One table per key kind, filled one after the other in batches of KEYS_BATCH rows through one psql
session each; every batch's time is kept, so the rows/s curve shows when the index stopped
fitting in shared_buffers. Writes bench/keys/results/<date>-<rows>.{md,tsv,png}."""
import datetime
import os
import subprocess
import sys

ROWS = int(os.environ.get("KEYS_ROWS", "10000000"))
BATCH = int(os.environ.get("KEYS_BATCH", "10000"))
POINTS = 50  # points on the curve: rows/s over each 1/50 of the rows
DB = "idconv_keys"
HERE = os.path.dirname(os.path.abspath(__file__))

KINDS = [
    ("bigint identity", "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY"),
    ("uuid v4 (gen_random_uuid)", "id uuid PRIMARY KEY DEFAULT gen_random_uuid()"),
    ("uuid v7 (uuid_generate_v7)", "id uuid PRIMARY KEY DEFAULT uuid_generate_v7()"),
    ("text prefixed CUID2", "id text COLLATE \"C\" PRIMARY KEY DEFAULT generate_prefixed_id('usr')"),
    ("text TypeID", "id text COLLATE \"C\" PRIMARY KEY DEFAULT generate_typeid('user')"),
]
CORE_V7 = ("uuid v7 (core uuidv7)", "id uuid PRIMARY KEY DEFAULT uuidv7()")


def psql(script, db=DB):
    proc = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", db],
                          input=script, text=True, capture_output=True)
    if proc.returncode != 0:
        sys.exit(f"psql failed:\n{proc.stderr}")
    return proc.stdout


def run_kind(i, column):
    table = f"k{i}"
    lines = [f"DROP TABLE IF EXISTS {table};",
             f"CREATE TABLE {table} ({column}, n bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now());",
             "CHECKPOINT;",
             "SELECT 'LSN ' || pg_current_wal_lsn();",
             "\\timing on"]
    done = 0
    while done < ROWS:
        n = min(BATCH, ROWS - done)
        lines.append(f"INSERT INTO {table} (n) SELECT g FROM generate_series({done + 1}, {done + n}) g;")
        done += n
    lines += ["\\timing off",
              "SELECT 'LSN ' || pg_current_wal_lsn();",
              f"SELECT 'SIZE ' || pg_table_size('{table}') || ' ' || pg_indexes_size('{table}');",
              f"SELECT 'IO ' || idx_blks_read || ' ' || idx_blks_hit FROM pg_statio_user_indexes WHERE relname = '{table}';"]
    out = psql("\n".join(lines))
    times, lsns = [], []
    for line in out.splitlines():
        if line.startswith("Time: "):
            times.append(float(line.split()[1]))
        elif line.startswith("LSN "):
            lsns.append(line[4:])
        elif line.startswith("SIZE "):
            size = tuple(int(x) for x in line.split()[1:])
        elif line.startswith("IO "):
            io = tuple(int(x) for x in line.split()[1:])
    wal = int(psql(f"SELECT pg_wal_lsn_diff('{lsns[1]}', '{lsns[0]}')::bigint;").strip())
    psql(f"DROP TABLE {table}; CHECKPOINT;")
    return {"times_ms": times, "table_bytes": size[0], "index_bytes": size[1], "wal_bytes": wal,
            "idx_read": io[0], "idx_hit": io[1]}


def curve(times_ms):
    """rows/s over each 1/POINTS of the batches: (rows inserted at the end of the window, rows/s)."""
    per = max(1, len(times_ms) // POINTS)
    points, rows = [], 0
    for start in range(0, len(times_ms), per):
        window = times_ms[start:start + per]
        n = min(len(window) * BATCH, ROWS - rows)
        rows += n
        points.append((rows, n / (sum(window) / 1000)))
    return points


def main():
    psql(f"DROP DATABASE IF EXISTS {DB}; CREATE DATABASE {DB};", db="postgres")
    psql("CREATE EXTENSION idconv;")
    info = {
        "version": psql("SELECT version();").strip(),
        "shared_buffers": psql("SHOW shared_buffers;").strip(),
        "cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?"),
        "cores": os.cpu_count(),
    }
    kinds = list(KINDS)
    if int(psql("SHOW server_version_num;").strip()) >= 180000:
        kinds.insert(3, CORE_V7)
    results = {}
    for i, (name, column) in enumerate(kinds):
        print(f"{name} ...", flush=True)
        results[name] = run_kind(i, column)
    psql(f"DROP DATABASE {DB};", db="postgres")

    stamp = datetime.date.today().isoformat()
    base = os.path.join(HERE, "results", f"{stamp}-{ROWS}")
    with open(base + ".tsv", "w") as f:
        f.write("kind\trows\trows_per_s\n")
        for name, r in results.items():
            for rows, rate in curve(r["times_ms"]):
                f.write(f"{name}\t{rows}\t{rate:.0f}\n")
    chart(results, base + ".png", info)

    out = [f"# Primary keys at scale: {ROWS:,} rows, {stamp}", "",
           f"Made by `KEYS_ROWS={ROWS} KEYS_SHARED_BUFFERS={info['shared_buffers']} bash bench/keys/run`: "
           f"one table per key kind, filled in turn by `INSERT ... SELECT` batches of {BATCH:,} rows "
           "(columns: the key, `n bigint`, `created_at timestamptz`), checkpoint before each, autovacuum off.", "",
           f"- {info['version']}", f"- shared_buffers {info['shared_buffers']}; CPU: {info['cpu']}, {info['cores']} cores", "",
           f"![rows/s]({os.path.basename(base)}.png)", "",
           "| key | total s | rows/s overall | rows/s first 10% | rows/s last 10% | table MB | index MB | WAL MB | WAL bytes/row | index blocks read (not in shared_buffers) |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, r in results.items():
        t = r["times_ms"]
        k = max(1, len(t) // 10)
        total = sum(t) / 1000
        first = min(len(t), k) * BATCH / (sum(t[:k]) / 1000)
        last = (ROWS - (len(t) - k) * BATCH) / (sum(t[-k:]) / 1000)
        out.append(f"| {name} | {total:,.1f} | {ROWS / total:,.0f} | {first:,.0f} | {last:,.0f} | "
                   f"{r['table_bytes'] / 2**20:,.1f} | {r['index_bytes'] / 2**20:,.1f} | {r['wal_bytes'] / 2**20:,.1f} | "
                   f"{r['wal_bytes'] / ROWS:,.0f} | {r['idx_read']:,} |")
    out += ["", "Columns:", ""] + [f"- {name}: `{column}`" for name, column in kinds]
    with open(base + ".md", "w") as f:
        f.write("\n".join(out) + "\n")
    print("\n".join(out))
    print(f"wrote {base}.md, .tsv and .png")


def chart(results, path, info):
    data = path[:-4] + ".dat"
    with open(data, "w") as f:
        for name, r in results.items():
            f.write(f'"{name}"\n')
            for rows, rate in curve(r["times_ms"]):
                f.write(f"{rows / 1e6:.4f} {rate:.0f}\n")
            f.write("\n\n")
    plots = ", ".join(f'"{data}" index {i} using 1:2 with linespoints title "{name}"' for i, name in enumerate(results))
    script = f"""
set terminal pngcairo noenhanced size 1100,600 font "sans,10"
set output "{path}"
set title "INSERT rows/s while the table grows ({ROWS:,} rows, batches of {BATCH:,}; shared_buffers {info['shared_buffers']})"
set xlabel "rows in the table (millions)"
set ylabel "rows/s"
set yrange [0:*]
set grid
set key outside right
plot {plots}
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    os.unlink(data)


if __name__ == "__main__":
    main()
