# writes_etag.bats: the headers of writes. Conditional requests of section 7
# (ETag on GET/POST/PATCH of one resource, If-None-Match -> 304, If-Match
# -> 412 on PATCH/DELETE, tags that differ after any change, even two within
# one second), and the Allow header and 405s of section 1 now that the write
# methods exist, per type and route kind (section 12).
load helpers/common

setup() {
	U="e$(date +%s%N)$BATS_TEST_NUMBER"
}

# req: common.bash's, but a response without a body (304, 405) leaves
# $BODY empty: curl does not truncate its -o file when no body
# comes, so the previous response's body would still be read.
eval "common_$(declare -f req)"
req() {
	: > "$BATS_TEST_TMPDIR/body"
	common_req "$@"
}

# patch_contact ATTRIBUTES_JSON [curl args]: PATCH of contact CID; the
# answer's tag in TAG and updatedAt in STAMP.
patch_contact() {
	local attrs=$1
	shift
	send PATCH "/api/contacts/$CID" "{\"data\":{\"type\":\"contacts\",\"id\":\"$CID\",\"attributes\":$attrs}}" "$@"
	TAG=$(header ETag)
	STAMP=$(jqb .data.attributes.updatedAt)
}

# tag_of PATH: the ETag a GET of PATH gives now.
tag_of() {
	get "$1"
	expect_status 200 >&2 || return 1
	header ETag
}

expect_412() {
	expect_error 412 "precondition failed http exception" || return 1
	[ "$(jqb '.errors | length')" = 1 ]
}

# --- ETag -------------------------------------------------------------------

