# shellcheck shell=bash
# lib.sh: what `make bench` (bench.sh) and nonces.sh share. Sourced after
# tests/helpers/stack.sh; call bench_web_start once the database is up.
#   bench_web_start      lighttpd serving /api (STACK_API_PROCS processes,
#                        default 2) and /ceiling (tests/bench/ceiling.c, 2
#                        processes); sets KEY (admin's API key), HEADERS
#   bench_web_restart N  the same lighttpd again with N processes for /api
#   bench_run NAME PATH  one wrk run (WSSE or BEARER, see below): a line now
#                        and a row of the final table; sets RPS, P99, ERRORS
#   bench_floor NAME PATH  the row NAME: the statements PATH sends (with
#                        BEARER), run alone by ceiling.c with its fixed body
#   bench_row ...        a row of the final table; bench_table prints it
#   bench_want NAME      whether BENCH_CASES (an extended regex) selects it
#   bench_pool_pids [SOCK]  the pids of the FastCGI processes serving /api
#                        (or the socket SOCK of STACK_DIR/run: ceiling.sock)
# Each wrk case also reports the CPU time per request of the FastCGI
# processes (/api, or the ceiling's) and of MariaDB (user + system, from
# /proc): a figure a busy machine shifts less than requests per second.
# Inputs: ROOT, STACK_DIR; API_APICTL, CEILING_FCGI (default: make's
# build/); API_FCGI and API_CONFIG (bench_floor's CGI run); DURATION
# (10s), CONNECTIONS (16), THREADS (2); HEADER_COUNT (30,000 a second of
# DURATION: single-use WSSE headers made before each WSSE run, as
# BENCH_USER (admin) with BENCH_KEY (KEY)); BEARER (a token,
# given for one call, `BEARER=... bench_run ...`: sent instead of WSSE);
# METHOD and BODY (a write: each %d in BODY becomes a number unique to the
# request); PATHS (space-separated: wrk cycles through them instead of
# PATH). A benchmark, never a test: nothing here judges speed.

API_APICTL=${API_APICTL:-$ROOT/build/apictl}
CEILING_FCGI=${CEILING_FCGI:-$ROOT/build/ceiling.fcgi}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
# bench_seconds DURATION: wrk's 10s, 2m, 1h in whole seconds (0 when unknown).
bench_seconds() {
	[[ $1 =~ ^([0-9]+)([smh]?)$ ]] || { echo 0; return; }
	case ${BASH_REMATCH[2]} in
	m) echo $((BASH_REMATCH[1] * 60)) ;;
	h) echo $((BASH_REMATCH[1] * 3600)) ;;
	*) echo "${BASH_REMATCH[1]}" ;;
	esac
}
# Enough single-use headers for 30,000 requests/s (300,000 when unknown).
HEADER_COUNT=${HEADER_COUNT:-$((30000 * $(bench_seconds "$DURATION")))}
[ "$HEADER_COUNT" -gt 0 ] 2>/dev/null || HEADER_COUNT=300000
BENCH_CASES=${BENCH_CASES:-}
BENCH_ROWS=()
export THREADS

bench_web_start() {
	HTTP_PORT=${HTTP_PORT:-$(stack_free_port)}
	# shellcheck disable=SC2034 # read by stack_web_start
	HTTP_PORT_AUTO=1
	# shellcheck disable=SC2089,SC2090 # lighttpd text, not words
	STACK_EXTRA_CONF="fastcgi.server += (\"/ceiling\" => ((
	\"bin-path\" => \"$CEILING_FCGI\",
	\"socket\" => \"$STACK_DIR/run/ceiling.sock\",
	\"check-local\" => \"disable\",
	\"max-procs\" => 2,
	\"bin-environment\" => (\"API_DB_SOCKET\" => \"$DB_SOCKET\",
	                      \"API_DB_PASSWORD\" => \"$(cat "$STACK_DIR/db.password")\",
	                      \"CEILING_SQL_DIR\" => \"$STACK_DIR/floors\"),
)))"
	# shellcheck disable=SC2090
	export STACK_EXTRA_CONF API_CONFIG
	stack_web_start || return 1
	KEY=$("$API_APICTL" apikey admin | tail -1) || return 1
	HEADERS="$STACK_DIR/headers.txt"
	export HEADERS
}

