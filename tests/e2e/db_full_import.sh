#!/bin/bash
# The full snapshot in data/feeds imports with the counts its provenance
# states, and `db status` reports them. The one full import of the suite
# (names lists included); fault tests use a small mirror.
source "$(dirname "$0")/lib.bash"
feeds="$TG_SOURCE_DIR/data/feeds"
db="$TG_TMP/db/tollgate.db"
json() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$TG_TMP/out"; }

expect_exit 4 "$TG_BIN" --db "$db" db status
expect_err_contains "no database at $db: run 'tollgate db update'" "$TG_BIN" --db "$db" db status

start=$(date +%s.%N)
expect_exit 0 "$TG_BIN" --db "$db" db update --source "$feeds"
end=$(date +%s.%N)
echo "full import: $(/usr/bin/python3 -c "print(round($end - $start, 1))") s"
cp "$TG_TMP/out" "$TG_TMP/update.out"
expect_eq 1 "$(grep -c '^osv-pypi *imported *2661 advisories' "$TG_TMP/update.out")" "update summary osv-pypi"
expect_eq 1 "$(grep -c '^epss *skipped.*not in the mirror' "$TG_TMP/update.out")" "epss absent from the mirror is reported"

# Name counts straight from the files (minus the header line).
pypi_names=$(( $(zcat "$feeds/pypi/projects.tsv.gz" | wc -l) - 1 ))
npm_names=$(( $(zcat "$feeds/npm/packages.tsv.gz" | wc -l) - 1 ))

"$TG_BIN" --db "$db" db status --format json >"$TG_TMP/out" 2>"$TG_TMP/err"
expect_eq 0 $? "db status --format json exit"
expect_eq 2661 "$(json 'd["counts"]["advisories_pypi"]')" "PyPI advisories"
expect_eq 10 "$(json 'd["counts"]["withdrawn"]')" "withdrawn advisories kept"
expect_eq 461 "$(json 'd["counts"]["advisories_npm"]')" "npm advisories"
expect_eq 1404 "$(json 'd["counts"]["kev"]')" "KEV entries"
expect_eq "$pypi_names" "$(json 'd["counts"]["names_pypi"]')" "PyPI names"
expect_eq "$npm_names" "$(json 'd["counts"]["names_npm"]')" "npm names"
expect_eq 0 "$(json 'd["counts"]["epss"]')" "no EPSS"
expect_eq "2661 461 1404" "$(json '" ".join(str(f["records"]) for f in d["feeds"] if f["name"] in ("osv-pypi","osv-npm","kev"))')" "feed records"
expect_eq "2025.08.25" "$(json '[f["version"] for f in d["feeds"] if f["name"]=="kev"][0]')" "KEV catalog version"
expect_eq "False" "$(json '[f["present"] for f in d["feeds"] if f["name"]=="epss"][0]')" "EPSS missing"
expect_eq 1 "$(grep -c "no epss data: run 'tollgate db update --only epss'" "$TG_TMP/err")" "missing EPSS warned"

# Table output on a pipe: plain text, one row per feed.
expect_out_contains "osv-pypi" "$TG_BIN" --db "$db" db status
expect_eq 1 "$(grep -cE '^kev +1404 +0 ' "$TG_TMP/out")" "table row for kev"
expect_eq 0 "$(grep -c $'\033' "$TG_TMP/out")" "no colour when piped"

# Staleness: a zero maximum age flags the fresh feeds.
"$TG_BIN" --db "$db" db status --max-age-kev 0.000001 >"$TG_TMP/out" 2>"$TG_TMP/err"
expect_eq 1 "$(grep -c 'kev is .* days old (maximum 1e-06)' "$TG_TMP/err")" "stale KEV warned"
expect_eq 1 "$(grep -cE '^kev .* stale' "$TG_TMP/out")" "stale KEV shown"
expect_exit 2 "$TG_BIN" --db "$db" db status --max-age-osv soon
expect_exit 2 "$TG_BIN" --db "$db" db status --format xml
expect_exit 2 "$TG_BIN" --db "$db" db update --only osv,cves
expect_exit 2 "$TG_BIN" --db "$db" db frobnicate

# --only kev keeps every other feed, byte for byte in content.
dump() { /usr/bin/python3 "$TG_SOURCE_DIR/tests/e2e/helpers/db_dump.py" "$1"; }
dump "$db" >"$TG_TMP/before.dump"
expect_exit 0 "$TG_BIN" --db "$db" db update --source "$feeds" --only kev
expect_eq 1 "$(grep -cE '^names-pypi +kept +'"$pypi_names"' names' "$TG_TMP/out")" "names kept under --only kev"
dump "$db" >"$TG_TMP/after.dump"
if cmp -s "$TG_TMP/before.dump" "$TG_TMP/after.dump"; then pass; else fail "--only kev changed other tables"; diff "$TG_TMP/before.dump" "$TG_TMP/after.dump" | head -5; fi
finish
