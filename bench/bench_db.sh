#!/bin/bash
# Database import: time and peak RSS of a full mirror import (data/feeds),
# peak RSS with an OSV zip ten times larger (generated here from the real
# one with renamed ids) to show that the import streams, database size
# against the raw data, and the matcher's lookup rate.
set -u
: "${TG_BIN:?}" "${TG_SOURCE_DIR:?}" "${TG_BUILD_DIR:?}"
feeds="$TG_SOURCE_DIR/data/feeds"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run LABEL ARGS...: import, print wall time and peak RSS, keep them.
measure() {
	local label=$1; shift
	/usr/bin/time -f "%e %M" -o "$tmp/time" "$TG_BIN" -q "$@" >/dev/null 2>"$tmp/err" ||
		{ echo "   $label: FAILED"; cat "$tmp/err"; exit 1; }
	read -r secs rss <"$tmp/time"
	printf '   %-44s %6.2f s  %7.1f MB peak RSS\n' "$label" "$secs" "$(echo "$rss / 1024" | bc -l)"
	eval "${2//[^a-z0-9_]/_}_secs=\$secs" 2>/dev/null
	last_secs=$secs last_rss=$rss
}

# 10x mirror: every PyPI advisory ten times, ids and aliases renamed so
# that nothing merges.
mkdir -p "$tmp/x10/osv/PyPI" "$tmp/x10/osv/npm"
/usr/bin/python3 - "$feeds/osv/PyPI/all.zip" "$tmp/x10/osv/PyPI/all.zip" <<'PY'
import json, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for k in range(10):
        for info in zin.infolist():
            d = json.loads(zin.read(info.filename))
            sfx = "" if k == 0 else "-x%d" % k
            d["id"] += sfx
            d["aliases"] = [a + sfx for a in d.get("aliases", [])]
            zout.writestr(d["id"] + ".json", json.dumps(d, indent=2))
PY
ln -s "$feeds/osv/npm/all.zip" "$tmp/x10/osv/npm/all.zip"
for d in kev pypi npm; do ln -s "$feeds/$d" "$tmp/x10/$d"; done
zip_mb() { echo "$(stat -c %s "$1") / 1000000" | bc -l; }
printf '   OSV PyPI zip: 1x %.1f MB, 10x %.1f MB\n' "$(zip_mb "$feeds/osv/PyPI/all.zip")" "$(zip_mb "$tmp/x10/osv/PyPI/all.zip")"

measure "full mirror import (1x)" --db "$tmp/full1.db" db update --source "$feeds"
full1_secs=$last_secs full1_rss=$last_rss
measure "full mirror import (OSV PyPI 10x)" --db "$tmp/full10.db" db update --source "$tmp/x10"
full10_secs=$last_secs full10_rss=$last_rss
measure "OSV only (1x)" --db "$tmp/osv1.db" db update --source "$feeds" --only osv
osv1_secs=$last_secs osv1_rss=$last_rss
measure "OSV only (PyPI 10x)" --db "$tmp/osv10.db" db update --source "$tmp/x10" --only osv
osv10_secs=$last_secs osv10_rss=$last_rss
measure "--only kev on the full database (copies the rest)" --db "$tmp/full1.db" db update --source "$feeds" --only kev

ratio() { echo "scale=2; $1 / $2" | bc -l; }
echo "   peak RSS 10x/1x: full import $(ratio "$full10_rss" "$full1_rss"), OSV only $(ratio "$osv10_rss" "$osv1_rss") (streaming target < 1.5)"
echo "   OSV import time 10x/1x: $(ratio "$osv10_secs" "$osv1_secs")"

# Size against the raw data.
raw_osv=$(/usr/bin/python3 -c "
import sys, zipfile
print(sum(i.file_size for z in sys.argv[1:] for i in zipfile.ZipFile(z).infolist()))" \
	"$feeds/osv/PyPI/all.zip" "$feeds/osv/npm/all.zip")
raw_kev=$(stat -c %s "$feeds/kev/known_exploited_vulnerabilities.json")
raw_names=$(( $(zcat "$feeds/pypi/projects.tsv.gz" | wc -c) + $(zcat "$feeds/npm/packages.tsv.gz" | wc -c) ))
mb() { echo "scale=1; $1 / 1000000" | bc -l; }
db_osv=$(stat -c %s "$tmp/osv1.db")
db_full=$(stat -c %s "$tmp/full1.db")
echo "   OSV: raw JSON $(mb "$raw_osv") MB -> database $(mb "$db_osv") MB (ratio $(ratio "$db_osv" "$raw_osv"))"
echo "   all feeds: raw $(mb $((raw_osv + raw_kev + raw_names))) MB (OSV+KEV JSON, name TSVs) -> database $(mb "$db_full") MB (ratio $(ratio "$db_full" $((raw_osv + raw_kev + raw_names))))"

# Hot path: every package named in an advisory, looked up 20 times.
/usr/bin/python3 - "$tmp/full1.db" >"$tmp/names" <<'PY'
import sqlite3, sys
for eco, name in sqlite3.connect(sys.argv[1]).execute("SELECT DISTINCT ecosystem, name FROM affected"):
    print(eco, name)
PY
printf '   affected lookups (%d names x 20): ' "$(wc -l <"$tmp/names")"
"$TG_BUILD_DIR/db_lookup_bench" "$tmp/full1.db" 20 <"$tmp/names"
