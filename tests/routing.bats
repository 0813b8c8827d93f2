#!/usr/bin/env bats
# Section 1 (routes, methods, OPTIONS, HEAD, 405, 404s), the paging of
# section 6.3 and the links of section 5.3, against the demo data of
# sql/seed.sql: organization 1 holds users 1, 3, 5..34 and 51..57 (39 users), user 1
# is owned by business unit 1 and holds roles 1 and 2; unit 1 has no parent.
load helpers/common

# user 1's roles as linkage, from the database (ordered by id, as rendered):
# ROLE_ADMINISTRATOR, ROLE_USER and the shared ROLE_PLATFORM_ADMIN.
admin_roles_linkage() {
	db "SELECT CONCAT('[', GROUP_CONCAT(CONCAT('{\"type\":\"userroles\",\"id\":\"', role_id, '\"}')
	                                    ORDER BY role_id), ']') FROM user_roles WHERE user_id = 1"
}
admin_role_ids() { # ["1","2",...]
	db "SELECT CONCAT('[', GROUP_CONCAT(CONCAT('\"', role_id, '\"') ORDER BY role_id), ']')
	    FROM user_roles WHERE user_id = 1"
}

BASE="http://127.0.0.1:$HTTP_PORT"

# cgi METHOD URI [NAME=VALUE...]: runs the binary once as plain CGI, with
# only the given environment. Used where the web server would not pass the
# request on (made-up methods, paths outside its /api mount) or would hide
# what the binary wrote (a body on HEAD). Sets STATUS, BODY and the headers
# that `header` reads.
cgi() {
	local method=$1 uri=$2
	shift 2
	local out="$BATS_TEST_TMPDIR/cgi.out"
	env -i PATH="$PATH" API_CONFIG="$API_CONFIG" \
		${ASAN_OPTIONS+"ASAN_OPTIONS=$ASAN_OPTIONS"} ${UBSAN_OPTIONS+"UBSAN_OPTIONS=$UBSAN_OPTIONS"} \
		GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 SERVER_NAME=127.0.0.1 \
		HTTP_HOST="127.0.0.1:$HTTP_PORT" REQUEST_METHOD="$method" REQUEST_URI="$uri" \
		"$@" "$API_FCGI" </dev/null >"$out"
	LC_ALL=C sed -n '1,/^\r$/p' "$out" >"$BATS_TEST_TMPDIR/headers"
	BODY=$(LC_ALL=C sed '1,/^\r$/d' "$out")
	CGI_BODY_BYTES=$(LC_ALL=C sed '1,/^\r$/d' "$out" | wc -c)
	STATUS=$(header Status | cut -d' ' -f1)
}

# The X-WSSE header of a fresh admin token as a CGI variable.
cgi_wsse() {
	echo "HTTP_X_WSSE=$(wsse | sed 's/^X-WSSE: //')"
}

# expect_options PATH ALLOW: OPTIONS without credentials on a readable route.
expect_options() {
	req OPTIONS "$1"
	expect_status 200
	[ -z "$BODY" ] || { echo "body: $BODY" >&2; return 1; }
	[ "$(header Content-Length)" = 0 ] || { echo "Content-Length: $(header Content-Length)" >&2; return 1; }
	[ "$(header Allow)" = "$2" ] || { echo "Allow: $(header Allow)" >&2; return 1; }
}

# expect_405 METHOD PATH ALLOW: 405, empty body, the route's Allow. A
# JSON:API body goes along (lighttpd wants a length on POST).
expect_405() {
	req "$1" "$2" -H 'Accept: application/vnd.api+json' -H "$(wsse)" \
		-H 'Content-Type: application/vnd.api+json' --data-binary '{"data":{"type":"users"}}'
	[ "$STATUS" = 405 ] || { echo "$1 $2: HTTP $STATUS, body: $BODY" >&2; return 1; }
	[ -z "$BODY" ] || { echo "$1 $2: body: $BODY" >&2; return 1; }
	[ "$(header Content-Length)" = 0 ] || { echo "$1 $2: Content-Length: $(header Content-Length)" >&2; return 1; }
	[ "$(header Allow)" = "$3" ] || { echo "$1 $2: Allow: $(header Allow)" >&2; return 1; }
}

# expect_no_route METHOD PATH_AS_SENT: the 404 of "any other path".
expect_no_route() {
	expect_error 404 "not found http exception" "No route found for \"$1 $2\"."
}

