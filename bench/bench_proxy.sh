#!/bin/bash
# tollgate proxy: requests/s and p50/p99 latency of a cached project page
# (PyPI's real black page, PEP 691 JSON as pip asks for it) at 1, 16 and
# 64 connections with wrk, RSS during the run, and nginx serving the very
# same bytes as a static file in the same run as the ceiling. Then a soak
# of SOAK_SECONDS (default 120) with slow and malformed clients mixed in:
# no crash, flat RSS, every well-formed request answered.
# The proxy runs one HTTP thread: on this 2-CPU box shared with wrk it
# measured a lower p99 than two (fewer preemptions mid-request).
# Targets: >= 50% of nginx's requests/s, p99 < 20 ms at 64 connections,
# RSS < 100 MB.
set -u
: "${TG_BIN:?}" "${TG_SOURCE_DIR:?}"
DUR=${BENCH_SECONDS:-5}
SOAK=${SOAK_SECONDS:-120}
if ! command -v wrk >/dev/null || { ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; }; then
	bash "$TG_SOURCE_DIR/scripts/install-deps.sh" >&2 || true
fi
for tool in wrk nginx; do
	if ! command -v "$tool" >/dev/null && [ ! -x "/usr/sbin/$tool" ]; then
		echo "   $tool missing: run 'make deps' (scripts/deps.txt lists it)"; exit 1
	fi
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
tmp=$(mktemp -d)
chmod 755 "$tmp"  # nginx workers may run as another user
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

mkdir -p "$tmp/up/black" "$tmp/static/simple/black"
cp "$TG_SOURCE_DIR/tests/data/third_party/pep-samples/poetry/pep691-simple-json/black.json" \
	"$tmp/up/black/index.json"
"$TG_BIN" --db "$tmp/db.sqlite" -q db update --source "$TG_SOURCE_DIR/data/feeds" --only osv >/dev/null
PPORT=$(free_port)
cat >"$tmp/tollgate.toml" <<EOF
[proxy]
port = $PPORT
cache-dir = "cache"
page-ttl = 3600
threads = 1
workers = 2
max-connections = 1024
max-connections-per-ip = 0
[[proxy.upstream]]
name = "local"
url = "up"
[policy]
block-vulnerable = "high"
EOF
"$TG_BIN" --db "$tmp/db.sqlite" proxy --config "$tmp/tollgate.toml" 2>"$tmp/proxy.log" &
PPID_=$!
pids+=("$PPID_")
ACCEPT='application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01'
for _ in $(seq 50); do
	curl -sf -o "$tmp/static/simple/black/index.json" -H "Accept: $ACCEPT" \
		"http://127.0.0.1:$PPORT/simple/black/" && break
	sleep 0.1
done
[ -s "$tmp/static/simple/black/index.json" ] || { echo "   proxy did not serve"; cat "$tmp/proxy.log"; exit 1; }
NPORT=$(free_port)
cat >"$tmp/nginx.conf" <<EOF
daemon off;
worker_processes 2;
pid $tmp/nginx.pid;
error_log $tmp/nginx.err;
events { worker_connections 1024; }
http {
	access_log off;
	keepalive_requests 1000000;
	server {
		listen 127.0.0.1:$NPORT;
		root $tmp/static;
		location /simple/ {
			default_type application/vnd.pypi.simple.v1+json;
			index index.json;
		}
	}
}
EOF
"$NGINX" -c "$tmp/nginx.conf" -p "$tmp" 2>"$tmp/nginx.start" &
pids+=("$!")
sleep 0.5
if ! cmp -s <(curl -s "http://127.0.0.1:$NPORT/simple/black/") "$tmp/static/simple/black/index.json"; then
	echo "   nginx did not serve the same bytes"; cat "$tmp/nginx.start" "$tmp/nginx.err"; exit 1
fi
bytes=$(stat -c %s "$tmp/static/simple/black/index.json")
echo "   page: /simple/black/ as PEP 691 JSON, $bytes bytes; ${DUR}s per run; 2 CPUs shared"

