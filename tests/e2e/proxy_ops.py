"""Operating `tollgate proxy`: --check-config, failing closed without a
database, token auth (Bearer and pip's URL credentials), /metrics,
/healthz, /readyz, SIGHUP reload on a live keep-alive connection, source
pinning against dependency confusion, an HTTP upstream with conditional
revalidation and transient failures, and the cache surviving a restart."""
import http.client
import http.server
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "helpers"))
import proxy_fixture as fx  # noqa: E402

c = fx.Checks()
tmp = fx.tempdir()
db = fx.make_db(tmp)
TOKEN = "ops-test-token-1234"


def project(root, name, versions):
    pdir = os.path.join(root, name)
    os.makedirs(pdir, exist_ok=True)
    files = [os.path.basename(fx.make_wheel(pdir, name, v)[0]) for v in versions]
    fx.write_project_page(pdir, files)
    return files


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


# ---- --check-config ----
good = os.path.join(tmp, "good.toml")
write(good, '[proxy]\nport = 9999\n[policy]\ndeny = ["x"]\n')
r = subprocess.run([fx.TG_BIN, "proxy", "--check-config", "--config", good], capture_output=True, text=True)
c.eq(0, r.returncode, "--check-config accepts a valid file")
bad = os.path.join(tmp, "bad.toml")
write(bad, '[proxy]\nport = 9999\n\n[policy]\ncooldown-days = "soon"\n')
r = subprocess.run([fx.TG_BIN, "proxy", "--check-config", "--config", bad], capture_output=True, text=True)
c.eq(3, r.returncode, "--check-config rejects an invalid file with exit 3")
c.ok("bad.toml:5:" in r.stderr and "cooldown-days" in r.stderr, "error names file:line", r.stderr)
write(bad, '[proxy]\nport = 9999\nbogus = 1\n')
r = subprocess.run([fx.TG_BIN, "proxy", "--check-config", "--config", bad], capture_output=True, text=True)
c.ok(r.returncode == 3 and "bad.toml:3:" in r.stderr, "unknown key located", r.stderr)

# ---- upstreams ----
internal, public = os.path.join(tmp, "internal"), os.path.join(tmp, "public")
project(internal, "acme-tool", ["1.0"])
project(public, "acme-tool", ["9.9"])     # an attacker's copy of an internal name
project(public, "acme-secret", ["9.9"])   # a name that exists only publicly
project(public, "demo-pkg", ["1.0", "1.1"])

cfg = os.path.join(tmp, "tollgate.toml")
base_cfg = """[proxy]
cache-dir = "cache"
audit-log = "audit.jsonl"
token = "%s"
page-ttl = 600

[[proxy.upstream]]
name = "internal"
url = "internal"
projects = ["acme-*"]

[[proxy.upstream]]
name = "public"
url = "public"
""" % TOKEN
write(cfg, base_cfg)
missing_db = os.path.join(tmp, "later.sqlite")
px = fx.Proxy(cfg, missing_db)
auth = {"Authorization": "Bearer " + TOKEN}

# ---- fails closed without a database ----
st, h, body = px.get("/healthz")
c.eq(200, st, "/healthz is up without a database")
st, h, body = px.get("/readyz")
c.eq(503, st, "/readyz not ready without a database")
st, h, body = px.get("/simple/demo-pkg/", auth)
c.eq(503, st, "no database: project pages are 503, never unfiltered")
c.ok(b"db update" in body, "the 503 says how to fix it", repr(body[:200]))
shutil.copy(db, missing_db)
deadline = time.time() + 15
while time.time() < deadline and px.get("/readyz")[0] != 200:
    time.sleep(0.2)
c.eq(200, px.get("/readyz")[0], "ready once the database appears")
st, h, body = px.get("/simple/demo-pkg/", auth)
c.eq(200, st, "pages served once the database is there")

# ---- auth ----
st, h, body = px.get("/simple/demo-pkg/")
c.eq(401, st, "no token: 401")
c.ok("basic" in h.get("www-authenticate", "").lower(), "401 offers Basic auth")
st, h, body = px.get("/simple/demo-pkg/", {"Authorization": "Bearer wrong-token-000"})
c.eq(401, st, "wrong token: 401")
st, h, body = px.get("/metrics")
c.eq(401, st, "/metrics needs the token too")
pip = fx.pip_commands()[0]


class AuthProxy:
    base = px.base.replace("http://", "http://ci:%s@" % TOKEN)


rc, out = fx.run_pip(pip, AuthProxy, ["download", "--no-deps", "-d", os.path.join(tmp, "dl"), "demo-pkg"])
c.eq(0, rc, "pip with credentials in the index URL (Basic)") or print(out)

