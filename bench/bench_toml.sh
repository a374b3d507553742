#!/bin/bash
# TOML parse throughput on synthetic uv.lock files (1,000 and 10,000
# packages, shaped like real uv output: [[package]] tables with inline
# source/sdist tables and multi-line arrays of wheels), against Python's
# tomllib parsing the same bytes in the same run.
# Our figure is the wall time of `toml-decoder --check` (read + parse +
# free) minus the time of the same process on an empty input.
set -u
: "${TG_BUILD_DIR:?}"
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$py" - "$tmp" "$TG_BUILD_DIR/toml-decoder" <<'PY'
import hashlib, os, subprocess, sys, time, tomllib

tmp, decoder = sys.argv[1], sys.argv[2]

def lockfile(n):
    out = ['version = 1', 'revision = 2', 'requires-python = ">=3.9"', '']
    for i in range(n):
        name, ver = f"pkg-{i:05d}", f"{i % 7}.{i % 13}.{i % 5}"
        h = lambda s: hashlib.sha256(f"{name}{s}".encode()).hexdigest()
        base = f"https://files.pythonhosted.org/packages/{h('p')[:2]}/{h('p')[2:4]}/{h('p')[4:]}"
        out += ['[[package]]', f'name = "{name}"', f'version = "{ver}"',
                'source = { registry = "https://pypi.org/simple" }']
        deps = [f"pkg-{(i * 31 + k) % n:05d}" for k in range(i % 4)]
        if deps:
            out.append('dependencies = [')
            out += [f'    {{ name = "{d}" }},' for d in deps]
            out.append(']')
        out.append(f'sdist = {{ url = "{base}/{name}-{ver}.tar.gz", hash = "sha256:{h("s")}", '
                   f'size = {10000 + i * 37}, upload-time = "2024-05-26T21:35:33.123Z" }}')
        out.append('wheels = [')
        for tag in ("py3-none-any", "cp312-cp312-manylinux_2_17_x86_64", "cp312-cp312-win_amd64"):
            out.append(f'    {{ url = "{base}/{name}-{ver}-{tag}.whl", hash = "sha256:{h(tag)}", '
                       f'size = {5000 + i * 11}, upload-time = "2024-05-26T21:35:33Z" }},')
        out.append(']')
        if i % 5 == 0:
            out += ['', '[package.optional-dependencies]', 'extra = [',
                    f'    {{ name = "pkg-{(i + 1) % n:05d}" }},', ']']
        out.append('')
    return ("\n".join(out) + "\n").encode()

def best_of(fn, reps):
    best = None
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        dt = time.perf_counter() - t0
        best = dt if best is None or dt < best else best
    return best

def run_decoder(path):
    with open(path, "rb") as f:
        r = subprocess.run([decoder, "--check"], stdin=f)
    if r.returncode:
        sys.exit(f"toml-decoder rejected {path}")

empty = os.path.join(tmp, "empty.toml")
open(empty, "wb").close()
startup = best_of(lambda: run_decoder(empty), 10)
for n in (1000, 10000):
    data = lockfile(n)
    path = os.path.join(tmp, f"uv-{n}.lock")
    with open(path, "wb") as f:
        f.write(data)
    mb = len(data) / 1e6
    ours = max(best_of(lambda: run_decoder(path), 5) - startup, 1e-6)
    text = data.decode()
    theirs = best_of(lambda: tomllib.loads(text), 3)
    print(f"uv.lock {n:6d} packages {mb:6.2f} MB: tollgate {mb / ours:7.1f} MB/s "
          f"({ours * 1000:7.2f} ms), python tomllib {mb / theirs:5.1f} MB/s "
          f"({theirs * 1000:7.1f} ms), ratio {theirs / ours:5.1f}x")
PY
