#!/usr/bin/env python3
"""Writes typeid.tsv, every case of the TypeID specification's conformance files, to stdout:

    python3 test/unit/vectors/make-typeid-cases.py > test/unit/vectors/typeid.tsv

Source: typeid-spec/valid.yml and typeid-spec/invalid.yml, copied unchanged from the
jetify-com/typeid repository (spec/, "Last updated: 2024-04-10 (for version 0.3.0 of the spec)";
valid.yml at commit 26a84e85491203834ed0d1c3423ba5f679a67114, invalid.yml at
cb20c6eeb4bc6e5a115fceffcbb22f331d4033f8; Apache License 2.0).

Output: a header line, then one line per case, tab-separated:
    verdict  name  typeid  prefix  uuid
verdict is "valid" or "invalid"; prefix and uuid are empty for an invalid case. The unit tests
(test/unit/typeid_test.cpp) and pg_regress (sql/typeid.sql, with \\copy ... HEADER) read it; no
field may hold a tab, a newline or a backslash, which COPY's text format would read otherwise.

The files are a list of mappings of double-quoted strings, one "key: value" a line; that much
YAML is read here without a YAML library. A commented-out case ("# - name: ...") is no case.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def cases(path):
    out, current = [], None
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\n")
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if line.startswith("- "):
            current = {}
            out.append(current)
            line = "  " + line[2:]
        if current is None or not line.startswith("  "):
            sys.exit(f"{path}: unexpected line {raw!r}")
        key, _, value = line.strip().partition(": ")
        value = value.strip()
        current[key] = json.loads(value) if value.startswith('"') else value
    return out


def main():
    rows = [("verdict", "name", "typeid", "prefix", "uuid")]
    valid = cases(os.path.join(HERE, "typeid-spec", "valid.yml"))
    invalid = cases(os.path.join(HERE, "typeid-spec", "invalid.yml"))
    for c in valid:
        rows.append(("valid", c["name"], c["typeid"], c["prefix"], c["uuid"]))
    for c in invalid:
        rows.append(("invalid", c["name"], c["typeid"], "", ""))
    if len(valid) != 9 or len(invalid) != 19:
        sys.exit(f"expected 9 valid and 19 invalid cases (spec 0.3.0), read {len(valid)} and {len(invalid)}")
    for row in rows:
        if any(ch in field for field in row for ch in "\t\n\\"):
            sys.exit(f"a field COPY cannot hold as is: {row!r}")
        sys.stdout.write("\t".join(row) + "\n")


if __name__ == "__main__":
    main()
