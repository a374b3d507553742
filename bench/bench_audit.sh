#!/bin/bash
# Audit of a 1,000-package lockfile against the full database built from
# data/feeds, against the reference matcher (tests/reference/osv_match.py:
# Python's packaging over the OSV zip) on the same lockfile, in this run.
# Prints wall time, CPU time and peak RSS of each (medians of samples
# taken in turn, so that both sides see the same load on a shared
# machine) and the ratios.
set -u
: "${TG_BIN:?}" "${TG_BUILD_DIR:?}" "${TG_SOURCE_DIR:?}"
runs=${BENCH_RUNS:-9}
ref_runs=${BENCH_REF_RUNS:-$runs}
reps=${BENCH_REPS:-10}
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

# sample NAME REPS CMD...: time REPS back-to-back runs of CMD as one
# sample (time(1) counts in hundredths of a second: a run of a few
# hundredths needs repeating to be measured) and append the per-run wall
# time, CPU time (user + sys) and peak RSS to $tmp/NAME.
sample() {
	local name=$1 reps=$2
	shift 2
	/usr/bin/time -f "%e %U %S %M" -o "$tmp/t" \
		bash -c 'r=$1; shift; for ((k = 0; k < r; k++)); do "$@"; done' _ "$reps" "$@" \
		>/dev/null 2>/dev/null
	awk -v r="$reps" '{ printf "%.5f %.5f %d\n", $1 / r, ($2 + $3) / r, $4 }' \
		"$tmp/t" >> "$tmp/$name"
}

# report NAME LABEL: print the medians of NAME's samples; leave them in
# $tmp/last.
report() {
	local name=$1 label=$2 n wall cpu rss mid
	n=$(wc -l < "$tmp/$name")
	mid=$(((n + 1) / 2))
	wall=$(awk '{ print $1 }' "$tmp/$name" | sort -g | sed -n "${mid}p")
	cpu=$(awk '{ print $2 }' "$tmp/$name" | sort -g | sed -n "${mid}p")
	rss=$(awk '{ print $3 }' "$tmp/$name" | sort -g | sed -n "${mid}p")
	printf '   %-30s wall %7.4f s   cpu %7.4f s   peak RSS %6.1f MB   (median of %d samples)\n' \
		"$label" "$wall" "$cpu" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$n"
	echo "$wall $cpu $rss" > "$tmp/last"
}

audit=("$TG_BIN" --db "$db" audit "$lock" --python-version 3.11 --no-config --fail-on none)
ref=(/usr/bin/python3 "$TG_SOURCE_DIR/tests/reference/osv_match.py" --zip "$zip" --requirements "$lock")

echo "   lockfile: 1000 packages (tests/reference/gen_lockfile.py), database: $(du -h "$db" | cut -f1)"
# One warm-up each, then the samples interleaved: on a shared machine
# both sides then see the same load, and the ratio holds still where the
# absolute times do not.
"${audit[@]}" >/dev/null 2>&1
"${ref[@]}" >/dev/null 2>&1
for ((i = 0; i < runs; i++)); do
	sample table "$reps" "${audit[@]}"
	sample json "$reps" "${audit[@]}" --format json
	((i < ref_runs)) && sample ref 1 "${ref[@]}"
done
report table "tollgate audit (table)"
read -r tw tc tr < "$tmp/last"
report json "tollgate audit --format json"
report ref "reference (python3 packaging)"
read -r pw pc pr < "$tmp/last"
# The ratio: the median of the ratios of samples taken side by side (a
# load spike on a shared machine then hits both terms of one ratio), next
# to the ratio of the medians.
pair_median() {
	paste -d' ' "$tmp/table" "$tmp/ref" |
		awk -v col="$1" 'NF == 6 && $col > 0 { print $(col + 3) / $col }' |
		sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
awk -v tw="$tw" -v tc="$tc" -v pw="$pw" -v pc="$pc" -v sw="$(pair_median 1)" -v sc="$(pair_median 2)" 'BEGIN {
	printf "   speed-up vs reference: %.1fx wall, %.1fx cpu (median of side-by-side ratios; ratio of medians %.1fx, %.1fx); target >= 50x\n",
		sw, sc, pw / (tw > 0 ? tw : 0.001), pc / (tc > 0 ? tc : 0.001)
}'
awk -v tr="$tr" 'BEGIN { printf "   tollgate peak RSS %.1f MB (target < 30 MB)\n", tr / 1024 }'
