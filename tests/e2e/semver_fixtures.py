#!/usr/bin/env python3
"""node-semver's own test fixtures (tests/data/semver/*.jsonl, converted
from tests/data/third_party/node-semver) through `tollgate semver batch`.
Every case states the answer node-semver's test suite demands; each file's
pass count is printed and any disagreement fails the test."""
import glob
import json
import os
import subprocess
import sys

src = os.environ.get("TG_SOURCE_DIR", ".")
tg = os.environ["TG_BIN"]

passed = failed = 0
for path in sorted(glob.glob(os.path.join(src, "tests/data/semver/*.jsonl"))):
    with open(path, encoding="utf-8") as f:
        cases = [json.loads(line) for line in f if line.strip()]
    requests = "".join(json.dumps({k: c[k] for k in c if k not in ("want", "src")}) + "\n"
                       for c in cases)
    proc = subprocess.run([tg, "semver", "batch"], input=requests.encode(),
                          capture_output=True, timeout=120)
    if proc.returncode != 0:
        print(f"FAIL: {path}: tollgate semver batch exited {proc.returncode}: "
              f"{proc.stderr.decode(errors='replace')[:300]}")
        failed += len(cases)
        continue
    answers = [json.loads(l) for l in proc.stdout.decode().splitlines()]
    if len(answers) != len(cases):
        print(f"FAIL: {path}: {len(cases)} cases but {len(answers)} answers")
        failed += len(cases)
        continue
    fp = ff = 0
    for case, got in zip(cases, answers):
        want = case["want"]
        ok = all(got.get(k) == v for k, v in want.items())
        if ok:
            fp += 1
        else:
            ff += 1
            print(f"FAIL: {case['src']}: {case['op']} {case['a']!r} "
                  f"{case.get('b', '')!r} loose={case.get('loose')} "
                  f"includePrerelease={case.get('includePrerelease')}: "
                  f"wanted {want}, got {got}")
    print(f"{os.path.basename(path)}: {fp}/{fp + ff}")
    passed += fp
    failed += ff

if passed + failed == 0:
    print("no fixture cases found")
    sys.exit(1)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
