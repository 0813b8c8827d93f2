#!/usr/bin/env bash
# nonces.sh: the cost of the WSSE nonce store (issue 12), on a throw-away
# stack like make bench's (tests/helpers/stack.sh: 128 MB buffer pool).
# For each LEVELS entry (live nonces loaded with SQL from the sequence
# engine, Created spread over the last wsse.lifetime) it prints the table's
# size and wrk's GET one contact with single-use WSSE headers, as req/s, p99
# and a share of the ceiling (tests/bench/ceiling.c); then the same while
# the service purges PURGE_ROWS expired nonces, and while `apictl purge`
# deletes the rest. A benchmark, not a test.
#   API_FCGI, API_APICTL, CEILING_FCGI: the binaries (default: make's build/)
#   LEVELS="0 1000000 7200000" DURATION=10s CONNECTIONS=16 THREADS=2
#   PURGE_ROWS=3000000 (0: no purge run) HEADER_COUNT=100000
# The stack, the wrk runs and the final table: tests/bench/lib.sh.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
STACK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mariapi-nonces.XXXXXX")
API_FCGI=${API_FCGI:-$ROOT/cgi-bin/api.fcgi}
LEVELS=${LEVELS:-0 1000000 7200000}
PURGE_ROWS=${PURGE_ROWS:-3000000}
HEADER_COUNT=${HEADER_COUNT:-100000}
HTTP_PORT=
WEB_PID=
. "$ROOT/tests/helpers/stack.sh"
. "$ROOT/tests/bench/lib.sh"

cleanup() {
	stack_stop
	rm -rf "$STACK_DIR"
	case "${DB_SOCKET:-}" in /tmp/mariapi-db.*) rm -f "$DB_SOCKET" ;; esac
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stack_paths
stack_db_start || exit 1
q() { stack_mysql -N mariapi -e "$1"; }
bench_web_start || exit 1

# fill N FIRST: N live nonces numbered from FIRST, a million per transaction.
fill() {
	local n=$1 first=$2 done_=0 chunk t0 t1
	t0=$(date +%s.%N)
	while [ "$done_" -lt "$n" ]; do
		chunk=$(( n - done_ < 1000000 ? n - done_ : 1000000 ))
		q "INSERT INTO wsse_nonces (created, nonce_hash, recorded_by)
		   SELECT UTC_TIMESTAMP() - INTERVAL 3590 SECOND + INTERVAL ((seq + $done_) * 3500 DIV $n) SECOND,
		          UNHEX(LPAD(HEX(seq + $first + $done_), 32, '0')), 'bulkload' FROM seq_1_to_$chunk" || exit 1
		done_=$(( done_ + chunk ))
	done
	t1=$(date +%s.%N)
	awk -v n="$n" -v a="$t0" -v b="$t1" \
		'BEGIN { printf "  loaded %d nonces in %.1f s (%.0f rows/s)\n", n, b - a, n / (b - a) }'
}

# settle: waits (60 s at most) until InnoDB has written the pages a bulk
# load dirtied, so that a run measures the store, not the load's flushing.
settle() {
	local i dirty
	for i in $(seq 1 60); do
		dirty=$(q "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS
			WHERE VARIABLE_NAME = 'INNODB_BUFFER_POOL_PAGES_DIRTY'")
		[ "${dirty:-0}" -lt 500 ] && break
		sleep 1
	done
	echo "  settled after ${i} s (${dirty} dirty pages left)"
}

size() {
	q "ANALYZE TABLE wsse_nonces" >/dev/null
	local rows file
	rows=$(q "SELECT COUNT(*) FROM wsse_nonces")
	file=$(du -m "$STACK_DIR/mysql/mariapi/wsse_nonces.ibd" | cut -f1)
	echo "  wsse_nonces: $rows rows, $(q "SELECT ROUND((DATA_LENGTH + INDEX_LENGTH) / 1048576)
		FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'mariapi' AND TABLE_NAME = 'wsse_nonces'") MiB of pages, .ibd file $file MiB"
}

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION over loopback; 2 FastCGI processes each"
bench_run "ceiling (point-select, fixed body)" "/ceiling?1" || exit 1
CEILING=$RPS
loaded=0
for level in $LEVELS; do
	if [ "$level" -gt "$loaded" ]; then
		echo "Filling the store to $level live nonces..."
		fill $(( level - loaded )) "$loaded"
		settle
		loaded=$level
	fi
	size
	bench_run "WSSE GET one contact ($level live)" "/api/contacts/1"
done
if [ "$PURGE_ROWS" -gt 0 ]; then
	echo "Adding $PURGE_ROWS expired nonces (Created two hours ago)..."
	q "INSERT INTO wsse_nonces (created, nonce_hash, recorded_by)
	   SELECT UTC_TIMESTAMP() - INTERVAL 7200 SECOND + INTERVAL (seq * 1000 DIV $PURGE_ROWS) SECOND,
	          UNHEX(LPAD(HEX(seq), 32, '0')), 'bulkload' FROM seq_1_to_$PURGE_ROWS" || exit 1
	settle
	size
	# The service's own purge: 500 rows per 100 requests per process.
	before=$(q "SELECT COUNT(*) FROM wsse_nonces")
	bench_run "WSSE GET one contact (the service purging)" "/api/contacts/1"
	echo "  the service deleted $(( before - $(q "SELECT COUNT(*) FROM wsse_nonces") + ${RPS%.*} * ${DURATION%s} )) expired nonces meanwhile (about)"
	t0=$(date +%s.%N)
	"$API_APICTL" purge > "$STACK_DIR/purge.out" 2>&1 &
	pid=$!
	bench_run "WSSE GET one contact (apictl purge too)" "/api/contacts/1"
	wait "$pid"
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" -v l="$(head -1 "$STACK_DIR/purge.out")" \
		'BEGIN { printf "  apictl purge: %s in %.1f s\n", l, b - a }'
	size
	bench_run "WSSE GET one contact (after the purge)" "/api/contacts/1"
fi
echo
bench_table
