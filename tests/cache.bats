#!/usr/bin/env bats
# Section 3.3: keys, tokens, users, organizations and permissions are kept
# per process for at most auth.cache_ttl (the suite runs with the default,
# 1 s). A revoked token, a disabled user, a role taken away, through the API
# or apictl, is refused within the bound on every process: /api (two
# processes) and the one-process /second/ pool, each warmed first. Two
# one-process servers of their own show what the bound means: with 30 s a
# change behind the process's back is not seen, its own changes are at once,
# and a cached token still ends at its expiry; with 0 the very next request
# sees a change.
load helpers/common

setup_file() {
	. "$ROOT/tests/helpers/stack.sh"
	local env="\"API_CONFIG\" => \"$API_CONFIG\", \"API_AUTH_CACHE_TTL\""
	stack_one_process "$BATS_FILE_TMPDIR/ttl30" "$API_FCGI" "$env => \"30\"" || return 1
	echo "TTL30_URL=http://127.0.0.1:$ONE_PORT" > "$BATS_FILE_TMPDIR/urls"
	stack_one_process "$BATS_FILE_TMPDIR/ttl0" "$API_FCGI" "$env => \"0\"" || return 1
	echo "TTL0_URL=http://127.0.0.1:$ONE_PORT" >> "$BATS_FILE_TMPDIR/urls"
}

teardown_file() {
	kill "$(cat "$BATS_FILE_TMPDIR/ttl30/pid")" "$(cat "$BATS_FILE_TMPDIR/ttl0/pid")" 2>/dev/null || true
	db "DELETE FROM users WHERE username LIKE 'cache\\_%'"
	db "DELETE FROM roles WHERE role LIKE 'ROLE\\_CACHE\\_%'"
}

setup() {
	. "$BATS_FILE_TMPDIR/urls"
}

# viewer NAME: a new user of Acme with ROLE_VIEWER (VIEW at organization
# level), a client acting as it and a client_credentials token: $UID_, $TOKEN.
viewer() {
	UID_=$("$API_APICTL" user add "$1" --email "$1@example.com" --org "Acme Inc" \
		--role ROLE_VIEWER | tail -1) || return 1
	eval "$(new_client V "$1")"
	req POST /oauth2-token -d grant_type=client_credentials -d "client_id=$V_ID" \
		-d "client_secret=$V_SECRET"
	expect_status 200 || return 1
	TOKEN=$(jqb .access_token)
}

# warm TOKEN: a 200 from /api, sent two at a time so that both of its
# processes are likely to serve one (lighttpd picks the less busy), and from
# /second/: each has the token and the levels cached.
warm() {
	local i
	for i in 1 2 3; do
		curl -s -o /dev/null -H 'Accept: application/vnd.api+json' \
			-H "Authorization: Bearer $1" "$API_URL/api/contacts/1" &
		bget /api/contacts/1 "$1"
		wait
		expect_status 200 || return 1
		bget /second/api/contacts/1 "$1"
		expect_status 200 || return 1
	done
}

# everywhere CODE TOKEN: /api and /second/ answer CODE within the bound; the
# time it took (ms, /second/ last) in $TOOK.
everywhere() {
	local start
	start=$(date +%s%N)
	settles "$1" bget /api/contacts/1 "$2"
	settles "$1" bget /second/api/contacts/1 "$2"
	TOOK=$(( ($(date +%s%N) - start) / 1000000 ))
}

# at URL CMD...: CMD (a req / get / bget / act_as) against another server.
at() {
	local saved=$API_URL rc=0
	API_URL=$1
	shift
	"$@" || rc=$?
	API_URL=$saved
	return $rc
}

@test "a token revoked through RFC 7009 or apictl is refused within auth.cache_ttl on every process" {
	viewer cache_rev
	warm "$TOKEN"
	req POST /oauth2-token/revoke -d "token=$TOKEN" -d "client_id=$V_ID" -d "client_secret=$V_SECRET"
	expect_status 200
	everywhere 401 "$TOKEN"
	[ "$TOOK" -lt 4000 ]
	req POST /oauth2-token -d grant_type=client_credentials -d "client_id=$V_ID" \
		-d "client_secret=$V_SECRET"
	TOKEN=$(jqb .access_token)
	warm "$TOKEN"
	run "$API_APICTL" token revoke "$TOKEN"
	[ "$status" -eq 0 ]
	everywhere 401 "$TOKEN"
}

@test "a user disabled through the API or apictl is refused within the bound on every process" {
	viewer cache_dis1
	warm "$TOKEN"
	act_as admin PATCH "/api/users/$UID_" \
		"{\"data\":{\"type\":\"users\",\"id\":\"$UID_\",\"attributes\":{\"enabled\":false}}}"
	expect_status 200
	everywhere 401 "$TOKEN"
	viewer cache_dis2
	warm "$TOKEN"
	run "$API_APICTL" user disable cache_dis2
	[ "$status" -eq 0 ]
	everywhere 401 "$TOKEN"
}

@test "a role taken away through the users' roles relationship or apictl role grant: 403 within the bound on every process" {
	viewer cache_role
	warm "$TOKEN"
	act_as admin DELETE "/api/users/$UID_/relationships/roles" \
		'{"data":[{"type":"userroles","id":"5"}]}'
	expect_status 204
	everywhere 403 "$TOKEN"
	expect_error 403 'access denied exception' 'No access to this type of entities.'
	"$API_APICTL" role add ROLE_CACHE_VIEW "Cache view" >/dev/null
	"$API_APICTL" role grant ROLE_CACHE_VIEW contacts VIEW organization >/dev/null
	db "INSERT INTO user_roles (user_id, role_id) SELECT $UID_, id FROM roles WHERE role = 'ROLE_CACHE_VIEW'"
	everywhere 200 "$TOKEN"
	warm "$TOKEN"
	run "$API_APICTL" role grant ROLE_CACHE_VIEW contacts VIEW none
	[ "$status" -eq 0 ]
	everywhere 403 "$TOKEN"
}