@test "GET of one resource carries a quoted ETag, the same on two GETs and on HEAD" {
	new_contact
	t1=$(tag_of "/api/contacts/$CID")
	[[ "$t1" =~ ^\"[^\"]+\"$ ]] || { echo "ETag: $t1" >&2; return 1; }
	t2=$(tag_of "/api/contacts/$CID")
	[ "$t1" = "$t2" ]
	req HEAD "/api/contacts/$CID" -H 'Accept: application/vnd.api+json' -H "$(wsse)"
	expect_status 200
	[ "$(header ETag)" = "$t1" ]
}

@test "POST 201 carries the ETag a following GET gives" {
	new_contact
	[ -n "$TAG" ]
	[ "$(tag_of "/api/contacts/$CID")" = "$TAG" ]
}

@test "PATCH 200 carries the ETag a following GET gives, and it differs from the tag before" {
	new_contact
	before=$TAG
	patch_contact '{"jobTitle":"Tagged"}'
	expect_status 200
	[ -n "$TAG" ]
	[ "$TAG" != "$before" ]
	[ "$(tag_of "/api/contacts/$CID")" = "$TAG" ]
}

@test "If-None-Match with the current tag: 304, empty body, the ETag repeated" {
	new_contact
	tag=$(tag_of "/api/contacts/$CID")
	get "/api/contacts/$CID" -H "If-None-Match: $tag"
	expect_status 304
	[ -z "$BODY" ]
	[ "$(header ETag)" = "$tag" ]
}

@test "If-None-Match: a list naming the tag, its weak form, and * are 304 too; another tag is 200 with the body" {
	new_contact
	tag=$(tag_of "/api/contacts/$CID")
	for inm in "\"0123\", $tag" "W/$tag" '*'; do
		get "/api/contacts/$CID" -H "If-None-Match: $inm"
		expect_status 304 || { echo "If-None-Match: $inm" >&2; return 1; }
		[ -z "$BODY" ]
	done
	get "/api/contacts/$CID" -H 'If-None-Match: "0123456789abcdef0123456789abcdef"'
	expect_status 200
	[ "$(jqb .data.id)" = "$CID" ]
}

@test "after a PATCH, If-None-Match with the old tag is 200 with the new data" {
	new_contact
	old=$(tag_of "/api/contacts/$CID")
	patch_contact '{"jobTitle":"Moved on"}'
	expect_status 200
	get "/api/contacts/$CID" -H "If-None-Match: $old"
	expect_status 200
	[ "$(jqb .data.attributes.jobTitle)" = "Moved on" ]
}

@test "two PATCHes within the same second give different tags" {
	new_contact
	for try in 1 2 3 4 5; do
		patch_contact "{\"jobTitle\":\"A$try\"}"
		t1=$TAG s1=$STAMP
		patch_contact "{\"jobTitle\":\"B$try\"}"
		[ "$STAMP" = "$s1" ] && break
	done
	[ "$STAMP" = "$s1" ] || { echo "no two PATCHes in one second in 5 tries" >&2; return 1; }
	[ "$TAG" != "$t1" ]
}

@test "two PATCHes of a to-many relationship within the same second give different tags" {
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$U\"}}}"
	a1=$(jqb .data.id)
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$U\"}}}"
	a2=$(jqb .data.id)
	new_contact
	rel() {
		send PATCH "/api/contacts/$CID" "{\"data\":{\"type\":\"contacts\",\"id\":\"$CID\",\"relationships\":{\"accounts\":{\"data\":[$1]}}}}"
		expect_status 200
		TAG=$(header ETag)
		STAMP=$(jqb .data.attributes.updatedAt)
	}
	for try in 1 2 3 4 5; do
		rel "{\"type\":\"accounts\",\"id\":\"$a1\"}"
		t1=$TAG s1=$STAMP
		rel "{\"type\":\"accounts\",\"id\":\"$a1\"},{\"type\":\"accounts\",\"id\":\"$a2\"}"
		[ "$STAMP" = "$s1" ] && break
	done
	[ "$STAMP" = "$s1" ] || { echo "no two PATCHes in one second in 5 tries" >&2; return 1; }
	[ "$(jqb -c '[.data.relationships.accounts.data[].id]')" = "[\"$a1\",\"$a2\"]" ]
	[ "$TAG" != "$t1" ] || { echo "accounts [$a1] and [$a1,$a2] share the tag $t1" >&2; return 1; }
}

@test "a change of the linkage made from the other side (accounts/{id}/relationships/contacts) changes the contact's tag" {
	new_contact
	old=$(tag_of "/api/contacts/$CID")
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$U\"}}}"
	aid=$(jqb .data.id)
	send POST "/api/accounts/$aid/relationships/contacts" "{\"data\":[{\"type\":\"contacts\",\"id\":\"$CID\"}]}"
	expect_status 204
	get "/api/contacts/$CID" -H "If-None-Match: $old"
	expect_status 200
	[ "$(jqb -c '[.data.relationships.accounts.data[].id]')" = "[\"$aid\"]" ]
	[ "$(header ETag)" != "$old" ]
}

@test "with include=, a change of an included resource changes the tag: If-None-Match with the old tag is 200" {
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$U\"}}}"
	aid=$(jqb .data.id)
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"$U\"},\"relationships\":{\"accounts\":{\"data\":[{\"type\":\"accounts\",\"id\":\"$aid\"}]}}}}"
	expect_status 201
	CID=$(jqb .data.id)
	old=$(tag_of "/api/contacts/$CID?include=accounts")
	send PATCH "/api/accounts/$aid" "{\"data\":{\"type\":\"accounts\",\"id\":\"$aid\",\"attributes\":{\"name\":\"$U renamed\"}}}"
	expect_status 200
	get "/api/contacts/$CID?include=accounts" -H "If-None-Match: $old"
	expect_status 200
	[ "$(jqb '.included[0].attributes.name')" = "$U renamed" ]
}

# --- If-Match ---------------------------------------------------------------

@test "PATCH with a stale If-Match: 412 precondition failed http exception, nothing changed" {
	new_contact
	stale=$TAG
	patch_contact '{"jobTitle":"First"}'
	expect_status 200
	patch_contact '{"jobTitle":"Second"}' -H "If-Match: $stale"
	expect_412
	[ "$(db "SELECT job_title FROM contacts WHERE id = $CID")" = First ]
}

@test "DELETE with a stale If-Match: 412 precondition failed http exception, the record stays" {
	new_contact
	stale=$TAG
	patch_contact '{"jobTitle":"Changed"}'
	req DELETE "/api/contacts/$CID" -H 'Accept: application/vnd.api+json' -H "$(wsse)" -H "If-Match: $stale"
	expect_412
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE id = $CID")" = 1 ]
}

@test "PATCH and DELETE with the current tag in If-Match succeed" {
	new_contact
	cur=$(tag_of "/api/contacts/$CID")
	patch_contact '{"jobTitle":"Matched"}' -H "If-Match: $cur"
	expect_status 200
	[ "$(db "SELECT job_title FROM contacts WHERE id = $CID")" = Matched ]
	cur=$TAG
	req DELETE "/api/contacts/$CID" -H 'Accept: application/vnd.api+json' -H "$(wsse)" -H "If-Match: \"0000\", $cur"
	expect_status 204
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE id = $CID")" = 0 ]
}

