"""Installed environments: `tollgate inventory --path DIR` and `--env PYTHON`
must list the same distributions (name, version) that Python's own
importlib.metadata finds in the same directories."""
import glob
import json
import os
import re
import subprocess
import sys
import importlib.metadata as md

TG = os.environ["TG_BIN"]
SRC = os.environ.get("TG_SOURCE_DIR", ".")
passed = failed = 0


def check(cond, label):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", label, file=sys.stderr)


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def inventory(*args):
    r = subprocess.run([TG, "inventory", "--format", "json", *args],
                       capture_output=True, text=True)
    return r.returncode, (json.loads(r.stdout) if r.returncode == 0 else None), r.stderr


def expected(dirs):
    seen = []
    for d in dirs:
        for dist in md.distributions(path=[d]):
            name = dist.metadata["Name"]
            if name:
                seen.append((norm(name), dist.version))
    return sorted(seen)


def compare_dir(d):
    rc, out, err = inventory("--path", d)
    check(rc == 0, f"--path {d} exits 0 ({err.strip()})")
    if rc != 0:
        return
    pkgs = out["inventories"][0]["packages"]
    got = sorted((p["norm_name"], p["version"]) for p in pkgs)
    want = expected([d])
    check(got == want, f"{d}: {len(got)} packages vs importlib's {len(want)}: "
          f"extra {sorted(set(got) - set(want))[:5]} missing {sorted(set(want) - set(got))[:5]}")
    check(all(p["location"] and p["location"].startswith(d) for p in pkgs),
          f"{d}: every package has a location inside the directory")
    check(all(os.path.exists(p["origin_path"]) for p in pkgs),
          f"{d}: every origin path exists")


# The repository's own fixture, a Debian dist-packages and any other
# site-packages this interpreter can see.
compare_dir(os.path.join(SRC, "tests/data/inputs/site-packages"))
for d in ["/usr/lib/python3/dist-packages"] + sorted(glob.glob("/usr/lib/python3*/site-packages")):
    if os.path.isdir(d) and any(e.endswith((".dist-info", ".egg-info")) for e in os.listdir(d)):
        compare_dir(d)

# --env: ask an interpreter for its sys.path. Use this one (Debian's).
rc, out, err = inventory("--env", sys.executable)
check(rc == 0, f"--env {sys.executable} exits 0 ({err.strip()})")
if rc == 0:
    got = sorted((p["norm_name"], p["version"]) for p in out["inventories"][0]["packages"])
    want = expected([p for p in sys.path if p and os.path.isdir(p)])
    check(got == want, f"--env: {len(got)} vs importlib's {len(want)}")

# A missing interpreter is an input error (exit 3), not a crash.
rc, out, err = inventory("--env", "/nonexistent/python3")
check(rc == 3 and "python3" in err, f"--env of a missing interpreter exits 3 ({rc}: {err.strip()})")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
