"""Root file systems and container image tarballs (`docker save` and OCI
layouts) built here with Python's tarfile: the packages tollgate lists
must be exactly those of the final file view, whiteouts applied."""
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

TG = os.environ["TG_BIN"]
passed = failed = 0


def check(cond, label):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", label, file=sys.stderr)


def run(*args):
    r = subprocess.run([TG, "inventory", "--format", "json", *args],
                       capture_output=True, text=True, timeout=120)
    return r.returncode, (json.loads(r.stdout) if r.returncode == 0 else None), r.stderr


def metadata(name, version):
    return (f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
            f"Summary: {name}\n\nlong description\n").encode()


def pkgs(out):
    return sorted((p["name"], p["version"], p["location"]) for p in out["inventories"][0]["packages"])


tmp = tempfile.mkdtemp(prefix="tg-img-")
try:
    # ---- root file system -------------------------------------------
    root = os.path.join(tmp, "rootfs")
    want = []

    def put(rel, name, version, kind="dist"):
        d = os.path.join(root, rel)
        if kind == "dist":
            info = os.path.join(d, f"{name.replace('-', '_')}-{version}.dist-info")
            os.makedirs(info, exist_ok=True)
            open(os.path.join(info, "METADATA"), "wb").write(metadata(name, version))
            return (name, version, "/" + os.path.relpath(info, root))
        info = os.path.join(d, f"{name}-{version}.egg-info")
        os.makedirs(info, exist_ok=True)
        open(os.path.join(info, "PKG-INFO"), "wb").write(metadata(name, version))
        return (name, version, "/" + os.path.relpath(info, root))

    want.append(put("usr/lib/python3.11/site-packages", "requests", "2.31.0"))
    want.append(put("usr/lib/python3/dist-packages", "six", "1.16.0", "egg"))
    want.append(put("usr/local/lib/python3.12/site-packages", "urllib3", "2.2.2"))
    want.append(put("opt/app/venv/lib/python3.11/site-packages", "flask", "3.0.3"))
    want.append(put("home/alice/.local/lib/python3.11/site-packages", "rich", "13.7.1"))
    want.append(put("srv/api/.venv/lib/python3.10/site-packages", "django", "4.2.14"))
    # never read: pseudo file systems, symlinked trees, debris
    put("proc/1/root/usr/lib/python3/site-packages", "ghost", "6.6.6")
    outside = os.path.join(tmp, "outside/site-packages")
    os.makedirs(outside)
    os.symlink(outside, os.path.join(root, "opt/linked-site-packages"))
    put(os.path.relpath(outside, root), "outsider", "1.0")  # relpath climbs out: never under root
    os.symlink("..", os.path.join(root, "usr/lib/loop"))
    os.makedirs(os.path.join(root, "usr/lib/python3.11/site-packages/pip-23.0.dist-info"))
    rc, out, err = run("--rootfs", root)
    check(rc == 0, f"--rootfs exits 0 ({err.strip()})")
    if rc == 0:
        check(pkgs(out) == sorted(want), f"rootfs packages: {pkgs(out)}")
        check(out["inventories"][0]["format"] == "rootfs", "format rootfs")
    rc, out2, err = run(root)  # a directory without dist-info entries: rootfs
    check(rc == 0 and pkgs(out2) == sorted(want), "a bare directory argument is a rootfs")

    # ---- layers --------------------------------------------------------
    def layer(files, gz=False):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as t:
            for path, data in files:
                ti = tarfile.TarInfo(path)
                if data is None:  # a directory
                    ti.type = tarfile.DIRTYPE
                    t.addfile(ti)
                else:
                    ti.size = len(data)
                    t.addfile(ti, io.BytesIO(data))
        raw = buf.getvalue()
        return gzip.compress(raw) if gz else raw

    SP = "usr/local/lib/python3.11/site-packages"
    DP = "usr/lib/python3/dist-packages"
    base = [
        (f"{SP}/", None),
        (f"{SP}/requests-2.31.0.dist-info/METADATA", metadata("requests", "2.31.0")),
        (f"{SP}/urllib3-1.26.5.dist-info/METADATA", metadata("urllib3", "1.26.5")),
        (f"{SP}/idna-3.6.dist-info/METADATA", metadata("idna", "3.6")),
        (f"{DP}/six-1.16.0.egg-info/PKG-INFO", metadata("six", "1.16.0")),
        (f"{DP}/distro_info-1.5.egg-info", metadata("distro-info", "1.5")),
        ("usr/bin/python3", b"\x7fELF not really"),
    ]
    upgrade = [  # pip install -U urllib3 idna==3.7 (same dist-info path: replaced)
        (f"{SP}/.wh.urllib3-1.26.5.dist-info", b""),
        (f"{SP}/urllib3-2.2.2.dist-info/METADATA", metadata("urllib3", "2.2.2")),
        (f"{SP}/idna-3.6.dist-info/METADATA", metadata("idna", "3.7")),
        (f"{DP}/.wh.distro_info-1.5.egg-info", b""),
    ]
    app = [  # a venv layer that replaces /opt/app wholesale
        ("opt/app/venv/lib/python3.11/site-packages/flask-3.0.3.dist-info/METADATA",
         metadata("flask", "3.0.3")),
    ]
    wipe = [  # opaque directory: the venv is rebuilt from scratch
        ("opt/app/venv/lib/python3.11/site-packages/.wh..wh..opq", b""),
        ("opt/app/venv/lib/python3.11/site-packages/flask-3.1.0.dist-info/METADATA",
         metadata("flask", "3.1.0")),
    ]
    final = sorted([
        ("requests", "2.31.0", f"/{SP}/requests-2.31.0.dist-info"),
        ("idna", "3.7", f"/{SP}/idna-3.6.dist-info"),
        ("urllib3", "2.2.2", f"/{SP}/urllib3-2.2.2.dist-info"),
        ("six", "1.16.0", f"/{DP}/six-1.16.0.egg-info"),
        ("flask", "3.1.0", "/opt/app/venv/lib/python3.11/site-packages/flask-3.1.0.dist-info"),
    ])
    layers = [layer(base), layer(upgrade), layer(app), layer(wipe)]

    # docker save: <id>/layer.tar, manifest.json written last, layers
    # stored in reverse order to prove the manifest decides.
    ds = os.path.join(tmp, "app-image.tar")
    ids = [hashlib.sha256(l).hexdigest() for l in layers]
    with tarfile.open(ds, "w") as t:
        for i in reversed(range(len(layers))):
            ti = tarfile.TarInfo(f"{ids[i]}/layer.tar")
            ti.size = len(layers[i])
            t.addfile(ti, io.BytesIO(layers[i]))
        cfg = json.dumps({"architecture": "amd64", "os": "linux"}).encode()
        ti = tarfile.TarInfo("config.json")
        ti.size = len(cfg)
        t.addfile(ti, io.BytesIO(cfg))
        man = json.dumps([{"Config": "config.json", "RepoTags": ["app:1"],
                           "Layers": [f"{i}/layer.tar" for i in ids]}]).encode()
        ti = tarfile.TarInfo("manifest.json")
        ti.size = len(man)
        t.addfile(ti, io.BytesIO(man))
    rc, out, err = run("--image", ds)
    check(rc == 0, f"docker save image exits 0 ({err.strip()})")
    if rc == 0:
        check(pkgs(out) == final, f"docker save view: {pkgs(out)}")
        check(all("!/" in p["origin_path"] for p in out["inventories"][0]["packages"]),
              "origins name the member inside the tarball")
    rc, out, err = run(ds)  # detected as an image by content
    check(rc == 0 and out["inventories"][0]["format"] == "image" and pkgs(out) == final,
          f"image detected from a bare path ({err.strip()})")

    # OCI layout, gzip layers, index -> manifest -> layers, gzip outer
    oci = os.path.join(tmp, "app-oci.tar.gz")
    blobs = {}
    ldesc = []
    for l in layers:
        z = gzip.compress(l)
        d = hashlib.sha256(z).hexdigest()
        blobs[d] = z
        ldesc.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                      "digest": f"sha256:{d}", "size": len(z)})
    cfg = json.dumps({"architecture": "arm64", "os": "linux"}).encode()
    cd = hashlib.sha256(cfg).hexdigest()
    blobs[cd] = cfg
    man = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                      "config": {"digest": f"sha256:{cd}", "size": len(cfg)},
                      "layers": ldesc}).encode()
    md = hashlib.sha256(man).hexdigest()
    blobs[md] = man
    index = json.dumps({"schemaVersion": 2, "manifests": [
        {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": f"sha256:{md}",
         "size": len(man)}]}).encode()
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as t:
        for name, data in [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'), ("index.json", index)] + \
                [(f"blobs/sha256/{d}", b) for d, b in sorted(blobs.items())]:
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
    open(oci, "wb").write(gzip.compress(raw.getvalue()))
    rc, out, err = run("--image", oci)
    check(rc == 0, f"OCI image exits 0 ({err.strip()})")
    if rc == 0:
        check(pkgs(out) == final, f"OCI view: {pkgs(out)}")

    # ---- hostile images ---------------------------------------------
    bad = os.path.join(tmp, "bad.tar")
    open(bad, "wb").write(open(ds, "rb").read()[:5000])
    rc, out, err = run("--image", bad)
    check(rc == 3 and "bad.tar" in err, f"truncated tarball exits 3 ({rc}: {err.strip()})")
    noman = os.path.join(tmp, "noman.tar")
    with tarfile.open(noman, "w") as t:
        ti = tarfile.TarInfo("layer.tar")
        ti.size = len(layers[0])
        t.addfile(ti, io.BytesIO(layers[0]))
    rc, out, err = run("--image", noman)
    check(rc == 3 and "manifest" in err, f"tarball without manifest exits 3 ({rc}: {err.strip()})")
    junk = os.path.join(tmp, "junk.tar")
    open(junk, "wb").write(os.urandom(20000))
    rc, out, err = run("--image", junk)
    check(rc == 3, f"random bytes as an image exit 3 ({rc}: {err.strip()})")
    broken = os.path.join(tmp, "broken-meta.tar")
    bl = layer([(f"{SP}/x-1.dist-info/METADATA", b"Name: x\nno colon here\n")])
    with tarfile.open(broken, "w") as t:
        for name, data in [("l/layer.tar", bl),
                           ("manifest.json", json.dumps([{"Layers": ["l/layer.tar"]}]).encode())]:
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
    rc, out, err = run("--image", broken)
    check(rc == 3 and "x-1.dist-info/METADATA:2:1" in err,
          f"bad METADATA in a layer names it ({rc}: {err.strip()})")
finally:
    shutil.rmtree(tmp)

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
