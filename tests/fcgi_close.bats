#!/usr/bin/env bats
# How the FastCGI process ends a connection (src/http/io_fcgi.c), seen by a
# raw FastCGI client (tests/tools/fcgi_client.c) that keeps its own end open.
# A request whose input was read to its end is closed at once (the quick
# close); one whose body was refused unread keeps libfcgi's graceful close,
# which shuts down the sending side and still reads what the client sends,
# so that a body still arriving cannot turn the close into a reset.
# Structural, not timed: after the end of the response the client sends one
# more record, which fails (EPIPE) when the process has closed its socket
# and goes through while it still reads ("server closed" / "server open").
# One process of the real binary on its own socket, spawned by spawn-fcgi.
load helpers/common

JSONAPI=application/vnd.api+json

setup_file() {
	export QC_DIR="$BATS_FILE_TMPDIR/qc"
	mkdir -p "$QC_DIR"
	export QC_SOCK="$QC_DIR/api.sock"
	# Unix socket paths are limited to 107 bytes.
	[ ${#QC_SOCK} -le 100 ] || QC_SOCK="$(mktemp -u /tmp/mariapi-qc.XXXXXX).sock"
	# -n: spawn-fcgi binds the socket on the process's fd 0 and becomes it.
	API_CONFIG="$API_CONFIG" spawn-fcgi -n -s "$QC_SOCK" -- "$API_FCGI" \
		</dev/null >/dev/null 2>>"$QC_DIR/error.log" 3>&- &
	echo $! > "$QC_DIR/pid"
	for _ in $(seq 1 100); do
		[ -S "$QC_SOCK" ] && return 0
		sleep 0.1
	done
	cat "$QC_DIR/error.log" >&2
	return 1
}

teardown_file() {
	kill "$(cat "$QC_DIR/pid")" 2>/dev/null || true
	rm -f "$QC_SOCK"
	db "DELETE FROM contacts WHERE last_name = 'QuickClose'"
}

# fc [-b BODY | -s] METHOD URI [NAME=VALUE...]: one request through the raw
# client (run: the report in $lines), the response parsed into STATUS, BODY
# and the headers file as `req` leaves them.
fc() {
	local opts=()
	while [ "${1:0:1}" = - ]; do
		opts+=("$1")
		[ "$1" = -b ] && { opts+=("$2"); shift; }
		shift
	done
	local method=$1 uri=$2 resp="$BATS_TEST_TMPDIR/response"
	shift 2
	run "$ROOT/build/fcgi_client" -o "$resp" "${opts[@]}" "$QC_SOCK" \
		REQUEST_METHOD="$method" REQUEST_URI="$uri" HTTP_HOST=127.0.0.1 \
		HTTP_ACCEPT="$JSONAPI" "$@"
	echo "$output" >&2
	sed -n '1,/^\r$/p' "$resp" | tr -d '\r' > "$BATS_TEST_TMPDIR/headers"
	STATUS=$(sed -n '1s/^Status: \([0-9]*\).*/\1/p' "$BATS_TEST_TMPDIR/headers")
	BODY=$(sed '1,/^\r$/d' "$resp")
	# The body's bytes, against Content-Length: the response came whole.
	BODY_BYTES=$(( $(wc -c < "$resp") - $(sed -n '1,/^\r$/p' "$resp" | wc -c) ))
}

signed() { echo "HTTP_X_WSSE=$(wsse | sed 's/^X-WSSE: //')"; }

# ended_as CLOSE: END_REQUEST (status 0) came, then the end of the input
# (not a reset), and the process's socket was CLOSE (closed or open) after.
ended_as() {
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 'end_request 0' ]
	[ "${lines[1]}" = 'input eof' ]
	[ "${lines[2]}" = "server $1" ]
}

whole() {
	[ -n "$(header Content-Length)" ]
	[ "$BODY_BYTES" = "$(header Content-Length)" ] ||
		{ echo "Content-Length $(header Content-Length), body $BODY_BYTES bytes" >&2; return 1; }
}

# The process is not stuck: a new connection gets its answer.
next_served() {
	fc GET /api/users/1 "$(signed)"
	ended_as closed
	expect_status 200
	[ "$(jqb .data.id)" = 1 ]
}

@test "a GET without a body: the whole response and END_REQUEST, then the process closes the connection itself" {
	# Without CONTENT_LENGTH (nginx) and with CONTENT_LENGTH=0 (lighttpd).
	for length in '' CONTENT_LENGTH=0; do
		fc GET /api/users/1 "$(signed)" ${length:+"$length"}
		ended_as closed
		expect_status 200
		whole
		[ "$(header Content-Type)" = "$JSONAPI" ]
		[ "$(jqb .data.type)" = users ]
		[ "$(jqb .data.attributes.username)" = admin ]
	done
	next_served
}

@test "a POST whose body is sent in full: the 201 whole, then the process closes the connection itself" {
	local body="$BATS_TEST_TMPDIR/body.json"
	printf '%s' '{"data":{"type":"contacts","attributes":{"lastName":"QuickClose"}}}' > "$body"
	fc -b "$body" POST /api/contacts "$(signed)" CONTENT_TYPE="$JSONAPI" \
		CONTENT_LENGTH="$(wc -c < "$body")"
	ended_as closed
	expect_status 201
	whole
	[ "$(jqb .data.attributes.lastName)" = QuickClose ]
	[ "$(db "SELECT last_name FROM contacts WHERE id = $(jqb .data.id)")" = QuickClose ]
	next_served
}

@test "a body over max_body_size still arriving: the 413 whole, the process still reading (libfcgi's close kept)" {
	# 2,000,000 bytes announced, 64 sent every 100 ms: refused unread.
	fc -s POST /api/contacts "$(signed)" CONTENT_TYPE="$JSONAPI" CONTENT_LENGTH=2000000
	ended_as open
	expect_error 413 'request entity too large http exception'
	whole
	next_served
}

@test "a body without credentials still arriving: the 401 whole, the process still reading (libfcgi's close kept)" {
	fc -s POST /api/contacts CONTENT_TYPE="$JSONAPI" CONTENT_LENGTH=5000
	ended_as open
	expect_status 401
	whole
	[ "$(header Content-Length)" = 0 ]
	[[ "$(header WWW-Authenticate)" == WSSE* ]]
	next_served
}

@test "one process served every connection of this file: none was left hanging" {
	# The connections above all went to the one process spawn-fcgi started.
	run kill -0 "$(cat "$QC_DIR/pid")"
	[ "$status" -eq 0 ]
	fc GET /api/users/1 "$(signed)" CONTENT_LENGTH=0
	ended_as closed
	expect_status 200
}
