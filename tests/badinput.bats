#!/usr/bin/env bats
# Bad input never gives a 500 or kills the process: every answer is a
# defined 4xx with a valid JSON (UTF-8) error document. lighttpd refuses
# some bytes itself (%00, invalid UTF-8 in the path: its own 400), so those
# are also sent to the binary directly, run as plain CGI. The last test
# checks that the FastCGI processes are still serving.
load helpers/common

JSONAPI=application/vnd.api+json

# cgi METHOD URI [NAME=VALUE...]: runs the binary once as plain CGI, with
# only the given environment. Sets STATUS, BODY, CGI_RC and the headers
# that `header` reads.
cgi() {
	local method=$1 uri=$2
	shift 2
	local out="$BATS_TEST_TMPDIR/cgi.out"
	CGI_RC=0
	env -i PATH="$PATH" API_CONFIG="$API_CONFIG" \
		${ASAN_OPTIONS+"ASAN_OPTIONS=$ASAN_OPTIONS"} ${UBSAN_OPTIONS+"UBSAN_OPTIONS=$UBSAN_OPTIONS"} \
		GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 SERVER_NAME=127.0.0.1 \
		HTTP_HOST="127.0.0.1:$HTTP_PORT" REQUEST_METHOD="$method" REQUEST_URI="$uri" \
		"$@" "$API_FCGI" </dev/null >"$out" || CGI_RC=$?
	LC_ALL=C sed -n '1,/^\r$/p' "$out" >"$BATS_TEST_TMPDIR/headers"
	LC_ALL=C sed '1,/^\r$/d' "$out" >"$BATS_TEST_TMPDIR/body"
	BODY=$(cat "$BATS_TEST_TMPDIR/body")
	STATUS=$(header Status | cut -d' ' -f1)
}

# cgi_get URI: a JSON:API GET as admin through cgi.
cgi_get() {
	cgi GET "$1" HTTP_ACCEPT=$JSONAPI "HTTP_X_WSSE=$(wsse | sed 's/^X-WSSE: //')"
	[ "$CGI_RC" = 0 ] || { echo "the binary exited with $CGI_RC" >&2; return 1; }
}

# valid_json_body: the last body parses as JSON and is valid UTF-8.
valid_json_body() {
	jq -e . >/dev/null <<< "$BODY" || { echo "not JSON: $BODY" >&2; return 1; }
	iconv -f UTF-8 -t UTF-8 "$BATS_TEST_TMPDIR/body" >/dev/null ||
		{ echo "not UTF-8: $(od -c "$BATS_TEST_TMPDIR/body" | head)" >&2; return 1; }
}

expect_not_found() {
	expect_error 404 "not found http exception" "An entity with the requested identifier does not exist."
}

@test "a 10 kB path is 414 with a JSON:API error document" {
	get "/api/users/$(printf 'a%.0s' $(seq 1 10240))"
	expect_status 414
	[ "$(header Content-Type)" = "$JSONAPI" ]
	[ "$(jqb '.errors[0].status')" = 414 ]
	valid_json_body
}

@test "a 10 kB query string is 414 with a JSON:API error document" {
	get "/api/users?filter%5Bx%5D=$(printf 'a%.0s' $(seq 1 10240))"
	expect_status 414
	[ "$(jqb '.errors[0].status')" = 414 ]
}

@test "a 3000-character unknown type is 404 with the whole type in the detail" {
	local t
	t=$(printf 'a%.0s' $(seq 1 3000))
	get "/api/$t"
	expect_error 404 "entity type constraint"
	local d
	d=$(jqb '.errors[0].detail')
	# "Unknown entity type: " (21) + 3000 + "." (1)
	[ "${#d}" = 3022 ] || { echo "detail has ${#d} characters, not 3022: ${d:0:30}...${d: -10}" >&2; return 1; }
	[ "$d" = "Unknown entity type: $t." ]
}

@test "through the web server, %00 and invalid UTF-8 in the path never reach a 5xx" {
	for p in /api/us%00ers /api/users/1%00 /api/%ff%fe /api/users/%ff /api/users/1/%c0%af; do
		get "$p"
		[ "$STATUS" -ge 400 ] && [ "$STATUS" -lt 500 ] || { echo "$p: $STATUS $BODY" >&2; return 1; }
	done
}

@test "%00 in the type: 404 entity type constraint with a valid JSON body (CGI)" {
	cgi_get /api/us%00ers
	expect_error 404 "entity type constraint"
	valid_json_body
}

@test "%00 in the id: 404 not found (CGI)" {
	cgi_get /api/users/1%00
	expect_not_found
	valid_json_body
}

@test "%00 in the association: 404 relationship constraint (CGI)" {
	cgi_get /api/users/1/ro%00les
	expect_error 404 "relationship constraint" "Unsupported subresource."
}

@test "invalid UTF-8 in the type (/api/%ff%fe): 404 entity type constraint, body valid JSON and UTF-8 (CGI)" {
	cgi_get /api/%ff%fe
	expect_error 404 "entity type constraint"
	valid_json_body
	[[ "$(jqb '.errors[0].detail')" == "Unknown entity type: "* ]]
}

@test "invalid UTF-8 in the parent type of a subresource: 404 Unknown parent entity type, valid JSON (CGI)" {
	cgi_get /api/%ff%fe/1/owner
	expect_error 404 "entity type constraint"
	valid_json_body
	[[ "$(jqb '.errors[0].detail')" == "Unknown parent entity type: "* ]]
}

