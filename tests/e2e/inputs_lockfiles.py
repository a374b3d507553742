"""JSON inputs through the CLI, checked against an independent reading of
the same files in Python: npm lockfiles (v1-v3), Pipfile.lock, CycloneDX
(every valid example of the 1.6 schema suite) and SPDX."""
import base64
import glob
import json
import os
import subprocess
import sys

TG = os.environ["TG_BIN"]
SRC = os.environ.get("TG_SOURCE_DIR", ".")
DATA = os.path.join(SRC, "tests/data/inputs")
passed = failed = 0


def check(cond, label):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", label, file=sys.stderr)


def inventory(*args):
    r = subprocess.run([TG, "inventory", "--format", "json", *args],
                       capture_output=True, text=True)
    return r.returncode, (json.loads(r.stdout) if r.returncode == 0 else None), r.stderr


def sri_hex(sri):
    out = []
    for part in (sri or "").split():
        alg, b64 = part.split("-", 1)
        out.append((alg, base64.b64decode(b64).hex()))
    return sorted(out)


def npm_expected(path):
    d = json.load(open(path))
    want = []
    if "packages" in d:
        for key, e in d["packages"].items():
            if key == "" or e.get("link"):
                continue
            name = e.get("name") or key.rsplit("node_modules/", 1)[-1]
            want.append((name, e.get("version"), tuple(sri_hex(e.get("integrity")))))
    else:
        stack = [d.get("dependencies", {})]
        while stack:
            for name, e in stack.pop().items():
                want.append((name, e.get("version"), tuple(sri_hex(e.get("integrity")))))
                stack.append(e.get("dependencies", {}))
    return sorted(want)


def got_tuples(inv):
    return sorted((p["name"], p["version"],
                   tuple(sorted((h["alg"], h["hex"]) for h in p["hashes"])))
                  for p in inv["packages"])


for lock in sorted(glob.glob(os.path.join(DATA, "npm/*/package-lock.json"))):
    rc, out, err = inventory(lock)
    check(rc == 0, f"{lock} exits 0 ({err.strip()})")
    if rc == 0:
        inv = out["inventories"][0]
        check(inv["format"] == "package-lock", f"{lock}: detected as package-lock")
        check(got_tuples(inv) == npm_expected(lock), f"{lock}: packages match")
        lines = open(lock).read().split("\n")
        # Each origin line names the package's key (v2/v3) or name (v1).
        ok = all(p["origin_line"] > 0 and
                 (p["name"].split("/")[-1] in lines[p["origin_line"] - 1] or
                  "node_modules/" in lines[p["origin_line"] - 1] or
                  "packages/" in lines[p["origin_line"] - 1])
                 for p in inv["packages"])
        check(ok, f"{lock}: origin lines point at the package entries")

# --no-dev drops the dev-only packages of the real v3 lockfile.
lock = os.path.join(DATA, "npm/app-v3/package-lock.json")
rc, out, _ = inventory(lock, "--no-dev")
d = json.load(open(lock))
want = sum(1 for k, e in d["packages"].items() if k and not e.get("dev") and not e.get("link"))
check(rc == 0 and len(out["inventories"][0]["packages"]) == want,
      f"--no-dev keeps {want} packages")

# Pipfile.lock
pf = os.path.join(DATA, "pipfile/Pipfile.lock")
rc, out, err = inventory(pf, "--all-markers", "--platform", "linux")
check(rc == 0, f"Pipfile.lock exits 0 ({err.strip()})")
if rc == 0:
    flagged = [p["name"] for p in out["inventories"][0]["packages"] if "skipped-marker" in p["flags"]]
    check(flagged == ["pywin32"], f"only pywin32 is skipped on linux: {flagged}")
if rc == 0:
    d = json.load(open(pf))
    want = sorted((n, e["version"][2:] if e.get("version", "*").startswith("==") else None,
                   tuple(sorted(tuple(h.split(":", 1)) for h in e.get("hashes", []))))
                  for sec in ("default", "develop") for n, e in d[sec].items())
    check(got_tuples(out["inventories"][0]) == want, "Pipfile.lock packages match")

# CycloneDX: every valid example of the schema suite parses; packages are
# the named components (nested too) outside metadata.
def cdx_count(components):
    n = 0
    for c in components or []:
        if c.get("name") or c.get("purl"):
            n += 1
        n += cdx_count(c.get("components"))
    return n

for f in sorted(glob.glob(os.path.join(SRC, "tests/data/third_party/schemas/cyclonedx-1.6/tests/valid-*.json"))):
    rc, out, err = inventory("--input-format", "cyclonedx", f)
    check(rc == 0, f"{os.path.basename(f)} exits 0 ({err.strip()})")
    if rc == 0:
        want = cdx_count(json.load(open(f)).get("components"))
        got = len(out["inventories"][0]["packages"])
        check(got == want, f"{os.path.basename(f)}: {got} packages, {want} components")

spdx = os.path.join(SRC, "tests/data/third_party/schemas/spdx-2.3/SPDXJSONExample-v2.3.spdx.json")
rc, out, err = inventory(spdx)
check(rc == 0, f"SPDX example exits 0 ({err.strip()})")
if rc == 0:
    d = json.load(open(spdx))
    check(len(out["inventories"][0]["packages"]) == len(d["packages"]), "SPDX example: one per package")
    purls = {r["referenceLocator"] for p in d["packages"] for r in p.get("externalRefs", [])
             if r["referenceType"] == "purl"}
    check(len(purls) > 0, "SPDX example has purls")

# Several inputs at once give one inventory each.
rc, out, _ = inventory(pf, lock, os.path.join(DATA, "sbom/storefront.cdx.json"))
check(rc == 0 and [i["format"] for i in out["inventories"]] ==
      ["pipfile.lock", "package-lock", "cyclonedx"], "three inputs, three inventories")

# Bad inputs: exit 3 with file:line in the message; usage errors exit 2.
tmp = os.environ.get("TMPDIR", "/tmp")
bad = os.path.join(tmp, f"tg-inputs-{os.getpid()}-package-lock.json")
try:
    with open(bad, "w") as fh:
        fh.write('{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/a": {\n')
    rc, out, err = inventory(bad)
    check(rc == 3 and f"{bad}:5:" in err, f"truncated lockfile: exit 3 at line 5 ({rc}: {err.strip()})")
    with open(bad, "wb") as fh:
        fh.write(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00")
    rc, out, err = inventory(bad)
    check(rc == 3 and "cannot tell the input format" in err,
          f"unrecognisable input: exit 3 ({rc}: {err.strip()})")
    rc, out, err = inventory("--input-format", "package-lock", bad)
    check(rc == 3 and f"{bad}:1:8: NUL" in err, f"binary garbage: exit 3 ({rc}: {err.strip()})")
finally:
    os.unlink(bad)
rc, out, err = inventory(os.path.join(DATA, "does-not-exist.json"))
check(rc == 3 and "does-not-exist.json" in err, "missing file exits 3")
rc, out, err = inventory("--input-format", "nonesuch", pf)
check(rc == 2, "unknown --input-format exits 2")
rc, out, err = inventory()
check(rc == 2, "no input exits 2")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
