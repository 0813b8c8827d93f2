#!/usr/bin/env bats
# Section 3.2: OAuth 2.0. The token endpoint (grants client_credentials,
# password, refresh_token; every error), revocation (RFC 7009 and apictl),
# bearer tokens on /api side by side with WSSE, expiry, organization
# isolation, and disabled users, clients and organizations. RFC 9700 and
# guessing: reuse of a rotated refresh token revokes its family, a password
# change or a disabled user revokes the user's tokens, and repeated failed
# authentications of one username or client get 429 without a hash run.
load helpers/common

# argon2id of "correct horse" (t=2, m=19456, p=1, fixed salt), set as admin's
# password for the password grant.
PW_HASH='$argon2id$v=19$m=19456,t=2,p=1$bWFyaWFwaS10ZXN0c2FsdA$ehqQJybz+uT1X6X6wfnnWSGb+tLyEAXSoIDsgzJxevg'
PW='correct horse'
INVALID_REQUEST='The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.'

setup_file() {
	new_client C admin > "$BATS_FILE_TMPDIR/clients"
	new_client G globex_admin >> "$BATS_FILE_TMPDIR/clients"
	db "UPDATE users SET password_hash = '$PW_HASH' WHERE username = 'admin'"
}

teardown_file() {
	db "UPDATE users SET password_hash = NULL WHERE username = 'admin'"
	# Users added here (cascading to their clients and tokens); counters.
	db "DELETE FROM users WHERE username LIKE 'oauth\\_%'; DELETE FROM oauth_failures"
	db "UPDATE organizations SET enabled = 1 WHERE id = 2"
	db "UPDATE users SET enabled = 1 WHERE username = 'globex_admin'"
}

setup() {
	. "$BATS_FILE_TMPDIR/clients"
}

# token_req [curl args...]: POST /oauth2-token.
token_req() { req POST /oauth2-token "$@"; }

# cc_token [ID SECRET]: an access token of client_credentials in $TOKEN.
cc_token() {
	token_req -d grant_type=client_credentials -d "client_id=${1:-$C_ID}" \
		-d "client_secret=${2:-$C_SECRET}"
	expect_status 200 || return 1
	TOKEN=$(jqb .access_token)
}

# pw_token: access and refresh token of admin's password grant: $TOKEN, $REFRESH.
pw_token() {
	token_req -d grant_type=password -d "client_id=$C_ID" -d "client_secret=$C_SECRET" \
		-d username=admin --data-urlencode "password=$PW"
	expect_status 200 || return 1
	TOKEN=$(jqb .access_token)
	REFRESH=$(jqb .refresh_token)
}

