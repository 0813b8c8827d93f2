# writes_atomic.bats: deletes and the all-or-nothing rule of section 8.
# DELETE by filter (filter required, at most max_delete_entities, lowest ids
# first, X-Include counts, other organizations untouched), deleting a
# record others depend on (409), rollbacks (a duplicate key in the middle
# of a request, a database error halfway), a race of two POSTs with the
# same unique value, and the calls rule of section 12 (contacting-activity
# fields kept exact on create, re-assign, change and delete).
load helpers/common

TRIGGER=wtest_atomic_fail

# del PATH [curl args...]: a DELETE as admin.
del() {
	local path=$1
	shift
	req DELETE "$path" -H 'Accept: application/vnd.api+json' -H "$(wsse)" "$@"
}

uniq_name() { echo "atom$(date +%s%N)"; }

teardown() {
	db "DROP TRIGGER IF EXISTS $TRIGGER"
}

# bulk_contacts ORG N MARKER: N contacts of organization ORG with job title
# MARKER (inserted directly: the deletes are what is tested).
bulk_contacts() {
	local owner=1
	[ "$1" = 2 ] && owner=2
	db "INSERT INTO contacts (organization_id, owner_id, last_name, job_title, created_at, updated_at)
	    SELECT $1, $owner, CONCAT('$3', seq), '$3', UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM seq_1_to_$2"
}

new_account() {
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$1\"}}}"
	expect_status 201 >&2 || return 1
	jqb .data.id
}

# ---------------------------------------------------------------- DELETE by filter

@test "DELETE /api/contacts without a filter: 400 filter constraint At least one filter must be provided., nothing deleted" {
	before=$(db "SELECT COUNT(*) FROM contacts")
	del /api/contacts
	expect_error 400 'filter constraint' 'At least one filter must be provided.'
	del '/api/contacts?page%5Bsize%5D=1'
	expect_error 400 'filter constraint' 'At least one filter must be provided.'
	[ "$(db "SELECT COUNT(*) FROM contacts")" = "$before" ]
}

@test "DELETE by filter deletes at most 100 (max_delete_entities) matching records, lowest ids first; X-Include counts" {
	m=$(uniq_name)
	bulk_contacts 1 105 "$m"
	bulk_contacts 1 2 "${m}other"
	ids=$(db "SELECT id FROM contacts WHERE job_title = '$m' ORDER BY id" | xargs)
	del "/api/contacts?filter%5BjobTitle%5D=$m" -H 'X-Include: totalCount;deletedCount'
	expect_status 204
	[ -z "$BODY" ]
	[ "$(header X-Include-Total-Count)" = 105 ]
	[ "$(header X-Include-Deleted-Count)" = 100 ]
	# the five with the highest ids are left
	[ "$(db "SELECT id FROM contacts WHERE job_title = '$m' ORDER BY id" | xargs)" = "$(echo "$ids" | tr ' ' '\n' | tail -5 | xargs)" ]
	# records the filter does not match stay
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE job_title = '${m}other'")" = 2 ]
	# and a list shows the five left
	get "/api/contacts?filter%5BjobTitle%5D=$m&page%5Bsize%5D=-1"
	expect_status 200
	[ "$(jqb '[.data[].id] | join(" ")')" = "$(echo "$ids" | tr ' ' '\n' | tail -5 | xargs)" ]
	del "/api/contacts?filter%5BjobTitle%5D=$m" -H 'X-Include: totalCount;deletedCount'
	expect_status 204
	[ "$(header X-Include-Total-Count)" = 5 ]
	[ "$(header X-Include-Deleted-Count)" = 5 ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE job_title = '$m'")" = 0 ]
	del "/api/contacts?filter%5BjobTitle%5D=$m" -H 'X-Include: deletedCount'
	expect_status 204
	[ "$(header X-Include-Deleted-Count)" = 0 ]
}

