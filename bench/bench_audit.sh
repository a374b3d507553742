#!/bin/bash
# Audit of a 1,000-package lockfile against the full database built from
# data/feeds, against the reference matcher (tests/reference/osv_match.py:
# Python's packaging over the OSV zip) on the same lockfile, in this run.
# Prints wall time, CPU time and peak RSS of each (medians of several
# runs) and the ratios. The machine may be shared: CPU time is the steadier
# figure.
set -u
: "${TG_BIN:?}" "${TG_BUILD_DIR:?}" "${TG_SOURCE_DIR:?}"
runs=${BENCH_RUNS:-5}
ref_runs=${BENCH_REF_RUNS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$TG_BUILD_DIR/bench-audit.db"
zip="$TG_SOURCE_DIR/data/feeds/osv/PyPI/all.zip"

# (Re)build the database when it is missing or from another schema.
if ! "$TG_BIN" --db "$db" db status >/dev/null 2>&1; then
	echo "   building $db from data/feeds ..."
	rm -f "$db"
	"$TG_BIN" --db "$db" db update --source "$TG_SOURCE_DIR/data/feeds" >/dev/null 2>&1 ||
		{ echo "   cannot build the database"; exit 1; }
fi
lock="$tmp/requirements-synthetic.txt"
/usr/bin/python3 "$TG_SOURCE_DIR/tests/reference/gen_lockfile.py" "$zip" 1000 > "$lock"

# measure LABEL RUNS CMD...: run CMD RUNS times (after one warm-up run),
# print the medians of wall time, CPU time (user + sys) and peak RSS, and
# leave them in $tmp/last.
measure() {
	local label=$1 n=$2 i
	shift 2
	"$@" >/dev/null 2>&1
	: > "$tmp/runs"
	for ((i = 0; i < n; i++)); do
		/usr/bin/time -f "%e %U %S %M" -o "$tmp/t" "$@" >/dev/null 2>/dev/null
		cat "$tmp/t" >> "$tmp/runs"
	done
	local wall cpu rss mid=$(((n + 1) / 2))
	wall=$(awk '{ print $1 }' "$tmp/runs" | sort -g | sed -n "${mid}p")
	cpu=$(awk '{ printf "%.3f\n", $2 + $3 }' "$tmp/runs" | sort -g | sed -n "${mid}p")
	rss=$(awk '{ print $4 }' "$tmp/runs" | sort -g | sed -n "${mid}p")
	printf '   %-30s wall %7.3f s   cpu %7.3f s   peak RSS %6.1f MB   (median of %d)\n' \
		"$label" "$wall" "$cpu" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$n"
	echo "$wall $cpu $rss" > "$tmp/last"
}

echo "   lockfile: 1000 packages (tests/reference/gen_lockfile.py), database: $(du -h "$db" | cut -f1)"
measure "tollgate audit (table)" "$runs" \
	"$TG_BIN" --db "$db" audit "$lock" --python-version 3.11 --no-config --fail-on none
read -r tw tc tr < "$tmp/last"
measure "tollgate audit --format json" "$runs" \
	"$TG_BIN" --db "$db" audit "$lock" --python-version 3.11 --no-config --fail-on none --format json
measure "reference (python3 packaging)" "$ref_runs" \
	/usr/bin/python3 "$TG_SOURCE_DIR/tests/reference/osv_match.py" --zip "$zip" --requirements "$lock"
read -r pw pc pr < "$tmp/last"
awk -v tw="$tw" -v tc="$tc" -v tr="$tr" -v pw="$pw" -v pc="$pc" -v pr="$pr" 'BEGIN {
	printf "   speed-up vs reference: %.1fx wall, %.1fx cpu; tollgate peak RSS %.1f MB (target < 30 MB)\n",
		pw / (tw > 0 ? tw : 0.001), pc / (tc > 0 ? tc : 0.001), tr / 1024
}'