# expect_oauth_error STATUS ERROR DESCRIPTION [HINT]: the exact error body.
expect_oauth_error() {
	expect_status "$1" || return 1
	[ "$(header Content-Type)" = application/json ] || { echo "CT $(header Content-Type)" >&2; return 1; }
	[ "$(header Cache-Control)" = no-store ] || return 1
	local want
	if [ $# -ge 4 ]; then
		want=$(jq -cn --arg e "$2" --arg d "$3" --arg h "$4" \
			'{error: $e, error_description: $d, hint: $h}')
	else
		want=$(jq -cn --arg e "$2" --arg d "$3" '{error: $e, error_description: $d}')
	fi
	[ "$BODY" = "$want" ] || { echo "body $BODY, expected $want" >&2; return 1; }
}

# bearer_refused PATH TOKEN: GET PATH answers expect_bearer_401 within the
# bound of the processes' caches (section 3.3: a revocation, a disabled
# user, client or organization reaches every process within auth.cache_ttl).
bearer_refused() {
	eventually "$(cache_wait)" bearer_401 "$@"
}

bearer_401() {
	bget "$@" && expect_bearer_401
}

# expect_bearer_401: 401, empty body, both schemes named.
expect_bearer_401() {
	expect_status 401 || return 1
	[ -z "$BODY" ] || { echo "body: $BODY" >&2; return 1; }
	[ "$(header Content-Length)" = 0 ] || return 1
	local all
	all=$(grep -i '^WWW-Authenticate:' "$BATS_TEST_TMPDIR/headers" | cut -d' ' -f2- | tr -d '\r')
	grep -qx 'Bearer' <<< "$all" || { echo "no Bearer challenge: $all" >&2; return 1; }
	grep -qxF 'WSSE realm="Secured API", profile="UsernameToken"' <<< "$all" ||
		{ echo "no WSSE challenge: $all" >&2; return 1; }
}

@test "client_credentials (form body): 200, the exact members, Cache-Control no-store, no refresh token" {
	cc_token
	[ "$(header Content-Type)" = application/json ]
	[ "$(header Cache-Control)" = no-store ]
	[ "$(jq -c keys_unsorted <<< "$BODY")" = '["token_type","expires_in","access_token"]' ]
	[ "$(jqb .token_type)" = Bearer ]
	[ "$(jqb .expires_in)" = 3600 ]
	[[ "$TOKEN" =~ ^[0-9a-f]{64}$ ]]
	bget /api/users/1 "$TOKEN"
	expect_status 200
	[ "$(jqb .data.attributes.username)" = admin ]
}

@test "client_credentials with HTTP Basic and with a JSON body" {
	token_req -u "$C_ID:$C_SECRET" -d grant_type=client_credentials
	expect_status 200
	[ "$(jqb .token_type)" = Bearer ]
	token_req -H 'Content-Type: application/json' \
		-d "{\"grant_type\":\"client_credentials\",\"client_id\":\"$C_ID\",\"client_secret\":\"$C_SECRET\"}"
	expect_status 200
	bget /api/users/1 "$(jqb .access_token)"
	expect_status 200
}

@test "password grant: access and refresh token; tokens are stored only as SHA-256 hashes" {
	pw_token
	[ "$(jq -c keys_unsorted <<< "$BODY")" = '["token_type","expires_in","access_token","refresh_token"]' ]
	[ "$(jqb .expires_in)" = 3600 ]
	[[ "$REFRESH" =~ ^[0-9a-f]{64}$ ]]
	[ "$TOKEN" != "$REFRESH" ]
	bget /api/users/1 "$TOKEN"
	expect_status 200
	[ "$(db "SELECT kind FROM oauth_tokens WHERE token_hash = UNHEX(SHA2('$TOKEN', 256))")" = access ]
	[ "$(db "SELECT kind, ABS(TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), expires_at) - 2592000) < 10
		FROM oauth_tokens WHERE token_hash = UNHEX(SHA2('$REFRESH', 256))")" = "refresh	1" ]
	[ "$(db "SELECT COUNT(*) FROM oauth_tokens WHERE LOWER(HEX(token_hash)) IN ('$TOKEN', '$REFRESH')")" = 0 ]
	[ "$(db "SELECT COUNT(*) FROM oauth_clients WHERE secret_hash LIKE '\$argon2id\$%'
		AND client_id = '$C_ID' AND secret_hash NOT LIKE '%$C_SECRET%'")" = 1 ]
}

@test "password grant: wrong password, unknown user and disabled user are invalid_grant (logged, no secret)" {
	for u in "admin:wrong" "nosuchuser:$PW" "disabled_user:$PW"; do
		token_req -d grant_type=password -d "client_id=$C_ID" -d "client_secret=$C_SECRET" \
			-d "username=${u%%:*}" --data-urlencode "password=${u#*:}"
		expect_oauth_error 400 invalid_grant 'The user credentials were incorrect.'
	done
	log="$STACK_DIR/log/lighttpd-error.log"
	grep -q 'password grant failed for user "admin"' "$log"
	run grep -c 'correct horse' "$log"
	[ "$output" = 0 ]
}

