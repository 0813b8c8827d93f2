# common.bash: loaded by every tests/*.bats file. Talks HTTP to the real
# server started by tests/helpers/test.sh (API_URL) with curl, and signs
# requests with WSSE through `apictl wsse` (a fresh nonce each time).
#
# After `req`/`get`: $STATUS (HTTP code), $BODY, and header VALUE via
# `header NAME`.

wsse() { # wsse [USER KEY] -> "X-WSSE: ..." line
	"$API_APICTL" wsse "${1:-admin}" "${2:-$ADMIN_KEY}"
}

# req METHOD PATH [curl args...]: one request, no credentials added.
req() {
	local method=$1 path=$2
	shift 2
	local args=(-s -o "$BATS_TEST_TMPDIR/body" -D "$BATS_TEST_TMPDIR/headers" -w '%{http_code}')
	# curl leaves the file alone when a response has no body (204, 304).
	: > "$BATS_TEST_TMPDIR/body"
	if [ "$method" = HEAD ]; then args+=(--head); else args+=(-X "$method"); fi
	STATUS=$(curl "${args[@]}" "$@" "$API_URL$path")
	BODY=$(< "$BATS_TEST_TMPDIR/body")
}

# get PATH [curl args...]: a JSON:API GET as admin (organization 1).
get() {
	local path=$1
	shift
	req GET "$path" -H 'Accept: application/vnd.api+json' -H "$(wsse)" "$@"
}

# get_as USER KEY PATH [curl args...]
get_as() {
	local user=$1 key=$2 path=$3
	shift 3
	req GET "$path" -H 'Accept: application/vnd.api+json' -H "$(wsse "$user" "$key")" "$@"
}

