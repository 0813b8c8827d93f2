#!/usr/bin/env bats
# MariaDB going away and coming back (runs last: it restarts the database).
load helpers/common

setup() {
	. "$ROOT/tests/helpers/stack.sh"
}

teardown() {
	# Whatever happened, leave the database running for later files.
	db 'SELECT 1' >/dev/null 2>&1 || stack_db_start >/dev/null 2>&1
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