rss_max=0
sample_rss() { # background sampler of the proxy's RSS (kB) into a file
	while kill -0 "$PPID_" 2>/dev/null; do
		awk '/VmRSS/ {print $2}' "/proc/$PPID_/status" 2>/dev/null >>"$tmp/rss"
		sleep 0.2
	done
}
sample_rss &
pids+=("$!")

run_wrk() { # url conns -> "rps p50_ms p99_ms errors"
	local t=$(( $2 < 2 ? 1 : 2 ))
	wrk -t"$t" -c"$2" -d"${DUR}s" --latency -H "Accept: $ACCEPT" "$1" >"$tmp/wrk.out" 2>&1
	/usr/bin/python3 - "$tmp/wrk.out" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
def ms(v):
    n, u = re.match(r"([\d.]+)(\w+)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[u]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
p50 = ms(re.search(r"\s50%\s+(\S+)", t).group(1))
p99 = ms(re.search(r"\s99%\s+(\S+)", t).group(1))
err = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", t))
m = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
err += int(m.group(1)) if m else 0
print("%.0f %.3f %.3f %d" % (rps, p50, p99, err))
PY
}

printf '   %-6s %12s %9s %9s %12s %9s %9s %7s\n' conns "tollgate/s" "p50 ms" "p99 ms" "nginx/s" "p50 ms" "p99 ms" ratio
status=0
for c in 1 16 64; do
	read -r trps tp50 tp99 terr < <(run_wrk "http://127.0.0.1:$PPORT/simple/black/" "$c")
	read -r nrps np50 np99 nerr < <(run_wrk "http://127.0.0.1:$NPORT/simple/black/" "$c")
	ratio=$(awk -v a="$trps" -v b="$nrps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	printf '   %-6s %12s %9s %9s %12s %9s %9s %7s\n' "$c" "$trps" "$tp50" "$tp99" "$nrps" "$np50" "$np99" "$ratio"
	[ "$terr" -eq 0 ] || { echo "   tollgate: $terr errors at $c connections"; status=1; }
	if [ "$c" = 64 ]; then
		r64=$ratio
		p99_64=$tp99
	fi
done
rss_max=$(sort -n "$tmp/rss" | tail -1)
echo "   RSS during the runs: max $((rss_max / 1024)) MB"
verdict() { if [ "$1" = 1 ]; then echo "met"; else echo "MISSED"; status=1; fi; }
echo "   target >= 0.50 of nginx at 64 connections: $r64 ($(verdict "$(awk -v r="$r64" 'BEGIN{print (r >= 0.5)}')"))"
echo "   target p99 < 20 ms at 64 connections: $p99_64 ms ($(verdict "$(awk -v p="$p99_64" 'BEGIN{print (p < 20)}')"))"
echo "   target RSS < 100 MB: $((rss_max / 1024)) MB ($(verdict "$(( rss_max < 102400 ? 1 : 0 ))"))"

echo "   soak: ${SOAK}s of keep-alive clients with slow, malformed and hung-up ones mixed in"
/usr/bin/python3 "$TG_SOURCE_DIR/tests/e2e/helpers/proxy_soak.py" "$PPORT" "$PPID_" "$SOAK" \
	/simple/black/ "{\"Accept\": \"$ACCEPT\"}" >"$tmp/soak.json"
/usr/bin/python3 - "$tmp/soak.json" <<'PY' || status=1
import json, sys
s = json.load(open(sys.argv[1]))
r = [x for x in s["rss_kb"] if x > 0]
third = max(1, len(r) // 3)
early, late = max(r[:third]), max(r[-third:])
print("   soak: %d good requests answered, %d failed %s; %d hostile connections; "
      "RSS %d MB early, %d MB late; proxy %s" % (
          s["good"], s["fail"], s["fail_detail"][:3], s["hostile"], early // 1024, late // 1024,
          "alive" if s["alive"] else "DEAD"))
ok = s["alive"] and s["fail"] == 0 and s["good"] > 0 and late - early < 10 * 1024
print("   soak verdict: %s" % ("met" if ok else "MISSED"))
sys.exit(0 if ok else 1)
PY
exit $status