expect_not_found() {
	expect_error 404 "not found http exception" "An entity with the requested identifier does not exist."
}

# expect_query_error PARAMETER DETAIL: a 400 filter constraint.
expect_query_error() {
	expect_error 400 "filter constraint" "$2"
	[ "$(jqb '.errors | length')" = 1 ] || { echo "body: $BODY" >&2; return 1; }
	[ "$(jqb '.errors[0].source.parameter')" = "$1" ] ||
		{ echo "source: $(jqb -c '.errors[0].source')" >&2; return 1; }
}

ids() { jqb -c '[.data[].id]'; }

# --- GET on every route kind ------------------------------------------------

@test "GET item /api/users/1: a single document with the resource, its self link and no top-level links" {
	get /api/users/1
	expect_status 200
	[ "$(header Content-Type)" = "application/vnd.api+json" ]
	[ "$(jqb -c 'keys')" = '["data"]' ]
	[ "$(jqb '.data.type')" = users ]
	[ "$(jqb '.data.id | type')" = string ]
	[ "$(jqb '.data.id')" = 1 ]
	[ "$(jqb '.data.links.self')" = "$BASE/api/users/1" ]
	[ "$(jqb '.data.attributes.username')" = admin ]
	[ "$(jqb -c '.data.relationships.owner.data')" = '{"type":"businessunits","id":"1"}' ]
	[ "$(jqb '.data.relationships.owner.links.self')" = "$BASE/api/users/1/relationships/owner" ]
	[ "$(jqb '.data.relationships.owner.links.related')" = "$BASE/api/users/1/owner" ]
	[ "$(jqb -c '.data.relationships.roles.data')" = "$(admin_roles_linkage)" ]
	[ "$(jqb '.data.relationships.roles.data | length')" = 3 ]
}

@test "GET item with a client id /api/countries/US returns the string id" {
	get /api/countries/US
	expect_status 200
	[ "$(jqb '.data.type')" = countries ]
	[ "$(jqb '.data.id')" = US ]
	[ "$(jqb '.data.links.self')" = "$BASE/api/countries/US" ]
}

@test "GET list /api/users: a collection document of users with top-level links" {
	get /api/users
	expect_status 200
	[ "$(header Content-Type)" = "application/vnd.api+json" ]
	[ "$(jqb -c 'keys')" = '["data","links"]' ]
	[ "$(jqb '.data | type')" = array ]
	[ "$(jqb -c '[.data[].type] | unique')" = '["users"]' ]
	[ "$(jqb '.data[0].links.self')" = "$BASE/api/users/1" ]
	[ "$(jqb '.links.self')" = "$BASE/api/users" ]
}

@test "GET to-one subresource /api/users/1/owner: a single document with the related business unit" {
	get /api/users/1/owner
	expect_status 200
	[ "$(jqb -c 'keys')" = '["data"]' ]
	[ "$(jqb '.data.type')" = businessunits ]
	[ "$(jqb '.data.id')" = 1 ]
	[ "$(jqb '.data.attributes.name')" = "Acme HQ" ]
	[ "$(jqb '.data.links.self')" = "$BASE/api/businessunits/1" ]
}

@test "GET to-one subresource with no related record answers data null" {
	get /api/businessunits/1/owner
	expect_status 200
	[ "$(jqb -c '.')" = '{"data":null}' ]
}

@test "GET to-many subresource /api/users/1/roles: a collection of the related roles" {
	get /api/users/1/roles
	expect_status 200
	[ "$(jqb -c 'keys')" = '["data","links"]' ]
	[ "$(jqb -c '[.data[].type] | unique')" = '["userroles"]' ]
	[ "$(ids)" = "$(admin_role_ids)" ]
	[ "$(jqb '.data[0].attributes.role')" = ROLE_ADMINISTRATOR ]
	[ "$(jqb '.data[0].links.self')" = "$BASE/api/userroles/1" ]
	[ "$(jqb -c '.links')" = "{\"self\":\"$BASE/api/users/1/roles\"}" ]
}

@test "GET to-one relationship /api/users/1/relationships/owner: the resource identifier only" {
	get /api/users/1/relationships/owner
	expect_status 200
	[ "$(jqb -c '.data')" = '{"type":"businessunits","id":"1"}' ]
}

