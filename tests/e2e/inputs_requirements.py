"""Requirements files and TOML lockfiles through the CLI: PEP 508 lines
checked against the `packaging` library's reading of the same lines, and
hostile inputs (deep include chains, huge lines, binary data, truncated
lockfiles) giving exit 3 with file:line, never a crash."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from packaging.markers import default_environment
from packaging.requirements import Requirement

TG = os.environ["TG_BIN"]
SRC = os.environ.get("TG_SOURCE_DIR", ".")
DATA = os.path.join(SRC, "tests/data/inputs")
passed = failed = 0


def check(cond, label):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", label, file=sys.stderr)


def run(*args, timeout=120):
    r = subprocess.run([TG, "inventory", "--format", "json", *args],
                       capture_output=True, text=True, timeout=timeout)
    return r.returncode, (json.loads(r.stdout) if r.returncode == 0 else None), r.stderr


# 1. PEP 508 requirement lines, read by `packaging` for this interpreter's
#    environment, must give the same names, pins, specifiers and markers.
env = default_environment()
pyver = env["python_full_version"]
lines = [
    "requests[socks] >= 2.31, < 3",
    "Django==4.2.11",
    "numpy==1.26.*",
    "legacy===1.0-custom",
    "SQLAlchemy (>=2.0.30,<2.1)",
    "celery[redis]~=5.4.0",
    "tomli==2.0.1; python_version < '3.11'",
    "pywin32==306 ; sys_platform == 'win32'",
    "uvloop==0.19.0 ; sys_platform != 'win32' and platform_python_implementation == 'CPython'",
    "exceptiongroup>=1.0 ; python_full_version < '3.11.0' or os_name == 'nt'",
    "importlib-metadata>=6 ; python_version <= '3.9'",
    "typing_extensions>=4.8; python_version >= '3.8'",
    "zipp ; (sys_platform == 'linux' or sys_platform == 'darwin') and python_version >= '3.8'",
    "httpx @ https://files.pythonhosted.org/packages/httpx-0.27.0-py3-none-any.whl",
    "foo.bar_baz-qux==1.0",
]
tmp = tempfile.mkdtemp(prefix="tg-req-")
try:
    req = os.path.join(tmp, "requirements.txt")
    with open(req, "w") as fh:
        fh.write("\n".join(lines) + "\n")
    rc, out, err = run(req, "--python-version", pyver, "--platform", env["sys_platform"])
    check(rc == 0, f"PEP 508 lines parse ({err.strip()})")
    got = {p["norm_name"]: p for p in out["inventories"][0]["packages"]} if rc == 0 else {}
    for i, line in enumerate(lines, 1):
        r = Requirement(line)
        norm = r.name.lower().replace("_", "-").replace(".", "-")
        keep = r.marker is None or r.marker.evaluate(env)
        p = got.get(norm)
        check((p is not None) == keep, f"{line!r}: kept={p is not None}, packaging says {keep}")
        if not p:
            continue
        spec = sorted(str(s) for s in r.specifier)
        exact = len(spec) == 1 and spec[0].startswith(("==", "===")) and "*" not in spec[0]
        if r.url:
            check(p["url"] == r.url and "url" in p["flags"] and p["version"] is None,
                  f"{line!r}: direct URL")
        elif exact:
            check(p["version"] == spec[0].lstrip("="), f"{line!r}: pinned to {p['version']}")
        else:
            mine = sorted(p["specifier"].split(",")) if p["specifier"] else []
            check(mine == spec and "unpinned" in p["flags"],
                  f"{line!r}: specifier {p['specifier']} vs {spec}")
        check(p["origin_line"] == i, f"{line!r}: origin line {p['origin_line']}")

    # 2. The repository's pip-compile style sample: every package from the
    #    top file and its -r include, none from the constraints alone.
    rc, out, err = run(os.path.join(DATA, "requirements/requirements.txt"),
                       "--python-version", "3.11", "--platform", "linux")
    check(rc == 0, f"sample requirements.txt ({err.strip()})")
    if rc == 0:
        inv = out["inventories"][0]
        origins = {os.path.basename(p["origin_path"]) for p in inv["packages"]}
        check(origins == {"requirements.txt", "base.txt"}, f"origins {origins}")
        check(all("direct" in p["flags"] for p in inv["packages"]), "all direct")
        check(inv["trusted_hosts"] == ["pypi.internal.example"], "trusted host recorded")

    # 3. A 100,000-deep include chain stops at the depth limit.
    # 100,000 small files: on tmpfs when there is one, since creating them
    # on a busy disk can take minutes and the test is about the parser.
    shm = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    deep = tempfile.mkdtemp(prefix="tg-deep-", dir=shm) if shm else os.path.join(tmp, "deep")
    if not shm:
        os.mkdir(deep)
    for i in range(100000):
        with open(os.path.join(deep, f"r{i}.txt"), "w") as fh:
            fh.write(f"-r r{i + 1}.txt\n")
    with open(os.path.join(deep, "r100000.txt"), "w") as fh:
        fh.write("six==1.16.0\n")
    rc, out, err = run("--input-format", "requirements", os.path.join(deep, "r0.txt"))
    check(rc == 3 and "nested deeper than 64" in err and "r63.txt:1:1" in err,
          f"deep include chain: exit 3 ({rc}: {err.strip()[:200]})")
    shutil.rmtree(deep)

    # 4. Hostile single files.
    cases = [
        ("long.txt", b"a" * (10 * 1024 * 1024) + b"\n", "requirements", ":1:1: line is 10485760 bytes"),
        ("nul.txt", b"six==1.0\nidna\x00==3\n", "requirements", ":2:5: NUL byte"),
        ("latin1.txt", b"six==1.0\n# caf\xe9\n", "requirements", ":2:6: invalid UTF-8"),
        ("garbage.txt", os.urandom(4096).replace(b"\x00", b"\x01") + b"\x00", "requirements", ": "),
        ("uv.lock", b'version = 1\n[[package]]\nname = "a"\nversion = "1.0"\nsdist = { url = "x', "uv.lock", "uv.lock:5:"),
        ("poetry.lock", b'[[package]]\nname = "a"\nversion = "1"\n[[package]\n', "poetry.lock", "poetry.lock:4:"),
        ("pylock.toml", b'lock-version = "1.0"\n[[packages]]\nname = "a"\nname = "b"\n', "pylock", "pylock.toml:4:"),
        ("pdm.lock", b'\xef\xbb\xbf[metadata]\ngroups = ["default"\n', "pdm.lock", "pdm.lock:"),
    ]
    for name, content, fmt, want in cases:
        path = os.path.join(tmp, name)
        with open(path, "wb") as fh:
            fh.write(content)
        rc, out, err = run("--input-format", fmt, path)
        check(rc == 3 and want in err and "Sanitizer" not in err,
              f"{name}: exit 3 with '{want}' ({rc}: {err.strip()[:160]})")
finally:
    shutil.rmtree(tmp)

# 5. The TOML lockfiles in the repository parse, each package with a line.
for rel in ["uv/uv.lock", "poetry/poetry.lock", "poetry/legacy/poetry.lock",
            "pdm/pdm.lock", "pylock/pylock.toml"]:
    rc, out, err = run(os.path.join(DATA, rel), "--all-markers")
    check(rc == 0, f"{rel} exits 0 ({err.strip()})")
    if rc == 0:
        pk = out["inventories"][0]["packages"]
        text = open(os.path.join(DATA, rel), newline="").read().replace("\r\n", "\n").split("\n")
        ok = all(text[p["origin_line"] - 1].startswith("[[package") and
                 f'name = "{p["name"]}"' in text[p["origin_line"]] for p in pk)
        check(len(pk) > 5 and ok, f"{rel}: {len(pk)} packages, each line at its [[package]]")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
