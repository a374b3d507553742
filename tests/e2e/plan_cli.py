#!/usr/bin/python3
"""`tollgate plan` against a database built from the feed mirror: steps
agree with the audit's findings (every fixed finding's fix is at most the
step's target, the target is the largest of them), upgrading to the
targets really clears the fixed findings, KEV steps come first, commands
follow the input, Windows inventories plan winget/choco upgrades, and the
formats, exit codes and -o behave."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, "/usr/lib/python3/dist-packages")
from packaging.version import Version  # noqa: E402

BIN = os.environ["TG_BIN"]
SRC = os.environ.get("TG_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
T = "tests/data/third_party/winget-choco/"

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


tmp = tempfile.mkdtemp(prefix="tg-plan-")
try:
    db = os.path.join(tmp, "t.db")
    rc, _, err = run("--db", db, "db", "update", "--source", "data/feeds")
    check(rc == 0, "db update", err)
    req = os.path.join(tmp, "requirements.txt")
    # real releases with published advisories; airflow 1.10.10 has KEV CVEs
    with open(req, "w") as f:
        f.write("django==3.2.0\nrequests==2.19.0\njinja2==2.10\nurllib3==1.24.1\n"
                "apache-airflow==1.10.10\npyyaml==5.3\n")

    rc, out, err = run("--db", db, "plan", "--no-config", "--format", "json", req)
    check(rc == 0, "plan exits 0", err)
    plan = json.loads(out)
    rc, out, err = run("--db", db, "audit", "--no-config", "--format", "json", req)
    audit = json.loads(out)
    steps = {s["package"]: s for s in plan["steps"]}
    check(set(steps) == {f["package"]["name"] for f in audit["findings"]},
          "one step per package with findings", sorted(steps))
    for name, s in steps.items():
        fixes = [f for f in audit["findings"] if f["package"]["name"] == name and f["fixed_version"]]
        if fixes:
            want = max(Version(f["fixed_version"]) for f in fixes)
            check(s["target"] and Version(s["target"]) == want,
                  "%s: target is the largest fix" % name, (s["target"], str(want)))
        check({i["id"] for i in s["fixes"]} ==
              {f["id"] for f in audit["findings"] if f["package"]["name"] == name and f["fixed_version"]},
              "%s: fixes lists the findings with a fix" % name)
        check(s["commands"] == ["pip install '%s>=%s'" % (name, s["target"]),
                                "uv pip install '%s>=%s'" % (name, s["target"])],
              "%s: pip and uv commands" % name, s["commands"])
    check(plan["steps"][0]["package"] == "apache-airflow" and plan["steps"][0]["kev"],
          "the KEV package comes first", [s["package"] for s in plan["steps"]][:3])
    check(plan["summary"]["findings"] == len(audit["findings"]), "summary counts the findings")

    # upgrading to the targets clears what the plan says it fixes
    up = os.path.join(tmp, "requirements-upgraded.txt")
    with open(up, "w") as f:
        for s in plan["steps"]:
            f.write("%s==%s\n" % (s["package"], s["target"]))
    rc, out, err = run("--db", db, "audit", "--no-config", "--format", "json", up)
    after = json.loads(out)
    fixed = {(s["package"], i["id"]) for s in plan["steps"] for i in s["fixes"]}
    still = {(f["package"]["name"], f["id"]) for f in after["findings"]}
    check(not (fixed & still), "targets clear the fixed findings", sorted(fixed & still)[:5])
    opened = {(s["package"], i["id"]) for s in plan["steps"] for i in s["stays_open"]}
    check(still <= opened, "what remains was announced as open", sorted(still - opened)[:5])

    # the lockfile decides the command
    rc, out, err = run("--db", db, "plan", "--no-config", "--format", "json",
                       "tests/data/inputs/poetry/poetry.lock")
    p = json.loads(out)
    check(p["steps"] and p["steps"][0]["commands"][0].startswith("poetry add 'django>="),
          "poetry.lock gives poetry add", p["steps"][:1])

    # Windows: KEV products first, winget upgrades, manifests give versions
    rc, out, err = run("--db", db, "plan", "--no-config", "--format", "json",
                       T + "winget-export/export-winget-1.4.10173-with-versions.json",
                       T + "winget/manifests")
    p = json.loads(out)
    first = p["steps"][0]
    check(first["kev_ransomware"] and first["action"] == "upgrade-to-newest" and
          first["commands"] == ["winget upgrade --id '%s' --exact" % first["package"]],
          "ransomware KEV product first, upgrade to newest", first)
    z = [s for s in p["steps"] if s["package"] == "7zip.7zip"]
    check(len(z) == 1 and z[0]["target"] == "26.02" and z[0]["version"] == "22.01" and
          z[0]["commands"] == ["winget upgrade --id '7zip.7zip' --version '26.02' --exact"] and
          any(i["id"] == "CVE-2025-0411" for i in z[0]["stays_open"]),
          "installed 7-Zip: upgrade to the manifest's version, KEV stays open (no versions)", z)
    dues = [s["kev_due_date"] for s in p["steps"] if s["kev"] and not s["kev_ransomware"]]
    check(dues == sorted(dues), "KEV steps by due date", dues)
    rc, out, err = run("--db", db, "plan", "--no-config", "--format", "json",
                       "tests/data/windows/choco-list/choco-v1-local-only.txt")
    p = json.loads(out)
    cmds = [c for s in p["steps"] for c in s["commands"]]
    check(any(c.startswith("choco upgrade 'git") for c in cmds), "choco upgrade commands", cmds)

    # formats, output, errors
    rc, out, _ = run("--db", db, "plan", "--no-config", req)
    check(rc == 0 and "1. apache-airflow" in out and "$ pip install" in out and "\033[" not in out,
          "table, plain when piped", out[:300])
    rc, out, _ = run("--db", db, "plan", "--no-config", "--format", "markdown", req)
    check(out.startswith("## Patch plan") and "| 1 | apache-airflow |" in out, "markdown", out[:300])
    o = os.path.join(tmp, "plan.json")
    rc, _, _ = run("--db", db, "plan", "--no-config", "--format", "json", "-o", o, req)
    check(rc == 0 and json.load(open(o))["steps"], "-o writes the plan")
    rc, out, _ = run("--db", db, "plan", "--no-config", "tests/data/inputs/uv/uv.lock")
    check(rc == 0 and "Nothing to patch" in out, "nothing to patch", out)
    rc, _, err = run("--db", os.path.join(tmp, "missing.db"), "plan", req)
    check(rc == 4, "missing database exits 4", err)
    rc, _, err = run("--db", db, "plan", "--format", "xml", req)
    check(rc == 2, "bad --format exits 2", err)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
