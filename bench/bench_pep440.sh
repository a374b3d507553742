#!/bin/bash
# PEP 440 throughput on real versions: every version named in the OSV PyPI
# advisories of data/feeds (affected lists), parsed, sorted, compared
# pairwise and matched against a specifier set, by libtollgate
# (tools/pep440-bench) and by Python's packaging (/usr/bin/python3) on the
# same list in the same run.
set -u
: "${TG_BUILD_DIR:?}" "${TG_SOURCE_DIR:?}"
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
spec='>=1.0,!=1.5.*,<4.0.dev0'

"$py" - "$TG_SOURCE_DIR/data/feeds/osv/PyPI/all.zip" "$tmp/versions" <<'PY'
import json, sys, zipfile
seen = []
with zipfile.ZipFile(sys.argv[1]) as z:
    for name in z.namelist():
        for a in json.loads(z.read(name)).get("affected", []):
            seen += a.get("versions", [])
with open(sys.argv[2], "w") as f:
    f.write("\n".join(v for v in seen if "\n" not in v) + "\n")
PY

"$TG_BUILD_DIR/pep440-bench" "$tmp/versions" "$spec" >"$tmp/c" || exit 1
"$py" - "$tmp/versions" "$spec" >"$tmp/p" <<'PY'
import sys, time
sys.path.insert(0, "/usr/lib/python3/dist-packages")
from packaging.version import Version, InvalidVersion
from packaging.specifiers import SpecifierSet
lines = open(sys.argv[1]).read().split("\n")[:-1]
t0 = time.perf_counter(); vs = []
for s in lines:
    try:
        vs.append(Version(s))
    except InvalidVersion:
        pass
t1 = time.perf_counter(); print("parse", t1 - t0, len(lines))
n = [0]
class K:
    __slots__ = ("v",)
    def __init__(self, v): self.v = v
    def __lt__(self, o):
        n[0] += 1
        return self.v < o.v
t0 = time.perf_counter(); sorted(vs, key=K); t1 = time.perf_counter(); print("sort", t1 - t0, n[0])
rounds = max(1, 200000 // max(1, len(vs)))
t0 = time.perf_counter()
for _ in range(rounds):
    for a, b in zip(vs, vs[1:]):
        a < b
t1 = time.perf_counter(); print("compare", t1 - t0, rounds * (len(vs) - 1))
ss = SpecifierSet(sys.argv[2])
t0 = time.perf_counter()
for _ in range(rounds):
    m = sum(1 for v in vs if ss.contains(v, prereleases=True))
t1 = time.perf_counter(); print("contains", t1 - t0, rounds * len(vs))
print("matched 0", m)
PY

"$py" - "$tmp/c" "$tmp/p" <<'PY'
import sys
def load(p):
    return {l.split()[0]: (float(l.split()[1]), int(l.split()[2])) for l in open(p)}
c, p = load(sys.argv[1]), load(sys.argv[2])
print(f"versions: {c['parse'][1]} from the OSV PyPI snapshot ({c['invalid'][1]} not PEP 440)")
for k, what in (("parse", "versions parsed"), ("sort", "comparisons while sorting"),
                ("compare", "comparisons of parsed versions"), ("contains", "specifier matches")):
    rc = c[k][1] / c[k][0] if c[k][0] else float("inf")
    rp = p[k][1] / p[k][0] if p[k][0] else float("inf")
    print(f"{what:34s} tollgate {rc:14,.0f}/s   packaging {rp:12,.0f}/s   x{rc / rp:,.1f}")
same = "same" if c["matched"][1] == p["matched"][1] else "DIFFERENT"
print(f"versions matching the set: tollgate {c['matched'][1]}, packaging {p['matched'][1]} ({same})")
PY
