"""Shared pieces of the proxy end-to-end tests: minimal valid wheels, PEP 503
static index directories, a scratch advisory database, and a running
`tollgate proxy` on a free loopback port."""
import base64
import hashlib
import http.client
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import zipfile

import osv_mirror

TG_BIN = os.environ["TG_BIN"]
SRC = os.environ.get("TG_SOURCE_DIR", os.getcwd())


class Checks:
    """Counts checks and prints the closing 'N passed, M failed' line."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def ok(self, cond, label, detail=""):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL: %s %s" % (label, detail[-3000:] if detail else ""), file=sys.stderr)
        return cond

    def eq(self, want, got, label):
        return self.ok(want == got, label, "wanted %r, got %r" % (want, got))

    def finish(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        sys.exit(1 if self.failed else 0)


def _record_hash(data):
    d = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(d).rstrip(b"=").decode()


def make_wheel(directory, name, version, requires_python=None, deps=()):
    """Write a minimal valid pure-Python wheel (METADATA, WHEEL, RECORD) and
    return (path, metadata bytes)."""
    dist = re.sub(r"[-_.]+", "_", name)
    info = "%s-%s.dist-info" % (dist, version)
    meta = "Metadata-Version: 2.1\nName: %s\nVersion: %s\n" % (name, version)
    if requires_python:
        meta += "Requires-Python: %s\n" % requires_python
    for d in deps:
        meta += "Requires-Dist: %s\n" % d
    files = {
        "%s/__init__.py" % dist: ("__version__ = %r\n" % version).encode(),
        "%s/METADATA" % info: meta.encode(),
        "%s/WHEEL" % info: b"Wheel-Version: 1.0\nGenerator: tollgate-tests\n"
                            b"Root-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "".join("%s,%s,%d\n" % (p, _record_hash(b), len(b)) for p, b in files.items())
    record += "%s/RECORD,,\n" % info
    files["%s/RECORD" % info] = record.encode()
    path = os.path.join(directory, "%s-%s-py3-none-any.whl" % (dist, version))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for p, b in files.items():
            z.writestr(zipfile.ZipInfo(p, date_time=(2020, 1, 1, 0, 0, 0)), b)
    with open(path, "wb") as f:
        f.write(buf.getvalue())
    return path, meta.encode()


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def write_project_page(pdir, files, metadata=None, page_hashes=None):
    """PEP 503 page for the files in pdir (relative links with #sha256=).
    metadata maps a file name to its core metadata bytes: written next to
    it as .metadata with data-dist-info-metadata. page_hashes overrides the
    hash given for a file (to simulate a tampered upstream)."""
    metadata = metadata or {}
    page_hashes = page_hashes or {}
    rows = []
    for fn in files:
        h = page_hashes.get(fn) or sha256_file(os.path.join(pdir, fn))
        attrs = ""
        if fn in metadata:
            with open(os.path.join(pdir, fn + ".metadata"), "wb") as f:
                f.write(metadata[fn])
            attrs += ' data-dist-info-metadata="sha256=%s"' % hashlib.sha256(metadata[fn]).hexdigest()
        rows.append('<a href="%s#sha256=%s"%s>%s</a><br>' % (fn, h, attrs, fn))
    with open(os.path.join(pdir, "index.html"), "w") as f:
        f.write("<!DOCTYPE html><html><body>\n%s\n</body></html>\n" % "\n".join(rows))


def make_db(tmp, extra_pypi_osv=()):
    """Advisory database from the bundled OSV snapshot; extra_pypi_osv adds
    OSV records (dicts) to the PyPI feed, e.g. a MAL- record for a test
    project."""
    db = os.path.join(tmp, "db.sqlite")
    source = os.path.join(SRC, "data", "feeds")
    if extra_pypi_osv:
        source = osv_mirror.mirror_with_pypi_records(
            source, os.path.join(tmp, "feeds"),
            [(rec["id"] + ".json", json.dumps(rec)) for rec in extra_pypi_osv])
    subprocess.run([TG_BIN, "--db", db, "-q", "db", "update", "--source",
                    source, "--only", "osv"],
                   check=True, stdout=subprocess.DEVNULL)
    return db


class Proxy:
    """`tollgate proxy --port 0` with a config file; learns the port from
    its log line."""

    def __init__(self, config_path, db, extra=()):
        self.log = open(config_path + ".stderr", "w+")
        self.out = open(config_path + ".stdout", "w+")
        self.proc = subprocess.Popen([TG_BIN, "--db", db, "proxy", "--config", config_path,
                                      "--port", "0"] + list(extra),
                                     stdout=self.out, stderr=self.log)
        self.port = None
        deadline = time.time() + 20
        while time.time() < deadline and self.port is None:
            if self.proc.poll() is not None:
                break
            self.log.seek(0)
            m = re.search(r"listening on port (\d+)", self.log.read())
            if m:
                self.port = int(m.group(1))
            else:
                time.sleep(0.05)
        if self.port is None:
            self.log.seek(0)
            raise RuntimeError("proxy did not start: " + self.log.read())
        self.base = "http://127.0.0.1:%d" % self.port

    def get(self, path, headers=None, method="GET"):
        path = urllib.parse.urljoin("/", path)
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        c.request(method, path, headers=headers or {})
        r = c.getresponse()
        body = r.read()
        hdrs = {k.lower(): v for k, v in r.getheaders()}
        c.close()
        return r.status, hdrs, body

    def stderr(self):
        self.log.seek(0)
        return self.log.read()

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                return self.proc.wait()
        return self.proc.returncode


def pip_commands():
    """The pips to test with: the python3 first on PATH, and Debian's."""
    cmds = []
    first = shutil.which("python3")
    if first:
        cmds.append([first, "-m", "pip"])
    if os.path.exists("/usr/bin/python3") and first != "/usr/bin/python3":
        r = subprocess.run(["/usr/bin/python3", "-m", "pip", "--version"],
                           capture_output=True)
        if r.returncode == 0:
            cmds.append(["/usr/bin/python3", "-m", "pip"])
    return cmds


def run_pip(pip, proxy, args, env_extra=None):
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("PIP_"):
            del env[k]
    env["PIP_CONFIG_FILE"] = os.devnull
    env.update(env_extra or {})
    cmd = pip + ["--isolated", "--disable-pip-version-check", "--no-cache-dir",
                 "--no-input", args[0], "--index-url", proxy.base + "/simple/"] + args[1:]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    return r.returncode, r.stdout + r.stderr


def tempdir():
    return tempfile.mkdtemp(prefix="tg-proxy-")
