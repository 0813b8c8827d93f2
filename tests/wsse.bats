#!/usr/bin/env bats
# Section 3.1: WSSE authentication (UsernameToken with per-user API keys),
# and the 401 of sections 3 and 10 (empty body, WSSE challenge).
load helpers/common

CHALLENGE='WSSE realm="Secured API", profile="UsernameToken"'

# A fresh random nonce, base64 (16 bytes).
new_nonce() { openssl rand -base64 16; }

# iso_utc [DATE-SPEC]: "YYYY-MM-DDTHH:MM:SSZ" for now or `date -d` SPEC.
iso_utc() { date -u -d "${1:-now}" +%Y-%m-%dT%H:%M:%SZ; }

# pdigest NONCE_B64 CREATED KEY: base64(sha1(base64_decode(nonce) . created . key)).
# base64 -di ignores bytes outside the alphabet (a lenient decoder).
pdigest() {
	printf '%s' "$2$3" | cat <(printf '%s' "$1" | base64 -di 2>/dev/null) - |
		openssl dgst -sha1 -binary | base64
}

# parts [USER [KEY [CREATED [NONCE]]]]: sets U, D, N, C of a correctly signed
# token (default: admin, $ADMIN_KEY, now, a fresh nonce).
parts() {
	U=${1:-admin}
	local key=${2:-$ADMIN_KEY}
	C=${3:-$(iso_utc)}
	N=${4:-$(new_nonce)}
	D=$(pdigest "$N" "$C" "$key")
}

# token [USER [KEY [CREATED [NONCE]]]]: a complete "X-WSSE: ..." line.
token() {
	parts "$@"
	printf 'X-WSSE: UsernameToken Username="%s", PasswordDigest="%s", Nonce="%s", Created="%s"' \
		"$U" "$D" "$N" "$C"
}

# get_h PATH [HEADER...]: a JSON:API GET with exactly these extra headers.
get_h() {
	local path=$1 h
	shift
	local args=(-H 'Accept: application/vnd.api+json')
	for h in "$@"; do args+=(-H "$h"); done
	req GET "$path" "${args[@]}"
}

# expect_401: 401, empty body, Content-Length 0, the WSSE challenge.
expect_401() {
	expect_status 401 || return 1
	if [ -n "$BODY" ]; then
		echo "401 body is not empty: $BODY" >&2
		return 1
	fi
	if [ "$(header Content-Length)" != 0 ]; then
		echo "401 Content-Length: '$(header Content-Length)'" >&2
		return 1
	fi
	local v found=0
	while IFS= read -r v; do
		[ "$v" = "$CHALLENGE" ] && found=1
	done < <(grep -i '^WWW-Authenticate:' "$BATS_TEST_TMPDIR/headers" | cut -d' ' -f2- | tr -d '\r')
	if [ $found != 1 ]; then
		echo "no 'WWW-Authenticate: $CHALLENGE'; headers:" >&2
		cat "$BATS_TEST_TMPDIR/headers" >&2
		return 1
	fi
}

expect_user1() {
	expect_status 200 || return 1
	[ "$(jqb .data.type)" = users ] || { echo "body: $BODY" >&2; return 1; }
	[ "$(jqb .data.id)" = 1 ] || { echo "body: $BODY" >&2; return 1; }
}

new_key() { # new_key USER [ORG]: a fresh API key made with apictl
	local k
	k=$("$API_APICTL" apikey "$@" | tail -1) || return 1
	[[ "$k" =~ ^[0-9a-f]{40}$ ]] || { echo "apictl apikey printed '$k'" >&2; return 1; }
	printf '%s' "$k"
}

@test "a correctly signed X-WSSE header (digest computed by the test) is accepted: 200" {
	get_h /api/users/1 "$(token)"
	expect_user1
	[ "$(jqb .data.attributes.username)" = admin ]
}

@test "the X-WSSE line printed by apictl wsse is accepted: 200" {
	get_h /api/users/1 "$(wsse)"
	expect_user1
}

