#!/usr/bin/python3
"""Write a deterministic synthetic lockfile (NAME==VERSION lines, or
NAME===VERSION for versions that are not PEP 440) whose
versions sit around the affected ranges of real advisories: every event
version itself, just below and just above it (pre-, dev-, post-releases,
padded and shortened release numbers, local labels, epochs), entries of
versions lists, and a few versions that are not PEP 440 at all. Names are
spelt the way people write them (case and '-', '_', '.' varied) so that
PEP 503 normalisation is exercised too.

usage: gen_lockfile.py ZIP COUNT [SEED] > requirements-synthetic.txt

There are fewer PyPI projects with advisories than COUNT may ask for; the
list then starts over with fresh versions.
"""
import json
import random
import re
import sys
import zipfile

from packaging.version import InvalidVersion, Version


def around(v, rng):
    """Versions near v that PEP 440 orders on either side of it."""
    try:
        p = Version(v)
    except InvalidVersion:
        return [v]
    rel = list(p.release)
    base = ".".join(map(str, rel))
    below = list(rel)
    below[-1] = below[-1] - 1 if below[-1] > 0 else 0
    out = [
        v,
        base + ".0",                     # padded: equal to base
        base + "rc1", base + ".dev0", base + "a1",
        base + ".post1", base + "+local.7",
        ".".join(map(str, below)) + (".99" if below[-1] == rel[-1] else ""),
        ".".join(map(str, rel[:-1] + [rel[-1] + 1])),
        base.upper() if "a" in base else "v" + base,
        "1!" + base if rng.random() < 0.1 else base,
    ]
    if rng.random() < 0.04:
        # Not PEP 440: tollgate must report these as unknown.
        out = [base + "-final", base + "p1", base + ".x", "2013-01-21T20"]
    return out


def spell(name, rng):
    r = rng.random()
    if r < 0.2:
        return name.upper()
    if r < 0.4:
        return re.sub("-", "_", name)
    if r < 0.5:
        return re.sub("-", ".", name).title()
    return name


def main():
    zip_path, count = sys.argv[1], int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 440
    rng = random.Random(seed)
    versions = {}
    with zipfile.ZipFile(zip_path) as z:
        for member in sorted(z.namelist()):
            rec = json.loads(z.read(member))
            for aff in rec.get("affected", []):
                if aff["package"].get("ecosystem") != "PyPI":
                    continue
                name = re.sub(r"[-_.]+", "-", aff["package"]["name"]).lower()
                vs = versions.setdefault(name, set())
                for rng_ in aff.get("ranges", []):
                    if rng_.get("type") != "ECOSYSTEM":
                        continue
                    for ev in rng_.get("events", []):
                        (text,) = ev.values()
                        if text != "0":
                            vs.add(text)
                for v in aff.get("versions", [])[:50]:
                    vs.add(v)
    names = sorted(versions)
    rng.shuffle(names)
    out = []
    # Fewer names than count: later passes pin the same projects again at
    # other versions (a lockfile may list a name twice, e.g. per marker).
    for i in range(count):
        name = names[i % len(names)]
        pool = sorted(versions[name]) or ["1.0"]
        v = rng.choice(pool)
        cand = around(v, rng)
        choice = rng.choice(cand)
        # Keep to characters a requirement line can carry in a version.
        ok = re.compile(r"^[A-Za-z0-9._+!-]+$")
        if not ok.match(choice):
            choice = v if ok.match(v) else "1.0"
        # PEP 508 takes a version that is not PEP 440 only as arbitrary
        # equality ("==="); it is still an exact pin.
        try:
            Version(choice)
            op = "=="
        except InvalidVersion:
            op = "==="
        out.append("%s%s%s" % (spell(name, rng), op, choice))
    sys.stdout.write("# synthetic lockfile: %d packages, seed %d\n" % (len(out), seed))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
