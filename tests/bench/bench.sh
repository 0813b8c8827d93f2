#!/usr/bin/env bash
# `make bench`: the stack of `make run` in a throw-away directory with the
# benchmark data set (tests/bench/data.sql: +100,000 contacts, 1,000,000
# calls), driven by wrk over loopback. Prints requests/s and p99 per case
# and the ratio to a ceiling: tests/bench/ceiling.c, one prepared
# point-select and a fixed body, served by the same lighttpd the same way.
# Floors, rows of their own (ceiling.c too, same body): the round trips of
# the WSSE read, POST and PATCH with the least statements, and the
# statements of the reads alone (lib.sh's bench_floor). Then page[size]=-1
# over every call (MB/s, peak RSS of the /api processes), GET one contact
# with 2, 4 and 8 FastCGI processes, and the RSS of one FastCGI process
# after 100,000 requests; last, one Markdown table of it all. A benchmark, never a test: nothing here passes or fails
# on speed. Besides lib.sh's DURATION, CONNECTIONS, THREADS:
#   BENCH_CASES=REGEX  only the cases whose names match (the ceiling always)
#   BENCH_DATA=0       the demo data only, without tests/bench/data.sql
#   BENCH_PROCS="2 4 8"  the /api process counts of the sweep
#   RSS_REQUESTS=100000  the requests before the RSS reading
#   BENCH_DB_REUSE=1   no MariaDB of its own: the running one of DB_SOCKET
#                      and API_CONFIG, with its data (the suite's smoke,
#                      tests/bench.bats, whose cases write nothing but a
#                      client, an API key and a token); implies BENCH_DATA=0
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
STACK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mariapi-bench.XXXXXX")
API_FCGI=${API_FCGI:-$ROOT/cgi-bin/api.fcgi}
BENCH_DATA=${BENCH_DATA:-1}
BENCH_PROCS=${BENCH_PROCS:-2 4 8}
RSS_REQUESTS=${RSS_REQUESTS:-100000}
BENCH_DB_REUSE=${BENCH_DB_REUSE:-0}
HTTP_PORT=
WEB_PID=
. "$ROOT/tests/helpers/stack.sh"
. "$ROOT/tests/bench/lib.sh"

cleanup() {
	stack_web_stop
	if [ "$BENCH_DB_REUSE" != 1 ]; then
		stack_db_stop
		case "${DB_SOCKET:-}" in /tmp/mariapi-db.*) rm -f "$DB_SOCKET" ;; esac
	fi
	rm -rf "$STACK_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$BENCH_DB_REUSE" = 1 ]; then
	: "${DB_SOCKET:?BENCH_DB_REUSE=1 needs DB_SOCKET}" "${API_CONFIG:?BENCH_DB_REUSE=1 needs API_CONFIG}"
	mkdir -p "$STACK_DIR/run" "$STACK_DIR/log" "$STACK_DIR/www"
	awk '$1 == "db.password" { print $3 }' "$API_CONFIG" > "$STACK_DIR/db.password"
	BENCH_DATA=0
else
	stack_paths
	stack_db_start || exit 1
fi
if [ "$BENCH_DATA" = 1 ]; then
	echo "Loading the benchmark data set..."
	t0=$(date +%s)
	stack_mysql mariapi < "$ROOT/tests/bench/data.sql" || exit 1
	echo "  loaded in $(( $(date +%s) - t0 )) s: $(stack_mysql -N mariapi -e 'SELECT COUNT(*) FROM contacts') contacts, $(stack_mysql -N mariapi -e 'SELECT COUNT(*) FROM calls') calls"
else
	echo "BENCH_DATA=0: the data set is not loaded"
fi
bench_web_start || exit 1

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION over loopback; 2 FastCGI processes each"
BENCH_CASES='' bench_run "ceiling (point-select, fixed body)" "/ceiling?1" || exit 1
CEILING=$RPS
bench_run "GET one contact" "/api/contacts/1"
# The floors (ceiling.c): a case's round trips with the least statements.
bench_run "floor: a WSSE read's 2 round trips" "/ceiling?wsse"
bench_run "GET one user" "/api/users/1"
BENCH_BEARER=$("$API_APICTL" client add admin | awk '/client_id/ {id=$2} /client_secret/ {s=$2} END {print id, s}' |
	{ read -r cid secret; curl -s -d grant_type=client_credentials -d client_id="$cid" \
		-d client_secret="$secret" "http://127.0.0.1:$HTTP_PORT/oauth2-token"; } | jq -r .access_token)
