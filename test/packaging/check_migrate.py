#!/usr/bin/env python3
"""portable/migrate-to-extension.sql names, in one list, the functions and procedures of the portable edition
that the extension provides too: it moves them aside before CREATE EXTENSION. The list must be
every function that src/sql/idconv.sql declares for both editions, or the move fails when a
release adds one ("function ... already exists"). Prints one ok/FAILED line; exits 1 on FAILED."""
import os
import re
import sys

top = sys.argv[1] if len(sys.argv) > 1 else "."
sys.path.insert(0, os.path.join(top, "src", "sql"))
sys.dont_write_bytecode = True
import build  # noqa: E402

source = os.path.join(top, "src", "sql", "idconv.sql")
both = set()
for obj in build.objects(build.parse(source), source):
    if obj["kind"] == "function" and build.extension_body(obj) is not None and build.portable_body(obj) is not None:
        both.add(obj["name"].split("(")[0].strip())
    elif obj["kind"] == "script":  # one text for both editions
        both.update(re.findall(r"CREATE OR REPLACE (?:FUNCTION|PROCEDURE) @schema@\.([a-z0-9_]+)", "\n".join(obj["lines"])))
script = open(os.path.join(top, "portable", "migrate-to-extension.sql"), encoding="utf-8").read()
listed = re.search(r"p\.proname IN \((.*?)\)\);", script, re.S)
names = set(re.findall(r"'([a-z0-9_]+)'", listed.group(1))) if listed else set()
name = "migrate: portable/migrate-to-extension.sql moves aside every function both editions declare in src/sql/idconv.sql"
if names == both:
    print(f"ok      {name} ({len(both)})")
else:
    print(f"   missing from the script: {sorted(both - names)}; not in both editions: {sorted(names - both)}")
    print(f"FAILED  {name}")
    sys.exit(1)
