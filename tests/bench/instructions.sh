#!/usr/bin/env bash
# `make bench-instructions`: what a request costs, counted rather than timed.
# valgrind's callgrind counts the user-space instructions of the FastCGI
# process and of MariaDB over INSTR_N identical requests per case (start-up
# and warm-up left out), on the benchmark data set; tests/bench/ceiling.c
# counted the same way gives each case's ratio. The counts repeat to within
# a fraction of a percent where wrk's rates move 10-20 %, so a change of a
# few percent shows (issue 14). Not counted: the kernel (system calls, the
# network), the web server. A measurement, never a test. Options:
#   INSTR_N=30         requests per case
#   BENCH_CASES=REGEX  only the cases whose names match (the ceiling always)
#   BENCH_DATA=0       the demo data only, without tests/bench/data.sql
#   INSTR_DB=0         the FastCGI side only, on the running MariaDB of
#                      DB_SOCKET and API_CONFIG (the suite's smoke,
#                      tests/bench.bats: it writes an API key and a token)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
STACK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mariapi-instr.XXXXXX")
API_FCGI=${API_FCGI:-$ROOT/cgi-bin/api.fcgi}
API_APICTL=${API_APICTL:-$ROOT/build/apictl}
CLIENT=$ROOT/build/fcgi_client
INSTR_N=${INSTR_N:-30}
INSTR_DB=${INSTR_DB:-1}
BENCH_DATA=${BENCH_DATA:-1}
BENCH_CASES=${BENCH_CASES:-}
. "$ROOT/tests/helpers/stack.sh"

