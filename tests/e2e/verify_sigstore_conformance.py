#!/usr/bin/python3
"""sigstore-conformance bundle-verification suite against `tollgate verify`.

Each case directory under bundle-verify/ is verified twice, once with the
artifact file and once with `sha256:<hex>` of it, following upstream's rules
(tests/data/third_party/PROVENANCE.md, section sigstore): a name ending in
`_fail` must fail, every other case must pass; `identity`/`issuer` files
override the defaults; `key.pub` means verify with that key; a case's own
`trusted_root.json` replaces the production root. The generated TSV index is
cross-checked against the same rules.
"""
import csv
import hashlib
import os
import subprocess
import sys

SRC = os.environ.get("TG_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ["TG_BIN"]
BASE = os.path.join(SRC, "tests/data/third_party/sigstore")
CASES = os.path.join(BASE, "conformance-assets/bundle-verify")
DEFAULT_IDENTITY = ("https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/"
                    ".github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main")
DEFAULT_ISSUER = "https://token.actions.githubusercontent.com"


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read().strip()


def main():
    index = {}
    with open(os.path.join(BASE, "bundle-verify-cases.tsv"), newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            index[row["case"]] = row
    cases = sorted(d for d in os.listdir(CASES) if os.path.isdir(os.path.join(CASES, d)))
    passed = failed = 0
    verbose = "-v" in sys.argv
    for case in cases:
        d = os.path.join(CASES, case)
        expect_ok = not case.endswith("_fail")
        row = index.get(case)
        if row is None or (row["expect"] == "pass") != expect_ok:
            print(f"FAIL {case}: TSV index disagrees with the directory rules")
            failed += 1
            continue
        artifact = os.path.join(d, "artifact")
        if not os.path.exists(artifact):
            artifact = os.path.join(CASES, "a.txt")
        with open(artifact, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        base = [BIN, "verify", "--bundle", os.path.join(d, "bundle.sigstore.json")]
        if os.path.exists(os.path.join(d, "trusted_root.json")):
            base += ["--trusted-root", os.path.join(d, "trusted_root.json")]
        if os.path.exists(os.path.join(d, "key.pub")):
            base += ["--key", os.path.join(d, "key.pub")]
        else:
            ident = os.path.join(d, "identity")
            iss = os.path.join(d, "issuer")
            base += ["--identity", read(ident) if os.path.exists(ident) else DEFAULT_IDENTITY,
                     "--issuer", read(iss) if os.path.exists(iss) else DEFAULT_ISSUER]
        for mode, target in (("file", artifact), ("digest", "sha256:" + digest)):
            p = subprocess.run(base + [target], capture_output=True, text=True)
            msg = (p.stderr.strip().splitlines() or [""])[-1]
            crashed = p.returncode < 0 or p.returncode > 5
            ok = (p.returncode == 0) == expect_ok and not crashed
            if ok:
                passed += 1
                if verbose:
                    print(f"ok   {case} [{mode}] exit {p.returncode} {msg}")
            else:
                failed += 1
                print(f"FAIL {case} [{mode}]: expected {'pass' if expect_ok else 'fail'}, "
                      f"exit {p.returncode}: {msg}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
