#!/usr/bin/env bats
# Section 2: content negotiation. A JSON:API request lists
# application/vnd.api+json in Accept or sends exactly that Content-Type;
# anything else is a plain request. Order of the pipeline: routing (404,
# 405) before negotiation, negotiation before authentication.
#
# The plain format (section 5.5) is not checked here: plain requests are
# only checked for their status, and their errors through a filter that
# reads both the JSON:API ({"errors": [...]}) and the plain ([...]) shape.
load helpers/common

JSONAPI=application/vnd.api+json

# nego PATH [curl args...]: a GET as admin with only the headers given
# (curl's default "Accept: */*" is removed unless an Accept is passed).
nego() {
	local path=$1
	shift
	req GET "$path" -H 'Accept:' -H "$(wsse)" "$@"
}

# plain_error STATUS DETAIL: the error of a plain request, in the plain
# format of section 5.5: [{"title", "detail", "source"?}], application/json.
plain_error() {
	expect_status "$1"
	[ "$(header Content-Type)" = "application/json" ] ||
		{ echo "Content-Type: $(header Content-Type)" >&2; return 1; }
	[ "$(jqb 'type')" = array ] || { echo "body: $BODY" >&2; return 1; }
	[ "$(jqb '.[0].title')" = "not acceptable http exception" ] ||
		{ echo "body: $BODY" >&2; return 1; }
	[ "$(jqb '.[0].detail')" = "$2" ] || { echo "body: $BODY" >&2; return 1; }
	[ "$(jqb '.[0] | has("status")')" = false ]
}

# expect_jsonapi_user: a JSON:API document of user 1.
expect_jsonapi_user() {
	expect_status 200
	[ "$(header Content-Type)" = "$JSONAPI" ] || { echo "Content-Type: $(header Content-Type)" >&2; return 1; }
	[ "$(jqb '.data.type')" = users ] || { echo "body: $BODY" >&2; return 1; }
	[ "$(jqb '.data.id')" = 1 ]
}

@test "Accept: application/vnd.api+json is a JSON:API request" {
	nego /api/users/1 -H "Accept: $JSONAPI"
	expect_jsonapi_user
}

@test "Accept listing the JSON:API type with a q value among others is a JSON:API request" {
	nego /api/users/1 -H "Accept: text/html;q=0.9, $JSONAPI;q=0.5, */*;q=0.1"
	expect_jsonapi_user
}

@test "Accept media types compare case-insensitively (Application/VND.API+JSON)" {
	nego /api/users/1 -H 'Accept: Application/VND.API+JSON'
	expect_jsonapi_user
}

@test "Accept listing the JSON:API type only with a media type parameter: 406 not acceptable http exception" {
	nego /api/users/1 -H "Accept: $JSONAPI; charset=utf-8"
	expect_error 406 "not acceptable http exception"
}

@test "Accept listing the JSON:API type only with an ext parameter, next to text/html: 406" {
	nego /api/users/1 -H "Accept: $JSONAPI; ext=\"https://jsonapi.org/ext/atomic\", text/html"
	expect_error 406 "not acceptable http exception"
}

@test "Accept listing the JSON:API type once with parameters and once without: 200" {
	nego /api/users/1 -H "Accept: $JSONAPI; charset=utf-8, $JSONAPI"
	expect_jsonapi_user
	nego /api/users/1 -H "Accept: $JSONAPI, $JSONAPI;ext=x"
	expect_jsonapi_user
}

@test "Accept with the JSON:API type at q=0 does not make a JSON:API request: plain 406" {
	nego /api/users/1 -H "Accept: $JSONAPI;q=0"
	plain_error 406 "Only JSON representation of the requested resource is supported."
}

@test "Content-Type: application/vnd.api+json; charset=utf-8 is 415 unsupported media type http exception" {
	nego /api/users/1 -H "Accept: $JSONAPI" -H "Content-Type: $JSONAPI; charset=utf-8"
	expect_error 415 "unsupported media type http exception"
}

@test "Content-Type: application/vnd.api+json without Accept is a JSON:API request" {
	nego /api/users/1 -H "Content-Type: $JSONAPI"
	expect_jsonapi_user
}

