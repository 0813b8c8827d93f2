# limits.bats: every list a request carries is bounded (section 13), each
# bound a 400 that names it, checked before the work it would cost: sort
# keys, pattern-operator values, items of one comma list, a write's included
# items, distinct query parameter names; and paging values checked before
# any arithmetic, so crafted numbers never wrap.
load helpers/common

JSONAPI=application/vnd.api+json

# post_get PATH BODY: a list read whose parameters come in a JSON body.
post_get() {
	local body="$BATS_TEST_TMPDIR/post.json"
	printf '%s' "$2" > "$body"
	req POST "$1" -H "Accept: $JSONAPI" -H "Content-Type: $JSONAPI" \
		-H 'X-HTTP-Method-Override: GET' -H "$(wsse)" --data-binary "@$body"
}

# expect_param_error PARAMETER TITLE DETAIL
expect_param_error() {
	expect_error 400 "$2" "$3"
	[ "$(jqb '.errors | length')" = 1 ] || { echo "errors: $BODY" >&2; return 1; }
	[ "$(jqb '.errors[0].source.parameter')" = "$1" ] || { echo "source: $BODY" >&2; return 1; }
}

@test "six sort keys: 400 sort constraint naming sort; five are served" {
	get '/api/contacts?sort=id,firstName,lastName,email,owner,createdAt' -g
	expect_param_error sort 'sort constraint' 'Too many sort fields: at most 5.'
	get '/api/contacts?sort=-firstName,lastName,email,owner.username,createdAt' -g
	expect_status 200
}

@test "a contains value over 1000 characters: 400 naming the filter; 1000 (multibyte) are served" {
	long=$(printf 'a%.0s' $(seq 1 1001))
	get "/api/contacts?filter[lastName][contains]=$long" -g
	expect_param_error 'filter[lastName][contains]' 'filter constraint' \
		'The value is too long: at most 1000 characters for this operator.'
	for op in starts_with ends_with not_contains; do
		get "/api/contacts?filter[lastName][$op]=$long" -g
		expect_status 400
	done
	# 1000 characters of two bytes each: counted as characters, not bytes
	get "/api/contacts?filter[lastName][contains]=$(printf '%%C3%%A9%.0s' $(seq 1 1000))" -g
	expect_status 200
	# the symbol syntax (~) is the same operator
	get "/api/contacts?filter[lastName]~$long" -g
	expect_status 400
}

@test "one comma list over max_filter_items: 400 naming the filter, in the URL and in a body (CGI with API_MAX_FILTER_ITEMS=3)" {
	run env -i PATH="$PATH" API_CONFIG="$API_CONFIG" API_MAX_FILTER_ITEMS=3 \
		${ASAN_OPTIONS+"ASAN_OPTIONS=$ASAN_OPTIONS"} ${UBSAN_OPTIONS+"UBSAN_OPTIONS=$UBSAN_OPTIONS"} \
		REQUEST_METHOD=GET HTTP_ACCEPT=$JSONAPI REQUEST_URI='/api/users?filter%5Bid%5D=1,2,3,5' \
		HTTP_X_WSSE="$(wsse | sed 's/^X-WSSE: //')" "$API_FCGI"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'Status: 400 Bad Request\r' ]
	body=$(printf '%s\n' "$output" | tail -1)
	[ "$(jq -r '.errors[0].detail' <<< "$body")" = 'Too many items in the list: at most 3.' ]
	[ "$(jq -r '.errors[0].source.parameter' <<< "$body")" = 'filter[id]' ]
	run env -i PATH="$PATH" API_CONFIG="$API_CONFIG" API_MAX_FILTER_ITEMS=3 \
		${ASAN_OPTIONS+"ASAN_OPTIONS=$ASAN_OPTIONS"} ${UBSAN_OPTIONS+"UBSAN_OPTIONS=$UBSAN_OPTIONS"} \
		REQUEST_METHOD=GET HTTP_ACCEPT=$JSONAPI REQUEST_URI='/api/users?filter%5Bid%5D=1,2,3' \
		HTTP_X_WSSE="$(wsse | sed 's/^X-WSSE: //')" "$API_FCGI"
	[ "${lines[0]}" = $'Status: 200 OK\r' ]
}