# ---- dependency confusion ----
st, h, body = px.get("/simple/acme-secret/", auth)
c.eq(404, st, "pinned name absent from its index: 404, public copy never used")
c.ok(b"only index" in body, "the 404 explains the pinning", repr(body[:300]))
st, h, body = px.get("/simple/acme-tool/", dict(auth, Accept="application/vnd.pypi.simple.v1+json"))
names = [f["filename"] for f in json.loads(body)["files"]] if st == 200 else []
c.eq(["acme_tool-1.0-py3-none-any.whl"], names, "pinned name served from the pinned index only")

# ---- reload on SIGHUP, on a live keep-alive connection ----
conn = http.client.HTTPConnection("127.0.0.1", px.port, timeout=30)
conn.request("GET", "/simple/demo-pkg/", headers=auth)
r1 = conn.getresponse()
r1.read()
c.eq(200, r1.status, "keep-alive connection before reload")
write(cfg, base_cfg + '\n[policy]\ndeny = ["demo-pkg"]\n')
px.signal(signal.SIGHUP)
deadline = time.time() + 10
while time.time() < deadline and "configuration reloaded" not in px.stderr():
    time.sleep(0.1)
conn.request("GET", "/simple/demo-pkg/", headers=auth)
r2 = conn.getresponse()
r2.read()
c.eq(403, r2.status, "same connection after reload sees the new deny rule")
conn.close()
write(cfg, base_cfg + '\n[policy]\ncooldown-days = "x"\n')
px.signal(signal.SIGHUP)
deadline = time.time() + 10
while time.time() < deadline and "reload failed" not in px.stderr():
    time.sleep(0.1)
c.ok("reload failed" in px.stderr() and "tollgate.toml:" in px.stderr(),
     "a broken config on reload is reported with file:line", px.stderr()[-500:])
c.eq(403, px.get("/simple/demo-pkg/", auth)[0], "and the running policy stays")
c.ok(px.proc.poll() is None, "still running after a bad reload")

# ---- metrics ----
st, h, body = px.get("/metrics", auth)
text = body.decode()
c.eq(200, st, "/metrics with the token")
for needle in ('tollgate_proxy_requests_total{route="project",status="200"}',
               'tollgate_proxy_requests_total{route="project",status="403"}',
               'tollgate_proxy_cache_requests_total{cache="file",result="miss"}',
               'tollgate_proxy_upstream_seconds_bucket{le="+Inf"}',
               'tollgate_proxy_decisions_total{decision="allow"}',
               "process_resident_memory_bytes"):
    c.ok(needle in text, "metrics has " + needle)
c.ok(any(line.startswith('tollgate_proxy_requests_total{route="project",status="403"} ') and
         int(line.split()[-1]) >= 1 for line in text.splitlines()), "403 counted")

# ---- methods and limits ----
c.eq(405, px.get("/simple/", dict(auth), method="POST")[0], "POST: 405")
many = dict(auth)
for i in range(80):
    many["X-Pad-%d" % i] = "x"
c.eq(431, px.get("/simple/demo-pkg/", many)[0], "too many header fields: 431")
c.eq(404, px.get("/files/acme-tool/acme_tool-7.0-py3-none-any.whl", auth)[0], "unknown file: 404")
c.eq(0, px.stop(), "stops cleanly")

# ---- HTTP upstream: revalidation, failures ----
seen = []
mode = {"fail": False}
files = {}
hp = os.path.join(tmp, "httpup")
project(hp, "web-pkg", ["1.0"])
for fn in os.listdir(os.path.join(hp, "web-pkg")):
    with open(os.path.join(hp, "web-pkg", fn), "rb") as f:
        files[fn] = f.read()


