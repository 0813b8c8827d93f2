#!/usr/bin/env bats
# page[size]=-1 (section 6.3): every record, streamed in chunks (no
# Content-Length), in the requested order, with the other parameters applied.
load helpers/common

setup_file() {
	# 1,200 extra calls so the stream spans several chunks of 500.
	db "INSERT INTO calls (organization_id, owner_id, subject, phone_number, call_date_time,
		direction, created_at, updated_at)
		SELECT 1, 1, CONCAT('Stream ', seq), '+1', '2020-01-01 00:00:00' + INTERVAL seq MINUTE,
		IF(seq % 2, 'incoming', 'outgoing'), UTC_TIMESTAMP(), UTC_TIMESTAMP()
		FROM seq_1_to_1200"
}

teardown_file() {
	db "DELETE FROM calls WHERE subject LIKE 'Stream %'"
}

@test "page[size]=-1 returns every call of the organization, by id" {
	get "/api/calls?page%5Bsize%5D=-1&fields%5Bcalls%5D=subject"
	expect_status 200
	[ "$(jqb '.data | length')" = "$(db "SELECT COUNT(*) FROM calls WHERE organization_id = 1")" ]
	[ "$(jqb -c '[.data[].id | tonumber] == ([.data[].id | tonumber] | sort)')" = true ]
	[ "$(jqb -c '.links')" = "{\"self\":\"$API_URL/api/calls\"}" ]
}

@test "page[size]=-1 keeps the sort order across chunks" {
	get "/api/calls?page%5Bsize%5D=-1&sort=-callDateTime&fields%5Bcalls%5D=callDateTime"
	expect_status 200
	got=$(jqb -r '.data[].id' | md5sum)
	want=$(db "SELECT id FROM calls WHERE organization_id = 1 ORDER BY call_date_time DESC, id DESC" | md5sum)
	[ "$got" = "$want" ]
}

@test "page[size]=-1 with X-Include: totalCount gives the count of everything" {
	get "/api/calls?page%5Bsize%5D=-1&fields%5Bcalls%5D=subject" -H 'X-Include: totalCount'
	[ "$(header X-Include-Total-Count)" = "$(db "SELECT COUNT(*) FROM calls WHERE organization_id = 1")" ]
}

@test "page[size]=-1 on a type with to-many linkage streams the linkage too" {
	get "/api/contacts?page%5Bsize%5D=-1&fields%5Bcontacts%5D=accounts"
	expect_status 200
	[ "$(jqb '.data | length')" = "$(db "SELECT COUNT(*) FROM contacts WHERE organization_id = 1")" ]
	[ "$(jqb -c '[.data[] | select(.id == "1") | .relationships.accounts.data[].id]')" = '["1","2"]' ]
}

@test "page[size]=-1 with include is whole and deduplicated (not streamed)" {
	get "/api/calls?page%5Bsize%5D=-1&include=owner&fields%5Bcalls%5D=owner&fields%5Busers%5D=username"
	expect_status 200
	[ "$(jqb '.data | length')" = "$(db "SELECT COUNT(*) FROM calls WHERE organization_id = 1")" ]
	[ "$(jqb '[.included[].id] | length')" = "$(db "SELECT COUNT(DISTINCT owner_id) FROM calls WHERE organization_id = 1")" ]
}

@test "page[size]=-1 in the plain format is one JSON array" {
	req GET "/api/calls?page%5Bsize%5D=-1&fields%5Bcalls%5D=subject" -H 'Accept: application/json' -H "$(wsse)"
	expect_status 200
	[ "$(jqb 'type')" = array ]
	[ "$(jqb 'length')" = "$(db "SELECT COUNT(*) FROM calls WHERE organization_id = 1")" ]
}

@test "the binary streams page[size]=-1: its own head has no Content-Length (CGI)" {
	run env -i API_CONFIG="$API_CONFIG" REQUEST_METHOD=GET HTTP_ACCEPT=application/vnd.api+json \
		REQUEST_URI="/api/calls?page%5Bsize%5D=-1&fields%5Bcalls%5D=subject" \
		HTTP_X_WSSE="$(wsse | sed 's/^X-WSSE: //')" "$API_FCGI" < /dev/null
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'Status: 200 OK\r' ]
	! printf '%s\n' "$output" | sed '/^\r$/q' | grep -qi '^Content-Length'
	body=$(printf '%s\n' "$output" | tail -1)
	[ "$(jq '.data | length' <<< "$body")" = "$(db "SELECT COUNT(*) FROM calls WHERE organization_id = 1")" ]
}

@test "HEAD with page[size]=-1 sends the headers only (CGI)" {
	run env -i API_CONFIG="$API_CONFIG" REQUEST_METHOD=HEAD HTTP_ACCEPT=application/vnd.api+json \
		REQUEST_URI="/api/calls?page%5Bsize%5D=-1" \
		HTTP_X_WSSE="$(wsse | sed 's/^X-WSSE: //')" "$API_FCGI" < /dev/null
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'Status: 200 OK\r' ]
	! grep -q '"data"' <<< "$output"
}
