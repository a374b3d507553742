#!/bin/bash
# RECORD verification of the local Python environment (python3 on PATH)
# against `sha256sum` over exactly the same files in the same run.
# Figures: files/s and MB/s for tollgate (default 2 threads, and 1 thread)
# and for sha256sum; ratio = sha256sum time / tollgate time. Caches are
# warmed first and each figure is the best of 3 runs.
set -u
: "${TG_BIN:?}"
PY=${PYTHON:-python3}
site=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' 2>/dev/null) || {
	echo "no $PY on PATH: skipped"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The files RECORD lists with a hash, resolved like tollgate resolves them.
/usr/bin/python3 - "$site" "$tmp/files" <<'PY'
import csv, glob, os, sys
site, out = sys.argv[1], sys.argv[2]
seen = set()
with open(out, "wb") as f:
    for rec in glob.glob(os.path.join(site, "*.dist-info", "RECORD")):
        with open(rec, newline="", encoding="utf-8") as r:
            for row in csv.reader(r):
                if len(row) < 2 or not row[1]:
                    continue
                p = os.path.normpath(os.path.join(site, row[0]))
                if p not in seen and os.path.isfile(p):
                    seen.add(p)
                    f.write(p.encode() + b"\0")
PY
nfiles=$(tr -cd '\0' <"$tmp/files" | wc -c)

best() { # best wall time of 3 runs of "$@", seconds
	local b= t
	for _ in 1 2 3; do
		local s=$(date +%s.%N)
		"$@" >/dev/null 2>&1
		local e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc -l)
		if [ -z "$b" ] || [ "$(echo "$t < $b" | bc -l)" = 1 ]; then b=$t; fi
	done
	echo "$b"
}
shasum_all() { xargs -0 sha256sum <"$tmp/files"; }

"$TG_BIN" verify --installed --path "$site" --format json >"$tmp/out.json" 2>/dev/null
read -r tg_files tg_bytes ndist < <(/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["files_hashed"], d["bytes_hashed"], len(d["distributions"]))' "$tmp/out.json")
shasum_all >/dev/null # warm the page cache

t2=$(best "$TG_BIN" verify --installed --path "$site")
t1=$(best "$TG_BIN" verify --installed --path "$site" --threads 1)
ts=$(best shasum_all)
mb=$(echo "$tg_bytes / 1000000" | bc -l)
printf 'site: %s (%s distributions)\n' "$site" "$ndist"
printf 'RECORD rows hashed by tollgate: %s files, %.1f MB; sha256sum baseline: %s files\n' \
	"$tg_files" "$mb" "$nfiles"
row() { printf '  %-28s %7.3f s  %9.0f files/s  %7.1f MB/s\n' "$1" "$2" \
	"$(echo "$tg_files / $2" | bc -l)" "$(echo "$mb / $2" | bc -l)"; }
row "tollgate verify (2 threads)" "$t2"
row "tollgate verify (1 thread)" "$t1"
row "sha256sum (baseline)" "$ts"
printf '  ratio sha256sum/tollgate: %.2fx (2 threads), %.2fx (1 thread)\n' \
	"$(echo "$ts / $t2" | bc -l)" "$(echo "$ts / $t1" | bc -l)"
echo "  (tollgate also parses $ndist RECORDs, walks every package directory for"
echo "   unrecorded files and checks sizes; sha256sum only hashes)"