# bench_web_restart N: lighttpd stopped (its FastCGI processes with it) and
# started again with N processes for /api; waits until they all listen.
bench_web_restart() {
	stack_web_stop
	STACK_API_PROCS=$1 stack_web_start || return 1
	for _ in $(seq 1 100); do
		[ "$(bench_pool_pids | wc -w)" -ge "$1" ] && return 0
		sleep 0.1
	done
	echo "bench: lighttpd started $(bench_pool_pids | wc -w) /api processes, not $1" >&2
}

bench_want() { [ -z "$BENCH_CASES" ] || grep -Eq -- "$BENCH_CASES" <<< "$1"; }

# bench_pct RATE: RATE as a share of CEILING, or "-".
bench_pct() {
	if [ -n "${CEILING:-}" ] && [ -n "$1" ]; then
		awk -v a="$1" -v c="$CEILING" 'BEGIN { printf "%.1f", 100 * a / c }'
	else
		echo -
	fi
}

# bench_wrk PATH [DURATION]: one wrk run; sets RPS, P99, ERRORS, REQUESTS.
bench_wrk() {
	local path=$1 d=${2:-$DURATION} out
	if [ -n "${BEARER:-}" ]; then
		: > "$HEADERS"
	else
		"$API_APICTL" wsse "${BENCH_USER:-admin}" "${BENCH_KEY:-$KEY}" \
			--count "$HEADER_COUNT" > "$HEADERS"
	fi
	out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$d" --latency \
		-s "$ROOT/tests/bench/wsse.lua" "http://127.0.0.1:$HTTP_PORT$path")
	RPS=$(awk '/Requests\/sec/ { print $2 }' <<< "$out")
	P99=$(awk '$1 == "99%" { print $2 }' <<< "$out")
	ERRORS=$(awk '/non-2xx or errors/ { print $NF }' <<< "$out")
	# shellcheck disable=SC2034 # read by callers
	REQUESTS=$(awk '/ requests in / { print $1 }' <<< "$out")
	[ -n "$RPS" ] || { echo "bench: wrk failed on $path: $out" >&2; return 1; }
}

# bench_run NAME PATH: the case NAME (if BENCH_CASES selects it) as one wrk
# run; returns 1 when skipped or failed.
bench_run() {
	local name=$1 path=$2 pct app db a0 d0 cpu
	RPS='' P99='' ERRORS=''
	bench_want "$name" || return 1
	app=$(bench_pool_pids; bench_pool_pids ceiling.sock)
	db=$(pgrep -f -- "--socket=$DB_SOCKET( |\$)" || true)
	# shellcheck disable=SC2086 # one pid a word
	a0=$(bench_ticks $app) d0=$(bench_ticks $db)
	bench_wrk "$path"
	# shellcheck disable=SC2086
	cpu=$(bench_cpu_per_request "$a0" "$(bench_ticks $app)" "$d0" "$(bench_ticks $db)")
	pct=$(bench_pct "$RPS")
	printf '%-40s %10s req/s  p99 %8s  errors %s' "$name" "${RPS:--}" "${P99:--}" "${ERRORS:--}"
	[ "$pct" = - ] || printf '  %5s %% of ceiling' "$pct"
	[ "$cpu" = - ] || printf '  CPU/request: FastCGI %s us, MariaDB %s us' "${cpu%/*}" "${cpu#*/}"
	echo
	bench_row "$name" "${RPS:--} req/s" "${P99:--}" "$pct" "${ERRORS:--}" "$cpu"
	[ -n "$RPS" ]
}

