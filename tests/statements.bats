#!/usr/bin/env bats
# Issue 14: what a read costs in statements. To-many linkage rides in the
# page's own statement (a subquery column: one round trip; a batched second
# statement measured slower on this box, see the issue note), include= one
# statement per include path and page, and nothing for an empty page or for
# a relationship fields[] leaves out; a filtered, sorted list asks MariaDB
# for estimates (EXPLAIN) once, then each process keeps them (sql/plan.c). The statements are read from MariaDB's
# general log (as a table), the API's own connection only.
load helpers/common

teardown() {
	db "SET GLOBAL general_log = 0; SET GLOBAL log_output = 'FILE'; TRUNCATE mysql.general_log"
}

# logged_where CONDITION CMD...: runs CMD (a get, send, ...) with the
# general log on; then $STATEMENTS holds what the API's own connections
# sent that matches the SQL CONDITION, one a line, in order.
logged_where() {
	local where=$1
	shift
	db "SET GLOBAL log_output = 'TABLE'; SET GLOBAL general_log = 0;
	    TRUNCATE mysql.general_log; SET GLOBAL general_log = 1"
	"$@"
	db "SET GLOBAL general_log = 0"
	STATEMENTS=$(db "SELECT REPLACE(CONVERT(argument USING utf8mb4), '\n', ' ')
	    FROM mysql.general_log WHERE user_host LIKE 'mariapi[%' AND $where")
}

# logged CMD...: the SELECTs and EXPLAINs the API executed.
logged() {
	logged_where "command_type = 'Execute' AND (argument LIKE 'SELECT%' OR argument LIKE 'EXPLAIN%')" "$@"
}

# run_logged PATH: GET PATH as admin, logged.
run_logged() {
	logged get "$1" -g
}

# count PATTERN: the statements of $STATEMENTS matching an extended regex.
count() {
	grep -cE "$1" <<< "$STATEMENTS" || true
}

@test "a page of contacts: one statement, the linkage inside it" {
	run_logged '/api/contacts?page[size]=5'
	expect_status 200
	[ "$(jqb '.data | length')" = 5 ]
	[ "$(jqb '.data[0].relationships.accounts.data | type')" = array ]
	[ "$(count 'FROM `contacts` t')" = 1 ]
	[ "$(count 'account_contacts')" = 1 ]
	[ "$(count 'FROM `contacts` t.*account_contacts|account_contacts.*FROM `contacts` t')" = 1 ]
	# admin sees every account of its organization, and account_contacts
	# keeps both ends in the row's organization: the join table alone, by
	# its (organization, contact) index, the organization the row's (the
	# page is scoped to the request's: no constant for MariaDB to estimate)
	[ "$(count 'GROUP_CONCAT\(`j`.`account_id` ORDER BY `j`.`account_id` SEPARATOR .,. LIMIT [0-9]+\) FROM `account_contacts` j FORCE INDEX \(`ix_ac_contact`\) WHERE `j`.`contact_id` = `t`.`id` AND `j`.`organization_id` = `t`.`organization_id`\)')" = 1 ]
	[ "$(count 'JOIN `accounts`')" = 0 ]
	# the page matches the database
	local id
	for id in $(jqb -r '.data[].id'); do
		[ "$(jqb -r --arg id "$id" '[.data[] | select(.id == $id) | .relationships.accounts.data[].id] | join(",")')" = \
			"$(db "SELECT IFNULL(GROUP_CONCAT(account_id ORDER BY account_id), '') FROM account_contacts WHERE contact_id = $id")" ]
	done
}

@test "sales (user level on accounts): the linkage joins the accounts for its level and shows only its own" {
	# contact 32 (owned by sales) links account 6 (sales's) and 15 (not)
	[ "$(db 'SELECT GROUP_CONCAT(a.owner_id = 52 ORDER BY a.id) FROM account_contacts j
	    JOIN accounts a ON a.id = j.account_id WHERE j.contact_id = 32')" = 1,0 ]
	logged act_as sales GET '/api/contacts?page[size]=-1'
	expect_status 200
	[ "$(count 'account_contacts')" = 1 ]
	# the linked accounts by their primary key, named (no index weighed per row)
	[ "$(count '`account_contacts` j FORCE INDEX \(`ix_ac_contact`\) JOIN `accounts` x FORCE INDEX \(PRIMARY\) ON `x`.`id` = `j`.`account_id` WHERE `j`.`contact_id` = `t`.`id` AND `j`.`organization_id` = `t`.`organization_id` AND `x`.`organization_id` = (1|\?) AND')" = 1 ]
	[ "$(jqb '.data | length')" -gt 0 ]
	local id sid
	sid=$(db "SELECT id FROM users WHERE username = 'sales'")
	for id in $(jqb -r '.data[].id'); do
		[ "$(jqb -r --arg id "$id" '[.data[] | select(.id == $id) | .relationships.accounts.data[].id] | join(",")')" = \
			"$(db "SELECT IFNULL(GROUP_CONCAT(a.id ORDER BY a.id), '') FROM account_contacts j
			    JOIN accounts a ON a.id = j.account_id WHERE j.contact_id = $id AND a.owner_id = $sid")" ]
	done
	[ "$(jqb -r '.data[] | select(.id == "32") | [.relationships.accounts.data[].id] | join(",")')" = 6 ]
}

@test "every join index a descriptor names leads with the join table's organization and our side's column" {
	local table self org index n=0
	# "table self org index" per to-many relationship of src/resources/res_*.c with a join_index
	while read -r table self org index; do
		[ "$(db "SELECT GROUP_CONCAT(column_name ORDER BY seq_in_index) FROM information_schema.statistics
		    WHERE table_schema = 'mariapi' AND table_name = '$table' AND index_name = '$index'
		    AND seq_in_index <= 2")" = "$org,$self" ] || { echo "$table $index: not ($org, $self)" >&2; return 1; }
		n=$((n + 1))
	done < <(cat "$BATS_TEST_DIRNAME"/../src/resources/res_*.c | tr -d '\n\t' |
		grep -oE '\.join_table = "[a-z_]+", *\.join_self = "[a-z_]+"[^}]*\.join_org = "[a-z_]+", *\.join_index = "[A-Za-z_]+"' |
		sed -E 's/[^"]*"([^"]*)"[^"]*"([^"]*)"[^"]*"[^"]*"[^"]*"([^"]*)"[^"]*"([^"]*)"/\1 \2 \3 \4/')
	[ "$n" -eq 2 ]
}

@test "include=owner,accounts: one statement per include path, linkage one per batch" {
	run_logged '/api/contacts?page[size]=10&include=owner,accounts'
	expect_status 200
	[ "$(jqb '[.included[] | select(.type == "users")] | length')" -gt 0 ]
	[ "$(jqb '[.included[] | select(.type == "accounts")] | length')" -gt 0 ]
	[ "$(count 'FROM `users` t FORCE INDEX \(PRIMARY\) WHERE `t`.`id` IN')" = 1 ]
	[ "$(count 'FROM `accounts` t FORCE INDEX \(PRIMARY\) WHERE `t`.`id` IN')" = 1 ]
	# contacts -> accounts, accounts -> contacts, users -> roles: each inside
	# the statement of its page or include path, none on its own
	[ "$(count 'account_contacts')" = 2 ]
	[ "$(count '`user_roles` j')" = 1 ]
	[ "$(count 'FROM `(contacts|accounts|users)` t')" = 3 ]
}

@test "an empty page with include: no include statement" {
	run_logged '/api/contacts?filter[id]=999999999&include=owner,accounts'
	expect_status 200
	[ "$(jqb '.data | length')" = 0 ]
	[ "$(count 'FROM `users` t FORCE INDEX \(PRIMARY\) WHERE `t`.`id` IN')" = 0 ]
	[ "$(count 'FROM `accounts` t FORCE INDEX \(PRIMARY\) WHERE `t`.`id` IN')" = 0 ]
}

@test "fields[] leaving the to-many relationship out: no linkage statement" {
	run_logged '/api/contacts/1?fields[contacts]=firstName,owner'
	expect_status 200
	[ "$(jqb '.data.attributes.firstName')" != null ]
	[ "$(count 'account_contacts')" = 0 ]
	[ "$(count 'FROM `contacts` t FORCE INDEX \(PRIMARY\) WHERE `t`.`id`')" = 1 ]
}

# plan_statements PATH: GET PATH ran the page's statement alone, no EXPLAIN.
plan_statements() {
	run_logged "$1"
	expect_status 200 || return 1
	[ "$(count '^EXPLAIN')" = 0 ] && [ "$(count 'FROM `contacts` t')" = 1 ]
}

@test "a repeated filtered, sorted list: one EXPLAIN the first time, then one statement" {
	# a prefix nothing asked for before: no process keeps its estimates yet
	local path="/api/contacts?filter[lastName][starts_with]=Plan$RANDOM$RANDOM-&sort=-createdAt"
	run_logged "$path"
	expect_status 200
	[ "$(count '^EXPLAIN SELECT 1 FROM `contacts` t')" = 1 ]
	[ "$(count '^SELECT .* FROM `contacts` t')" = 1 ]
	# each FastCGI process asks once, then keeps the estimates (plan.cache_ttl)
	eventually 5 plan_statements "$path"
}

@test "POST a contact with a name: no statement to check it is not blank; blank-looking names still refused" {
	logged send POST /api/contacts '{"data":{"type":"contacts","attributes":{"firstName":"Ann","email":"ann.stmt@example.com"}}}'
	expect_status 201
	local id
	id=$(jqb .data.id)
	[ "$(count 'COALESCE\(first_name')" = 0 ]
	# spaces and a zero-width space equal '' in the column's collation: the
	# database decides, and refuses them
	logged send POST /api/contacts '{"data":{"type":"contacts","attributes":{"firstName":"  ","lastName":"\u200b"}}}'
	expect_error 400 'not blank constraint' 'The first name or the last name must be set.'
	[ "$(count 'COALESCE\(first_name')" = 1 ]
	# a PATCH that sets no name leaves the stored ones, which passed: no
	# statement (it asked the database before issue 14)
	logged send PATCH "/api/contacts/$id" "{\"data\":{\"type\":\"contacts\",\"id\":\"$id\",\"attributes\":{\"jobTitle\":\"Stmt\"}}}"
	expect_status 200
	[ "$(count 'COALESCE\(first_name')" = 0 ]
}

@test "PATCH of a contact: no name-check statement unless it sends a name that may be blank; a blank-looking one still refused" {
	local id
	id=$(new_contact '{"firstName":"Bo","lastName":"Stmt"}')
	logged send PATCH "/api/contacts/$id" "{\"data\":{\"type\":\"contacts\",\"id\":\"$id\",\"attributes\":{\"jobTitle\":\"NoName\"}}}"
	expect_status 200
	[ "$(count 'COALESCE\(first_name')" = 0 ]
	# a blank-looking first name with the last name stored: the database
	# decides (the stored last name makes it pass)
	logged send PATCH "/api/contacts/$id" "{\"data\":{\"type\":\"contacts\",\"id\":\"$id\",\"attributes\":{\"firstName\":\" \"}}}"
	expect_status 200
	[ "$(count 'COALESCE\(first_name')" = 1 ]
	# both blank: asked and refused, nothing kept
	logged send PATCH "/api/contacts/$id" "{\"data\":{\"type\":\"contacts\",\"id\":\"$id\",\"attributes\":{\"lastName\":null}}}"
	expect_error 400 'not blank constraint' 'The first name or the last name must be set.'
	[ "$(count 'COALESCE\(first_name')" = 1 ]
	[ "$(db "SELECT last_name FROM contacts WHERE id = $id")" = Stmt ]
	# a batch record that updates without a name: no statement either
	logged send PATCH /api/contacts "{\"data\":[{\"type\":\"contacts\",\"id\":\"$id\",\"meta\":{\"update\":true},\"attributes\":{\"jobTitle\":\"Batch\"}}]}" -H 'X-Mode: sync'
	expect_status 200
	[ "$(count 'COALESCE\(first_name')" = 0 ]
	[ "$(db "SELECT job_title FROM contacts WHERE id = $id")" = Batch ]
}

# logged_all CMD...: every statement the API sent (text and prepared: each
# a round trip).
logged_all() {
	logged_where "command_type IN ('Query', 'Execute')" "$@"
}

# steady_write METHOD PATH BODY: the write once (each FastCGI process may
# prepare its statements the first time), then logged_all.
# The key and access-level loads that a process's caches repeat once their
# auth.cache_ttl has passed (a slow box can take that long between the
# warm-up and the logged request) are left out: credentials, not the write.
steady_write() {
	local i
	for i in 1 2 3 4; do send "$@"; done
	logged_all send "$@"
	STATEMENTS=$(grep -vE '^SELECT (k\.id, k\.api_key|rp\.entity_type|bu\.id, bu\.parent_id)' <<< "$STATEMENTS")
}

@test "a WSSE write in steady state: START TRANSACTION ... COMMIT, no autocommit statements (POST 5 round trips, PATCH 6)" {
	local id
	id=$(new_contact '{"firstName":"Tx","lastName":"Stmt"}')
	# PATCH: nonce, START TRANSACTION, the check, UPDATE, read-back, COMMIT
	# (8 before issue 14: SET autocommit twice and the name check)
	steady_write PATCH "/api/contacts/$id" "{\"data\":{\"type\":\"contacts\",\"id\":\"$id\",\"attributes\":{\"jobTitle\":\"Tx$RANDOM\"}}}"
	expect_status 200
	echo "$STATEMENTS"
	[ "$(count 'autocommit|AUTOCOMMIT')" = 0 ]
	[ "$(count '^START TRANSACTION$')" = 1 ]
	[ "$(count '^COMMIT$')" = 1 ]
	[ "$(sed -n 2p <<< "$STATEMENTS")" = 'START TRANSACTION' ]
	[ "$(tail -n 1 <<< "$STATEMENTS")" = COMMIT ]
	[ "$(wc -l <<< "$STATEMENTS")" = 6 ]
	# POST: nonce, START TRANSACTION, INSERT, read-back, COMMIT (6 before)
	steady_write POST /api/contacts '{"data":{"type":"contacts","attributes":{"firstName":"Tx","lastName":"Stmt"}}}'
	expect_status 201
	echo "$STATEMENTS"
	[ "$(count 'autocommit|AUTOCOMMIT')" = 0 ]
	[ "$(sed -n 2p <<< "$STATEMENTS")" = 'START TRANSACTION' ]
	[ "$(tail -n 1 <<< "$STATEMENTS")" = COMMIT ]
	[ "$(wc -l <<< "$STATEMENTS")" = 5 ]
}

@test "a conditional PATCH (If-Match) checks access once: 7 round trips, the tag's SELECT after the check" {
	local id
	id=$(new_contact '{"firstName":"Tx","lastName":"IfMatch"}')
	# nonce, START TRANSACTION, the access check, the tag's read, UPDATE,
	# read-back, COMMIT (8 before: the item's own checks repeated the access
	# check); `*` matches whatever the runs before changed
	steady_write PATCH "/api/contacts/$id" "{\"data\":{\"type\":\"contacts\",\"id\":\"$id\",\"attributes\":{\"jobTitle\":\"Same\"}}}" -H 'If-Match: *'
	expect_status 200
	echo "$STATEMENTS"
	[ "$(sed -n 2p <<< "$STATEMENTS")" = 'START TRANSACTION' ]
	[ "$(count '^UPDATE ')" = 1 ]
	[ "$(tail -n 1 <<< "$STATEMENTS")" = COMMIT ]
	[ "$(wc -l <<< "$STATEMENTS")" = 7 ]
	# a stale tag is still refused, after the check, with nothing written
	send PATCH "/api/contacts/$id" "{\"data\":{\"type\":\"contacts\",\"id\":\"$id\",\"attributes\":{\"jobTitle\":\"Stale\"}}}" -H 'If-Match: "0000"'
	expect_error 412 'precondition failed http exception'
	[ "$(db "SELECT job_title FROM contacts WHERE id = $id")" = Same ]
}

@test "a record found by its id names the primary key: the read, the write's check and UPDATE, the WSSE nonce (joined in order)" {
	# Without FORCE INDEX (PRIMARY), MariaDB estimates the organization's
	# range in every index that starts with organization_id before it takes
	# the primary key: a tenth of a read, half of an UPDATE (issue 14).
	local id
	id=$(new_contact '{"firstName":"Pk","lastName":"Named"}')
	run_logged "/api/contacts/$id"
	expect_status 200
	[ "$(jqb -r .data.id)" = "$id" ]
	[ "$(count 'FROM `contacts` t FORCE INDEX \(PRIMARY\) WHERE `t`.`id` = ')" = 1 ]
	[ "$(count 'FROM `contacts` t WHERE')" = 0 ]
	steady_write PATCH "/api/contacts/$id" "{\"data\":{\"type\":\"contacts\",\"id\":\"$id\",\"attributes\":{\"jobTitle\":\"Pk$RANDOM\"}}}"
	expect_status 200
	echo "$STATEMENTS"
	# the access check and the read-back, then the UPDATE
	[ "$(count 'FROM `contacts` t FORCE INDEX \(PRIMARY\) WHERE `t`.`id` = ')" = 2 ]
	[ "$(count '^UPDATE `contacts` t FORCE INDEX \(PRIMARY\) SET ')" = 1 ]
	# The nonce's re-check joins in the order written (STRAIGHT_JOIN): no
	# weighing of join orders on every WSSE request.
	[ "$(count '^INSERT INTO wsse_nonces \([a-z_, ]*\) SELECT STRAIGHT_JOIN .* FROM api_keys k FORCE INDEX \(PRIMARY\) JOIN users u FORCE INDEX \(PRIMARY\) .* JOIN organizations o FORCE INDEX \(PRIMARY\) .* JOIN user_organizations uo FORCE INDEX \(PRIMARY\) .* WHERE k.enabled = 1 AND k.id = ')" = 1 ]
	[ "$(db "SELECT job_title FROM contacts WHERE id = $id")" = "$(jqb -r .data.attributes.jobTitle)" ]
}
