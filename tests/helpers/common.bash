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
