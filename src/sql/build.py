#!/usr/bin/env python3
"""Builds idconv's two SQL editions from one source (the format is described at the top of
src/sql/idconv.sql):

  build.py extension SRC_DIR VERSION   > idconv--VERSION.sql   (make builds it: DATA_built)
  build.py portable SRC_DIR VERSION    > portable/idconv.sql   (make portable; committed)

SRC_DIR is src/sql. The portable edition also reads src/core/tables/latin_fold.inc (written by
src/core/tables/make-latin-fold.py), so that slugify folds the same letters in both editions.
Reads UTF-8, writes UTF-8; no other dependency than python3.
"""
import os
import re
import sys

# Directives that describe the object a `function` or `table` directive started.
FIELDS = {"returns", "markings", "comment", "portable-comment", "body", "extension-body", "portable-body"}
RULE_WIDTH = 100


def fail(message):
    sys.exit("build.py: " + message)


def parse(path):
    """The source's chunks: [directive, argument, lines], in order (lines before the first
    directive are the file's documentation)."""
    chunks = []
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith("--% "):
            keyword, _, argument = line[4:].partition(" ")
            chunks.append([keyword, argument.strip(), [], number])
        elif chunks:
            chunks[-1][2].append(line)
    for chunk in chunks:  # blank lines around a chunk are layout, not content
        lines = chunk[2]
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
    return chunks


def objects(chunks, path):
    """Groups each function or table directive with the field directives after it."""
    out = []
    for keyword, argument, lines, number in chunks:
        where = f"{path}:{number}"
        if keyword in FIELDS:
            if not out or out[-1]["kind"] not in ("function", "table"):
                fail(f"{where}: --% {keyword} outside a function or table")
            obj = out[-1]
            if keyword in obj:
                fail(f"{where}: --% {keyword} given twice for {obj['name']}")
            obj[keyword] = (argument, lines)
        elif keyword in ("function", "table"):
            out.append({"kind": keyword, "name": "\n".join([argument] + lines), "where": where})
        elif keyword in ("section", "extension", "portable", "both", "script"):
            out.append({"kind": keyword, "argument": argument, "lines": lines, "where": where})
        else:
            fail(f"{where}: unknown directive --% {keyword}")
    for obj in out:
        if obj["kind"] == "function":
            for need in ("returns", "markings", "comment"):
                if need not in obj:
                    fail(f"{obj['where']}: function {obj['name']} has no --% {need}")
            if "body" in obj and ("extension-body" in obj or "portable-body" in obj):
                fail(f"{obj['where']}: function {obj['name']}: --% body is both editions' body")
        if obj["kind"] == "table" and "comment" not in obj:
            fail(f"{obj['where']}: table {obj['name']} has no --% comment")
    return out


def argument_types(signature):
    """generate_cuid2(length int DEFAULT 24) -> generate_cuid2(int): what COMMENT ON FUNCTION
    names. Each argument is `name type` or a one-word `type`; OUT arguments are not part of it."""
    name, _, args = " ".join(signature.split()).partition("(")
    args = args.rsplit(")", 1)[0]
    types = []
    for arg in filter(None, (a.strip() for a in args.split(","))):
        words = re.sub(r"\s+DEFAULT\s.*$", "", arg, flags=re.I).split()
        if words[0].upper() == "OUT":
            continue
        if words[0].upper() in ("IN", "VARIADIC"):
            words = words[1:]
        types.append(" ".join(words[1:]) if len(words) > 1 else words[0])
    return f"{name}({', '.join(types)})"


def rule(title):
    head = f"-- {title} "
    return head + "-" * max(4, RULE_WIDTH - len(head))


def is_comment(line):
    return line.lstrip().startswith("--")


def split_comments(lines):
    """Leading comment lines, then the statement."""
    k = 0
    while k < len(lines) and (is_comment(lines[k]) or not lines[k].strip()):
        k += 1
    return lines[:k], lines[k:]


def unqualified(text):
    """The extension's objects live in its schema, found through search_path at CREATE time."""
    return text.replace("@schema@.", "")


# Where a body that cannot pin search_path with a SET clause (a procedure that commits) finds
# idconv's objects at run time. The extension is relocatable, so it looks its schema up in
# pg_extension on every call; the portable edition's objects are named in full, and its block
# fills in @schema_name@ with its schema.
EXTENSION_SCHEMA = ("(SELECT pg_catalog.quote_ident(n.nspname) FROM pg_catalog.pg_extension e "
                    "JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) e.extnamespace "
                    "WHERE e.extname OPERATOR(pg_catalog.=) 'idconv')")


