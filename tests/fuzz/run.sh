#!/bin/bash
# make fuzz: run each libFuzzer target for FUZZ_SECONDS, seeded with its kept
# corpus. New crashing inputs land in tests/fuzz/crashes/<target>/; once
# fixed, move them into tests/fuzz/corpus/<target>/ so they replay in make check.
set -u
dir=${1:-build-fuzz/fuzz}
secs=${FUZZ_SECONDS:-20}
root=$(cd "$(dirname "$0")" && pwd)
status=0
for t in "$dir"/fuzz_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	mkdir -p "$root/crashes/$name" "$dir/runs/$name"
	echo "== $name (${secs}s)"
	if ! "$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$root/crashes/$name/" "$dir/runs/$name" "$root/corpus/$name" \
		2>"$dir/$name.log"; then
		echo "   CRASH: see $dir/$name.log and $root/crashes/$name/"; status=1
	else
		grep -E '^#[0-9]+.*(DONE|pulse)' "$dir/$name.log" | tail -1
	fi
done
exit $status