if [ -z "$BENCH_BEARER" ] || [ "$BENCH_BEARER" = null ]; then echo "bench: no bearer token" >&2; exit 1; fi
BEARER=$BENCH_BEARER bench_run "GET one contact, bearer token" "/api/contacts/1"
BEARER=$BENCH_BEARER bench_floor "floor: GET one contact's statement" "/api/contacts/1"
SALES_KEY=$("$API_APICTL" apikey sales | tail -1)
BENCH_USER=sales BENCH_KEY=$SALES_KEY bench_run "GET own contact as sales (user level)" \
	"/api/contacts/$(stack_mysql -N mariapi -e "SELECT MIN(c.id) FROM contacts c JOIN users u ON u.id = c.owner_id WHERE u.username = 'sales'")"
BENCH_USER=sales BENCH_KEY=$SALES_KEY bench_run "10 contacts as sales (user level)" "/api/contacts"
bench_run "10 contacts as admin" "/api/contacts"
BEARER=$BENCH_BEARER bench_run "10 contacts, bearer token" "/api/contacts"
BEARER=$BENCH_BEARER bench_floor "floor: 10 contacts' statement" "/api/contacts"
METHOD=POST BODY='{"data":{"type":"contacts","attributes":{"firstName":"Bench","lastName":"Post %d","email":"b%d@example.com"}}}' \
	bench_run "POST /api/contacts" "/api/contacts"
bench_run "floor: a POST's 5 round trips" "/ceiling?post"
# The contacts POST made are the newest and match no list case's filter:
# left in place, a list walking the createdAt index would cross them first,
# and the list cases would measure how many POST managed.
if bench_want "POST /api/contacts" || bench_want "floor: a POST's 5 round trips"; then
	stack_mysql mariapi -e "DELETE FROM contacts WHERE (first_name = 'Bench' AND last_name LIKE 'Post %')
		OR (first_name = 'Floor' AND last_name = 'Post'); ANALYZE TABLE contacts" >/dev/null
fi
METHOD=PATCH BODY='{"data":{"type":"contacts","id":"2","attributes":{"jobTitle":"Job %d"}}}' \
	bench_run "PATCH /api/contacts/2" "/api/contacts/2"
bench_run "floor: a PATCH's 6 round trips" "/ceiling?patch"
bench_run "10 contacts, include=owner,accounts" "/api/contacts?include=owner,accounts"
BEARER=$BENCH_BEARER bench_run "10 contacts, include=owner,accounts, bearer" "/api/contacts?include=owner,accounts"
BEARER=$BENCH_BEARER bench_floor "floor: include=owner,accounts' 3 statements" "/api/contacts?include=owner,accounts"
bench_run "starts_with=Smith + sort=-createdAt" \
	"/api/contacts?filter%5BlastName%5D%5Bstarts_with%5D=Smith&sort=-createdAt"
BEARER=$BENCH_BEARER bench_floor "floor: starts_with=Smith's statement" \
	"/api/contacts?filter%5BlastName%5D%5Bstarts_with%5D=Smith&sort=-createdAt"
bench_run "starts_with=Smith-1 (rare) + sort" \
	"/api/contacts?filter%5BlastName%5D%5Bstarts_with%5D=Smith-1&sort=-createdAt"
BEARER=$BENCH_BEARER bench_floor "floor: starts_with=Smith-1's statement" \
	"/api/contacts?filter%5BlastName%5D%5Bstarts_with%5D=Smith-1&sort=-createdAt"
# No index order serves contains: a bounded walk, then its column's index
# scanned (about 20 matches of 100,000 contacts).
bench_run "contains=-1234 (rare) + sort" \
	"/api/contacts?filter%5BlastName%5D%5Bcontains%5D=-1234&sort=-createdAt"
bench_run "filter at 1M rows (calls, indexed)" \
	"/api/calls?filter%5BcallDateTime%5D%5Bgt%5D=2025-01-01&sort=-callDateTime"