# bench_floor NAME PATH: the case NAME, a floor: the statements one GET of
# PATH sends (with BEARER), as MariaDB's general log shows them, but those
# of authentication (cached in steady state) and of the plan cache's
# EXPLAIN; ceiling.c runs them (sql=FILE) with its fixed body. The GET is
# the API run once as CGI: its statements are prepared while the log is
# on, which is when MariaDB logs their values (not their placeholders).
bench_floor() {
	local name=$1 path=$2 file log="$STACK_DIR/log/floor.log" was
	bench_want "$name" || return 1
	mkdir -p "$STACK_DIR/floors"
	file=$(printf '%s' "$name" | tr -c 'A-Za-z0-9' '_')
	# The log's settings are the server's: given back as they were (a
	# log file left in this run's directory, deleted at its end, would
	# fail the next SET GLOBAL general_log = 1 of whoever shares it).
	was=$(stack_mysql -N -e "SELECT CONCAT_WS(' ', @@global.general_log, @@global.log_output,
		@@global.general_log_file)") || return 1
	stack_mysql -e "SET GLOBAL general_log = 0; SET GLOBAL log_output = 'FILE';
		SET GLOBAL general_log_file = '$log'; SET GLOBAL general_log = 1" || return 1
	env -i API_CONFIG="$API_CONFIG" REQUEST_METHOD=GET REQUEST_URI="$path" HTTP_HOST=127.0.0.1 \
		HTTP_ACCEPT=application/vnd.api+json HTTP_AUTHORIZATION="Bearer $BEARER" "$API_FCGI" >/dev/null
	read -r -a was <<< "$was"
	stack_mysql -e "SET GLOBAL general_log = 0; SET GLOBAL log_output = '${was[1]}';
		SET GLOBAL general_log_file = '${was[*]:2}'; SET GLOBAL general_log = ${was[0]}"
	grep -a $'[0-9] Execute\t' "$log" | sed $'s/^.*[0-9] Execute\t//' |
		grep -Ev '^EXPLAIN |wsse_nonces|api_keys|oauth_|role_permissions| FROM business_units bu ' \
			> "$STACK_DIR/floors/$file"
	rm -f "$log"
	[ -s "$STACK_DIR/floors/$file" ] || { echo "bench: no statement of $path in the log" >&2; return 1; }
	bench_run "$name" "/ceiling?sql=$file"
}

# bench_ticks PID...: the CPU time (user + system) the processes have used
# so far, in clock ticks.
bench_ticks() {
	local pid t sum=0
	for pid in "$@"; do
		t=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null) && sum=$((sum + t))
	done
	echo "$sum"
}

# bench_cpu_per_request APP0 APP1 DB0 DB1: "app/db", microseconds of CPU a
# request of the last wrk run (REQUESTS), or "-".
bench_cpu_per_request() {
	[ "${REQUESTS:-0}" -gt 0 ] 2>/dev/null || { echo -; return; }
	awk -v a=$(($2 - $1)) -v d=$(($4 - $3)) -v n="$REQUESTS" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { printf "%.0f/%.0f", a * 1e6 / hz / n, d * 1e6 / hz / n }'
}

# bench_row NAME FIGURE P99 PERCENT ERRORS: one row of the final table.
bench_row() { BENCH_ROWS+=("$(printf '| %-46s | %14s | %9s | %6s | %6s | %11s |' "$1" "$2" "$3" "$4" "$5" "${6:--}")"); }

# bench_table: the rows so far as one Markdown table.
bench_table() {
	[ ${#BENCH_ROWS[@]} -gt 0 ] || return 0
	printf '| %-46s | %14s | %9s | %6s | %6s | %11s |\n' case figure p99 "% ceil" errors "CPU us app/db"
	printf '|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' $(seq 48))" "$(printf -- '-%.0s' $(seq 16))" \
		"$(printf -- '-%.0s' $(seq 11))" "$(printf -- '-%.0s' $(seq 8))" "$(printf -- '-%.0s' $(seq 8))" \
		"$(printf -- '-%.0s' $(seq 13))"
	printf '%s\n' "${BENCH_ROWS[@]}"
}

# bench_pool_pids [SOCK]: the FastCGI processes listening on /api's socket
# (lighttpd names it api.sock, or api.sock-0, api.sock-1, ... for several),
# or on SOCK (ceiling.sock).
bench_pool_pids() {
	local sock=$STACK_DIR/run/${1:-api.sock} inodes pid fd0
	inodes=" $(awk -v p="$sock" '$NF == p || index($NF, p "-") == 1 { printf "%s ", $7 }' /proc/net/unix)"
	for pid in $(pgrep -P "$WEB_PID" 2>/dev/null); do
		fd0=$(readlink "/proc/$pid/fd/0" 2>/dev/null) || continue
		fd0=${fd0#socket:[}
		case $inodes in *" ${fd0%]} "*) echo "$pid" ;; esac
	done
}

# bench_status_kib FIELD PID...: the largest FIELD (VmRSS, VmHWM) of PIDs, in KiB.
bench_status_kib() {
	local field=$1 pid max=0 kb
	shift
	for pid in "$@"; do
		kb=$(awk -v f="$field:" '$1 == f { print $2 }' "/proc/$pid/status" 2>/dev/null)
		[ "${kb:-0}" -gt "$max" ] && max=$kb
	done
	echo "$max"
}
