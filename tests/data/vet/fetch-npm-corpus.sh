#!/bin/bash
# Fetch the npm tarballs listed in npm-corpus.txt into a cache directory
# (default ${XDG_CACHE_HOME:-~/.cache}/tollgate-test/npm), reusing what is
# already there. `npm pack SPEC` downloads the registry tarball as
# published; --ignore-scripts keeps npm from running anything.
# Usage: fetch-npm-corpus.sh [CACHE_DIR]; prints the cache directory.
set -u
here=$(cd "$(dirname "$0")" && pwd)
cache=${1:-${TOLLGATE_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tollgate-test}/npm}
mkdir -p "$cache"
# npm pack names a tarball "<name without @, / as ->-<version>.tgz".
missing=()
while read -r spec; do
	case "$spec" in ''|'#'*) continue ;; esac
	name=${spec%@*}; version=${spec##*@}
	file="${name#@}"; file="${file//\//-}-$version.tgz"
	[ -s "$cache/$file" ] || missing+=("$spec")
done < "$here/npm-corpus.txt"
if [ "${#missing[@]}" -gt 0 ]; then
	echo "fetching ${#missing[@]} npm tarballs into $cache" >&2
	# Batches keep one npm start-up for many packages; a spec that fails
	# (unpublished, network) is retried alone so the others still land.
	for ((i = 0; i < ${#missing[@]}; i += 40)); do
		batch=("${missing[@]:i:40}")
		if ! (cd "$cache" && npm pack --ignore-scripts --silent "${batch[@]}" >/dev/null 2>&1); then
			for spec in "${batch[@]}"; do
				(cd "$cache" && npm pack --ignore-scripts --silent "$spec" >/dev/null 2>&1) ||
					echo "could not fetch $spec" >&2
			done
		fi
	done
fi
echo "$cache"
