#!/bin/bash
# The heavy libraries are opened on first use (lib/lazy/lazy.h): the
# executable does not depend on them, a command that does not need them
# runs when they cannot be loaded, and a command that needs one that
# cannot be loaded names it and exits 3 without touching the database.
source "$(dirname "$0")/lib.bash"
TG=$TG_BIN
if readelf -d "$TG" | grep -q 'NEEDED.*libcurl'; then
	echo "built with -DTG_LAZY_LOAD=OFF: the libraries are linked, nothing to check here"
	exit 0
fi

needed=$(readelf -d "$TG" | grep NEEDED)
for lib in libcurl libmicrohttpd libarchive libyara libxml2 libcrypto; do
	case $needed in
	*"$lib"*) fail "the executable links $lib" ;;
	*) pass ;;
	esac
done

# The SONAMEs the build will open, as recorded in the binary.
mapfile -t sonames < <(strings "$TG" | grep -E '^lib(curl|microhttpd|archive|yara|xml2|crypto)\.so\.[0-9]+$' | sort -u)
expect_eq 6 "${#sonames[@]}" "SONAMEs recorded in the binary"

# A directory where each of them is a file that is not a library: the
# dynamic loader finds these first and fails to load them.
BOGUS=$TG_TMP/bogus
mkdir -p "$BOGUS"
for s in "${sonames[@]}"; do
	echo "not a shared object" > "$BOGUS/$s"
done
archive=$(printf '%s\n' "${sonames[@]}" | grep '^libarchive')
crypto=$(printf '%s\n' "${sonames[@]}" | grep '^libcrypto')

DB=$TG_TMP/t.db
"$TG" --db "$DB" db update --source "$TG_SOURCE_DIR/data/feeds" --only osv,kev >/dev/null 2>&1 ||
	{ echo "cannot build the test database"; exit 1; }
cat > "$TG_TMP/requirements.txt" <<'REQ'
django==3.2.0
REQ
before=$(sha256sum "$DB")

# audit needs none of them.
expect_exit 1 env LD_LIBRARY_PATH="$BOGUS" "$TG" --db "$DB" audit "$TG_TMP/requirements.txt" \
	--python-version 3.11 --no-config
expect_out_contains "django" env LD_LIBRARY_PATH="$BOGUS" "$TG" --db "$DB" audit \
	"$TG_TMP/requirements.txt" --python-version 3.11 --no-config
expect_exit 0 env LD_LIBRARY_PATH="$BOGUS" "$TG" --help

# Importing the OSV zip needs libarchive: a clear error, exit 3.
expect_exit 3 env LD_LIBRARY_PATH="$BOGUS" "$TG" --db "$DB" db update \
	--source "$TG_SOURCE_DIR/data/feeds" --only osv
expect_err_contains "cannot load $archive" env LD_LIBRARY_PATH="$BOGUS" "$TG" --db "$DB" \
	db update --source "$TG_SOURCE_DIR/data/feeds" --only osv
expect_eq "$before" "$(sha256sum "$DB")" "database untouched by the failed update"
expect_exit 0 "$TG" --db "$DB" db status

# Checking installed files against their RECORD hashes needs libcrypto:
# without it, a clear error and exit 3, never a pass.
SITE=$TG_TMP/site
mkdir -p "$SITE/demo" "$SITE/demo-1.0.dist-info"
echo 'print("hi")' > "$SITE/demo/__init__.py"
printf 'Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n' > "$SITE/demo-1.0.dist-info/METADATA"
{
	printf 'demo/__init__.py,sha256=%s,%s\n' \
		"$(openssl dgst -sha256 -binary "$SITE/demo/__init__.py" | base64 | tr '+/' '-_' | tr -d '=')" \
		"$(stat -c %s "$SITE/demo/__init__.py")"
	printf 'demo-1.0.dist-info/METADATA,,\ndemo-1.0.dist-info/RECORD,,\n'
} > "$SITE/demo-1.0.dist-info/RECORD"
expect_exit 0 "$TG" verify --installed --path "$SITE"
expect_exit 3 env LD_LIBRARY_PATH="$BOGUS" "$TG" verify --installed --path "$SITE"
expect_err_contains "cannot load $crypto (needed for hashing)" env LD_LIBRARY_PATH="$BOGUS" \
	"$TG" verify --installed --path "$SITE"

# With the real libraries the same update works.
expect_exit 0 "$TG" --db "$DB" db update --source "$TG_SOURCE_DIR/data/feeds" --only osv

finish