@test "DELETE by filter without X-Include sends no count headers" {
	m=$(uniq_name)
	bulk_contacts 1 2 "$m"
	del "/api/contacts?filter%5BjobTitle%5D=$m"
	expect_status 204
	[ -z "$(header X-Include-Total-Count)" ]
	[ -z "$(header X-Include-Deleted-Count)" ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE job_title = '$m'")" = 0 ]
}

@test "DELETE by filter never touches records of another organization, nor counts them" {
	m=$(uniq_name)
	bulk_contacts 1 3 "$m"
	bulk_contacts 2 4 "$m"
	del "/api/contacts?filter%5BjobTitle%5D=$m" -H 'X-Include: totalCount;deletedCount'
	expect_status 204
	[ "$(header X-Include-Total-Count)" = 3 ]
	[ "$(header X-Include-Deleted-Count)" = 3 ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE job_title = '$m' AND organization_id = 1")" = 0 ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE job_title = '$m' AND organization_id = 2")" = 4 ]
	# by id too: an id of organization 2 matches nothing
	other=$(db "SELECT MIN(id) FROM contacts WHERE job_title = '$m' AND organization_id = 2")
	del "/api/contacts?filter%5Bid%5D=$other" -H 'X-Include: deletedCount'
	expect_status 204
	[ "$(header X-Include-Deleted-Count)" = 0 ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE id = $other")" = 1 ]
}

@test "DELETE by filter with an invalid filter: 400 filter constraint, nothing deleted" {
	m=$(uniq_name)
	bulk_contacts 1 2 "$m"
	del "/api/contacts?filter%5BjobTitle%5D=$m&filter%5Bnope%5D=1"
	expect_error 400 'filter constraint' 'The filter is not supported.'
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE job_title = '$m'")" = 2 ]
}

# a_call CONTACT_ID -> JSON of a call linked to the contact.
a_call() {
	echo "{\"data\":{\"type\":\"calls\",\"attributes\":{\"subject\":\"$2\",\"phoneNumber\":\"555\",\"callDateTime\":\"2020-01-01T10:00:00Z\",\"direction\":\"incoming\"},\"relationships\":{\"contact\":{\"data\":{\"type\":\"contacts\",\"id\":\"$1\"}}}}}"
}

@test "DELETE of a contact a call refers to: 409 conflict constraint, the contact stays" {
	n=$(uniq_name)
	c=$(new_contact "$n")
	send POST /api/calls "$(a_call "$c" "$n")"
	expect_status 201
	del "/api/contacts/$c"
	expect_error 409 'conflict constraint'
	get "/api/contacts/$c"
	expect_status 200
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE id = $c")" = 1 ]
}

@test "DELETE by filter matching a referenced record: 409, none of the matches deleted" {
	n=$(uniq_name)
	bulk_contacts 1 3 "$n"
	c=$(db "SELECT MAX(id) FROM contacts WHERE job_title = '$n'")
	send POST /api/calls "$(a_call "$c" "$n")"
	expect_status 201
	del "/api/contacts?filter%5BjobTitle%5D=$n"
	expect_error 409 'conflict constraint'
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE job_title = '$n'")" = 3 ]
}

@test "DELETE of a record of another organization: 404, it stays" {
	m=$(uniq_name)
	bulk_contacts 2 1 "$m"
	other=$(db "SELECT id FROM contacts WHERE job_title = '$m'")
	del "/api/contacts/$other"
	expect_error 404 'not found http exception'
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE id = $other")" = 1 ]
}

# ---------------------------------------------------------------- rollbacks

