#!/usr/bin/env python3
"""Differential test of `tollgate semver` against node-semver itself.

Cases: every fixture case (tests/data/semver/*.jsonl) and variants
generated from a deterministic random grammar of range and version
fragments, under each combination of loose / includePrerelease. Both
sides answer valid / compare / satisfies / range; every answer must agree.

node-semver is found through TG_NODE_SEMVER (a directory holding
node_modules/semver), else NODE_PATH / the global npm root, else it is
installed with npm into a cache directory. Without node, or when none of
that works (no network), the test says so and is skipped (exit 0)."""
import glob
import json
import os
import random
import shutil
import subprocess
import sys

SEMVER_VERSION = "7.8.6"
src = os.environ.get("TG_SOURCE_DIR", ".")
tg = os.environ["TG_BIN"]

ORACLE = r"""
const semver = require(process.argv[1])
const rl = require('readline').createInterface({ input: process.stdin })
const out = []
rl.on('line', (line) => {
  const q = JSON.parse(line)
  const o = { loose: !!q.loose, includePrerelease: !!q.includePrerelease }
  let a
  try {
    if (q.op === 'valid') {
      const v = new semver.SemVer(q.a, o)
      a = { valid: v.version }
      if (v.build.length) a.build = v.build.join('.')
    } else if (q.op === 'compare') {
      a = { compare: semver.compare(q.a, q.b, o) }
    } else if (q.op === 'satisfies') {
      a = { satisfies: semver.satisfies(q.a, q.b, o) }
    } else if (q.op === 'range') {
      a = { range: new semver.Range(q.a, o).range }
    }
  } catch (e) {
    a = { [q.op]: q.op === 'satisfies' ? false : null }
  }
  out.push(JSON.stringify(a))
})
rl.on('close', () => process.stdout.write(out.join('\n') + '\n'))
"""


def skip(why):
    print(f"skipped: {why}")
    print("0 passed, 0 failed")
    sys.exit(0)


def find_semver():
    node = shutil.which("node")
    if not node:
        skip("node is not installed")
    candidates = []
    if os.environ.get("TG_NODE_SEMVER"):
        candidates.append(os.path.join(os.environ["TG_NODE_SEMVER"], "node_modules", "semver"))
    for d in os.environ.get("NODE_PATH", "").split(os.pathsep):
        if d:
            candidates.append(os.path.join(d, "semver"))
    cache = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")),
                         "tollgate-tests", f"node-semver-{SEMVER_VERSION}")
    candidates.append(os.path.join(cache, "node_modules", "semver"))
    for c in candidates:
        if os.path.isfile(os.path.join(c, "package.json")):
            return node, c
    npm = shutil.which("npm")
    if not npm:
        skip("node-semver not found and npm is not installed")
    os.makedirs(cache, exist_ok=True)
    try:
        r = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", cache,
                            f"semver@{SEMVER_VERSION}"], capture_output=True, timeout=180)
    except subprocess.TimeoutExpired:
        skip("npm install semver timed out")
    path = os.path.join(cache, "node_modules", "semver")
    if r.returncode != 0 or not os.path.isfile(os.path.join(path, "package.json")):
        skip("could not install node-semver with npm: "
             + r.stderr.decode(errors="replace").strip().splitlines()[-1:][0:1].__str__())
    return node, path


