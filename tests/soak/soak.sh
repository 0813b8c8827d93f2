#!/usr/bin/env bash
# `make soak`: faults under load for minutes, with figures (issue 11). On
# a throw-away stack like `make test`'s (tests/helpers/stack.sh):
#  1. chaos: SOAK_CONNECTIONS (64) connections of mixed load
#     (tests/helpers/load.py) for SOAK_SECONDS (60), during which MariaDB
#     goes down SOAK_RESTARTS (3) times and comes back: a clean shutdown,
#     then a SIGKILL, alternately;
#  2. SOAK_REQUESTS (100,000) mixed requests through one FastCGI process,
#     its VmRSS read after the first 1,000 (warm-up) and every 10,000.
# Invariants (exit 1 when one breaks): no FastCGI process dies or logs a
# crash; every request is answered 200, 201 or the service's own 503
# (JSON:API error with Retry-After), never reset, never past the client
# timeout (10 s); every request sent once MariaDB answers again is served;
# every 201 is in the table (no lost commit); in part 2 every request is
# served and RSS grows by less than SOAK_RSS_LIMIT KiB (1024) after the
# warm-up (not checked under AddressSanitizer). Prints requests, statuses,
# p50/p99 latency and RSS. Nothing here is part of `make test`.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
STACK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mariapi-soak.XXXXXX")
HTTP_PORT=
API_FCGI=${API_FCGI:-$ROOT/cgi-bin/api.fcgi}
API_APICTL=${API_APICTL:-$ROOT/build/apictl}
SOAK_SECONDS=${SOAK_SECONDS:-60}
SOAK_RESTARTS=${SOAK_RESTARTS:-3}
SOAK_CONNECTIONS=${SOAK_CONNECTIONS:-64}
SOAK_REQUESTS=${SOAK_REQUESTS:-100000}
SOAK_RSS_LIMIT=${SOAK_RSS_LIMIT:-1024}
WARMUP=1000
CHUNK=10000
TIMEOUT=10
. "$ROOT/tests/helpers/stack.sh"
ONE_DIR=$STACK_DIR/one
LOAD_PID=

cleanup() {
	[ -z "$LOAD_PID" ] || kill "$LOAD_PID" 2>/dev/null
	[ ! -f "$ONE_DIR/pid" ] || kill "$(cat "$ONE_DIR/pid")" 2>/dev/null
	stack_stop
	[ "${KEEP_STACK:-0}" = 1 ] || rm -rf "$STACK_DIR"
	case "${DB_SOCKET:-}" in /tmp/mariapi-db.*) rm -f "$DB_SOCKET" ;; esac
}
trap cleanup EXIT
trap 'exit 130' INT TERM

failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
now() { date +%s.%N; }
load() { python3 "$ROOT/tests/helpers/load.py" --key "$KEY" --timeout "$TIMEOUT" "$@"; }
fcgi_pids() { pgrep -P "$1" -f api.fcgi | sort -n | tr '\n' ' '; }
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
CRASH_RE='child (died|exited|signalled)|process died|AddressSanitizer|LeakSanitizer|runtime error:'
# lines STATUS-AWK-CONDITION FILE: the count of lines matching it.
count() { awk -F'\t' "$1" "$2" | wc -l; }

# A MariaDB crash: SIGKILL, then wait for the process to be gone.
db_kill() {
	local pid
	pid=$(cat "$STACK_DIR/run/mysqld.pid" 2>/dev/null) || return 1
	kill -KILL "$pid"
	for _ in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	return 1
}

soak_start=$SECONDS
stack_paths
stack_db_start || exit 1
HTTP_PORT=$(stack_free_port)
HTTP_PORT_AUTO=1
stack_web_start || exit 1
export API_CONFIG
KEY=$("$API_APICTL" apikey admin | tail -1) || exit 1
API_URL="http://127.0.0.1:$HTTP_PORT"
TAG="Soak-$(date +%s)-$$"
echo "soak: stack in $STACK_DIR, $API_FCGI"

# 1. Chaos.
log=$STACK_DIR/log/lighttpd-error.log
out=$STACK_DIR/chaos.tsv
pids_before=$(fcgi_pids "$WEB_PID")
lines_before=$(wc -l < "$log")
echo "soak: chaos, $SOAK_CONNECTIONS connections for $SOAK_SECONDS s, MariaDB down $SOAK_RESTARTS times"
load --url "$API_URL" --connections "$SOAK_CONNECTIONS" --duration "$SOAK_SECONDS" --tag "$TAG" \
	--out "$out" > "$STACK_DIR/chaos.summary" &
