# batch_sync.bats: the synchronous batch API (section 9, X-Mode: sync):
# PATCH /api/{type} with {"data": [...], "included"?: [...]}: creates,
# meta.update, meta.upsert, included items, meta.dataId / meta.includeId,
# all or nothing with every record's errors (pointers into the body), the
# 100 / 50 limits, the rules of single writes per record (access, other
# organizations, contacting activity), X-Mode values, the plain format,
# batch.max_body_size, and Allow on list routes.
load helpers/common

uniq_name() { echo "bs$(date +%s%N)"; }

# batch TYPE JSON [curl args...]: PATCH /api/TYPE with X-Mode: sync as admin.
batch() {
	local type=$1 body=$2
	shift 2
	send PATCH "/api/$type" "$body" -H 'X-Mode: sync' "$@"
}

# cgi_batch ENV... : a sync batch of $BATS_TEST_TMPDIR/body.json to
# /api/contacts through the binary run as CGI with the suite's config plus
# ENV overrides; sets STATUS and BODY.
cgi_batch() {
	local out
	out=$(env -i API_CONFIG="$API_CONFIG" "$@" REQUEST_METHOD=PATCH REQUEST_URI=/api/contacts \
		CONTENT_TYPE=application/vnd.api+json HTTP_X_MODE=sync \
		HTTP_X_WSSE="$(wsse | sed 's/^X-WSSE: //')" \
		CONTENT_LENGTH="$(wc -c < "$BATS_TEST_TMPDIR/body.json")" "$API_FCGI" \
		< "$BATS_TEST_TMPDIR/body.json" | tr -d '\r')
	STATUS=$(sed -n '1s/^Status: \([0-9]*\).*/\1/p' <<< "$out")
	BODY=$(sed '1,/^$/d' <<< "$out")
}

# Files after this one (documents.bats, filters.bats) compare and delete
# whole tables of organization 1: whatever this file wrote goes.
setup_file() {
	local floors
	floors=$(db "SELECT (SELECT COALESCE(MAX(id), 0) FROM contacts), (SELECT COALESCE(MAX(id), 0) FROM accounts), (SELECT COALESCE(MAX(id), 0) FROM calls)")
	read -r BATCH_CONTACTS BATCH_ACCOUNTS BATCH_CALLS <<< "$floors"
	export BATCH_CONTACTS BATCH_ACCOUNTS BATCH_CALLS
}

teardown_file() {
	db "DELETE FROM calls WHERE id > $BATCH_CALLS;
	    UPDATE accounts SET default_contact_id = NULL WHERE default_contact_id > $BATCH_CONTACTS;
	    UPDATE contacts SET reports_to_id = NULL WHERE reports_to_id > $BATCH_CONTACTS;
	    DELETE FROM contacts WHERE id > $BATCH_CONTACTS;
	    DELETE FROM accounts WHERE id > $BATCH_ACCOUNTS"
}

teardown() {
	# countries are shared by every organization: leave none behind
	if [ -n "${BATCH_COUNTRIES:-}" ]; then
		db "DELETE FROM countries WHERE iso2_code IN ($BATCH_COUNTRIES)"
	fi
}

count_contacts() { db "SELECT COUNT(*) FROM contacts WHERE last_name LIKE '$1%'"; }

