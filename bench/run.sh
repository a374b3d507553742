#!/bin/bash
# make bench: runs every bench/bench_*.sh in order; each prints its figures
# (ratios against a baseline run in the same invocation where possible).
set -u
build=${1:-build}
export TG_BIN="$(cd "$build" && pwd)/tollgate" TG_BUILD_DIR="$(cd "$build" && pwd)"
export TG_SOURCE_DIR="$(cd "$(dirname "$0")/.." && pwd)"
status=0
for b in "$TG_SOURCE_DIR"/bench/bench_*.sh; do
	[ -e "$b" ] || continue
	echo "== $(basename "$b" .sh)"
	bash "$b" || { echo "   (benchmark failed)"; status=1; }
	echo
done
exit $status
