#!/bin/bash
# The CLI skeleton: help, version, unknown commands and options, exit codes.
source "$(dirname "$0")/lib.bash"

expect_exit 0 "$TG_BIN" --help
expect_out_contains "Exit codes:" "$TG_BIN" --help
expect_exit 0 "$TG_BIN" --version
expect_out_contains "tollgate 0." "$TG_BIN" --version
expect_exit 0 "$TG_BIN" help version
expect_exit 0 "$TG_BIN" version --help
expect_exit 2 "$TG_BIN"
expect_exit 2 "$TG_BIN" no-such-command
expect_err_contains "'no-such-command' is not a tollgate command" "$TG_BIN" no-such-command
expect_exit 2 "$TG_BIN" --no-such-option
expect_err_contains "unknown option '--no-such-option'" "$TG_BIN" --no-such-option
expect_exit 2 "$TG_BIN" help no-such-command
expect_exit 2 "$TG_BIN" --color=sometimes version
expect_exit 2 "$TG_BIN" version extra-arg
# Writing to a closed/full stdout is an error, not a silent success.
if [ -e /dev/full ]; then
	expect_exit 3 sh -c '"$0" --help > /dev/full' "$TG_BIN"
fi
finish
