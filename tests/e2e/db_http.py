#!/usr/bin/python3
"""`db update` over HTTP from a loopback mirror of data/feeds:
- the same content as an import from the directory (canonical dump);
- a second run with unchanged ETags downloads nothing (server log: only
  304s, zero body bytes) and keeps the tables;
- a changed file is downloaded again, the others are not;
- transient 503s are retried; a 404 for a required file fails (exit 5);
- plain http:// to a non-loopback host is refused before any request."""
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

BIN = os.environ["TG_BIN"]
SRC = os.environ.get("TG_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
FEEDS = os.path.join(SRC, "data", "feeds")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "helpers"))
import db_dump  # noqa: E402
from feed_server import FeedServer  # noqa: E402

passed = failed = 0


def check(cond, what, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: %s %s" % (what, str(detail)[:800]), file=sys.stderr)


def run(*args):
    p = subprocess.run([BIN] + list(args), capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def dump(db):
    buf = io.StringIO()
    db_dump.dump(db, buf)
    return buf.getvalue()


def feeds_of(db):
    rc, out, err = run("--db", db, "db", "status", "--format", "json")
    return {f["name"]: f for f in json.loads(out)["feeds"]} if rc == 0 else {}


def main():
    tmp = tempfile.mkdtemp(prefix="tg-db-http-")
    try:
        # Two served mirrors: "full" links to the whole snapshot; "small"
        # has the real OSV zips, a KEV copy that the test changes, and the
        # first 2000 names of each list (faster runs for the other cases).
        served = os.path.join(tmp, "served")
        full = os.path.join(served, "full")
        small = os.path.join(served, "small")
        for rel in ("osv/PyPI/all.zip", "osv/npm/all.zip", "kev/known_exploited_vulnerabilities.json",
                    "pypi/projects.tsv.gz", "npm/packages.tsv.gz"):
            os.makedirs(os.path.dirname(os.path.join(full, rel)), exist_ok=True)
            os.symlink(os.path.join(os.path.abspath(FEEDS), rel), os.path.join(full, rel))
            os.makedirs(os.path.dirname(os.path.join(small, rel)), exist_ok=True)
            if rel.endswith(".tsv.gz"):
                with gzip.open(os.path.join(FEEDS, rel), "rt") as f, \
                        gzip.open(os.path.join(small, rel), "wt") as g:
                    for i, line in enumerate(f):
                        if i > 2000:
                            break
                        g.write(line)
            else:
                shutil.copy(os.path.join(FEEDS, rel), os.path.join(small, rel))
        kev = os.path.join(small, "kev/known_exploited_vulnerabilities.json")

        dir_db = os.path.join(tmp, "dir.db")
        rc, out, err = run("--db", dir_db, "db", "update", "--source", full)
        check(rc == 0, "directory import", err)

        with FeedServer(served) as srv:
            http_db = os.path.join(tmp, "http", "tollgate.db")
            rc, out, err = run("--db", http_db, "db", "update", "--source", srv.url + "/full/")
            check(rc == 0, "HTTP import", err)
            log = srv.take_log()
            got = sorted((p, s) for _, p, s, _ in log)
            check(got == sorted([("/full/osv/PyPI/all.zip", 200), ("/full/osv/npm/all.zip", 200),
                                 ("/full/kev/known_exploited_vulnerabilities.json", 200),
                                 ("/full/epss/epss_scores-current.csv.gz", 404),
                                 ("/full/pypi/projects.tsv.gz", 200), ("/full/npm/packages.tsv.gz", 200)]),
                  "one request per feed", got)
            check("epss" in out and "HTTP 404" in out, "EPSS missing from the mirror reported", out)
            check(dump(http_db) == dump(dir_db), "HTTP import equals the directory import")
            first = feeds_of(http_db)
            check(all(first[f]["etag"] for f in ("osv-pypi", "kev", "names-npm")),
                  "ETags recorded", first)
            check(first["kev"]["source"] == srv.url + "/full/kev/known_exploited_vulnerabilities.json",
                  "source URL recorded", first["kev"])

            # Unchanged: every request is conditional and answered 304.
            before = dump(http_db)
            rc, out, err = run("--db", http_db, "db", "update", "--source", srv.url + "/full")
            check(rc == 0, "second HTTP update", err)
            log = srv.take_log()
            statuses = sorted(s for _, p, s, _ in log if "epss" not in p)
            body = sum(n for _, p, _, n in log if "epss" not in p)
            check(statuses == [304] * 5, "second run: only 304s", log)
            check(body == 0, "second run: nothing downloaded", body)
            check(out.count("unchanged") == 5, "second run: five feeds unchanged", out)
            check(dump(http_db) == before, "second run: content kept")
            second = feeds_of(http_db)
            check(second["osv-pypi"]["fetched"] == first["osv-pypi"]["fetched"] and
                  second["osv-pypi"]["checked"] >= first["osv-pypi"]["checked"],
                  "304 keeps the fetch time", second["osv-pypi"])

            # The rest runs against the small mirror.
            http_db = os.path.join(tmp, "small", "tollgate.db")
            rc, out, err = run("--db", http_db, "db", "update", "--source", srv.url + "/small")
            check(rc == 0, "small mirror import", err)
            srv.take_log()
            # A changed KEV is downloaded; the rest stays 304.
            with open(kev) as f:
                data = json.load(f)
            data["catalogVersion"] = "2025.08.26"
            data["vulnerabilities"] = data["vulnerabilities"][:1000]
            data["count"] = 1000
            with open(kev + ".new", "w") as f:
                json.dump(data, f)
            os.replace(kev + ".new", kev)
            rc, out, err = run("--db", http_db, "db", "update", "--source", srv.url + "/small")
            check(rc == 0, "third HTTP update", err)
            log = srv.take_log()
            downloaded = sorted(p for _, p, s, _ in log if s == 200)
            check(downloaded == ["/small/kev/known_exploited_vulnerabilities.json"],
                  "only the changed KEV downloaded", log)
            third = feeds_of(http_db)
            check(third["kev"]["records"] == 1000 and third["kev"]["version"] == "2025.08.26",
                  "new KEV imported", third["kev"])
            check(third["osv-pypi"]["records"] == 2661, "OSV kept through 304", third["osv-pypi"])

            # Transient failures are retried with backoff.
            flaky_db = os.path.join(tmp, "flaky.db")
            rc, out, err = run("--db", flaky_db, "db", "update", "--source",
                               srv.url + "/flaky/small", "--only", "kev")
            check(rc == 0, "503 twice then 200: update succeeds", err)
            log = srv.take_log()
            check([s for _, p, s, _ in log] == [503, 503, 200], "retried after 503s", log)

            # A required file that is missing: network/upstream failure.
            rc, out, err = run("--db", http_db, "db", "update", "--source", srv.url + "/nothing-here")
            check(rc == 5, "404 for a required feed: exit 5", "rc=%d %s" % (rc, err))
            check("HTTP 404" in err and "was not changed" in err, "404: clear message", err)
            srv.take_log()

            # --only osv over HTTP: KEV (and names) kept from the previous file.
            rc, out, err = run("--db", http_db, "db", "update", "--source", srv.url + "/small", "--only", "osv")
            check(rc == 0 and "kev         kept" in out, "--only osv keeps KEV", out + err)
            log = srv.take_log()
            check(sorted(p for _, p, _, _ in log) == ["/small/osv/PyPI/all.zip", "/small/osv/npm/all.zip"],
                  "--only osv asks for the OSV zips only", log)

        # The server is gone: a refused connection is a network failure.
        rc, out, err = run("--db", http_db, "db", "update", "--source", srv.url + "/small", "--only", "kev")
        check(rc == 5, "connection refused: exit 5", "rc=%d %s" % (rc, err))

        # Plain http to anything but loopback is refused up front.
        rc, out, err = run("--db", http_db, "db", "update", "--source", "http://mirror.example.com/feeds")
        check(rc == 2 and "loopback" in err, "plain http to a remote host refused", err)
        rc, out, err = run("--db", http_db, "db", "update", "--source", "ftp://mirror.example.com/feeds")
        check(rc == 2, "ftp refused", err)
        rc, out, err = run("--db", dir_db, "db", "update", "--source", "file://" + small, "--only", "kev")
        check(rc == 0, "file:// URL is a directory", err)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