APP_PID=
cleanup() {
	[ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null
	[ "$INSTR_DB" = 1 ] && stack_db_stop
	rm -rf "$STACK_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# spawn-fcgi runs its program without a PATH search.
VALGRIND=$(command -v valgrind) && command -v spawn-fcgi >/dev/null ||
	{ echo "instructions: needs valgrind and spawn-fcgi (make deps)" >&2; exit 1; }

if [ "$INSTR_DB" = 1 ]; then
	stack_paths
	stack_db_start || exit 1
	if [ "$BENCH_DATA" = 1 ]; then
		echo "Loading the benchmark data set..."
		stack_mysql mariapi < "$ROOT/tests/bench/data.sql" || exit 1
	fi
	# The same datadir again, under callgrind (counting only when told).
	# valgrind cannot reserve InnoDB's default address space for the buffer
	# pool, nor run its asynchronous I/O.
	stack_db_stop
	STACK_DB_WRAPPER="valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=$STACK_DIR/db.cg" \
		STACK_DB_EXTRA="--innodb-buffer-pool-size-max=256M --innodb-use-native-aio=0" \
		STACK_DB_WAIT=1200 stack_db_start || exit 1
	DB_VG=$(pgrep -f "callgrind-out-file=$STACK_DIR/db.cg" | head -1)
else
	: "${DB_SOCKET:?INSTR_DB=0 needs DB_SOCKET}" "${API_CONFIG:?INSTR_DB=0 needs API_CONFIG}"
	DB_VG=
fi
export API_CONFIG
KEY=$("$API_APICTL" apikey admin | tail -1) || exit 1
# A bearer token, the binary run as CGI (no web server here).
secret_out=$("$API_APICTL" client add admin) || exit 1
form="grant_type=client_credentials&client_id=$(sed -n 's/^client_id: //p' <<< "$secret_out")&client_secret=$(sed -n 's/^client_secret: //p' <<< "$secret_out")"
BEARER=$(printf '%s' "$form" | env -i API_CONFIG="$API_CONFIG" REQUEST_METHOD=POST \
	REQUEST_URI=/oauth2-token CONTENT_TYPE=application/x-www-form-urlencoded \
	CONTENT_LENGTH=${#form} "$API_FCGI" | sed '1,/^\r*$/d' | jq -r .access_token)
[ -n "$BEARER" ] && [ "$BEARER" != null ] || { echo "instructions: no bearer token" >&2; exit 1; }

# ir FILE: the total instructions of a callgrind dump.
ir() { callgrind_annotate "$1" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }'; }

# dumped PREFIX: the newest dump of PREFIX.* (callgrind numbers each -d).
dumped() { ls -t "$1".* 2>/dev/null | head -1; }

# request AUTH METHOD PATH BODY I: one request of the running process.
request() {
	local auth=() q='' body=${4//%d/$5}
	case $1 in
	bearer) auth=("HTTP_AUTHORIZATION=Bearer $BEARER") ;;
	wsse) auth=("HTTP_X_WSSE=$(sed -n "$5p" "$STACK_DIR/wsse" | sed 's/^X-WSSE: //')") ;;
	esac
	[[ $3 == *\?* ]] && q=${3#*\?}
	printf '%s' "$body" > "$STACK_DIR/body"
	"$CLIENT" -o "$STACK_DIR/out" ${4:+-b "$STACK_DIR/body"} "$STACK_DIR/app.sock" \
		REQUEST_METHOD="$2" REQUEST_URI="$3" SCRIPT_NAME= PATH_INFO="${3%%\?*}" QUERY_STRING="$q" \
		HTTP_HOST=127.0.0.1 SERVER_NAME=127.0.0.1 SERVER_PORT=80 HTTP_ACCEPT=application/vnd.api+json \
		CONTENT_TYPE=application/vnd.api+json CONTENT_LENGTH=${#body} "${auth[@]}" >/dev/null
}

ROWS=()
CEILING=
# measure NAME AUTH METHOD PATH [BODY] [PROGRAM]: INSTR_N requests (after 4
# to warm the process's statements and caches); BODY's %d is the request's
# number. One row: FastCGI and MariaDB instructions per request.
measure() {
	local name=$1 auth=$2 method=$3 path=$4 body=${5:-} prog=${6:-$API_FCGI} i
	[ "$name" = ceiling ] || [ -z "$BENCH_CASES" ] || grep -Eq -- "$BENCH_CASES" <<< "$name" || return 0
	"$API_APICTL" wsse admin "$KEY" --count $((INSTR_N + 8)) > "$STACK_DIR/wsse"
	rm -f "$STACK_DIR"/app.cg* "$STACK_DIR/app.sock"
	# Steady state: under callgrind a request takes 50 times as long, and
	# the process's credential and plan caches must not expire meanwhile.
	API_AUTH_CACHE_TTL=600 API_PLAN_CACHE_TTL=600 \
		API_DB_SOCKET=$DB_SOCKET API_DB_PASSWORD=$(awk '$1 == "db.password" { print $3 }' "$API_CONFIG") \
		spawn-fcgi -s "$STACK_DIR/app.sock" -P "$STACK_DIR/app.pid" -- "$VALGRIND" --tool=callgrind \
		--instr-atstart=no --callgrind-out-file="$STACK_DIR/app.cg" "$prog" >/dev/null 2>&1
	APP_PID=$(cat "$STACK_DIR/app.pid" 2>/dev/null)
	[ -n "$APP_PID" ] || { echo "instructions: $prog did not start under valgrind" >&2; return 1; }
	for i in $(seq 1 100); do [ -S "$STACK_DIR/app.sock" ] && break; sleep 0.1; done
	for i in 1 2 3 4; do request "$auth" "$method" "$path" "$body" "$i"; done
	rm -f "$STACK_DIR"/db.cg.*
	callgrind_control -z "$APP_PID" >/dev/null
	callgrind_control -i on "$APP_PID" >/dev/null
	[ -z "$DB_VG" ] || { callgrind_control -z "$DB_VG" >/dev/null; callgrind_control -i on "$DB_VG" >/dev/null; }
	for i in $(seq 5 $((INSTR_N + 4))); do request "$auth" "$method" "$path" "$body" "$i"; done
	callgrind_control -i off "$APP_PID" >/dev/null
	callgrind_control -d "$APP_PID" >/dev/null
	[ -z "$DB_VG" ] || { callgrind_control -i off "$DB_VG" >/dev/null; callgrind_control -d "$DB_VG" >/dev/null; }
	local status app db=0
	status=$(head -1 "$STACK_DIR/out" | tr -d '\r')
	kill "$APP_PID"
	APP_PID=
	app=$(ir "$(dumped "$STACK_DIR/app.cg")")
	[ -z "$DB_VG" ] || db=$(ir "$(dumped "$STACK_DIR/db.cg")")
	[ -n "$app" ] && [ -n "$db" ] || { echo "instructions: no count for $name" >&2; return 1; }
	app=$((app / INSTR_N))
	db=$((db / INSTR_N))
	[ "$name" = ceiling ] && CEILING=$((app + db))
	echo "$name ($status): $app + $db instructions a request"
	ROWS+=("$(printf '| %s | %d | %d | %d | %s |' "$name" "$app" "$db" $((app + db)) \
		"$(awk -v c="$CEILING" -v t=$((app + db)) 'BEGIN { printf "%.1f", t / c }')")")
}

P='{"data":{"type":"contacts","attributes":{"firstName":"Bench","lastName":"Instr %d","email":"i%d@example.com"}}}'
Q='{"data":{"type":"contacts","id":"2","attributes":{"jobTitle":"Job %d"}}}'
F='filter%5BlastName%5D%5Bstarts_with%5D'
measure ceiling none GET /ceiling '' "$ROOT/build/ceiling.fcgi" || exit 1
measure "GET one contact" wsse GET /api/contacts/1
measure "GET one contact, bearer token" bearer GET /api/contacts/1
measure "10 contacts as admin" wsse GET /api/contacts
measure "10 contacts, bearer token" bearer GET /api/contacts
measure "POST /api/contacts" wsse POST /api/contacts "$P"
measure "PATCH /api/contacts/2" wsse PATCH /api/contacts/2 "$Q"
measure "10 contacts, include=owner,accounts, bearer" bearer GET '/api/contacts?include=owner,accounts'
measure "starts_with=Smith + sort=-createdAt" bearer GET "/api/contacts?$F=Smith&sort=-createdAt"
measure "starts_with=Smith-1 (rare) + sort" bearer GET "/api/contacts?$F=Smith-1&sort=-createdAt"
measure "filter at 1M rows (calls, indexed)" bearer GET \
	'/api/calls?filter%5BcallDateTime%5D%5Bgt%5D=2025-01-01&sort=-callDateTime'

echo
echo "| case | FastCGI instructions/request | MariaDB instructions/request | total | times the ceiling's |"
echo "|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo
echo "make bench-instructions at $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u '+%Y-%m-%d %H:%M UTC'); $INSTR_N requests a case, user space only (callgrind)$([ "$INSTR_DB" = 1 ] || echo ', MariaDB not counted')"
