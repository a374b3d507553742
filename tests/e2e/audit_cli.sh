#!/bin/bash
# tollgate audit end to end: exit codes and --fail-on, tollgate.toml
# (found upward, errors located, ignores with expiry), --prefer-id,
# formats and colour, -o written atomically, and bad inputs (truncated,
# syntax errors, a 100k-deep include chain, a 10 MB line, binary
# garbage): a located error and exit 3, never a crash or a report.
source "$(dirname "$0")/lib.bash"
TG=$TG_BIN
export TOLLGATE_TODAY=2024-06-01 SOURCE_DATE_EPOCH=1717200000
DB=$TG_TMP/t.db
"$TG" --db "$DB" db update --source "$TG_SOURCE_DIR/data/feeds" --only osv,kev >/dev/null 2>&1 ||
	{ echo "cannot build the test database"; exit 1; }
a() { "$TG" --db "$DB" audit --python-version 3.11 "$@"; }

P=$TG_TMP/proj
mkdir -p "$P/sub/deeper"
cat > "$P/sub/deeper/requirements.txt" <<'REQ'
django==3.2.0
salt==3000
requests>=2
REQ
R=$P/sub/deeper/requirements.txt

# No policy file: the default gate is "any".
expect_exit 1 a "$R"
expect_out_contains "CVE-2020-11651" a "$R"
expect_out_contains "Not checked (1)" a "$R"
expect_out_contains "requests (" a "$R"
expect_exit 0 a "$R" --fail-on none
expect_exit 1 a "$R" --fail-on kev           # salt: CISA KEV
expect_exit 0 a "$R" --fail-on critical      # nothing rated critical
expect_exit 1 a "$R" --fail-on medium        # unrated counts as medium
expect_exit 2 a "$R" --fail-on severe
expect_exit 2 a "$R" --prefer-id nvd
expect_exit 2 a "$R" --format pdf
expect_exit 2 a
expect_exit 2 a "$R" --bogus
expect_out_contains "GHSA-" a "$R" --prefer-id ghsa --format json
expect_out_contains '"id": "PYSEC-' a "$R" --prefer-id pysec --format json

# KEV findings come first.
first=$(a "$R" | sed -n 2p)
case $first in *KEV*) pass ;; *) fail "first row is not a KEV finding: $first" ;; esac

# EPSS: a probability ranks a finding above higher CVSS scores without one.
M=$TG_TMP/mirror
mkdir -p "$M/epss"
ln -s "$TG_SOURCE_DIR/data/feeds/osv" "$M/osv"
ln -s "$TG_SOURCE_DIR/data/feeds/kev" "$M/kev"
printf '#model_version:v2025.03.14,score_date:2025-03-14T00:00:00+0000\ncve,epss,percentile\nCVE-2018-18074,0.91234,0.99100\nCVE-2023-32681,0.00012,0.01000\n' |
	gzip > "$M/epss/epss_scores-current.csv.gz"
DB2=$TG_TMP/epss.db
"$TG" --db "$DB2" db update --source "$M" --only osv,kev,epss >/dev/null 2>&1 || fail "db update with EPSS"
printf 'requests==2.19.1\nurllib3==1.24.1\n' > "$TG_TMP/requirements-epss.txt"
rows=$("$TG" --db "$DB2" audit --python-version 3.11 "$TG_TMP/requirements-epss.txt" --no-config)
first=$(printf '%s\n' "$rows" | sed -n 2p)
case $first in *CVE-2018-18074*91.2%*) pass ;; *) fail "EPSS 91% not first: $first" ;; esac
expect_out_contains '"probability": 0.91234' "$TG" --db "$DB2" audit --python-version 3.11 \
	"$TG_TMP/requirements-epss.txt" --no-config --format json

# tollgate.toml two directories up applies; an expired ignore warns.
cat > "$P/tollgate.toml" <<'TOML'
[audit]
fail-on = "kev"

[[ignore]]
id = "pysec-2020-102"           # an alias of CVE-2020-11651
reason = "salt-master not reachable from outside"
expires = 2030-01-01

[[ignore]]
id = "CVE-2020-11652"
reason = "same host"
expires = 2024-01-01
TOML
expect_exit 1 a "$R"                          # CVE-2020-11652/16846 still KEV
expect_err_contains "tollgate.toml:9: the ignore of CVE-2020-11652 expired on 2024-01-01" a "$R"
expect_out_contains "Ignored (1)" a "$R"
expect_out_contains '"expired": true' a "$R" --format json
expect_exit 0 a "$R" --fail-on critical       # the command line wins
expect_exit 1 a "$R" --no-config --fail-on kev
# Ignore every KEV advisory of salt: the kev gate passes.
cat >> "$P/tollgate.toml" <<'TOML'

[[ignore]]
id = "CVE-2020-11652"
reason = "renewed"
expires = 2025-01-01

