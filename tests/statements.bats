#!/usr/bin/env bats
# Issue 14: what a read costs in statements. To-many linkage is one batched
# statement per page (never a correlated subquery per row), include= one
# statement per include path and page, and nothing for an empty page or for
# a relationship fields[] leaves out. The statements are read from MariaDB's
# general log (as a table), the API's own connection only.
load helpers/common

teardown() {
	db "SET GLOBAL general_log = 0; SET GLOBAL log_output = 'FILE'; TRUNCATE mysql.general_log"
}

# run_logged PATH: GET PATH as admin with the general log on; then
# $STATEMENTS holds the SELECTs the API executed, one a line.
run_logged() {
	db "SET GLOBAL log_output = 'TABLE'; SET GLOBAL general_log = 0;
	    TRUNCATE mysql.general_log; SET GLOBAL general_log = 1"
	get "$1" -g
	db "SET GLOBAL general_log = 0"
	STATEMENTS=$(db "SELECT REPLACE(CONVERT(argument USING utf8mb4), '\n', ' ')
	    FROM mysql.general_log WHERE command_type = 'Execute'
	    AND user_host LIKE 'mariapi[%' AND argument LIKE 'SELECT%'")
}

# count PATTERN: the statements of $STATEMENTS matching an extended regex.
count() {
	grep -cE "$1" <<< "$STATEMENTS" || true
}

@test "a page of contacts: one linkage statement for the page, no per-row subquery" {
	run_logged '/api/contacts?page[size]=5'
	expect_status 200
	[ "$(jqb '.data | length')" = 5 ]
	[ "$(count 'account_contacts')" = 1 ]
	[ "$(count 'GROUP_CONCAT')" = 0 ]
}

@test "include=owner,accounts: one statement per include path, linkage one per batch" {
	run_logged '/api/contacts?page[size]=10&include=owner,accounts'
	expect_status 200
	[ "$(jqb '[.included[] | select(.type == "users")] | length')" -gt 0 ]
	[ "$(jqb '[.included[] | select(.type == "accounts")] | length')" -gt 0 ]
	[ "$(count 'FROM `users` t WHERE `t`.`id` IN')" = 1 ]
	[ "$(count 'FROM `accounts` t WHERE `t`.`id` IN')" = 1 ]
	# contacts -> accounts, accounts -> contacts, users -> roles and units
	[ "$(count 'account_contacts')" = 2 ]
	[ "$(count '`user_roles` j')" = 1 ]
}

@test "an empty page with include: no linkage and no include statement" {
	run_logged '/api/contacts?filter[id]=999999999&include=owner,accounts'
	expect_status 200
	[ "$(jqb '.data | length')" = 0 ]
	[ "$(count 'account_contacts')" = 0 ]
	[ "$(count 'FROM `users` t WHERE `t`.`id` IN')" = 0 ]
}

@test "fields[] leaving the to-many relationship out: no linkage statement" {
	run_logged '/api/contacts/1?fields[contacts]=firstName,owner'
	expect_status 200
	[ "$(jqb '.data.attributes.firstName')" != null ]
	[ "$(count 'account_contacts')" = 0 ]
	[ "$(count 'FROM `contacts` t WHERE `t`.`id`')" = 1 ]
}
