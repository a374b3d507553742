"""The real pip through `tollgate proxy`: installs and downloads of allowed
packages, a denied name, a cooldown hiding the newest release, a tampered
upstream file, a known-vulnerable version pinned with ==, and PEP 658
metadata files. The upstream is a local PEP 503 directory holding Debian's
pip/setuptools wheels and wheels built here."""
import glob
import hashlib
import json
import os
import re
import shutil
import sqlite3
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "helpers"))
import proxy_fixture as fx  # noqa: E402

c = fx.Checks()
tmp = fx.tempdir()
up = os.path.join(tmp, "up")
os.makedirs(up)
db = fx.make_db(tmp)
old = time.time() - 40 * 86400


def project(name, versions, mtime=None, tamper=(), metadata=False):
    pdir = os.path.join(up, name)
    os.makedirs(pdir, exist_ok=True)
    files, meta = [], {}
    for v in versions:
        path, m = fx.make_wheel(pdir, name, v)
        fn = os.path.basename(path)
        files.append(fn)
        if metadata:
            meta[fn] = m
        t = (mtime or {}).get(v, old)
        os.utime(path, (t, t))
    hashes = {}
    for v in tamper:
        fn = [f for f in files if "-%s-" % v in f][0]
        hashes[fn] = hashlib.sha256(b"what the index promised").hexdigest()
    fx.write_project_page(pdir, files, metadata=meta, page_hashes=hashes)
    return files


# Real wheels from Debian's python3-pip-whl, when installed.
real = sorted(glob.glob("/usr/share/python-wheels/*.whl"))
for whl in real:
    name = os.path.basename(whl).split("-")[0].lower()
    pdir = os.path.join(up, name)
    os.makedirs(pdir, exist_ok=True)
    shutil.copyfile(whl, os.path.join(pdir, os.path.basename(whl)))
    os.utime(os.path.join(pdir, os.path.basename(whl)), (old, old))
    fx.write_project_page(pdir, [os.path.basename(whl)])

project("demo-pkg", ["1.0", "1.1", "2.0"], mtime={"2.0": time.time() - 3600}, metadata=True)
project("evil-pkg", ["1.0"])
project("tampered-pkg", ["1.0"], tamper=["1.0"])
# jinja2 2.10 is affected by advisories in the bundled OSV data; 3.1.4 is not.
project("jinja2", ["2.10", "3.1.4"])

audit = os.path.join(tmp, "audit.jsonl")
cfg = os.path.join(tmp, "tollgate.toml")
with open(cfg, "w") as f:
    f.write("""[proxy]
cache-dir = "cache"
audit-log = "audit.jsonl"

[[proxy.upstream]]
name = "local"
url = "up"

[policy]
deny = ["evil-pkg"]
cooldown-days = 7
block-vulnerable = "any"
""")

px = fx.Proxy(cfg, db)


def audit_lines():
    with open(audit) as f:
        return [json.loads(line) for line in f if line.strip()]


def installed(target, name):
    d = glob.glob(os.path.join(target, name.replace("-", "_") + "-*.dist-info"))
    return os.path.basename(d[0])[:-len(".dist-info")].split("-")[1] if d else None


pips = fx.pip_commands()
c.ok(len(pips) >= 1, "a pip to test with")
for i, pip in enumerate(pips):
    label = " ".join(pip[:1])
    target = os.path.join(tmp, "t%d" % i)
    # Allowed: the newest version out of cooldown is installed (2.0 is an
    # hour old, the cooldown is 7 days, file mtime is the upload time).
    rc, out = fx.run_pip(pip, px, ["install", "--target", target, "demo-pkg"])
    c.eq(0, rc, "%s: pip install demo-pkg succeeds" % label) or print(out)
    c.eq("1.1", installed(target, "demo-pkg"), "%s: cooldown hides 2.0, 1.1 installed" % label)

    # The newest release pinned exactly: refused, and pip says why.
    rc, out = fx.run_pip(pip, px, ["install", "--target", target + "b", "demo-pkg==2.0"])
    c.ok(rc != 0, "%s: demo-pkg==2.0 refused during cooldown" % label, out)
    c.ok("cooldown" in out, "%s: pip output names the cooldown rule" % label, out)

    # pip download through the proxy, real wheel bytes.
    dl = os.path.join(tmp, "dl%d" % i)
    rc, out = fx.run_pip(pip, px, ["download", "--no-deps", "-d", dl, "demo-pkg==1.0"])
    c.eq(0, rc, "%s: pip download demo-pkg==1.0" % label) or print(out)
    got = glob.glob(os.path.join(dl, "*.whl"))
    want = os.path.join(up, "demo-pkg", "demo_pkg-1.0-py3-none-any.whl")
    c.ok(len(got) == 1 and fx.sha256_file(got[0]) == fx.sha256_file(want),
         "%s: downloaded file is the upstream's" % label)

    if real:
        rc, out = fx.run_pip(pip, px, ["download", "--no-deps", "-d", dl, "setuptools"])
        c.eq(0, rc, "%s: pip download of a real wheel (setuptools)" % label) or print(out)

    # A denied project: pip fails and installs nothing.
    rc, out = fx.run_pip(pip, px, ["install", "--target", target + "c", "evil-pkg"])
    c.ok(rc != 0, "%s: evil-pkg refused" % label, out)
    c.ok(not os.path.exists(os.path.join(target + "c", "evil_pkg")), "%s: evil-pkg not installed" % label)

    # Tampered upstream file: the index promises another hash.
    rc, out = fx.run_pip(pip, px, ["install", "--target", target + "d", "tampered-pkg"])
    c.ok(rc != 0, "%s: tampered file refused" % label, out)
    c.ok("502" in out, "%s: pip reports the 502 for the tampered file" % label, out)


    # Known-vulnerable version pinned with ==: refused with the advisory id.
    rc, out = fx.run_pip(pip, px, ["install", "--target", target + "e", "jinja2==2.10"])
    c.ok(rc != 0, "%s: jinja2==2.10 refused" % label, out)
    ids = set(re.findall(r"\b(?:PYSEC|GHSA|CVE|OSV)-[0-9A-Za-z-]+\b", out))
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    known = {r[0] for r in con.execute(
        "SELECT a.id FROM advisories a JOIN affected f ON f.adv = a.adv "
        "WHERE f.norm_name = 'jinja2'")}
    con.close()
    c.ok(ids & known, "%s: pip output names a jinja2 advisory from the database" % label,
         "ids %s known %s\n%s" % (ids, sorted(known), out))
    # Unpinned, the resolver picks the version the policy allows.
    rc, out = fx.run_pip(pip, px, ["install", "--no-deps", "--target", target + "f", "jinja2"])
    c.eq(0, rc, "%s: unpinned jinja2 installs" % label) or print(out)
    c.eq("3.1.4", installed(target + "f", "jinja2"), "%s: the non-vulnerable jinja2 chosen" % label)