@test "refresh_token grant rotates: a new pair, the old refresh token stops working" {
	pw_token
	old=$REFRESH
	token_req -d grant_type=refresh_token -d "client_id=$C_ID" -d "client_secret=$C_SECRET" \
		-d "refresh_token=$old"
	expect_status 200
	new=$(jqb .refresh_token)
	access=$(jqb .access_token)
	[[ "$new" =~ ^[0-9a-f]{64}$ ]]
	[ "$new" != "$old" ]
	bget /api/users/1 "$access"
	expect_status 200
	# Another client cannot use it.
	token_req -d grant_type=refresh_token -d "client_id=$G_ID" -d "client_secret=$G_SECRET" \
		-d "refresh_token=$new"
	expect_oauth_error 400 invalid_grant 'The refresh token is invalid.' 'Token has expired or been revoked'
	token_req -d grant_type=refresh_token -u "$C_ID:$C_SECRET" -d "refresh_token=$new"
	expect_status 200
	# An access token is not a refresh token.
	token_req -d grant_type=refresh_token -u "$C_ID:$C_SECRET" -d "refresh_token=$access"
	expect_oauth_error 400 invalid_grant 'The refresh token is invalid.' 'Token has expired or been revoked'
	# The old one is refused (and revokes its family: see the RFC 9700 tests).
	token_req -d grant_type=refresh_token -d "client_id=$C_ID" -d "client_secret=$C_SECRET" \
		-d "refresh_token=$old"
	expect_oauth_error 400 invalid_grant 'The refresh token is invalid.' 'Token has expired or been revoked'
}

@test "invalid_request names the missing parameter in the hint" {
	token_req -d "client_id=$C_ID" -d "client_secret=$C_SECRET"
	expect_oauth_error 400 invalid_request "$INVALID_REQUEST" 'Check the `grant_type` parameter'
	token_req -d grant_type=client_credentials -d "client_secret=$C_SECRET"
	expect_oauth_error 400 invalid_request "$INVALID_REQUEST" 'Check the `client_id` parameter'
	token_req -d grant_type=client_credentials -d "client_id=$C_ID"
	expect_oauth_error 400 invalid_request "$INVALID_REQUEST" 'Check the `client_secret` parameter'
	token_req -d grant_type=password -u "$C_ID:$C_SECRET" --data-urlencode "password=$PW"
	expect_oauth_error 400 invalid_request "$INVALID_REQUEST" 'Check the `username` parameter'
	token_req -d grant_type=password -u "$C_ID:$C_SECRET" -d username=admin
	expect_oauth_error 400 invalid_request "$INVALID_REQUEST" 'Check the `password` parameter'
	token_req -d grant_type=refresh_token -u "$C_ID:$C_SECRET"
	expect_oauth_error 400 invalid_request "$INVALID_REQUEST" 'Check the `refresh_token` parameter'
	token_req -d ''
	expect_oauth_error 400 invalid_request "$INVALID_REQUEST" 'Check the `grant_type` parameter'
	token_req -H 'Content-Type: application/json' -d '[1]'
	expect_oauth_error 400 invalid_request "$INVALID_REQUEST" 'The request body must be a JSON object'
}

@test "unsupported_grant_type and invalid_client (401 with a body)" {
	token_req -d grant_type=authorization_code -u "$C_ID:$C_SECRET"
	expect_oauth_error 400 unsupported_grant_type \
		'The authorization grant type is not supported by the authorization server.' \
		'Check that all required parameters have been provided'
	token_req -d grant_type=client_credentials -d "client_id=$C_ID" -d client_secret=wrong
	expect_oauth_error 401 invalid_client 'Client authentication failed'
	token_req -d grant_type=client_credentials -u "nosuch:$C_SECRET"
	expect_oauth_error 401 invalid_client 'Client authentication failed'
	token_req -d grant_type=client_credentials -u "$G_ID:$C_SECRET"
	expect_oauth_error 401 invalid_client 'Client authentication failed'
}

