#!/usr/bin/python3
"""`tollgate sbom`: CycloneDX 1.6 and SPDX 2.3 output validated against the
official schemas (format assertions on) for this machine's Python
environment, real lockfiles and Windows inventories; read back by the
inputs module it gives the same packages as the input; package URLs,
licences and dependency edges checked against the inventory; --reproducible
is byte-stable; -o is atomic."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

BIN = os.environ["TG_BIN"]
SRC = os.environ.get("TG_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "helpers"))
import sbom_validate  # noqa: E402

passed = failed = 0


def check(cond, what, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: %s %s" % (what, str(detail)[:800]), file=sys.stderr)


def run(*args, env=None):
    p = subprocess.run([BIN] + list(args), capture_output=True, text=True, cwd=SRC, env=env)
    return p.returncode, p.stdout, p.stderr


def inventory(args):
    rc, out, err = run("inventory", "--format", "json", *args)
    if rc != 0:
        raise SystemExit("inventory %s failed: %s" % (args, err))
    return json.loads(out)["inventories"]


def key(eco, name, version):
    eco = eco.lower()
    n = name.lower()
    if eco == "pypi":
        import re
        n = re.sub(r"[-_.]+", "-", n)
    return (eco, n, version)


T = "tests/data/third_party/winget-choco/"
INPUTS = [
    ["tests/data/inputs/poetry/poetry.lock"],
    ["tests/data/inputs/uv/uv.lock"],
    ["tests/data/inputs/pdm/pdm.lock"],
    ["tests/data/inputs/pylock/pylock.toml"],
    ["tests/data/inputs/pipfile/Pipfile.lock"],
    ["tests/data/inputs/npm/app-v3/package-lock.json"],
    ["tests/data/inputs/npm/workspace-v3/package-lock.json"],
    ["tests/data/inputs/requirements/requirements.txt"],
    ["--path", "tests/data/inputs/site-packages"],
    [T + "winget-export/export-winget-1.4.10173-with-versions.json"],
    [T + "winget/manifests"],
    [T + "choco-packages-config/packages-work-machine.config"],
    ["tests/data/windows/firefox.154.0.nupkg", "tests/data/windows/choco-list/choco-r.txt"],
]
py = shutil.which("python3")
if py and os.path.realpath(py) != "/usr/bin/python3":
    INPUTS.insert(0, ["--env", py])
else:
    print("note: no separate python3 on PATH; --env case uses /usr/bin/python3")
    INPUTS.insert(0, ["--env", "/usr/bin/python3"])

ok, detail = sbom_validate.selftest()
check(ok, "validator set-up reproduces the CycloneDX suite's verdicts", detail)
cdx_v = sbom_validate.cyclonedx_validator()
spdx_v = sbom_validate.spdx_validator()

tmp = tempfile.mkdtemp(prefix="tg-sbom-")
try:
    for args in INPUTS:
        name = " ".join(args)
        invs = inventory(args)
        expected = set()
        for inv in invs:
            for p in inv["packages"]:
                if "skipped-marker" in p["flags"]:
                    continue
                expected.add(key(p["ecosystem"], p["name"], p["version"]))
        for fmt, validator in (("cyclonedx", cdx_v), ("spdx", spdx_v)):
            out = os.path.join(tmp, "bom.%s.json" % fmt)
            rc, _, err = run("sbom", "--format", fmt, "-o", out, *args)
            check(rc == 0, "sbom %s %s exits 0" % (fmt, name), err)
            if rc:
                continue
            doc = json.load(open(out))
            errs = sbom_validate.errors(validator, doc)
            check(not errs, "%s of %s validates against the schema" % (fmt, name), errs[:3])
            # read back by the inputs module: the same packages
            back = inventory([out])
            got = {key(p["ecosystem"], p["name"], p["version"])
                   for inv in back for p in inv["packages"]}
            check(got == expected, "%s of %s reads back as the same packages" % (fmt, name),
                  "missing %s extra %s" % (sorted(expected - got)[:5], sorted(got - expected)[:5]))
        print("ok: %s (%d packages)" % (name, len(expected)))

    # --- package URLs, licences, dependencies on known inputs ---
    rc, out, _ = run("sbom", T + "winget/manifests", "tests/data/windows/choco/splat-no-checksum64",
                     "tests/data/inputs/npm/app-v3/package-lock.json",
                     "tests/data/inputs/requirements/requirements.txt")
    doc = json.loads(out)
    purls = {c["purl"]: c for c in doc["components"]}
    for want in ("pkg:winget/Notepad%2B%2B.Notepad%2B%2B@8.9.7",
                 "pkg:winget/7zip.7zip@26.02",
                 "pkg:nuget/keepass.install@2.57.1?repository_url=https:%2F%2Fcommunity.chocolatey.org%2Fapi%2Fv2%2F"):
        check(want in purls, "purl %s" % want, sorted(purls)[:8])
    scoped = [p for p in purls if p.startswith("pkg:npm/%40")]
    check(scoped and all("@" not in p[len("pkg:npm/%40"):].split("@")[0] for p in scoped),
          "npm scopes are percent-encoded %40", scoped[:3])
    for p, c in purls.items():
        if p.startswith("pkg:npm/%40"):
            check(c.get("group", "").startswith("@"), "scoped npm component has its group", c)
            break
    git = purls.get("pkg:winget/Git.Git@2.55.0.3", {})
    check(git.get("licenses") == [{"license": {"id": "GPL-2.0"}}], "winget License GPL-2.0 is an SPDX id",
          git.get("licenses"))
    keepass = purls.get("pkg:nuget/keepass.install@2.57.1?repository_url=https:%2F%2Fcommunity.chocolatey.org%2Fapi%2Fv2%2F", {})
    check(keepass.get("licenses") == [{"license": {"id": "GPL-2.0-or-later"}}],
          "nuspec licence expression", keepass.get("licenses"))
    check(keepass.get("type") == "application", "Windows packages are applications")

    # PyPI names: purl-spec normalisation
    rc, out, _ = run("sbom", "--path", "tests/data/inputs/site-packages")
    doc = json.loads(out)
    names = {c["name"]: c for c in doc["components"]}
    billing = [c for c in doc["components"] if c["name"].lower().replace("_", "-") == "billing-service"]
    check(billing and billing[0]["purl"] == "pkg:pypi/billing-service@0.3.dev0",
          "PyPI purl name normalised (billing_service -> billing-service)",
          billing[0]["purl"] if billing else names.keys())
    lic = {c["name"]: c.get("licenses") for c in doc["components"]}
    check(any(l and "license" in l[0] and "name" in l[0]["license"] for l in lic.values()) or
          all(l is None or "expression" in l[0] or "id" in l[0].get("license", {}) for l in lic.values()),
          "free-text licences become license.name", lic)

    # SPDX: free text becomes a LicenseRef defined in the document
    rc, out, _ = run("sbom", "--format", "spdx", "--env", INPUTS[0][1])
    doc = json.loads(out)
    refs = {e["licenseId"] for e in doc.get("hasExtractedLicensingInfos", [])}
    used = {p["licenseDeclared"] for p in doc["packages"] if p["licenseDeclared"].startswith("LicenseRef-")}
    check(used <= refs, "every LicenseRef used is defined", used - refs)
    check(all(p["licenseDeclared"] != "" for p in doc["packages"]), "licenseDeclared never empty")
    print("note: %d of %d packages of the environment have an SPDX licence expression" % (
        sum(1 for p in doc["packages"] if p["licenseDeclared"] not in ("NOASSERTION",) and
            not p["licenseDeclared"].startswith("LicenseRef-")), len(doc["packages"])))

    # dependency edges equal the lockfile's (names resolved in the same lock)
    for lock in ("tests/data/inputs/uv/uv.lock", "tests/data/inputs/poetry/poetry.lock"):
        inv = inventory([lock])[0]
        pkgs = {key("PyPI", p["name"], None)[1]: p for p in inv["packages"]}
        want = set()
        for p in inv["packages"]:
            for d in p["deps"]:
                dn = key("PyPI", d, None)[1]
                if dn in pkgs:
                    want.add((key("PyPI", p["name"], None)[1], dn))
        for fmt in ("cyclonedx", "spdx"):
            rc, out, _ = run("sbom", "--format", fmt, lock)
            doc = json.loads(out)
            got = set()
            if fmt == "cyclonedx":
                byref = {c["bom-ref"]: c["name"] for c in doc["components"]}
                for d in doc["dependencies"]:
                    if d["ref"] in byref:
                        for t in d.get("dependsOn", []):
                            got.add((key("PyPI", byref[d["ref"]], None)[1], key("PyPI", byref[t], None)[1]))
            else:
                byid = {p["SPDXID"]: p["name"] for p in doc["packages"]}
                for r in doc["relationships"]:
                    if r["relationshipType"] == "DEPENDS_ON":
                        got.add((key("PyPI", byid[r["spdxElementId"]], None)[1],
                                 key("PyPI", byid[r["relatedSpdxElement"]], None)[1]))
            check(want and got == want, "%s dependency edges of %s" % (fmt, lock),
                  "missing %s extra %s" % (sorted(want - got)[:4], sorted(got - want)[:4]))

    # --- reproducible output ---
    for fmt in ("cyclonedx", "spdx"):
        a = run("sbom", "--format", fmt, "--reproducible", "tests/data/inputs/uv/uv.lock")[1]
        b = run("sbom", "--format", fmt, "--reproducible", "tests/data/inputs/uv/uv.lock")[1]
        c = run("sbom", "--format", fmt, "--reproducible", "tests/data/inputs/poetry/poetry.lock")[1]
        check(a == b and a, "%s --reproducible is byte-identical" % fmt)
        da, dc = json.loads(a), json.loads(c)
        if fmt == "cyclonedx":
            check(da["serialNumber"] != dc["serialNumber"], "serial differs with content")
            check(da["metadata"]["timestamp"] == "1970-01-01T00:00:00Z", "fixed timestamp")
        else:
            check(da["documentNamespace"] != dc["documentNamespace"], "namespace differs with content")
        n1 = run("sbom", "--format", fmt, "tests/data/inputs/uv/uv.lock")[1]
        n2 = run("sbom", "--format", fmt, "tests/data/inputs/uv/uv.lock")[1]
        check(n1 != n2, "%s without --reproducible gets a fresh serial" % fmt)
        env = dict(os.environ, SOURCE_DATE_EPOCH="1767225600")
        s = json.loads(run("sbom", "--format", fmt, "--reproducible",
                           "tests/data/inputs/uv/uv.lock", env=env)[1])
        ts = s["metadata"]["timestamp"] if fmt == "cyclonedx" else s["creationInfo"]["created"]
        check(ts == "2026-01-01T00:00:00Z", "SOURCE_DATE_EPOCH sets the time", ts)
    # components sorted by purl
    d = json.loads(run("sbom", "tests/data/inputs/npm/app-v3/package-lock.json")[1])
    ps = [c["purl"] for c in d["components"]]
    check(ps == sorted(ps), "components sorted by purl")

    # --- errors: exit codes, no half-written file ---
    out = os.path.join(tmp, "kept.json")
    with open(out, "w") as f:
        f.write("previous")
    bad = os.path.join(tmp, "bad.lock")
    with open(bad, "w") as f:
        f.write("[[package]]\nname = \n")
    rc, _, err = run("sbom", "--input-format", "poetry.lock", "-o", out, bad)
    check(rc == 3 and "bad.lock:2" in err, "unparsable input exits 3 naming file:line", err)
    check(open(out).read() == "previous", "failed run leaves -o untouched")
    rc, _, err = run("sbom", "--format", "xml", "tests/data/inputs/uv/uv.lock")
    check(rc == 2, "unknown --format is a usage error", err)
    rc, _, err = run("sbom")
    check(rc == 2, "no input is a usage error", err)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
