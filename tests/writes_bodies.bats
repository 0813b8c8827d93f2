# writes_bodies.bats: write bodies that are not what section 8 expects (not
# JSON, empty, not an object, `data` an array, 10,000 attributes, 10,000
# levels of nesting, invalid UTF-8, NUL bytes, over max_body_size): each a
# clean 4xx JSON:API error document and no change in the database. Then
# the plain format of section 5.5 for POST and PATCH.
load helpers/common

setup() {
	U="b$(date +%s%N)$BATS_TEST_NUMBER"
}

# send_file METHOD PATH FILE [curl args]: the same with the body from FILE,
# byte for byte.
send_file() {
	local m=$1 p=$2 f=$3
	shift 3
	req "$m" "$p" -H 'Content-Type: application/vnd.api+json' \
		-H 'Accept: application/vnd.api+json' -H "$(wsse)" --data-binary "@$f" "$@"
}

# snapshot: row counts and checksums of every table a write could touch.
snapshot() {
	db "SELECT COUNT(*) FROM users; SELECT COUNT(*) FROM user_roles;
	    SELECT COUNT(*) FROM user_business_units; SELECT COUNT(*) FROM user_organizations;
	    CHECKSUM TABLE contacts, accounts, account_contacts, calls, roles, countries,
	                   business_units, organizations"
}

# expect_clean_4xx STATUS: a JSON:API error document with that status.
expect_clean_4xx() {
	expect_status "$1" || return 1
	[ "$(header Content-Type)" = application/vnd.api+json ] ||
		{ echo "Content-Type: $(header Content-Type)" >&2; return 1; }
	[ "$(jqb '.errors | type')" = array ] || { echo "body: ${BODY:0:500}" >&2; return 1; }
	[ "$(jqb '.errors | length')" -ge 1 ]
	[ "$(jqb '.errors[0].status')" = "$1" ] || { echo "body: ${BODY:0:500}" >&2; return 1; }
	[ "$(jqb 'has("data")')" = false ]
}

# expect_invalid_json: 400 bad request http exception, the parse position
# in the detail.
expect_invalid_json() {
	expect_clean_4xx 400 || return 1
	[ "$(jqb '.errors[0].title')" = "bad request http exception" ] ||
		{ echo "title: $(jqb '.errors[0].title')" >&2; return 1; }
	[[ "$(jqb '.errors[0].detail')" == "Invalid json message received."* ]] ||
		{ echo "detail: $(jqb '.errors[0].detail')" >&2; return 1; }
}

contact_row() {
	db "SELECT * FROM contacts WHERE id = $CID"
}

# --- not JSON ---------------------------------------------------------------

@test "a body that is not JSON: 400 bad request http exception, Invalid json message received. with the position; nothing stored" {
	before=$(snapshot)
	for body in 'hello' "{\"data\":{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"$U\"}}" "{'data': 1}" \
		"{\"data\":{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"$U\",}}}" \
		"{\"data\":{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"$U\"}}} trailing"; do
		send POST /api/contacts "$body"
		expect_invalid_json || { echo "body: $body" >&2; return 1; }
	done
	send POST /api/contacts 'hello'
	[[ "$(jqb '.errors[0].detail')" =~ [0-9]+:[0-9]+ ]]
	[ "$(snapshot)" = "$before" ]
}

@test "a duplicate key in the body is invalid JSON too (400), nothing stored" {
	before=$(snapshot)
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"$U\",\"lastName\":\"$U\"}}}"
	expect_invalid_json
	[ "$(snapshot)" = "$before" ]
}

@test "PATCH with a body that is not JSON: 400 and the record unchanged" {
	new_contact
	row=$(contact_row)
	send PATCH "/api/contacts/$CID" "{\"data\":{\"type\":\"contacts\",\"id\":\"$CID\",\"attributes\":{\"jobTitle\":"
	expect_invalid_json
	[ "$(contact_row)" = "$row" ]
}

# --- empty ------------------------------------------------------------------

