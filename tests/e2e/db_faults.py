#!/usr/bin/python3
"""Fault tests for `tollgate db update`: every failure gives a clear error
and leaves the previous database answering exactly as before.

A small mirror is built from data/feeds (the real OSV zips and KEV catalog,
the first lines of the name lists, a small EPSS file in the real format),
then damaged one way at a time."""
import gzip
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile

BIN = os.environ["TG_BIN"]
SRC = os.environ.get("TG_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
FEEDS = os.path.join(SRC, "data", "feeds")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "helpers"))
import db_dump  # noqa: E402

passed = failed = 0


def check(cond, what, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: %s %s" % (what, detail[:600]), file=sys.stderr)


def run(*args, **kw):
    p = subprocess.run([BIN] + list(args), capture_output=True, text=True, **kw)
    return p.returncode, p.stdout, p.stderr


def dump(db):
    buf = io.StringIO()
    db_dump.dump(db, buf)
    return buf.getvalue()


def head_gz(src, dst, lines):
    with gzip.open(src, "rt") as f, gzip.open(dst, "wt") as g:
        for i, line in enumerate(f):
            if i > lines:
                break
            g.write(line)


EPSS = ("#model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000\n"
        "cve,epss,percentile\n"
        "CVE-2020-11651,0.97431,0.99961\n"
        "CVE-2021-44228,0.94358,0.99950\n")


def make_mirror(root, names=2000):
    for d in ("osv/PyPI", "osv/npm", "kev", "epss", "pypi", "npm"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    for f in ("osv/PyPI/all.zip", "osv/npm/all.zip", "kev/known_exploited_vulnerabilities.json"):
        shutil.copy(os.path.join(FEEDS, f), os.path.join(root, f))
    head_gz(os.path.join(FEEDS, "pypi/projects.tsv.gz"), os.path.join(root, "pypi/projects.tsv.gz"), names)
    head_gz(os.path.join(FEEDS, "npm/packages.tsv.gz"), os.path.join(root, "npm/packages.tsv.gz"), names)
    with gzip.open(os.path.join(root, "epss/epss_scores-current.csv.gz"), "wt") as g:
        g.write(EPSS)


def rewrite_zip(path, replace=None, add=None):
    """Copy the zip with some entries replaced and some added."""
    replace = replace or {}
    tmp = path + ".new"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = replace.get(info.filename, zin.read(info.filename))
            zout.writestr(info.filename, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    os.replace(tmp, path)


def status_json(db):
    rc, out, err = run("--db", db, "db", "status", "--format", "json")
    return rc, (json.loads(out) if rc == 0 else None), err


def still_answers(db, before, label):
    """The previous database is intact: same content, status and a query work."""
    check(dump(db) == before, label + ": previous database content unchanged")
    rc, st, err = status_json(db)
    check(rc == 0 and st["counts"]["kev"] == 1404, label + ": db status still answers", err)


def main():
    tmp = tempfile.mkdtemp(prefix="tg-db-faults-")
    try:
        good = os.path.join(tmp, "good")
        make_mirror(good)
        db = os.path.join(tmp, "db", "tollgate.db")

        rc, out, err = run("--db", db, "db", "update", "--source", good)
        check(rc == 0, "baseline update", err)
        rc, st, err = status_json(db)
        check(rc == 0 and st["counts"]["epss"] == 2, "EPSS imported from the mirror", err)
        check(st["counts"]["names_pypi"] == 2000, "2000 PyPI names", str(st and st["counts"]))
        epss = [f for f in st["feeds"] if f["name"] == "epss"][0]
        check(epss["version"] == "v2025.03.14" and epss["feed_date"] == "2025-08-25T00:00:00+0000",
              "EPSS model version and score date recorded", str(epss))
        before = dump(db)

        # 1. Truncated zip: the update fails, nothing changes.
        bad = os.path.join(tmp, "truncated")
        shutil.copytree(good, bad)
        z = os.path.join(bad, "osv/PyPI/all.zip")
        size = os.path.getsize(z)
        with open(z, "r+b") as f:
            f.truncate(size // 2)
        rc, out, err = run("--db", db, "db", "update", "--source", bad)
        check(rc == 3, "truncated zip: exit 3", "rc=%d %s" % (rc, err))
        check("osv/PyPI/all.zip" in err and "truncated" in err, "truncated zip: message names the file", err)
        check("was not changed" in err, "truncated zip: says the database was kept", err)
        still_answers(db, before, "truncated zip")

        # 2. One corrupt advisory: reported with its entry name, the rest imported.
        bad = os.path.join(tmp, "corrupt-entry")
        shutil.copytree(good, bad)
        z = os.path.join(bad, "osv/PyPI/all.zip")
        rewrite_zip(z, replace={"PYSEC-2021-1.json": b'{"id": "PYSEC-2021-1", "affected": [}'})
        db2 = os.path.join(tmp, "db2", "tollgate.db")
        rc, out, err = run("--db", db2, "db", "update", "--source", bad)
        check(rc == 0, "corrupt advisory: update succeeds", err)
        check("all.zip" in err and "PYSEC-2021-1.json" in err and "skipped" in err,
              "corrupt advisory: message names zip and entry", err)
        rc, st, _ = status_json(db2)
        pypi = [f for f in st["feeds"] if f["name"] == "osv-pypi"][0]
        check(pypi["records"] == 2660 and pypi["skipped"] == 1, "corrupt advisory: 2660 imported, 1 skipped", str(pypi))

        # 3. An advisory with 1 MB of ranges is imported; one over the cap is skipped.
        bad = os.path.join(tmp, "big-ranges")
        shutil.copytree(good, bad)
        events = []
        for i in range(20000):
            events += [{"introduced": "%d.0.0" % i}, {"fixed": "%d.0.1" % i}]
        big = {"id": "PYSEC-9999-1", "modified": "2024-01-01T00:00:00Z",
               "affected": [{"package": {"ecosystem": "PyPI", "name": "Big_Ranges"},
                             "ranges": [{"type": "ECOSYSTEM", "events": events}]}]}
        big_json = json.dumps(big).encode()
        check(len(big_json) > 1000000, "big advisory is over 1 MB", str(len(big_json)))
        events = [{"introduced": "0"}] + [{"fixed": "%d" % i} for i in range(250000)]
        huge = {"id": "PYSEC-9999-2", "modified": "2024-01-01T00:00:00Z",
                "affected": [{"package": {"ecosystem": "PyPI", "name": "huge"},
                              "ranges": [{"type": "ECOSYSTEM", "events": events}]}]}
        rewrite_zip(os.path.join(bad, "osv/PyPI/all.zip"),
                    add={"PYSEC-9999-1.json": big_json, "PYSEC-9999-2.json": json.dumps(huge)})
        db3 = os.path.join(tmp, "db3", "tollgate.db")
        rc, out, err = run("--db", db3, "db", "update", "--source", bad)
        check(rc == 0, "1 MB of ranges: update succeeds", err)
        check("PYSEC-9999-2.json" in err and "200000" in err, "over-cap advisory reported", err)
        import sqlite3
        con = sqlite3.connect(db3)
        n = con.execute("SELECT count(*) FROM events e JOIN affected f ON f.aff = e.aff"
                        " WHERE f.norm_name = 'big-ranges'").fetchone()[0]
        check(n == 40000, "all 40000 events of the 1 MB advisory stored", str(n))
        first = con.execute("SELECT kind, version FROM events e JOIN affected f ON f.aff = e.aff"
                            " WHERE f.norm_name = 'big-ranges' ORDER BY e.range_seq, e.seq LIMIT 3").fetchall()
        check(first == [("introduced", "0.0.0"), ("fixed", "0.0.1"), ("introduced", "1.0.0")],
              "events in file order", str(first))
        check(con.execute("SELECT count(*) FROM advisories WHERE id = 'PYSEC-9999-2'").fetchone()[0] == 0,
              "over-cap advisory not stored")
        con.close()

        # 4. A KEV file that is not JSON: clear failure, previous DB intact.
        bad = os.path.join(tmp, "kev-html")
        shutil.copytree(good, bad)
        with open(os.path.join(bad, "kev/known_exploited_vulnerabilities.json"), "w") as f:
            f.write("<html><body>Access Denied</body></html>\n")
        rc, out, err = run("--db", db, "db", "update", "--source", bad)
        check(rc == 3, "KEV not JSON: exit 3", "rc=%d %s" % (rc, err))
        check("known_exploited_vulnerabilities.json:1:1: KEV catalog is not valid JSON" in err,
              "KEV not JSON: message names file and position", err)
        still_answers(db, before, "KEV not JSON")

        # 5. A mirror missing a required file, and --only with EPSS absent.
        bad = os.path.join(tmp, "no-npm")
        shutil.copytree(good, bad)
        os.remove(os.path.join(bad, "osv/npm/all.zip"))
        os.remove(os.path.join(bad, "epss/epss_scores-current.csv.gz"))
        rc, out, err = run("--db", db, "db", "update", "--source", bad)
        check(rc == 3 and "the mirror has no osv-npm feed" in err, "missing mirror file: exit 3", err)
        still_answers(db, before, "missing mirror file")
        rc, out, err = run("--db", db, "db", "update", "--source", bad, "--only", "epss")
        check(rc == 0 and "not in the mirror" in out and "keeping the previous data" in out,
              "--only epss with EPSS absent: skipped, previous kept", out + err)
        check(dump(db) == before, "--only epss with EPSS absent: content unchanged")

        # 6. A second update while one holds the lock.
        import fcntl
        with open(db + ".lock", "a") as lockf:
            fcntl.flock(lockf, fcntl.LOCK_EX)
            rc, out, err = run("--db", db, "db", "update", "--source", good)
            check(rc == 4, "concurrent update: exit 4", "rc=%d %s" % (rc, err))
            check("another 'tollgate db update' is running" in err, "concurrent update: clear message", err)
            fcntl.flock(lockf, fcntl.LOCK_UN)
        still_answers(db, before, "concurrent update")

        # 7. Disk full: a file size limit below the new database's size.
        def limit_fsize():
            import resource
            resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
        p = subprocess.run([BIN, "--db", db, "db", "update", "--source", good],
                           capture_output=True, text=True, preexec_fn=limit_fsize)
        check(p.returncode == 4, "file size limit: exit 4", "rc=%d %s" % (p.returncode, p.stderr))
        check("disk full or file size limit" in p.stderr, "file size limit: clear message", p.stderr)
        still_answers(db, before, "file size limit")
        left = [f for f in os.listdir(os.path.dirname(db)) if ".tmp-" in f]
        check(left == [], "file size limit: temp file removed", str(left))

        # 8. kill -9 in the middle of an update: a bigger name list makes the
        # build last long enough to be caught while the temp file exists.
        slow = os.path.join(tmp, "slow")
        make_mirror(slow, names=300000)
        killed = False
        for attempt in range(5):
            p = subprocess.Popen([BIN, "--db", db, "db", "update", "--source", slow],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            tmpfile = "%s.tmp-%d" % (db, p.pid)
            deadline = time.time() + 60
            while time.time() < deadline and p.poll() is None:
                if os.path.exists(tmpfile) and os.path.getsize(tmpfile) > 1 << 20:
                    os.kill(p.pid, signal.SIGKILL)
                    killed = True
                    break
                time.sleep(0.01)
            p.wait()
            if killed:
                break
        check(killed, "update killed while building")
        check(os.path.exists(tmpfile), "killed update left its temp file")
        still_answers(db, before, "kill -9")
        rc, out, err = run("--db", db, "db", "status")
        check(rc == 0 and "kev" in out, "kill -9: table status answers", err)
        # The next update cleans up after it.
        rc, out, err = run("-v", "--db", db, "db", "update", "--source", good)
        check(rc == 0, "update after kill -9 succeeds", err)
        check("left by an interrupted update" in err, "stale temp file reported", err)
        check(not os.path.exists(tmpfile), "stale temp file removed")
        check(dump(db) == before, "same mirror, same content after the kill")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
