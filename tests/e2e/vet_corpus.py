"""False positives of the content rules on real, benign packages.

Scans, with the shipped rules:
  - every distribution installed for the `python3` first on PATH (its
    site-packages, one subject per distribution);
  - the wheels in /usr/share/python-wheels, when that directory exists;
  - the npm tarballs of tests/data/vet/npm-corpus.txt, fetched from the
    registry into a cache on first use (tests/data/vet/fetch-npm-corpus.sh;
    set TOLLGATE_TEST_CACHE to move the cache).
and asserts that at most 2 % of these packages get a `block` verdict.
"""
import glob
import json
import os
import subprocess
import sys

SRC = os.path.abspath(os.environ.get("TG_SOURCE_DIR", os.getcwd()))
BIN = os.environ["TG_BIN"]
FP_TARGET = 0.02
MIN_NPM = 200

passed = failed = 0


def check(cond, label):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", label, file=sys.stderr)


def vet_json(paths):
    p = subprocess.run([BIN, "vet", "--format", "jsonl", *paths], capture_output=True,
                       text=True, timeout=1200)
    rows = [json.loads(x) for x in p.stdout.splitlines() if x.strip()]
    return p, rows


def report(label, rows):
    blocked = [r for r in rows if r["verdict"] == "block"]
    warned = [r for r in rows if r["verdict"] == "warn"]
    print(f"{label}: {len(rows)} packages, {len(blocked)} block, {len(warned)} warn")
    for r in blocked:
        print(f"  block {r['subject']}")
        for x in r["reasons"]:
            if x["level"] == "block":
                where = f"{x.get('file', '')}:{x.get('line', '')}"
                print(f"      {x['rule']} {where} {x.get('excerpt', '')[:100]}")
    return blocked


# The python3 first on PATH (not /usr/bin/python3): the machine's real
# environment.
site = subprocess.run(
    ["python3", "-c", "import sysconfig; p = sysconfig.get_paths(); "
     "print(p['purelib']); print(p['platlib'])"],
    capture_output=True, text=True)
site_dirs = sorted({d for d in site.stdout.split() if os.path.isdir(d)})
check(bool(site_dirs), f"python3 on PATH reports site-packages ({site.stderr.strip()})")

all_rows = []
p, rows = vet_json(site_dirs)
check(p.returncode in (0, 1), f"site-packages scan exit {p.returncode}: {p.stderr[-300:]}")
check(len(rows) >= 1, "installed distributions found")
report(f"installed distributions ({', '.join(site_dirs)})", rows)
all_rows += rows

wheels = sorted(glob.glob("/usr/share/python-wheels/*.whl"))
if wheels:
    p, rows = vet_json(wheels)
    check(p.returncode in (0, 1) and len(rows) == len(wheels), f"wheels: exit {p.returncode}")
    report("/usr/share/python-wheels", rows)
    all_rows += rows

fetch = subprocess.run(["bash", os.path.join(SRC, "tests", "data", "vet", "fetch-npm-corpus.sh")],
                       capture_output=True, text=True, timeout=1800)
cache = fetch.stdout.strip().splitlines()[-1] if fetch.stdout.strip() else ""
tarballs = sorted(glob.glob(os.path.join(cache, "*.tgz"))) if cache else []
check(len(tarballs) >= MIN_NPM,
      f"at least {MIN_NPM} npm tarballs in the cache (got {len(tarballs)}; "
      f"fetch said: {fetch.stderr.strip()[-300:]})")
if tarballs:
    p, rows = vet_json(tarballs)
    check(p.returncode in (0, 1) and len(rows) == len(tarballs),
          f"npm scan: exit {p.returncode}, {len(rows)} results: {p.stderr[-300:]}")
    report(f"npm tarballs ({cache})", rows)
    all_rows += rows

blocked = [r for r in all_rows if r["verdict"] == "block"]
rate = len(blocked) / max(len(all_rows), 1)
print(f"content false positives: {len(blocked)}/{len(all_rows)} = {rate:.2%} of benign "
      f"packages with a block verdict (target <= {FP_TARGET:.0%})")
check(rate <= FP_TARGET, f"false-positive rate {rate:.2%} > {FP_TARGET:.0%}")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
