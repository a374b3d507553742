#!/bin/bash
# The hidden `tollgate pep440` command: answers, exit codes, messages,
# batch mode (one answer per line, errors reported in place, exit 3 at the
# end), and that it stays out of the overview.
source "$(dirname "$0")/lib.bash"

t() { "$TG_BIN" pep440 "$@"; }

expect_eq "<" "$(t compare 1.0.dev0 1.0a1)" "dev sorts before alpha"
expect_eq "=" "$(t compare 1.0 1.0.0.0)" "implicit zeros"
expect_eq ">" "$(t compare 18446744073709551616 18446744073709551615)" "beyond 2^64"
expect_eq "1.0rc1" "$(t normalize ' V1.0-RC1 ')" "normalize"
expect_eq "1!2.0.post0+ubuntu.1" "$(t normalize '1!2.0-r+Ubuntu_1')" "normalize epoch/post/local"
expect_eq "false" "$(t contains '>=1.0' 2.0b1)" "pre-release excluded by default"
expect_eq "true" "$(t contains '>=1.0' 2.0b1 --pre)" "--pre"
expect_eq "true" "$(t contains '>=1.0b1' 2.0b1)" "spec naming a pre-release"
expect_eq "false" "$(t contains '>=1.0b1' 2.0b1 --no-pre)" "--no-pre"
expect_eq "true" "$(t contains '===Foo' foo)" "arbitrary equality"
expect_eq "!=2.0,<3,>=1.0" "$(t spec '>=1.0 , <3,, != 2.0')" "canonical set"
expect_eq "$(printf '1.3\n2.0')" "$(t filter '>=1.2' 1.1 1.3 1.5a1 2.0)" "filter"

expect_exit 3 t normalize 1..0
expect_err_contains "unexpected '.' at column 2" t normalize 1..0
expect_exit 3 t contains '~=1' 1.0
expect_err_contains "'~=' needs at least two release numbers" t contains '~=1' 1.0
expect_exit 3 t contains '>=1.0' 'not a version'
expect_exit 3 t compare 1.0 "$(printf '1%.0s' $(seq 300))"
expect_err_contains "256-byte limit" t compare 1.0 "$(printf '1%.0s' $(seq 300))"
expect_exit 2 t compare 1.0
expect_exit 2 t frobnicate 1.0
expect_exit 2 t normalize 1.0 --pre
expect_exit 0 t compare -- 1.0 2.0

# batch mode
printf '1.0\t1.0.0\n1.0a1\t1.0\nbad\t1.0\n2.0\t1.0\n' | t compare - >"$TG_TMP/b.out" 2>"$TG_TMP/b.err"
expect_eq 3 "$?" "batch exit status with an invalid case"
expect_eq "$(printf '=\n<\nerror: line 3: invalid version '"'bad'"': expected a digit at column 1\n>')" \
	"$(cat "$TG_TMP/b.out")" "batch answers"
printf '>=1.0\t2.0b1\n>=1.0\t2.0b1\tpre\n>=1.0b1\t2.0b1\tnopre\n>=1.0\t2.0b1\tmaybe\n' \
	| t contains - >"$TG_TMP/c.out" 2>/dev/null
expect_eq "$(printf 'false\ntrue\nfalse\nerror: line 4: mode must be '"'pre', 'nopre' or 'auto', not 'maybe'"'')" \
	"$(cat "$TG_TMP/c.out")" "batch contains modes"
printf '>=1.2\t\t1.1\t1.3\t1.5a1\n>=1.2\t\t1.5a1\n<1\tnopre\t2\n' | t filter - >"$TG_TMP/f.out"
expect_eq 0 "$?" "batch filter exit"
expect_eq "$(printf '1.3\n1.5a1\n')" "$(cat "$TG_TMP/f.out")" "batch filter answers"
seq 1 3000 | sed 's/^/1./' | t normalize - >"$TG_TMP/n.out"
expect_eq 3000 "$(wc -l <"$TG_TMP/n.out")" "3000 cases in one process"
head -c 70000 /dev/zero | tr '\0' 1 | t normalize - >"$TG_TMP/l.out" 2>/dev/null
expect_eq 3 "$?" "over-long batch line"
expect_out_contains "longer than 65536 bytes" cat "$TG_TMP/l.out"

# hidden from the overview, but with full help
"$TG_BIN" --help >"$TG_TMP/o" 2>&1
if grep -q pep440 "$TG_TMP/o"; then fail "pep440 listed in the overview"; else pass; fi
expect_out_contains "Batch mode" "$TG_BIN" help pep440
finish
