#!/usr/bin/python3
"""Windows applications in `tollgate audit`, against a database built from
the feed mirror (data/feeds): the KEV mapping table is checked row by row
against the real KEV catalog, KEV findings for real winget / Chocolatey
inventories are compared with an independent reading of the catalog, and
the findings of every check go through the report writers, ignores and
the exit code; an SBOM of a Windows inventory audits the same."""
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

BIN = os.environ["TG_BIN"]
SRC = os.environ.get("TG_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
KEV = os.path.join(SRC, "data", "feeds", "kev", "known_exploited_vulnerabilities.json")
MAP = os.path.join(SRC, "data", "windows", "kev-map.tsv")
IDS = os.path.join(SRC, "tests", "data", "windows", "package-ids.tsv")
T = "tests/data/third_party/winget-choco/"
EXPORT = T + "winget-export/export-winget-1.4.10173-with-versions.json"

passed = failed = 0


def check(cond, what, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: %s %s" % (what, str(detail)[:800]), file=sys.stderr)


def run(*args, cwd=SRC):
    p = subprocess.run([BIN] + list(args), capture_output=True, text=True, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def rows():
    out = []
    for n, line in enumerate(open(MAP), 1):
        if not line.strip() or line.startswith("#"):
            continue
        f = line.rstrip("\n").split("\t")
        out.append((n, f))
    return out


kev = json.load(open(KEV))["vulnerabilities"]
mapping = rows()

# --- the mapping table against the real catalog ---
known = {}
for line in open(IDS):
    if line.startswith("#") or not line.strip():
        continue
    eco, pkg, evidence, where = line.rstrip("\n").split("\t")
    known[(eco, pkg)] = (evidence, where)
for n, (vendor, product, eco, pkg) in mapping:
    hits = [k for k in kev if k["vendorProject"] == vendor and fnmatch.fnmatchcase(k["product"], product)]
    check(hits, "kev-map.tsv:%d (%s / %s) matches a KEV entry" % (n, vendor, product))
    check(eco in ("winget", "chocolatey"), "kev-map.tsv:%d ecosystem" % n, eco)
    check((eco, pkg) in known, "kev-map.tsv:%d package %s has evidence" % (n, pkg))
    if eco == "winget":
        check(re.match(r"^[A-Za-z0-9][A-Za-z0-9+\-]*(\.[A-Za-z0-9+\-]+)+$", pkg),
              "winget id %s has the Publisher.Name shape" % pkg)
        where = known.get((eco, pkg), ("", ""))[1]
        check(where == "winget-pkgs manifests/%s/%s" % (pkg[0].lower(), pkg.replace(".", "/")),
              "winget id %s matches its manifest folder" % pkg, where)
    else:
        check(re.match(r"^[a-z0-9][a-z0-9.\-]*$", pkg), "choco id %s is a lower-case id" % pkg)
# ids the test data itself proves
for eco, pkg in known:
    if known[(eco, pkg)][0] == "test-data":
        text = ""
        for root, _, files in os.walk(os.path.join(SRC, T)):
            for f in files:
                if f.endswith((".json", ".yaml", ".config", ".nuspec")):
                    text += open(os.path.join(root, f), encoding="utf-8", errors="replace").read()
        check(pkg in text, "test-data id %s occurs in the real files" % pkg)
apps = {(f[2], f[3]) for _, f in mapping}
products = {(f[0], f[1]) for _, f in mapping}
print("mapping: %d rows, %d packages, %d KEV product patterns covering %d KEV entries" % (
    len(mapping), len(apps), len(products),
    sum(1 for k in kev if any(k["vendorProject"] == v and fnmatch.fnmatchcase(k["product"], p)
                              for v, p in products))))


def expected_cves(eco, pkg):
    pats = [(f[0], f[1]) for _, f in mapping if f[2] == eco and f[3].lower() == pkg.lower()]
    return {k["cveID"]: k for k in kev
            if any(k["vendorProject"] == v and fnmatch.fnmatchcase(k["product"], p) for v, p in pats)}


tmp = tempfile.mkdtemp(prefix="tg-win-")
try:
    db = os.path.join(tmp, "t.db")
    rc, _, err = run("--db", db, "db", "update", "--source", "data/feeds")
    check(rc == 0, "db update from the mirror", err)

    def audit(*args):
        rc, out, err = run("--db", db, "audit", "--format", "json", "--no-config", *args)
        return rc, (json.loads(out) if out.strip() else None), err

    rc, doc, err = audit(EXPORT)
    check(rc == 1 and doc, "audit of a winget export fails the gate on KEV products", err)
    found = {}
    for f in doc["findings"]:
        if f["kind"] == "vulnerability":
            found.setdefault(f["package"]["name"], {})[f["id"]] = f
    for pkg in ("Google.Chrome", "Microsoft.Edge", "7zip.7zip", "Git.Git", "Mozilla.Firefox",
                "Kingsoft.WPSOffice", "VMware.WorkstationPro"):
        want = expected_cves("winget", pkg)
        got = found.get(pkg, {})
        check(want and set(got) == set(want), "%s: one finding per KEV CVE of its products" % pkg,
              "want %d got %d; missing %s" % (len(want), len(got), sorted(set(want) - set(got))[:5]))
    f = found.get("7zip.7zip", {}).get("CVE-2025-0411")
    k = expected_cves("winget", "7zip.7zip").get("CVE-2025-0411")
    check(f and k and f["kev"] and f["kev_due_date"] == k["dueDate"] and
          f["kev_ransomware"] == (k["knownRansomwareCampaignUse"] == "Known"),
          "KEV due date and ransomware flag from the catalog", f)
    check(f and "does not state which versions" in f["details"] and k["dateAdded"] in f["details"],
          "the finding says KEV states no versions, with dateAdded", f and f["details"][:300])
    ransom = [x for x in found.get("Microsoft.Edge", {}).values() if x["kev_ransomware"]]
    check(ransom, "Edge has KEV entries with known ransomware use")
    check(not found.get("Gyan.FFmpeg") and not found.get("voidtools.Everything"),
          "applications without KEV products get no KEV finding")
    check(doc["findings"][0]["kev_ransomware"],
          "ransomware-used KEV findings sort first", doc["findings"][0]["id"])

    # Chocolatey ids map too (case-insensitively: GoogleChrome)
    rc, doc, err = audit(T + "choco-packages-config/packages-work-machine.config")
    names = {f["package"]["name"] for f in doc["findings"] if f["kind"] == "vulnerability"}
    check({"GoogleChrome", "Firefox", "git"} <= names, "Chocolatey ids map", sorted(names))

    # every check through the writers and the gate
    rc, doc, err = audit("tests/data/windows/choco/old-http-md5", "tests/data/windows/winget/no-sha256",
                         "tests/data/windows/choco/splat-type-mismatch",
                         "tests/data/windows/choco/splat-no-checksum64",
                         "tests/data/windows/choco/download-exec")
    ids = sorted({f["id"] for f in doc["findings"]})
    for rule in ("win-http-download", "win-installer-no-sha256", "choco-weak-checksum",
                 "choco-checksum-type-mismatch", "choco-no-checksum", "choco-install-script"):
        check(rule in ids, "audit reports %s" % rule, ids)
    check(rc == 1, "check findings fail the gate", rc)
    rc, _, _ = run("--db", db, "audit", "--no-config", "--fail-on", "kev",
                   "tests/data/windows/choco/old-http-md5")
    check(rc == 0, "--fail-on kev ignores non-KEV check findings", rc)
    rc, out, _ = run("--db", db, "audit", "--no-config", "--format", "table",
                     "tests/data/windows/winget/no-sha256")
    check("win-installer-no-sha256" in out and "LegacyTool.yaml:14" in out,
          "table lists check findings with file:line", out[-600:])
    for fmt in ("sarif", "markdown", "html"):
        rc, out, _ = run("--db", db, "audit", "--no-config", "--format", fmt,
                         "tests/data/windows/winget/no-sha256")
        check(rc == 1 and "win-installer-no-sha256" in out, "%s lists check findings" % fmt)

    # policy from tollgate.toml, and ignores by rule id
    proj = os.path.join(tmp, "proj")
    os.makedirs(proj)
    shutil.copy(os.path.join(SRC, EXPORT), os.path.join(proj, "winget.json"))
    with open(os.path.join(proj, "tollgate.toml"), "w") as fh:
        fh.write('[windows]\ndeny = ["Telerik.*"]\nallowed_sources = ["winget"]\n'
                 '[[windows.source]]\npackage = "Git.Git"\nsource = "msstore"\n'
                 '[[ignore]]\nid = "CVE-2025-0411"\nreason = "7-Zip is updated by MDM"\n')
    rc, out, err = run("--db", db, "audit", "--format", "json", os.path.join(proj, "winget.json"))
    doc = json.loads(out)
    by = {(f["id"], f["package"]["name"]): f for f in doc["findings"]}
    check(("win-denied", "Telerik.Fiddler.Classic") in by, "deny list from tollgate.toml")
    check(("win-source-pin", "Git.Git") in by, "source pin from tollgate.toml")
    check(not any(i == "win-source-not-allowed" for i, _ in by), "allowed source passes")
    check(by.get(("CVE-2025-0411", "7zip.7zip"), {}).get("ignored"), "KEV finding ignored by id")
    with open(os.path.join(proj, "tollgate.toml"), "w") as fh:
        fh.write('[windows]\ndenny = ["x"]\n')
    rc, _, err = run("--db", db, "audit", os.path.join(proj, "winget.json"))
    check(rc == 3 and "tollgate.toml:2" in err and "denny" in err,
          "unknown [windows] key: exit 3 naming file:line", err)

    # an SBOM of a Windows inventory audits the same (package, advisory) pairs
    def pairs(doc):
        return {(f["package"]["name"].lower(), f["package"]["version"], f["id"])
                for f in doc["findings"] if f["kind"] == "vulnerability"}
    rc, direct, _ = audit(EXPORT)
    for fmt in ("cyclonedx", "spdx"):
        bom = os.path.join(tmp, "w.%s.json" % fmt)
        rc, _, err = run("sbom", "--format", fmt, "-o", bom, EXPORT)
        rc, back, err = audit(bom)
        check(back and pairs(back) == pairs(direct) and pairs(direct),
              "%s SBOM of the export audits the same KEV findings" % fmt,
              back and sorted(pairs(direct) ^ pairs(back))[:5])
finally:
    shutil.rmtree(tmp, ignore_errors=True)

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
