#!/usr/bin/env bats
# The asynchronous batch API (section 9): PATCH /api/{type} answers 202 and
# the job runs after the response in a detached process, chunk by chunk;
# GET /api/asyncoperations/{id} and /errors; apictl batch-worker finishes
# jobs whose runner died. Every test marks its records with a fresh M.
load helpers/common

setup() {
	M=ba$(date +%s%N)
	OP_FLOOR=$(db "SELECT COALESCE(MAX(id), 0) FROM async_operations")
}

# What a test wrote goes: other files compare whole tables of org 1.
teardown() {
	db "DELETE FROM contacts WHERE last_name LIKE '$M-%';
	    DELETE FROM async_operations WHERE id > $OP_FLOOR;
	    UPDATE users SET middle_name = NULL WHERE username = 'viewer'"
}

# contacts_body N [JQ]: {"data": [N contacts lastName M-i]}, JQ applied.
contacts_body() {
	jq -cn --arg m "$M" --argjson n "$1" \
		"{data: [range(\$n) | {type: \"contacts\", attributes: {lastName: \"\\(\$m)-\\(.)\"}}]} | ${2:-.}"
}

# batch BODY [curl args]: PATCH /api/contacts as admin; sets OP (the path
# of Content-Location).
batch() {
	send PATCH /api/contacts "$@"
	OP=$(header Content-Location)
	OP=${OP#"$API_URL"}
}

op_ended() {
	get "$1"
	[ "$STATUS" = 200 ] && { [ "$(jqb .data.attributes.status)" = success ] ||
		[ "$(jqb .data.attributes.status)" = failed ]; }
}

# wait_op PATH: polls the operation until it ended (BODY: its document).
wait_op() {
	eventually 30 op_ended "$1" || { echo "operation: $BODY" >&2; return 1; }
}

marked() { # marked -> how many contacts carry this test's mark
	db "SELECT COUNT(*) FROM contacts WHERE last_name LIKE '$M-%'"
}

@test "async lifecycle: 202 with Content-Location and the operation, polled to success with Oro's summary" {
	batch "$(contacts_body 3)"
	expect_status 202
	[[ "$OP" =~ ^/api/asyncoperations/[0-9]+$ ]] || { echo "Content-Location: $(header Content-Location)" >&2; return 1; }
	[ "$(jqb .data.type)" = asyncoperations ]
	[ "/api/asyncoperations/$(jqb .data.id)" = "$OP" ]
	jqb -e '.data.attributes | .entityType == "contacts" and (.status == "new" or .status == "running")
		and .summary == null' || { echo "body: $BODY" >&2; return 1; }
	wait_op "$OP"
	jqb -e '.data.attributes | .status == "success" and .progress == 1 and (.elapsedTime | type) == "number"
		and .summary.readCount == 3 and .summary.writeCount == 3 and .summary.errorCount == 0
		and .summary.createCount == 3 and .summary.updateCount == 0
		and (.summary.aggregateTime | type) == "number"' || { echo "body: $BODY" >&2; return 1; }
	[ "$(marked)" = 3 ]
	# Created as the requesting user in its organization.
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE last_name LIKE '$M-%' AND owner_id = 1 AND organization_id = 1")" = 3 ]
	get "$OP/errors"
	expect_status 200
	[ "$(jqb -c .data)" = '[]' ]
	# The job's body is not kept once it ended.
	[ "$(db "SELECT COUNT(*) FROM async_operation_data WHERE operation_id = ${OP##*/}")" = 0 ]
}

@test "async: 150 records in 2 chunks with 2 invalid ones: the 148 valid written, errors with pointers into the body" {
	batch "$(contacts_body 150 '.data[7].attributes.email = "not-an-email" | .data[120].attributes.email = "nope"')"
	expect_status 202
	wait_op "$OP"
	jqb -e '.data.attributes | .status == "success" and .summary.readCount == 150 and .summary.writeCount == 148
		and .summary.errorCount == 2 and .summary.createCount == 148' || { echo "body: $BODY" >&2; return 1; }
	[ "$(marked)" = 148 ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE last_name IN ('$M-7', '$M-120')")" = 0 ]
	# Neighbours of the failing records, in both chunks, are there once.
	[ "$(db "SELECT COUNT(DISTINCT last_name) FROM contacts WHERE last_name IN ('$M-6', '$M-8', '$M-119', '$M-121')")" = 4 ]
	get "$OP/errors"
	expect_status 200
	jqb -e '[.data[] | .type] == ["asyncoperationerrors", "asyncoperationerrors"]' || { echo "$BODY" >&2; return 1; }
	[ "$(jqb -c '[.data[].attributes.source.pointer]')" = '["/data/7/attributes/email","/data/120/attributes/email"]' ]
	jqb -e '[.data[].attributes | .status == 400 and .title == "email constraint" and (.detail | type) == "string"] | all' ||
		{ echo "$BODY" >&2; return 1; }
	# Paginated: page[size]=1 has a next link, page 2 the second error.
	get "$OP/errors?page%5Bsize%5D=1"
	[ "$(jqb '.data | length')" = 1 ]
	[[ "$(jqb .links.next)" == *"/api/asyncoperations/${OP##*/}/errors?page%5Bnumber%5D=2&page%5Bsize%5D=1" ]]
	get "$OP/errors?page%5Bsize%5D=1&page%5Bnumber%5D=2"
	[ "$(jqb -r '.data[0].attributes.source.pointer')" = /data/120/attributes/email ]
	[ "$(jqb -r '.links.next')" = null ]
}

@test "async: update items (meta.update) and an upsert that finds the record are counted as updates" {
	local c1 c2
	c1=$(new_contact "$M-u1")
	c2=$(new_contact "$M-u2")
	batch "$(jq -cn --arg m "$M" --arg c1 "$c1" --arg c2 "$c2" '{data: [
		{type: "contacts", id: $c1, meta: {update: true}, attributes: {firstName: "Upd1"}},
		{type: "contacts", id: $c2, meta: {update: true}, attributes: {firstName: "Upd2"}},
		{type: "contacts", attributes: {lastName: "\($m)-new"}}]}')"
	expect_status 202
	wait_op "$OP"
	jqb -e '.data.attributes.summary | .writeCount == 3 and .createCount == 1 and .updateCount == 2 and .errorCount == 0' ||
		{ echo "body: $BODY" >&2; return 1; }
	[ "$(db "SELECT first_name FROM contacts WHERE id IN ($c1, $c2) ORDER BY id" | tr '\n' ' ')" = "Upd1 Upd2 " ]
	[ "$(db "SELECT last_name FROM contacts WHERE id = $c1")" = "$M-u1" ]
	# An upsert by a unique field that finds a user updates it.
	send PATCH /api/users "$(jq -cn '{data: [{type: "users", meta: {upsert: ["email"]},
		attributes: {email: "viewer@acme.example.com", middleName: "Batch"}}]}')"
	expect_status 202
	OP=$(header Content-Location)
	wait_op "${OP#"$API_URL"}"
	jqb -e '.data.attributes.summary | .writeCount == 1 and .createCount == 0 and .updateCount == 1' ||
		{ echo "body: $BODY" >&2; return 1; }
	[ "$(db "SELECT middle_name FROM users WHERE username = 'viewer'")" = Batch ]
}

