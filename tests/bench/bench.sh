#!/usr/bin/env bash
# `make bench`: the stack of `make run` in a throw-away directory, driven by
# wrk over loopback. Prints requests/s and latency per case. A benchmark,
# never a test: nothing here passes or fails on speed.
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
HTTP_PORT=$(stack_free_port)
stack_web_start || exit 1
export API_CONFIG THREADS
KEY=$("$ROOT/build/apictl" apikey admin | tail -1)

# bench NAME PATH: one wrk run with single-use WSSE headers.
bench() {
	local name=$1 path=$2
	HEADERS="$STACK_DIR/headers.txt"
	"$ROOT/build/apictl" wsse admin "$KEY" --count "${HEADER_COUNT:-400000}" > "$HEADERS"
	export HEADERS
	echo "== $name: GET $path (wrk -t$THREADS -c$CONNECTIONS -d$DURATION)"
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/tests/bench/wsse.lua" \
		"http://127.0.0.1:$HTTP_PORT$path" | grep -E 'Requests/sec|Latency|99%|non-2xx|requests in'
}

bench "one user" /api/users/1
