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
	[ "$(printf '%s\n' "$output" | sed '/^\r$/q' | grep -ci '^Content-Length')" = 0 ]
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

# cgi_get URI [VAR=value...]: the binary run as CGI (stdout in $BATS_TEST_TMPDIR/cgi.out).
cgi_get() {
	local uri=$1
	shift
	env -i PATH="$PATH" API_CONFIG="$API_CONFIG" "$@" \
		${ASAN_OPTIONS+"ASAN_OPTIONS=$ASAN_OPTIONS"} ${UBSAN_OPTIONS+"UBSAN_OPTIONS=$UBSAN_OPTIONS"} \
		REQUEST_METHOD=GET HTTP_ACCEPT=application/vnd.api+json REQUEST_URI="$uri" \
		HTTP_X_WSSE="$(wsse | sed 's/^X-WSSE: //')" "$API_FCGI" < /dev/null > "$BATS_TEST_TMPDIR/cgi.out"
}

@test "a page over 500 rows (page[size]=1000) is streamed: no Content-Length, the first 1000 ids, a next link; page 2 has the rest" {
	cgi_get "/api/calls?page%5Bsize%5D=1000&fields%5Bcalls%5D=subject"
	[ "$(head -1 "$BATS_TEST_TMPDIR/cgi.out")" = $'Status: 200 OK\r' ]
	[ "$(sed '/^\r$/q' "$BATS_TEST_TMPDIR/cgi.out" | grep -ci '^Content-Length')" = 0 ]
	body=$(tail -1 "$BATS_TEST_TMPDIR/cgi.out")
	[ "$(jq -r '[.data[].id] | join(",")' <<< "$body")" = \
	  "$(db "SELECT id FROM calls WHERE organization_id = 1 ORDER BY id LIMIT 1000" | paste -sd, -)" ]
	# (CGI without a Host: the link's origin is the configured base)
	[ "$(jq -r .links.next <<< "$body" | sed 's|^[a-z]*://[^/]*||')" = \
	  "/api/calls?fields%5Bcalls%5D=subject&page%5Bnumber%5D=2&page%5Bsize%5D=1000" ]
	get "/api/calls?page%5Bsize%5D=1000&page%5Bnumber%5D=2&fields%5Bcalls%5D=subject" -H 'X-Include: totalCount'
	expect_status 200
	total=$(db "SELECT COUNT(*) FROM calls WHERE organization_id = 1")
	[ "$(jqb '.data | length')" = $((total - 1000)) ]
	[ "$(header X-Include-Total-Count)" = "$total" ]
	[ "$(jqb '.links | has("next")')" = false ]
	[ "$(jqb '.links.prev')" = "$API_URL/api/calls?fields%5Bcalls%5D=subject&page%5Bsize%5D=1000" ]
}

@test "a chunk that fails after the ids were read: a 500 error document, the process unharmed (the errors outlive the chunk's memory)" {
	# users' chunks read user_business_units (businessUnits linkage); the
	# id query and admin's access check do not: hide the table between them.
	db "RENAME TABLE user_business_units TO ubu_hidden_for_stream_test"
	cgi_get "/api/users?page%5Bsize%5D=-1"
	db "RENAME TABLE ubu_hidden_for_stream_test TO user_business_units"
	[ "$(head -1 "$BATS_TEST_TMPDIR/cgi.out")" = $'Status: 500 Internal Server Error\r' ]
	body=$(sed '1,/^\r$/d' "$BATS_TEST_TMPDIR/cgi.out")
	[ "$(jq -c '.errors' <<< "$body")" = '[{"status":"500","title":"internal server error"}]' ]
	get "/api/users?page%5Bsize%5D=-1&fields%5Busers%5D=username"
	expect_status 200
	[ "$(jqb '.data | length')" = "$(db "SELECT COUNT(*) FROM users WHERE organization_id = 1")" ]
}

@test "page[size]=1000000 over 100,000 calls: streamed, every row sent, peak RSS of the process under 64 MiB" {
	db "INSERT INTO calls (organization_id, owner_id, subject, phone_number, call_date_time,
		direction, created_at, updated_at)
		SELECT 1, 1, CONCAT('Stream big ', seq), '+1', '2020-01-01 00:00:00',
		'incoming', UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM seq_1_to_100000"
	rss=$(python3 - "$API_FCGI" "$API_CONFIG" "$(wsse | sed 's/^X-WSSE: //')" "$BATS_TEST_TMPDIR/big.out" <<'PY'
import os, resource, subprocess, sys
binary, config, wsse, out = sys.argv[1:5]
env = {k: v for k, v in os.environ.items() if k in ("PATH", "ASAN_OPTIONS", "UBSAN_OPTIONS")}
env.update(API_CONFIG=config, REQUEST_METHOD="GET", HTTP_ACCEPT="application/vnd.api+json",
           REQUEST_URI="/api/calls?page%5Bsize%5D=1000000", HTTP_X_WSSE=wsse)
with open(out, "wb") as f:
    subprocess.run([binary], env=env, stdin=subprocess.DEVNULL, stdout=f, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
)
	db "DELETE FROM calls WHERE subject LIKE 'Stream big %'"
	[ "$(head -1 "$BATS_TEST_TMPDIR/big.out")" = $'Status: 200 OK\r' ]
	[ "$(sed '1,/^\r$/d' "$BATS_TEST_TMPDIR/big.out" | jq '.data | length')" -gt 100000 ]
	echo "peak RSS ${rss} KiB" >&3
	if ldd "$API_FCGI" | grep -q libasan; then
		skip "peak RSS not comparable under AddressSanitizer (${rss} KiB)"
	fi
	[ "$rss" -lt $((64 * 1024)) ]
}
