#!/usr/bin/python3
"""`tollgate audit` reads tollgate's own SBOMs back: for this machine's
Python environment, the example project and real lockfiles, auditing the
CycloneDX and the SPDX SBOM gives the same (package, version, advisory)
findings as auditing the input directly."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

BIN = os.environ["TG_BIN"]
SRC = os.environ.get("TG_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))

passed = failed = 0


def check(cond, what, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: %s %s" % (what, str(detail)[:800]), file=sys.stderr)


def run(*args):
    p = subprocess.run([BIN] + list(args), capture_output=True, text=True, cwd=SRC)
    return p.returncode, p.stdout, p.stderr


def pairs(doc):
    out = set()
    for f in doc["findings"]:
        if f["kind"] not in ("vulnerability", "malicious"):
            continue
        name = f["package"]["name"]
        if f["package"]["ecosystem"] == "PyPI":
            name = re.sub(r"[-_.]+", "-", name).lower()
        out.add((f["package"]["ecosystem"], name, f["package"]["version"], f["id"]))
    return out


py = shutil.which("python3") or "/usr/bin/python3"
INPUTS = [
    ["--env", py],
    ["data/examples/requirements.txt"],
    ["data/examples/package-lock.json"],
    ["tests/data/inputs/poetry/poetry.lock"],
    ["tests/data/inputs/pipfile/Pipfile.lock"],
    ["tests/data/inputs/requirements/requirements.txt"],
]

tmp = tempfile.mkdtemp(prefix="tg-rt-")
try:
    db = os.path.join(tmp, "t.db")
    rc, _, err = run("--db", db, "db", "update", "--source", "data/feeds")
    check(rc == 0, "db update", err)
    total = 0
    for args in INPUTS:
        name = " ".join(args)
        if not os.path.exists(os.path.join(SRC, args[-1])) and args[0] != "--env":
            continue
        rc, out, err = run("--db", db, "audit", "--no-config", "--format", "json", *args)
        check(rc in (0, 1), "direct audit of %s" % name, err)
        direct = pairs(json.loads(out))
        total += len(direct)
        for fmt in ("cyclonedx", "spdx"):
            bom = os.path.join(tmp, "bom.%s.json" % fmt)
            rc, _, err = run("sbom", "--format", fmt, "-o", bom, *args)
            check(rc == 0, "sbom %s of %s" % (fmt, name), err)
            rc, out, err = run("--db", db, "audit", "--no-config", "--format", "json", bom)
            check(rc in (0, 1), "audit of the %s SBOM of %s" % (fmt, name), err)
            back = pairs(json.loads(out)) if out.strip() else set()
            check(back == direct, "%s SBOM of %s audits the same findings" % (fmt, name),
                  "only direct %s, only SBOM %s" % (sorted(direct - back)[:4], sorted(back - direct)[:4]))
        print("ok: %s (%d findings)" % (name, len(direct)))
    check(total > 50, "the inputs have findings to compare", total)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