@test "revocation (RFC 7009): access and refresh tokens; unknown tokens are a 200 too" {
	pw_token
	req POST /oauth2-token/revoke -u "$C_ID:$C_SECRET" -d "token=$TOKEN"
	expect_status 200
	[ -z "$BODY" ]
	bearer_refused /api/users/1 "$TOKEN"
	req POST /oauth2-token/revoke -d "client_id=$C_ID" -d "client_secret=$C_SECRET" \
		-d "token=$REFRESH" -d token_type_hint=refresh_token
	expect_status 200
	token_req -d grant_type=refresh_token -u "$C_ID:$C_SECRET" -d "refresh_token=$REFRESH"
	expect_oauth_error 400 invalid_grant 'The refresh token is invalid.' 'Token has expired or been revoked'
	req POST /oauth2-token/revoke -u "$C_ID:$C_SECRET" -d token=nosuchtoken
	expect_status 200
	req POST /oauth2-token/revoke -u "$C_ID:$C_SECRET" -d ''
	expect_oauth_error 400 invalid_request "$INVALID_REQUEST" 'Check the `token` parameter'
	req POST /oauth2-token/revoke -u "$C_ID:wrong" -d "token=$TOKEN"
	expect_oauth_error 401 invalid_client 'Client authentication failed'
}

@test "revocation: a client cannot revoke another client's token; apictl token revoke can" {
	cc_token "$G_ID" "$G_SECRET"
	g=$TOKEN
	req POST /oauth2-token/revoke -u "$C_ID:$C_SECRET" -d "token=$g"
	expect_status 200
	bget /api/users/2 "$g"
	expect_status 200
	run "$API_APICTL" token revoke "$g"
	[ "$status" -eq 0 ]
	bearer_refused /api/users/2 "$g"
	run "$API_APICTL" token revoke nosuchtoken
	[ "$status" -eq 1 ]
	[[ "$output" == *"no such token"* ]]
}

@test "bearer failures: unknown, malformed, query-string and wrong-scheme tokens are an empty 401 naming both schemes" {
	bget /api/users/1 "$(printf '%064d' 0)"
	expect_bearer_401
	bget /api/users/1 "not-a-token"
	expect_bearer_401
	cc_token
	req GET "/api/users/1?access_token=$TOKEN" -H 'Accept: application/vnd.api+json'
	expect_bearer_401
	req GET /api/users/1 -H 'Accept: application/vnd.api+json' -H "Authorization: Token $TOKEN"
	expect_bearer_401
	# WSSE still works beside it.
	get /api/users/1
	expect_status 200
}