@test "If-Match: * on an existing record: PATCH 200 and DELETE 204" {
	new_contact
	patch_contact '{"jobTitle":"Star"}' -H 'If-Match: *'
	expect_status 200
	[ "$(db "SELECT job_title FROM contacts WHERE id = $CID")" = Star ]
	req DELETE "/api/contacts/$CID" -H 'Accept: application/vnd.api+json' -H "$(wsse)" -H 'If-Match: *'
	expect_status 204
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE id = $CID")" = 0 ]
}

@test "If-Match: * or a tag on a record that does not exist is 404: access checks come first (section 4)" {
	new_contact
	req DELETE "/api/contacts/$CID" -H 'Accept: application/vnd.api+json' -H "$(wsse)"
	expect_status 204
	patch_contact '{"jobTitle":"Ghost"}' -H 'If-Match: *'
	expect_status 404
	patch_contact '{"jobTitle":"Ghost"}' -H 'If-Match: "0123"'
	expect_status 404
	req DELETE "/api/contacts/$CID" -H 'Accept: application/vnd.api+json' -H "$(wsse)" -H 'If-Match: *'
	expect_status 404
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE id = $CID")" = 0 ]
}

# --- Allow and 405 ----------------------------------------------------------

# expect_allow PATH ALLOW: OPTIONS (no credentials) answers 200 with ALLOW.
expect_allow() {
	req OPTIONS "$1"
	expect_status 200 || { echo "OPTIONS $1" >&2; return 1; }
	[ "$(header Allow)" = "$2" ] || { echo "OPTIONS $1: Allow: $(header Allow), expected $2" >&2; return 1; }
}

# expect_405 METHOD PATH ALLOW: 405, empty body, that Allow.
expect_405() {
	req "$1" "$2" -H 'Accept: application/vnd.api+json' -H "$(wsse)" \
		-H 'Content-Type: application/vnd.api+json' --data-binary '{"data":{"type":"x"}}'
	[ "$STATUS" = 405 ] || { echo "$1 $2: HTTP $STATUS, body: $BODY" >&2; return 1; }
	[ -z "$BODY" ] || { echo "$1 $2: body: $BODY" >&2; return 1; }
	[ "$(header Allow)" = "$3" ] || { echo "$1 $2: Allow: $(header Allow), expected $3" >&2; return 1; }
}

@test "Allow: organizations item is OPTIONS, GET, HEAD, PATCH (no DELETE); the list has PATCH (batch updates) but no POST; both 405 the rest" {
	expect_allow /api/organizations/1 "OPTIONS, GET, HEAD, PATCH"
	expect_allow /api/organizations "OPTIONS, GET, HEAD, PATCH"
	expect_405 DELETE /api/organizations/1 "OPTIONS, GET, HEAD, PATCH"
	expect_405 POST /api/organizations "OPTIONS, GET, HEAD, PATCH"
	expect_405 DELETE /api/organizations "OPTIONS, GET, HEAD, PATCH"
	[ "$(db "SELECT COUNT(*) FROM organizations WHERE id = 1")" = 1 ]
}

