"""The real pip through `tollgate proxy`: installs and downloads of allowed
packages, projects denied as a whole (deny list, allow list, malware) whose
rule must appear in pip's output, a cooldown hiding the newest release, a
tampered upstream file, a known-vulnerable version pinned with ==, and PEP
658 metadata files. The upstream is a local PEP 503 directory holding
Debian's pip/setuptools wheels and wheels built here."""
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
# Malware in every version of one project: an OSV MAL- record as the
# malicious-packages feed writes them (introduced 0, never fixed).
MAL_ID = "MAL-0000-0001"
db = fx.make_db(tmp, [{
    "schema_version": "1.6.0", "id": MAL_ID, "modified": "2025-01-01T00:00:00Z",
    "published": "2025-01-01T00:00:00Z",
    "summary": "Malicious code in malware-pkg (PyPI)",
    "details": "Test record: every version of malware-pkg is malware.",
    "affected": [{"package": {"ecosystem": "PyPI", "name": "malware-pkg"},
                  "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}],
}])
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
project("evil-package", ["1.0", "1.1"], metadata=True)
project("outsider-pkg", ["1.0"])
project("malware-pkg", ["1.0"])
project("hollow-pkg", [])  # a page without files
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
deny = ["evil-package", "ghost-pkg", "hollow-pkg"]
cooldown-days = 7
block-vulnerable = "any"
""")

px = fx.Proxy(cfg, db)
# The same upstream behind a non-empty allow list.
cfg_allow = os.path.join(tmp, "allow.toml")
with open(cfg_allow, "w") as f:
    f.write("""[proxy]
cache-dir = "cache-allow"

[[proxy.upstream]]
name = "local"
url = "up"

[policy]
allow = ["demo-pkg"]
""")
px_allow = fx.Proxy(cfg_allow, db)


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

    # Projects denied as a whole: unpinned, pinned and downloaded, pip
    # fails, installs nothing and prints the refused link naming the rule.
    for server, name, rule in ((px, "evil-package", "blocked=deny"),
                               (px_allow, "outsider-pkg", "blocked=allow"),
                               (px, "malware-pkg", "blocked=malicious," + MAL_ID)):
        for n, args in enumerate((["install", "--target"], ["install", "--target"],
                                  ["download", "--no-deps", "-d"])):
            where = os.path.join(tmp, "denied%d-%s-%d" % (i, name, n))
            req = name + "==1.0" if n == 1 else name
            rc, out = fx.run_pip(pip, server, args + [where, req])
            what = "%s: pip %s %s" % (label, args[0], req)
            c.ok(rc != 0, what + " fails", out)
            c.ok(rule in out, what + ": output names the rule (%s)" % rule, out)
            left = os.listdir(where) if os.path.isdir(where) else []
            c.ok(not left, what + ": nothing installed or downloaded", repr(left))

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

# A denied project's page for clients that do not name the Simple API
# types: 403 with an RFC 9457 body naming the rule.
PROBLEM = {"Accept": "application/json, */*;q=0.1"}  # curl -H 'Accept: ...'
st, h, body = px.get("/simple/evil-package/", PROBLEM)
c.eq(403, st, "denied project page is 403 without the Simple API Accept")
c.eq("application/problem+json", h.get("content-type"), "problem+json body")
try:
    prob = json.loads(body)
except ValueError:
    prob = {}
c.eq("deny", prob.get("rule"), "problem names the rule")
c.eq("deny", h.get("x-tollgate-rule"), "X-Tollgate-Rule on the 403")
c.ok("evil-package" in prob.get("detail", "") and "tollgate.toml:10" in prob.get("detail", ""),
     "problem detail names the deny entry and its line", repr(prob))
st, h, body = px.get("/simple/evil-package/", {"Accept": "text/html"})
c.ok(st == 403 and b"deny list" in body and h.get("content-type", "").startswith("text/html"),
     "HTML 403 for browsers", repr(body[:300]))
st, h, body = px.get("/simple/evil-package/", {"Accept": "*/*"})
c.ok(st == 403 and b"deny list" in body and h.get("content-type", "").startswith("text/plain"),
     "plain-text 403 otherwise")
st, h, body = px.get("/simple/evil-package/")
c.eq(403, st, "403 without any Accept (curl)")

# For installers (Accept names a Simple API type): 200 with the upstream's
# files, none yanked, no metadata offered, every link naming the rule.
ups = sorted(f for f in os.listdir(os.path.join(up, "evil-package")) if f.endswith(".whl"))
st, h, body = px.get("/simple/evil-package/", {"Accept": "application/vnd.pypi.simple.v1+json"})
c.eq(200, st, "denied project page for installers is 200")
c.eq("deny", h.get("x-tollgate-rule"), "installers' page carries X-Tollgate-Rule")
page = json.loads(body) if st == 200 else {"files": []}
c.eq(ups, sorted(f["filename"] for f in page["files"]), "every upstream file listed")
c.ok(page["files"] and all(f["url"].endswith("?blocked=deny") for f in page["files"]),
     "every link ends in ?blocked=deny", repr(page))
c.ok(all(not f.get("yanked") and not f.get("core-metadata") and not f.get("dist-info-metadata")
         for f in page["files"]), "nothing yanked, no metadata offered", repr(page))
c.ok(set(page.get("versions", [])) <= {"1.0", "1.1"}, "no PEP 700 version without files")
for accept in ("application/vnd.pypi.simple.v1+html", "application/vnd.pypi.simple.latest+html",
               "text/html, application/vnd.pypi.simple.v1+json;q=0.5"):
    st, h, body = px.get("/simple/evil-package/", {"Accept": accept})
    hrefs = re.findall(rb'href="([^"]*)"', body)
    c.ok(st == 200 and len(hrefs) == len(ups) and all(x.split(b"#")[0].endswith(b"?blocked=deny") for x in hrefs)
         and b"data-yanked" not in body and b"metadata" not in body,
         "HTML page for installers (%s): every href refused" % accept, repr((st, body[:400])))
st, h, body = px_allow.get("/simple/outsider-pkg/", {"Accept": "application/vnd.pypi.simple.v1+json"})
c.ok(st == 200 and h.get("x-tollgate-rule") == "allow" and
     all(f["url"].endswith("?blocked=allow") for f in json.loads(body)["files"]),
     "allow-list page for installers names the rule", repr((st, body[:300])))
st, h, body = px_allow.get("/simple/outsider-pkg/", PROBLEM)
c.ok(st == 403 and json.loads(body).get("rule") == "allow", "allow-list 403 for curl")
st, h, body = px.get("/simple/malware-pkg/", {"Accept": "application/vnd.pypi.simple.v1+json"})
c.ok(st == 200 and h.get("x-tollgate-advisory") == MAL_ID and
     all(f["url"].endswith("?blocked=malicious," + MAL_ID) for f in json.loads(body)["files"]),
     "malware page for installers names the rule and the advisory", repr((st, body[:300])))

# Any file of a denied project is refused, listed or not, .metadata too.
for path in ("/files/evil-package/" + ups[0] + "?blocked=deny", "/files/evil-package/" + ups[0],
             "/files/evil-package/%s.metadata" % ups[0], "/files/evil-package/evil_package-9.9.tar.gz"):
    st, h, body = px.get(path, PROBLEM)
    prob = json.loads(body) if st == 403 else {}
    c.ok(st == 403 and prob.get("rule") == "deny" and h.get("x-tollgate-rule") == "deny",
         "%s refused naming the rule" % path, repr((st, body[:300])))

# A denied name no upstream has is refused too, never 404 (an installer
# told "not found" may look elsewhere): dependency confusion.
# An empty page would only make pip say "no matching distribution": 403.
for name in ("ghost-pkg", "hollow-pkg"):
    for accept in ("application/vnd.pypi.simple.v1+json", PROBLEM["Accept"]):
        st, h, body = px.get("/simple/%s/" % name, {"Accept": accept})
        c.ok(st == 403 and json.loads(body).get("rule") == "deny",
             "denied %s, no files upstream: 403 (%s)" % (name, accept), repr((st, body[:300])))

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
c.ok(any(l.get("decision") == "deny" and l.get("project") == "evil-package" and
         l.get("rule") == "deny" and not l.get("file") for l in lines),
     "audit: denied project page recorded")
c.ok(any(l.get("decision") == "deny" and l.get("project") == "evil-package" and
         l.get("rule") == "deny" and l.get("file") and l.get("status") == 403 for l in lines),
     "audit: refused download of a denied project recorded")
c.ok(any(l.get("rule") == "vulnerable" and l.get("project") == "jinja2" and l.get("advisory")
         for l in lines), "audit: vulnerable version recorded with its advisory")
c.ok(all({"time", "decision"} <= set(l) for l in lines), "audit: every line has time and decision")
bad = glob.glob(os.path.join(tmp, "cache", "files", "*", hashlib.sha256(b"what the index promised").hexdigest()))
c.ok(not bad, "tampered bytes never cached")

c.eq(0, px.stop(), "proxy stops cleanly on SIGTERM")
c.eq(0, px_allow.stop(), "allow-list proxy stops cleanly")
c.finish()