@test "GET to-many relationship /api/users/1/relationships/roles: the resource identifiers only" {
	get /api/users/1/relationships/roles
	expect_status 200
	[ "$(jqb -c '.data')" = "$(admin_roles_linkage)" ]
	[ "$(jqb '.links.self')" = "$BASE/api/users/1/relationships/roles" ]
	[ "$(jqb 'has("next")')" = false ]
}

@test "GET through the sub-directory mount /second/api/users/1 builds links under /second" {
	get /second/api/users/1
	expect_status 200
	[ "$(jqb '.data.id')" = 1 ]
	[ "$(jqb '.data.links.self')" = "$BASE/second/api/users/1" ]
	[ "$(jqb '.data.relationships.owner.links.self')" = "$BASE/second/api/users/1/relationships/owner" ]
	[ "$(jqb '.data.relationships.owner.links.related')" = "$BASE/second/api/users/1/owner" ]
}

@test "GET list through the sub-directory mount has self and next links under /second" {
	get /second/api/users
	expect_status 200
	[ "$(jqb '.links.self')" = "$BASE/second/api/users" ]
	[ "$(jqb '.links.next')" = "$BASE/second/api/users?page%5Bnumber%5D=2" ]
	[ "$(jqb '.data[0].links.self')" = "$BASE/second/api/users/1" ]
}

# --- OPTIONS ----------------------------------------------------------------

@test "OPTIONS item route without credentials: 200, empty body, Content-Length 0, Allow OPTIONS, GET, HEAD, PATCH, DELETE" {
	expect_options /api/users/1 "OPTIONS, GET, HEAD, PATCH, DELETE"
}

@test "OPTIONS list route without credentials: 200, empty body, Allow OPTIONS, GET, HEAD, PATCH, POST, DELETE" {
	expect_options /api/users "OPTIONS, GET, HEAD, PATCH, POST, DELETE"
}

@test "OPTIONS to-one subresource route without credentials: 200, Allow OPTIONS, GET, HEAD" {
	expect_options /api/users/1/owner "OPTIONS, GET, HEAD"
}

@test "OPTIONS to-many subresource route without credentials: 200, Allow OPTIONS, GET, HEAD" {
	expect_options /api/users/1/roles "OPTIONS, GET, HEAD"
}

@test "OPTIONS to-one relationship route without credentials: 200, Allow OPTIONS, GET, HEAD, PATCH" {
	expect_options /api/users/1/relationships/owner "OPTIONS, GET, HEAD, PATCH"
}

@test "OPTIONS to-many relationship route without credentials: 200, Allow OPTIONS, GET, HEAD, PATCH, POST, DELETE" {
	expect_options /api/users/1/relationships/roles "OPTIONS, GET, HEAD, PATCH, POST, DELETE"
}

@test "OPTIONS on an unknown type is 404 entity type constraint" {
	req OPTIONS /api/foo
	expect_error 404 "entity type constraint" "Unknown entity type: foo."
	req OPTIONS /api/foo/1/relationships/owner
	expect_error 404 "entity type constraint" "Unknown parent entity type: foo."
}

@test "OPTIONS on an unknown association is 404 relationship constraint" {
	req OPTIONS /api/users/1/foo
	expect_error 404 "relationship constraint" "Unsupported subresource."
	req OPTIONS /api/users/1/relationships/foo
	expect_error 404 "relationship constraint" "Unsupported subresource."
}

@test "OPTIONS on a path that is no route is 404 naming OPTIONS" {
	req OPTIONS /api/users/1/a/b/c
	expect_no_route OPTIONS /api/users/1/a/b/c
}

# --- HEAD -------------------------------------------------------------------