@test "a request without credentials is 401 with an empty body and the WSSE challenge" {
	get_h /api/users/1
	expect_401
}

@test "an empty X-WSSE header is 401" {
	get_h /api/users/1 'X-WSSE;'
	expect_401
}

@test "a rejected request is logged with 401 and its request id, without the API key" {
	parts admin "$(openssl rand -hex 20)"
	get_h /api/users/1 "X-WSSE: UsernameToken Username=\"$U\", PasswordDigest=\"$D\", Nonce=\"$N\", Created=\"$C\""
	expect_401
	local id log="$STACK_DIR/log/lighttpd-error.log"
	id=$(header X-Request-Id)
	[[ "$id" =~ ^[0-9a-f]{16}$ ]]
	sleep 0.2
	if ! grep -F "$id" "$log" | grep -q 401; then
		echo "no line with request id $id and 401 in $log; it holds:" >&2
		cat "$log" >&2
		return 1
	fi
	run grep -qF "$ADMIN_KEY" "$log"
	[ "$status" -eq 1 ]
	! grep -qF "$GLOBEX_KEY" "$log"
}

@test "a digest made with a wrong key is 401" {
	get_h /api/users/1 "$(token admin "$(openssl rand -hex 20)")"
	expect_401
}

@test "a digest made with another user's key is 401" {
	get_h /api/users/1 "$(token admin "$GLOBEX_KEY")"
	expect_401
}

@test "an unknown user is 401" {
	get_h /api/users/1 "$(token no_such_user "$ADMIN_KEY")"
	expect_401
}

@test "a replayed nonce (the same header twice) is 401 the second time" {
	local h
	h=$(token)
	get_h /api/users/1 "$h"
	expect_user1
	get_h /api/users/1 "$h"
	expect_401
}

@test "the same nonce with a new Created is a new pair (section 3.1): accepted once, each pair replayed is 401" {
	local nonce h1 h2
	nonce=$(new_nonce)
	h1=$(token admin "$ADMIN_KEY" "$(iso_utc)" "$nonce")
	h2=$(token admin "$ADMIN_KEY" "$(iso_utc '-5 seconds')" "$nonce")
	get_h /api/users/1 "$h1"
	expect_user1
	get_h /api/users/1 "$h2"
	expect_user1
	get_h /api/users/1 "$h1"
	expect_401
	get_h /api/users/1 "$h2"
	expect_401
}

@test "the same nonce with Created respelled for the same second (+00:00 for Z) is a replay: 401" {
	local nonce now
	nonce=$(new_nonce)
	now=$(date -u +%Y-%m-%dT%H:%M:%S)
	get_h /api/users/1 "$(token admin "$ADMIN_KEY" "${now}Z" "$nonce")"
	expect_user1
	get_h /api/users/1 "$(token admin "$ADMIN_KEY" "${now}+00:00" "$nonce")"
	expect_401
	get_h /api/users/1 "$(token admin "$ADMIN_KEY" "${now}.5Z" "$nonce")"
	expect_401
}

