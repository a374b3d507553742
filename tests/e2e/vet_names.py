"""tollgate vet on names: false-positive share on real PyPI names, recall on
squats from public reports, malware advisories, inventories, exit codes.

Builds a database from the bundled feed snapshot (data/feeds) plus one
OSV MAL- record, then:
  - 20,000 names drawn (fixed seed) from the PyPI names in the database
    that are not among the 15,000 most downloaded: the share flagged
    typosquat, confusable or combosquat must stay at or under 1 %;
  - the squats of tests/data/vet/known-squats.tsv: the share caught by
    those rules must reach 75 %;
  - the 2,000 most downloaded names are never flagged as squats.
"""
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "helpers"))
import osv_mirror  # noqa: E402

SRC = os.path.abspath(os.environ.get("TG_SOURCE_DIR", os.getcwd()))
BIN = os.environ["TG_BIN"]
SQUAT_RULES = {"typosquat", "confusable", "combosquat"}
FP_TARGET = 0.01
RECALL_TARGET = 0.75

passed = failed = 0


def check(cond, label):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", label, file=sys.stderr)


def vet(db, *args, stdin=None):
    p = subprocess.run([BIN, "--db", db, "vet", *args], capture_output=True, text=True,
                       input=stdin, timeout=600)
    return p


def jsonl(p):
    return [json.loads(x) for x in p.stdout.splitlines() if x.strip()]