@test "sync: records created in request order, 200, data in that order, meta.dataId where an id was sent" {
	n=$(uniq_name)
	batch contacts "{\"data\":[
		{\"type\":\"contacts\",\"id\":\"first\",\"attributes\":{\"lastName\":\"${n}1\"}},
		{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"${n}2\"}},
		{\"type\":\"contacts\",\"id\":\"third\",\"attributes\":{\"lastName\":\"${n}3\",\"email\":\"$n@example.com\"}}]}"
	expect_status 200
	[ "$(jqb '[.data[].attributes.lastName] | join(" ")')" = "${n}1 ${n}2 ${n}3" ]
	[ "$(jqb '[.data[] | .meta.dataId // "-"] | join(" ")')" = "first - third" ]
	[ "$(jqb '.included')" = null ]
	[ "$(db "SELECT GROUP_CONCAT(id ORDER BY id) FROM contacts WHERE last_name LIKE '$n%'")" = "$(jqb '[.data[].id] | join(",")')" ]
	[ "$(db "SELECT email FROM contacts WHERE last_name = '${n}3'")" = "$n@example.com" ]
}

@test "sync: meta.update changes only the members sent; meta.upsert by email updates the match and creates the rest" {
	n=$(uniq_name)
	c=$(new_contact "{\"lastName\":\"${n}Old\",\"jobTitle\":\"Kept\",\"email\":\"$n@example.com\"}")
	batch contacts "{\"data\":[
		{\"type\":\"contacts\",\"id\":\"$c\",\"meta\":{\"update\":true},\"attributes\":{\"firstName\":\"Upd\"}},
		{\"type\":\"contacts\",\"meta\":{\"upsert\":[\"email\"]},\"attributes\":{\"email\":\"$n@example.com\",\"lastName\":\"${n}Ups\"}},
		{\"type\":\"contacts\",\"meta\":{\"upsert\":[\"email\"]},\"attributes\":{\"email\":\"${n}new@example.com\",\"lastName\":\"${n}New\"}}]}"
	expect_status 200
	[ "$(jqb '.data[0].id')" = "$c" ]
	[ "$(jqb '.data[0].meta.dataId')" = "$c" ]
	[ "$(jqb '.data[1].id')" = "$c" ]
	[ "$(db "SELECT first_name, last_name, job_title FROM contacts WHERE id = $c")" = "$(printf 'Upd\t%sUps\tKept' "$n")" ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE email = '${n}new@example.com' AND last_name = '${n}New'")" = 1 ]
	[ "$(jqb '.data[2].id')" = "$(db "SELECT id FROM contacts WHERE email = '${n}new@example.com'")" ]
}

@test "sync: meta.upsert true on countries (client ids) creates the new code and updates the existing one" {
	codes=$(db "SELECT CONCAT('X', CHAR(a.n), ' X', CHAR(b.n)) FROM (SELECT 65 n UNION SELECT 66 UNION SELECT 67 UNION SELECT 68) a JOIN (SELECT 69 n UNION SELECT 70 UNION SELECT 71 UNION SELECT 72) b WHERE NOT EXISTS (SELECT 1 FROM countries WHERE iso2_code IN (CONCAT('X', CHAR(a.n)), CONCAT('X', CHAR(b.n)))) LIMIT 1")
	read -r old new <<< "$codes"
	[ -n "$new" ]
	BATCH_COUNTRIES="'$old', '$new'"
	db "INSERT INTO countries VALUES ('$old', 'Z${old}', 'Oldname', UTC_TIMESTAMP(), UTC_TIMESTAMP())"
	batch countries "{\"data\":[
		{\"type\":\"countries\",\"id\":\"$old\",\"meta\":{\"upsert\":true},\"attributes\":{\"name\":\"Renamed\"}},
		{\"type\":\"countries\",\"id\":\"$new\",\"meta\":{\"upsert\":true},\"attributes\":{\"name\":\"Newland\",\"iso3Code\":\"Z${new}\"}}]}"
	expect_status 200
	[ "$(jqb '[.data[] | .id + "=" + .meta.dataId] | join(" ")')" = "$old=$old $new=$new" ]
	[ "$(db "SELECT GROUP_CONCAT(CONCAT(iso2_code, ':', name, ':', iso3_code) ORDER BY iso2_code) FROM countries WHERE iso2_code IN ('$old', '$new')")" = "$old:Renamed:Z$old,$new:Newland:Z$new" ]
}

@test "sync: included items are created with their records: meta.includeId, real ids linked, a shared item stored once" {
	n=$(uniq_name)
	batch accounts "{\"data\":[
		{\"type\":\"accounts\",\"id\":\"a1\",\"attributes\":{\"name\":\"${n}A\"},\"relationships\":{\"contacts\":{\"data\":[{\"type\":\"contacts\",\"id\":\"c1\"},{\"type\":\"contacts\",\"id\":\"shared\"}]}}},
		{\"type\":\"accounts\",\"attributes\":{\"name\":\"${n}B\"},\"relationships\":{\"contacts\":{\"data\":[{\"type\":\"contacts\",\"id\":\"shared\"}]}}}],
		\"included\":[
		{\"type\":\"contacts\",\"id\":\"c1\",\"attributes\":{\"lastName\":\"${n}One\"}},
		{\"type\":\"contacts\",\"id\":\"shared\",\"attributes\":{\"lastName\":\"${n}Shared\"}}]}"
	expect_status 200
	[ "$(jqb '.data[0].meta.dataId')" = a1 ]
	[ "$(jqb '.included | length')" = 2 ]
	c1=$(jqb '.included[] | select(.meta.includeId == "c1") | .id')
	sh=$(jqb '.included[] | select(.meta.includeId == "shared") | .id')
	[ "$(db "SELECT id FROM contacts WHERE last_name = '${n}One'")" = "$c1" ]
	[ "$(count_contacts "${n}Shared")" = 1 ]
	a=$(jqb '.data[0].id')
	b=$(jqb '.data[1].id')
	[ "$(db "SELECT GROUP_CONCAT(contact_id ORDER BY contact_id) FROM account_contacts WHERE account_id = $a")" = "$c1,$sh" ]
	[ "$(db "SELECT GROUP_CONCAT(contact_id) FROM account_contacts WHERE account_id = $b")" = "$sh" ]
}

@test "sync: one bad record and nothing is written; every record's errors point into the body" {
	n=$(uniq_name)
	batch contacts "{\"data\":[
		{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"${n}Good\"}},
		{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"${n}Bad\",\"bogus\":1}},
		{\"type\":\"contacts\",\"attributes\":{\"jobTitle\":\"${n}NoName\"}},
		{\"type\":\"contacts\",\"relationships\":{\"accounts\":{\"data\":[{\"type\":\"accounts\",\"id\":\"x\"}]}}}],
		\"included\":[{\"type\":\"accounts\",\"id\":\"x\",\"attributes\":{\"name\":\"\"}}]}"
	expect_status 400
	[ "$(jqb '[.errors[].source.pointer] | join(" ")')" = "/data/1/attributes/bogus /data/2/attributes/firstName /included/0/attributes/name" ]
	[ "$(jqb '.errors[0].title')" = 'extra fields constraint' ]
	[ "$(count_contacts "$n")" = 0 ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE job_title = '${n}NoName'")" = 0 ]
}

@test "sync: an invalid included item two records take is reported once, and neither record is written" {
	n=$(uniq_name)
	batch accounts "{\"data\":[
		{\"type\":\"accounts\",\"attributes\":{\"name\":\"${n}A\"},\"relationships\":{\"contacts\":{\"data\":[{\"type\":\"contacts\",\"id\":\"s\"}]}}},
		{\"type\":\"accounts\",\"attributes\":{\"name\":\"${n}B\"},\"relationships\":{\"contacts\":{\"data\":[{\"type\":\"contacts\",\"id\":\"s\"}]}}}],
		\"included\":[{\"type\":\"contacts\",\"id\":\"s\",\"attributes\":{\"lastName\":\"${n}\",\"gender\":\"none\"}}]}"
	expect_status 400
	[ "$(jqb '[.errors[].source.pointer] | join(" ")')" = "/included/0/attributes/gender" ]
	[ "$(db "SELECT COUNT(*) FROM accounts WHERE name LIKE '$n%'")" = 0 ]
	[ "$(count_contacts "$n")" = 0 ]
}

@test "sync limits: 101 primary records or 51 included items are 400 request data constraint naming the limit, nothing written" {
	n=$(uniq_name)
	data=$(jq -c -n --arg n "$n" '[range(101) | {type: "contacts", attributes: {lastName: ($n + (. | tostring))}}]')
	batch contacts "{\"data\":$data}"
	expect_error 400 'request data constraint' 'The synchronous mode takes at most 100 primary records.'
	[ "$(jqb '.errors[0].source.pointer')" = /data ]
	inc=$(jq -c -n --arg n "$n" '[range(51) | {type: "contacts", id: ("c" + (. | tostring)), attributes: {lastName: $n}}]')
	refs=$(jq -c -n '[range(51) | {type: "contacts", id: ("c" + (. | tostring))}]')
	batch accounts "{\"data\":[{\"type\":\"accounts\",\"attributes\":{\"name\":\"$n\"},\"relationships\":{\"contacts\":{\"data\":$refs}}}],\"included\":$inc}"
	expect_error 400 'request data constraint' 'The synchronous mode takes at most 50 included records.'
	[ "$(jqb '.errors[0].source.pointer')" = /included ]
	[ "$(count_contacts "$n")" = 0 ]
	# exactly 100 is fine
	data=$(jq -c -n --arg n "$n" '[range(100) | {type: "contacts", attributes: {lastName: ($n + (. | tostring))}}]')
	batch contacts "{\"data\":$data}"
	expect_status 200
	[ "$(count_contacts "$n")" = 100 ]
}

@test "sync access: a user who may not create gets a 403 per record, nothing written" {
	n=$(uniq_name)
	act_as viewer PATCH /api/contacts "{\"data\":[{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"${n}1\"}},{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"${n}2\"}}]}" -H 'X-Mode: sync'
	expect_error 403 'access denied exception' 'No access to this type of entities.'
	[ "$(jqb '[.errors[].source.pointer] | join(" ")')" = "/data/0 /data/1" ]
	[ "$(count_contacts "$n")" = 0 ]
}

@test "sync: meta.update of another organization's record is a 404 at its record, nothing written" {
	n=$(uniq_name)
	other=$(db "INSERT INTO contacts (organization_id, owner_id, last_name, created_at, updated_at) VALUES (2, 2, '${n}Theirs', UTC_TIMESTAMP(), UTC_TIMESTAMP()); SELECT LAST_INSERT_ID()")
	batch contacts "{\"data\":[{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"${n}Mine\"}},{\"type\":\"contacts\",\"id\":\"$other\",\"meta\":{\"update\":true},\"attributes\":{\"lastName\":\"${n}Stolen\"}}]}"
	expect_error 404 'not found http exception' 'An entity with the requested identifier does not exist.'
	[ "$(jqb '.errors[0].source.pointer')" = /data/1 ]
	[ "$(db "SELECT last_name FROM contacts WHERE id = $other")" = "${n}Theirs" ]
	[ "$(count_contacts "${n}Mine")" = 0 ]
}

@test "sync: calls keep their contact's contacting activity exact" {
	n=$(uniq_name)
	c=$(new_contact "${n}")
	call() { echo "{\"type\":\"calls\",\"attributes\":{\"subject\":\"$n\",\"phoneNumber\":\"1\",\"callDateTime\":\"$1\",\"direction\":\"$2\"},\"relationships\":{\"contact\":{\"data\":{\"type\":\"contacts\",\"id\":\"$c\"}}}}"; }
	batch calls "{\"data\":[$(call 2020-01-02T10:00:00Z incoming),$(call 2020-03-04T10:00:00Z outgoing)]}"
	expect_status 200
	[ "$(db "SELECT times_contacted, times_contacted_in, times_contacted_out, last_contacted_date FROM contacts WHERE id = $c")" = "$(printf '2\t1\t1\t2020-03-04 10:00:00')" ]
}

@test "sync record rules: update without an id, validate, a wrong type: errors at the record's pointers" {
	n=$(uniq_name)
	batch contacts "{\"data\":[
		{\"type\":\"contacts\",\"meta\":{\"update\":true},\"attributes\":{\"lastName\":\"${n}\"}},
		{\"type\":\"contacts\",\"meta\":{\"validate\":true},\"attributes\":{\"lastName\":\"${n}\"}},
		{\"type\":\"accounts\",\"attributes\":{\"name\":\"${n}\"}},
		\"text\"]}"
	expect_status 409
	[ "$(jqb '[.errors[] | .status + " " + .source.pointer] | join(",")')" = "400 /data/0/id,400 /data/1/meta/validate,409 /data/2/type,400 /data/3" ]
	[ "$(count_contacts "$n")" = 0 ]
}

@test "sync document errors: data not an array, empty, an unlinked or duplicated included item" {
	batch contacts '{"data":{"type":"contacts","attributes":{"lastName":"x"}}}'
	expect_error 400 'request data constraint' 'The primary data object collection should be an array.'
	batch contacts '{"data":[]}'
	expect_error 400 'request data constraint' 'The primary data object collection should not be empty.'
	batch contacts '{"data":[{"type":"contacts","attributes":{"lastName":"x"}}],"included":[{"type":"accounts","id":"a","attributes":{"name":"n"}}]}'
	expect_error 400 'request data constraint' 'The entity should have a relationship with the primary entity'
	[ "$(jqb '.errors[0].source.pointer')" = /included/0 ]
	batch accounts '{"data":[{"type":"accounts","attributes":{"name":"x"},"relationships":{"contacts":{"data":[{"type":"contacts","id":"a"}]}}}],"included":[{"type":"contacts","id":"a","attributes":{"lastName":"n"}},{"type":"contacts","id":"a","attributes":{"lastName":"m"}}]}'
	expect_error 400 'request data constraint' 'The item duplicates the item with the index 0'
	[ "$(jqb '.errors[0].source.pointer')" = /included/1 ]
}

# The body is read record by record (batch_items.c), not as one tree: the
# parser's message and position must still be those of the whole body.
@test "sync document errors: unreadable JSON in a later record or a repeated member is 400 with the position in the whole body; other members are ignored" {
	local n
	n=$(uniq_name)
	batch contacts "$(printf '{"data":[{"type":"contacts","attributes":{"lastName":"x"}},\n {"type":"contacts","attributes":{"lastName":"\xc3\xa9",}}]}')"
	expect_error 400 'bad request http exception' "Invalid json message received. Parsing error in [2:50]. string or '}' expected near '}'"
	batch contacts '{"data":[{"type":"contacts","attributes":{"lastName":"x"}}],"data":[]}'
	expect_error 400 'bad request http exception' "Invalid json message received. Parsing error in [1:66]. duplicate object key near '\"data\"'"
	batch contacts '{"meta":{"a":1},"data":[{"type":"contacts","attributes":{"lastName":"x","lastName":"y"}}]}'
	expect_error 400 'bad request http exception' "Invalid json message received. Parsing error in [1:82]. duplicate object key near '\"lastName\"'"
	batch contacts '{"meta":{"a":[1,{"b":"]"}]},"jsonapi":{"version":"1.0"},"data":[{"type":"contacts","attributes":{"lastName":"'"$n"'"}}]}'
	expect_status 200
	[ "$(count_contacts "$n")" = 1 ]
}

@test "X-Mode other than sync: 400 invalid header value exception with source.header, nothing written" {
	n=$(uniq_name)
	send PATCH /api/contacts "{\"data\":[{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"$n\"}}]}" -H 'X-Mode: fast'
	expect_error 400 'invalid header value exception'
	[ "$(jqb '.errors[0].source.header')" = X-Mode ]
	[ "$(count_contacts "$n")" = 0 ]
}

@test "a batch in the plain format is 415 unsupported media type http exception" {
	n=$(uniq_name)
	req PATCH /api/contacts -H "$(wsse)" -H 'Content-Type: application/json' -H 'X-Mode: sync' \
		--data-binary "{\"data\":[{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"$n\"}}]}"
	expect_status 415
	[ "$(jqb '.[0].title')" = 'unsupported media type http exception' ]
	[ "$(count_contacts "$n")" = 0 ]
}

@test "batch bodies obey batch.max_body_size (413 beyond), not max_body_size" {
	n=$(uniq_name)
	data=$(jq -c -n --arg n "$n" '[range(30) | {type: "contacts", attributes: {lastName: ($n + (. | tostring))}}]')
	echo "{\"data\":$data}" > "$BATS_TEST_TMPDIR/body.json"
	[ "$(wc -c < "$BATS_TEST_TMPDIR/body.json")" -gt 1500 ]
	cgi_batch API_BATCH_MAX_BODY_SIZE=1024
	[ "$STATUS" = 413 ]
	[ "$(jq -r '.errors[0].title' <<< "$BODY")" = 'request entity too large http exception' ]
	[ "$(count_contacts "$n")" = 0 ]
	cgi_batch API_MAX_BODY_SIZE=1024
	[ "$STATUS" = 200 ] || { echo "$BODY" >&2; return 1; }
	[ "$(count_contacts "$n")" = 30 ]
}

@test "Allow: list routes offer PATCH (OPTIONS, GET, HEAD, PATCH, POST, DELETE); organizations' list OPTIONS, GET, HEAD, PATCH" {
	req OPTIONS /api/contacts
	expect_status 200
	[ "$(header Allow)" = "OPTIONS, GET, HEAD, PATCH, POST, DELETE" ]
	req OPTIONS /api/organizations
	expect_status 200
	[ "$(header Allow)" = "OPTIONS, GET, HEAD, PATCH" ]
}

@test "organizations take meta.update records only: an update is stored, a create is refused at its record" {
	old=$(db "SELECT description FROM organizations WHERE id = 1")
	batch organizations '{"data":[{"type":"organizations","id":"1","meta":{"update":true},"attributes":{"description":"batch-updated"}}]}'
	expect_status 200
	[ "$(db "SELECT description FROM organizations WHERE id = 1")" = batch-updated ]
	db "UPDATE organizations SET description = $( [ "$old" = NULL ] && echo NULL || echo "'$old'") WHERE id = 1"
	batch organizations '{"data":[{"type":"organizations","attributes":{"name":"BatchOrg"}}]}'
	expect_error 400 'request data constraint' 'The entity type does not allow creating: only "meta": {"update": true} items are accepted.'
	[ "$(jqb '.errors[0].source.pointer')" = /data/0 ]
	[ "$(db "SELECT COUNT(*) FROM organizations WHERE name = 'BatchOrg'")" = 0 ]
}
