#!/usr/bin/env bats
# POST with X-HTTP-Method-Override: GET (section 1): a list read whose
# filters may come in the body.
load helpers/common

post_get() { # post_get PATH BODY [curl args]
	local path=$1 body=$2
	shift 2
	req POST "$path" -H 'Accept: application/vnd.api+json' \
		-H 'Content-Type: application/vnd.api+json' -H 'X-HTTP-Method-Override: GET' \
		-H "$(wsse)" --data-binary "$body" "$@"
}

@test "override: nested body filters select like the query string would" {
	post_get "/api/users?page%5Bsize%5D=100" '{"filter": {"id": {"gt": "30"}}}'
	expect_status 200
	[ "$(jqb -c '[.data[].id]')" = "$(db "SELECT CONCAT('[', GROUP_CONCAT(CONCAT('\"', id, '\"') ORDER BY id), ']') FROM users WHERE organization_id = 1 AND id > 30")" ]
}

@test "override: flat bracket keys in the body work too, with paging from the body" {
	post_get /api/users '{"filter[id][gt]": "5", "page[size]": 2}'
	expect_status 200
	[ "$(jqb -c '[.data[].id]')" = '["6","7"]' ]
	[ "$(jqb .links.next)" = "$API_URL/api/users?filter%5Bid%5D%5Bgt%5D=5&page%5Bnumber%5D=2&page%5Bsize%5D=2" ]
}

@test "override: an empty body is the plain list" {
	post_get /api/countries ''
	expect_status 200
	[ "$(jqb '.data | length')" = 10 ]
}

@test "override: invalid JSON is 400 bad request http exception" {
	post_get /api/users '{"filter": '
	expect_error 400 "bad request http exception"
	[[ "$(jqb '.errors[0].detail')" == "Invalid json message received."* ]]
}

@test "override: a bad filter in the body is the same 400 as in the query string" {
	post_get /api/users '{"filter": {"id": "abc"}}'
	expect_error 400 "filter constraint" 'Expected integer value. Given "abc".'
	[ "$(jqb '.errors[0].source.parameter')" = "filter[id]" ]
}

@test "override: a body over max_body_size is 413" {
	{ printf '{"filter": {"username": "'; head -c 1100000 /dev/zero | tr '\0' 'a'; printf '"}}'; } \
		> "$BATS_TEST_TMPDIR/big.json"
	post_get /api/users "@$BATS_TEST_TMPDIR/big.json"
	expect_error 413 "request entity too large http exception"
}

@test "POST without the override is no list request: 405 on a list without create (organizations)" {
	req POST /api/organizations -H 'Accept: application/vnd.api+json' -H "$(wsse)" --data-binary '{}'
	expect_status 405
	[ "$(header Allow)" = "OPTIONS, GET, HEAD, PATCH" ]
}
