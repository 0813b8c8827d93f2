#!/usr/bin/env bats
# MariaDB going away and coming back (runs last: it restarts the database).
load helpers/common

setup() {
	. "$ROOT/tests/helpers/stack.sh"
}

teardown() {
	# Whatever happened, leave the database running for later files.
	db 'SELECT 1' >/dev/null 2>&1 || stack_db_start >/dev/null 2>&1
	db 'DROP TRIGGER IF EXISTS t_slow_ac'
}

@test "MariaDB stopped: 503 service unavailable; restarted: the next request succeeds" {
	get /api/users/1
	expect_status 200
	stack_db_stop
	get /api/users/1
	expect_error 503 "service unavailable http exception"
	get /second/api/accounts/1
	expect_error 503 "service unavailable http exception"
	grep -q "cannot connect to MariaDB" "$STACK_DIR/log/lighttpd-error.log"
	stack_db_start
	get /api/users/1
	expect_status 200
	[ "$(jqb .data.attributes.username)" = admin ]
	get /second/api/accounts/1
	expect_status 200
}

@test "a connection killed while idle is re-opened without an error for reads" {
	get /second/api/users/1
	expect_status 200
	# Kill every connection of the application user (as wait_timeout would).
	for id in $(db "SELECT id FROM information_schema.PROCESSLIST WHERE USER = 'mariapi'"); do
		db "KILL $id" || true
	done
	get /second/api/users/1
	expect_status 200
	get /second/api/users/1
	expect_status 200
}

@test "an idle connection closed by MariaDB's wait_timeout is re-opened without an error" {
	db "SET GLOBAL wait_timeout = 1"
	# New connections take the short timeout: make the pool reconnect.
	for id in $(db "SELECT id FROM information_schema.PROCESSLIST WHERE USER = 'mariapi'"); do
		db "KILL $id" || true
	done
	get /second/api/users/1
	expect_status 200
	sleep 3 # idle past wait_timeout: the server closes the connection
	get /second/api/users/1
	db "SET GLOBAL wait_timeout = 28800"
	expect_status 200
	[ "$(jqb .data.attributes.username)" = admin ]
	grep -q "MariaDB connection lost, reconnecting" "$STACK_DIR/log/lighttpd-error.log"
}

@test "a write whose connection dies halfway is a 503, is not resent, and leaves nothing" {
	account=$(db "SELECT MIN(id) FROM accounts WHERE organization_id = 1")
	before=$(db "SELECT COUNT(*) FROM contacts")
	# The join-row insert (after the contact's insert) waits long enough
	# for the test to kill the connection in the middle of the request.
	db "CREATE TRIGGER t_slow_ac BEFORE INSERT ON account_contacts FOR EACH ROW SET @w = SLEEP(5)"
	body="{\"data\":{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"Halfway\"},\"relationships\":{\"accounts\":{\"data\":[{\"type\":\"accounts\",\"id\":\"$account\"}]}}}}"
	curl -s -o "$BATS_TEST_TMPDIR/out" -w '%{http_code}' -X POST \
		-H 'Content-Type: application/vnd.api+json' -H "$(wsse)" --data-binary "$body" \
		"$API_URL/api/contacts" > "$BATS_TEST_TMPDIR/status" 3>&- &
	pid=$!
	for _ in $(seq 50); do
		victim=$(db "SELECT id FROM information_schema.PROCESSLIST WHERE STATE = 'User sleep' AND INFO LIKE '%SLEEP(5)%'")
		[ -n "$victim" ] && break
		sleep 0.1
	done
	[ -n "$victim" ]
	db "KILL $victim"
	wait "$pid"
	db "DROP TRIGGER t_slow_ac"
	[ "$(cat "$BATS_TEST_TMPDIR/status")" = 503 ]
	[ "$(jq -r '.errors[0].title' "$BATS_TEST_TMPDIR/out")" = "service unavailable http exception" ]
	[ "$(db "SELECT COUNT(*) FROM contacts")" = "$before" ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE last_name = 'Halfway'")" = 0 ]
	# The next request gets a fresh connection.
	get /api/users/1
	expect_status 200
}
