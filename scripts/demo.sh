#!/bin/bash
# The main job on the bundled data. Grows as the commands land.
set -eu
build=${1:-build}
tg="$build/tollgate"
echo "== tollgate --version"
"$tg" --version
echo
echo "== tollgate --help"
"$tg" --help