LOAD_PID=$!
t0=$(now)
interval=$(awk -v s="$SOAK_SECONDS" -v n="$SOAK_RESTARTS" 'BEGIN { print s / (n + 1) }')
downs=() ups=()
for k in $(seq 1 "$SOAK_RESTARTS"); do
	# Sleep until t0 + k * interval, and at least 3 s after the last restart.
	sleep "$(awk -v t0="$t0" -v k="$k" -v i="$interval" -v n="$(now)" -v u="${ups[*]: -1}" \
		'BEGIN { d = t0 + k * i - n; if (u != "" && u + 3 - n > d) d = u + 3 - n; print (d > 0 ? d : 0) }')"
	d=$(now)
	if [ $((k % 2)) -eq 1 ]; then
		how="clean shutdown"
		stack_db_stop
		[ ! -S "$DB_SOCKET" ] || fail "restart $k: MariaDB did not shut down"
	else
		how="SIGKILL"
		db_kill || fail "restart $k: MariaDB survived SIGKILL"
	fi
	sleep 1
	stack_db_start >/dev/null || { fail "restart $k: MariaDB did not start"; break; }
	u=$(now)
	downs+=("$d")
	ups+=("$u")
	printf 'soak:   restart %d (%s) at +%.1f s, answering again %.1f s later\n' "$k" "$how" \
		"$(awk -v a="$d" -v b="$t0" 'BEGIN { print a - b }')" \
		"$(awk -v a="$u" -v b="$d" 'BEGIN { print a - b }')"
done
wait "$LOAD_PID" || fail "the load generator failed"
LOAD_PID=
echo "soak:   $(cat "$STACK_DIR/chaos.summary")"

pids_after=$(fcgi_pids "$WEB_PID")
[ "$pids_after" = "$pids_before" ] ||
	fail "FastCGI processes changed: before $pids_before, after $pids_after"
crashes=$(tail -n +"$((lines_before + 1))" "$log" | grep -E "$CRASH_RE")
[ -z "$crashes" ] || fail "crash lines in lighttpd's log: $(head -5 <<< "$crashes")"
total=$(wc -l < "$out")
[ "$total" -gt 0 ] || fail "no request was made"
other=$(awk -F'\t' '$3 != 200 && $3 != 201 && $3 != 503' "$out")
[ -z "$other" ] || fail "$(wc -l <<< "$other") answers other than 200/201/503, e.g. $(head -3 <<< "$other")"
bad503=$(awk -F'\t' '$3 == 503 && $7 != "json+retry"' "$out")
[ -z "$bad503" ] || fail "503s not from the service: $(head -3 <<< "$bad503")"
bad2xx=$(awk -F'\t' '$3 == 200 && $7 != "-" || $3 == 201 && ($7 != "-" || $5 !~ /^[0-9]+$/)' "$out")
[ -z "$bad2xx" ] || fail "200s that are no document or 201s without matching id and Location: $(head -3 <<< "$bad2xx")"
for i in "${!ups[@]}"; do
	# Sent once MariaDB answered, and answered before it went down again.
	next=${downs[$((i + 1))]:-9999999999}
	served=$(count "\$1 >= ${ups[$i]} && \$1 + \$4 / 1000 < $next && (\$3 == 200 || \$3 == 201)" "$out")
	unserved=$(awk -F'\t' -v a="${ups[$i]}" -v b="$next" \
		'$1 >= a && $1 + $4 / 1000 < b && $3 != 200 && $3 != 201' "$out")
	echo "soak:   after restart $((i + 1)): $served requests served before the next fault"
	[ "$served" -gt 0 ] || fail "no request after restart $((i + 1))"
	[ -z "$unserved" ] ||
		fail "after restart $((i + 1)), $(wc -l <<< "$unserved") not served, e.g. $(head -3 <<< "$unserved")"
done
awk -F'\t' '$3 == 201 { print $5 "\t" $6 }' "$out" | sort > "$STACK_DIR/created"
stack_mysql -N -B mariapi -e "SELECT id, last_name FROM contacts WHERE last_name LIKE '$TAG-%'" |
	sort > "$STACK_DIR/stored"
