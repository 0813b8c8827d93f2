# timeouts.bats: db.statement_timeout (section 13). Every statement of a
# request is bounded by MariaDB's max_statement_time; one that runs past it
# is a 503 with Retry-After, is never sent again, and the FastCGI process
# goes on serving. Statements are made slow by holding locks they must wait
# for from another session (a metadata lock for a read, a row lock for a
# write). Its own lighttpd with one FastCGI process and a 1 s timeout.
load helpers/common

setup_file() {
	export T_DIR="$BATS_FILE_TMPDIR/timeouts"
	. "$ROOT/tests/helpers/stack.sh"
	stack_one_process "$T_DIR" "$API_FCGI" \
		"\"API_CONFIG\" => \"$API_CONFIG\", \"API_DB_STATEMENT_TIMEOUT\" => \"1\"" || return 1
	export T_PORT=$ONE_PORT
}

teardown_file() {
	kill "$(cat "$T_DIR/pid")" 2>/dev/null || true
}

# t_get PATH [curl args]: a GET through the one-process server.
t_get() {
	local path=$1
	shift
	local saved=$API_URL
	API_URL="http://127.0.0.1:$T_PORT"
	req GET "$path" -H 'Accept: application/vnd.api+json' -H "$(wsse)" "$@"
	API_URL=$saved
}

# hold SECONDS SQL: runs SQL (which takes a lock) in another session, then
# sleeps SECONDS holding it; the session's pid in HOLD_PID. Returns once
# the lock is held.
hold() {
	mariadb --no-defaults -S "$DB_SOCKET" -uroot --unbuffered -N -B mariapi \
		-e "$2; SELECT 'held'; SELECT SLEEP($1); ROLLBACK; UNLOCK TABLES" > "$BATS_TEST_TMPDIR/hold.out" &
	HOLD_PID=$!
	for _ in $(seq 1 50); do
		grep -q held "$BATS_TEST_TMPDIR/hold.out" && return 0
		sleep 0.1
	done
	return 1
}

fcgi_pid() { pgrep -P "$(cat "$T_DIR/pid")" -f api.fcgi | head -1; }

@test "a read that waits past the timeout: 503 with Retry-After after about 1 s, sent once, and the process goes on serving" {
	t_get /api/calls/1
	expect_status 200
	pid=$(fcgi_pid)
	[ -n "$pid" ]
	lines_before=$(wc -l < "$T_DIR/error.log")
	hold 4 "LOCK TABLES calls WRITE"
	start=$(date +%s%N)
	t_get /api/calls/1
	took=$(( ($(date +%s%N) - start) / 1000000 ))
	expect_error 503 'service unavailable http exception' 'The request took too long to run. Please try again later.'
	[ "$(header Retry-After)" = 5 ]
	[ "$took" -lt 3500 ] || { echo "took $took ms" >&2; return 1; }
	# served meanwhile: a read that needs no lock on calls
	t_get /api/contacts/1
	expect_status 200
	wait "$HOLD_PID"
	t_get /api/calls/1
	expect_status 200
	[ "$(fcgi_pid)" = "$pid" ]
	log=$(tail -n +"$((lines_before + 1))" "$T_DIR/error.log")
	[ "$(grep -c 'statement ended by the server' <<< "$log")" = 1 ]
	[ "$(grep -c 'reconnecting' <<< "$log")" = 0 ]
}

@test "a write that waits past the timeout on a row lock: 503, nothing written, never sent again" {
	id=$(db "INSERT INTO contacts (organization_id, owner_id, last_name, created_at, updated_at)
	        VALUES (1, 1, 'TimeoutRow', UTC_TIMESTAMP(), UTC_TIMESTAMP()); SELECT LAST_INSERT_ID()")
	hold 4 "START TRANSACTION; SELECT id FROM contacts WHERE id = $id FOR UPDATE"
	saved=$API_URL
	API_URL="http://127.0.0.1:$T_PORT"
	req PATCH "/api/contacts/$id" -H 'Accept: application/vnd.api+json' \
		-H 'Content-Type: application/vnd.api+json' -H "$(wsse)" \
		--data-binary "{\"data\":{\"type\":\"contacts\",\"id\":\"$id\",\"attributes\":{\"jobTitle\":\"Late\"}}}"
	API_URL=$saved
	expect_error 503 'service unavailable http exception'
	[ -n "$(header Retry-After)" ]
	wait "$HOLD_PID"
	[ "$(db "SELECT COALESCE(job_title, 'NULL') FROM contacts WHERE id = $id")" = NULL ]
	t_get "/api/contacts/$id"
	expect_status 200
}

@test "the timeout is the session's max_statement_time (db.statement_timeout, default 10 s)" {
	run env -i PATH="$PATH" API_CONFIG="$API_CONFIG" "$API_APICTL" check-config
	[ "$status" -eq 0 ]
	grep -Eq '^db\.statement_timeout += 10$' <<< "$output"
}