# respell NONCE: the same bytes spelled with a stray bit set in the last
# character before the padding (16 bytes: 4 bits the decoder ignores).
respell() {
	local a=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/
	local data=${1%%=*} pad=${1#"${1%%=*}"}
	local last=${data: -1} rest=${data:0:${#data}-1} i
	i=$(expr index "$a" "$last")
	printf '%s%s%s' "$rest" "${a:$(( (i - 1) ^ 1 )):1}" "$pad"
}

@test "a used nonce respelled with different trailing bits (same bytes, same Created, same digest) is 401" {
	parts
	local nonce=$N created=$C digest=$D other
	other=$(respell "$nonce")
	[ "$other" != "$nonce" ]
	# Both spellings are the same 16 bytes to a lenient decoder.
	[ "$(printf '%s' "$other" | base64 -di | od -An -tx1)" = "$(printf '%s' "$nonce" | base64 -di | od -An -tx1)" ]
	get_h /api/users/1 "X-WSSE: UsernameToken Username=\"admin\", PasswordDigest=\"$digest\", Nonce=\"$nonce\", Created=\"$created\""
	expect_user1
	get_h /api/users/1 "X-WSSE: UsernameToken Username=\"admin\", PasswordDigest=\"$digest\", Nonce=\"$other\", Created=\"$created\""
	expect_401
	grep -q 'WSSE nonce is not canonical base64' "$STACK_DIR/log/lighttpd-error.log"
}

@test "a fresh nonce in non-canonical base64 (stray bits, missing padding) is 401" {
	parts
	local nonce=$N
	parts admin "$ADMIN_KEY" "$(iso_utc)" "$(respell "$nonce")"
	get_h /api/users/1 "X-WSSE: UsernameToken Username=\"$U\", PasswordDigest=\"$D\", Nonce=\"$N\", Created=\"$C\""
	expect_401
	parts admin "$ADMIN_KEY" "$(iso_utc)" "${nonce%%=*}"
	get_h /api/users/1 "X-WSSE: UsernameToken Username=\"$U\", PasswordDigest=\"$D\", Nonce=\"$N\", Created=\"$C\""
	expect_401
	# The canonical spelling of the same bytes is accepted.
	get_h /api/users/1 "$(token admin "$ADMIN_KEY" "$(iso_utc)" "$nonce")"
	expect_user1
}

@test "a header used on /api and replayed on the second FastCGI pool /second/api is 401" {
	# The second pool accepts fresh headers...
	get_h /second/api/users/1 "$(token)"
	expect_user1
	local h
	h=$(token)
	get_h /api/users/1 "$h"
	expect_user1
	# ...but not one the first pool has seen.
	get_h /second/api/users/1 "$h"
	expect_401
}

@test "a header used on /second/api and replayed on /api is 401" {
	local h
	h=$(token)
	get_h /second/api/users/1 "$h"
	expect_user1
	get_h /api/users/1 "$h"
	expect_401
}

@test "a header used on /api and replayed through plain CGI is 401" {
	get_h /cgi/api.fcgi/api/users/1 "$(token)"
	expect_user1
	local h
	h=$(token)
	get_h /api/users/1 "$h"
	expect_user1
	get_h /cgi/api.fcgi/api/users/1 "$h"
	expect_401
}

@test "a header used through CGI and replayed on both FastCGI pools is 401" {
	local h
	h=$(token)
	get_h /cgi/api.fcgi/api/users/1 "$h"
	expect_user1
	get_h /api/users/1 "$h"
	expect_401
	get_h /second/api/users/1 "$h"
	expect_401
}

@test "Created two hours old is 401" {
	get_h /api/users/1 "$(token admin "$ADMIN_KEY" "$(iso_utc '-2 hours')")"
	expect_401
}

@test "Created 61 minutes old (just past the 3600 s lifetime) is 401" {
	get_h /api/users/1 "$(token admin "$ADMIN_KEY" "$(iso_utc '-61 minutes')")"
	expect_401
}

@test "Created 10 minutes in the future is 401" {
	get_h /api/users/1 "$(token admin "$ADMIN_KEY" "$(iso_utc '+10 minutes')")"
	expect_401
}

@test "Created 30 s in the future (within the 60 s clock skew) is accepted" {
	get_h /api/users/1 "$(token admin "$ADMIN_KEY" "$(iso_utc '+30 seconds')")"
	expect_user1
}

@test "Created 2 s in the past is accepted" {
	get_h /api/users/1 "$(token admin "$ADMIN_KEY" "$(iso_utc '-2 seconds')")"
	expect_user1
}

@test "Created with a +02:00 offset that means now is accepted" {
	local c
	c=$(date -u -d '+2 hours' +%Y-%m-%dT%H:%M:%S+02:00)
	get_h /api/users/1 "$(token admin "$ADMIN_KEY" "$c")"
	expect_user1
}

@test "Created with a -05:00 offset that means now is accepted" {
	local c
	c=$(date -u -d '-5 hours' +%Y-%m-%dT%H:%M:%S-05:00)
	get_h /api/users/1 "$(token admin "$ADMIN_KEY" "$c")"
	expect_user1
}

@test "Created with +02:00 is converted to UTC: today's UTC clock time with +02:00 is 2 hours old, 401" {
	local c
	c=$(date -u +%Y-%m-%dT%H:%M:%S+02:00)
	get_h /api/users/1 "$(token admin "$ADMIN_KEY" "$c")"
	expect_401
}

@test "Created 'yesterday' (unparsable) is 401" {
	get_h /api/users/1 "$(token admin "$ADMIN_KEY" yesterday)"
	expect_401
}

@test "Created '9999-99-99T99:99:99Z' (absurd) is 401" {
	get_h /api/users/1 "$(token admin "$ADMIN_KEY" 9999-99-99T99:99:99Z)"
	expect_401
}

@test "Created '2016-02-30T00:00:00Z' (no such day) is 401" {
	get_h /api/users/1 "$(token admin "$ADMIN_KEY" 2016-02-30T00:00:00Z)"
	expect_401
}

@test "Created without a zone (the current UTC time, no Z) is 401" {
	get_h /api/users/1 "$(token admin "$ADMIN_KEY" "$(date -u +%Y-%m-%dT%H:%M:%S)")"
	expect_401
}

@test "a token without Username is 401" {
	parts
	get_h /api/users/1 "X-WSSE: UsernameToken PasswordDigest=\"$D\", Nonce=\"$N\", Created=\"$C\""
	expect_401
}

@test "a token without PasswordDigest is 401" {
	parts
	get_h /api/users/1 "X-WSSE: UsernameToken Username=\"$U\", Nonce=\"$N\", Created=\"$C\""
	expect_401
}

@test "a token without Nonce is 401" {
	parts
	get_h /api/users/1 "X-WSSE: UsernameToken Username=\"$U\", PasswordDigest=\"$D\", Created=\"$C\""
	expect_401
}

@test "a token without Created is 401" {
	parts
	get_h /api/users/1 "X-WSSE: UsernameToken Username=\"$U\", PasswordDigest=\"$D\", Nonce=\"$N\""
	expect_401
}

@test "a token with a duplicated key (Username twice, same value) is 401" {
	parts
	get_h /api/users/1 "X-WSSE: UsernameToken Username=\"$U\", PasswordDigest=\"$D\", Nonce=\"$N\", Created=\"$C\", Username=\"$U\""
	expect_401
}

@test "a token with a duplicated key (Created twice, same value) is 401" {
	parts
	get_h /api/users/1 "X-WSSE: UsernameToken Created=\"$C\", Username=\"$U\", PasswordDigest=\"$D\", Nonce=\"$N\", Created=\"$C\""
	expect_401
}

@test "single-quoted values are accepted" {
	parts
	get_h /api/users/1 "X-WSSE: UsernameToken Username='$U', PasswordDigest='$D', Nonce='$N', Created='$C'"
	expect_user1
}

@test "keys in another order are accepted" {
	parts
	get_h /api/users/1 "X-WSSE: UsernameToken Created=\"$C\", Nonce=\"$N\", Username=\"$U\", PasswordDigest=\"$D\""
	expect_user1
}

@test "the optional 'Authorization: WSSE profile=\"UsernameToken\"' header is accepted" {
	get_h /api/users/1 'Authorization: WSSE profile="UsernameToken"' "$(token)"
	expect_user1
}

@test "a nonce that is not base64 is 401 (even with a digest over its leniently decoded bytes)" {
	parts admin "$ADMIN_KEY" "$(iso_utc)" 'YWJjZGVm*Z2hp'
	get_h /api/users/1 "X-WSSE: UsernameToken Username=\"$U\", PasswordDigest=\"$D\", Nonce=\"$N\", Created=\"$C\""
	expect_401
}

@test "a disabled user (disabled_user with its own key) is 401" {
	[ "$(db "SELECT enabled FROM users WHERE username='disabled_user'")" = 0 ]
	get_h /api/users/1 "$(token disabled_user "$DISABLED_KEY")"
	expect_401
}

@test "a disabled API key is 401 while the user's other keys keep working" {
	local k
	k=$(new_key admin)
	get_h /api/users/1 "$(token admin "$k")"
	expect_user1
	db "UPDATE api_keys SET enabled=0 WHERE api_key='$k'"
	get_h /api/users/1 "$(token admin "$k")"
	expect_401
	get_h /api/users/1 "$(token admin "$ADMIN_KEY")"
	expect_user1
}

@test "a key for a disabled organization (initech_admin, org 3) is 401" {
	[ "$(db "SELECT enabled FROM organizations WHERE id=3")" = 0 ]
	local k
	k=$(new_key initech_admin)
	[ "$(db "SELECT organization_id FROM api_keys WHERE api_key='$k'")" = 3 ]
	get_h /api/users/4 "$(token initech_admin "$k")"
	expect_401
	get_h /api/organizations/3 "$(token initech_admin "$k")"
	expect_401
}

@test "making a new key does not invalidate the user's older keys" {
	local k1 k2
	k1=$(new_key admin)
	get_h /api/users/1 "$(token admin "$k1")"
	expect_user1
	k2=$(new_key admin)
	[ "$k1" != "$k2" ]
	get_h /api/users/1 "$(token admin "$k1")"
	expect_user1
	get_h /api/users/1 "$(token admin "$k2")"
	expect_user1
	get_h /api/users/1 "$(token admin "$ADMIN_KEY")"
	expect_user1
}

@test "a user with more keys than a process keeps in its cache (8) can sign with every one" {
	local keys=() i
	for i in $(seq 1 11); do
		keys+=("$(new_key viewer)")
	done
	# the oldest, then the newest, then the oldest again (now cached), then a middle one
	for k in "${keys[0]}" "${keys[10]}" "${keys[0]}" "${keys[4]}"; do
		get_h "/api/contacts?page%5Bsize%5D=1" "$(token viewer "$k")"
		expect_status 200
	done
}

@test "OPTIONS needs no credentials: 200, empty body, Content-Length 0, Allow" {
	req OPTIONS /api/users/1
	expect_status 200
	[ -z "$BODY" ]
	[ "$(header Content-Length)" = 0 ]
	[[ "$(header Allow)" == "OPTIONS, GET, HEAD"* ]]
	[ -z "$(header WWW-Authenticate)" ]
	req OPTIONS /api/users
	expect_status 200
	[[ "$(header Allow)" == "OPTIONS, GET, HEAD"* ]]
}

# --- the nonce store (issue 12) ----------------------------------------------

@test "a nonce the store cannot record is 503 service unavailable (never 500), and the log says why" {
	db "CREATE TRIGGER t_nonce_full BEFORE INSERT ON wsse_nonces FOR EACH ROW
	    SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = 1114, MESSAGE_TEXT = 'The table wsse_nonces is full'"
	get_h /api/users/1 "$(token)"
	db "DROP TRIGGER t_nonce_full"
	expect_error 503 "service unavailable http exception"
	local log="$STACK_DIR/log/lighttpd-error.log" id
	id=$(header X-Request-Id)
	sleep 0.2
	grep -F "$id" "$log" | grep -q "The table wsse_nonces is full"
	grep -F "$id" "$log" | grep -q "503 GET /api/users/1: the WSSE nonce could not be recorded"
	get_h /api/users/1 "$(token)"
	expect_user1
}

@test "the service purges expired nonces as it goes, and a purge that fails costs the request nothing" {
	local log="$STACK_DIR/log/lighttpd-error.log" i found=0
	db "INSERT INTO wsse_nonces (created, nonce_hash, recorded_by)
	    SELECT UTC_TIMESTAMP() - INTERVAL 2 HOUR, UNHEX(CONCAT('ee', LPAD(HEX(seq), 30, '0'))), 'bulkload' FROM seq_1_to_1000"
	db "CREATE TRIGGER t_nonce_purge BEFORE DELETE ON wsse_nonces FOR EACH ROW
	    SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = 1205, MESSAGE_TEXT = 'Lock wait timeout (test)'"
	# One request in 100 of each of the 2 FastCGI processes purges.
	for i in $(seq 1 250); do
		get /api/users/1
		[ "$STATUS" = 200 ] || break
		if grep -q "purging expired WSSE nonces failed" "$log"; then
			found=1
			break
		fi
	done
	db "DROP TRIGGER t_nonce_purge"
	expect_status 200
	[ $found = 1 ]
	[ "$(db "SELECT COUNT(*) FROM wsse_nonces WHERE created < UTC_TIMESTAMP() - INTERVAL 1 HOUR")" = 1000 ]
	# Without the trigger the next purges delete them, 500 at a time.
	for i in $(seq 1 250); do
		get /api/users/1
		expect_status 200
		[ "$(db "SELECT COUNT(*) FROM wsse_nonces WHERE created < UTC_TIMESTAMP() - INTERVAL 1 HOUR")" = 1000 ] || break
	done
	[ "$(db "SELECT COUNT(*) FROM wsse_nonces WHERE created < UTC_TIMESTAMP() - INTERVAL 1 HOUR")" = 500 ]
}

@test "200,000 live nonces (and 30,000 expired) loaded with SQL: requests pass, replays fail, purge works, and a MariaDB restart changes none of it" {
	. "$ROOT/tests/helpers/stack.sh"
	# Live: Created spread over the last hour (the rate of ~55/s), so their
	# expiry is in the future; expired: Created two hours ago. No code path
	# depends on the row count (every lookup is one primary-key probe, the
	# purge goes by Created in batches of 10,000): 200,000 rows are a table
	# far past any cache of the server, and 30,000 expired take three purge
	# batches. A million (an hour at ~280/s) took most of this file's time.
	db "INSERT INTO wsse_nonces (created, nonce_hash, recorded_by)
	    SELECT UTC_TIMESTAMP() - INTERVAL 3590 SECOND + INTERVAL (seq DIV 56) SECOND,
	           UNHEX(LPAD(HEX(seq), 32, '0')), 'bulkload' FROM seq_1_to_200000"
	db "INSERT INTO wsse_nonces (created, nonce_hash, recorded_by)
	    SELECT UTC_TIMESTAMP() - INTERVAL 7200 SECOND + INTERVAL (seq DIV 30) SECOND,
	           UNHEX(LPAD(HEX(seq), 32, '0')), 'bulkload' FROM seq_1_to_30000"
	local h
	h=$(token)
	get_h /api/users/1 "$h"
	expect_user1
	get_h /api/users/1 "$h"
	expect_401
	run "$API_APICTL" purge
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^nonces:\ ([0-9]+)\ deleted$ ]]
	[ "${BASH_REMATCH[1]}" -ge 30000 ]
	[ "$(db "SELECT COUNT(*) FROM wsse_nonces WHERE created < UTC_TIMESTAMP() - INTERVAL 2 HOUR + INTERVAL 1100 SECOND")" = 0 ]
	[ "$(db "SELECT COUNT(*) FROM wsse_nonces")" -ge 200001 ]
	stack_db_stop
	stack_db_start
	[ "$(db "SELECT COUNT(*) FROM wsse_nonces")" -ge 200001 ]
	get_h /api/users/1 "$h"
	expect_401
	local h2
	h2=$(token)
	get_h /api/users/1 "$h2"
	expect_user1
	get_h /api/users/1 "$h2"
	expect_401
	db "TRUNCATE TABLE wsse_nonces"
}