lost=$(comm -23 "$STACK_DIR/created" "$STACK_DIR/stored")
[ -z "$lost" ] || fail "$(wc -l <<< "$lost") contacts answered 201 but not stored: $(head -3 <<< "$lost")"
# A 503 on a POST may come after its COMMIT was sent (the connection died
# before the answer): such a contact exists; counted, never a failure.
awk -F'\t' '$2 == "POST" && $3 == 503 { print $6 }' "$out" | sort > "$STACK_DIR/posts503"
ambiguous=$(cut -f2 "$STACK_DIR/stored" | sort | comm -12 - "$STACK_DIR/posts503" | wc -l)
echo "soak:   POSTs: $(count '$3 == 201' "$out") answered 201, $([ -z "$lost" ] && echo "all" || echo "NOT all") in the table;" \
	"$(wc -l < "$STACK_DIR/posts503") answered 503, of which $ambiguous in the table anyway" \
	"($(wc -l < "$STACK_DIR/stored") contacts of this run stored)"
echo "soak:   503s: $(count '$3 == 503' "$out") of $total; FastCGI pids $pids_before unchanged: $([ "$pids_after" = "$pids_before" ] && echo yes || echo no)"

# 2. One FastCGI process, SOAK_REQUESTS requests, RSS.
echo "soak: $SOAK_REQUESTS mixed requests through one FastCGI process (8 connections)"
stack_one_process "$ONE_DIR" "$API_FCGI" "\"API_CONFIG\" => \"$API_CONFIG\"" || { fail "no one-process lighttpd"; exit 1; }
out1=$STACK_DIR/one.tsv
one_url="http://127.0.0.1:$ONE_PORT"
done_n=0 pid= rss_warm= rss_line=
while [ "$done_n" -lt "$SOAK_REQUESTS" ]; do
	if [ "$done_n" -eq 0 ]; then n=$WARMUP; else n=$((CHUNK - done_n % CHUNK)); fi
	[ $((done_n + n)) -le "$SOAK_REQUESTS" ] || n=$((SOAK_REQUESTS - done_n))
	load --url "$one_url" --connections 8 --requests "$n" --tag "$TAG-one" --out "$out1" --quiet ||
		{ fail "the load generator failed"; break; }
	done_n=$((done_n + n))
	if [ -z "$pid" ]; then
		pid=$(fcgi_pids "$(cat "$ONE_DIR/pid")")
		pid=${pid% }
		rss_warm=$(rss "$pid")
	fi
	r=$(rss "$pid" 2>/dev/null) || { fail "FastCGI process $pid is gone after $done_n requests"; break; }
	rss_line+=" $done_n:${r}"
done
rss_end=$(rss "$pid" 2>/dev/null)
hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
echo "soak:   $(python3 "$ROOT/tests/helpers/load.py" --summarize "$out1")"
echo "soak:   VmRSS kB after N requests:$rss_line (peak $hwm kB)"
[ "$(fcgi_pids "$(cat "$ONE_DIR/pid")")" = "$pid " ] || fail "the FastCGI process was replaced"
[ "$(wc -l < "$out1")" -eq "$SOAK_REQUESTS" ] || fail "$(wc -l < "$out1") requests made, not $SOAK_REQUESTS"
other=$(awk -F'\t' '$3 != 200 && $3 != 201 || $7 != "-"' "$out1")
[ -z "$other" ] || fail "$(wc -l <<< "$other") answers other than 200/201, e.g. $(head -3 <<< "$other")"
crashes=$(grep -E "$CRASH_RE" "$ONE_DIR/error.log")
[ -z "$crashes" ] || fail "crash lines in the one-process log: $(head -5 <<< "$crashes")"
if [ -n "$rss_end" ] && [ -n "$rss_warm" ]; then
	growth=$((rss_end - rss_warm))
	echo "soak:   RSS growth after the $WARMUP-request warm-up: $growth KiB (limit $SOAK_RSS_LIMIT)"
	if ldd "$API_FCGI" | grep -q libasan; then
		echo "soak:   (AddressSanitizer build: RSS growth not checked)"
	elif [ "$growth" -ge "$SOAK_RSS_LIMIT" ]; then
		fail "RSS grew by $growth KiB"
	fi
fi

echo "soak: took $((SECONDS - soak_start)) s"
if [ "$failures" -eq 0 ]; then
	echo "soak: OK"
else
	echo "soak: $failures invariant(s) broken"
	exit 1
fi