@test "async: a record the user may not create is an error in /errors (403), not a written row" {
	act_as sales PATCH /api/contacts "$(jq -cn --arg m "$M" '{data: [
		{type: "contacts", attributes: {lastName: "\($m)-own"}},
		{type: "contacts", attributes: {lastName: "\($m)-admins"},
		 relationships: {owner: {data: {type: "users", id: "1"}}}}]}')"
	expect_status 202
	local op
	op=$(header Content-Location)
	op=${op#"$API_URL"}
	eventually 30 eval 'act_as sales GET "$op"; [ "$(jqb .data.attributes.status)" = success ]' ||
		{ echo "body: $BODY" >&2; return 1; }
	jqb -e '.data.attributes.summary | .writeCount == 1 and .errorCount == 1' || { echo "body: $BODY" >&2; return 1; }
	[ "$(db "SELECT last_name FROM contacts WHERE last_name LIKE '$M-%'")" = "$M-own" ]
	act_as sales GET "$op/errors"
	expect_status 200
	jqb -e '.data | length == 1 and .[0].attributes.status == 403 and .[0].attributes.title == "access denied exception"
		and (.[0].attributes.source.pointer | startswith("/data/1"))' || { echo "$BODY" >&2; return 1; }
}

@test "async: another organization's operation and its errors are 404; a user outside the VIEW level gets 403" {
	batch "$(contacts_body 1)"
	wait_op "$OP"
	get_as globex_admin "$GLOBEX_KEY" "$OP"
	expect_error 404 "not found http exception"
	get_as globex_admin "$GLOBEX_KEY" "$OP/errors"
	expect_error 404 "not found http exception"
	# asyncoperations are user-owned: globex_sales sees its own only
	# (VIEW at user level), not globex_admin's.
	req PATCH /api/contacts -H 'Content-Type: application/vnd.api+json' \
		-H 'Accept: application/vnd.api+json' -H "$(wsse globex_admin "$GLOBEX_KEY")" \
		--data-binary "$(contacts_body 1)"
	expect_status 202
	local gop
	gop=$(header Content-Location)
	gop=${gop#"$API_URL"}
	act_as globex_sales GET "$gop"
	expect_error 403 "access denied exception"
	act_as globex_sales GET "$gop/errors"
	expect_error 403 "access denied exception"
	eventually 30 eval 'get_as globex_admin "$GLOBEX_KEY" "$gop"; [ "$(jqb .data.attributes.status)" = success ]'
	# The list route answers 404 (nothing but OPTIONS), errors have no route of their own.
	get /api/asyncoperations
	expect_error 404 "not found http exception"
	get /api/asyncoperationerrors
	expect_error 404 "entity type constraint"
	get "$OP/nothing"
	expect_error 404 "relationship constraint"
}

# cgi_batch ENV... < BODY: PATCH /api/contacts through the binary run as
# plain CGI by hand; returns when every holder of its stdout closed it
# (the job's process included). Sets STATUS, BODY, OP.
cgi_batch() {
	local out
	out=$(env -i API_CONFIG="$API_CONFIG" "$@" REQUEST_METHOD=PATCH REQUEST_URI=/api/contacts \
		HTTP_HOST=example.test HTTP_ACCEPT=application/vnd.api+json \
		CONTENT_TYPE=application/vnd.api+json CONTENT_LENGTH="$(wc -c < "$BATS_TEST_TMPDIR/batch")" \
		HTTP_X_WSSE="$(wsse | sed 's/^X-WSSE: //')" "$API_FCGI" < "$BATS_TEST_TMPDIR/batch" | tr -d '\r')
	STATUS=$(sed -n '1s/^Status: \([0-9]*\).*/\1/p' <<< "$out")
	BODY=$(sed '1,/^$/d' <<< "$out")
	OP=$(sed -n 's/^Content-Location: http:\/\/example.test//p' <<< "$out")
}

@test "plain CGI through lighttpd: the 202 ends the response, the job then runs to success" {
	req PATCH /cgi/api.fcgi/api/contacts -H 'Content-Type: application/vnd.api+json' \
		-H 'Accept: application/vnd.api+json' -H "$(wsse)" --data-binary "$(contacts_body 120)" \
		--max-time 10
	expect_status 202
	OP=$(header Content-Location)
	[[ "$OP" == "$API_URL/cgi/api.fcgi/api/asyncoperations/"* ]] || { echo "Content-Location: $OP" >&2; return 1; }
	wait_op "/api/asyncoperations/${OP##*/}"
	jqb -e '.data.attributes | .status == "success" and .summary.writeCount == 120' || { echo "$BODY" >&2; return 1; }
	[ "$(marked)" = 120 ]
}

@test "a runner killed mid-job (SIGKILL) is finished by apictl batch-worker; no record is written twice" {
	contacts_body 300 > "$BATS_TEST_TMPDIR/batch"
	# API_BATCH_TEST_PAUSE_MS slows the job down between chunks (tests only).
	cgi_batch API_BATCH_TEST_PAUSE_MS=60000
	[ "$STATUS" = 202 ] || { echo "status $STATUS: $BODY" >&2; return 1; }
	local id=${OP##*/} pid
	[ -n "$id" ]
	eventually 20 eval '[ "$(db "SELECT chunks_done FROM async_operations WHERE id = $id")" = 1 ]'
	pid=$(db "SELECT runner_pid FROM async_operations WHERE id = $id")
	kill -0 "$pid"
	kill -KILL "$pid"
	eventually 5 eval '! kill -0 "$pid" 2>/dev/null'
	[ "$(marked)" = 100 ]
	[ "$(db "SELECT status FROM async_operations WHERE id = $id")" = running ]
	# The lease of a dead runner expires (60 s): here, at once.
	run "$API_APICTL" batch-worker
	[ "$status" -eq 0 ]
	[[ "$output" != *"batch job $id:"* ]] || { echo "lease not respected: $output" >&2; return 1; }
	db "UPDATE async_operations SET lease_until = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE id = $id"
	run "$API_APICTL" batch-worker
	[ "$status" -eq 0 ]
	[[ "$output" == *"batch job $id: finished"* ]] || { echo "$output" >&2; return 1; }
	get "/api/asyncoperations/$id"
	jqb -e '.data.attributes | .status == "success" and .summary.readCount == 300 and .summary.writeCount == 300
		and .summary.errorCount == 0' || { echo "$BODY" >&2; return 1; }
	[ "$(marked)" = 300 ]
	[ "$(db "SELECT COUNT(DISTINCT last_name) FROM contacts WHERE last_name LIKE '$M-%'")" = 300 ]
	[ "$(db "SELECT attempts FROM async_operations WHERE id = $id")" = 2 ]
}

# abandoned_job N TAG: inserts a job of N contacts as the service stores it,
# its lease expired (its runner died before its first chunk); prints its id.
abandoned_job() {
	local body id
	body=$(M="$M-$2" contacts_body "$1")
	id=$(db "INSERT INTO async_operations (organization_id, owner_id, status, entity_type, created_at,
	         updated_at, runner_token, lease_until, attempts, record_count)
	         VALUES (1, 1, 'new', 'contacts', UTC_TIMESTAMP(), UTC_TIMESTAMP(), 1,
	         UTC_TIMESTAMP() - INTERVAL 1 SECOND, 1, $1); SELECT LAST_INSERT_ID()") || return 1
	db "INSERT INTO async_operation_data (operation_id, seq, part) VALUES ($id, 0, '$body')" || return 1
	echo "$id"
}

@test "two apictl batch-workers at once share nothing: each abandoned job is run by one of them, once" {
	local ids=() i
	for i in 1 2 3 4; do
		ids+=("$(abandoned_job 150 "j$i")")
	done
	API_BATCH_TEST_PAUSE_MS=150 "$API_APICTL" batch-worker > "$BATS_TEST_TMPDIR/w1" 2>&1 &
	local w1=$!
	API_BATCH_TEST_PAUSE_MS=150 "$API_APICTL" batch-worker > "$BATS_TEST_TMPDIR/w2" 2>&1 &
	local w2=$!
	wait "$w1"
	wait "$w2"
	cat "$BATS_TEST_TMPDIR/w1" "$BATS_TEST_TMPDIR/w2" >&2
	local done
	done=$(cat "$BATS_TEST_TMPDIR/w1" "$BATS_TEST_TMPDIR/w2" | sed -n 's/^batch job \([0-9]*\): finished$/\1/p' | sort -n | tr '\n' ' ')
	[ "$done" = "$(printf '%s\n' "${ids[@]}" | sort -n | tr '\n' ' ')" ]
	for i in "${ids[@]}"; do
		[ "$(db "SELECT status, attempts, write_count FROM async_operations WHERE id = $i")" = "success	2	150" ]
	done
	[ "$(marked)" = 600 ]
	[ "$(db "SELECT COUNT(DISTINCT last_name) FROM contacts WHERE last_name LIKE '$M-%'")" = 600 ]
}

@test "apictl batch-worker fails a job started too many times and one whose body cannot be processed; apictl purge deletes operations ended 30 days ago" {
	local id old
	id=$(abandoned_job 2 x)
	db "UPDATE async_operations SET attempts = 3 WHERE id = $id"
	run "$API_APICTL" batch-worker
	[ "$status" -eq 0 ]
	[[ "$output" == *"batch job $id: failed"* ]] || { echo "$output" >&2; return 1; }
	get "/api/asyncoperations/$id"
	jqb -e '.data.attributes | .status == "failed" and .summary.errorCount == 1' || { echo "$BODY" >&2; return 1; }
	get "/api/asyncoperations/$id/errors"
	[ "$(jqb '.data[0].attributes.status')" = 500 ]
	[ "$(marked)" = 0 ]
	# A body that cannot be processed at all fails the operation.
	local bad
	bad=$(abandoned_job 1 z)
	db "UPDATE async_operation_data SET part = '{\"data\": 5}' WHERE operation_id = $bad"
	run "$API_APICTL" batch-worker
	[[ "$output" == *"batch job $bad: finished"* ]] || { echo "$output" >&2; return 1; }
	get "/api/asyncoperations/$bad"
	jqb -e '.data.attributes | .status == "failed" and .summary.errorCount >= 1 and .summary.writeCount == 0' ||
		{ echo "$BODY" >&2; return 1; }
	get "/api/asyncoperations/$bad/errors"
	[ "$(jqb '.data[0].attributes.status')" = 400 ]
	old=$(abandoned_job 1 y)
	db "UPDATE async_operations SET status = 'success', updated_at = UTC_TIMESTAMP() - INTERVAL 31 DAY WHERE id = $old"
	db "UPDATE async_operations SET updated_at = UTC_TIMESTAMP() - INTERVAL 29 DAY WHERE id = $id"
	run "$API_APICTL" purge
	[ "$status" -eq 0 ]
	[[ "$output" == *"async operations: "[1-9]*" deleted"* ]] || { echo "$output" >&2; return 1; }
	[ "$(db "SELECT COUNT(*) FROM async_operations WHERE id = $old")" = 0 ]
	[ "$(db "SELECT COUNT(*) FROM async_operation_data WHERE operation_id = $old")" = 0 ]
	[ "$(db "SELECT COUNT(*) FROM async_operations WHERE id = $id")" = 1 ]
}
