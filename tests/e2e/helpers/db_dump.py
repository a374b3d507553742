#!/usr/bin/python3
"""Canonical dump of a tollgate database: every table except the feed
metadata (which records sources and times), rows resolved to ids instead of
row numbers and sorted, so that two imports of the same data compare equal
whatever order or path they took. Usage: db_dump.py DB > dump"""
import hashlib
import sqlite3
import sys


def dump(path, out):
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    q = con.execute
    adv = {r[0]: r[1] for r in q("SELECT adv, id FROM advisories")}
    aff = {r[0]: (adv[r[1]], r[2], r[3], r[4]) for r in
           q("SELECT aff, adv, seq, ecosystem, norm_name FROM affected")}
    tables = {
        "advisories": "SELECT id, feed, modified, published, withdrawn, summary,"
                      " details, malicious, db_severity, database_specific FROM advisories",
        "aliases": "SELECT adv, seq, alias FROM aliases",
        "related": "SELECT adv, seq, id FROM related",
        "severities": "SELECT adv, seq, type, score FROM severities",
        "refs": "SELECT adv, seq, type, url FROM refs",
        "affected": "SELECT adv, seq, ecosystem, name, norm_name, purl,"
                    " database_specific, ecosystem_specific, versions FROM affected",
        "ranges": "SELECT aff, seq, type, repo FROM ranges",
        "events": "SELECT aff, range_seq, seq, kind, version FROM events",
    }
    for name, sql in tables.items():
        rows = []
        for r in q(sql):
            r = list(r)
            if name in ("aliases", "related", "severities", "refs", "affected"):
                r[0] = adv[r[0]]
            elif name in ("ranges", "events"):
                r[0] = aff[r[0]]
            rows.append(repr(r))
        rows.sort()
        out.write("== %s %d\n" % (name, len(rows)))
        for r in rows:
            out.write(r + "\n")
    # Tables keyed by content are dumped in key order, as a digest: the
    # name lists have over a million rows.
    for name, sql in (("kev", "SELECT * FROM kev ORDER BY cve"),
                      ("epss", "SELECT * FROM epss ORDER BY cve"),
                      ("names", "SELECT * FROM names ORDER BY ecosystem, norm_name")):
        h = hashlib.sha256()
        n = 0
        for r in q(sql):
            h.update(repr(r).encode())
            n += 1
        out.write("== %s %d %s\n" % (name, n, h.hexdigest()))
    # Alias groups compared as sets of members, not by number.
    groups = {}
    for i, g, a in q("SELECT id, grp, is_advisory FROM alias_groups"):
        groups.setdefault(g, []).append((i, a))
    gl = sorted(repr(sorted(v)) for v in groups.values())
    out.write("== alias_groups %d\n" % len(gl))
    for g in gl:
        out.write(g + "\n")
    out.write("== feeds %s\n" % sorted(r[0] for r in q("SELECT name FROM feeds")))


if __name__ == "__main__":
    dump(sys.argv[1], sys.stdout)