class Up(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_GET(self):
        seen.append((self.path, self.headers.get("If-None-Match")))
        if mode["fail"]:
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/simple/web-pkg/":
            body = files["index.html"]
            etag = '"v1"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("ETag", etag)
        elif self.path.startswith("/simple/") and self.path[8:-1] + "" in ("nothing",):
            body = b""
            self.send_response(404)
        elif self.path.startswith("/simple/web-pkg/") and self.path[16:] in files:
            body = files[self.path[16:]]
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
        else:
            body = b"not here"
            self.send_response(404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Up)
threading.Thread(target=srv.serve_forever, daemon=True).start()
cfg2 = os.path.join(tmp, "http.toml")
write(cfg2, """[proxy]
cache-dir = "cache2"
page-ttl = 1
stale-if-error = 0
[[proxy.upstream]]
name = "web"
url = "http://127.0.0.1:%d/simple/"
""" % srv.server_address[1])
px = fx.Proxy(cfg2, db)
st, h, body = px.get("/simple/web-pkg/")
c.eq(200, st, "page from an HTTP upstream")
time.sleep(1.2)
st, h, body = px.get("/simple/web-pkg/")
c.eq(200, st, "page after the TTL")
c.ok(('/simple/web-pkg/', '"v1"') in seen, "revalidated with If-None-Match", repr(seen))
st, h, body = px.get("/files/web-pkg/web_pkg-1.0-py3-none-any.whl")
c.ok(st == 200 and body == files["web_pkg-1.0-py3-none-any.whl"], "file through the HTTP upstream")
mode["fail"] = True
time.sleep(1.2)
st, h, body = px.get("/simple/web-pkg/")
c.eq(503, st, "upstream failing and no stale copy allowed: 503")
c.ok(h.get("retry-after", "").isdigit(), "503 carries Retry-After")
st, h, body = px.get("/files/web-pkg/web_pkg-1.0-py3-none-any.whl")
c.eq(503, st, "file request while the index page cannot be had: 503")
px.stop()
srv.shutdown()

# ---- the cache survives a restart ----
write(cfg, base_cfg)
px = fx.Proxy(cfg, db)
st, h, body = px.get("/files/acme-tool/acme_tool-1.0-py3-none-any.whl", auth)
c.eq(200, st, "file fetched before restart")
px.stop()
shutil.rmtree(internal)
os.makedirs(internal)
px = fx.Proxy(cfg, db)
st, h, body2 = px.get("/files/acme-tool/acme_tool-1.0-py3-none-any.whl", auth)
c.ok(st == 200 and body2 == body, "page and file served from the cache after a restart "
     "with the upstream gone", "%s" % st)
px.stop()

# ---- name risk (vet's rules over the PyPI name list) ----
dbn = os.path.join(tmp, "names.sqlite")
subprocess.run([fx.TG_BIN, "--db", dbn, "-q", "db", "update", "--source",
                os.path.join(fx.SRC, "data", "feeds"), "--only", "osv,names"],
               check=True, stdout=subprocess.DEVNULL)
nr = os.path.join(tmp, "nr")
project(nr, "reqeusts", ["1.0"])   # a typo of requests, not published
project(nr, "demo-pkg", ["1.0"])
cfg3 = os.path.join(tmp, "names.toml")
write(cfg3, '[proxy]\ncache-dir = "cache3"\naudit-log = "audit3.jsonl"\n'
      '[[proxy.upstream]]\nname = "nr"\nurl = "nr"\n[policy]\nname-risk = "block"\n')
px = fx.Proxy(cfg3, dbn)
st, h, body = px.get("/simple/reqeusts/", {"Accept": "application/json, */*;q=0.1"})
prob = json.loads(body) if st == 403 else {}
c.ok(st == 403 and prob.get("rule") == "name-risk" and "requests" in prob.get("detail", ""),
     "typosquat blocked by name risk, naming the real project", repr((st, body[:300])))
# Installers get the files with refused links, so that pip names the rule.
st, h, body = px.get("/simple/reqeusts/", {"Accept": "application/vnd.pypi.simple.v1+json"})
files = json.loads(body)["files"] if st == 200 else []
c.ok(h.get("x-tollgate-rule") == "name-risk" and files and
     all(f["url"].endswith("?blocked=name-risk") for f in files),
     "name-risk page for installers: every link refused", repr((st, body[:300])))
st, h, body = px.get("/simple/reqeusts/" + files[0]["url"] if files else "/files/reqeusts/x.whl")
c.eq(403, st, "and the download is refused")
c.eq(200, px.get("/simple/demo-pkg/")[0], "an unremarkable name passes")
px.stop()
write(cfg3, '[proxy]\ncache-dir = "cache3"\n[[proxy.upstream]]\nname = "nr"\nurl = "nr"\n'
      '[policy]\nname-risk = "block"\nallow = ["reqeusts", "demo-pkg"]\n')
px = fx.Proxy(cfg3, dbn)
c.eq(200, px.get("/simple/reqeusts/")[0], "an allow-listed name is not second-guessed")
px.stop()
write(cfg3, '[proxy]\ncache-dir = "cache4"\n[[proxy.upstream]]\nname = "nr"\nurl = "nr"\n'
      '[policy]\nname-risk = "block"\n')
px = fx.Proxy(cfg3, db)  # no name list in this database
st, h, body = px.get("/simple/demo-pkg/")
c.ok(st == 503 and b"names" in body, "name risk without a name list fails closed", repr(body[:200]))
px.stop()
c.finish()
