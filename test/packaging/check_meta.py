#!/usr/bin/env python3
"""Checks META.json against the PGXN Meta Spec 1.0.0 and against the rest of the tree.

Usage: check_meta.py TREE   (TREE: the top of a checkout; files are read from it)

The spec (https://pgxn.org/spec/, version 1.0.0) is checked here by its own rules rather than by
a schema file, so the test needs nothing beyond Python: the mandatory keys, the type of each
key the spec defines, SemVer versions, version ranges in prereqs, the license names, and no key
outside the spec except custom "x_" ones. Then what PGXN cannot know: the version is the one
idconv.control installs by default and debian/changelog packages, the provided file is the
install script of that version, the lowest PostgreSQL is the one debian/pgversions starts at.

Prints one "ok      meta: ..." or "FAILED  meta: ..." line per check; exits 1 when one failed.
"""
import json
import os
import re
import sys

tree = sys.argv[1] if len(sys.argv) > 1 else "."
failed = 0


def check(name, ok, detail=""):
    global failed
    if ok:
        print(f"ok      meta: {name}")
    else:
        failed += 1
        print(f"FAILED  meta: {name}" + (f" ({detail})" if detail else ""))


def read(path):
    with open(os.path.join(tree, path), encoding="utf-8") as f:
        return f.read()


SEMVER = r"(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?"
SEMVER_RE = re.compile(rf"^{SEMVER}$")
# A version range: "0", a SemVer, or comparisons joined by commas (">= 1.2.0, < 2.0.0").
RANGE_RE = re.compile(rf"^(?:0|(?:(?:[=!]=|[<>]=?)\s*)?{SEMVER})(?:\s*,\s*(?:(?:[=!]=|[<>]=?)\s*)?{SEMVER})*$")
# A term (names, extension names): two characters or more, no slash, backslash, control or space.
TERM_RE = re.compile(r"^[^/\\\s\x00-\x1f\x7f]{2,}$")
# A tag: 1 to 255 characters, no slash, backslash or control character.
TAG_RE = re.compile(r"^[^/\\\x00-\x1f\x7f]{1,255}$")
LICENSES = {
    "agpl_3", "apache_1_1", "apache_2_0", "artistic_1", "artistic_2", "bsd", "freebsd", "gfdl_1_2",
    "gfdl_1_3", "gpl_1", "gpl_2", "gpl_3", "lgpl_2_1", "lgpl_3_0", "mit", "mozilla_1_0",
    "mozilla_1_1", "openssl", "perl_5", "postgresql", "qpl_1_0", "ssleay", "sun", "zlib",
    "open_source", "restricted", "unrestricted", "unknown",
}
TOP_KEYS = {
    "name", "abstract", "description", "version", "maintainer", "license", "provides", "prereqs",
    "release_status", "resources", "no_index", "tags", "generated_by", "meta-spec",
}
MANDATORY = ["name", "abstract", "version", "maintainer", "license", "provides", "meta-spec"]
PHASES = {"configure", "build", "test", "runtime", "develop"}
RELATIONS = {"requires", "recommends", "suggests", "conflicts"}


def nonempty_string(v):
    return isinstance(v, str) and v.strip() != ""


try:
    meta = json.loads(read("META.json"))
except (OSError, ValueError) as e:
    check("META.json is JSON", False, str(e))
    sys.exit(1)
check("META.json is a JSON object", isinstance(meta, dict))
if not isinstance(meta, dict):
    sys.exit(1)

# The spec itself.
missing = [k for k in MANDATORY if k not in meta]
check("the mandatory keys are there (" + ", ".join(MANDATORY) + ")", not missing, f"missing {missing}")
unknown = [k for k in meta if k not in TOP_KEYS and not k.lower().startswith("x_")]
check("no key outside the spec", not unknown, f"unknown {unknown}")
check("meta-spec version is 1.0.0",
      isinstance(meta.get("meta-spec"), dict) and meta["meta-spec"].get("version") == "1.0.0")
check("name is a term", isinstance(meta.get("name"), str) and bool(TERM_RE.match(meta["name"])))
check("abstract is a non-empty string", nonempty_string(meta.get("abstract")))
if "description" in meta:
    check("description is a non-empty string", nonempty_string(meta["description"]))
check("version is a SemVer", isinstance(meta.get("version"), str) and bool(SEMVER_RE.match(meta["version"])),
      repr(meta.get("version")))
maint = meta.get("maintainer")
check("maintainer is a string or a list of strings",
      nonempty_string(maint) or (isinstance(maint, list) and maint and all(nonempty_string(m) for m in maint)))
