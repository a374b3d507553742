"""Simple-API conformance of `tollgate proxy` against real index pages.

Real PyPI pages saved by Poetry's and pip's test suites (PEP 691 JSON and
PEP 503 HTML, tests/data/third_party/pep-samples) are served from local
directory upstreams. Every project page is fetched back through the proxy
with the Accept headers pip and uv send (and the other PEP 691 variants),
and each field is compared with the upstream page as parsed here by the
standard library: file names, hashes, requires-python, yanked and its
reason, core metadata (PEP 658/714), size, upload-time and versions
(PEP 700). Also: 406, redirects to normalised names, Vary, HEAD, and the
project list."""
import html.parser
import json
import os
import shutil
import sys
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "helpers"))
import proxy_fixture as fx  # noqa: E402

SAMPLES = os.path.join(fx.SRC, "tests", "data", "third_party", "pep-samples", "poetry")
ACCEPTS = {
    "pip": ("application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, "
            "text/html; q=0.01", "json"),
    "uv": ("application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, "
           "text/html;q=0.01", "json"),
    "none": (None, "html"),
    "text/html": ("text/html", "html"),
    "v1+html": ("application/vnd.pypi.simple.v1+html", "html1"),
    "latest+json": ("application/vnd.pypi.simple.latest+json", "json"),
    "html preferred": ("application/vnd.pypi.simple.v1+json;q=0.5, text/html", "html"),
    "any": ("*/*", "html"),
}
CTYPES = {"json": "application/vnd.pypi.simple.v1+json",
          "html": "text/html; charset=utf-8",
          "html1": "application/vnd.pypi.simple.v1+html"}

c = fx.Checks()
tmp = fx.tempdir()
db = fx.make_db(tmp)


def norm(name):
    import re
    return re.sub(r"[-_.]+", "-", name).lower()