@test "a duplicate username in the middle of a request (two included users): 400 unique entity constraint, nothing stored" {
	n=$(uniq_name)
	bu='"relationships":{"owner":{"data":{"type":"businessunits","id":"1"}}}'
	# account -> owner u1; contact k1 -> owner u1, assignedTo u2; u1 and u2 share a username
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$n\"},
		\"relationships\":{\"owner\":{\"data\":{\"type\":\"users\",\"id\":\"u1\"}}}},
		\"included\":[{\"type\":\"users\",\"id\":\"u1\",\"attributes\":{\"username\":\"$n\",\"email\":\"${n}1@example.com\"},$bu},
		{\"type\":\"contacts\",\"id\":\"k1\",\"attributes\":{\"lastName\":\"$n\"},
		 \"relationships\":{\"owner\":{\"data\":{\"type\":\"users\",\"id\":\"u1\"}},\"assignedTo\":{\"data\":{\"type\":\"users\",\"id\":\"u2\"}}}},
		{\"type\":\"users\",\"id\":\"u2\",\"attributes\":{\"username\":\"$n\",\"email\":\"${n}2@example.com\"},$bu}]}"
	expect_error 400 'unique entity constraint'
	jqb '.errors[].source.pointer' | grep -q '^/included/[02]/attributes/username$'
	[ "$(db "SELECT COUNT(*) FROM users WHERE username = '$n'")" = 0 ]
	[ "$(db "SELECT COUNT(*) FROM users WHERE email LIKE '${n}%'")" = 0 ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE last_name = '$n'")" = 0 ]
	[ "$(db "SELECT COUNT(*) FROM accounts WHERE name = '$n'")" = 0 ]
}

@test "a duplicate email in the middle of a request: 400 unique entity constraint at that item's email, nothing stored" {
	n=$(uniq_name)
	bu='"relationships":{"owner":{"data":{"type":"businessunits","id":"1"}}}'
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$n\"},
		\"relationships\":{\"owner\":{\"data\":{\"type\":\"users\",\"id\":\"u1\"}}}},
		\"included\":[{\"type\":\"users\",\"id\":\"u1\",\"attributes\":{\"username\":\"${n}a\",\"email\":\"$n@example.com\"},$bu},
		{\"type\":\"contacts\",\"id\":\"k1\",\"attributes\":{\"lastName\":\"$n\"},
		 \"relationships\":{\"owner\":{\"data\":{\"type\":\"users\",\"id\":\"u1\"}},\"assignedTo\":{\"data\":{\"type\":\"users\",\"id\":\"u2\"}}}},
		{\"type\":\"users\",\"id\":\"u2\",\"attributes\":{\"username\":\"${n}b\",\"email\":\"$n@example.com\"},$bu}]}"
	expect_error 400 'unique entity constraint' 'This value is already used.'
	jqb '.errors[].source.pointer' | grep -q '^/included/[02]/attributes/email$'
	[ -z "$(jqb '.errors[].source.pointer' | grep username)" ]
	[ "$(db "SELECT COUNT(*) FROM users WHERE username LIKE '${n}%'")" = 0 ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE last_name = '$n'")" = 0 ]
	[ "$(db "SELECT COUNT(*) FROM accounts WHERE name = '$n'")" = 0 ]
}

@test "a database error halfway (a trigger failing the join-table insert): 500 internal server error, no contact left" {
	n=$(uniq_name)
	a=$(new_account "$n")
	db "CREATE TRIGGER $TRIGGER BEFORE INSERT ON account_contacts FOR EACH ROW
	    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'writes_atomic test trigger'"
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"$n\"},
		\"relationships\":{\"accounts\":{\"data\":[{\"type\":\"accounts\",\"id\":\"$a\"}]}}}}"
	expect_error 500 'internal server error'
	[ "$(jqb '.errors[0].detail // "none"')" = none ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE last_name = '$n'")" = 0 ]
	[ "$(db "SELECT COUNT(*) FROM account_contacts WHERE account_id = $a")" = 0 ]
	# the next write on the same processes works (no transaction left open)
	db "DROP TRIGGER $TRIGGER"
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"$n\"},
		\"relationships\":{\"accounts\":{\"data\":[{\"type\":\"accounts\",\"id\":\"$a\"}]}}}}"
	expect_status 201
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE last_name = '$n'")" = 1 ]
}

@test "a database error halfway through a PATCH leaves the record as it was" {
	n=$(uniq_name)
	a=$(new_account "$n")
	c=$(new_contact "$n")
	db "CREATE TRIGGER $TRIGGER BEFORE INSERT ON account_contacts FOR EACH ROW
	    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'writes_atomic test trigger'"
	send PATCH "/api/contacts/$c" "{\"data\":{\"type\":\"contacts\",\"id\":\"$c\",\"attributes\":{\"jobTitle\":\"Changed\"},
		\"relationships\":{\"accounts\":{\"data\":[{\"type\":\"accounts\",\"id\":\"$a\"}]}}}}"
	expect_error 500 'internal server error'
	[ "$(db "SELECT IFNULL(job_title, 'none') FROM contacts WHERE id = $c")" = none ]
}

# race FIELD: six rounds of two concurrent POSTs of users sharing the value
# of FIELD (username or email), the other unique field differing.
race() {
	local field=$1 n round k h name u1 u2 e1 e2 statuses
	n=$(uniq_name)
	for round in 1 2 3 4 5 6; do
		name="${n}r$round"
		h1=$(wsse)
		h2=$(wsse)
		for k in 1 2; do
			h=$h1
			[ $k = 2 ] && h=$h2
			if [ "$field" = username ]; then
				u=$name e="${name}x$k@example.com"
			else
				u="${name}x$k" e="$name@example.com"
			fi
			curl -s -o "$BATS_TEST_TMPDIR/race$k" -w '%{http_code}' -X POST \
				-H 'Content-Type: application/vnd.api+json' -H "$h" \
				--data-binary "{\"data\":{\"type\":\"users\",\"attributes\":{\"username\":\"$u\",\"email\":\"$e\"},\"relationships\":{\"owner\":{\"data\":{\"type\":\"businessunits\",\"id\":\"1\"}}}}}" \
				"$API_URL/api/users" > "$BATS_TEST_TMPDIR/race$k.status" &
		done
		wait
		statuses=$(printf '%s\n' "$(cat "$BATS_TEST_TMPDIR/race1.status")" \
			"$(cat "$BATS_TEST_TMPDIR/race2.status")" | sort | xargs)
		[ "$statuses" = "201 400" ] || { echo "round $round: $statuses" >&2; cat "$BATS_TEST_TMPDIR"/race?; return 1; }
		for k in 1 2; do
			if [ "$(cat "$BATS_TEST_TMPDIR/race$k.status")" = 400 ]; then
				BODY=$(cat "$BATS_TEST_TMPDIR/race$k")
				[ "$(jqb '.errors[0].title')" = 'unique entity constraint' ]
				[ "$(jqb '.errors[0].source.pointer')" = "/data/attributes/$field" ] ||
					{ echo "round $round: $BODY" >&2; return 1; }
			fi
		done
		if [ "$field" = username ]; then
			[ "$(db "SELECT COUNT(*) FROM users WHERE username = '$name'")" = 1 ]
		else
			[ "$(db "SELECT COUNT(*) FROM users WHERE email = '$name@example.com'")" = 1 ]
		fi
	done
}

@test "a race of two POSTs of users with the same username: each round exactly one 201 and one 400, never two rows" {
	race username
}

@test "a race of two POSTs of users with the same email: one 201, one 400 pointing at email, never two rows" {
	race email
}

# ---------------------------------------------------------------- calls rule (section 12)

# activity TABLE ID -> the six contacting-activity columns as stored, one line.
activity() {
	db "SELECT times_contacted, times_contacted_in, times_contacted_out,
	           IFNULL(last_contacted_date, 'NULL'), IFNULL(last_contacted_date_in, 'NULL'),
	           IFNULL(last_contacted_date_out, 'NULL') FROM $1 WHERE id = $2" | tr '\t' ' '
}

# expected FK ID -> the same six values computed from the calls table,
# formulated apart from the server's (ordered subqueries, not MAX/SUM).
expected() {
	db "SELECT (SELECT COUNT(*) FROM calls WHERE $1 = $2),
	           (SELECT COUNT(*) FROM calls WHERE $1 = $2 AND direction = 'incoming'),
	           (SELECT COUNT(*) FROM calls WHERE $1 = $2 AND direction = 'outgoing'),
	           IFNULL((SELECT call_date_time FROM calls WHERE $1 = $2 ORDER BY call_date_time DESC LIMIT 1), 'NULL'),
	           IFNULL((SELECT call_date_time FROM calls WHERE $1 = $2 AND direction = 'incoming' ORDER BY call_date_time DESC LIMIT 1), 'NULL'),
	           IFNULL((SELECT call_date_time FROM calls WHERE $1 = $2 AND direction = 'outgoing' ORDER BY call_date_time DESC LIMIT 1), 'NULL')" |
		tr '\t' ' '
}

# api_activity TYPE ID -> the six attributes as the API shows them.
api_activity() {
	get "/api/$1/$2"
	expect_status 200 >&2 || return 1
	jqb '.data.attributes | [.timesContacted, .timesContactedIn, .timesContactedOut,
		.lastContactedDate, .lastContactedDateIn, .lastContactedDateOut] | map(tostring) | join(" ")'
}

# call_json SUBJECT DIRECTION DATETIME CONTACT ACCOUNT (empty: no link)
call_json() {
	local rels="" sep=""
	if [ -n "$4" ]; then
		rels="\"contact\":{\"data\":{\"type\":\"contacts\",\"id\":\"$4\"}}"
		sep=,
	fi
	[ -n "$5" ] && rels="$rels$sep\"account\":{\"data\":{\"type\":\"accounts\",\"id\":\"$5\"}}"
	echo "{\"data\":{\"type\":\"calls\",\"attributes\":{\"subject\":\"$1\",\"phoneNumber\":\"555-0100\",\"direction\":\"$2\",\"callDateTime\":\"$3\"},\"relationships\":{$rels}}}"
}

new_call() {
	send POST /api/calls "$(call_json "$@")"
	expect_status 201 >&2 || return 1
	jqb .data.id
}

@test "creating calls for a contact and an account sets timesContacted/In/Out and lastContactedDate/In/Out exactly" {
	n=$(uniq_name)
	c=$(new_contact "$n")
	a=$(new_account "$n")
	[ "$(activity contacts "$c")" = "0 0 0 NULL NULL NULL" ]
	new_call "$n" incoming 2020-01-01T10:00:00Z "$c" "$a" >/dev/null
	[ "$(activity contacts "$c")" = "1 1 0 2020-01-01 10:00:00 2020-01-01 10:00:00 NULL" ]
	new_call "$n" outgoing 2020-03-01T09:00:00+02:00 "$c" "$a" >/dev/null
	new_call "$n" incoming 2020-02-01T12:30:00Z "$c" "" >/dev/null
	new_call "$n" outgoing 2019-12-31T23:00:00Z "" "$a" >/dev/null
	[ "$(activity contacts "$c")" = "3 2 1 2020-03-01 07:00:00 2020-02-01 12:30:00 2020-03-01 07:00:00" ]
	[ "$(activity contacts "$c")" = "$(expected contact_id "$c")" ]
	[ "$(activity accounts "$a")" = "3 1 2 2020-03-01 07:00:00 2020-01-01 10:00:00 2020-03-01 07:00:00" ]
	[ "$(activity accounts "$a")" = "$(expected account_id "$a")" ]
	[ "$(api_activity contacts "$c")" = "3 2 1 2020-03-01T07:00:00Z 2020-02-01T12:30:00Z 2020-03-01T07:00:00Z" ]
	[ "$(api_activity accounts "$a")" = "3 1 2 2020-03-01T07:00:00Z 2020-01-01T10:00:00Z 2020-03-01T07:00:00Z" ]
}

@test "a call created with an included new contact counts for that contact" {
	n=$(uniq_name)
	send POST /api/calls "{\"data\":{\"type\":\"calls\",\"attributes\":{\"subject\":\"$n\",\"phoneNumber\":\"1\",\"direction\":\"outgoing\",\"callDateTime\":\"2021-05-05T05:05:05Z\"},
		\"relationships\":{\"contact\":{\"data\":{\"type\":\"contacts\",\"id\":\"k\"}}}},
		\"included\":[{\"type\":\"contacts\",\"id\":\"k\",\"attributes\":{\"lastName\":\"$n\"}}]}"
	expect_status 201
	c=$(jqb '.included[0].id')
	[ "$(activity contacts "$c")" = "1 0 1 2021-05-05 05:05:05 NULL 2021-05-05 05:05:05" ]
	[ "$(jqb '.included[0].attributes.timesContactedOut')" = 1 ]
}

@test "a call included in the POST of its contact counts for it; the response shows the counts" {
	n=$(uniq_name)
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"id\":\"me\",\"attributes\":{\"lastName\":\"$n\"}},
		\"included\":[{\"type\":\"calls\",\"id\":\"k1\",\"attributes\":{\"subject\":\"$n\",\"phoneNumber\":\"1\",\"direction\":\"incoming\",\"callDateTime\":\"2020-07-07T07:07:07Z\"},
		\"relationships\":{\"contact\":{\"data\":{\"type\":\"contacts\",\"id\":\"me\"}}}}]}"
	expect_status 201
	c=$(jqb .data.id)
	[ "$(jqb '.data.attributes | [.timesContacted, .timesContactedIn, .timesContactedOut, .lastContactedDateIn] | map(tostring) | join(" ")')" = "1 1 0 2020-07-07T07:07:07Z" ]
	[ "$(activity contacts "$c")" = "1 1 0 2020-07-07 07:07:07 2020-07-07 07:07:07 NULL" ]
}

@test "re-assigning a call to a contact created in the same PATCH (included) moves the counts to it" {
	n=$(uniq_name)
	c1=$(new_contact "$n")
	k=$(new_call "$n" outgoing 2020-08-08T08:08:08Z "$c1" "")
	send PATCH "/api/calls/$k" "{\"data\":{\"type\":\"calls\",\"id\":\"$k\",\"relationships\":{\"contact\":{\"data\":{\"type\":\"contacts\",\"id\":\"n\"}}}},
		\"included\":[{\"type\":\"contacts\",\"id\":\"n\",\"attributes\":{\"lastName\":\"${n}new\"}}]}"
	expect_status 200
	c2=$(jqb '.included[0].id')
	[ "$(jqb .data.relationships.contact.data.id)" = "$c2" ]
	[ "$(db "SELECT contact_id FROM calls WHERE id = $k")" = "$c2" ]
	[ "$(activity contacts "$c1")" = "0 0 0 NULL NULL NULL" ]
	[ "$(activity contacts "$c2")" = "1 0 1 2020-08-08 08:08:08 NULL 2020-08-08 08:08:08" ]
}

@test "re-assigning a call to another contact and account (PATCH calls/{id}) moves the counts" {
	n=$(uniq_name)
	c1=$(new_contact "${n}1") c2=$(new_contact "${n}2")
	a1=$(new_account "${n}1") a2=$(new_account "${n}2")
	new_call "$n" incoming 2020-01-01T10:00:00Z "$c1" "$a1" >/dev/null
	k=$(new_call "$n" outgoing 2020-06-01T10:00:00Z "$c1" "$a1")
	[ "$(activity contacts "$c1")" = "2 1 1 2020-06-01 10:00:00 2020-01-01 10:00:00 2020-06-01 10:00:00" ]
	send PATCH "/api/calls/$k" "{\"data\":{\"type\":\"calls\",\"id\":\"$k\",\"relationships\":{
		\"contact\":{\"data\":{\"type\":\"contacts\",\"id\":\"$c2\"}},\"account\":{\"data\":{\"type\":\"accounts\",\"id\":\"$a2\"}}}}}"
	expect_status 200
	[ "$(activity contacts "$c1")" = "1 1 0 2020-01-01 10:00:00 2020-01-01 10:00:00 NULL" ]
	[ "$(activity contacts "$c2")" = "1 0 1 2020-06-01 10:00:00 NULL 2020-06-01 10:00:00" ]
	[ "$(activity accounts "$a1")" = "$(expected account_id "$a1")" ]
	[ "$(activity accounts "$a2")" = "1 0 1 2020-06-01 10:00:00 NULL 2020-06-01 10:00:00" ]
	for c in "$c1" "$c2"; do [ "$(activity contacts "$c")" = "$(expected contact_id "$c")" ]; done
}

@test "re-assigning a call through calls/{id}/relationships/contact, and emptying it with null, moves the counts" {
	n=$(uniq_name)
	c1=$(new_contact "${n}1") c2=$(new_contact "${n}2")
	k=$(new_call "$n" incoming 2020-04-04T04:04:04Z "$c1" "")
	send PATCH "/api/calls/$k/relationships/contact" "{\"data\":{\"type\":\"contacts\",\"id\":\"$c2\"}}"
	expect_status 204
	[ "$(activity contacts "$c1")" = "0 0 0 NULL NULL NULL" ]
	[ "$(activity contacts "$c2")" = "1 1 0 2020-04-04 04:04:04 2020-04-04 04:04:04 NULL" ]
	send PATCH "/api/calls/$k/relationships/contact" '{"data":null}'
	expect_status 204
	[ "$(activity contacts "$c2")" = "0 0 0 NULL NULL NULL" ]
}

@test "changing a call's direction and callDateTime recounts In/Out and the dates" {
	n=$(uniq_name)
	c=$(new_contact "$n")
	new_call "$n" incoming 2020-01-01T00:00:00Z "$c" "" >/dev/null
	k=$(new_call "$n" incoming 2020-02-01T00:00:00Z "$c" "")
	[ "$(activity contacts "$c")" = "2 2 0 2020-02-01 00:00:00 2020-02-01 00:00:00 NULL" ]
	send PATCH "/api/calls/$k" "{\"data\":{\"type\":\"calls\",\"id\":\"$k\",\"attributes\":{\"direction\":\"outgoing\",\"callDateTime\":\"2019-06-01T00:00:00Z\"}}}"
	expect_status 200
	[ "$(activity contacts "$c")" = "2 1 1 2020-01-01 00:00:00 2020-01-01 00:00:00 2019-06-01 00:00:00" ]
	[ "$(activity contacts "$c")" = "$(expected contact_id "$c")" ]
}

@test "deleting calls restores the counts (item DELETE and DELETE by filter)" {
	n=$(uniq_name)
	c=$(new_contact "$n")
	a=$(new_account "$n")
	k1=$(new_call "$n" incoming 2020-01-01T10:00:00Z "$c" "$a")
	k2=$(new_call "$n" outgoing 2020-02-01T10:00:00Z "$c" "$a")
	del "/api/calls/$k2"
	expect_status 204
	[ "$(activity contacts "$c")" = "1 1 0 2020-01-01 10:00:00 2020-01-01 10:00:00 NULL" ]
	[ "$(activity accounts "$a")" = "1 1 0 2020-01-01 10:00:00 2020-01-01 10:00:00 NULL" ]
	del "/api/calls?filter%5Bid%5D=$k1"
	expect_status 204
	[ "$(activity contacts "$c")" = "0 0 0 NULL NULL NULL" ]
	[ "$(activity accounts "$a")" = "0 0 0 NULL NULL NULL" ]
	[ "$(api_activity contacts "$c")" = "0 0 0 null null null" ]
}

@test "a call write that fails leaves the counts as they were" {
	n=$(uniq_name)
	c=$(new_contact "$n")
	new_call "$n" incoming 2020-01-01T10:00:00Z "$c" "" >/dev/null
	before=$(activity contacts "$c")
	# the second linkage names an account that does not exist
	send POST /api/calls "$(call_json "$n" outgoing 2022-01-01T00:00:00Z "$c" 999999)"
	expect_error 400 'form constraint' 'The entity does not exist.'
	[ "$(activity contacts "$c")" = "$before" ]
	[ "$(db "SELECT COUNT(*) FROM calls WHERE subject = '$n'")" = 1 ]
}

@test "the contacting-activity fields are read-only: sending them is 400 extra fields constraint" {
	n=$(uniq_name)
	c=$(new_contact "$n")
	send PATCH "/api/contacts/$c" "{\"data\":{\"type\":\"contacts\",\"id\":\"$c\",\"attributes\":{\"timesContacted\":5}}}"
	expect_error 400 'extra fields constraint' 'This form should not contain extra fields: "timesContacted".'
	[ "$(activity contacts "$c")" = "0 0 0 NULL NULL NULL" ]
}

@test "concurrent calls for one contact and account: every POST 201, the counts exact (no deadlock 500)" {
	n=$(uniq_name)
	c=$(new_contact "$n")
	a=$(new_account "$n")
	: > "$BATS_TEST_TMPDIR/statuses"
	for round in 1 2 3 4 5 6 7 8 9 10; do
		h=()
		for k in 1 2 3; do h+=("$(wsse)"); done
		for k in 0 1 2; do
			curl -s -o /dev/null -w '%{http_code}\n' -X POST \
				-H 'Content-Type: application/vnd.api+json' -H "${h[$k]}" \
				--data-binary "$(call_json "$n" incoming "2020-01-0$((k + 1))T00:00:00Z" "$c" "$a")" \
				"$API_URL/api/calls" >> "$BATS_TEST_TMPDIR/statuses" &
		done
		wait
	done
	[ "$(sort -u "$BATS_TEST_TMPDIR/statuses" | xargs)" = 201 ] ||
		{ sort "$BATS_TEST_TMPDIR/statuses" | uniq -c >&2; return 1; }
	[ "$(activity contacts "$c")" = "30 30 0 2020-01-03 00:00:00 2020-01-03 00:00:00 NULL" ]
	[ "$(activity accounts "$a")" = "$(expected account_id "$a")" ]
}

@test "two calls re-assigned crosswise at once (x to y's contact, y to x's): every PATCH 204, the counts exact" {
	n=$(uniq_name)
	c1=$(new_contact "${n}1") c2=$(new_contact "${n}2")
	x=$(new_call "$n" incoming 2020-01-01T00:00:00Z "$c1" "")
	y=$(new_call "$n" outgoing 2020-02-01T00:00:00Z "$c2" "")
	: > "$BATS_TEST_TMPDIR/statuses"
	for round in $(seq 1 30); do
		cx=$(db "SELECT contact_id FROM calls WHERE id = $x")
		cy=$(db "SELECT contact_id FROM calls WHERE id = $y")
		h1=$(wsse)
		h2=$(wsse)
		curl -s -o /dev/null -w '%{http_code}\n' -X PATCH -H 'Content-Type: application/vnd.api+json' -H "$h1" \
			--data-binary "{\"data\":{\"type\":\"contacts\",\"id\":\"$cy\"}}" \
			"$API_URL/api/calls/$x/relationships/contact" >> "$BATS_TEST_TMPDIR/statuses" &
		curl -s -o /dev/null -w '%{http_code}\n' -X PATCH -H 'Content-Type: application/vnd.api+json' -H "$h2" \
			--data-binary "{\"data\":{\"type\":\"contacts\",\"id\":\"$cx\"}}" \
			"$API_URL/api/calls/$y/relationships/contact" >> "$BATS_TEST_TMPDIR/statuses" &
		wait
	done
	[ "$(sort -u "$BATS_TEST_TMPDIR/statuses" | xargs)" = 204 ] ||
		{ sort "$BATS_TEST_TMPDIR/statuses" | uniq -c >&2; return 1; }
	for c in "$c1" "$c2"; do [ "$(activity contacts "$c")" = "$(expected contact_id "$c")" ]; done
}
