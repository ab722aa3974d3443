#!/usr/bin/env python3
"""Checks that the documentation holds together: README.md is short, and every relative link and
#anchor in README.md, CONTRIBUTING.md and docs/*.md resolves.

Usage: check_docs.py TREE   (TREE: the top of a checkout)

- README.md has at most 400 lines (issue 22: the details live in docs/, indexed by docs/README.md);
- a relative link names a file or folder that exists, and its #anchor, or a bare #anchor, names a
  heading of the target file by GitHub's rules (lower case, punctuation dropped, spaces to "-",
  "-1", "-2" for repeats), since that is where readers follow them;
- docs/README.md links every other file in docs/, so no page is left out of the index.

Prints one "ok      docs: ..." or "FAILED  docs: ..." line per check; exits 1 when one failed.
"""
import glob
import os
import re
import sys
from urllib.parse import unquote

tree = sys.argv[1] if len(sys.argv) > 1 else "."
failed = 0
README_MAX_LINES = 400


def check(name, ok, detail=""):
    global failed
    if ok:
        print(f"ok      docs: {name}")
    else:
        failed += 1
        print(f"FAILED  docs: {name}" + (f" ({detail})" if detail else ""))


FENCE = re.compile(r"^\s*(```|~~~)")
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^()\s>]+(?:\([^()\s]*\))?)>?(?:\s+\"[^\"]*\")?\s*\)")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def prose_lines(text):
    """The lines outside fenced code blocks, with their numbers."""
    in_fence = False
    for n, line in enumerate(text.split("\n"), 1):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence:
            yield n, line


def slug(heading):
    """GitHub's anchor for a heading's text."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)   # a link shows its text
    text = CODE_SPAN.sub(lambda m: m.group(2), text)
    text = re.sub(r"<[^>]+>", "", text).replace("*", "")
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


_anchors = {}


def anchors(path):
    if path not in _anchors:
        seen, found = {}, set()
        with open(path, encoding="utf-8") as f:
            for _, line in prose_lines(f.read()):
                m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
                if not m:
                    continue
                s = slug(m.group(1))
                k = seen.get(s, 0)
                seen[s] = k + 1
                found.add(s if k == 0 else f"{s}-{k}")
        _anchors[path] = found
    return _anchors[path]


def links(path):
    with open(path, encoding="utf-8") as f:
        for n, line in prose_lines(f.read()):
            for m in LINK.finditer(CODE_SPAN.sub("", line)):
                yield n, m.group(1)


def rel(path):
    return os.path.relpath(path, tree)


readme = os.path.join(tree, "README.md")
with open(readme, encoding="utf-8") as f:
    lines = f.read().count("\n")
check(f"README.md has at most {README_MAX_LINES} lines", lines <= README_MAX_LINES, f"{lines} lines")

pages = [readme, os.path.join(tree, "CONTRIBUTING.md")] + sorted(glob.glob(os.path.join(tree, "docs", "*.md")))
for page in pages:
    if not os.path.exists(page):
        check(f"{rel(page)} exists", False)
        continue
    bad, count = [], 0
    for n, target in links(page):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):   # https:, mailto:: not ours to check
            continue
        count += 1
        file_part, _, anchor = target.partition("#")
        dest = os.path.normpath(os.path.join(os.path.dirname(page), unquote(file_part))) if file_part else page
        if not os.path.exists(dest):
            bad.append(f"line {n}: {target}: no such file")
        elif anchor and (not dest.endswith(".md") or unquote(anchor).lower() not in anchors(dest)):
            bad.append(f"line {n}: {target}: no heading #{anchor} in {rel(dest)}")
    check(f"{rel(page)}: its {count} relative links and anchors resolve", not bad, "; ".join(bad))

index = os.path.join(tree, "docs", "README.md")
if os.path.exists(index):
    linked = set()
    for _, target in links(index):
        file_part = target.partition("#")[0]
        if file_part and not re.match(r"^[a-z][a-z0-9+.-]*:", file_part, re.I):
            linked.add(os.path.normpath(os.path.join(os.path.dirname(index), unquote(file_part))))
    missing = [rel(p) for p in sorted(glob.glob(os.path.join(tree, "docs", "*")))
               if p != index and os.path.normpath(p) not in linked]
    check("docs/README.md links every file in docs/", not missing, "missing: " + ", ".join(missing))
else:
    check("docs/README.md exists", False)

sys.exit(1 if failed else 0)
