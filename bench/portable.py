#!/usr/bin/env python3
"""The portable edition (portable/idconv.sql) beside the extension, run by bench/portable inside a
throwaway PostgreSQL with the extension installed. Both editions in one database (the extension in
public, the portable edition in schema portable, pgcrypto in public), each portable function timed
interleaved with its C++ twin on the same inputs, plus gen_random_uuid() and the hand-written
PL/pgSQL CUID2 of plpgsql_cuid2.sql for the goals. Medians of ROUNDS runs; ns per call include the
scan of the input rows (the "floor" row shows it). Time is the backend's time on a CPU
(/proc/self/schedstat, read before and after each query), not wall time: on a machine shared with
other work, wall time adds the waits for a CPU, and more of them to longer queries.
Writes bench/results/<date>-portable.md.
"""
import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "200000"))
DB = harness.DB
NS = harness.NS


def setup():
    harness.psql(f"DROP DATABASE IF EXISTS {DB}; CREATE DATABASE {DB};", db="postgres")
    harness.psql(f"""
        CREATE EXTENSION idconv; CREATE EXTENSION pgcrypto; CREATE SCHEMA portable;
        ALTER DATABASE {DB} SET idconv.subject_namespace = '{NS}';
        SET search_path = portable;
        \\i {harness.TOP}/portable/idconv.sql
        SET search_path = public;
        SELECT register_prefix('user', 'usr'), portable.register_prefix('user', 'usr');
        SELECT register_prefix('event', 'evt', body => 'typeid'), portable.register_prefix('event', 'evt', body => 'typeid');
        CREATE TABLE tids AS SELECT generate_typeid('user') AS tid, uuid_generate_v7() AS u FROM generate_series(1, {ROWS});
        VACUUM ANALYZE tids;
        CREATE TABLE ids AS SELECT generate_prefixed_id('usr') AS id FROM generate_series(1, {ROWS});
        {harness.names_table(ROWS)}
        -- Each validator also on the texts it is made for, which it reads to the end: CUID2s, slugs
        -- and prefixes (ids, above, are rejected at their "_" by all but is_prefixed_id).
        CREATE TABLE cuid2s AS SELECT generate_cuid2() AS id FROM generate_series(1, {ROWS});
        CREATE TABLE slugs AS SELECT slugify((ARRAY['Acme Widgets', 'Hello, World', 'Q3 Report 2024', 'Team Alpha'])[1 + g % 4] || ' ' || g) AS id
          FROM generate_series(1, {ROWS}) g;
        CREATE TABLE prefixes AS SELECT (ARRAY['usr', 'org', 'api_key', 'user_account', 'evt', 'ws'])[1 + g % 6] AS id
          FROM generate_series(1, {ROWS}) g;
        VACUUM ANALYZE ids; VACUUM ANALYZE names; VACUUM ANALYZE cuid2s; VACUUM ANALYZE slugs; VACUUM ANALYZE prefixes;
    """)
    harness.psql(open(os.path.join(harness.HERE, "plpgsql_cuid2.sql")).read())


