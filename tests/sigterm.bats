#!/usr/bin/env bats
# SIGTERM (what lighttpd and mod_fcgid send to stop a FastCGI process) while
# a long response is being written: that request completes, then the
# process exits. Its own lighttpd with one process, so the process that gets
# the signal is the one serving the request.
load helpers/common

setup_file() {
	db "INSERT INTO calls (organization_id, owner_id, subject, phone_number, call_date_time,
		direction, created_at, updated_at)
		SELECT 1, 1, CONCAT('Term ', seq), '+1', '2021-01-01 00:00:00' + INTERVAL seq MINUTE,
		'incoming', UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM seq_1_to_150000"
	export T_DIR="$BATS_FILE_TMPDIR/term"
	. "$ROOT/tests/helpers/stack.sh"
	stack_one_process "$T_DIR" "$API_FCGI" "\"API_CONFIG\" => \"$API_CONFIG\"" || return 1
	export T_PORT=$ONE_PORT
}

teardown_file() {
	kill "$(cat "$T_DIR/pid")" 2>/dev/null || true
	db "DELETE FROM calls WHERE subject LIKE 'Term %'"
}

@test "SIGTERM during a long streamed response: the response completes, then the process exits" {
	local url="http://127.0.0.1:$T_PORT/api/calls?page%5Bsize%5D=-1&fields%5Bcalls%5D=subject"
	# Warm up: the process exists and is connected.
	curl -s -o /dev/null -H 'Accept: application/vnd.api+json' -H "$(wsse)" \
		"http://127.0.0.1:$T_PORT/api/users/1"
	local fcgi
	fcgi=$(pgrep -P "$(cat "$T_DIR/pid")" -f api.fcgi | head -1)
	[ -n "$fcgi" ]
	# A client reading 12 MB/s keeps the ~18 MB stream going for over a
	# second however fast the server writes (the web server passes the
	# back-pressure on: stream-response-body 2).
	curl -s --limit-rate 12M -o "$BATS_TEST_TMPDIR/out.json" -w '%{http_code} %{time_total}' \
		-H 'Accept: application/vnd.api+json' -H "$(wsse)" "$url" > "$BATS_TEST_TMPDIR/code" &
	local client=$!
	sleep 0.4
	kill -TERM "$fcgi"
	wait "$client"
	read -r code took < "$BATS_TEST_TMPDIR/code" || true
	[ "$code" = 200 ]
	# The response was still being written when the signal came.
	awk -v t="$took" 'BEGIN { exit !(t > 0.5) }' || { echo "took only $took s" >&2; return 1; }
	[ "$(jq '.data | length' "$BATS_TEST_TMPDIR/out.json")" = \
		"$(db "SELECT COUNT(*) FROM calls WHERE organization_id = 1")" ]
	for _ in $(seq 1 50); do
		kill -0 "$fcgi" 2>/dev/null || break
		sleep 0.1
	done
	! kill -0 "$fcgi" 2>/dev/null
}