@test "101 included items: 400 request data constraint at /included, nothing stored" {
	before=$(db "SELECT COUNT(*) FROM accounts")
	inc=''
	for i in $(seq 1 101); do
		inc+="${inc:+,}{\"type\":\"accounts\",\"id\":\"a$i\",\"attributes\":{\"name\":\"LimitInc$i\"}}"
	done
	req POST /api/contacts -H "Accept: $JSONAPI" -H "Content-Type: $JSONAPI" -H "$(wsse)" \
		--data-binary "{\"data\":{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"LimitInc\"},\"relationships\":{\"accounts\":{\"data\":[{\"type\":\"accounts\",\"id\":\"a1\"}]}}},\"included\":[$inc]}"
	expect_error 400 'request data constraint' 'Too many included items: at most 100.'
	[ "$(jqb '.errors[0].source.pointer')" = /included ]
	[ "$(db "SELECT COUNT(*) FROM accounts")" = "$before" ]
}

@test "1,001 distinct query parameter names: one 400 before any is looked at; 1,000 each get their own" {
	qs=$(seq -f 'p%g=' 1 1001 | paste -sd'&' -)
	get "/api/contacts?$qs"
	expect_error 400 'filter constraint' 'Too many query parameters: at most 1000 names.'
	[ "$(jqb '.errors | length')" = 1 ]
	qs=$(seq -f 'p%g=' 1 1000 | paste -sd'&' -)
	get "/api/contacts?$qs"
	expect_error 400 'filter constraint' 'The filter is not supported.'
	[ "$(jqb '.errors | length')" = 1000 ]
}

@test "overflow-sized paging values: checked before any arithmetic, a page past the end is empty, never a wrapped first page" {
	# (number - 1) * size is 2^64 here: wrapped, it would be offset 0
	get '/api/contacts?page[number]=4611686018427387905&page[size]=4' -g
	expect_status 200
	[ "$(jqb -c '.data')" = '[]' ]
	[ "$(jqb '.links | has("next")')" = false ]
	[ "$(jqb '.links.prev')" = "$API_URL/api/contacts?page%5Bnumber%5D=4611686018427387904&page%5Bsize%5D=4" ]
	# past the end for a streamed size too (size > 500)
	get '/api/contacts?page[number]=9223372036854775807&page[size]=100000' -g
	expect_status 200
	[ "$(jqb -c '.data')" = '[]' ]
	# the largest size with the second page: offset just fits, nothing there
	get '/api/contacts?page[size]=4611686018427387903&page[number]=2&fields[contacts]=lastName' -g
	expect_status 200
	[ "$(jqb -c '.data')" = '[]' ]
	get '/api/contacts?page[size]=9223372036854775806&fields[contacts]=lastName' -g
	expect_status 200
	[ "$(jqb '.data | length')" = "$(db "SELECT COUNT(*) FROM contacts WHERE organization_id = 1")" ]
	get '/api/contacts?page[size]=9223372036854775808' -g
	expect_error 400 'filter constraint' 'Expected integer value. Given "9223372036854775808".'
}

@test "to-many linkage is cut at max_related_entities, lowest ids first (CGI with API_MAX_RELATED_ENTITIES=2)" {
	want=$(db "SELECT id FROM users WHERE organization_id = 1 ORDER BY id LIMIT 2" | paste -sd,)
	run env -i PATH="$PATH" API_CONFIG="$API_CONFIG" API_MAX_RELATED_ENTITIES=2 \
		${ASAN_OPTIONS+"ASAN_OPTIONS=$ASAN_OPTIONS"} ${UBSAN_OPTIONS+"UBSAN_OPTIONS=$UBSAN_OPTIONS"} \
		REQUEST_METHOD=GET HTTP_ACCEPT=$JSONAPI REQUEST_URI='/api/organizations/1' \
		HTTP_X_WSSE="$(wsse | sed 's/^X-WSSE: //')" "$API_FCGI"
	[ "${lines[0]}" = $'Status: 200 OK\r' ]
	body=$(printf '%s\n' "$output" | tail -1)
	[ "$(jq -r '[.data.relationships.users.data[].id] | join(",")' <<< "$body")" = "$want" ]
	# Without the cap: every user, in numeric id order (9 before 10).
	get '/api/organizations/1'
	all=$(db "SELECT id FROM users WHERE organization_id = 1 ORDER BY id" | paste -sd,)
	[ "$(jqb '[.data.relationships.users.data[].id] | join(",")')" = "$all" ]
}