# header NAME -> the value of the last such response header (name in any
# case). Plain bash: it runs for most assertions, and four processes a call
# added up over the suite.
header() {
	local line name value=
	[ -f "$BATS_TEST_TMPDIR/headers" ] || return 0
	while IFS= read -r line || [ -n "$line" ]; do
		line=${line//$'\r'/}
		name=${line%%:*}
		[ "$name" != "$line" ] && [ "${name,,}" = "${1,,}" ] && value=${line#*: }
	done < "$BATS_TEST_TMPDIR/headers"
	[ -z "$value" ] || printf '%s\n' "$value"
}

jqb() { # jqb FILTER -> jq over the last body
	jq -r "$@" <<< "$BODY"
}

# expect_status CODE: fails with the body shown when the status differs.
expect_status() {
	if [ "$STATUS" != "$1" ]; then
		echo "expected HTTP $1, got $STATUS; body: $BODY" >&2
		return 1
	fi
}

# expect_error STATUS TITLE [DETAIL]: a JSON:API error document (one jq
# for the three members: this runs a thousand times a suite).
expect_error() {
	expect_status "$1" || return 1
	[ "$(header Content-Type)" = "application/vnd.api+json" ] ||
		{ echo "Content-Type: $(header Content-Type)" >&2; return 1; }
	local got
	mapfile -t got < <(jq -r '.errors[0] | .status, .title, .detail' <<< "$BODY" 2>/dev/null)
	[ "${got[0]:-}" = "$1" ] || { echo "body: $BODY" >&2; return 1; }
	[ "${got[1]:-}" = "$2" ] || { echo "title: ${got[1]:-}" >&2; return 1; }
	if [ $# -ge 3 ]; then
		local IFS=$'\n'
		[ "${got[*]:2}" = "$3" ] || { echo "detail: ${got[*]:2}" >&2; return 1; }
	fi
}

# db SQL: runs SQL in the test database as root, prints tab-separated rows.
db() {
	mariadb --no-defaults -S "$DB_SOCKET" -uroot -N -B mariapi -e "$1"
}

# act_as USER METHOD PATH [JSON] [curl args...]: a JSON:API request as USER
# (JSON: a body starting with "{"), signed with an API key made for it on
# first use (kept for the file). URLs are not globbed (filter[id]=...).
act_as() {
	local user=$1 method=$2 path=$3 key
	touch "$BATS_FILE_TMPDIR/act_as_keys"
	key=$(awk -v u="$user" '$1 == u { print $2 }' "$BATS_FILE_TMPDIR/act_as_keys")
	if [ -z "$key" ]; then
		key=$("$API_APICTL" apikey "$user" | tail -1) || return 1
		echo "$user $key" >> "$BATS_FILE_TMPDIR/act_as_keys"
	fi
	local args=(-g -H 'Accept: application/vnd.api+json' -H "$(wsse "$user" "$key")")
	shift 3
	if [ "${1:-}" != "" ] && [ "${1:0:1}" = "{" ]; then
		args+=(-H 'Content-Type: application/vnd.api+json' --data-binary "$1")
		shift
	fi
	req "$method" "$path" "${args[@]}" "$@"
}

# send METHOD PATH BODY [curl args...]: a JSON:API write as admin
# (organization 1); BODY is sent byte for byte.
send() {
	local method=$1 path=$2 body=${3-}
	shift $(($# < 3 ? $# : 3))
	req "$method" "$path" -H 'Content-Type: application/vnd.api+json' \
		-H 'Accept: application/vnd.api+json' -H "$(wsse)" --data-binary "$body" "$@"
}

# new_contact [LASTNAME | ATTRIBUTES_JSON]: POSTs a contact of organization 1
# as admin (last name $U, or a fresh one, when none is given). Its id in CID
# and on stdout (c=$(new_contact X)), the POST's ETag in TAG, the answer in
# BODY.
new_contact() {
	local attrs=${1:-${U:-c$(date +%s%N)}}
	[ "${attrs:0:1}" = "{" ] || attrs="{\"lastName\":\"$attrs\"}"
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"attributes\":$attrs}}"
	expect_status 201 || return 1
	CID=$(jqb .data.id)
	TAG=$(header ETag)
	echo "$CID"
}

# new_client PREFIX USER [ORG]: a new OAuth client (apictl client add);
# prints PREFIX_ID=... and PREFIX_SECRET=...
new_client() {
	local out
	out=$("$API_APICTL" client add "$2" ${3:+"$3"}) || return 1
	printf '%s_ID=%s\n%s_SECRET=%s\n' "$1" "$(sed -n 's/^client_id: //p' <<< "$out")" \
		"$1" "$(sed -n 's/^client_secret: //p' <<< "$out")"
}

# bget PATH TOKEN [curl args...]: a JSON:API GET with a bearer token.
bget() {
	local path=$1 token=$2
	shift 2
	req GET "$path" -H 'Accept: application/vnd.api+json' -H "Authorization: Bearer $token" "$@"
}

# cgi_token ENV... : POST $BATS_TEST_TMPDIR/form to /oauth2-token through the
# binary run as CGI with the suite's config and the given overrides; sets
# STATUS, BODY and the headers file like req.
cgi_token() {
	local out
	out=$(env -i API_CONFIG="$API_CONFIG" "$@" REQUEST_METHOD=POST REQUEST_URI=/oauth2-token \
		CONTENT_TYPE=application/x-www-form-urlencoded \
		CONTENT_LENGTH="$(wc -c < "$BATS_TEST_TMPDIR/form")" "$API_FCGI" \
		< "$BATS_TEST_TMPDIR/form" | tr -d '\r')
	sed '/^$/q' <<< "$out" > "$BATS_TEST_TMPDIR/headers"
	STATUS=$(sed -n '1s/^Status: \([0-9]*\).*/\1/p' <<< "$out")
	BODY=$(sed '1,/^$/d' <<< "$out")
}

# eventually SECONDS CMD...: runs CMD (in this shell: $STATUS and $BODY
# stay set) every 0.1 s until it succeeds; after SECONDS it runs it a last
# time and returns what that returns, its output shown. For effects that
# other FastCGI processes see only once their caches age out (section 3.3).
eventually() {
	local end
	end=$(awk -v s="$1" -v now="$(date +%s%N)" 'BEGIN { printf "%.0f", now + s * 1e9 }')
	shift
	while [ "$(date +%s%N)" -lt "$end" ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	"$@"
}

# The longest a change of credentials or permissions may take to reach
# every process: auth.cache_ttl (AUTH_CACHE_TTL, default 1 s) plus a margin
# for a loaded machine.
cache_wait() {
	awk -v t="${AUTH_CACHE_TTL:-1}" 'BEGIN { print t + 2 }'
}

# status_is CODE CMD...: runs CMD (a req / get / act_as), then checks
# $STATUS like expect_status.
status_is() {
	local code=$1
	shift
	"$@" && expect_status "$code"
}

# settles CODE CMD...: the request CMD answers CODE within cache_wait, as
# every process has let go of what it cached before a change.
settles() {
	eventually "$(cache_wait)" status_is "$@"
}
