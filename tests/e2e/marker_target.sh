#!/bin/bash
# The default marker target is the python3 on PATH, asked once, when the
# first marker is evaluated: an input without markers never starts it,
# and --python-version / --platform replace it.
source "$(dirname "$0")/lib.bash"
TG=$TG_BIN

# A python3 that reports Python 3.7 on Windows and logs each start.
mkdir -p "$TG_TMP/bin"
LOG=$TG_TMP/python3.log
cat > "$TG_TMP/bin/python3" <<PY
#!/bin/sh
echo started >> "$LOG"
echo '{"path": [], "version": "3.7.9", "platform": "win32", "machine": "AMD64"}'
PY
chmod +x "$TG_TMP/bin/python3"
export PATH="$TG_TMP/bin:$PATH"

cat > "$TG_TMP/requirements.txt" <<'REQ'
requests==2.31.0
idna==3.7
REQ
cat > "$TG_TMP/requirements-markers.txt" <<'REQ'
requests==2.31.0
pywin32==306 ; sys_platform == "win32"
importlib-metadata==6.0.0 ; python_version < "3.8"
REQ

expect_out_contains '"name": "idna"' "$TG" inventory "$TG_TMP/requirements.txt" --format json
expect_eq "no" "$([ -e "$LOG" ] && echo yes || echo no)" "python3 started for an input without markers"

# Both markers hold for the reported target; python3 started once.
expect_out_contains '"name": "pywin32"' "$TG" inventory "$TG_TMP/requirements-markers.txt" --format json
expect_eq 1 "$(wc -l < "$LOG")" "python3 starts for two markers"
expect_out_contains '"name": "importlib-metadata"' "$TG" inventory \
	"$TG_TMP/requirements-markers.txt" --format json

# A given target is used as is: neither marker holds, python3 not started.
rm -f "$LOG"
"$TG" inventory "$TG_TMP/requirements-markers.txt" --format json --python-version 3.12 \
	--platform linux > "$TG_TMP/given.json"
expect_eq 0 "$(grep -c -e pywin32 -e importlib-metadata "$TG_TMP/given.json")" \
	"entries whose markers are false for 3.12 on linux"
expect_eq "no" "$([ -e "$LOG" ] && echo yes || echo no)" "python3 started with the target given"

finish