@test "Allow: asyncoperations is read-only (item OPTIONS, GET, HEAD; writes 405; the list route 404)" {
	expect_allow /api/asyncoperations/1 "OPTIONS, GET, HEAD"
	expect_405 PATCH /api/asyncoperations/1 "OPTIONS, GET, HEAD"
	expect_405 DELETE /api/asyncoperations/1 "OPTIONS, GET, HEAD"
	send POST /api/asyncoperations '{"data":{"type":"asyncoperations"}}'
	expect_error 404 "not found http exception" 'No route found for "POST /api/asyncoperations".'
}

@test "Allow: contacts list is OPTIONS, GET, HEAD, PATCH, POST, DELETE; list PUT is 405, list PATCH is the batch API" {
	expect_allow /api/contacts "OPTIONS, GET, HEAD, PATCH, POST, DELETE"
	send PATCH /api/contacts '{"data":{"type":"contacts"}}'
	expect_error 400 'request data constraint' 'The primary data object collection should be an array.'
	expect_405 PUT /api/contacts "OPTIONS, GET, HEAD, PATCH, POST, DELETE"
}

@test "Allow: every writable type's item is OPTIONS, GET, HEAD, PATCH, DELETE (its list adds POST); POST and PUT on the item are 405" {
	for t in contacts accounts users businessunits userroles calls; do
		expect_allow "/api/$t/1" "OPTIONS, GET, HEAD, PATCH, DELETE"
		expect_allow "/api/$t" "OPTIONS, GET, HEAD, PATCH, POST, DELETE"
	done
	expect_allow /api/countries/US "OPTIONS, GET, HEAD, PATCH, DELETE"
	expect_405 POST /api/contacts/1 "OPTIONS, GET, HEAD, PATCH, DELETE"
	expect_405 PUT /api/contacts/1 "OPTIONS, GET, HEAD, PATCH, DELETE"
}

@test "Allow: writable to-many relationship routes have every method; writable to-one PATCH only" {
	expect_allow /api/contacts/1/relationships/accounts "OPTIONS, GET, HEAD, PATCH, POST, DELETE"
	expect_allow /api/users/1/relationships/roles "OPTIONS, GET, HEAD, PATCH, POST, DELETE"
	expect_allow /api/contacts/1/relationships/country "OPTIONS, GET, HEAD, PATCH"
	expect_405 POST /api/contacts/1/relationships/country "OPTIONS, GET, HEAD, PATCH"
	expect_405 DELETE /api/contacts/1/relationships/country "OPTIONS, GET, HEAD, PATCH"
	expect_405 PUT /api/contacts/1/relationships/accounts "OPTIONS, GET, HEAD, PATCH, POST, DELETE"
}

@test "Allow: read-only relationships (organization, userroles.users, organizations' to-many) are GET only; writes 405" {
	expect_allow /api/contacts/1/relationships/organization "OPTIONS, GET, HEAD"
	expect_allow /api/userroles/1/relationships/users "OPTIONS, GET, HEAD"
	expect_allow /api/organizations/1/relationships/users "OPTIONS, GET, HEAD"
	for m in PATCH POST DELETE; do
		expect_405 "$m" /api/contacts/1/relationships/organization "OPTIONS, GET, HEAD"
		expect_405 "$m" /api/userroles/1/relationships/users "OPTIONS, GET, HEAD"
	done
	[ "$(db "SELECT organization_id FROM contacts WHERE id = 1")" = 1 ]
}

@test "Allow: subresource routes stay OPTIONS, GET, HEAD; writes on them are 405" {
	expect_allow /api/contacts/1/accounts "OPTIONS, GET, HEAD"
	for m in PATCH POST DELETE; do
		expect_405 "$m" /api/contacts/1/accounts "OPTIONS, GET, HEAD"
	done
}