@test "expiry: a token issued with oauth.access_lifetime = 1 is refused after it" {
	body="grant_type=client_credentials&client_id=$C_ID&client_secret=$C_SECRET"
	printf '%s' "$body" > "$BATS_TEST_TMPDIR/form"
	run env -i API_CONFIG="$API_CONFIG" API_OAUTH_ACCESS_LIFETIME=1 REQUEST_METHOD=POST \
		REQUEST_URI=/oauth2-token CONTENT_TYPE=application/x-www-form-urlencoded \
		CONTENT_LENGTH=${#body} "$API_FCGI" < "$BATS_TEST_TMPDIR/form"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'Status: 200 OK\r' ]
	json=$(printf '%s\n' "$output" | tail -1)
	[ "$(jq -r .expires_in <<< "$json")" = 1 ]
	t=$(jq -r .access_token <<< "$json")
	sleep 2.2
	bget /api/users/1 "$t"
	expect_bearer_401
	run "$API_APICTL" purge
	[ "$status" -eq 0 ]
	[[ "$output" == *"tokens: "*" deleted"* ]]
	[ "$(db "SELECT COUNT(*) FROM oauth_tokens WHERE token_hash = UNHEX(SHA2('$t', 256))")" = 0 ]
}

@test "a bearer token of organization 1 never reaches organization 2's records, and back" {
	cc_token
	bget /api/contacts/61 "$TOKEN"
	expect_error 404 'not found http exception'
	bget /api/contacts/1 "$TOKEN"
	expect_status 200
	bget '/api/contacts?page%5Bsize%5D=-1' "$TOKEN"
	expect_status 200
	# Exactly organization 1's contacts (ids alone would not tell: contacts
	# that earlier files create in organization 1 get ids above org 2's).
	[ "$(jqb '[.data[].id | tonumber] | sort | .[]')" = \
		"$(db "SELECT id FROM contacts WHERE organization_id = 1 ORDER BY id")" ]
	[ "$(db "SELECT organization_id FROM contacts WHERE id = 61")" = 2 ]
	cc_token "$G_ID" "$G_SECRET"
	bget /api/contacts/1 "$TOKEN"
	expect_error 404 'not found http exception'
	bget /api/contacts/61 "$TOKEN"
	expect_status 200
}

@test "a disabled client, user or organization stops its tokens at the next request" {
	cc_token "$G_ID" "$G_SECRET"
	bget /api/users/2 "$TOKEN"
	expect_status 200
	db "UPDATE oauth_clients SET enabled = 0 WHERE client_id = '$G_ID'"
	bearer_refused /api/users/2 "$TOKEN"
	token_req -d grant_type=client_credentials -u "$G_ID:$G_SECRET"
	expect_oauth_error 401 invalid_client 'Client authentication failed'
	db "UPDATE oauth_clients SET enabled = 1 WHERE client_id = '$G_ID'"
	bget /api/users/2 "$TOKEN"
	expect_status 200

	# Disabling the user revokes its tokens: enabling it again revives none.
	run "$API_APICTL" user disable globex_admin
	[ "$status" -eq 0 ]
	bearer_refused /api/users/2 "$TOKEN"
	db "UPDATE users SET enabled = 1 WHERE username = 'globex_admin'"
	bearer_refused /api/users/2 "$TOKEN"
	cc_token "$G_ID" "$G_SECRET"
	bget /api/users/2 "$TOKEN"
	expect_status 200

	db "UPDATE organizations SET enabled = 0 WHERE id = 2"
	bearer_refused /api/users/2 "$TOKEN"
	db "UPDATE organizations SET enabled = 1 WHERE id = 2"
	bget /api/users/2 "$TOKEN"
	expect_status 200
}

@test "OPTIONS /oauth2-token: 200 with Allow, no credentials; other methods 405; other paths 404" {
	req OPTIONS /oauth2-token
	expect_status 200
	[ "$(header Allow)" = 'OPTIONS, POST' ]
	[ -z "$BODY" ]
	req GET /oauth2-token
	expect_status 405
	[ "$(header Allow)" = 'OPTIONS, POST' ]
	[ -z "$BODY" ]
	req PUT /oauth2-token/revoke
	expect_status 405
	req GET /oauth2-token/other
	expect_error 404 'not found http exception' 'No route found for "GET /oauth2-token/other".'
}

@test "apictl client, token and purge have --help and clear errors" {
	for c in "client --help" "client add --help" "token --help" "token revoke --help" "purge --help"; do
		run "$API_APICTL" $c
		[ "$status" -eq 0 ]
		[[ "$output" == usage:* ]]
	done
	run "$API_APICTL" client add nosuchuser
	[ "$status" -eq 1 ]
	[[ "$output" == *'no user named "nosuchuser"'* ]]
	run "$API_APICTL" client add admin "Initech Ltd"
	[ "$status" -eq 1 ]
	run "$API_APICTL" client add admin "Globex Corp"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^client_id:\ [0-9a-f]{32}$ ]]
	[[ "${lines[1]}" =~ ^client_secret:\ [0-9a-f]{64}$ ]]
	run "$API_APICTL" token
	[ "$status" -eq 2 ]
}

# --- RFC 9700: token families, revocation on password change and disable ---

# pw_user NAME PASSWORD: a new Acme user with ROLE_USER and PASSWORD, and a
# client acting as it: $U_UID (its id), $U_ID, $U_SECRET.
pw_user() {
	U_UID=$("$API_APICTL" user add "$1" --email "$1@example.com" --org "Acme Inc" \
		--unit "Acme HQ" --role ROLE_USER --password "$2") || return 1
	eval "$(new_client U "$1")"
}

