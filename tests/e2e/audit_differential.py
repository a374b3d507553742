"""Differential test: tollgate audit against the reference matcher
(tests/reference/osv_match.py, `packaging` over the OSV zip directly).

Two package sets: a deterministic synthetic 1,000-package lockfile whose
versions sit around real affected ranges, and the distributions installed
for the machine's python3. For both, the set of (package, version,
advisory) matches must be equal, the "unknown" answers too, and tollgate
must report exactly one finding per alias group per package.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

TG = os.environ["TG_BIN"]
SRC = os.environ.get("TG_SOURCE_DIR", os.getcwd())
ZIP = os.path.join(SRC, "data/feeds/osv/PyPI/all.zip")
REF = os.path.join(SRC, "tests/reference/osv_match.py")
GEN = os.path.join(SRC, "tests/reference/gen_lockfile.py")

failures = 0
checks = 0


def check(cond, what):
    global failures, checks
    checks += 1
    if not cond:
        failures += 1
        print("FAIL:", what, file=sys.stderr)


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def run(cmd, ok=(0,), **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode not in ok:
        sys.exit("command failed (%d): %s\n%s" % (p.returncode, " ".join(cmd), p.stderr))
    return p


def tollgate_sets(report):
    matches, unknowns, per_instance = set(), set(), {}
    for f in report["findings"]:
        pkg = f["package"]
        key = (norm(pkg["name"]), pkg["version"], pkg["origin"]["path"], pkg["origin"]["line"])
        per_instance.setdefault(key, []).append(set(f["advisories"]))
        for a in f["advisories"]:
            matches.add((norm(pkg["name"]), pkg["version"], a))
    for n in report["not_checked"]:
        pkg = n["package"]
        for a in n["advisories"]:
            unknowns.add((norm(pkg["name"]), pkg["version"], a))
    return matches, unknowns, per_instance


def compare(label, report, ref):
    matches, unknowns, per_instance = tollgate_sets(report)
    ref_matches = {tuple(m) for m in ref["matches"]}
    groups = ref["groups"]
    # tollgate lists an unknown only when no alias of it matched.
    matched_groups = {(n, v, groups[a]) for n, v, a in ref_matches}
    ref_unknowns = {tuple(u) for u in ref["unknowns"]
                    if (u[0], u[1], groups[u[2]]) not in matched_groups}
    check(matches == ref_matches,
          "%s: matches differ: only tollgate %s, only reference %s" % (
              label, sorted(matches - ref_matches)[:10], sorted(ref_matches - matches)[:10]))
    check(unknowns == ref_unknowns,
          "%s: unknowns differ: only tollgate %s, only reference %s" % (
              label, sorted(unknowns - ref_unknowns)[:10], sorted(ref_unknowns - unknowns)[:10]))
    # One finding per vulnerability: each finding is one alias group, and
    # no two findings of one package share a group.
    for key, findings in per_instance.items():
        seen = []
        for advs in findings:
            gs = {groups.get(a, a) for a in advs}
            check(len(gs) == 1, "%s: %s merges advisories of different groups %s" % (label, key, advs))
            seen.extend(gs)
        check(len(seen) == len(set(seen)), "%s: %s has two findings for one group" % (label, key))
    print("%s: %d packages, %d matches, %d unknown: equal to the reference" % (
        label, report["packages_scanned"], len(matches), len(unknowns)))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "t.db")
        run([TG, "--db", db, "db", "update", "--source", os.path.join(SRC, "data/feeds"),
             "--only", "osv,kev"])

        # 1. the synthetic lockfile
        lock = os.path.join(tmp, "requirements-synthetic.txt")
        with open(lock, "w") as f:
            f.write(run(["/usr/bin/python3", GEN, ZIP, "1000"]).stdout)
        out = os.path.join(tmp, "synthetic.json")
        run([TG, "--db", db, "audit", lock, "--no-config", "--python-version", "3.11",
             "--format", "json", "-o", out], ok=(0, 1))
        with open(out) as f:
            report = json.load(f)
        check(report["packages_scanned"] == 1000, "synthetic lockfile has 1000 packages")
        ref = json.loads(run(["/usr/bin/python3", REF, "--zip", ZIP, "--requirements", lock]).stdout)
        check(len(ref["matches"]) > 1000, "the synthetic lockfile exercises many matches")
        check(len(ref["unknowns"]) > 10, "the synthetic lockfile exercises unknown versions")
        compare("synthetic lockfile", report, ref)

        # 2. what is installed for python3 (the first on PATH)
        py = "python3"
        pairs = json.loads(run([py, "-c",
            "import importlib.metadata as m, json\n"
            "print(json.dumps(sorted({(d.metadata['Name'], d.version) for d in m.distributions()"
            " if d.metadata['Name']})))"]).stdout)
        out = os.path.join(tmp, "env.json")
        run([TG, "--db", db, "audit", "--env", py, "--no-config", "--format", "json", "-o", out],
            ok=(0, 1))
        with open(out) as f:
            report = json.load(f)
        scanned = {(norm(p["name"]), p["version"]) for p in report["packages"]}
        check(scanned == {(norm(n), v) for n, v in pairs},
              "tollgate read the same distributions as importlib.metadata")
        pj = os.path.join(tmp, "pairs.json")
        with open(pj, "w") as f:
            json.dump(pairs, f)
        ref = json.loads(run(["/usr/bin/python3", REF, "--zip", ZIP, "--pairs-json", pj]).stdout)
        compare("installed (%s)" % py, report, ref)
    print("%d passed, %d failed" % (checks - failures, failures))
    sys.exit(1 if failures else 0)


main()