class Anchors(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.files = []
        self._cur = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._cur = dict(attrs)
            self._cur["_text"] = ""

    def handle_data(self, data):
        if self._cur is not None:
            self._cur["_text"] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._cur is not None:
            if self._cur.get("href"):
                self.files.append(self._cur)
            self._cur = None


def html_model(text):
    """Upstream or proxy HTML page -> {filename: fields}."""
    p = Anchors()
    p.feed(text)
    out = {}
    for a in p.files:
        href = a["href"]
        frag = urllib.parse.urlsplit(href).fragment
        hashes = {}
        if "=" in frag:
            k, v = frag.split("=", 1)
            hashes[k.lower()] = v.lower()
        meta = a.get("data-core-metadata", a.get("data-dist-info-metadata"))
        out[a["_text"].strip()] = {
            "href": href,
            "hashes": hashes,
            "requires-python": a.get("data-requires-python"),
            "yanked": ("data-yanked" in a),
            "yanked-reason": a.get("data-yanked") or None,
            "metadata": meta,
        }
    return out


def md_sha(v):
    """core-metadata value -> sha256 or True/None."""
    if v is None or v is False or v == "false":
        return None
    if isinstance(v, dict):
        return v.get("sha256", True)
    if isinstance(v, str) and v.startswith("sha256="):
        return v[7:].lower()
    return True


# Upstream directories: one of JSON pages, one of HTML pages.
jdir, hdir = os.path.join(tmp, "json"), os.path.join(tmp, "html")
projects_json, projects_html = {}, {}
for fn in sorted(os.listdir(os.path.join(SAMPLES, "pep691-simple-json"))):
    name = norm(fn[:-5])
    os.makedirs(os.path.join(jdir, name))
    shutil.copy(os.path.join(SAMPLES, "pep691-simple-json", fn), os.path.join(jdir, name, "index.json"))
    with open(os.path.join(SAMPLES, "pep691-simple-json", fn)) as f:
        projects_json[name] = json.load(f)
for fn in sorted(os.listdir(os.path.join(SAMPLES, "pep503-simple-html"))):
    name = norm(fn[:-5])
    os.makedirs(os.path.join(hdir, name))
    shutil.copy(os.path.join(SAMPLES, "pep503-simple-html", fn), os.path.join(hdir, name, "index.html"))
    with open(os.path.join(SAMPLES, "pep503-simple-html", fn), encoding="utf-8") as f:
        projects_html[name] = html_model(f.read())


def start(updir):
    cfg = os.path.join(tmp, os.path.basename(updir) + ".toml")
    with open(cfg, "w") as f:
        f.write('[proxy]\ncache-dir = "cache-%s"\n[[proxy.upstream]]\nname = "up"\nurl = "%s"\n'
                '[policy]\nrequire-hashes = false\n' % (os.path.basename(updir), updir))
    return fx.Proxy(cfg, db)


def fetch(px, name, accept):
    hdrs = {"Accept": accept} if accept else {}
    return px.get("/simple/%s/" % name, hdrs)


def proxy_model(kind, body):
    if kind == "json":
        d = json.loads(body)
        out = {}
        for f in d["files"]:
            out[f["filename"]] = f
        return d, out
    return None, html_model(body.decode("utf-8"))


def file_url_ok(px_url, name, filename):
    return urllib.parse.urljoin("/simple/%s/" % name, px_url.split("#")[0]) == \
        "/files/%s/%s" % (name, filename)


def page_through(px, name, label, accept, kind, upf, what=""):
    """Fetch a project page that must be 200 and list every upstream file;
    (headers, JSON document or None, {filename: fields}) or None."""
    st, h, body = fetch(px, name, accept)
    if not c.eq(200, st, "%s%s [%s] status" % (what, name, label)):
        return None
    c.eq(CTYPES[kind], h.get("content-type"), "%s%s [%s] content type" % (what, name, label))
    c.eq("Accept", h.get("vary"), "%s%s [%s] Vary" % (what, name, label))
    doc, got = proxy_model("json" if kind == "json" else "html", body)
    c.eq(sorted(upf), sorted(got), "%s%s [%s] file names" % (what, name, label))
    return h, doc, got


# ---- JSON upstream ----
px = start(jdir)
for name, up in sorted(projects_json.items()):
    upf = {f["filename"]: f for f in up["files"]}
    for label, (accept, kind) in ACCEPTS.items():
        page = page_through(px, name, label, accept, kind, upf)
        if not page:
            continue
        h, doc, got = page
        bad = []
        for fn, uf in upf.items():
            g = got.get(fn)
            if g is None:
                continue
            url = g["url"] if kind == "json" else g["href"]
            if not file_url_ok(url, name, fn):
                bad.append((fn, "url", url))
            uy = uf.get("yanked", False)
            if kind == "json":
                if g.get("hashes") != {k.lower(): v.lower() for k, v in uf.get("hashes", {}).items()}:
                    bad.append((fn, "hashes"))
                if g.get("requires-python") != uf.get("requires-python"):
                    bad.append((fn, "requires-python"))
                if g.get("yanked", False) != uy:
                    bad.append((fn, "yanked", g.get("yanked"), uy))
                for k in ("size", "upload-time"):
                    if g.get(k) != uf.get(k):
                        bad.append((fn, k, g.get(k), uf.get(k)))
                um = md_sha(uf.get("core-metadata", uf.get("dist-info-metadata",
                                                          uf.get("data-dist-info-metadata"))))
                want = um if isinstance(um, str) else None  # unverifiable metadata is not offered
                for key in ("core-metadata", "data-dist-info-metadata"):
                    if md_sha(g.get(key)) != want:
                        bad.append((fn, key, g.get(key), want))
                if "provenance" in uf and g.get("provenance") != uf["provenance"]:
                    bad.append((fn, "provenance"))
            else:
                sha = {k.lower(): v.lower() for k, v in uf.get("hashes", {}).items()}.get("sha256")
                if sha and g["hashes"].get("sha256") != sha:
                    bad.append((fn, "sha256"))
                if g["requires-python"] != uf.get("requires-python"):
                    bad.append((fn, "requires-python", g["requires-python"], uf.get("requires-python")))
                if g["yanked"] != bool(uy) or (isinstance(uy, str) and uy and g["yanked-reason"] != uy):
                    bad.append((fn, "yanked"))
        c.ok(not bad, "%s [%s] per-file fields" % (name, label), repr(bad[:5]))
        if kind == "json":
            if "versions" in up:
                c.eq(up["versions"], doc.get("versions"), "%s [%s] PEP 700 versions" % (name, label))
            else:
                c.ok("versions" not in doc, "%s [%s] no versions invented" % (name, label))
            c.eq(up.get("name"), doc.get("name"), "%s [%s] name" % (name, label))

# Representation and routing details, on one project.
st, h, body = fetch(px, "black", "application/xml")
c.eq(406, st, "406 when nothing acceptable")
st, h, body = px.get("/simple/Black/")
c.ok(st == 301 and urllib.parse.urljoin("/simple/Black/", h.get("location", "")) == "/simple/black/",
     "301 from a non-normalised name", repr((st, h.get("location"))))
st, h, body = px.get("/simple/black")
c.ok(st == 301 and urllib.parse.urljoin("/simple/black", h.get("location", "")) == "/simple/black/",
     "301 adds the trailing slash", repr((st, h.get("location"))))
st, h, body = px.get("/simple/sqlalchemy", )
c.eq(301, st, "301 for another name without slash")
st1, h1, b1 = px.get("/simple/black/", {"Accept": ACCEPTS["pip"][0]})
st2, h2, b2 = px.get("/simple/black/", {"Accept": ACCEPTS["pip"][0]}, method="HEAD")
c.ok(st2 == 200 and b2 == b"" and h2.get("content-length") == h1.get("content-length") and
     h2.get("etag") == h1.get("etag"), "HEAD: same headers, no body")
st, h, body = px.get("/simple/black/", {"Accept": ACCEPTS["pip"][0], "If-None-Match": h1.get("etag", "x")})
c.eq(304, st, "If-None-Match with the current ETag: 304")
st, h, body = px.get("/simple/no-such-project/")
c.eq(404, st, "unknown project: 404")
for accept, kind in ((ACCEPTS["pip"][0], "json"), ("text/html", "html")):
    st, h, body = px.get("/simple/", {"Accept": accept})
    if kind == "json":
        names = {norm(p["name"]) for p in json.loads(body)["projects"]}
    else:
        names = set(norm(k) for k in html_model(body.decode()))
    c.ok(st == 200 and set(projects_json) <= names, "project list (%s) names every project" % kind)
px.stop()

# ---- projects denied as a whole ----
# Installers (Accept names a Simple API type) get the upstream's files with
# refused links, none yanked, no metadata, only versions that have files;
# other clients get the 403.
INSTALLERS = {"pip", "uv", "v1+html", "latest+json", "html preferred"}


def file_version(fn):
    from packaging.utils import parse_sdist_filename, parse_wheel_filename
    return parse_wheel_filename(fn)[1] if fn.endswith(".whl") else parse_sdist_filename(fn)[1]


with open(os.path.join(tmp, "denied.toml"), "w") as f:
    f.write('[proxy]\ncache-dir = "cache-denied"\n[[proxy.upstream]]\nname = "up"\nurl = "%s"\n'
            '[policy]\nrequire-hashes = false\ndeny = ["black", "isodate"]\n' % jdir)
px = fx.Proxy(os.path.join(tmp, "denied.toml"), db)
for name in ("black", "isodate"):
    up = projects_json[name]
    upf = {f["filename"]: f for f in up["files"]}
    for label, (accept, kind) in ACCEPTS.items():
        if label not in INSTALLERS:
            c.eq(403, fetch(px, name, accept)[0], "denied %s [%s]: 403" % (name, label))
            continue
        page = page_through(px, name, label, accept, kind, upf, "denied ")
        if not page:
            continue
        h, doc, got = page
        c.eq("deny", h.get("x-tollgate-rule"), "denied %s [%s] X-Tollgate-Rule" % (name, label))
        bad = []
        for fn, g in got.items():
            uf = upf.get(fn, {})
            url = g["url"] if kind == "json" else g["href"]
            if url.split("#")[0] != "../../files/%s/%s?blocked=deny" % (name, fn):
                bad.append((fn, "url", url))
            if g.get("yanked"):
                bad.append((fn, "yanked"))
            if kind == "json":
                if any(g.get(k) for k in ("core-metadata", "data-dist-info-metadata",
                                          "dist-info-metadata")):
                    bad.append((fn, "metadata offered"))
                for k in ("hashes", "requires-python", "size", "upload-time"):
                    if g.get(k) != uf.get(k):
                        bad.append((fn, k, g.get(k), uf.get(k)))
            elif g["metadata"]:
                bad.append((fn, "metadata offered"))
        c.ok(not bad, "denied %s [%s] per-file fields" % (name, label), repr(bad[:5]))
        if kind == "json":
            have = {file_version(fn) for fn in upf}
            from packaging.version import Version
            want = [v for v in up.get("versions", []) if Version(v) in have]
            c.eq(want, doc.get("versions", []), "denied %s [%s] versions with files only" % (name, label))
    st, h, body = px.get("/files/%s/%s" % (name, up["files"][0]["filename"]))
    c.eq(403, st, "denied %s: a file download is 403" % name)
px.stop()

# ---- HTML upstream ----
px = start(hdir)
for name, upf in sorted(projects_html.items()):
    for label, (accept, kind) in ACCEPTS.items():
        st, h, body = fetch(px, name, accept)
        if not c.eq(200, st, "html:%s [%s] status" % (name, label)):
            continue
        doc, got = proxy_model("json" if kind == "json" else "html", body)
        c.eq(sorted(upf), sorted(got), "html:%s [%s] file names" % (name, label))
        bad = []
        for fn, uf in upf.items():
            g = got.get(fn)
            if g is None:
                continue
            if kind == "json":
                if uf["hashes"] and g.get("hashes") != uf["hashes"]:
                    bad.append((fn, "hashes", g.get("hashes"), uf["hashes"]))
                if g.get("requires-python") != uf["requires-python"]:
                    bad.append((fn, "requires-python"))
                gy = g.get("yanked", False)
                if bool(gy) != uf["yanked"] or (uf["yanked-reason"] and gy != uf["yanked-reason"]):
                    bad.append((fn, "yanked", gy, uf["yanked-reason"]))
                for k in ("size", "upload-time"):
                    if k in g:
                        bad.append((fn, k, "invented"))
                want = md_sha(uf["metadata"])
                want = want if isinstance(want, str) else None
                if md_sha(g.get("core-metadata")) != want:
                    bad.append((fn, "core-metadata", g.get("core-metadata"), want))
            else:
                if g["hashes"] != uf["hashes"]:
                    bad.append((fn, "hashes"))
                if g["requires-python"] != uf["requires-python"]:
                    bad.append((fn, "requires-python"))
                if g["yanked"] != uf["yanked"] or g["yanked-reason"] != uf["yanked-reason"]:
                    bad.append((fn, "yanked", g["yanked-reason"], uf["yanked-reason"]))
            url = g["url"] if kind == "json" else g["href"]
            if not file_url_ok(url, name, fn):
                bad.append((fn, "url", url))
        c.ok(not bad, "html:%s [%s] per-file fields" % (name, label), repr(bad[:5]))
        if kind == "json":
            c.ok("versions" not in doc, "html:%s [%s] no versions invented" % (name, label))
px.stop()
c.finish()