# user_token NAME PASSWORD: the password grant through U's client: $TOKEN, $REFRESH.
user_token() {
	token_req -u "$U_ID:$U_SECRET" -d grant_type=password -d "username=$1" \
		--data-urlencode "password=$2"
	expect_status 200 || return 1
	TOKEN=$(jqb .access_token)
	REFRESH=$(jqb .refresh_token)
}

# patch_user ID ATTRIBUTES-JSON: PATCH /api/users/ID as admin (WSSE).
patch_user() {
	req PATCH "/api/users/$1" -H 'Content-Type: application/vnd.api+json' \
		-H 'Accept: application/vnd.api+json' -H "$(wsse)" \
		--data-binary "{\"data\":{\"type\":\"users\",\"id\":\"$1\",\"attributes\":$2}}"
}

@test "refresh-token reuse revokes its family: the tokens issued from the rotated one stop working" {
	pw_token
	local a1=$TOKEN r1=$REFRESH
	# An unrelated grant of the same user and client: another family.
	pw_token
	local other=$TOKEN other_refresh=$REFRESH
	token_req -u "$C_ID:$C_SECRET" -d grant_type=refresh_token -d "refresh_token=$r1"
	expect_status 200
	local a2 r2
	a2=$(jqb .access_token)
	r2=$(jqb .refresh_token)
	bget /api/users/1 "$a2"
	expect_status 200
	# The rotated token again (an attacker's copy, or the victim's).
	token_req -u "$C_ID:$C_SECRET" -d grant_type=refresh_token -d "refresh_token=$r1"
	expect_oauth_error 400 invalid_grant 'The refresh token is invalid.' 'Token has expired or been revoked'
	bearer_refused /api/users/1 "$a2"
	bearer_refused /api/users/1 "$a1"
	token_req -u "$C_ID:$C_SECRET" -d grant_type=refresh_token -d "refresh_token=$r2"
	expect_oauth_error 400 invalid_grant 'The refresh token is invalid.' 'Token has expired or been revoked'
	[ "$(db "SELECT COUNT(*) FROM oauth_tokens WHERE revoked = 0 AND token_hash IN
		(UNHEX(SHA2('$a1', 256)), UNHEX(SHA2('$r1', 256)), UNHEX(SHA2('$a2', 256)),
		 UNHEX(SHA2('$r2', 256)))")" = 0 ]
	grep -q 'refresh token was presented again via client "'"$C_ID"'"' "$STACK_DIR/log/lighttpd-error.log"
	# The other family is untouched.
	bget /api/users/1 "$other"
	expect_status 200
	token_req -u "$C_ID:$C_SECRET" -d grant_type=refresh_token -d "refresh_token=$other_refresh"
	expect_status 200
}

@test "a password change through the API ends the user's tokens; other changes do not" {
	pw_user oauth_pw 'first passw0rd'
	user_token oauth_pw 'first passw0rd'
	local t1=$TOKEN r1=$REFRESH
	bget "/api/users/$U_UID" "$t1"
	expect_status 200
	# A change of another attribute leaves the tokens alone.
	patch_user "$U_UID" '{"firstName":"Pat"}'
	expect_status 200
	bget "/api/users/$U_UID" "$t1"
	expect_status 200
	patch_user "$U_UID" '{"password":"second passw0rd"}'
	expect_status 200
	bearer_refused "/api/users/$U_UID" "$t1"
	token_req -u "$U_ID:$U_SECRET" -d grant_type=refresh_token -d "refresh_token=$r1"
	expect_oauth_error 400 invalid_grant 'The refresh token is invalid.' 'Token has expired or been revoked'
	[ "$(db "SELECT COUNT(*) FROM oauth_tokens WHERE user_id = $U_UID AND revoked = 0")" = 0 ]
	# The new password gets a working token.
	user_token oauth_pw 'second passw0rd'
	bget "/api/users/$U_UID" "$TOKEN"
	expect_status 200
}

