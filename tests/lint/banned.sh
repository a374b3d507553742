#!/bin/bash
# Fails when project C code calls a libc function that is easy to misuse
# (unbounded copies, static state, silent parse failures). Use the tg_*
# helpers in include/tollgate/str.h and buf.h instead.
set -u
cd "${TG_SOURCE_DIR:-.}"
banned='strcpy|strcat|sprintf|vsprintf|strtok|strtok_r|gets|atoi|atol|atoll|atof|strncpy|strncat|tmpnam|mktemp|asctime|ctime|gmtime|localtime|rand'
hits=$(grep -rnE --include='*.c' --include='*.h' "(^|[^_a-zA-Z0-9.>])($banned)[[:space:]]*\(" lib src include tools tests/unit tests/fuzz 2>/dev/null \
	| grep -vE '^[^:]+:[0-9]+:[[:space:]]*(\*|//|/\*)' || true)
if [ -n "$hits" ]; then
	echo "banned functions used (see tests/lint/banned.sh for the list and why):"
	echo "$hits"
	echo "0 passed, 1 failed"
	exit 1
fi
echo "banned-function check: $(find lib src include tools -name '*.[ch]' | wc -l) files clean"
echo "1 passed, 0 failed"
