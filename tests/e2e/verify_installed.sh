#!/bin/bash
# tollgate verify --installed against a site directory made by unpacking a
# real wheel (rfc8785 0.1.2, whose RECORD carries real hashes), then
# tampered with one way at a time.
source "$(dirname "$0")/lib.bash"

whl="$TG_SOURCE_DIR/tests/data/third_party/pypi-attestations/rfc8785-0.1.2-py3-none-any.whl"
fresh_site() {
	rm -rf "$TG_TMP/env"
	site="$TG_TMP/env/lib/python3.11/site-packages"
	mkdir -p "$site" "$TG_TMP/env/bin"
	/usr/bin/python3 -m zipfile -e "$whl" "$site"
}
v() { "$TG_BIN" verify --installed --path "$site" "$@"; }

fresh_site
expect_exit 0 v
expect_out_contains "1 distribution, 6 files" v
expect_out_contains '"verified": 6' v --format json

# Byte-code that Python writes after install is not a problem.
mkdir -p "$site/rfc8785/__pycache__"
echo junk >"$site/rfc8785/__pycache__/_impl.cpython-311.pyc"
expect_exit 0 v
expect_out_contains "1 unrecorded __pycache__/*.pyc files ignored" v

# One flipped byte in a module.
fresh_site
/usr/bin/python3 - "$site/rfc8785/_impl.py" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, 'rb').read()); b[100] ^= 1
open(p, 'wb').write(b)
PY
expect_exit 1 v
expect_out_contains "modified      rfc8785/_impl.py" v

# Appended code keeps nothing but the name: hash and size both differ.
fresh_site
echo 'import os' >>"$site/rfc8785/__init__.py"
expect_out_contains "(506 bytes on disk, 496 in RECORD)" v

# Missing file.
fresh_site
rm "$site/rfc8785/py.typed"
expect_exit 1 v
expect_out_contains "missing       rfc8785/py.typed" v

# Injected module under the package and a .pth at the top of the site.
fresh_site
echo 'print(1)' >"$site/rfc8785/_extra.py"
echo 'import os' >"$site/evil.pth"
expect_exit 1 v
expect_out_contains "unrecorded    rfc8785/_extra.py" v
expect_out_contains "unrecorded    evil.pth" v
kinds=$(v --format json | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
print(sorted(p["kind"] + ":" + p["path"] for x in d["distributions"] for p in x["problems"]),
      [p["path"] for p in d["site_problems"]], d["ok"])')
expect_eq "['unrecorded:rfc8785/_extra.py'] ['evil.pth'] False" "$kinds" "json problems"

# A script in bin/ reached by ".." (as pip records console scripts).
fresh_site
printf '#!/bin/sh\necho hi\n' >"$TG_TMP/env/bin/rfc-tool"
hash=$(/usr/bin/python3 -c '
import base64, hashlib, sys
d = hashlib.sha256(open(sys.argv[1], "rb").read()).digest()
print(base64.urlsafe_b64encode(d).rstrip(b"=").decode())' "$TG_TMP/env/bin/rfc-tool")
echo "../../../bin/rfc-tool,sha256=$hash,18" >>"$site/rfc8785-0.1.2.dist-info/RECORD"
expect_exit 0 v
echo "echo more" >>"$TG_TMP/env/bin/rfc-tool"
expect_out_contains "modified      ../../../bin/rfc-tool" v
# ... but never above the environment prefix.
echo "../../../../outside.txt,sha256=$hash,18" >>"$site/rfc8785-0.1.2.dist-info/RECORD"
expect_out_contains "outside-root  ../../../../outside.txt" v

# A file listed without a hash: reported, fails only with --strict.
fresh_site
echo "rfc8785/notes.txt,," >>"$site/rfc8785-0.1.2.dist-info/RECORD"
echo notes >"$site/rfc8785/notes.txt"
expect_exit 0 v
expect_out_contains "no-hash       rfc8785/notes.txt" v
expect_exit 1 v --strict

# A distribution without RECORD; a RECORD that is not CSV.
fresh_site
mkdir -p "$site/other-1.0.dist-info"
expect_exit 0 v
expect_out_contains "no-record" v
expect_exit 1 v --strict
printf 'a,"b\n' >"$site/other-1.0.dist-info/RECORD"
expect_out_contains "bad-record" v
expect_out_contains "unterminated quoted field" v

# Usage and unreadable input.
expect_exit 2 "$TG_BIN" verify --installed --path "$site" --env python3
expect_exit 3 "$TG_BIN" verify --installed --path "$TG_TMP/does-not-exist"
# --env asks a real interpreter for its site directories.
"$TG_BIN" verify --installed --env /usr/bin/python3 --format json >"$TG_TMP/envout"
rc=$?
if [ "$rc" -le 1 ]; then pass; else fail "--env /usr/bin/python3 exit $rc"; fi
n=$(/usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["site_dirs"]) > 0)' "$TG_TMP/envout")
expect_eq True "$n" "--env found site directories"

finish