# The denied project's page: 403 with an RFC 9457 body naming the rule.
st, h, body = px.get("/simple/evil-pkg/", {"Accept": "application/vnd.pypi.simple.v1+json"})
c.eq(403, st, "denied project page is 403")
c.eq("application/problem+json", h.get("content-type"), "problem+json body")
try:
    prob = json.loads(body)
except ValueError:
    prob = {}
c.eq("deny", prob.get("rule"), "problem names the rule")
c.ok("evil-pkg" in prob.get("detail", "") and "tollgate.toml:10" in prob.get("detail", ""),
     "problem detail names the deny entry and its line", repr(prob))
st, h, body = px.get("/simple/evil-pkg/", {"Accept": "text/html"})
c.ok(st == 403 and b"deny list" in body and h.get("content-type", "").startswith("text/html"),
     "HTML 403 for browsers", repr(body[:300]))
st, h, body = px.get("/simple/evil-pkg/", {"Accept": "*/*"})
c.ok(st == 403 and b"deny list" in body and h.get("content-type", "").startswith("text/plain"),
     "plain-text 403 otherwise")

# PEP 658: the metadata file is served and matches the hash on the page.
st, h, body = px.get("/simple/demo-pkg/", {"Accept": "application/vnd.pypi.simple.v1+json"})
page = json.loads(body)
f10 = [f for f in page["files"] if f["filename"] == "demo_pkg-1.0-py3-none-any.whl"][0]
st, h, meta = px.get("/simple/demo-pkg/" + f10["url"] + ".metadata")
mhash = (f10.get("core-metadata") or {}).get("sha256")
c.ok(st == 200 and mhash and hashlib.sha256(meta).hexdigest() == mhash,
     "PEP 658 .metadata served and matching", "%s %s" % (st, mhash))
f20 = [f for f in page["files"] if f["filename"] == "demo_pkg-2.0-py3-none-any.whl"]
c.ok(f20 and f20[0].get("yanked") and "cooldown" in f20[0]["yanked"],
     "cooldown version listed as yanked with the reason", repr(f20))
c.ok("2.0" not in page.get("versions", []), "PEP 700 versions without 2.0")
st, h, body = px.get("/simple/demo-pkg/" + f20[0]["url"]) if f20 else (0, {}, b"")
c.eq(403, st, "direct download of the cooldown file is 403")

# Audit log: every decision, one JSON line each.
lines = audit_lines()
c.ok(any(l.get("decision") == "allow" and l.get("project") == "demo-pkg" and l.get("sha256")
         for l in lines), "audit: allowed download with sha256")
c.ok(any(l.get("decision") == "deny" and l.get("rule") == "hash-mismatch" for l in lines),
     "audit: hash mismatch recorded")
c.ok(any(l.get("decision") == "deny" and l.get("project") == "evil-pkg" for l in lines),
     "audit: denied project recorded")
c.ok(any(l.get("rule") == "vulnerable" and l.get("project") == "jinja2" and l.get("advisory")
         for l in lines), "audit: vulnerable version recorded with its advisory")
c.ok(all({"time", "decision"} <= set(l) for l in lines), "audit: every line has time and decision")
bad = glob.glob(os.path.join(tmp, "cache", "files", "*", hashlib.sha256(b"what the index promised").hexdigest()))
c.ok(not bad, "tampered bytes never cached")

c.eq(0, px.stop(), "proxy stops cleanly on SIGTERM")
c.finish()