# One request for every call: MB/s, and the peak RSS (VmHWM) of the /api
# processes, one of which served it.
name="page[size]=-1 over all calls"
if bench_want "$name"; then
	calls=$(stack_mysql -N mariapi -e 'SELECT COUNT(*) FROM calls WHERE organization_id = 1')
	read -r bytes secs code < <(curl -s -o /dev/null -w '%{size_download} %{time_total} %{http_code}' \
		-H 'Accept: application/vnd.api+json' -H "$("$API_APICTL" wsse admin "$KEY")" \
		"http://127.0.0.1:$HTTP_PORT/api/calls?page%5Bsize%5D=-1")
	# shellcheck disable=SC2046 # one pid a word
	peak=$(bench_status_kib VmHWM $(bench_pool_pids))
	mbs=$(awk -v b="$bytes" -v s="$secs" 'BEGIN { printf "%.1f", (s > 0 ? b / 1e6 / s : 0) }')
	secs=$(awk -v s="$secs" 'BEGIN { printf "%.2f", s }')
	hwm=$(awk -v k="$peak" 'BEGIN { printf "%.1f", k / 1024 }')
	echo "$name ($calls calls of organization 1): HTTP $code, $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB in $secs s, $mbs MB/s; peak RSS of the /api FastCGI processes: $hwm MiB"
	bench_row "$name" "$mbs MB/s" "${secs}s" - "$([ "$code" = 200 ] && echo 0 || echo "HTTP $code")"
	bench_row "$name: peak RSS (VmHWM)" "$hwm MiB" - - -
fi

# GET one contact with a bearer token through N /api processes (lighttpd
# restarted for each N, all N started at once); a 1 s warm-up first, not
# counted.
for n in $BENCH_PROCS; do
	name="GET one contact, bearer, $n FastCGI processes"
	bench_want "$name" || continue
	bench_web_restart "$n" || continue
	BEARER=$BENCH_BEARER bench_wrk /api/contacts/1 1s >/dev/null
	BEARER=$BENCH_BEARER bench_run "$name" /api/contacts/1
done

# One /api process, RSS_REQUESTS bearer GETs of four kinds in turn (wrk
# runs until at least that many are answered): its VmRSS after a 1 s
# warm-up and at the end. tests/soak/soak.sh reads the same with a mix
# that includes writes and asserts the growth.
name="VmRSS after $RSS_REQUESTS requests, 1 process"
if bench_want "$name" && bench_web_restart 1; then
	export PATHS="/api/contacts/1 /api/users/1 /api/contacts /api/contacts?include=owner,accounts"
	pid=$(bench_pool_pids)
	BEARER=$BENCH_BEARER bench_wrk /api/contacts/1 1s
	done_n=${REQUESTS:-0} errors=${ERRORS:-0} secs=1
	rss_warm=$(bench_status_kib VmRSS "$pid")
	while [ "$done_n" -lt "$RSS_REQUESTS" ] && [ -n "$RPS" ]; do
		# Long enough for what is left at the last rate, 60 s at most.
		d=$(awk -v n=$((RSS_REQUESTS - done_n)) -v r="$RPS" \
			'BEGIN { d = int(n / (r > 1 ? r : 1)) + 1; print (d > 60 ? 60 : d) }')
		BEARER=$BENCH_BEARER bench_wrk /api/contacts/1 "${d}s" || break
		done_n=$((done_n + REQUESTS)) errors=$((errors + ERRORS)) secs=$((secs + d))
	done
	unset PATHS
	rss_end=$(bench_status_kib VmRSS "$pid")
	rps=$(awk -v n="$done_n" -v s="$secs" 'BEGIN { printf "%.2f", n / s }')
	echo "$name: $done_n requests ($rps/s, $errors errors) through pid $pid: VmRSS $rss_warm KiB after the 1 s warm-up, $rss_end KiB at the end"
	bench_row "mixed bearer GETs, 1 process" "$rps req/s" "${P99:--}" "$(bench_pct "$rps")" "$errors"
	bench_row "VmRSS after a 1 s warm-up, 1 process" "$(awk -v k="$rss_warm" 'BEGIN { printf "%.1f", k / 1024 }') MiB" - - -
	bench_row "$name" "$(awk -v k="$rss_end" 'BEGIN { printf "%.1f", k / 1024 }') MiB" - - -
fi

bench_want "replica reads vs primary reads" && "$ROOT/tests/bench/replica.sh"
. "$ROOT/tests/bench/batch.sh"
echo
echo "make bench at $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores;" \
	"wrk -t$THREADS -c$CONNECTIONS -d$DURATION; % of the ceiling's $CEILING req/s (2 processes)"
bench_table
