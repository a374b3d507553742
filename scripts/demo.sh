#!/bin/bash
# The main job on the bundled data: build a database from the feed
# snapshot in data/feeds, then audit this machine's Python environment and
# the example project in data/examples. Reports land in BUILD/demo/.
set -eu
build=${1:-build}
tg="$build/tollgate"
out="$build/demo"
db="$out/tollgate.db"
mkdir -p "$out"

echo "== tollgate --version"
"$tg" --version
echo

echo "== tollgate db update --source data/feeds   (database: $db)"
"$tg" --db "$db" db update --source data/feeds
echo

# audit exits 1 when the gate fails, which is what a vulnerable project
# should do; the demo goes on and says so.
audit() {
	local rc=0
	"$tg" --db "$db" audit "$@" || rc=$?
	case $rc in
	0) echo "(exit 0: nothing at or above the gate)" ;;
	1) echo "(exit 1: the gate failed, as it should for these pins)" ;;
	*) echo "(exit $rc)"; return "$rc" ;;
	esac
}

if command -v python3 >/dev/null 2>&1; then
	echo "== tollgate audit --env python3   ($(command -v python3))"
	audit --env python3 --fail-on high
	echo
fi

echo "== tollgate audit data/examples/requirements.txt data/examples/package-lock.json"
echo "   (policy: data/examples/tollgate.toml)"
audit data/examples/requirements.txt data/examples/package-lock.json
echo

echo "== the same audit as HTML, SARIF, CycloneDX VEX, JSON and Markdown"
for f in html sarif cyclonedx json markdown; do
	ext=$f
	[ "$f" = cyclonedx ] && ext=cdx.json
	[ "$f" = markdown ] && ext=md
	"$tg" --db "$db" audit -q data/examples/requirements.txt data/examples/package-lock.json \
		--format "$f" -o "$out/example-audit.$ext" || [ $? -eq 1 ]
	echo "   $out/example-audit.$ext"
done

# SBOMs and the patch plan (docs/sbom.md, docs/plan.md).
if command -v python3 >/dev/null 2>&1; then
	echo "== tollgate sbom --env python3   (CycloneDX 1.6 and SPDX 2.3)"
	"$tg" sbom --env python3 --format cyclonedx --reproducible -o "$out/python-env.cdx.json"
	"$tg" sbom --env python3 --format spdx --reproducible -o "$out/python-env.spdx.json"
	echo "   $out/python-env.cdx.json"
	echo "   $out/python-env.spdx.json"
	echo

	echo "== tollgate plan --env python3   (what to upgrade first, and how)"
	"$tg" --db "$db" plan --env python3
	echo
fi

echo "== tollgate plan data/examples/requirements.txt data/examples/package-lock.json"
"$tg" --db "$db" plan data/examples/requirements.txt data/examples/package-lock.json
echo

echo "== tollgate plan on a winget export and Chocolatey list (KEV products first)"
"$tg" --db "$db" plan \
	tests/data/third_party/winget-choco/winget-export/export-winget-1.4.10173-with-versions.json \
	tests/data/third_party/winget-choco/winget/manifests \
	tests/data/windows/choco-list/choco-v1-local-only.txt --format markdown -o "$out/windows-plan.md"
echo "   $out/windows-plan.md"