def generated(rng, n):
    small = ["0", "1", "1", "2", "2", "3", "10"]
    odd = ["01", "00", "999", "9007199254740990", "9007199254740991", "9007199254740992",
           "99999999999999999999"]

    def num():
        return rng.choice(odd) if rng.random() < 0.015 else rng.choice(small)

    xs = ["x", "X", "*"]
    pres = ["alpha", "beta.1", "0", "1", "01", "rc.10", "a-b", "-", "x", "pre.0.1", "A"]
    builds = ["build", "b.1", "001", "x-y"]
    prefixes = [""] * 12 + ["v", "=", "v=", " ", "= "]
    ops = ["", "", "<", "<=", ">", ">=", "=", "==", "~", "~>", "^", "< ", ">= ", "~ ", "^ ", "~> "]

    def part(allow_x=True):
        k = rng.choice([1, 2, 3, 3, 3] if allow_x else [1, 2] + [3] * 18)
        comps = [rng.choice(xs) if allow_x and rng.random() < 0.15 else num() for _ in range(k)]
        s = ".".join(comps)
        if k == 3 and rng.random() < 0.3:
            s += rng.choice(["-", "-", "-", "", "."]) + rng.choice(pres)
        if rng.random() < 0.1:
            s += "+" + rng.choice(builds)
        return rng.choice(prefixes) + s

    def version():
        s = part(allow_x=False)
        if rng.random() < 0.1:
            s = rng.choice(["", " ", "\t"]) + s + rng.choice(["", " "])
        return s

    def comparator():
        r = rng.random()
        if r < 0.1:
            return part() + rng.choice([" - ", " -  ", "  - "]) + part()
        if r < 0.13:
            return rng.choice(["*", "x", "", ">=*", "<*", "||", "-", "foo", ">", "1.2.3.4"])
        return rng.choice(ops) + part()

    def rng_range():
        alts = []
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            alts.append(rng.choice([" ", "  ", " "]).join(comparator() for _ in range(rng.choice([1, 1, 2, 3]))))
        return rng.choice(["||", " || ", " ||", "|| "]).join(alts)

    for _ in range(n):
        flags = {"loose": rng.random() < 0.4, "includePrerelease": rng.random() < 0.3}
        op = rng.choice(["satisfies", "satisfies", "satisfies", "range", "range", "valid", "compare"])
        if op == "satisfies":
            yield {"op": op, "a": version(), "b": rng_range(), **flags}
        elif op == "range":
            yield {"op": op, "a": rng_range(), **flags}
        elif op == "valid":
            yield {"op": op, "a": version(), **flags}
        else:
            yield {"op": op, "a": version(), "b": version(), **flags}


def main():
    node, semver_dir = find_semver()
    cases = []
    for path in sorted(glob.glob(os.path.join(src, "tests/data/semver/*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    c = json.loads(line)
                    base = {k: c[k] for k in ("op", "a", "b") if k in c}
                    for loose in (False, True):
                        for incpr in (False, True):
                            cases.append({**base, "loose": loose, "includePrerelease": incpr})
    rng = random.Random(508)
    cases.extend(generated(rng, int(os.environ.get("TG_SEMVER_DIFF_CASES", "20000"))))

    requests = "".join(json.dumps(c) + "\n" for c in cases).encode()
    ours = subprocess.run([tg, "semver", "batch"], input=requests, capture_output=True, timeout=600)
    theirs = subprocess.run([node, "-e", ORACLE, semver_dir], input=requests,
                            capture_output=True, timeout=600)
    if ours.returncode != 0 or theirs.returncode != 0:
        print("FAIL: a side exited non-zero:", ours.stderr.decode()[:300], theirs.stderr.decode()[:300])
        sys.exit(1)
    a = [json.loads(l) for l in ours.stdout.decode().splitlines()]
    b = [json.loads(l) for l in theirs.stdout.decode().splitlines()]
    if len(a) != len(cases) or len(b) != len(cases):
        print(f"FAIL: {len(cases)} cases, {len(a)} and {len(b)} answers")
        sys.exit(1)
    passed = failed = 0
    for c, x, y in zip(cases, a, b):
        keys = set(y) | ({"build"} & set(x))
        if all(x.get(k) == y.get(k) for k in keys):
            passed += 1
        else:
            failed += 1
            if failed <= 40:
                print(f"DIFF: {json.dumps(c)}\n  tollgate: {json.dumps(x)}\n  node-semver: {json.dumps(y)}")
    print(f"node-semver {SEMVER_VERSION}: {passed} agree, {failed} differ")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


main()