tmp = tempfile.mkdtemp()
try:
    with open(os.path.join(SRC, "tests", "data", "vet", "osv-mal", "MAL-2025-1970.json"), "rb") as f:
        mal = f.read()
    mirror = osv_mirror.mirror_with_pypi_records(os.path.join(SRC, "data", "feeds"),
                                                 os.path.join(tmp, "mirror"),
                                                 [("MAL-2025-1970.json", mal)])
    db = os.path.join(tmp, "tollgate.db")
    p = subprocess.run([BIN, "--db", db, "-q", "db", "update", "--source", mirror],
                       capture_output=True, text=True, timeout=900)
    check(p.returncode == 0, f"db update: {p.stderr[-300:]}")

    # ---- no database: exit 4 with the db's message -------------------
    p = vet(os.path.join(tmp, "missing.db"), "requests")
    check(p.returncode == 4 and "tollgate db update" in p.stderr,
          f"missing db: exit {p.returncode} {p.stderr.strip()}")

    # ---- false positives on published, non-popular names ---------------
    con = sqlite3.connect(db)
    names = sorted(r[0] for r in con.execute(
        "SELECT COALESCE(name, norm_name) FROM names WHERE ecosystem = 'PyPI' AND rank IS NULL"))
    top = [r[0] for r in con.execute(
        "SELECT COALESCE(name, norm_name) FROM names WHERE ecosystem = 'PyPI' AND rank IS NOT NULL "
        "ORDER BY rank LIMIT 2000")]
    con.close()
    check(len(names) > 800000, f"{len(names)} unranked PyPI names in the database")
    sample = random.Random(20261123).sample(names, 20000)
    p = vet(db, "--format", "jsonl", "--names", "-", stdin="\n".join(sample) + "\n")
    rows = jsonl(p)
    check(len(rows) == len(sample), f"one result per sampled name ({len(rows)})")
    check([r["subject"] for r in rows] == sample, "jsonl keeps input order")
    flagged = [r for r in rows if SQUAT_RULES & {x["rule"] for x in r["reasons"]}]
    share = len(flagged) / max(len(rows), 1)
    unknown = [r for r in rows if any(x["rule"] == "unknown-name" for x in r["reasons"])]
    check(not unknown, f"published names reported unknown: {[r['subject'] for r in unknown[:5]]}")
    print(f"name false positives: {len(flagged)}/{len(rows)} = {share:.2%} of random "
          f"non-top-15,000 PyPI names flagged typosquat|confusable|combosquat "
          f"(target <= {FP_TARGET:.0%})")
    for r in flagged[:15]:
        x = next(x for x in r["reasons"] if x["rule"] in SQUAT_RULES)
        print(f"  {r['subject']}: {x['rule']} of {x.get('similar_to')}")
    check(share <= FP_TARGET, f"false-positive share {share:.2%} > {FP_TARGET:.0%}")

    # ---- established names are never squats of each other -------------
    p = vet(db, "--format", "jsonl", "--names", "-", stdin="\n".join(top) + "\n")
    rows = jsonl(p)
    bad = [r["subject"] for r in rows if SQUAT_RULES & {x["rule"] for x in r["reasons"]}]
    check(len(rows) == len(top) and not bad, f"popular names flagged: {bad[:10]}")
    check(p.returncode == 0, f"top names: exit {p.returncode}")

    # ---- known squats ----------------------------------------------------
    squats = []
    with open(os.path.join(SRC, "tests", "data", "vet", "known-squats.tsv")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, eco, target, source = line.rstrip("\n").split("\t")
            squats.append((name, eco, target, source))
    caught = 0
    right_target = 0
    any_rule = 0
    for eco in ("pypi", "npm"):
        group = [s for s in squats if s[1] == eco]
        p = vet(db, "--ecosystem", eco, "--format", "jsonl", "--names", "-",
                stdin="\n".join(s[0] for s in group) + "\n")
        rows = jsonl(p)
        check(len(rows) == len(group), f"{eco} squats: one result each")
        for (name, _, target, _), r in zip(group, rows):
            hits = [x for x in r["reasons"] if x["rule"] in SQUAT_RULES]
            if any(x["rule"] != "unknown-name" for x in r["reasons"]):
                any_rule += 1
            if hits:
                caught += 1
                if any(x.get("similar_to") == target for x in hits):
                    right_target += 1
            else:
                print(f"  not caught: {name} ({eco}, imitating {target}): "
                      f"{[x['rule'] for x in r['reasons']]}")
    recall = caught / len(squats)
    print(f"squat recall: {caught}/{len(squats)} = {recall:.0%} of known squats flagged "
          f"typosquat|confusable|combosquat ({right_target} naming the imitated package; "
          f"target >= {RECALL_TARGET:.0%}); {any_rule}/{len(squats)} flagged by a rule "
          f"other than unknown-name (malicious included)")
    check(recall >= RECALL_TARGET, f"recall {recall:.0%} < {RECALL_TARGET:.0%}")

    # ---- explanations ----------------------------------------------------
    p = vet(db, "--format", "json", "reqeusts", "requests", "jeIlyfish")
    doc = json.loads(p.stdout)
    res = {r["subject"]: r for r in doc["results"]}
    t = next(x for x in res["reqeusts"]["reasons"] if x["rule"] == "typosquat")
    check(t["similar_to"] == "requests" and "swapped" in t["explanation"], f"reqeusts: {t}")
    check(res["reqeusts"]["verdict"] == "block", "reqeusts blocks")
    u = next(x for x in res["reqeusts"]["reasons"] if x["rule"] == "unknown-name")
    check("2026-11-23" in u["explanation"] or "name list" in u["explanation"],
          f"unknown-name names the list: {u['explanation']}")
    check(res["requests"]["verdict"] == "ok" and not res["requests"]["reasons"],
          f"requests: {res['requests']}")
    check(any(x["rule"] == "confusable" and x.get("similar_to") == "jellyfish"
              for x in res["jeIlyfish"]["reasons"]), f"jeIlyfish: {res['jeIlyfish']}")
    check(p.returncode == 1, f"exit 1 with a block verdict (got {p.returncode})")
    # Cyrillic 'е' in requests.
    p = vet(db, "--format", "json", "r\u0435quests")
    r = json.loads(p.stdout)["results"][0]
    check(any(x["rule"] == "confusable" and x["level"] == "block" for x in r["reasons"]),
          f"homoglyph: {r}")
    # npm scope confusion.
    p = vet(db, "--ecosystem", "npm", "--format", "json", "babel-core-x", "babelcore")
    r = json.loads(p.stdout)["results"][1]
    check(any(x["rule"] == "typosquat" and x.get("similar_to", "").startswith("@babel/")
              for x in r["reasons"]), f"babelcore: {r['reasons']}")

    # ---- malware advisories ---------------------------------------------
    p = vet(db, "--format", "json", "deepseeek==0.0.8", "deepseeek==9.9")
    doc = json.loads(p.stdout)
    r0, r1 = doc["results"]
    check(any(x["rule"] == "malicious" and x["level"] == "block" and "MAL-2025-1970" in
              x["explanation"] for x in r0["reasons"]), f"deepseeek 0.0.8: {r0['reasons']}")
    check(not any(x["rule"] == "malicious" for x in r1["reasons"]),
          "a version the advisory does not list is not reported as malware")
    p = vet(db, "--fail-on", "warn", "--format", "json", "deepseeek")
    check(p.returncode == 1, "deepseeek fails the run")

    # ---- fail-on and exit codes -----------------------------------------
    p = vet(db, "--format", "json", "django-server")
    check(p.returncode == 0 and json.loads(p.stdout)["results"][0]["verdict"] == "warn",
          "a warning passes with the default --fail-on block")
    p = vet(db, "--fail-on", "warn", "django-server")
    check(p.returncode == 1, "--fail-on warn fails on a warning")

    # ---- tollgate.toml [vet] ---------------------------------------------
    proj = os.path.join(tmp, "proj")
    os.makedirs(proj)
    with open(os.path.join(proj, "tollgate.toml"), "w") as f:
        f.write("[vet]\nfail-on = \"warn\"\ncooldown-days = 30\n")
    p = subprocess.run([BIN, "--db", db, "vet", "django-server"], cwd=proj,
                       capture_output=True, text=True)
    check(p.returncode == 1, f"[vet] fail-on = warn from tollgate.toml: exit {p.returncode}")
    p = subprocess.run([BIN, "--db", db, "vet", "--fail-on", "block", "django-server"],
                       cwd=proj, capture_output=True, text=True)
    check(p.returncode == 0, f"--fail-on overrides the file: exit {p.returncode}")
    p = subprocess.run([BIN, "--db", db, "vet", "--no-config", "django-server"], cwd=proj,
                       capture_output=True, text=True)
    check(p.returncode == 0, f"--no-config: exit {p.returncode}")
    with open(os.path.join(proj, "tollgate.toml"), "w") as f:
        f.write("[vet]\nfail-on = \"warn\"\ncoldown-days = 30\n")
    p = subprocess.run([BIN, "--db", db, "vet", "requests"], cwd=proj,
                       capture_output=True, text=True)
    check(p.returncode == 3 and "tollgate.toml:3" in p.stderr and "coldown-days" in p.stderr,
          f"unknown [vet] key: exit {p.returncode} {p.stderr.strip()}")

    # ---- inventories -----------------------------------------------------
    req = os.path.join(tmp, "requirements.txt")
    with open(req, "w") as f:
        f.write("requests==2.31.0\n# pinned\nreqeusts>=1\nurllib3\n")
    p = vet(db, "--format", "jsonl", req)
    rows = jsonl(p)
    check([r["name"] if "name" in r else r["subject"] for r in rows][:1] == ["requests"],
          f"inventory rows: {[r['subject'] for r in rows]}")
    check(any(r["subject"].startswith("reqeusts") and ":3)" in r["subject"] and
              r["verdict"] == "block" for r in rows),
          f"inventory names file:line: {[r['subject'] for r in rows]}")
    check(p.returncode == 1, f"inventory with a squat: exit {p.returncode}")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