# (name, C++ expression, portable expression, source, rows)
PAIRS = [
    ("generate_prefixed_id('usr')", "generate_prefixed_id('usr')", "portable.generate_prefixed_id('usr')", "gen"),
    ("generate_cuid2()", "generate_cuid2()", "portable.generate_cuid2()", "gen"),
    ("generate_id_for('user')", "generate_id_for('user')", "portable.generate_id_for('user')", "gen"),
    ("is_prefixed_id(id, 'usr')", "is_prefixed_id(id, 'usr')", "portable.is_prefixed_id(id, 'usr')", "ids"),
    ("is_prefixed_id(id)", "is_prefixed_id(id)", "portable.is_prefixed_id(id)", "ids"),
    ("is_valid_prefix(id)", "is_valid_prefix(id)", "portable.is_valid_prefix(id)", "ids"),
    ("is_cuid2(id)", "is_cuid2(id)", "portable.is_cuid2(id)", "ids"),
    ("is_slug(id)", "is_slug(id)", "portable.is_slug(id)", "ids"),
    ("is_cuid2(id) on CUID2s", "is_cuid2(id)", "portable.is_cuid2(id)", "cuid2s"),
    ("is_slug(id) on slugs", "is_slug(id)", "portable.is_slug(id)", "slugs"),
    ("is_valid_prefix(id) on prefixes", "is_valid_prefix(id)", "portable.is_valid_prefix(id)", "prefixes"),
    ("prefixed_id_prefix(id)", "prefixed_id_prefix(id)", "portable.prefixed_id_prefix(id)", "ids"),
    ("prefixed_id_body(id)", "prefixed_id_body(id)", "portable.prefixed_id_body(id)", "ids"),
    ("id_kind(id)", "id_kind(id)", "portable.id_kind(id)", "ids"),
    ("entity_of(id)", "entity_of(id)", "portable.entity_of(id)", "ids"),
    ("uuidv5(ns, name)", f"uuidv5('{NS}', name)", f"portable.uuidv5('{NS}', name)", "names"),
    ("normalize_subject(name, ns)", f"normalize_subject(name, '{NS}')", f"portable.normalize_subject(name, '{NS}')", "names"),
    ("normalize_subject(name)", "normalize_subject(name)", "portable.normalize_subject(name)", "names"),
    ("sha1_subject_uuid(name)", "sha1_subject_uuid(name)", "portable.sha1_subject_uuid(name)", "names"),
    ("uuid_version(md5(name)::uuid)", "uuid_version(md5(name)::uuid)", "portable.uuid_version(md5(name)::uuid)", "names"),
    ("slugify(name)", "slugify(name)", "portable.slugify(name)", "names"),
    ("current_subject_id()", "current_subject_id()", "portable.current_subject_id()", "gen"),
    ("uuid_generate_v7()", "uuid_generate_v7()", "portable.uuid_generate_v7()", "gen"),
    ("generate_typeid('user')", "generate_typeid('user')", "portable.generate_typeid('user')", "gen"),
    ("generate_id_for('event') (TypeID)", "generate_id_for('event')", "portable.generate_id_for('event')", "gen"),
    ("uuid_timestamptz_to_v7(ts)", "uuid_timestamptz_to_v7(to_timestamp(g))", "portable.uuid_timestamptz_to_v7(to_timestamp(g))", "gen"),
    ("is_typeid(tid, 'user')", "is_typeid(tid, 'user')", "portable.is_typeid(tid, 'user')", "tids"),
    ("is_typeid(tid)", "is_typeid(tid)", "portable.is_typeid(tid)", "tids"),
    ("typeid_to_uuid(tid)", "typeid_to_uuid(tid)", "portable.typeid_to_uuid(tid)", "tids"),
    ("typeid_prefix(tid)", "typeid_prefix(tid)", "portable.typeid_prefix(tid)", "tids"),
    ("uuid_to_typeid('user', u)", "uuid_to_typeid('user', u)", "portable.uuid_to_typeid('user', u)", "tids"),
    ("uuid_v7_to_timestamptz(u)", "uuid_v7_to_timestamptz(u)", "portable.uuid_v7_to_timestamptz(u)", "tids"),
]
VALIDATORS = ["is_prefixed_id(id, 'usr')", "is_prefixed_id(id)", "is_valid_prefix(id)", "is_cuid2(id)", "is_slug(id)",
              "is_cuid2(id) on CUID2s", "is_slug(id) on slugs", "is_valid_prefix(id) on prefixes"]
# The rows each validator reads: the least a validator in SQL can do on them is one regular-expression
# match that stops at the first character.
SOURCE = {name: src for name, _, _, src in PAIRS}


