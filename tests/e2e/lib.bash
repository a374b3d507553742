# Helpers for e2e shell tests. Each expect_* counts one check; finish prints
# the "N passed, M failed" line and sets the exit status.
set -u
: "${TG_BIN:?TG_BIN must point at the tollgate binary}"
: "${TG_SOURCE_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
TG_PASS=0
TG_FAIL=0
TG_TMP=$(mktemp -d)
trap 'rm -rf "$TG_TMP"' EXIT

pass() { TG_PASS=$((TG_PASS + 1)); }
fail() { TG_FAIL=$((TG_FAIL + 1)); echo "FAIL: $*" >&2; }

# expect_exit CODE CMD...: run CMD, compare its exit status.
expect_exit() {
	local want=$1; shift
	"$@" >"$TG_TMP/out" 2>"$TG_TMP/err"
	local got=$?
	if [ "$got" -eq "$want" ]; then pass; else
		fail "exit $got, wanted $want: $*"; sed 's/^/  stderr: /' "$TG_TMP/err" | head -5 >&2
	fi
}
# expect_out_contains TEXT CMD...: stdout contains TEXT (fixed string).
expect_out_contains() {
	local want=$1; shift
	"$@" >"$TG_TMP/out" 2>"$TG_TMP/err"
	if grep -qF -- "$want" "$TG_TMP/out"; then pass; else
		fail "stdout lacks '$want': $*"; head -5 "$TG_TMP/out" >&2
	fi
}
expect_err_contains() {
	local want=$1; shift
	"$@" >"$TG_TMP/out" 2>"$TG_TMP/err"
	if grep -qF -- "$want" "$TG_TMP/err"; then pass; else
		fail "stderr lacks '$want': $*"; head -5 "$TG_TMP/err" >&2
	fi
}
# expect_eq WANT GOT LABEL
expect_eq() {
	if [ "$1" == "$2" ]; then pass; else fail "$3: wanted '$1', got '$2'"; fi
}
finish() {
	echo "$TG_PASS passed, $TG_FAIL failed"
	[ "$TG_FAIL" -eq 0 ]
}
