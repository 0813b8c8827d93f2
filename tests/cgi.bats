#!/usr/bin/env bats
# The same binary as plain CGI: through lighttpd's mod_cgi and started by
# hand with a CGI environment. It serves one request and exits.
load helpers/common

@test "CGI through lighttpd: GET /cgi/api.fcgi/api/users/1 returns the user with links under the prefix" {
	get /cgi/api.fcgi/api/users/1
	expect_status 200
	[ "$(jqb .data.attributes.username)" = admin ]
	[ "$(jqb .data.links.self)" = "$API_URL/cgi/api.fcgi/api/users/1" ]
}

@test "CGI by hand: one request from the environment, Status line first" {
	run env -i API_CONFIG="$API_CONFIG" REQUEST_METHOD=GET REQUEST_URI=/api/users/2 \
		HTTP_HOST=example.test HTTP_ACCEPT=application/vnd.api+json \
		HTTP_X_WSSE="$(wsse globex_admin "$GLOBEX_KEY" | sed 's/^X-WSSE: //')" "$API_FCGI" < /dev/null
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'Status: 200 OK\r' ]
	body=$(printf '%s\n' "$output" | tail -1)
	[ "$(jq -r .data.attributes.username <<< "$body")" = globex_admin ]
	[ "$(jq -r .data.links.self <<< "$body")" = "http://example.test/api/users/2" ]
}

@test "CGI by hand: argv is ignored (ISINDEX-style query strings never act)" {
	run env -i API_CONFIG="$API_CONFIG" REQUEST_METHOD=GET REQUEST_URI=/nothing \
		"$API_FCGI" --help apikey admin < /dev/null
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'Status: 404 Not Found\r' ]
	body=$(printf '%s\n' "$output" | tail -1)
	[ "$(jq -r '.errors[0].detail' <<< "$body")" = 'No route found for "GET /nothing".' ]
}

@test "CGI by hand: a broken configuration answers a JSON 500 and logs the cause" {
	echo "no.such.key = 1" > "$BATS_TEST_TMPDIR/bad.conf"
	run env -i API_CONFIG="$BATS_TEST_TMPDIR/bad.conf" REQUEST_METHOD=GET REQUEST_URI=/api/users/1 \
		"$API_FCGI" < /dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *'unknown key "no.such.key"'* ]]
	[[ "$output" == *$'Status: 500 Internal Server Error\r'* ]]
	[[ "$output" == *'{"errors":[{"status":"500","title":"internal server error"}]}'* ]]
}