@test "an empty body (or only whitespace, or {}): 400 request data constraint / The request data should not be empty." {
	before=$(snapshot)
	for body in '' '   ' $'\n\t\r\n' '{}'; do
		send POST /api/contacts "$body"
		expect_clean_4xx 400
		[ "$(jqb '.errors | length')" = 1 ]
		[ "$(jqb '.errors[0].title')" = "request data constraint" ]
		[ "$(jqb '.errors[0].detail')" = "The request data should not be empty." ]
	done
	[ "$(snapshot)" = "$before" ]
	new_contact
	row=$(contact_row)
	send PATCH "/api/contacts/$CID" ''
	expect_error 400 "request data constraint" "The request data should not be empty."
	[ "$(contact_row)" = "$row" ]
}

# --- not an object ----------------------------------------------------------

@test "JSON that is not an object ([], [..], a string, a number, null, true): a clean 400, nothing stored" {
	before=$(snapshot)
	for body in '[]' "[{\"data\":{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"$U\"}}}]" '"text"' '42' 'null' 'true'; do
		send POST /api/contacts "$body"
		expect_clean_4xx 400 || { echo "body: $body" >&2; return 1; }
		title=$(jqb '.errors[0].title')
		[ "$title" = "request data constraint" ] || [ "$title" = "bad request http exception" ] ||
			{ echo "body $body: title $title" >&2; return 1; }
	done
	[ "$(snapshot)" = "$before" ]
}

@test "data as an array: 400 request data constraint at /data, nothing stored" {
	before=$(snapshot)
	send POST /api/contacts "{\"data\":[{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"$U\"}}]}"
	expect_clean_4xx 400
	[ "$(jqb '.errors[0].title')" = "request data constraint" ]
	[ "$(jqb '.errors[0].source.pointer')" = /data ]
	[ "$(snapshot)" = "$before" ]
	new_contact
	row=$(contact_row)
	send PATCH "/api/contacts/$CID" "{\"data\":[{\"type\":\"contacts\",\"id\":\"$CID\",\"attributes\":{\"jobTitle\":\"X\"}}]}"
	expect_clean_4xx 400
	[ "$(jqb '.errors[0].source.pointer')" = /data ]
	[ "$(contact_row)" = "$row" ]
}

@test "no data, data null, a string, or attributes not an object: a clean 400 request data constraint" {
	before=$(snapshot)
	for body in '{"meta":{}}' '{"data":null}' '{"data":"contacts"}' '{"data":{"type":"contacts","attributes":[1]}}' \
		'{"data":{"type":"contacts","attributes":{"lastName":"x"},"relationships":"x"}}'; do
		send POST /api/contacts "$body"
		expect_clean_4xx 400 || { echo "body: $body" >&2; return 1; }
		[ "$(jqb '.errors[0].title')" = "request data constraint" ] || { echo "body $body: $BODY" >&2; return 1; }
	done
	[ "$(snapshot)" = "$before" ]
}

# --- sizes and depth --------------------------------------------------------

# nest N OPEN CLOSE [INNER]: OPEN N times, INNER, CLOSE N times.
nest() {
	awk -v n="$1" -v o="$2" -v c="$3" -v x="${4:-}" \
		'BEGIN { for (i = 0; i < n; i++) printf "%s", o; printf "%s", x; for (i = 0; i < n; i++) printf "%s", c }'
}

@test "10,000 attributes: a prompt 400 extra fields constraint document (bounded), nothing stored" {
	f="$BATS_TEST_TMPDIR/wide.json"
	{
		printf '{"data":{"type":"contacts","attributes":{"lastName":"%s"' "$U"
		awk 'BEGIN { for (i = 0; i < 10000; i++) printf ",\"x%d\":%d", i, i }'
		printf '}}}'
	} > "$f"
	before=$(snapshot)
	send_file POST /api/contacts "$f" --max-time 20
	expect_clean_4xx 400
	[ "$(jqb '[.errors[] | .title] | unique | join(",")')" = "extra fields constraint" ]
	n=$(jqb '.errors | length')
	[ "$n" -ge 1 ] && [ "$n" -le 1000 ] || { echo "$n errors" >&2; return 1; }
	[ "$(jqb '.errors[0].detail')" = 'This form should not contain extra fields: "x0".' ]
	[ "$(snapshot)" = "$before" ]
}

