#!/bin/bash
# tollgate vet throughput.
#  names:     every PyPI name of the feed snapshot (~886k) through `vet
#             --names`, against a database built from data/feeds in this
#             run; baseline: the same command on one name (opening the
#             database and building the index), so the ratio shows what the
#             checks themselves cost.
#  artifacts: the npm tarballs of tests/data/vet/npm-corpus.txt (fetched
#             into the test cache if missing); baseline: `tar -tzf` listing
#             the same tarballs (decompression alone).
# Wall and CPU (user+sys) seconds are printed; on a shared machine the CPU
# figure is the steadier one. Set TOLLGATE_BENCH_DB to reuse a database.
set -u
: "${TG_BIN:?}" "${TG_SOURCE_DIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run LABEL CMD...: prints "LABEL wall cpu" and leaves them in $wall/$cpu.
run() {
	local label=$1; shift
	local s e
	s=$(date +%s.%N)
	/usr/bin/time -f "%U %S" -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err"
	e=$(date +%s.%N)
	wall=$(echo "$e - $s" | bc -l)
	cpu=$(tail -1 "$tmp/time" | awk '{print $1 + $2}')
	printf '  %-34s wall %7.2f s   cpu %7.2f s\n' "$label" "$wall" "$cpu"
}

db=${TOLLGATE_BENCH_DB:-}
if [ -z "$db" ]; then
	db=$tmp/tollgate.db
	"$TG_BIN" --db "$db" -q db update --source "$TG_SOURCE_DIR/data/feeds" >/dev/null 2>&1 || {
		echo "  could not build the database: skipped"; exit 1; }
fi
zcat "$TG_SOURCE_DIR/data/feeds/pypi/projects.tsv.gz" | tail -n +2 | cut -f1 >"$tmp/names"
n=$(wc -l <"$tmp/names")
echo "names ($n PyPI names, $(nproc) CPUs, load average $(cut -d' ' -f1 /proc/loadavg))"
run "baseline: one name (index build)" "$TG_BIN" --db "$db" vet requests
base_wall=$wall base_cpu=$cpu
run "all names, --format jsonl" "$TG_BIN" --db "$db" vet --format jsonl --names "$tmp/names"
echo "$wall $cpu $base_wall $base_cpu $n" | awk '{
	printf "  names/s: %.0f (wall), %.0f per CPU-second; checks alone: %.0f names/s wall\n",
		$5 / $1, $5 / $2, $5 / ($1 - $3 > 0.001 ? $1 - $3 : 0.001)
	printf "  all %d names in %.1f s wall (target < 10 s); ratio to the baseline: %.1fx\n",
		$5, $1, $1 / $3 }'

cache=$(bash "$TG_SOURCE_DIR/tests/data/vet/fetch-npm-corpus.sh" 2>/dev/null | tail -1)
ls "$cache"/*.tgz >"$tmp/tgz" 2>/dev/null
m=$(wc -l <"$tmp/tgz")
if [ "$m" -eq 0 ]; then
	echo "artifacts: no npm tarballs (registry unreachable?): skipped"
	exit 0
fi
bytes=$(xargs cat <"$tmp/tgz" | wc -c)
echo "artifacts ($m npm tarballs, $((bytes / 1024 / 1024)) MiB compressed)"
run "baseline: tar -tzf each" bash -c 'while read -r f; do tar -tzf "$f"; done' <"$tmp/tgz"
base_wall=$wall base_cpu=$cpu
run "vet (all rules)" xargs -a "$tmp/tgz" "$TG_BIN" vet --format jsonl
echo "$wall $cpu $base_wall $base_cpu $m" | awk '{
	printf "  artifacts/s: %.1f (wall), %.1f per CPU-second; ratio to tar listing: %.1fx wall, %.1fx cpu\n",
		$5 / $1, $5 / $2, $1 / $3, $2 / ($4 > 0.001 ? $4 : 0.001) }'