@test "a password changed through an included item, and enabled:false through the API, end the tokens" {
	pw_user oauth_inc 'first passw0rd'
	user_token oauth_inc 'first passw0rd'
	local t1=$TOKEN
	# The user updated as an included item of a contact's write.
	req POST /api/contacts -H 'Content-Type: application/vnd.api+json' \
		-H 'Accept: application/vnd.api+json' -H "$(wsse)" --data-binary '{"data":{"type":"contacts",
		"attributes":{"lastName":"Oauth Inc"},
		"relationships":{"owner":{"data":{"type":"users","id":"'"$U_UID"'"}}}},
		"included":[{"type":"users","id":"'"$U_UID"'","meta":{"update":true},
		"attributes":{"password":"second passw0rd"}}]}'
	expect_status 201
	db "DELETE FROM contacts WHERE last_name = 'Oauth Inc'"
	bearer_refused "/api/users/$U_UID" "$t1"
	user_token oauth_inc 'second passw0rd'
	local t2=$TOKEN
	bget "/api/users/$U_UID" "$t2"
	expect_status 200
	patch_user "$U_UID" '{"enabled":false}'
	expect_status 200
	patch_user "$U_UID" '{"enabled":true}'
	expect_status 200
	bearer_refused "/api/users/$U_UID" "$t2"
	user_token oauth_inc 'second passw0rd'
	bget "/api/users/$U_UID" "$TOKEN"
	expect_status 200
}

@test "apictl user disable ends the user's tokens; enabling the user again does not revive them" {
	pw_user oauth_dis 'first passw0rd'
	user_token oauth_dis 'first passw0rd'
	local t=$TOKEN r=$REFRESH
	bget "/api/users/$U_UID" "$t"
	expect_status 200
	run "$API_APICTL" user disable oauth_dis
	[ "$status" -eq 0 ]
	bearer_refused "/api/users/$U_UID" "$t"
	[ "$(db "SELECT COUNT(*) FROM oauth_tokens WHERE user_id = $U_UID AND revoked = 0")" = 0 ]
	db "UPDATE users SET enabled = 1 WHERE id = $U_UID"
	bearer_refused "/api/users/$U_UID" "$t"
	token_req -u "$U_ID:$U_SECRET" -d grant_type=refresh_token -d "refresh_token=$r"
	expect_oauth_error 400 invalid_grant 'The refresh token is invalid.' 'Token has expired or been revoked'
}

# --- guessing: oauth.max_failures within oauth.failure_window ---------------

BLOCKED='Too many failed authentications for this user or client. Try again later.'

# expect_blocked: 429, Retry-After within the window (default 900 s), the body.
expect_blocked() {
	expect_oauth_error 429 temporarily_unavailable "$BLOCKED" || return 1
	local ra
	ra=$(header Retry-After)
	[[ "$ra" =~ ^[0-9]+$ ]] && [ "$ra" -ge 1 ] && [ "$ra" -le "${1:-900}" ] ||
		{ echo "Retry-After: '$ra'" >&2; return 1; }
}

@test "10 wrong passwords for one username: 429 with Retry-After, even for the right password, for that username only" {
	pw_user oauth_guess 'right passw0rd'
	local i
	for i in $(seq 10); do
		token_req -u "$U_ID:$U_SECRET" -d grant_type=password -d username=oauth_guess \
			-d "password=wrong $i"
		expect_oauth_error 400 invalid_grant 'The user credentials were incorrect.'
	done
	# No argon2id run now: the right password gets the same 429.
	token_req -u "$U_ID:$U_SECRET" -d grant_type=password -d username=oauth_guess \
		--data-urlencode 'password=right passw0rd'
	expect_blocked
	grep -q 'refused (429, [0-9]* s): too many failed authentications of client "'"$U_ID"'" or user "oauth_guess"' \
		"$STACK_DIR/log/lighttpd-error.log"
	# Every spelling MariaDB takes for the same name shares the counter.
	token_req -u "$U_ID:$U_SECRET" -d grant_type=password -d 'username=OAUTH_Guess ' \
		--data-urlencode 'password=right passw0rd'
	expect_blocked
	# Through another client too; the client itself is not blocked.
	token_req -d grant_type=password -d "client_id=$C_ID" -d "client_secret=$C_SECRET" \
		-d username=oauth_guess --data-urlencode 'password=right passw0rd'
	expect_blocked
	token_req -u "$U_ID:$U_SECRET" -d grant_type=client_credentials
	expect_status 200
	# Another username is not blocked.
	pw_token
	[ "$(db "SELECT failures FROM oauth_failures WHERE key_hash = UNHEX(SHA2(CONCAT('user:',
		HEX(WEIGHT_STRING(_utf8mb4'oauth_guess' COLLATE utf8mb4_unicode_ci))), 256))")" = 10 ]
	db "DELETE FROM oauth_failures"
}