@test "arrays nested 10,000 levels deep in data: 400 bad request http exception, nothing stored" {
	f="$BATS_TEST_TMPDIR/deep.json"
	{
		printf '{"data":'
		nest 10000 "[" "]"
		printf '}'
	} > "$f"
	before=$(snapshot)
	send_file POST /api/contacts "$f" --max-time 20
	expect_invalid_json
	[ "$(snapshot)" = "$before" ]
}

@test "objects nested 10,000 levels deep in an attribute value (POST and PATCH): a clean 400, nothing changed" {
	f="$BATS_TEST_TMPDIR/deep.json"
	{
		printf '{"data":{"type":"contacts","attributes":{"lastName":"%s","jobTitle":' "$U"
		nest 10000 '{"a":' '}' 1
		printf '}}}'
	} > "$f"
	before=$(snapshot)
	send_file POST /api/contacts "$f" --max-time 20
	expect_invalid_json
	[ "$(snapshot)" = "$before" ]
	new_contact
	row=$(contact_row)
	sed "s/\"type\":\"contacts\",/\"type\":\"contacts\",\"id\":\"$CID\",/" "$f" > "$f.patch"
	send_file PATCH "/api/contacts/$CID" "$f.patch" --max-time 20
	expect_invalid_json
	[ "$(contact_row)" = "$row" ]
}

# --- encoding ---------------------------------------------------------------

@test "invalid UTF-8 (a stray byte, an overlong form, a lone surrogate escape) in a value or a key: a clean 400, nothing stored" {
	before=$(snapshot)
	f="$BATS_TEST_TMPDIR/bad.json"
	for bytes in '\xff' '\xc0\xaf' '\xe2\x82' '\xed\xa0\x80' '\\ud800'; do
		printf '{"data":{"type":"contacts","attributes":{"lastName":"a'"$bytes"'b"}}}' > "$f"
		send_file POST /api/contacts "$f"
		expect_clean_4xx 400 || { echo "bytes: $bytes" >&2; return 1; }
	done
	printf '{"data":{"type":"contacts","attributes":{"lastName":"%s","job\xffTitle":"x"}}}' "$U" > "$f"
	send_file POST /api/contacts "$f"
	expect_clean_4xx 400
	[ "$(snapshot)" = "$before" ]
}

@test "NUL bytes, raw in a string, raw after the document, or as \\u0000: a clean 400, nothing stored" {
	before=$(snapshot)
	f="$BATS_TEST_TMPDIR/nul.json"
	printf '{"data":{"type":"contacts","attributes":{"lastName":"a\0b"}}}' > "$f"
	[ "$(tr -cd '\0' < "$f" | wc -c)" = 1 ] # the NUL is really in the file
	send_file POST /api/contacts "$f"
	expect_clean_4xx 400
	printf '{"data":{"type":"contacts","attributes":{"lastName":"%s"}}}\0' "$U" > "$f"
	send_file POST /api/contacts "$f"
	expect_clean_4xx 400
	printf '{"data":{"type":"contacts","attributes":{"lastName":"a\\u0000b"}}}' > "$f"
	send_file POST /api/contacts "$f"
	expect_clean_4xx 400
	[ "$(snapshot)" = "$before" ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE last_name LIKE 'a%b'")" = 0 ]
}

@test "NUL as \\u0000 in a PATCH: a clean 400 and the record unchanged" {
	new_contact
	row=$(contact_row)
	send PATCH "/api/contacts/$CID" "{\"data\":{\"type\":\"contacts\",\"id\":\"$CID\",\"attributes\":{\"jobTitle\":\"a\\u0000b\"}}}"
	expect_clean_4xx 400
	[ "$(contact_row)" = "$row" ]
}

# --- max_body_size ----------------------------------------------------------

