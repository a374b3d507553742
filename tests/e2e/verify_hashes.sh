#!/bin/bash
# tollgate verify --hashes: a Pipfile.lock pinning real distributions (the ones shipped in tests/data/third_party/
# pypi-attestations) by their real SHA-256, checked alone and against a
# directory of the downloaded files.
source "$(dirname "$0")/lib.bash"

D="$TG_SOURCE_DIR/tests/data/third_party/pypi-attestations"
sha() { sha256sum "$1" | cut -d' ' -f1; }
mkdir -p "$TG_TMP/dl"
cp "$D/rfc8785-0.1.2-py3-none-any.whl" "$D/pypi_attestations-0.0.19.tar.gz" "$TG_TMP/dl/"
lock() { # lock EXTRA_JSON_ENTRIES
	cat >"$TG_TMP/Pipfile.lock" <<JSON
{
    "_meta": {"hash": {"sha256": "0"}, "pipfile-spec": 6, "requires": {"python_version": "3.11"},
              "sources": [{"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": true}]},
    "default": {
        "rfc8785": {"hashes": ["sha256:$(sha "$D/rfc8785-0.1.2-py3-none-any.whl")"],
                    "index": "pypi", "version": "==0.1.2"},
        "pypi-attestations": {"hashes": ["sha256:0000000000000000000000000000000000000000000000000000000000000000",
                                         "sha256:$(sha "$D/pypi_attestations-0.0.19.tar.gz")"],
                              "index": "pypi", "version": "==0.0.19"}$1
    },
    "develop": {}
}
JSON
}
lock ""
V() { "$TG_BIN" verify --hashes "$TG_TMP/Pipfile.lock" "$@"; }

expect_exit 0 V
expect_exit 0 V --strict
expect_out_contains "2 packages, 2 with a strong hash; 0 issues" V
expect_exit 0 V --artifacts "$TG_TMP/dl" --strict
expect_out_contains "2 artifacts checked, 2 match" V --artifacts "$TG_TMP/dl"

# A flipped byte in a downloaded file.
/usr/bin/python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[100]^=1; open(p,"wb").write(b)' \
	"$TG_TMP/dl/rfc8785-0.1.2-py3-none-any.whl"
expect_exit 1 V --artifacts "$TG_TMP/dl"
expect_out_contains "hash-mismatch   rfc8785==0.1.2 [rfc8785-0.1.2-py3-none-any.whl]" V --artifacts "$TG_TMP/dl"
# A file the lockfile does not list; a pinned package with no file.
cp "$D/gitlab_oidc_project-0.0.3.tar.gz" "$TG_TMP/dl/"
rm "$TG_TMP/dl/pypi_attestations-0.0.19.tar.gz"
expect_out_contains "unlisted-file   gitlab-oidc-project [gitlab_oidc_project-0.0.3.tar.gz]" V --artifacts "$TG_TMP/dl"
expect_out_contains "missing-file    pypi-attestations==0.0.19" V --artifacts "$TG_TMP/dl"

# Weak-only, unhashed and unpinned requirements: reported; fail with --strict.
lock ',
        "six": {"hashes": ["md5:d7c4e6a14b3d2c4a0dc3ae3b4a2d3a1f"], "version": "==1.16.0"},
        "idna": {"hashes": [], "version": "==3.7"},
        "requests": {"version": "*"}'
expect_exit 0 V
expect_exit 1 V --strict
expect_out_contains "weak-hash-only  six==1.16.0" V
expect_out_contains "no-hash         idna==3.7" V
expect_out_contains "unpinned        requests" V
json=$(V --format json | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["packages"], d["strongly_hashed"], sorted(i["kind"] for i in d["issues"]), d["ok"])')
expect_eq "5 2 ['no-hash', 'no-hash', 'unpinned', 'weak-hash-only'] True" "$json" "json summary"

# The same pins as a pip-compile style requirements file (when this build
# has the requirements parser).
cat >"$TG_TMP/requirements.txt" <<REQ
rfc8785==0.1.2 \\
    --hash=sha256:$(sha "$D/rfc8785-0.1.2-py3-none-any.whl")
pypi-attestations==0.0.19 --hash=sha256:$(sha "$D/pypi_attestations-0.0.19.tar.gz")
idna==3.7
REQ
if "$TG_BIN" verify --hashes "$TG_TMP/requirements.txt" 2>&1 | grep -q "not supported by this build"; then
	echo "requirements parser not in this build: requirements.txt checks skipped"
else
	expect_exit 0 "$TG_BIN" verify --hashes "$TG_TMP/requirements.txt"
	expect_exit 1 "$TG_BIN" verify --hashes "$TG_TMP/requirements.txt" --strict
	expect_out_contains "no-hash         idna==3.7 ($TG_TMP/requirements.txt:4)" \
		"$TG_BIN" verify --hashes "$TG_TMP/requirements.txt"
	expect_out_contains "hash-mismatch   rfc8785==0.1.2" \
		"$TG_BIN" verify --hashes "$TG_TMP/requirements.txt" --artifacts "$TG_TMP/dl"
fi

# Unreadable lockfile, usage.
expect_exit 3 "$TG_BIN" verify --hashes "$TG_TMP/nope.txt"
expect_exit 2 "$TG_BIN" verify --artifacts "$TG_TMP/dl"
finish