def measure():
    sources = {"gen": f"generate_series(1, {ROWS // 10}) AS g", "ids": "ids", "names": "names", "tids": "tids",
               "cuid2s": "cuid2s", "slugs": "slugs", "prefixes": "prefixes"}
    rows = {"gen": ROWS // 10, "ids": ROWS, "names": ROWS, "tids": ROWS, "cuid2s": ROWS, "slugs": ROWS, "prefixes": ROWS}
    results = {}
    floors = {"gen": "count(g::text)", "ids": "count(length(id))", "names": "count(length(name))",
              "tids": "count(length(tid))", "cuid2s": "count(length(id))", "slugs": "count(length(id))",
              "prefixes": "count(length(id))"}
    for src in ("gen", "ids", "names", "tids", "cuid2s", "slugs", "prefixes"):
        queries = [(f"floor:{src}", f"SELECT {floors[src]} FROM {sources[src]};")]
        if src == "gen":
            queries.append(("gen_random_uuid()", f"SELECT count(gen_random_uuid()) FROM {sources[src]};"))
        if src in ("cuid2s", "slugs", "prefixes"):
            queries.append((f"one regex match on {src}", f"SELECT count(id ~ '^u') FROM {sources[src]};"))
        if src == "ids":
            # The least a validator in SQL can do: one regular-expression match that stops at the
            # first character. Every portable validator makes at least one.
            queries += [("one regex match (id ~ '^u')", f"SELECT count(id ~ '^u') FROM {sources[src]};"),
                        # ... and the least pattern that checks a prefixed id's shape (letters and "_",
                        # then "_" and a body), which reads every character; or the body alone.
                        ("one regex over the id", f"SELECT count(id COLLATE \"C\" ~ '^[a-z_]*_[a-z][0-9a-z]*$') FROM {sources[src]};"),
                        ("one regex over the body", f"SELECT count(substr(id, 5) COLLATE \"C\" ~ '^[a-z][0-9a-z]+$') FROM {sources[src]};")]
        for name, c, p, s in PAIRS:
            if s == src:
                queries += [(f"c:{name}", f"SELECT count({c}) FROM {sources[src]};"),
                            (f"p:{name}", f"SELECT count({p}) FROM {sources[src]};")]
        # current_subject_id() reads the claims PostgREST sets for each request.
        for name, ms in harness.cpu_rounds(queries, "SET max_parallel_workers_per_gather = 0; "
                                           "SET request.jwt.claims = '{\"sub\": \"auth0|5f7c8ec7c33c6c004bbafe82\"}';").items():
            results[name] = {k: v * 1e6 / rows[src] for k, v in harness.summary(ms).items()}
    n = max(ROWS // 200, 200)
    for name, ms in harness.cpu_rounds([
            ("PL/pgSQL CUID2 (bench/plpgsql_cuid2.sql)", f"SELECT count(plpgsql_cuid2(16)) FROM generate_series(1, {n});"),
            ("p:generate_prefixed_id('usr') (same rows)", f"SELECT count(portable.generate_prefixed_id('usr')) FROM generate_series(1, {n});")],
            "SET max_parallel_workers_per_gather = 0;").items():
        results[name] = {k: v * 1e6 / n for k, v in harness.summary(ms).items()}
    return results


def main():
    stamp = datetime.date.today().isoformat()
    setup()
    info = harness.machine()
    r = measure()
    med = {k: v["median"] for k, v in r.items()}
    gp = med["p:generate_prefixed_id('usr')"]
    goals = [
        ("portable generate_prefixed_id / gen_random_uuid()", gp / med["gen_random_uuid()"], "≤ 10", gp / med["gen_random_uuid()"] <= 10),
        ("PL/pgSQL CUID2 / portable generate_prefixed_id (16-char body, same rows)",
         med["PL/pgSQL CUID2 (bench/plpgsql_cuid2.sql)"] / med["p:generate_prefixed_id('usr') (same rows)"], "≥ 5",
         med["PL/pgSQL CUID2 (bench/plpgsql_cuid2.sql)"] / med["p:generate_prefixed_id('usr') (same rows)"] >= 5),
    ]
    floor_of = {"ids": "one regex match (id ~ '^u')", "cuid2s": "one regex match on cuid2s",
                "slugs": "one regex match on slugs", "prefixes": "one regex match on prefixes"}
    floors = []
    for v in VALIDATORS:
        ratio = med[f"p:{v}"] / med[f"c:{v}"]
        goals.append((f"portable {v} / extension's", ratio, "≤ 3", ratio <= 3))
        floors.append((v, med[floor_of[SOURCE[v]]] / med[f"c:{v}"]))
    floor_re = med["one regex match (id ~ '^u')"]
    bounds = [(v, floor_re / med[f"c:{v}"]) for v in VALIDATORS if SOURCE[v] == "ids"]
    over_id, over_body = med["one regex over the id"], med["one regex over the body"]
    over_id_ratio = over_id / med["c:is_prefixed_id(id)"]
    over_body_ratio = over_body / med["c:is_prefixed_id(id, 'usr')"]
    out = [f"# idconv portable edition beside the extension, {stamp}", "",
           f"Made by `sudo bash bench/portable` ({harness.ROUNDS} rounds interleaved, {ROWS:,} input rows; generators "
           f"{ROWS // 10:,}). Every figure is a median of the backend's CPU time per call (/proc/self/schedstat), which "
           "includes the scan of the input rows (the floor rows). Ratios are from this run only.", "",
           f"- CPU: {info['cpu']}, {info['cores']} cores; {info['postgres']}", f"- OpenSSL: {info['openssl']}", "",
           "## Goals", "", "| goal | measured | target | met |", "|---|---:|---:|:---:|"]
    for text, value, limit, ok in goals:
        out.append(f"| {text} | {value:.3g} | {limit} | {'yes' if ok else '**no**'} |")
    out += ["", "The floor under any validator in SQL: one regular-expression match that stops at its first "
            f"character (`count(id ~ '^u')`, the scan included) costs {harness.fmt_ns(floor_re)} ns a row, that is "
            + ", ".join(f"{r:.2f} x the extension's `{v}`" for v, r in bounds) + ". "
            "A prefixed id's check must read every character: the least pattern for its shape over the whole id "
            f"(`^[a-z_]*_[a-z][0-9a-z]*$`, without the length and prefix checks) costs {harness.fmt_ns(over_id)} ns, {over_id_ratio:.2f} x the extension's "
            f"`is_prefixed_id(id)`, and one over the body after a known prefix (`substr(id, 5)`) "
            f"{harness.fmt_ns(over_body)} ns, {over_body_ratio:.2f} x its `is_prefixed_id(id, 'usr')`.",
            "", "The same floor on each validator's own rows (one match of `id ~ '^u'` over the rows it read, against "
            "the extension's whole call): " + ", ".join(f"`{v}` {r:.2f} x" for v, r in floors)
            + ". Where this is over 3, no SQL validator that checks its characters with a regular expression can meet the goal.",
            "", "## Every portable function against its C++ twin", "",
            "| function | C++ ns/call | portable ns/call | portable / C++ |", "|---|---:|---:|---:|"]
    for name, *_ in PAIRS:
        c, p = med[f"c:{name}"], med[f"p:{name}"]
        out.append(f"| `{name}` | {harness.fmt_ns(c)} | {harness.fmt_ns(p)} | {p / c:.2f} |")
    out += ["", "| peer | ns/call |", "|---|---:|"]
    for k in ("floor:gen", "floor:ids", "floor:names", "floor:tids", "floor:cuid2s", "floor:slugs", "floor:prefixes",
              "gen_random_uuid()", "one regex match (id ~ '^u')", "one regex match on cuid2s", "one regex match on slugs",
              "one regex match on prefixes",
              "one regex over the id", "one regex over the body",
              "PL/pgSQL CUID2 (bench/plpgsql_cuid2.sql)",
              "p:generate_prefixed_id('usr') (same rows)"):
        out.append(f"| `{k}` | {harness.fmt_ns(med[k])} |")
    md = harness.write_results(f"{stamp}-portable", out)
    print("\n".join(out))
    print(f"wrote {md}")


if __name__ == "__main__":
    main()
