#!/usr/bin/env bats
# One FastCGI process serves request after request: nothing of one request
# (errors, status, headers, body, paging, user, organization) may leak into
# the next. /second/ is a pool of exactly one process (max-procs 1), so
# consecutive requests there are served by the same process.
load helpers/common

# A leftover shows on the first alternation; the rounds repeat it in the same
# process (state that accumulates, buffers grown and reused): 10 are as
# telling as the 30 there were, at a third of the time.
ROUNDS=10
P=/second/api

# g PATH [USER KEY] [curl args...]: a JSON:API GET through the one-process pool.
g() {
	local path=$1 user=${2:-admin} key=${3:-$ADMIN_KEY}
	shift $(($# < 3 ? $# : 3))
	req GET "$P$path" -H 'Accept: application/vnd.api+json' -H "$(wsse "$user" "$key")" "$@"
}

# hcount NAME: how many times the response carried header NAME.
hcount() { grep -ci "^$1:" "$BATS_TEST_TMPDIR/headers" || true; }

body_bytes() { wc -c < "$BATS_TEST_TMPDIR/body" | tr -d ' '; }

IDS_FILE() { echo "$BATS_TEST_TMPDIR/request-ids"; }

# ok_200 REFERENCE: a 200 whose body is byte for byte REFERENCE, with a
# matching Content-Length and none of the headers of other responses.
ok_200() {
	local ref=$1 what=$2
	if [ "$STATUS" != 200 ]; then
		echo "$what: HTTP $STATUS, body: $BODY" >&2
		return 1
	fi
	if [ "$BODY" != "$ref" ]; then
		echo "$what: body differs from the first response" >&2
		echo "got:      $BODY" >&2
		echo "expected: $ref" >&2
		return 1
	fi
	if [ "$(header Content-Length)" != "$(body_bytes)" ]; then
		echo "$what: Content-Length $(header Content-Length), body has $(body_bytes) bytes" >&2
		return 1
	fi
	local h
	for h in Content-Type Content-Length X-Request-Id Cache-Control; do
		[ "$(hcount "$h")" = 1 ] || { echo "$what: $h appears $(hcount "$h") times" >&2; return 1; }
	done
	for h in Allow WWW-Authenticate Location; do
		[ "$(hcount "$h")" = 0 ] || { echo "$what: leftover $h: $(header "$h")" >&2; return 1; }
	done
	[ "$(header Content-Type)" = application/vnd.api+json ] || return 1
	[ "$(header Cache-Control)" = no-store ] || return 1
	header X-Request-Id >> "$(IDS_FILE)"
}

# ok_error STATUS EXPECTED-JSON: exactly this error document (compared as JSON).
ok_error() {
	local status=$1 expected=$2 what=$3
	if [ "$STATUS" != "$status" ]; then
		echo "$what: HTTP $STATUS, expected $status; body: $BODY" >&2
		return 1
	fi
	if ! jq -e -n --argjson a "$BODY" --argjson e "$expected" '$a == $e' > /dev/null 2>&1; then
		echo "$what: body $BODY, expected $expected" >&2
		return 1
	fi
	if [ "$(header Content-Length)" != "$(body_bytes)" ]; then
		echo "$what: Content-Length $(header Content-Length), body has $(body_bytes) bytes" >&2
		return 1
	fi
	local h
	for h in Allow WWW-Authenticate Location; do
		[ "$(hcount "$h")" = 0 ] || { echo "$what: leftover $h: $(header "$h")" >&2; return 1; }
	done
	[ "$(hcount Content-Type)" = 1 ] || return 1
	header X-Request-Id >> "$(IDS_FILE)"
}

# ok_empty STATUS HEADER VALUE: an empty-bodied response carrying HEADER: VALUE.
ok_empty() {
	local status=$1 name=$2 value=$3 what=$4
	if [ "$STATUS" != "$status" ] || [ -n "$BODY" ] || [ "$(header Content-Length)" != 0 ]; then
		echo "$what: HTTP $STATUS, Content-Length $(header Content-Length), body '$BODY'" >&2
		return 1
	fi
	# A 401 names two schemes (section 3): "Bearer", then the WSSE challenge.
	local times=1
	[ "$name" = WWW-Authenticate ] && times=2
	if [ "$(hcount "$name")" != "$times" ] || [ "$(header "$name")" != "$value" ]; then
		echo "$what: $name is '$(header "$name")' ($(hcount "$name") times), expected '$value'" >&2
		return 1
	fi
	header X-Request-Id >> "$(IDS_FILE)"
}

NOT_FOUND='{"errors":[{"status":"404","title":"not found http exception","detail":"An entity with the requested identifier does not exist."}]}'
BAD_PARAM='{"errors":[{"status":"400","title":"filter constraint","detail":"The filter is not supported.","source":{"parameter":"foo"}}]}'
CHALLENGE='WSSE realm="Secured API", profile="UsernameToken"'

# references: the first answers, checked against the database and the
# contract; every later answer to the same request must equal them.
references() {
	: > "$(IDS_FILE)"
	g /users/1
	expect_status 200
	[ "$(jqb .data.id)" = 1 ]
	[ "$(jqb .data.attributes.username)" = admin ]
	[ "$(jqb .data.links.self)" = "$API_URL$P/users/1" ]
	[ "$(jqb 'has("errors")')" = false ]
	REF_USER1=$BODY

	g /accounts
	expect_status 200
	[ "$(jqb '[.data[].id] | join(",")')" = "$(db 'SELECT id FROM accounts WHERE organization_id=1 ORDER BY id LIMIT 10' | paste -sd,)" ]
	[ "$(jqb '[.data[].relationships.organization.data.id] | unique | join(",")')" = 1 ]
	REF_ACC1=$BODY

	g /accounts admin "$ADMIN_ORG2_KEY"
	expect_status 200
	[ "$(jqb '[.data[].id] | join(",")')" = "$(db 'SELECT id FROM accounts WHERE organization_id=2 ORDER BY id LIMIT 10' | paste -sd,)" ]
	[ "$(jqb '[.data[].relationships.organization.data.id] | unique | join(",")')" = 2 ]
	REF_ACC2=$BODY

	g /accounts globex_admin "$GLOBEX_KEY"
	expect_status 200
	[ "$(jqb '[.data[].id] | join(",")')" = "$(db 'SELECT id FROM accounts WHERE organization_id=2 ORDER BY id LIMIT 10' | paste -sd,)" ]
	REF_ACC_GLOBEX=$BODY

	g '/accounts?page%5Bnumber%5D=2'
	expect_status 200
	[ "$(jqb '[.data[].id] | join(",")')" = "$(db 'SELECT id FROM accounts WHERE organization_id=1 ORDER BY id LIMIT 10 OFFSET 10' | paste -sd,)" ]
	[ "$(jqb '.links | has("prev")')" = true ]
	REF_ACC1_P2=$BODY

	g '/contacts?page%5Bsize%5D=3'
	expect_status 200
	[ "$(jqb '.data | length')" = 3 ]
	REF_CONTACTS3=$BODY
}

expect_unique_request_ids() {
	local total uniq
	total=$(wc -l < "$(IDS_FILE)")
	uniq=$(sort -u "$(IDS_FILE)" | wc -l)
	[ "$total" -gt 0 ]
	[ "$total" = "$uniq" ] || { echo "$total responses but $uniq distinct X-Request-Id" >&2; return 1; }
}

@test "the one-process /second pool gives the same answers as /api, but for the mount prefix in links" {
	references
	get /api/users/1
	expect_status 200
	# Same document but for the mount prefix in the links.
	[ "$(sed "s#$API_URL$P/#$API_URL/api/#g" <<< "$REF_USER1")" = "$BODY" ]
}

@test "a 404 then a 200, $ROUNDS times in one process: the 200 has no errors, the right body and Content-Length" {
	references
	local i
	for ((i = 1; i <= ROUNDS; i++)); do
		g /users/999999
		ok_error 404 "$NOT_FOUND" "round $i 404"
		g /users/1
		ok_200 "$REF_USER1" "round $i 200 after 404"
		[ "$(jqb 'has("errors")')" = false ]
	done
	expect_unique_request_ids
}

@test "a 400 (unknown query parameter) then a 200, $ROUNDS times: no leftover error or parameter" {
	references
	local i
	for ((i = 1; i <= ROUNDS; i++)); do
		g '/users/1?foo=bar'
		ok_error 400 "$BAD_PARAM" "round $i 400"
		g /users/1
		ok_200 "$REF_USER1" "round $i 200 after 400"
		g '/accounts?foo=bar'
		ok_error 400 "$BAD_PARAM" "round $i list 400"
		g /accounts
		ok_200 "$REF_ACC1" "round $i list 200 after 400"
	done
	expect_unique_request_ids
}

@test "admin in org 1, admin in org 2 and globex_admin alternate, $ROUNDS times: each sees only its organization's accounts" {
	references
	local i
	for ((i = 1; i <= ROUNDS; i++)); do
		g /accounts
		ok_200 "$REF_ACC1" "round $i org 1"
		g /accounts admin "$ADMIN_ORG2_KEY"
		ok_200 "$REF_ACC2" "round $i admin in org 2"
		g /accounts/1 admin "$ADMIN_ORG2_KEY"
		ok_error 404 "$NOT_FOUND" "round $i admin in org 2 reads account 1"
		g /accounts globex_admin "$GLOBEX_KEY"
		ok_200 "$REF_ACC_GLOBEX" "round $i globex_admin"
		g /accounts/26
		ok_error 404 "$NOT_FOUND" "round $i org 1 reads account 26"
	done
	expect_unique_request_ids
}

@test "a 401 then a 200, $ROUNDS times: the 200 has no WWW-Authenticate, the 401 no body" {
	references
	local i
	for ((i = 1; i <= ROUNDS; i++)); do
		req GET "$P/accounts" -H 'Accept: application/vnd.api+json'
		ok_empty 401 WWW-Authenticate "$CHALLENGE" "round $i no credentials"
		g /accounts
		ok_200 "$REF_ACC1" "round $i 200 after 401"
		# A failed login right after a successful one by another organization.
		g /accounts admin "$ADMIN_ORG2_KEY"
		ok_200 "$REF_ACC2" "round $i org 2"
		g /accounts disabled_user "$DISABLED_KEY"
		ok_empty 401 WWW-Authenticate "$CHALLENGE" "round $i disabled user after org 2"
		g /accounts
		ok_200 "$REF_ACC1" "round $i org 1 after the disabled user"
	done
	expect_unique_request_ids
}

@test "a 405, an OPTIONS and a HEAD between GETs, $ROUNDS times: no leftover Allow, and full bodies" {
	references
	local i
	for ((i = 1; i <= ROUNDS; i++)); do
		req PUT "$P/users/1" -H 'Accept: application/vnd.api+json' -H "$(wsse)"
		expect_status 405
		[ -z "$BODY" ]
		[[ "$(header Allow)" == "OPTIONS, GET, HEAD"* ]]
		g /users/1
		ok_200 "$REF_USER1" "round $i 200 after 405"
		req OPTIONS "$P/accounts"
		expect_status 200
		[ -z "$BODY" ]
		[[ "$(header Allow)" == "OPTIONS, GET, HEAD"* ]]
		g /accounts
		ok_200 "$REF_ACC1" "round $i 200 after OPTIONS"
		req HEAD "$P/users/1" -H 'Accept: application/vnd.api+json' -H "$(wsse)"
		expect_status 200
		# curl --head writes only the header block to the body file.
		cmp -s "$BATS_TEST_TMPDIR/body" "$BATS_TEST_TMPDIR/headers"
		[ "$(header Content-Length)" = "$(printf '%s' "$REF_USER1" | wc -c)" ] ||
			{ echo "round $i HEAD Content-Length $(header Content-Length), GET body $(printf '%s' "$REF_USER1" | wc -c)" >&2; return 1; }
		g /users/1
		ok_200 "$REF_USER1" "round $i 200 after HEAD"
	done
}

@test "paging does not carry over: page 2 and page[size]=3 requests alternate with default pages, $ROUNDS times" {
	references
	local i
	for ((i = 1; i <= ROUNDS; i++)); do
		g '/accounts?page%5Bnumber%5D=2'
		ok_200 "$REF_ACC1_P2" "round $i page 2"
		g /accounts
		ok_200 "$REF_ACC1" "round $i page 1 after page 2"
		[ "$(jqb '.links | has("prev") or has("first")')" = false ]
		g '/contacts?page%5Bsize%5D=3'
		ok_200 "$REF_CONTACTS3" "round $i page[size]=3"
		g /accounts
		ok_200 "$REF_ACC1" "round $i default size after page[size]=3"
		[ "$(jqb '.data | length')" = 10 ]
	done
}

@test "a mix of every kind of answer, $ROUNDS times in one process, each exactly right" {
	references
	local i
	for ((i = 1; i <= ROUNDS; i++)); do
		g /users/999999
		ok_error 404 "$NOT_FOUND" "round $i 404"
		g '/accounts?foo=bar' admin "$ADMIN_ORG2_KEY"
		ok_error 400 "$BAD_PARAM" "round $i 400 in org 2"
		g /accounts admin "$ADMIN_ORG2_KEY"
		ok_200 "$REF_ACC2" "round $i org 2 after 400"
		req GET "$P/users/1" -H 'Accept: application/vnd.api+json' -H "$(wsse admin "$GLOBEX_KEY")"
		ok_empty 401 WWW-Authenticate "$CHALLENGE" "round $i wrong key"
		g /users/1
		ok_200 "$REF_USER1" "round $i user after 401"
		g /accounts globex_admin "$GLOBEX_KEY"
		ok_200 "$REF_ACC_GLOBEX" "round $i globex"
		g /accounts
		ok_200 "$REF_ACC1" "round $i org 1 after globex"
	done
	expect_unique_request_ids
}
