#!/usr/bin/python3
"""Reference OSV matcher for PyPI, written to be obviously right rather
than fast: it reads the OSV zip directly and uses `packaging` for PEP 440.

It is the other side of tollgate's differential test and the baseline of
its benchmark. The algorithm is the OSV schema's evaluation pseudocode:

  affected(v) = v in versions  or  any range contains v
  range contains v  <=>  BeforeLimits(v) and the walk over the events,
                         sorted by version, ends "vulnerable"

with these decisions, shared with tollgate and documented in docs/audit.md:
  * introduced "0" sorts before every version; at equal versions an
    introduced event comes before last_affected, fixed and limit;
  * versions-list entries match by string after PEP 440 normalisation
    (entries or versions that are not PEP 440 compare as written);
  * a range whose events do not all parse, or a package version that does
    not parse, makes the advisory "unknown" for that version unless the
    versions list already matched;
  * GIT ranges are not evaluated; withdrawn advisories never match.

Input: a requirements-style file of NAME==VERSION (or NAME===VERSION)
lines (what the
synthetic lockfile generator writes), or --pairs-json with [[name,
version], ...]. Output (JSON on stdout): matches and unknowns as sorted
[normalised-name, version, advisory-id] triples, plus alias groups so the
test can check that tollgate merged aliases.
"""
import argparse
import json
import re
import sys
import zipfile

from packaging.version import InvalidVersion, Version

KIND_RANK = {"introduced": 0, "last_affected": 1, "fixed": 2, "limit": 3}


def norm_name(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def parse(v):
    try:
        return Version(v)
    except InvalidVersion:
        return None


def canon(s):
    v = parse(s)
    return str(v) if v is not None else s


def range_state(version, events):
    """'yes', 'no' or 'unknown' for one ECOSYSTEM range."""
    if version is None:
        return "unknown"
    walk, limits, has_limit = [], [], False
    for pos, ev in enumerate(events):
        ((kind, text),) = ev.items()
        if kind == "limit":
            has_limit = True
            if "*" in text:
                limits.append(None)  # infinity
                continue
        if kind == "introduced" and text == "0":
            walk.append(((0,), KIND_RANK[kind], pos, kind, None))
            continue
        parsed = parse(text)
        if parsed is None:
            return "unknown"
        if kind == "limit":
            limits.append(parsed)
        walk.append(((1, parsed), KIND_RANK[kind], pos, kind, parsed))
    if has_limit and not any(lim is None or version < lim for lim in limits):
        return "no"
    walk.sort(key=lambda w: (w[0], w[1], w[2]))
    vulnerable = False
    for _, _, _, kind, at in walk:
        if kind == "introduced" and (at is None or version >= at):
            vulnerable = True
        elif kind == "fixed" and version >= at:
            vulnerable = False
        elif kind == "last_affected" and version > at:
            vulnerable = False
    return "yes" if vulnerable else "no"


def advisory_state(record, name, raw_version):
    if record.get("withdrawn"):
        return "no"
    version = parse(raw_version)
    text = str(version) if version is not None else raw_version
    unknown = False
    for aff in record.get("affected", []):
        pkg = aff.get("package", {})
        if pkg.get("ecosystem") != "PyPI" or norm_name(pkg.get("name", "")) != name:
            continue
        if any(canon(v) == text for v in aff.get("versions", [])):
            return "yes"
        for rng in aff.get("ranges", []):
            if rng.get("type") == "GIT":
                continue
            if rng.get("type") != "ECOSYSTEM":
                raise SystemExit("unexpected range type %r in %s" % (rng.get("type"), record["id"]))
            state = range_state(version, rng.get("events", []))
            if state == "yes":
                return "yes"
            if state == "unknown":
                unknown = True
    return "unknown" if unknown else "no"


def load(zip_path):
    by_name, groups = {}, {}
    parent = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    with zipfile.ZipFile(zip_path) as z:
        for member in sorted(z.namelist()):
            if not member.endswith(".json"):
                continue
            record = json.loads(z.read(member))
            for alias in record.get("aliases", []):
                parent[find(alias)] = find(record["id"])
            find(record["id"])
            names = {norm_name(a["package"]["name"]) for a in record.get("affected", [])
                     if a.get("package", {}).get("ecosystem") == "PyPI"}
            for n in names:
                by_name.setdefault(n, []).append(record)
    for x in list(parent):
        groups[x] = find(x)
    return by_name, groups


def read_pairs(args):
    if args.pairs_json:
        with open(args.pairs_json) as f:
            return [tuple(p) for p in json.load(f)]
    pairs = []
    with open(args.requirements) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            sep = "===" if "===" in line else "=="
            name, _, version = line.partition(sep)
            pairs.append((name.strip(), version.strip()))
    return pairs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--zip", required=True)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--requirements")
    src.add_argument("--pairs-json")
    args = ap.parse_args()
    by_name, groups = load(args.zip)
    matches, unknowns = set(), set()
    for name, version in read_pairs(args):
        n = norm_name(name)
        for record in by_name.get(n, []):
            state = advisory_state(record, n, version)
            if state == "yes":
                matches.add((n, version, record["id"]))
            elif state == "unknown":
                unknowns.add((n, version, record["id"]))
    used = {i for _, _, i in matches | unknowns}
    json.dump({
        "matches": sorted(matches),
        "unknowns": sorted(unknowns),
        "groups": {i: groups[i] for i in sorted(used)},
    }, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
