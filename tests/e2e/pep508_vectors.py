#!/usr/bin/env python3
"""packaging's PEP 508 test cases (tests/data/pep508/*.jsonl, transcribed
from pypa/packaging's test suite) through `tollgate pep508 batch`.

Evaluation cases give environment overrides; the base is the default
environment of the interpreter running this test, computed here the way
packaging's default_environment() computes it."""
import glob
import json
import os
import platform
import subprocess
import sys

src = os.environ.get("TG_SOURCE_DIR", ".")
tg = os.environ["TG_BIN"]


def default_environment():
    i = sys.implementation.version
    iv = f"{i.major}.{i.minor}.{i.micro}"
    if i.releaselevel != "final":
        iv += i.releaselevel[0] + str(i.serial)
    return {
        "implementation_name": sys.implementation.name,
        "implementation_version": iv,
        "os_name": os.name,
        "platform_machine": platform.machine(),
        "platform_release": platform.release(),
        "platform_system": platform.system(),
        "platform_version": platform.version(),
        "python_full_version": platform.python_version(),
        "platform_python_implementation": platform.python_implementation(),
        "python_version": ".".join(platform.python_version_tuple()[:2]),
        "sys_platform": sys.platform,
        "extra": None,
    }


def request(case):
    r = {"op": case["op"], "a": case["a"]}
    if case["op"] == "evaluate":
        env = default_environment()
        if case.get("env_base") == "lock_file":
            env.update({"extras": [], "dependency_groups": []})
        env.update(case.get("env") or {})
        r["env"] = env
    return r


def check(case, got, aux):
    problems = []
    for k, v in case.get("want", {}).items():
        if k == "caret":
            if got.get("col") != v + 1:
                problems.append(f"error column {got.get('col')}, packaging's caret is at {v + 1}")
        elif k == "error":
            if not (got.get("result") is None and "error" in got):
                problems.append(f"evaluation should fail, got {got.get('result')}")
        elif got.get(k) != v:
            problems.append(f"{k}: wanted {v!r}, got {got.get(k)!r}")
    for rel, want_equal in (("same", True), ("differ", False)):
        for s in case.get(rel, []):
            other = aux[(s["op"], s["a"])]
            mine = got.get(s.get("as", s["key"]))
            theirs = other.get(s["key"])
            if (mine == theirs) != want_equal or mine is None:
                problems.append(f"{s.get('as', s['key'])} {mine!r} should "
                                f"{'equal' if want_equal else 'differ from'} {theirs!r} "
                                f"(of {s['a']!r})")
    return problems


def main():
    passed = failed = 0
    files = sorted(glob.glob(os.path.join(src, "tests/data/pep508/*.jsonl")))
    for path in files:
        with open(path, encoding="utf-8") as f:
            cases = [json.loads(l) for l in f if l.strip()]
        reqs = [request(c) for c in cases]
        aux_keys = []
        for c in cases:
            for s in c.get("same", []) + c.get("differ", []):
                aux_keys.append((s["op"], s["a"]))
        aux_keys = sorted(set(aux_keys))
        reqs += [{"op": op, "a": a} for op, a in aux_keys]
        proc = subprocess.run([tg, "pep508", "batch"],
                              input="".join(json.dumps(r) + "\n" for r in reqs).encode(),
                              capture_output=True, timeout=600)
        if proc.returncode != 0:
            print(f"FAIL: {path}: exit {proc.returncode}: {proc.stderr.decode()[:300]}")
            failed += len(cases)
            continue
        answers = [json.loads(l) for l in proc.stdout.decode().splitlines()]
        if len(answers) != len(reqs):
            print(f"FAIL: {path}: {len(reqs)} requests, {len(answers)} answers")
            failed += len(cases)
            continue
        aux = dict(zip(aux_keys, answers[len(cases):]))
        fp = ff = 0
        for case, got in zip(cases, answers):
            problems = check(case, got, aux)
            if problems:
                ff += 1
                if ff <= 30:
                    print(f"FAIL: {case['src']}: {case['op']} {case['a']!r}: "
                          + "; ".join(problems) + f"\n  answer: {json.dumps(got)}")
            else:
                fp += 1
        print(f"{os.path.basename(path)}: {fp}/{fp + ff}")
        passed += fp
        failed += ff
    if passed + failed == 0:
        print("no cases found")
        return 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


sys.exit(main())