# head_vs_get PATH: the same request as GET and as HEAD; sets GET_*/HEAD_*.
head_vs_get() {
	local h="$BATS_TEST_TMPDIR/h"
	GET_STATUS=$(curl -s -o /dev/null -D "$h.get" -w '%{http_code}' \
		-H 'Accept: application/vnd.api+json' -H "$(wsse)" "$API_URL$1")
	GET_LEN=$(grep -i '^Content-Length:' "$h.get" | cut -d' ' -f2 | tr -d '\r')
	GET_TYPE=$(grep -i '^Content-Type:' "$h.get" | cut -d' ' -f2- | tr -d '\r')
	local out
	out=$(curl -s --head -o /dev/null -D "$h.head" -w '%{http_code} %{size_download}' \
		-H 'Accept: application/vnd.api+json' -H "$(wsse)" "$API_URL$1")
	HEAD_STATUS=${out% *}
	HEAD_BODY_BYTES=${out#* }
	HEAD_LEN=$(grep -i '^Content-Length:' "$h.head" | cut -d' ' -f2 | tr -d '\r')
	HEAD_TYPE=$(grep -i '^Content-Type:' "$h.head" | cut -d' ' -f2- | tr -d '\r')
	echo "GET $GET_STATUS $GET_LEN $GET_TYPE / HEAD $HEAD_STATUS $HEAD_LEN $HEAD_TYPE body $HEAD_BODY_BYTES" >&2
}

@test "HEAD item: same status, Content-Type and Content-Length as GET, no body" {
	head_vs_get /api/users/1
	[ "$GET_STATUS" = 200 ]
	[ "$HEAD_STATUS" = 200 ]
	[ -n "$GET_LEN" ]
	[ "$GET_LEN" -gt 0 ]
	[ "$HEAD_LEN" = "$GET_LEN" ]
	[ "$HEAD_TYPE" = "$GET_TYPE" ]
	[ "$HEAD_BODY_BYTES" = 0 ]
}

@test "HEAD list: same status and Content-Length as GET, no body" {
	head_vs_get /api/users
	[ "$GET_STATUS" = 200 ]
	[ "$HEAD_STATUS" = 200 ]
	[ "$HEAD_LEN" = "$GET_LEN" ]
	[ "$HEAD_BODY_BYTES" = 0 ]
}

@test "HEAD on a missing record: 404 with the Content-Length of the GET error, no body" {
	head_vs_get /api/users/999999
	[ "$GET_STATUS" = 404 ]
	[ "$HEAD_STATUS" = 404 ]
	[ -n "$GET_LEN" ]
	[ "$GET_LEN" -gt 0 ]
	[ "$HEAD_LEN" = "$GET_LEN" ]
	[ "$HEAD_BODY_BYTES" = 0 ]
}

@test "HEAD: the binary itself writes the GET headers and no body (run as CGI)" {
	cgi GET /api/users/1 HTTP_ACCEPT=application/vnd.api+json "$(cgi_wsse)"
	expect_status 200
	local len
	len=$(header Content-Length)
	[ "$len" -gt 0 ]
	cgi HEAD /api/users/1 HTTP_ACCEPT=application/vnd.api+json "$(cgi_wsse)"
	expect_status 200
	[ "$(header Content-Length)" = "$len" ]
	[ "$(header Content-Type)" = "application/vnd.api+json" ]
	[ "$CGI_BODY_BYTES" = 0 ]
}

# --- 405 --------------------------------------------------------------------

@test "PUT, POST and PROPFIND on an item route: 405, empty body, Allow OPTIONS, GET, HEAD, PATCH, DELETE" {
	for m in PUT POST PROPFIND; do
		expect_405 "$m" /api/users/1 "OPTIONS, GET, HEAD, PATCH, DELETE"
	done
}

@test "PUT and PROPFIND on a list route: 405, empty body, Allow OPTIONS, GET, HEAD, PATCH, POST, DELETE; PATCH is the batch API" {
	for m in PUT PROPFIND; do
		expect_405 "$m" /api/users "OPTIONS, GET, HEAD, PATCH, POST, DELETE"
	done
	# the same body as the 405s: the batch API reads it (and wants an array)
	send PATCH /api/users '{"data":{"type":"users"}}'
	expect_error 400 'request data constraint' 'The primary data object collection should be an array.'
}

@test "writes on subresource routes and the methods a relationship route lacks: 405 with the route's Allow" {
	for m in PUT POST PATCH DELETE; do
		expect_405 "$m" /api/users/1/roles "OPTIONS, GET, HEAD"
		expect_405 "$m" /api/users/1/owner "OPTIONS, GET, HEAD"
	done
	expect_405 PUT /api/users/1/relationships/roles "OPTIONS, GET, HEAD, PATCH, POST, DELETE"
	for m in PUT POST DELETE; do
		expect_405 "$m" /api/users/1/relationships/owner "OPTIONS, GET, HEAD, PATCH"
	done
}

@test "a made-up method (BREW) on item and list routes: 405, empty body, Allow (run as CGI)" {
	# lighttpd answers methods it does not know with its own 501, so the
	# binary is asked directly.
	for p in "/api/users/1 OPTIONS, GET, HEAD, PATCH, DELETE" "/api/users OPTIONS, GET, HEAD, PATCH, POST, DELETE"; do
		cgi BREW "${p%% *}" HTTP_ACCEPT=application/vnd.api+json "$(cgi_wsse)"
		[ "$STATUS" = 405 ] || { echo "BREW $p: $STATUS $BODY" >&2; return 1; }
		[ "$CGI_BODY_BYTES" = 0 ]
		[ "$(header Content-Length)" = 0 ]
		[ "$(header Allow)" = "${p#* }" ]
	done
}

# --- 404s -------------------------------------------------------------------

@test "unknown type on list and item routes: 404 entity type constraint / Unknown entity type: foo." {
	get /api/foo
	expect_error 404 "entity type constraint" "Unknown entity type: foo."
	get /api/foo/1
	expect_error 404 "entity type constraint" "Unknown entity type: foo."
}

@test "unknown parent type on a subresource route: Unknown parent entity type: foo." {
	get /api/foo/1/owner
	expect_error 404 "entity type constraint" "Unknown parent entity type: foo."
}

@test "unknown parent type on a relationship route: Unknown parent entity type: foo." {
	get /api/foo/1/relationships/owner
	expect_error 404 "entity type constraint" "Unknown parent entity type: foo."
}

@test "unknown association on subresource and relationship routes: 404 relationship constraint / Unsupported subresource." {
	get /api/users/1/foo
	expect_error 404 "relationship constraint" "Unsupported subresource."
	get /api/users/1/relationships/foo
	expect_error 404 "relationship constraint" "Unsupported subresource."
}

@test "malformed integer ids (abc, 01, -1) are 404 not found http exception" {
	for id in abc 01 -1; do
		get "/api/users/$id"
		expect_not_found || { echo "id $id" >&2; return 1; }
	done
}

@test "a lower-case country code (/api/countries/us) is a malformed id: 404 not found" {
	get /api/countries/us
	expect_not_found
}

@test "a missing id (/api/users/999999) is 404 not found http exception" {
	get /api/users/999999
	expect_not_found
}

@test "subresource and relationship routes of a missing parent are 404 not found" {
	get /api/users/999999/roles
	expect_not_found
	get /api/users/999999/relationships/owner
	expect_not_found
	get /api/users/abc/owner
	expect_not_found
}

@test "/api and /api/ are no route: 404 No route found for \"GET {path}\"." {
	get /api
	expect_no_route GET /api
	get /api/
	expect_no_route GET /api/
}

@test "/api/users/1/relationships (no association) is no route" {
	get /api/users/1/relationships
	expect_no_route GET /api/users/1/relationships
}

@test "/api/users/1/a/b/c (too many segments) is no route" {
	get /api/users/1/a/b/c
	expect_no_route GET /api/users/1/a/b/c
}

@test "empty path segments (/api/users/, /api//users) are no route" {
	get /api/users/
	expect_no_route GET /api/users/
	get //api//users
	expect_no_route GET //api//users
}

@test "/api/a/../users/1 is not normalised: no route with the path as sent" {
	get /api/a/../users/1 --path-as-is
	expect_no_route GET /api/a/../users/1
}

@test "a path outside /api is no route: /second/foo over HTTP, /foo as CGI" {
	get /second/foo
	expect_no_route GET /second/foo
	# The web server only hands /api and /second/ to the binary.
	cgi GET /foo HTTP_ACCEPT=application/vnd.api+json
	expect_no_route GET /foo
}

@test "the no-route detail names the method and leaves the query string out" {
	req DELETE '/api?page%5Bsize%5D=1'
	expect_no_route DELETE /api
}

@test "asyncoperations list route (nothing but OPTIONS) is 404 no route, not 405" {
	get /api/asyncoperations
	expect_no_route GET /api/asyncoperations
	req OPTIONS /api/asyncoperations
	expect_no_route OPTIONS /api/asyncoperations
	req PUT /api/asyncoperations
	expect_no_route PUT /api/asyncoperations
}

@test "asyncoperations item route exists: OPTIONS 200 and GET of a missing job 404 not found" {
	expect_options /api/asyncoperations/1 "OPTIONS, GET, HEAD"
	get /api/asyncoperations/1
	expect_not_found
}

# --- Paging and links (6.3, 5.3) -----------------------------------------------

@test "default page: 10 records by id, links self and next only" {
	get /api/users
	expect_status 200
	[ "$(ids)" = '["1","3","5","6","7","8","9","10","11","12"]' ]
	[ "$(jqb -c '.links | keys')" = '["next","self"]' ]
	[ "$(jqb '.links.self')" = "$BASE/api/users" ]
	[ "$(jqb '.links.next')" = "$BASE/api/users?page%5Bnumber%5D=2" ]
}

@test "page 2: the next 10 records, first and prev without page[number], next page 3" {
	get '/api/users?page[number]=2' -g
	expect_status 200
	[ "$(ids)" = '["13","14","15","16","17","18","19","20","21","22"]' ]
	[ "$(jqb '.links.self')" = "$BASE/api/users" ]
	[ "$(jqb '.links.first')" = "$BASE/api/users" ]
	[ "$(jqb '.links.prev')" = "$BASE/api/users" ]
	[ "$(jqb '.links.next')" = "$BASE/api/users?page%5Bnumber%5D=3" ]
	[ "$(jqb '.links | has("last")')" = false ]
}

@test "page[size]=5: 5 records, next link keeps the size, parameters sorted and brackets encoded" {
	get '/api/users?page%5Bsize%5D=5'
	expect_status 200
	[ "$(ids)" = '["1","3","5","6","7"]' ]
	[ "$(jqb -c '.links | keys')" = '["next","self"]' ]
	[ "$(jqb '.links.next')" = "$BASE/api/users?page%5Bnumber%5D=2&page%5Bsize%5D=5" ]
}

@test "page[size]=5&page[number]=2: first and prev keep only the size, next is page 3" {
	get '/api/users?page[size]=5&page[number]=2' -g
	expect_status 200
	[ "$(ids)" = '["8","9","10","11","12"]' ]
	[ "$(jqb '.links.first')" = "$BASE/api/users?page%5Bsize%5D=5" ]
	[ "$(jqb '.links.prev')" = "$BASE/api/users?page%5Bsize%5D=5" ]
	[ "$(jqb '.links.next')" = "$BASE/api/users?page%5Bnumber%5D=3&page%5Bsize%5D=5" ]
}

@test "page 3 of size 5: prev names page[number]=2 before page[size]" {
	get '/api/users?page[number]=3&page[size]=5' -g
	expect_status 200
	[ "$(ids)" = '["13","14","15","16","17"]' ]
	[ "$(jqb '.links.prev')" = "$BASE/api/users?page%5Bnumber%5D=2&page%5Bsize%5D=5" ]
	[ "$(jqb '.links.next')" = "$BASE/api/users?page%5Bnumber%5D=4&page%5Bsize%5D=5" ]
}

@test "an explicit default page[size]=10 is left out of the links" {
	get '/api/users?page[size]=10' -g
	expect_status 200
	[ "$(jqb '.links.next')" = "$BASE/api/users?page%5Bnumber%5D=2" ]
}

@test "the last page has first and prev but no next" {
	get '/api/users?page[number]=4' -g
	expect_status 200
	[ "$(ids)" = "$(db 'SELECT id FROM users WHERE organization_id = 1 ORDER BY id LIMIT 10 OFFSET 30' | jq -R . | jq -sc .)" ]
	[ "$(jqb -c '.links | keys')" = '["first","prev","self"]' ]
	[ "$(jqb '.links.prev')" = "$BASE/api/users?page%5Bnumber%5D=3" ]
}

@test "a page past the end is data [] without next" {
	get '/api/users?page[number]=5' -g
	expect_status 200
	[ "$(jqb -c '.data')" = '[]' ]
	[ "$(jqb '.links | has("next")')" = false ]
	[ "$(jqb '.links.first')" = "$BASE/api/users" ]
}

@test "page[size]=0 gives data [] without next" {
	get '/api/users?page[size]=0' -g
	expect_status 200
	[ "$(jqb -c '.data')" = '[]' ]
	[ "$(jqb -c '.links')" = "{\"self\":\"$BASE/api/users\"}" ]
}

@test "page[size]=-1 turns paging off: all records of the organization, no next" {
	get '/api/users?page[size]=-1' -g
	expect_status 200
	[ "$(jqb '.data | length')" = "$(db 'SELECT COUNT(*) FROM users WHERE organization_id = 1')" ]
	[ "$(jqb '.data[-1].id')" = "$(db 'SELECT MAX(id) FROM users WHERE organization_id = 1')" ]
	[ "$(jqb '.links | has("next")')" = false ]
}

@test "paging a to-many subresource: links under the subresource URL" {
	get '/api/users/1/roles?page[size]=1' -g
	expect_status 200
	[ "$(ids)" = '["1"]' ]
	[ "$(jqb '.links.self')" = "$BASE/api/users/1/roles" ]
	[ "$(jqb '.links.next')" = "$BASE/api/users/1/roles?page%5Bnumber%5D=2&page%5Bsize%5D=1" ]
}

@test "paging a to-many relationship: links under the relationship URL" {
	# the last of user 1's three roles: page 3 of size 1
	get '/api/users/1/relationships/roles?page[size]=1&page[number]=3' -g
	expect_status 200
	[ "$(jqb -c '.data')" = "[$(admin_roles_linkage | jq -c '.[-1]')]" ]
	[ "$(jqb '.links.first')" = "$BASE/api/users/1/relationships/roles?page%5Bsize%5D=1" ]
	[ "$(jqb '.links.prev')" = "$BASE/api/users/1/relationships/roles?page%5Bnumber%5D=2&page%5Bsize%5D=1" ]
	[ "$(jqb '.links | has("next")')" = false ]
}

@test "paging links through the sub-directory mount stay under /second" {
	get '/second/api/users?page[size]=5&page[number]=2' -g
	expect_status 200
	[ "$(jqb '.links.first')" = "$BASE/second/api/users?page%5Bsize%5D=5" ]
	[ "$(jqb '.links.next')" = "$BASE/second/api/users?page%5Bnumber%5D=3&page%5Bsize%5D=5" ]
}

@test "page[size]=-2: 400 The value should be greater than or equals to -1." {
	get '/api/users?page[size]=-2' -g
	expect_query_error 'page[size]' "The value should be greater than or equals to -1."
}

@test "page[size]=x: 400 Expected integer value. Given \"x\"." {
	get '/api/users?page[size]=x' -g
	expect_query_error 'page[size]' 'Expected integer value. Given "x".'
}

@test "page[size]=1.5: 400 Expected integer value. Given \"1.5\"." {
	get '/api/users?page[size]=1.5' -g
	expect_query_error 'page[size]' 'Expected integer value. Given "1.5".'
}

@test "page[number]=0: 400 The value should be greater than or equals to 1." {
	get '/api/users?page[number]=0' -g
	expect_query_error 'page[number]' "The value should be greater than or equals to 1."
}

@test "page[number]=-1: 400 Expected unsigned integer value. Given \"-1\"." {
	get '/api/users?page[number]=-1' -g
	expect_query_error 'page[number]' 'Expected unsigned integer value. Given "-1".'
}

@test "page[number]=x: 400 Expected unsigned integer value. Given \"x\"." {
	get '/api/users?page[number]=x' -g
	expect_query_error 'page[number]' 'Expected unsigned integer value. Given "x".'
}

@test "page[size] above max_page_size: 400 The value should be less than or equals to N. (run as CGI with API_MAX_PAGE_SIZE=50)" {
	cgi GET '/api/users?page%5Bsize%5D=51' API_MAX_PAGE_SIZE=50 HTTP_ACCEPT=application/vnd.api+json "$(cgi_wsse)"
	expect_query_error 'page[size]' "The value should be less than or equals to 50."
	cgi GET '/api/users?page%5Bsize%5D=50' API_MAX_PAGE_SIZE=50 HTTP_ACCEPT=application/vnd.api+json "$(cgi_wsse)"
	expect_status 200
	[ "$(jqb '.data | length')" = "$(db 'SELECT COUNT(*) FROM users WHERE organization_id = 1')" ]
}

@test "an unknown query parameter: 400 filter constraint / The filter is not supported. with its name" {
	get '/api/users?foo=1'
	expect_query_error foo "The filter is not supported."
}

@test "an unknown bracketed parameter is reported with its name as sent" {
	get '/api/users?foo[bar]=1' -g
	expect_query_error 'foo[bar]' "The filter is not supported."
	get '/api/users?Page[size]=1' -g
	expect_query_error 'Page[size]' "The filter is not supported."
}

@test "an unknown query parameter on an item route is rejected too" {
	get '/api/users/1?foo=1'
	expect_query_error foo "The filter is not supported."
}
