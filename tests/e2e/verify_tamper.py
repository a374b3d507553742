#!/usr/bin/python3
"""One flipped byte in each part of a passing Sigstore bundle must make
`tollgate verify --bundle` fail, and the message must name the check that
caught it. The mutations are made here from real passing conformance cases
(a Rekor v1 bundle with SET, inclusion proof and checkpoint; a Rekor v2
bundle with an RFC 3161 timestamp)."""
import base64
import json
import os
import subprocess
import sys
import tempfile

SRC = os.environ.get("TG_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ["TG_BIN"]
CASES = os.path.join(SRC, "tests/data/third_party/sigstore/conformance-assets/bundle-verify")
IDENTITY = ("https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/"
            ".github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main")
ISSUER = "https://token.actions.githubusercontent.com"

passed = failed = 0


def flip_b64(s, at):
    raw = bytearray(base64.b64decode(s))
    raw[at % len(raw)] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


def run(bundle, artifact, root):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(bundle, f)
        path = f.name
    cmd = [BIN, "verify", "--bundle", path, artifact, "--identity", IDENTITY, "--issuer", ISSUER]
    if root:
        cmd += ["--trusted-root", root]
    p = subprocess.run(cmd, capture_output=True, text=True)
    os.unlink(path)
    return p.returncode, p.stderr


def expect(label, rc, err, want_rc, want_text):
    global passed, failed
    if rc == want_rc and want_text in err:
        passed += 1
        print(f"ok   {label}: {err.strip().split(': ', 2)[-1] if err else 'verified'}")
    else:
        failed += 1
        print(f"FAIL {label}: exit {rc} (wanted {want_rc}), message {err.strip()!r} "
              f"lacks {want_text!r}")


def mutations(case, root):
    d = os.path.join(CASES, case)
    with open(os.path.join(d, "bundle.sigstore.json")) as f:
        good = json.load(f)
    artifact = os.path.join(CASES, "a.txt")
    rc, err = run(good, artifact, root)
    expect(f"{case} unmodified", rc, err, 0, "")

    # artifact
    with open(artifact, "rb") as f:
        data = bytearray(f.read())
    data[0] ^= 0x01
    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(data)
        bad_artifact = f.name
    rc, err = run(good, bad_artifact, root)
    os.unlink(bad_artifact)
    expect(f"{case} artifact byte", rc, err, 1, "artifact: SHA-256 differs")

    def mutated(fn):
        b = json.loads(json.dumps(good))
        fn(b)
        return run(b, artifact, root)

    vm = "verificationMaterial"
    rc, err = mutated(lambda b: b["messageSignature"].__setitem__(
        "signature", flip_b64(b["messageSignature"]["signature"], 12)))
    expect(f"{case} signature byte", rc, err, 1, "signature: does not verify")

    # The last byte of the certificate is inside its CA signature: the DER
    # still parses, the key is unchanged, only the chain can catch it.
    def cert(b):
        c = b[vm]["certificate"]
        c["rawBytes"] = flip_b64(c["rawBytes"], -1)
    rc, err = mutated(cert)
    expect(f"{case} certificate byte", rc, err, 1, "certificate chain:")

    def body(b):
        t = b[vm]["tlogEntries"][0]
        raw = bytearray(base64.b64decode(t["canonicalizedBody"]))
        i = raw.index(b'"content":"') + 20  # inside the logged signature
        raw[i] = ord("A") if raw[i] != ord("A") else ord("B")
        t["canonicalizedBody"] = base64.b64encode(bytes(raw)).decode()
    rc, err = mutated(body)
    expect(f"{case} log entry body byte", rc, err, 1, "tlog")

    def proof(b):
        p = b[vm]["tlogEntries"][0]["inclusionProof"]
        p["hashes"][0] = flip_b64(p["hashes"][0], 5)
    rc, err = mutated(proof)
    expect(f"{case} inclusion proof byte", rc, err, 1,
           "tlog inclusion proof: computed root does not match checkpoint")

    def checkpoint(b):
        cp = b[vm]["tlogEntries"][0]["inclusionProof"]["checkpoint"]
        lines = cp["envelope"].split("\n")
        lines[1] = str(int(lines[1]) ^ 1)  # the signed tree size
        cp["envelope"] = "\n".join(lines)
    rc, err = mutated(checkpoint)
    expect(f"{case} checkpoint byte", rc, err, 1, "tlog checkpoint:")

    ts = good[vm].get("timestampVerificationData", {}).get("rfc3161Timestamps")
    if ts:
        def stamp(b):
            t = b[vm]["timestampVerificationData"]["rfc3161Timestamps"][0]
            t["signedTimestamp"] = flip_b64(t["signedTimestamp"], -5)
        rc, err = mutated(stamp)
        expect(f"{case} RFC 3161 timestamp byte", rc, err, 1, "timestamp:")


mutations("happy-path-v0.3", None)
mutations("rekor2-happy-path", os.path.join(CASES, "rekor2-happy-path/trusted_root.json"))
print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 else 1)