[[ignore]]
id = "PYSEC-2020-104"
reason = "no salt-api"
package = "Salt"
version = "3000.0"
TOML
expect_exit 0 a "$R"
expect_out_contains "Gate: passed" a "$R"

# A broken policy file: exit 3, named with its line.
cp "$P/tollgate.toml" "$TG_TMP/good.toml"
printf '[[ignore]]\nid = "CVE-1"\n' > "$P/tollgate.toml"
expect_exit 3 a "$R"
expect_err_contains "tollgate.toml:1:1: [[ignore]] of CVE-1 has no 'reason'" a "$R"
printf '[audit]\nfail-on = "any"\nfail-on = "kev"\n' > "$P/tollgate.toml"
expect_exit 3 a "$R"
expect_err_contains "tollgate.toml:3" a "$R"
expect_exit 3 a "$R" --config "$TG_TMP/missing.toml"
expect_exit 0 a "$R" --config "$TG_TMP/good.toml"
rm "$P/tollgate.toml"

# A repository root stops the upward search.
cp "$TG_TMP/good.toml" "$P/tollgate.toml"
mkdir "$P/sub/.git"
expect_exit 1 a "$R"                          # default gate again
rmdir "$P/sub/.git"

# Formats, colour.
for f in table json sarif cyclonedx markdown html; do
	expect_exit 0 a "$R" --format "$f" --fail-on none
done
out=$(a "$R" --fail-on none)
case $out in *$'\033'*) fail "colour in piped output" ;; *) pass ;; esac
out=$("$TG" --color=always --db "$DB" audit --python-version 3.11 "$R" --fail-on none)
case $out in *$'\033['*) pass ;; *) fail "no colour with --color=always" ;; esac

# -o: written atomically; a failed run leaves the old report alone.
O=$TG_TMP/reports
mkdir "$O"
expect_exit 0 a "$R" --fail-on none --format html -o "$O/report.html"
grep -q "<!DOCTYPE html>" "$O/report.html" && pass || fail "html report not written"
cp "$O/report.html" "$TG_TMP/before.html"
printf 'django==\x00\n' > "$TG_TMP/requirements-nul.txt"
expect_exit 3 a "$TG_TMP/requirements-nul.txt" --format html -o "$O/report.html"
cmp -s "$O/report.html" "$TG_TMP/before.html" && pass || fail "report changed by a failed run"
expect_eq 1 "$(ls "$O" | wc -l)" "no temporary files left beside the report"
expect_exit 3 a "$R" -o "$TG_TMP/no/such/dir/report.json"

# Database missing: exit 4.
expect_exit 4 "$TG" --db "$TG_TMP/none.db" audit "$R"

# Bad inputs.
B=$TG_TMP/bad
mkdir "$B"
head -c 400 "$TG_SOURCE_DIR/tests/data/inputs/npm/app-v3/package-lock.json" > "$B/package-lock.json"
expect_exit 3 a "$B/package-lock.json"
expect_err_contains "package-lock.json:" a "$B/package-lock.json"
printf 'django==3.2\nflask[async==2.0\n' > "$B/requirements.txt"
expect_exit 3 a "$B/requirements.txt"
expect_err_contains "requirements.txt:2:" a "$B/requirements.txt"
/usr/bin/python3 -c 'import sys; sys.stdout.write("six==1.16.0  # " + "x" * 10_000_000 + "\n")' \
	> "$B/requirements-long.txt"
expect_exit 3 a "$B/requirements-long.txt"
expect_err_contains "requirements-long.txt:1:" a "$B/requirements-long.txt"
head -c 65536 /dev/urandom > "$B/requirements-bin.txt"
expect_exit 3 a "$B/requirements-bin.txt"
expect_err_contains "requirements-bin.txt:" a "$B/requirements-bin.txt"
printf '\x89PNG\r\n\x1a\n\x00\x00garbage' > "$B/uv.lock"
expect_exit 3 a "$B/uv.lock"
# An include chain 100,000 files deep: refused at the depth cap.
mkdir "$B/chain"
/usr/bin/python3 - "$B/chain" <<'PY'
import os, sys
d = sys.argv[1]
for i in range(100000):
    fd = os.open(os.path.join(d, "requirements-%d.txt" % i), os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(fd, b"-r requirements-%d.txt\nsix==1.16.0\n" % (i + 1))
    os.close(fd)
PY
expect_exit 3 a "$B/chain/requirements-0.txt"
expect_err_contains "nested deeper than" a "$B/chain/requirements-0.txt"
rm -rf "$B/chain"
printf -- '-r requirements-loop.txt\n' > "$B/requirements-loop.txt"
expect_exit 3 a "$B/requirements-loop.txt"
expect_err_contains "cycle" a "$B/requirements-loop.txt"
finish