@test "auth.cache_ttl 30 in one process: a change behind its back is not seen, its own API changes are at once, a cached token ends at its expiry" {
	viewer cache_t30
	at "$TTL30_URL" bget /api/contacts/1 "$TOKEN"
	expect_status 200
	# Behind its back: role and token gone from the database, still cached.
	db "DELETE FROM user_roles WHERE user_id = $UID_"
	db "UPDATE oauth_tokens SET revoked = 1 WHERE token_hash = UNHEX(SHA2('$TOKEN', 256))"
	at "$TTL30_URL" bget /api/contacts/1 "$TOKEN"
	expect_status 200
	# Its own change through the API flushes its caches: the next request sees all.
	at "$TTL30_URL" act_as admin PATCH "/api/users/$UID_" \
		"{\"data\":{\"type\":\"users\",\"id\":\"$UID_\",\"attributes\":{\"firstName\":\"Cached\"}}}"
	expect_status 200
	at "$TTL30_URL" bget /api/contacts/1 "$TOKEN"
	expect_status 401

	# A token that expires 5 s after issue is refused then, cached or not
	# (long before the 30 s; 5 s leave a loaded machine time for the first use).
	printf 'grant_type=client_credentials&client_id=%s&client_secret=%s' "$V_ID" "$V_SECRET" \
		> "$BATS_TEST_TMPDIR/form"
	db "INSERT INTO user_roles (user_id, role_id) VALUES ($UID_, 5)"
	issued=$(date +%s%N)
	cgi_token API_OAUTH_ACCESS_LIFETIME=5
	expect_status 200
	short=$(jqb .access_token)
	at "$TTL30_URL" bget /api/contacts/1 "$short"
	expect_status 200
	eventually 10 at "$TTL30_URL" status_is 401 bget /api/contacts/1 "$short"
	took=$(( ($(date +%s%N) - issued) / 1000000 ))
	[ "$took" -lt 10000 ]
}

@test "auth.cache_ttl 0: the very next request sees a change made in the database" {
	viewer cache_t0
	at "$TTL0_URL" bget /api/contacts/1 "$TOKEN"
	expect_status 200
	db "DELETE FROM user_roles WHERE user_id = $UID_"
	at "$TTL0_URL" bget /api/contacts/1 "$TOKEN"
	expect_error 403 'access denied exception' 'No access to this type of entities.'
	db "INSERT INTO user_roles (user_id, role_id) VALUES ($UID_, 5)"
	at "$TTL0_URL" bget /api/contacts/1 "$TOKEN"
	expect_status 200
	db "UPDATE oauth_tokens SET revoked = 1 WHERE token_hash = UNHEX(SHA2('$TOKEN', 256))"
	at "$TTL0_URL" bget /api/contacts/1 "$TOKEN"
	expect_status 401
	# WSSE too: a disabled key stops at once (its nonce INSERT re-checks it).
	key=$("$API_APICTL" apikey cache_t0 | tail -1)
	at "$TTL0_URL" get_as cache_t0 "$key" /api/contacts/1
	expect_status 200
	"$API_APICTL" apikey disable "$key" >/dev/null
	at "$TTL0_URL" get_as cache_t0 "$key" /api/contacts/1
	expect_status 401
}

@test "auth.cache_ttl takes fractions of a second, refuses bad values, and check-config shows it" {
	run env API_AUTH_CACHE_TTL=0.25 "$API_APICTL" check-config
	[ "$status" -eq 0 ]
	[[ "$output" == *"auth.cache_ttl"*"= 0.250"* ]]
	run env API_AUTH_CACHE_TTL=2 "$API_APICTL" check-config
	[[ "$output" == *"auth.cache_ttl"*"= 2.000"* ]]
	for bad in -1 abc 0.1234 1e3 3601; do
		run env API_AUTH_CACHE_TTL=$bad "$API_APICTL" check-config
		[ "$status" -ne 0 ]
		[[ "$output" == *"auth.cache_ttl"* ]]
	done
}

@test "steady state: a bearer GET of one contact runs one statement, the contact's SELECT (auth.cache_ttl 30, one process)" {
	viewer cache_one
	local path='/api/contacts/1?fields[contacts]=firstName,lastName,owner'
	at "$TTL30_URL" bget "$path" "$TOKEN" -g
	expect_status 200
	db "SET GLOBAL log_output = 'TABLE'; SET GLOBAL general_log = 0;
	    TRUNCATE mysql.general_log; SET GLOBAL general_log = 1"
	at "$TTL30_URL" bget "$path" "$TOKEN" -g
	db "SET GLOBAL general_log = 0"
	statements=$(db "SELECT REPLACE(CONVERT(argument USING utf8mb4), '\n', ' ')
	    FROM mysql.general_log WHERE command_type IN ('Query', 'Execute')
	    AND user_host LIKE 'mariapi[%'")
	db "SET GLOBAL log_output = 'FILE'; TRUNCATE mysql.general_log"
	expect_status 200
	[ "$(jqb .data.id)" = 1 ]
	echo "$statements"
	[ "$(wc -l <<< "$statements")" = 1 ]
	[[ "$statements" == 'SELECT '*'FROM `contacts`'* ]]
}