@test "invalid UTF-8 in the id and the association: 404s with valid JSON (CGI)" {
	cgi_get /api/users/%ff%fe
	expect_not_found
	valid_json_body
	cgi_get /api/users/1/%ff%fe
	expect_error 404 "relationship constraint" "Unsupported subresource."
	valid_json_body
}

@test "invalid UTF-8 in a no-route path: 404 no route with valid JSON (CGI)" {
	cgi_get /api/users/1/%ff/%fe/x
	expect_error 404 "not found http exception"
	valid_json_body
}

@test "invalid UTF-8 in an unknown query parameter name: 400 with valid JSON (CGI)" {
	cgi_get '/api/users?%ff%fe=1'
	expect_error 400 "filter constraint" "The filter is not supported."
	valid_json_body
}

@test "an SQL-looking id (/api/users/1%27%20OR%201=1) is 404 not found" {
	get '/api/users/1%27%20OR%201=1'
	expect_not_found
}

@test "an encoded dot-dot id (/api/users/%2e%2e) is 404 not found" {
	get '/api/users/%2e%2e'
	expect_not_found
}

@test "a lone or broken percent sign in the id (%, %zz) is 404 not found" {
	get '/api/users/%'
	expect_not_found
	get '/api/users/%zz'
	expect_not_found
}

@test "an encoded slash in the type (/api/us%2Fers/1) is an unknown type, not a route" {
	get '/api/us%2Fers/1'
	expect_error 404 "entity type constraint" "Unknown entity type: us/ers."
}

@test "an id beyond 64 bits (/api/users/99999999999999999999) is 404 not found" {
	get /api/users/99999999999999999999
	expect_not_found
}

@test "300 unknown query parameters: 400 with one filter constraint error each" {
	local q
	q=$(for i in $(seq 1 300); do printf 'x%d=1&' "$i"; done)
	get "/api/users?$q"
	expect_error 400 "filter constraint" "The filter is not supported."
	[ "$(jqb '.errors | length')" = 300 ]
	[ "$(jqb '.errors[0].source.parameter')" = x1 ]
	[ "$(jqb '.errors[299].source.parameter')" = x300 ]
}

@test "400 repetitions of page[number]=1 are one page parameter: 200 with the first page" {
	local q
	q=$(for i in $(seq 1 400); do printf 'page[number]=1&'; done)
	get "/api/users?$q" -g
	expect_status 200
	[ "$(jqb '.data | length')" = 10 ]
	[ "$(jqb '.links.next')" = "http://127.0.0.1:$HTTP_PORT/api/users?page%5Bnumber%5D=2" ]
}

@test "empty and valueless query parameters (&&, =, foo) do not crash: 400 for the unknown name" {
	get '/api/users?&&page%5Bsize%5D=2&&foo'
	expect_error 400 "filter constraint" "The filter is not supported."
	[ "$(jqb '.errors[0].source.parameter')" = foo ]
}

@test "page[size]=99999999999999999999 (beyond 64 bits) is 400 filter constraint on page[size]" {
	get '/api/users?page[size]=99999999999999999999' -g
	expect_error 400 "filter constraint"
	[ "$(jqb '.errors[0].source.parameter')" = 'page[size]' ]
}

@test "page[number]=99999999999999999999 (beyond 64 bits) is 400 filter constraint on page[number]" {
	get '/api/users?page[number]=99999999999999999999' -g
	expect_error 400 "filter constraint"
	[ "$(jqb '.errors[0].source.parameter')" = 'page[number]' ]
}

@test "page[size]=9223372036854775807 (no cap configured) returns every record, no next" {
	get '/api/users?page[size]=9223372036854775807' -g
	expect_status 200
	[ "$(jqb '.data | length')" = "$(db 'SELECT COUNT(*) FROM users WHERE organization_id = 1')" ]
	[ "$(jqb '.links | has("next")')" = false ]
}

@test "page[number]=9223372036854775807 is a page past the end: data []" {
	get '/api/users?page[number]=9223372036854775807' -g
	expect_status 200
	[ "$(jqb -c '.data')" = '[]' ]
	[ "$(jqb '.links | has("next")')" = false ]
}

@test "page[number] and page[size] whose product overflows 64 bits: data [], not 500" {
	get '/api/users?page[number]=922337203685477580&page[size]=1000' -g
	expect_status 200
	[ "$(jqb -c '.data')" = '[]' ]
	get '/api/users?page[number]=4611686018427387904&page[size]=4' -g
	expect_status 200
	[ "$(jqb -c '.data')" = '[]' ]
}

@test "an Accept header of 8 kB of media ranges is handled: 406 for a plain request" {
	local a
	a=$(for i in $(seq 1 800); do printf 'text/x%d, ' "$i"; done)
	req GET /api/users/1 -H "Accept: ${a}text/html" -H "$(wsse)"
	expect_status 406
	jq -e . >/dev/null <<< "$BODY"
}

@test "after all the bad input, GET /api/users/1 still answers 200 on both mounts" {
	for p in /api/users/1 /second/api/users/1; do
		get "$p"
		expect_status 200
		[ "$(jqb '.data.attributes.username')" = admin ]
	done
}