# big_body FILE BYTES: a valid contact document padded with spaces to
# exactly BYTES bytes.
big_body() {
	local head="{\"data\":{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"$U\"}}"
	{
		printf '%s' "$head"
		head -c $(( $2 - ${#head} - 1 )) /dev/zero | tr '\0' ' '
		printf '}'
	} > "$1"
	[ "$(wc -c < "$1")" = "$2" ]
}

@test "a body over max_body_size (1.1 MiB): 413 JSON:API error, nothing stored" {
	f="$BATS_TEST_TMPDIR/big.json"
	big_body "$f" $(( 1153434 ))
	before=$(snapshot)
	send_file POST /api/contacts "$f"
	expect_clean_4xx 413
	[ "$(snapshot)" = "$before" ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE last_name = '$U'")" = 0 ]
}

@test "a chunked body over max_body_size (no Content-Length): 413 JSON:API error, nothing stored" {
	f="$BATS_TEST_TMPDIR/big.json"
	big_body "$f" $(( 1153434 ))
	before=$(snapshot)
	send_file POST /api/contacts "$f" -H 'Transfer-Encoding: chunked'
	expect_clean_4xx 413
	[ "$(snapshot)" = "$before" ]
}

@test "PATCH with a body over max_body_size: 413 and the record unchanged" {
	new_contact
	row=$(contact_row)
	f="$BATS_TEST_TMPDIR/big.json"
	{
		printf '{"data":{"type":"contacts","id":"%s","attributes":{"jobTitle":"X"}}' "$CID"
		head -c 1153434 /dev/zero | tr '\0' ' '
		printf '}'
	} > "$f"
	send_file PATCH "/api/contacts/$CID" "$f"
	expect_clean_4xx 413
	[ "$(contact_row)" = "$row" ]
}

@test "a body of exactly max_body_size (1 MiB) is accepted: 201" {
	f="$BATS_TEST_TMPDIR/big.json"
	big_body "$f" 1048576
	send_file POST /api/contacts "$f"
	expect_status 201
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE last_name = '$U'")" = 1 ]
}

@test "a relationship route with a body that is not JSON or empty: clean 400s, the linkage unchanged" {
	new_contact
	before=$(db "SELECT COUNT(*) FROM account_contacts WHERE contact_id = $CID")
	send POST "/api/contacts/$CID/relationships/accounts" '[{"type":"accounts","id":"1"'
	expect_invalid_json
	send POST "/api/contacts/$CID/relationships/accounts" ''
	expect_error 400 "request data constraint" "The request data should not be empty."
	[ "$(db "SELECT COUNT(*) FROM account_contacts WHERE contact_id = $CID")" = "$before" ]
}

# --- plain format (section 5.5) ---------------------------------------------

# psend METHOD PATH JSON: a plain write (application/json both ways).
psend() {
	req "$1" "$2" -H 'Content-Type: application/json' -H 'Accept: application/json' \
		-H "$(wsse)" --data-binary "$3"
}

@test "plain POST: a flat object in, 201 with the flat object out (numeric id, related ids), Location" {
	psend POST /api/accounts "{\"name\":\"$U\",\"annualRevenue\":\"10.5\"}"
	expect_status 201
	[ "$(header Content-Type)" = application/json ]
	aid=$(jqb .id)
	[ "$(jqb '.id | type')" = number ]
	[ "$(jqb .annualRevenue)" = 10.5000 ]
	psend POST /api/contacts "{\"firstName\":\"Flat\",\"lastName\":\"$U\",\"email\":\"$U@example.com\",\"country\":\"US\",\"accounts\":[$aid]}"
	expect_status 201
	[ "$(header Content-Type)" = application/json ]
	id=$(jqb .id)
	[ "$(jqb '.id | type')" = number ]
	[ "$(jqb .firstName)" = Flat ]
	[ "$(jqb .country)" = US ]
	[ "$(jqb -c .accounts)" = "[$aid]" ]
	[ "$(jqb .owner)" = 1 ]
	[ "$(jqb '.owner | type')" = number ]
	[ "$(jqb 'has("data") or has("links") or has("type") or has("attributes")')" = false ]
	[ "$(header Location)" = "$API_URL/api/contacts/$id" ]
	[ "$(db "SELECT first_name, email, country_code, owner_id FROM contacts WHERE id = $id")" = "$(printf 'Flat\t%s@example.com\tUS\t1' "$U")" ]
	[ "$(db "SELECT account_id FROM account_contacts WHERE contact_id = $id")" = "$aid" ]
}

@test "plain PATCH: only the members sent change; 200 with the flat object; to-one null and to-many [] accepted" {
	psend POST /api/contacts "{\"firstName\":\"Flat\",\"lastName\":\"$U\",\"country\":\"US\"}"
	expect_status 201
	id=$(jqb .id)
	psend PATCH "/api/contacts/$id" '{"jobTitle":"Chief","country":null,"accounts":[]}'
	expect_status 200
	[ "$(header Content-Type)" = application/json ]
	[ "$(jqb .id)" = "$id" ]
	[ "$(jqb .jobTitle)" = Chief ]
	[ "$(jqb .firstName)" = Flat ]
	[ "$(jqb .country)" = null ]
	[ "$(jqb -c .accounts)" = "[]" ]
	[ "$(jqb 'has("data")')" = false ]
	[ "$(db "SELECT job_title, first_name, COALESCE(country_code, 'NULL') FROM contacts WHERE id = $id")" = "$(printf 'Chief\tFlat\tNULL')" ]
}

@test "plain PATCH may carry the id (a number) of the URL; another id is 409" {
	psend POST /api/contacts "{\"lastName\":\"$U\"}"
	id=$(jqb .id)
	psend PATCH "/api/contacts/$id" "{\"id\":$id,\"jobTitle\":\"Same\"}"
	expect_status 200
	[ "$(jqb .jobTitle)" = Same ]
	psend PATCH "/api/contacts/$id" "{\"id\":999999$id,\"jobTitle\":\"Other\"}"
	expect_status 409
	[ "$(db "SELECT job_title FROM contacts WHERE id = $id")" = Same ]
}

@test "plain POST of a client-id type (countries): the id in the flat object, kept as a string" {
	psend POST /api/countries '{"id":"QY","name":"Plainland","iso3Code":"QYY"}'
	expect_status 201
	[ "$(jqb .id)" = QY ]
	[ "$(jqb '.id | type')" = string ]
	[ "$(header Location)" = "$API_URL/api/countries/QY" ]
	[ "$(db "SELECT name FROM countries WHERE iso2_code = 'QY'")" = Plainland ]
}

@test "plain write without an Accept header is plain too" {
	req POST /api/contacts -H 'Content-Type: application/json' -H 'Accept:' -H "$(wsse)" \
		--data-binary "{\"lastName\":\"$U\"}"
	expect_status 201
	[ "$(header Content-Type)" = application/json ]
	[ "$(jqb .lastName)" = "$U" ]
	[ "$(jqb '.id | type')" = number ]
}

@test "plain write errors: an array of {title, detail, source} with source a string, nothing stored" {
	before=$(snapshot)
	psend POST /api/contacts "{\"lastName\":\"$U\",\"email\":\"bad\",\"bogus\":1}"
	expect_status 400
	[ "$(header Content-Type)" = application/json ]
	[ "$(jqb 'type')" = array ]
	[ "$(jqb 'length')" = 2 ]
	[ "$(jqb '[.[] | .source | type] | unique | join(",")')" = string ]
	[ "$(jqb '.[] | select(.title == "email constraint") | .detail')" = "This value is not a valid email address." ]
	[[ "$(jqb '.[] | select(.title == "email constraint") | .source')" == *email ]]
	[ "$(jqb '.[] | select(.title == "extra fields constraint") | .detail')" = 'This form should not contain extra fields: "bogus".' ]
	[ "$(snapshot)" = "$before" ]
}

@test "plain write with a body that is not JSON: 400 array error, nothing stored" {
	before=$(snapshot)
	psend POST /api/contacts '{"lastName":'
	expect_status 400
	[ "$(header Content-Type)" = application/json ]
	[ "$(jqb '.[0].title')" = "bad request http exception" ]
	[[ "$(jqb '.[0].detail')" == "Invalid json message received."* ]]
	[ "$(snapshot)" = "$before" ]
}