@test "JSON:API Content-Type with Accept: application/json is a JSON:API request" {
	nego /api/users/1 -H "Content-Type: $JSONAPI" -H 'Accept: application/json'
	expect_jsonapi_user
}

@test "JSON:API Content-Type with Accept: */* is a JSON:API request" {
	nego /api/users/1 -H "Content-Type: $JSONAPI" -H 'Accept: */*'
	expect_jsonapi_user
}

@test "JSON:API Content-Type with Accept: text/html is 406 not acceptable http exception" {
	nego /api/users/1 -H "Content-Type: $JSONAPI" -H 'Accept: text/html'
	expect_error 406 "not acceptable http exception"
}

@test "plain request with Accept: text/html is 406 Only JSON representation of the requested resource is supported." {
	nego /api/users/1 -H 'Accept: text/html'
	plain_error 406 "Only JSON representation of the requested resource is supported."
}

@test "plain request with a malformed Accept (;;;,,,) is 406, not a 5xx" {
	nego /api/users/1 -H 'Accept: ;;;,,,'
	plain_error 406 "Only JSON representation of the requested resource is supported."
}

@test "plain request with Content-Type: text/plain is 406 The \"Content-Type\" request header must be \"application/json\" if specified." {
	nego /api/users/1 -H 'Accept: */*' -H 'Content-Type: text/plain'
	plain_error 406 'The "Content-Type" request header must be "application/json" if specified.'
}

@test "plain request with Content-Type: application/json is accepted: 200" {
	nego /api/users/1 -H 'Accept: application/json' -H 'Content-Type: application/json'
	expect_status 200
}

@test "plain requests with Accept */*, application/*, application/json are accepted: 200" {
	for a in '*/*' 'application/*' 'application/json' "text/html, application/json;q=0.1"; do
		nego /api/users/1 -H "Accept: $a"
		[ "$STATUS" = 200 ] || { echo "Accept: $a -> $STATUS $BODY" >&2; return 1; }
		jq -e . >/dev/null <<< "$BODY"
	done
}

@test "a request without any Accept header is accepted: 200" {
	nego /api/users/1
	expect_status 200
	jq -e . >/dev/null <<< "$BODY"
}

@test "negotiation comes before authentication: Accept text/html without credentials is 406, not 401" {
	req GET /api/users/1 -H 'Accept: text/html'
	plain_error 406 "Only JSON representation of the requested resource is supported."
}

@test "negotiation comes before authentication: a JSON:API Content-Type with parameters without credentials is 415" {
	req GET /api/users/1 -H "Accept: $JSONAPI" -H "Content-Type: $JSONAPI; charset=utf-8"
	expect_error 415 "unsupported media type http exception"
}

@test "an acceptable JSON:API request without credentials is 401 with an empty body" {
	req GET /api/users/1 -H "Accept: $JSONAPI"
	expect_status 401
	[ -z "$BODY" ]
	[[ "$(header WWW-Authenticate)" == *'WSSE realm="Secured API", profile="UsernameToken"'* ]]
}

@test "routing comes before negotiation: an unknown type with Accept text/html is 404 entity type constraint" {
	req GET /api/foo -H 'Accept: text/html'
	expect_error 404 "entity type constraint" "Unknown entity type: foo."
}

@test "routing comes before negotiation: no route with a JSON:API Content-Type with parameters is 404" {
	req GET /api/users/1/a/b/c -H "Content-Type: $JSONAPI; charset=utf-8"
	expect_error 404 "not found http exception" 'No route found for "GET /api/users/1/a/b/c".'
}

@test "the method check comes before negotiation: PUT with Accept text/html is 405 with Allow" {
	req PUT /api/users/1 -H 'Accept: text/html' --data-binary x
	expect_status 405
	[ -z "$BODY" ]
	[ "$(header Allow)" = "OPTIONS, GET, HEAD, PATCH, DELETE" ]
}

@test "OPTIONS is answered before negotiation: Accept text/html still gets 200 and Allow" {
	req OPTIONS /api/users/1 -H 'Accept: text/html'
	expect_status 200
	[ -z "$BODY" ]
	[ "$(header Allow)" = "OPTIONS, GET, HEAD, PATCH, DELETE" ]
}
