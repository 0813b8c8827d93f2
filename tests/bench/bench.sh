#!/usr/bin/env bash
# `make bench`: the stack of `make run` in a throw-away directory with the
# benchmark data set (tests/bench/data.sql: +100,000 contacts, 1,000,000
# calls), driven by wrk over loopback. Prints requests/s and p99 per case
# and the ratio to a ceiling: tests/bench/ceiling.c, one prepared
# point-select and a fixed body, served by the same lighttpd the same way.
# A benchmark, never a test: nothing here passes or fails on speed.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
STACK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mariapi-bench.XXXXXX")
API_FCGI=$ROOT/cgi-bin/api.fcgi
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
. "$ROOT/tests/helpers/stack.sh"

cleanup() { stack_stop; rm -rf "$STACK_DIR"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

stack_paths
stack_db_start || exit 1
echo "Loading the benchmark data set..."
t0=$(date +%s)
stack_mysql mariapi < "$ROOT/tests/bench/data.sql" || exit 1
echo "  loaded in $(( $(date +%s) - t0 )) s: $(stack_mysql -N mariapi -e 'SELECT COUNT(*) FROM contacts') contacts, $(stack_mysql -N mariapi -e 'SELECT COUNT(*) FROM calls') calls"

HTTP_PORT=$(stack_free_port)
HTTP_PORT_AUTO=1
STACK_EXTRA_CONF="fastcgi.server += (\"/ceiling\" => ((
	\"bin-path\" => \"$ROOT/build/ceiling.fcgi\",
	\"socket\" => \"$STACK_DIR/run/ceiling.sock\",
	\"check-local\" => \"disable\",
	\"max-procs\" => 2,
	\"bin-environment\" => (\"API_DB_SOCKET\" => \"$DB_SOCKET\",
	                      \"API_DB_PASSWORD\" => \"$(cat "$STACK_DIR/db.password")\"),
)))"
export STACK_EXTRA_CONF
stack_web_start || exit 1
export API_CONFIG THREADS
KEY=$("$ROOT/build/apictl" apikey admin | tail -1)
HEADERS="$STACK_DIR/headers.txt"
export HEADERS

# run NAME PATH: one wrk run with single-use WSSE headers (as BENCH_USER
# with BENCH_KEY, default admin), or BEARER; METHOD and BODY for writes (see
# wsse.lua); sets RPS.
run() {
	local name=$1 path=$2 out
	"$ROOT/build/apictl" wsse "${BENCH_USER:-admin}" "${BENCH_KEY:-$KEY}" \
		--count "${HEADER_COUNT:-300000}" > "$HEADERS"
	out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency \
		-s "$ROOT/tests/bench/wsse.lua" "http://127.0.0.1:$HTTP_PORT$path")
	RPS=$(awk '/Requests\/sec/ {print $2}' <<< "$out")
	local p99 bad
	p99=$(awk '$1 == "99%" {print $2}' <<< "$out")
	bad=$(awk '/non-2xx or errors/ {print $NF}' <<< "$out")
	printf '%-34s %10s req/s  p99 %8s  errors %s' "$name" "$RPS" "$p99" "$bad"
	if [ -n "${CEILING:-}" ]; then
		awk -v a="$RPS" -v c="$CEILING" 'BEGIN { printf "  %5.1f %% of ceiling", 100 * a / c }'
	fi
	echo
}

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION over loopback; 2 FastCGI processes each"
run "ceiling (point-select, fixed body)" "/ceiling?1"
CEILING=$RPS
run "GET one contact" "/api/contacts/1"
run "GET one user" "/api/users/1"
BEARER=$("$ROOT/build/apictl" client add admin | awk '/client_id/ {id=$2} /client_secret/ {s=$2} END {print id, s}' |
	{ read -r cid secret; curl -s -d grant_type=client_credentials -d client_id="$cid" \
		-d client_secret="$secret" "http://127.0.0.1:$HTTP_PORT/oauth2-token"; } | jq -r .access_token)
BEARER=$BEARER run "GET one contact, bearer token" "/api/contacts/1"
SALES_KEY=$("$ROOT/build/apictl" apikey sales | tail -1)
BENCH_USER=sales BENCH_KEY=$SALES_KEY run "GET own contact as sales (user level)" \
	"/api/contacts/$(stack_mysql -N mariapi -e "SELECT MIN(c.id) FROM contacts c JOIN users u ON u.id = c.owner_id WHERE u.username = 'sales'")"
BENCH_USER=sales BENCH_KEY=$SALES_KEY run "10 contacts as sales (user level)" "/api/contacts"
run "10 contacts as admin" "/api/contacts"
METHOD=POST BODY='{"data":{"type":"contacts","attributes":{"firstName":"Bench","lastName":"Post %d","email":"b%d@example.com"}}}' \
	run "POST /api/contacts" "/api/contacts"
METHOD=PATCH BODY='{"data":{"type":"contacts","id":"2","attributes":{"jobTitle":"Job %d"}}}' \
	run "PATCH /api/contacts/2" "/api/contacts/2"
run "10 contacts, include=owner,accounts" "/api/contacts?include=owner,accounts"
run "starts_with=Smith + sort=-createdAt" \
	"/api/contacts?filter%5BlastName%5D%5Bstarts_with%5D=Smith&sort=-createdAt"
run "starts_with=Smith-1 (rare) + sort" \
	"/api/contacts?filter%5BlastName%5D%5Bstarts_with%5D=Smith-1&sort=-createdAt"
run "filter at 1M rows (calls, indexed)" \
	"/api/calls?filter%5BcallDateTime%5D%5Bgt%5D=2025-01-01&sort=-callDateTime"

echo "page[size]=-1 over all calls of organization 1:"
t0=$(date +%s.%N)
bytes=$(curl -s -o /dev/null -w '%{size_download}' -H 'Accept: application/vnd.api+json' \
	-H "$("$ROOT/build/apictl" wsse admin "$KEY")" \
	"http://127.0.0.1:$HTTP_PORT/api/calls?page%5Bsize%5D=-1")
t1=$(date +%s.%N)
peak=0
for pid in $(pgrep -f "^$API_FCGI"); do
	kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
	[ "${kb:-0}" -gt "$peak" ] && peak=$kb
done
awk -v b="$bytes" -v s="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" -v p="$peak" \
	'BEGIN { printf "  %.1f MB in %.1f s; peak RSS of the FastCGI processes: %.1f MiB\n", b / 1e6, s, p / 1024 }'