def extension_script(lines):
    """A script chunk as the extension's install script has it."""
    text = unqualified("\n".join(lines))
    text = text.replace("@search_path@", f"pg_catalog.concat('pg_catalog, ', {EXTENSION_SCHEMA}, ', pg_temp')")
    text = text.replace("@schema_name@", EXTENSION_SCHEMA)
    return text.split("\n")


def split_statements(lines, where):
    """A script's statements, each without its ";": the splitter knows quotes, dollar quotes and
    comments, which is all the SQL of idconv.sql uses."""
    text = "\n".join(lines)
    out, start, i, n = [], 0, 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("--", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif c in "'\"":
            i = text.find(c, i + 1) + 1
            if i == 0:
                fail(f"{where}: unterminated quote")
            continue
        elif c == "$":
            m = re.match(r"\$[A-Za-z_]*\$", text[i:])
            if m:
                end = text.find(m.group(0), i + len(m.group(0)))
                if end < 0:
                    fail(f"{where}: unterminated {m.group(0)}")
                i = end + len(m.group(0))
                continue
            i += 1
        elif c == ";":
            statement_text = text[start:i].strip("\n")
            if statement_text.strip():
                out.append(statement_text.split("\n"))
            start = i + 1
            i += 1
        else:
            i += 1
    if text[start:].strip() and not all(is_comment(l) or not l.strip() for l in text[start:].split("\n")):
        fail(f"{where}: a script must end with ';'")
    return out


def extension_body(obj):
    if "extension-body" in obj:
        return obj["extension-body"]
    return obj.get("body")


def portable_body(obj):
    if "portable-body" in obj:
        return obj["portable-body"]
    return obj.get("body")


def extension_comment(obj):
    """COMMENT ON FUNCTION for the extension."""
    lines = [f"COMMENT ON FUNCTION {unqualified(argument_types(obj['name']))} IS"] + obj["comment"][1]
    lines[-1] += ";"
    return lines


def extension_function(obj):
    """CREATE FUNCTION and its COMMENT, as the extension's install script has them."""
    language, lines = extension_body(obj)
    head = [f"CREATE FUNCTION {obj['name']}", f"RETURNS {obj['returns'][0]}"]
    markings = obj["markings"][0]
    if language.split()[0] == "C":
        symbol = language.split()[1]
        out = head + [f"AS 'MODULE_PATHNAME', '{symbol}'", f"LANGUAGE {' '.join(filter(None, ['C', markings]))};"]
    else:
        out = head + [" ".join(filter(None, ["LANGUAGE", language, markings]))] + unqualified("\n".join(lines)).split("\n")
        out[-1] += ";"
    return out + [""] + extension_comment(obj)


def build_upgrade(items, template_path):
    """An upgrade script from its hand-written template in src/sql/: a line `--% create NAME`
    becomes the install script's CREATE FUNCTION and COMMENT of function NAME, `--% comment NAME`
    its COMMENT alone, so that a new function's text is written once, in idconv.sql."""
    functions = {}
    scripts = {}
    for obj in items:
        if obj["kind"] == "function" and extension_body(obj) is not None:
            functions[obj["name"].split("(")[0].strip()] = obj
        elif obj["kind"] == "script":
            scripts[obj["argument"]] = extension_script(obj["lines"])
        elif obj["kind"] == "extension" and obj["argument"]:
            scripts[obj["argument"]] = obj["lines"]
    out = []
    with open(template_path, encoding="utf-8") as f:
        for number, line in enumerate(f.read().split("\n"), 1):
            words = line.split()
            if len(words) == 3 and words[0] == "--%" and words[1] == "create" and words[2] in scripts:
                out += scripts[words[2]]
            elif len(words) == 3 and words[0] == "--%" and words[1] in ("create", "comment"):
                obj = functions.get(words[2]) or fail(f"{template_path}:{number}: no function {words[2]} in idconv.sql")
                out += extension_function(obj) if words[1] == "create" else extension_comment(obj)
            elif line.startswith("--%"):
                fail(f"{template_path}:{number}: unknown directive {line!r}")
            else:
                out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def build_extension(items, version):
    out = [f"-- idconv {version}", '\\echo Use "CREATE EXTENSION idconv" to load this file. \\quit', ""]
    for obj in items:
        kind = obj["kind"]
        if kind == "section":
            out += [rule(obj["argument"]), ""]
        elif kind == "extension":
            out += obj["lines"]
            if obj["lines"] and not is_comment(obj["lines"][-1]):
                out.append("")
        elif kind == "both":
            out += unqualified("\n".join(obj["lines"])).split("\n")
            out[-1] += ";"
        elif kind == "script":
            out += extension_script(obj["lines"]) + [""]
        elif kind == "table":
            columns = obj.get("body") or fail(f"{obj['where']}: table {obj['name']} has no --% body")
            out += [f"CREATE TABLE {obj['name']} ("] + unqualified("\n".join(columns[1])).split("\n") + [");"]
            out += [f"COMMENT ON TABLE {obj['name']} IS"] + obj["comment"][1]
            out[-1] += ";"
        elif kind == "function":
            if extension_body(obj) is None:
                continue  # the portable edition's own
            out += extension_function(obj)
            out.append("")
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def statement(lines):
    return ["$s$"] + lines + ["$s$,"]


def build_statements(items):
    out = []
    for obj in items:
        kind = obj["kind"]
        if kind == "section":
            out += [rule(obj["argument"]), ""]
        elif kind == "portable":
            comments, rest = split_comments(obj["lines"])
            out += comments
            if rest:
                out += statement(rest) + [""]
        elif kind == "both":
            out += statement(obj["lines"])
        elif kind == "script":
            for lines in split_statements(obj["lines"], obj["where"]):
                comments, rest = split_comments(lines)
                out += comments + statement(rest)
            out.append("")
        elif kind == "table":
            out += statement([f"CREATE TABLE IF NOT EXISTS @schema@.{obj['name']} ("] + obj["body"][1] + [")"])
            out += statement([f"COMMENT ON TABLE @schema@.{obj['name']} IS"] + obj["comment"][1])
        elif kind == "function":
            body = portable_body(obj)
            if body is None:
                continue  # the extension's own
            language, lines = body
            comment = obj.get("portable-comment", obj["comment"])[1]
            out += statement([f"CREATE OR REPLACE FUNCTION @schema@.{obj['name']}", f"RETURNS {obj['returns'][0]}",
                              " ".join(filter(None, ["LANGUAGE", language, obj["markings"][0]]))] + lines)
            out += statement([f"COMMENT ON FUNCTION @schema@.{argument_types(obj['name'])} IS"] + comment) + [""]
    while out and not out[-1]:
        out.pop()
    if out[-1] != "$s$,":
        fail("the portable edition must end with a statement")
    out[-1] = "$s$"  # the last element of the ARRAY[...]
    return out


def latin_fold(inc_path):
    """The fold table of latin_fold.inc as the portable edition's constant: "C0:a C1:a ..." in
    lines of SQL string literals, and the Unicode version its generator used."""
    entries = []
    version = None
    with open(inc_path, encoding="utf-8") as f:
        for line in f:
            m = re.search(r"\(Unicode ([0-9.]+)\)", line)
            if m:
                version = m.group(1)
            m = re.match(r'\{0x([0-9A-F]+), "([a-z]+)"\},$', line.strip())
            if m:
                entries.append(f"{int(m.group(1), 16):X}:{m.group(2)}")
    if not entries or not version:
        fail(f"{inc_path}: no fold table")
    lines = []
    current = ""
    for entry in entries:
        if current and len("        '" + current + entry + " '") > 102:
            lines.append("        '" + current + "'")
            current = ""
        current += entry + " "
    lines.append("        '" + current + "';")
    return "\n".join(lines), version


def build_portable(items, frame_path, inc_path, version):
    with open(frame_path, encoding="utf-8") as f:
        frame = f.read()
    table, unicode_version = latin_fold(inc_path)
    frame = re.sub(r"\A(--[^\n]*\n|\n)*?(?=-- idconv portable edition)", "", frame, count=1)
    for marker, value in (("@@version@@", version), ("@@unicode_version@@", unicode_version),
                          ("@@latin_fold@@", table), ("@@statements@@", "\n".join(build_statements(items)))):
        if marker not in frame:
            fail(f"{frame_path}: no {marker}")
        frame = frame.replace(marker, value)
    return frame


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("extension", "portable", "upgrade"):
        fail("usage: build.py extension|portable SRC_DIR VERSION, or build.py upgrade SRC_DIR TEMPLATE")
    edition, src, version = sys.argv[1:]
    path = os.path.join(src, "idconv.sql")
    items = objects(parse(path), path)
    if edition == "upgrade":
        text = build_upgrade(items, version)
    elif edition == "extension":
        text = build_extension(items, version)
    else:
        text = build_portable(items, os.path.join(src, "portable.sql"),
                              os.path.join(src, "..", "core", "tables", "latin_fold.inc"), version)
    sys.stdout.buffer.write(text.encode("utf-8"))


if __name__ == "__main__":
    main()