lic = meta.get("license")
lic_ok = ((isinstance(lic, str) and lic in LICENSES) or
          (isinstance(lic, list) and lic and all(isinstance(x, str) and x in LICENSES for x in lic)) or
          (isinstance(lic, dict) and lic and all(nonempty_string(u) for u in lic.values())))
check("license is one the spec names", lic_ok, repr(lic))

provides = meta.get("provides")
prov_ok = isinstance(provides, dict) and len(provides) > 0
detail = ""
if prov_ok:
    for ext, p in provides.items():
        if not TERM_RE.match(ext) or not isinstance(p, dict):
            prov_ok, detail = False, f"{ext!r} is not a term with an object"
            break
        if not nonempty_string(p.get("file")) or not isinstance(p.get("version"), str) or \
           not SEMVER_RE.match(p["version"]):
            prov_ok, detail = False, f"{ext}: needs a file and a SemVer version"
            break
        extra = [k for k in p if k not in {"file", "version", "abstract", "docfile"}
                 and not k.lower().startswith("x_")]
        if extra:
            prov_ok, detail = False, f"{ext}: unknown keys {extra}"
            break
check("provides: each extension has a file and a SemVer version", prov_ok, detail)

prereqs = meta.get("prereqs", {})
pre_ok, detail = isinstance(prereqs, dict), ""
if pre_ok:
    for phase, rels in prereqs.items():
        if phase not in PHASES or not isinstance(rels, dict) or not rels:
            pre_ok, detail = False, f"phase {phase!r}"
            break
        for rel, deps in rels.items():
            if rel not in RELATIONS or not isinstance(deps, dict):
                pre_ok, detail = False, f"{phase}.{rel}"
                break
            for dep, rng in deps.items():
                if not (rng == 0 or (isinstance(rng, str) and RANGE_RE.match(rng))):
                    pre_ok, detail = False, f"{phase}.{rel}.{dep} = {rng!r}"
                    break
check("prereqs: known phases and relationships, version ranges", pre_ok, detail)
if "release_status" in meta:
    check("release_status is stable, testing or unstable",
          meta["release_status"] in ("stable", "testing", "unstable"))
if "tags" in meta:
    tags = meta["tags"]
    check("tags are 1 to 255 characters without slash, backslash or control characters",
          isinstance(tags, list) and tags and all(isinstance(t, str) and TAG_RE.match(t) for t in tags))
if "resources" in meta:
    res = meta["resources"]
    check("resources: homepage, bugtracker, repository only",
          isinstance(res, dict) and all(k in ("homepage", "bugtracker", "repository") or k.lower().startswith("x_")
                                         for k in res))

# The tree around it.
control = read("idconv.control")
m = re.search(r"^default_version\s*=\s*'([^']*)'", control, re.M)
default_version = m.group(1) if m else None
check("version equals idconv.control's default_version",
      meta.get("version") == default_version, f"{meta.get('version')} vs {default_version}")
m = re.match(r"^idconv \(([^)-]+)-[^)]+\)", read("debian/changelog"))
deb_upstream = m.group(1) if m else None
check("version equals debian/changelog's upstream version",
      meta.get("version") == deb_upstream, f"{meta.get('version')} vs {deb_upstream}")
m = re.search(r"^comment\s*=\s*'([^']*)'", control, re.M)
check("abstract is idconv.control's comment", m is not None and meta.get("abstract") == m.group(1))
ext = provides.get("idconv") if isinstance(provides, dict) else None
if isinstance(ext, dict):
    check("provides idconv at the same version", ext.get("version") == meta.get("version"))
    # The install script is built (make) from src/sql/idconv.sql, as pgvector's from sql/vector.sql.
    check("provides idconv's file is the SQL source the install script is built from",
          ext.get("file") == "src/sql/idconv.sql" and os.path.isfile(os.path.join(tree, ext["file"])),
          repr(ext.get("file")))
    if "docfile" in ext:
        check("provides idconv's docfile exists", os.path.isfile(os.path.join(tree, ext["docfile"])))
else:
    check("provides idconv", False)
lowest = (prereqs.get("runtime", {}).get("requires", {}).get("PostgreSQL")
          if isinstance(prereqs, dict) else None)
pgversions = read("debian/pgversions").split()
first = next((v for v in pgversions if not v.startswith("#")), "")
check("runtime requires PostgreSQL from the major debian/pgversions starts at",
      isinstance(lowest, str) and first.endswith("+") and lowest == f"{first[:-1]}.0.0",
      f"{lowest!r} vs debian/pgversions {first!r}")
check("license matches debian/copyright",
      meta.get("license") == "postgresql" and re.search(r"^License: PostgreSQL$", read("debian/copyright"), re.M)
      is not None)

sys.exit(1 if failed else 0)
