#!/bin/bash
# --help, the man page and the README usage section come from one source
# (the command table); this fails when docs/ or README.md were not
# regenerated with `make docs` after a change.
source "$(dirname "$0")/lib.bash"

"$TG_BIN" help --man > "$TG_TMP/man"
if diff -u "$TG_SOURCE_DIR/docs/tollgate.1" "$TG_TMP/man" >&2; then pass; else
	fail "docs/tollgate.1 is stale: run 'make docs'"; fi

cp "$TG_SOURCE_DIR/README.md" "$TG_TMP/README.md"
bash "$TG_SOURCE_DIR/scripts/update-readme-usage.sh" "$TG_BIN" "$TG_TMP/README.md"
if diff -u "$TG_SOURCE_DIR/README.md" "$TG_TMP/README.md" >&2; then pass; else
	fail "README.md usage section is stale: run 'make docs'"; fi

# Every visible command in the overview has a section in the man page.
for c in $("$TG_BIN" --help | awk '/^Commands:/{f=1;next} /^$/{f=0} f{print $1}'); do
	if grep -q "^\.SS $c\$" "$TG_TMP/man"; then pass; else fail "man page lacks $c"; fi
done
finish