@test "10 wrong secrets for one client: 429 with Retry-After, even for the right secret, on both endpoints" {
	eval "$(new_client K admin)"
	local i
	for i in $(seq 10); do
		token_req -d grant_type=client_credentials -d "client_id=$K_ID" -d "client_secret=wrong$i"
		expect_oauth_error 401 invalid_client 'Client authentication failed'
	done
	token_req -d grant_type=client_credentials -d "client_id=$K_ID" -d "client_secret=$K_SECRET"
	expect_blocked
	token_req -d grant_type=client_credentials -u "${K_ID^^}:$K_SECRET"
	expect_blocked
	req POST /oauth2-token/revoke -u "$K_ID:$K_SECRET" -d token=nosuchtoken
	expect_blocked
	# Other clients are not blocked.
	cc_token
	bget /api/users/1 "$TOKEN"
	expect_status 200
	db "DELETE FROM oauth_failures"
}

@test "the block ends when oauth.failure_window has passed; the endpoint and apictl purge expired counters" {
	db "DELETE FROM oauth_failures"
	pw_user oauth_window 'right passw0rd'
	local short=(API_OAUTH_MAX_FAILURES=2 API_OAUTH_FAILURE_WINDOW=5)
	printf 'grant_type=password&client_id=%s&client_secret=%s&username=oauth_window&password=wrong' \
		"$U_ID" "$U_SECRET" > "$BATS_TEST_TMPDIR/form"
	cgi_token "${short[@]}"
	expect_oauth_error 400 invalid_grant 'The user credentials were incorrect.'
	cgi_token "${short[@]}"
	expect_oauth_error 400 invalid_grant 'The user credentials were incorrect.'
	printf 'grant_type=password&client_id=%s&client_secret=%s&username=oauth_window&password=right+passw0rd' \
		"$U_ID" "$U_SECRET" > "$BATS_TEST_TMPDIR/form"
	cgi_token "${short[@]}"
	expect_blocked 5
	# Retry-After is rounded up: once it has passed, so has the window.
	sleep "$(header Retry-After)"
	cgi_token "${short[@]}"
	expect_status 200
	[[ "$(jqb .access_token)" =~ ^[0-9a-f]{64}$ ]]
	# The expired counter is ignored, then purged by the next failure counted.
	[ "$(db "SELECT COUNT(*) FROM oauth_failures")" = 1 ]
	printf 'grant_type=client_credentials&client_id=%s&client_secret=wrong' "$U_ID" \
		> "$BATS_TEST_TMPDIR/form"
	cgi_token "${short[@]}"
	expect_oauth_error 401 invalid_client 'Client authentication failed'
	[ "$(db "SELECT COUNT(*) FROM oauth_failures")" = 1 ]
	# apictl purge deletes what is older than its window.
	sleep 1.2
	run env API_OAUTH_FAILURE_WINDOW=1 "$API_APICTL" purge
	[ "$status" -eq 0 ]
	[[ "$output" == *"failure counters: 1 deleted"* ]]
	[ "$(db "SELECT COUNT(*) FROM oauth_failures")" = 0 ]
}
