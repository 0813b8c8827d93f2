#!/usr/bin/env bats
# Section 6.1 (filters) against the demo data of sql/seed.sql, as admin in
# organization 1 unless said. Most tests ask the API and the database the
# same question and compare the ids (the API lists by id ascending). Rows a
# test adds use ids from 9000 on; teardown removes them.
load helpers/common

JSONAPI=application/vnd.api+json

teardown() {
	db "DELETE FROM account_contacts WHERE account_id >= 9000 OR contact_id >= 9000;
	    DELETE FROM accounts WHERE id >= 9000;
	    DELETE FROM contacts WHERE id >= 9000;
	    DELETE FROM user_roles WHERE user_id = 5 AND role_id = 6;"
}

# fget PATH [curl args...]: get without curl's globbing of [ and ].
fget() {
	get "$@" -g
}

# api_ids PATH: the ids the API lists for PATH (one page of up to 500,
# which must be the whole list), comma-separated.
api_ids() {
	local sep='?' out
	[[ $1 == *\?* ]] && sep='&'
	fget "$1${sep}page[size]=500"
	expect_status 200 || return 1
	out=$(jqb 'if .links.next then "MORE" else [.data[].id] | join(",") end')
	[ "$out" != MORE ] || { echo "$1: more than one page" >&2; return 1; }
	echo "$out"
}

# db_ids SQL: the ids (column id) SQL selects, ascending, comma-separated.
db_ids() {
	db "SET SESSION group_concat_max_len = 100000;
	    SELECT COALESCE(GROUP_CONCAT(id ORDER BY id SEPARATOR ','), '') FROM ($1) x"
}

# same PATH SQL: the API and the database agree, and the answer is not
# empty (an empty answer proves little; see same_empty).
same() {
	local a d
	a=$(api_ids "$1") || return 1
	d=$(db_ids "$2")
	[ -n "$d" ] || { echo "$1: the database finds nothing for: $2" >&2; return 1; }
	[ "$a" = "$d" ] || { printf '%s\n API: [%s]\n DB:  [%s]\n' "$1" "$a" "$d" >&2; return 1; }
}

# same_empty PATH SQL: both find nothing.
same_empty() {
	local a d
	a=$(api_ids "$1") || return 1
	d=$(db_ids "$2")
	[ -z "$a" ] && [ -z "$d" ] || { printf '%s\n API: [%s]\n DB:  [%s]\n' "$1" "$a" "$d" >&2; return 1; }
}

# expect_ids PATH IDS: the API lists exactly IDS.
expect_ids() {
	local a
	a=$(api_ids "$1") || return 1
	[ "$a" = "$2" ] || { printf '%s\n API: [%s]\n want [%s]\n' "$1" "$a" "$2" >&2; return 1; }
}

# filter_error PATH PARAMETER DETAIL: a single 400 filter constraint.
filter_error() {
	fget "$1"
	local want got
	want=$(jq -cn --arg p "$2" --arg d "$3" \
		'[{status: "400", title: "filter constraint", detail: $d, source: {parameter: $p}}]')
	got=$(jqb -c '.errors')
	[ "$STATUS" = 400 ] && [ "$got" = "$want" ] || { printf '%s: HTTP %s\n got  %s\n want %s\n' "$1" "$STATUS" "$got" "$want" >&2; return 1; }
	[ "$(header Content-Type)" = "$JSONAPI" ] || { echo "Content-Type: $(header Content-Type)" >&2; return 1; }
}

# cgi_get URI: a JSON:API GET as admin, the binary run once as plain CGI
# (lighttpd itself refuses %00 and invalid UTF-8). Sets STATUS and BODY.
cgi_get() {
	local out="$BATS_TEST_TMPDIR/cgi.out"
	env -i PATH="$PATH" API_CONFIG="$API_CONFIG" \
		${ASAN_OPTIONS+"ASAN_OPTIONS=$ASAN_OPTIONS"} ${UBSAN_OPTIONS+"UBSAN_OPTIONS=$UBSAN_OPTIONS"} \
		GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 SERVER_NAME=127.0.0.1 \
		HTTP_HOST="127.0.0.1:$HTTP_PORT" REQUEST_METHOD=GET REQUEST_URI="$1" \
		HTTP_ACCEPT=$JSONAPI "HTTP_X_WSSE=$(wsse | sed 's/^X-WSSE: //')" \
		"$API_FCGI" </dev/null >"$out"
	LC_ALL=C sed -n '1,/^\r$/p' "$out" >"$BATS_TEST_TMPDIR/headers"
	LC_ALL=C sed '1,/^\r$/d' "$out" >"$BATS_TEST_TMPDIR/body"
	BODY=$(cat "$BATS_TEST_TMPDIR/body")
	STATUS=$(header Status | cut -d' ' -f1)
}

# add_account ID NAME: an account of organization 1 owned by admin.
add_account() {
	db "INSERT INTO accounts (id, organization_id, owner_id, name, created_at, updated_at)
	    VALUES ($1, 1, 1, '$2', '2020-01-01 00:00:00', '2020-01-01 00:00:00')"
}

# --- integers, bracket syntax ---------------------------------------------

@test "filter[id]=5: eq by default, only record 5" {
	expect_ids '/api/users?filter[id]=5' 5
}

@test "filter[id][op] for eq neq lt lte gt gte on an integer matches the database" {
	same '/api/users?filter[id][eq]=7' 'SELECT id FROM users WHERE organization_id = 1 AND id = 7'
	same '/api/users?filter[id][neq]=7' 'SELECT id FROM users WHERE organization_id = 1 AND id <> 7'
	same '/api/users?filter[id][lt]=7' 'SELECT id FROM users WHERE organization_id = 1 AND id < 7'
	same '/api/users?filter[id][lte]=7' 'SELECT id FROM users WHERE organization_id = 1 AND id <= 7'
	same '/api/users?filter[id][gt]=7' 'SELECT id FROM users WHERE organization_id = 1 AND id > 7'
	same '/api/users?filter[id][gte]=7' 'SELECT id FROM users WHERE organization_id = 1 AND id >= 7'
}

@test "integer attribute: loginCount with every comparison operator matches the database" {
	local op sql
	for op in eq:= neq:'<>' lt:'<' lte:'<=' gt:'>' gte:'>='; do
		sql=${op#*:}
		same "/api/users?filter[loginCount][${op%%:*}]=56" \
			"SELECT id FROM users WHERE organization_id = 1 AND login_count $sql 56"
	done
}

@test "a bracket-encoded name (filter%5Bid%5D%5Bgt%5D=30) is the same filter" {
	same '/api/users?filter%5Bid%5D%5Bgt%5D=30' 'SELECT id FROM users WHERE organization_id = 1 AND id > 30'
}

@test "a negative integer is a valid value (no record matches it)" {
	same_empty '/api/users?filter[id]=-1' 'SELECT id FROM users WHERE id = -1'
	same '/api/users?filter[id][gt]=-1' 'SELECT id FROM users WHERE organization_id = 1'
}

# --- symbol syntax ------------------------------------------------------------

@test "symbol syntax: != < <= > >= <> as in the raw query string match the bracket operators" {
	same '/api/users?filter[id]!=2' 'SELECT id FROM users WHERE organization_id = 1 AND id <> 2'
	same '/api/users?filter[id]!=5' 'SELECT id FROM users WHERE organization_id = 1 AND id <> 5'
	same '/api/users?filter[id]<3' 'SELECT id FROM users WHERE organization_id = 1 AND id < 3'
	same '/api/users?filter[id]<=4' 'SELECT id FROM users WHERE organization_id = 1 AND id <= 4'
	same '/api/users?filter[id]>5' 'SELECT id FROM users WHERE organization_id = 1 AND id > 5'
	same '/api/users?filter[id]>=6' 'SELECT id FROM users WHERE organization_id = 1 AND id >= 6'
	same '/api/users?filter[id]<>5' 'SELECT id FROM users WHERE organization_id = 1 AND id <> 5'
}

@test "symbol syntax percent-encoded (filter%5Bid%5D%3E5, %21%3D, %3C%3D, %3E%3D, %3C%3E) means the same" {
	same '/api/users?filter%5Bid%5D%3E5' 'SELECT id FROM users WHERE organization_id = 1 AND id > 5'
	same '/api/users?filter%5Bid%5D%21%3D5' 'SELECT id FROM users WHERE organization_id = 1 AND id <> 5'
	same '/api/users?filter%5Bid%5D%3C%3D4' 'SELECT id FROM users WHERE organization_id = 1 AND id <= 4'
	same '/api/users?filter%5Bid%5D%3E%3D30' 'SELECT id FROM users WHERE organization_id = 1 AND id >= 30'
	same '/api/users?filter%5Bid%5D%3C%3E5' 'SELECT id FROM users WHERE organization_id = 1 AND id <> 5'
	# half encoded: the symbol encoded, the '=' raw
	same '/api/users?filter[id]%3E=30' 'SELECT id FROM users WHERE organization_id = 1 AND id >= 30'
}

@test "symbol syntax with a list and a range: filter[id]!=5,7 and filter[id]!=3..30" {
	same '/api/users?filter[id]!=5,7' 'SELECT id FROM users WHERE organization_id = 1 AND id NOT IN (5, 7)'
	same '/api/users?filter[id]!=3..30' 'SELECT id FROM users WHERE organization_id = 1 AND id NOT BETWEEN 3 AND 30'
}

@test "symbol syntax ~ !~ ^ !^ \$ !\$ on a pattern string match contains, starts_with, ends_with and their negations" {
	same '/api/contacts?filter[lastName]~er' \
		"SELECT id FROM contacts WHERE organization_id = 1 AND last_name LIKE '%er%'"
	same '/api/contacts?filter[lastName]!~er' \
		"SELECT id FROM contacts WHERE organization_id = 1 AND last_name NOT LIKE '%er%'"
	same '/api/contacts?filter[lastName]^B' \
		"SELECT id FROM contacts WHERE organization_id = 1 AND last_name LIKE 'B%'"
	same '/api/contacts?filter[lastName]!^B' \
		"SELECT id FROM contacts WHERE organization_id = 1 AND last_name NOT LIKE 'B%'"
	same '/api/contacts?filter[lastName]$s' \
		"SELECT id FROM contacts WHERE organization_id = 1 AND last_name LIKE '%s'"
	same '/api/contacts?filter[lastName]!$s' \
		"SELECT id FROM contacts WHERE organization_id = 1 AND last_name NOT LIKE '%s'"
	same '/api/contacts?filter%5BlastName%5D%7Eer' \
		"SELECT id FROM contacts WHERE organization_id = 1 AND last_name LIKE '%er%'"
}

@test "symbol syntax: a '=' after the operator belongs to the value (filter[name]~a=b is contains \"a=b\")" {
	add_account 9001 'x a=b y'
	add_account 9002 'x a y'
	expect_ids '/api/accounts?filter[name]~a=b' 9001
}

@test "symbol syntax errors name the filter without its operator: filter[id]>x, filter[id]~1, filter[nope]>1" {
	filter_error '/api/users?filter[id]>x' 'filter[id]' 'Expected integer value. Given "x".'
	filter_error '/api/users?filter[id]!=' 'filter[id]' 'Expected integer value. Given "".'
	filter_error '/api/users?filter[id]~1' 'filter[id]' 'The operator "contains" is not supported.'
	filter_error '/api/users?filter[nope]>1' 'filter[nope]' 'The filter is not supported.'
}

@test "an unknown symbol after the field (filter[id]x=1) is not a supported filter" {
	filter_error '/api/users?filter[id]x=1' 'filter[id]x' 'The filter is not supported.'
}

@test "symbol-syntax filters survive the pagination links (next page of filter[id]>5&filter[id]!=7)" {
	fget '/api/users?filter[id]>5&filter[id]!=7&page[size]=2'
	expect_status 200
	[ "$(jqb -c '[.data[].id]')" = '["6","8"]' ]
	local next
	next=$(jqb '.links.next')
	req GET "${next#"$API_URL"}" -H "Accept: $JSONAPI" -H "$(wsse)"
	expect_status 200
	[ "$(jqb -c '[.data[].id]')" = '["9","10"]' ]
}

# --- combining ----------------------------------------------------------------

@test "several filters AND together" {
	same '/api/contacts?filter[gender]=female&filter[id][gt]=20&filter[lastName][exists]=true' \
		"SELECT id FROM contacts WHERE organization_id = 1 AND gender = 'female' AND id > 20
		 AND last_name IS NOT NULL"
}

@test "one field with several operators: filter[id][gte]=5&filter[id][lte]=7" {
	expect_ids '/api/users?filter[id][gte]=5&filter[id][lte]=7' 5,6,7
}

@test "a repeated filter name: the last value is in force (as in the links)" {
	expect_ids '/api/users?filter[id]=5&filter[id]=7' 7
}

@test "comma list: eq is IN, neq is NOT IN" {
	same '/api/users?filter[id]=5,7,9' 'SELECT id FROM users WHERE organization_id = 1 AND id IN (5, 7, 9)'
	same '/api/users?filter[id][neq]=5,7,9' \
		'SELECT id FROM users WHERE organization_id = 1 AND id NOT IN (5, 7, 9)'
	same '/api/users?filter[loginCount]=0,2,56' \
		'SELECT id FROM users WHERE organization_id = 1 AND login_count IN (0, 2, 56)'
}

@test "a..b is an inclusive range; neq excludes it" {
	expect_ids '/api/users?filter[id]=5..8' 5,6,7,8
	same '/api/users?filter[id][neq]=5..30' \
		'SELECT id FROM users WHERE organization_id = 1 AND id NOT BETWEEN 5 AND 30'
	same '/api/accounts?filter[employeesCount]=100..1000' \
		'SELECT id FROM accounts WHERE organization_id = 1 AND employees_count BETWEEN 100 AND 1000'
	same_empty '/api/users?filter[id]=8..5' 'SELECT id FROM users WHERE id BETWEEN 8 AND 5'
}

# --- value errors -------------------------------------------------------------

@test "bad integer: Expected integer value. Given \"aaa\". with the parameter as sent" {
	filter_error '/api/users?filter[id]=aaa' 'filter[id]' 'Expected integer value. Given "aaa".'
	filter_error '/api/users?filter[id][gt]=aaa' 'filter[id][gt]' 'Expected integer value. Given "aaa".'
	filter_error '/api/users?filter[loginCount]=1.5' 'filter[loginCount]' 'Expected integer value. Given "1.5".'
	filter_error '/api/users?filter[id]=' 'filter[id]' 'Expected integer value. Given "".'
	filter_error '/api/users?filter[id]=99999999999999999999' 'filter[id]' \
		'Expected integer value. Given "99999999999999999999".'
}

@test "bad integer list: Expected an array of integers. Given \"1,a\"." {
	filter_error '/api/users?filter[id]=1,a' 'filter[id]' 'Expected an array of integers. Given "1,a".'
	filter_error '/api/users?filter[id][neq]=1,,2' 'filter[id][neq]' 'Expected an array of integers. Given "1,,2".'
}

@test "lt lte gt gte take one value: a list is a bad integer" {
	filter_error '/api/users?filter[id][gt]=1,2' 'filter[id][gt]' 'Expected integer value. Given "1,2".'
	filter_error '/api/users?filter[id][lte]=1..2' 'filter[id][lte]' 'Expected integer value. Given "1..2".'
}

@test "bad range: Expected a pair of integers (integer..integer)." {
	filter_error '/api/users?filter[id]=3..x' 'filter[id]' \
		'Expected a pair of integers (integer..integer). Given "3..x".'
	filter_error '/api/users?filter[id]=..3' 'filter[id]' \
		'Expected a pair of integers (integer..integer). Given "..3".'
}

@test "several bad filters: one error each" {
	fget '/api/users?filter[id]=a&filter[nope]=1&filter[username][gt]=x'
	expect_status 400
	[ "$(jqb '.errors | length')" = 3 ]
	[ "$(jqb -c '[.errors[].source.parameter]')" = '["filter[id]","filter[nope]","filter[username][gt]"]' ]
	[ "$(jqb -c '[.errors[].detail]')" = '["Expected integer value. Given \"a\".","The filter is not supported.","The operator \"gt\" is not supported."]' ]
}

# --- unknown fields and operators ----------------------------------------------

@test "unknown field: The filter is not supported. (also write-only password and malformed names)" {
	filter_error '/api/users?filter[nope]=1' 'filter[nope]' 'The filter is not supported.'
	filter_error '/api/users?filter[password]=x' 'filter[password]' 'The filter is not supported.'
	filter_error '/api/users?filter[]=1' 'filter[]' 'The filter is not supported.'
	filter_error '/api/users?filter=1' 'filter' 'The filter is not supported.'
	filter_error '/api/users?filters[id]=1' 'filters[id]' 'The filter is not supported.'
	filter_error '/api/users?filter[id][gt][x]=1' 'filter[id][gt][x]' 'The filter is not supported.'
	filter_error '/api/users?filter[Id]=1' 'filter[Id]' 'The filter is not supported.'
}

@test "unknown operator: The operator \"foo\" is not supported." {
	filter_error '/api/users?filter[id][foo]=1' 'filter[id][foo]' 'The operator "foo" is not supported.'
}

@test "operators per type: numbers, dates, booleans, enums and ids refuse what 6.1 does not list" {
	filter_error '/api/users?filter[id][contains]=1' 'filter[id][contains]' 'The operator "contains" is not supported.'
	filter_error '/api/users?filter[loginCount][empty]=true' 'filter[loginCount][empty]' 'The operator "empty" is not supported.'
	filter_error '/api/users?filter[createdAt][starts_with]=2016' 'filter[createdAt][starts_with]' 'The operator "starts_with" is not supported.'
	filter_error '/api/users?filter[birthday][ends_with]=01' 'filter[birthday][ends_with]' 'The operator "ends_with" is not supported.'
	filter_error '/api/users?filter[enabled][gt]=0' 'filter[enabled][gt]' 'The operator "gt" is not supported.'
	filter_error '/api/users?filter[enabled][contains]=1' 'filter[enabled][contains]' 'The operator "contains" is not supported.'
	filter_error '/api/contacts?filter[gender][lt]=male' 'filter[gender][lt]' 'The operator "lt" is not supported.'
	filter_error '/api/calls?filter[direction][contains]=in' 'filter[direction][contains]' 'The operator "contains" is not supported.'
	filter_error '/api/accounts?filter[annualRevenue][not_contains]=1' 'filter[annualRevenue][not_contains]' 'The operator "not_contains" is not supported.'
	filter_error '/api/countries?filter[id][gt]=DE' 'filter[id][gt]' 'The operator "gt" is not supported.'
}

@test "operators per type: strings have no order, pattern operators and empty only where marked pat" {
	filter_error '/api/users?filter[username][gt]=a' 'filter[username][gt]' 'The operator "gt" is not supported.'
	filter_error '/api/users?filter[namePrefix][contains]=D' 'filter[namePrefix][contains]' 'The operator "contains" is not supported.'
	filter_error '/api/users?filter[middleName][empty]=true' 'filter[middleName][empty]' 'The operator "empty" is not supported.'
	filter_error '/api/calls?filter[phoneNumber][starts_with]=%2B1' 'filter[phoneNumber][starts_with]' 'The operator "starts_with" is not supported.'
	filter_error '/api/userroles?filter[role][not_ends_with]=R' 'filter[role][not_ends_with]' 'The operator "not_ends_with" is not supported.'
}

@test "operators per type: text fields allow exists only" {
	filter_error '/api/accounts?filter[description]=x' 'filter[description]' 'The operator "eq" is not supported.'
	filter_error '/api/accounts?filter[description][contains]=x' 'filter[description][contains]' 'The operator "contains" is not supported.'
	filter_error '/api/accounts?filter[description][neq_or_null]=x' 'filter[description][neq_or_null]' 'The operator "neq_or_null" is not supported.'
	same '/api/accounts?filter[description][exists]=true' \
		'SELECT id FROM accounts WHERE organization_id = 1 AND description IS NOT NULL'
	same '/api/accounts?filter[description][exists]=false' \
		'SELECT id FROM accounts WHERE organization_id = 1 AND description IS NULL'
}

@test "operators per type: to-one has eq neq exists neq_or_null only; to-many adds contains and not_contains" {
	filter_error '/api/contacts?filter[owner][gt]=1' 'filter[owner][gt]' 'The operator "gt" is not supported.'
	filter_error '/api/contacts?filter[owner][contains]=1' 'filter[owner][contains]' 'The operator "contains" is not supported.'
	filter_error '/api/users?filter[roles][lt]=2' 'filter[roles][lt]' 'The operator "lt" is not supported.'
	filter_error '/api/users?filter[roles][starts_with]=2' 'filter[roles][starts_with]' 'The operator "starts_with" is not supported.'
	filter_error '/api/users?filter[roles][empty]=true' 'filter[roles][empty]' 'The operator "empty" is not supported.'
}

# --- NULL semantics ---------------------------------------------------------------

@test "neq never matches NULL; neq_or_null also returns the NULLs" {
	same '/api/users?filter[birthday][neq]=1961-05-22' \
		"SELECT id FROM users WHERE organization_id = 1 AND birthday <> '1961-05-22'"
	same '/api/users?filter[birthday][neq_or_null]=1961-05-22' \
		"SELECT id FROM users WHERE organization_id = 1 AND (birthday IS NULL OR birthday <> '1961-05-22')"
	same '/api/contacts?filter[firstName][neq]=Jerry' \
		"SELECT id FROM contacts WHERE organization_id = 1 AND first_name <> 'Jerry'"
	same '/api/contacts?filter[firstName][neq_or_null]=Jerry' \
		"SELECT id FROM contacts WHERE organization_id = 1 AND (first_name IS NULL OR first_name <> 'Jerry')"
	same '/api/contacts?filter[gender][neq_or_null]=male,female' \
		'SELECT id FROM contacts WHERE organization_id = 1 AND gender IS NULL'
	same '/api/calls?filter[duration][neq_or_null]=0..1000' \
		'SELECT id FROM calls WHERE organization_id = 1 AND (duration IS NULL OR duration NOT BETWEEN 0 AND 1000)'
}

@test "exists=true is NOT NULL, false is NULL; values true|1|yes / false|0|no in any case" {
	local v
	for v in true 1 yes TRUE Yes; do
		same "/api/users?filter[birthday][exists]=$v" \
			'SELECT id FROM users WHERE organization_id = 1 AND birthday IS NOT NULL'
	done
	for v in false 0 no FALSE No; do
		same "/api/users?filter[birthday][exists]=$v" \
			'SELECT id FROM users WHERE organization_id = 1 AND birthday IS NULL'
	done
	same '/api/calls?filter[duration][exists]=no' 'SELECT id FROM calls WHERE organization_id = 1 AND duration IS NULL'
}

@test "exists and empty with a value other than true|1|yes|false|0|no: Expected boolean value." {
	filter_error '/api/users?filter[birthday][exists]=maybe' 'filter[birthday][exists]' 'Expected boolean value. Given "maybe".'
	filter_error '/api/users?filter[lastName][empty]=' 'filter[lastName][empty]' 'Expected boolean value. Given "".'
}

@test "empty=true is an empty string or NULL; empty=false the others" {
	db "INSERT INTO contacts (id, organization_id, owner_id, first_name, last_name, created_at, updated_at)
	    VALUES (9001, 1, 1, 'Empty', '', '2020-01-01 00:00:00', '2020-01-01 00:00:00')"
	same '/api/contacts?filter[lastName][empty]=true' \
		"SELECT id FROM contacts WHERE organization_id = 1 AND (last_name IS NULL OR last_name = '')"
	[[ ",$(api_ids '/api/contacts?filter[lastName][empty]=true')," == *,9001,* ]]
	same '/api/contacts?filter[lastName][empty]=false' \
		"SELECT id FROM contacts WHERE organization_id = 1 AND last_name IS NOT NULL AND last_name <> ''"
}

# --- strings ----------------------------------------------------------------------

@test "string eq and neq match the database's comparison (its collation)" {
	expect_ids '/api/contacts?filter[lastName]=Coleman' 1
	same '/api/users?filter[username]=ADMIN' "SELECT id FROM users WHERE organization_id = 1 AND username = 'ADMIN'"
	same '/api/contacts?filter[lastName]=M%C3%BCller' \
		"SELECT id FROM contacts WHERE organization_id = 1 AND last_name = 'Müller'"
	same '/api/contacts?filter[lastName][neq]=Coleman' \
		"SELECT id FROM contacts WHERE organization_id = 1 AND last_name <> 'Coleman'"
	same '/api/accounts?filter[name]=Acme+Widgets' "SELECT id FROM accounts WHERE organization_id = 1 AND name = 'Acme Widgets'"
}

@test "a comma in a string value is part of the value, not a list" {
	add_account 9001 'Smith, Jones and Co'
	add_account 9002 'Smith'
	expect_ids '/api/accounts?filter[name]=Smith,%20Jones%20and%20Co' 9001
	same '/api/accounts?filter[name][neq]=Smith,%20Jones%20and%20Co' \
		"SELECT id FROM accounts WHERE organization_id = 1 AND name <> 'Smith, Jones and Co'"
}

@test "a..b in a string value is part of the value, not a range" {
	add_account 9001 'A..Z'
	expect_ids '/api/accounts?filter[name]=A..Z' 9001
}

@test "empty string value: Expected not empty string value. Given \"\"." {
	filter_error '/api/users?filter[username]=' 'filter[username]' 'Expected not empty string value. Given "".'
	filter_error '/api/users?filter[username][contains]=' 'filter[username][contains]' 'Expected not empty string value. Given "".'
}

@test "pattern operators match the database's LIKE" {
	local t op value like
	for t in 'contains an LIKE %an%' 'not_contains an NOT LIKE %an%' 'starts_with J LIKE J%' \
		'not_starts_with J NOT LIKE J%' 'ends_with y LIKE %y' 'not_ends_with y NOT LIKE %y'; do
		read -r op value like <<< "$t"
		same "/api/contacts?filter[firstName][$op]=$value" \
			"SELECT id FROM contacts WHERE organization_id = 1 AND first_name ${like% *} '${like##* }'"
	done
}

@test "not_contains, not_starts_with, not_ends_with never match NULL" {
	same '/api/contacts?filter[firstName][not_contains]=zzz' \
		'SELECT id FROM contacts WHERE organization_id = 1 AND first_name IS NOT NULL'
	same '/api/contacts?filter[email][not_starts_with]=zzz' \
		'SELECT id FROM contacts WHERE organization_id = 1 AND email IS NOT NULL'
}

@test "pattern operators match % _ and \\ literally" {
	add_account 9001 '100% Pure'
	add_account 9002 '1000 Pure'
	add_account 9003 'snake_case'
	add_account 9004 'snakeXcase'
	add_account 9005 'back\\slash'
	add_account 9006 'backslash'
	expect_ids '/api/accounts?filter[name][contains]=%25' 9001
	expect_ids '/api/accounts?filter[name][starts_with]=100%25' 9001
	expect_ids '/api/accounts?filter[name][contains]=_' 9003
	expect_ids '/api/accounts?filter[name][ends_with]=e_case' 9003
	expect_ids '/api/accounts?filter[name][contains]=%5C' 9005
	expect_ids '/api/accounts?filter[name][contains]=k%5Cs' 9005
	expect_ids '/api/accounts?filter[name][contains]=!' ''
	same '/api/accounts?filter[name][not_contains]=%25' \
		"SELECT id FROM accounts WHERE organization_id = 1 AND name NOT LIKE '%!%%' ESCAPE '!'"
}

@test "pattern operators on an e-mail (pat) and a user name" {
	same '/api/users?filter[email][ends_with]=@example.com' \
		"SELECT id FROM users WHERE organization_id = 1 AND email LIKE '%@example.com'"
	same '/api/users?filter[username][contains]=.s' \
		"SELECT id FROM users WHERE organization_id = 1 AND username LIKE '%.s%'"
}

# --- booleans, enums, money ------------------------------------------------------

@test "boolean: true|1|yes and false|0|no in any case; neq" {
	local v
	for v in true 1 yes TRUE; do
		same "/api/users?filter[enabled]=$v" 'SELECT id FROM users WHERE organization_id = 1 AND enabled = 1'
	done
	for v in false 0 no NO; do
		expect_ids "/api/users?filter[enabled]=$v" 3
	done
	expect_ids '/api/users?filter[enabled][neq]=true' 3
	expect_ids '/api/organizations?filter[enabled]=true' 1
}

@test "boolean errors: no lists or ranges (the comma is part of the value)" {
	filter_error '/api/users?filter[enabled]=maybe' 'filter[enabled]' 'Expected boolean value. Given "maybe".'
	filter_error '/api/users?filter[enabled]=1,0' 'filter[enabled]' 'Expected boolean value. Given "1,0".'
	filter_error '/api/users?filter[enabled]=0..1' 'filter[enabled]' 'Expected boolean value. Given "0..1".'
}

@test "enum: eq, lists, neq (without NULL), exists" {
	same '/api/contacts?filter[gender]=male' "SELECT id FROM contacts WHERE organization_id = 1 AND gender = 'male'"
	same '/api/contacts?filter[gender]=male,female' \
		"SELECT id FROM contacts WHERE organization_id = 1 AND gender IN ('male', 'female')"
	same '/api/contacts?filter[gender][neq]=female' \
		"SELECT id FROM contacts WHERE organization_id = 1 AND gender <> 'female'"
	same '/api/contacts?filter[gender][exists]=false' 'SELECT id FROM contacts WHERE organization_id = 1 AND gender IS NULL'
	same '/api/calls?filter[direction]=incoming' "SELECT id FROM calls WHERE organization_id = 1 AND direction = 'incoming'"
	same_empty '/api/contacts?filter[gender]=other' "SELECT id FROM contacts WHERE gender = 'other'"
}

@test "enum: no ranges; a stray comma is Expected an array of not empty strings." {
	same_empty '/api/contacts?filter[gender]=female..male' "SELECT id FROM contacts WHERE gender = 'female..male'"
	filter_error '/api/contacts?filter[gender]=male,' 'filter[gender]' 'Expected an array of not empty strings. Given "male,".'
	filter_error '/api/contacts?filter[gender]=' 'filter[gender]' 'Expected not empty string value. Given "".'
}

@test "money: eq, comparisons, lists and ranges are exact decimals" {
	expect_ids '/api/accounts?filter[annualRevenue]=1200.5' 1
	expect_ids '/api/accounts?filter[annualRevenue]=1200.5000' 1
	same '/api/accounts?filter[annualRevenue][gt]=5000000' \
		'SELECT id FROM accounts WHERE organization_id = 1 AND annual_revenue > 5000000'
	same '/api/accounts?filter[annualRevenue][lte]=5000000.25' \
		'SELECT id FROM accounts WHERE organization_id = 1 AND annual_revenue <= 5000000.25'
	same '/api/accounts?filter[annualRevenue]=1000..5000000' \
		'SELECT id FROM accounts WHERE organization_id = 1 AND annual_revenue BETWEEN 1000 AND 5000000'
	same '/api/accounts?filter[annualRevenue][neq]=1200.5' \
		'SELECT id FROM accounts WHERE organization_id = 1 AND annual_revenue <> 1200.5'
	same '/api/accounts?filter[annualRevenue][exists]=false' \
		'SELECT id FROM accounts WHERE organization_id = 1 AND annual_revenue IS NULL'
	same '/api/accounts?filter[annualRevenue]=1200.5,-3,0.0001' \
		'SELECT id FROM accounts WHERE organization_id = 1 AND annual_revenue IN (1200.5, -3, 0.0001)'
}

@test "money errors: Expected money value. / an array of money values / a pair of money values" {
	filter_error '/api/accounts?filter[annualRevenue]=12a' 'filter[annualRevenue]' 'Expected money value. Given "12a".'
	filter_error '/api/accounts?filter[annualRevenue][gt]=1e5' 'filter[annualRevenue][gt]' 'Expected money value. Given "1e5".'
	filter_error '/api/accounts?filter[annualRevenue]=1,x' 'filter[annualRevenue]' 'Expected an array of money values. Given "1,x".'
	filter_error '/api/accounts?filter[annualRevenue]=1..x' 'filter[annualRevenue]' \
		'Expected a pair of money values (money..money). Given "1..x".'
}

# --- dates and datetimes --------------------------------------------------------------

@test "partial datetimes match the whole period: year, month, day, hour, minute, second" {
	local v value lo hi
	for v in '2016|2016-01-01 00:00:00|2017-01-01 00:00:00' \
		'2016-09|2016-09-01 00:00:00|2016-10-01 00:00:00' \
		'2016-08-14|2016-08-14 00:00:00|2016-08-15 00:00:00' \
		'2016-08-14T09|2016-08-14 09:00:00|2016-08-14 10:00:00'; do
		IFS='|' read -r value lo hi <<< "$v"
		same "/api/calls?filter[callDateTime]=$value" \
			"SELECT id FROM calls WHERE organization_id = 1 AND call_date_time >= '$lo' AND call_date_time < '$hi'"
	done
	local t m s
	t=$(db "SELECT DATE_FORMAT(call_date_time, '%Y-%m-%dT%H:%i') FROM calls WHERE id = 2")
	same "/api/calls?filter[callDateTime]=$t" \
		"SELECT id FROM calls WHERE organization_id = 1 AND DATE_FORMAT(call_date_time, '%Y-%m-%dT%H:%i') = '$t'"
	s=$(db "SELECT DATE_FORMAT(call_date_time, '%Y-%m-%dT%H:%i:%sZ') FROM calls WHERE id = 2")
	same "/api/calls?filter[callDateTime]=$s" 'SELECT id FROM calls WHERE organization_id = 1 AND call_date_time = (SELECT call_date_time FROM calls WHERE id = 2)'
	m=$(db "SELECT DATE_FORMAT(call_date_time, '%Y-%m-%dT%H:%i:%s.250Z') FROM calls WHERE id = 2")
	same "/api/calls?filter[callDateTime]=$m" 'SELECT id FROM calls WHERE organization_id = 1 AND call_date_time = (SELECT call_date_time FROM calls WHERE id = 2)'
}

@test "a full datetime with a zone is converted to UTC (+01:00 as %2B, -05:00, Z, no zone as UTC)" {
	# user 1 logged in at 2016-09-19 11:01:31 UTC
	expect_ids '/api/users?filter[lastLogin]=2016-09-19T11:01:31Z' 1
	expect_ids '/api/users?filter[lastLogin]=2016-09-19T12:01:31%2B01:00' 1
	expect_ids '/api/users?filter[lastLogin]=2016-09-19T06:01:31-05:00' 1
	expect_ids '/api/users?filter[lastLogin]=2016-09-19T11:01:31' 1
	expect_ids '/api/users?filter[lastLogin]=2016-09-19T11:01:31%2B01:00' ''
	# an unencoded '+' arrives as a space: still the zone
	expect_ids '/api/users?filter[lastLogin]=2016-09-19T12:01:31+01:00' 1
	# a partial time with a zone: the hour 12:00+01:00 is 11:00 UTC
	same '/api/users?filter[lastLogin]=2016-09-19T12%2B01:00' \
		"SELECT id FROM users WHERE organization_id = 1 AND last_login >= '2016-09-19 11:00:00' AND last_login < '2016-09-19 12:00:00'"
}

@test "datetime comparisons take the whole period: lt before it, lte to its end, gt after it, gte from its start" {
	same '/api/calls?filter[callDateTime][lt]=2016-08' \
		"SELECT id FROM calls WHERE organization_id = 1 AND call_date_time < '2016-08-01'"
	same '/api/calls?filter[callDateTime][lte]=2016-08' \
		"SELECT id FROM calls WHERE organization_id = 1 AND call_date_time < '2016-09-01'"
	same '/api/calls?filter[callDateTime][gt]=2016-08' \
		"SELECT id FROM calls WHERE organization_id = 1 AND call_date_time >= '2016-09-01'"
	same '/api/calls?filter[callDateTime][gte]=2016-08' \
		"SELECT id FROM calls WHERE organization_id = 1 AND call_date_time >= '2016-08-01'"
	same '/api/calls?filter[callDateTime]>2016-08-15' \
		"SELECT id FROM calls WHERE organization_id = 1 AND call_date_time >= '2016-08-16'"
	same '/api/calls?filter[callDateTime][neq]=2016-08' \
		"SELECT id FROM calls WHERE organization_id = 1 AND (call_date_time < '2016-08-01' OR call_date_time >= '2016-09-01')"
}

@test "datetime ranges and lists: 2016-06..2016-07 is June and July; a list is any of the periods" {
	same '/api/calls?filter[callDateTime]=2016-06..2016-07' \
		"SELECT id FROM calls WHERE organization_id = 1 AND call_date_time >= '2016-06-01' AND call_date_time < '2016-08-01'"
	same '/api/calls?filter[callDateTime][neq]=2016-06..2016-07' \
		"SELECT id FROM calls WHERE organization_id = 1 AND NOT (call_date_time >= '2016-06-01' AND call_date_time < '2016-08-01')"
	same '/api/calls?filter[callDateTime]=2016-06-05,2016-08' \
		"SELECT id FROM calls WHERE organization_id = 1 AND (DATE(call_date_time) = '2016-06-05'
		 OR call_date_time >= '2016-08-01' AND call_date_time < '2016-09-01')"
	same '/api/users?filter[lastLogin][exists]=false' 'SELECT id FROM users WHERE organization_id = 1 AND last_login IS NULL'
	same '/api/accounts?filter[lastContactedDate][neq_or_null]=2016-09' \
		"SELECT id FROM accounts WHERE organization_id = 1 AND (last_contacted_date IS NULL OR last_contacted_date NOT BETWEEN '2016-09-01' AND '2016-09-30 23:59:59')"
}

@test "the edges of the calendar: year 9999 and year 1 are valid periods" {
	same_empty '/api/users?filter[createdAt]=9999' "SELECT id FROM users WHERE YEAR(created_at) = 9999"
	same_empty '/api/users?filter[createdAt][gt]=9999-12-31T23:59:59Z' "SELECT id FROM users WHERE created_at > '9999-12-31 23:59:59'"
	same '/api/users?filter[createdAt][gte]=0001-01-01T00:00:00%2B01:00' 'SELECT id FROM users WHERE organization_id = 1'
	same_empty '/api/users?filter[createdAt][lt]=0001' "SELECT id FROM users WHERE created_at < '0001-01-01'"
}

@test "bad datetimes: Expected datetime value. (also lists and ranges)" {
	local v
	for v in 2016-13 2016-02-30 2016-09-19T25 2016-09-19T10:60 2016-9 16 2016-09-19T10:15:00%2B1 now 0000; do
		filter_error "/api/calls?filter[callDateTime]=$v" 'filter[callDateTime]' \
			"Expected datetime value. Given \"$(printf '%b' "${v//%/\\x}")\"."
	done
	filter_error '/api/calls?filter[callDateTime]=2016,x' 'filter[callDateTime]' 'Expected an array of datetimes. Given "2016,x".'
	filter_error '/api/calls?filter[callDateTime]=2016..x' 'filter[callDateTime]' \
		'Expected a pair of datetimes (datetime..datetime). Given "2016..x".'
}

@test "dates: partial year, month and day; comparisons; leap days" {
	same '/api/users?filter[birthday]=1961' "SELECT id FROM users WHERE organization_id = 1 AND YEAR(birthday) = 1961"
	same '/api/contacts?filter[birthday]=1980..1989' \
		"SELECT id FROM contacts WHERE organization_id = 1 AND YEAR(birthday) BETWEEN 1980 AND 1989"
	same '/api/users?filter[birthday]=1968-02' "SELECT id FROM users WHERE organization_id = 1 AND birthday BETWEEN '1968-02-01' AND '1968-02-29'"
	expect_ids '/api/users?filter[birthday]=1968-02-29' 7
	same '/api/users?filter[birthday][lt]=1970-06-15' "SELECT id FROM users WHERE organization_id = 1 AND birthday < '1970-06-15'"
	same '/api/users?filter[birthday][lte]=1970' "SELECT id FROM users WHERE organization_id = 1 AND birthday <= '1970-12-31'"
}

@test "bad dates: Expected date value. (no time on a date)" {
	filter_error '/api/users?filter[birthday]=1961-05-22T00' 'filter[birthday]' 'Expected date value. Given "1961-05-22T00".'
	filter_error '/api/users?filter[birthday]=1967-02-29' 'filter[birthday]' 'Expected date value. Given "1967-02-29".'
	filter_error '/api/users?filter[birthday]=1961,x' 'filter[birthday]' 'Expected an array of dates. Given "1961,x".'
}

# --- ids -------------------------------------------------------------------------------

@test "the id of countries is a string code: eq, lists, neq; no ranges" {
	expect_ids '/api/countries?filter[id]=US,DE' DE,US
	expect_ids '/api/countries?filter[id]=us' US
	same '/api/countries?filter[id][neq]=US,DE' "SELECT iso2_code AS id FROM countries WHERE iso2_code NOT IN ('US', 'DE')"
	expect_ids '/api/countries?filter[id]=CA..DE' ''
	filter_error '/api/countries?filter[id]=' 'filter[id]' 'Expected not empty string value. Given "".'
	same '/api/countries?filter[name][starts_with]=United' "SELECT iso2_code AS id FROM countries WHERE name LIKE 'United%'"
}

# --- associations ----------------------------------------------------------------------

@test "to-one by related id: eq, list, neq, neq_or_null, exists" {
	same '/api/contacts?filter[owner]=1' 'SELECT id FROM contacts WHERE organization_id = 1 AND owner_id = 1'
	same '/api/contacts?filter[owner]=1,5' 'SELECT id FROM contacts WHERE organization_id = 1 AND owner_id IN (1, 5)'
	same '/api/contacts?filter[owner]=5..10' 'SELECT id FROM contacts WHERE organization_id = 1 AND owner_id BETWEEN 5 AND 10'
	same '/api/contacts?filter[assignedTo][neq]=5' \
		'SELECT id FROM contacts WHERE organization_id = 1 AND assigned_to_id <> 5'
	same '/api/contacts?filter[assignedTo][neq_or_null]=5' \
		'SELECT id FROM contacts WHERE organization_id = 1 AND (assigned_to_id IS NULL OR assigned_to_id <> 5)'
	same '/api/contacts?filter[assignedTo][exists]=false' \
		'SELECT id FROM contacts WHERE organization_id = 1 AND assigned_to_id IS NULL'
	same '/api/contacts?filter[reportsTo][exists]=true' \
		'SELECT id FROM contacts WHERE organization_id = 1 AND reports_to_id IS NOT NULL'
	same '/api/calls?filter[account]=1' 'SELECT id FROM calls WHERE organization_id = 1 AND account_id = 1'
	expect_ids '/api/businessunits?filter[owner]=1' 2,3
	expect_ids '/api/businessunits?filter[owner][exists]=no' 1
	expect_ids '/api/users?filter[organization]=1&filter[id]=1' 1
}

@test "to-one by a string id (contacts.country): eq, list, exists" {
	same '/api/contacts?filter[country]=FR' "SELECT id FROM contacts WHERE organization_id = 1 AND country_code = 'FR'"
	same '/api/contacts?filter[country]=US,DE,FR' \
		"SELECT id FROM contacts WHERE organization_id = 1 AND country_code IN ('US', 'DE', 'FR')"
	same '/api/contacts?filter[country][exists]=false' 'SELECT id FROM contacts WHERE organization_id = 1 AND country_code IS NULL'
	same '/api/contacts?filter[country][neq]=US' "SELECT id FROM contacts WHERE organization_id = 1 AND country_code <> 'US'"
}

@test "to-one errors: a related id of the wrong type" {
	filter_error '/api/contacts?filter[owner]=admin' 'filter[owner]' 'Expected integer value. Given "admin".'
	filter_error '/api/contacts?filter[owner]=1,x' 'filter[owner]' 'Expected an array of integers. Given "1,x".'
	filter_error '/api/contacts?filter[owner][exists]=x' 'filter[owner][exists]' 'Expected boolean value. Given "x".'
}

@test "to-many: eq has any of the ids, neq none of them" {
	same '/api/users?filter[roles]=3' 'SELECT user_id AS id FROM user_roles JOIN users u ON u.id = user_id WHERE u.organization_id = 1 AND role_id = 3'
	same '/api/users?filter[roles]=3,5' \
		'SELECT DISTINCT user_id AS id FROM user_roles JOIN users u ON u.id = user_id WHERE u.organization_id = 1 AND role_id IN (3, 5)'
	same '/api/users?filter[roles][neq]=2' \
		'SELECT id FROM users WHERE organization_id = 1 AND id NOT IN (SELECT user_id FROM user_roles WHERE role_id = 2)'
	same '/api/users?filter[roles][neq]=2,4' \
		'SELECT id FROM users WHERE organization_id = 1 AND id NOT IN (SELECT user_id FROM user_roles WHERE role_id IN (2, 4))'
	same '/api/users?filter[roles]=2..3' \
		'SELECT DISTINCT user_id AS id FROM user_roles JOIN users u ON u.id = user_id WHERE u.organization_id = 1 AND role_id BETWEEN 2 AND 3'
}

@test "to-many: contains has all of the ids, not_contains lacks one of them at least" {
	same '/api/users?filter[roles][contains]=1,2' \
		'SELECT user_id AS id FROM user_roles WHERE role_id IN (1, 2) AND user_id IN (SELECT id FROM users WHERE organization_id = 1) GROUP BY user_id HAVING COUNT(*) = 2'
	same '/api/users?filter[roles][contains]=2,4,2' \
		'SELECT user_id AS id FROM user_roles WHERE role_id IN (2, 4) AND user_id IN (SELECT id FROM users WHERE organization_id = 1) GROUP BY user_id HAVING COUNT(*) = 2'
	same '/api/users?filter[roles][not_contains]=2,4' \
		'SELECT id FROM users WHERE organization_id = 1 AND id NOT IN (SELECT user_id FROM user_roles WHERE role_id IN (2, 4) GROUP BY user_id HAVING COUNT(*) = 2)'
	expect_ids '/api/accounts?filter[contacts][contains]=1,2' 1
	same '/api/accounts?filter[contacts][contains]=1' \
		'SELECT account_id AS id FROM account_contacts JOIN accounts a ON a.id = account_id WHERE a.organization_id = 1 AND contact_id = 1'
	filter_error '/api/users?filter[roles][contains]=1..3' 'filter[roles][contains]' 'Expected integer value. Given "1..3".'
	filter_error '/api/users?filter[roles][contains]=1,x' 'filter[roles][contains]' 'Expected an array of integers. Given "1,x".'
}

@test "to-many: exists true is non-empty, false is empty" {
	same '/api/accounts?filter[contacts][exists]=true' \
		'SELECT id FROM accounts WHERE organization_id = 1 AND id IN (SELECT account_id FROM account_contacts)'
	db "INSERT INTO accounts (id, organization_id, owner_id, name, created_at, updated_at)
	    VALUES (9001, 1, 1, 'No contacts', '2020-01-01 00:00:00', '2020-01-01 00:00:00')"
	expect_ids '/api/accounts?filter[contacts][exists]=false' 9001
	same '/api/contacts?filter[accounts][exists]=false' \
		'SELECT id FROM contacts WHERE organization_id = 1 AND id NOT IN (SELECT contact_id FROM account_contacts)'
}

@test "to-many through a foreign key of the target (organizations.users, businessUnits)" {
	expect_ids '/api/organizations?filter[users]=5' 1
	expect_ids '/api/organizations?filter[businessUnits]=1,2' 1
	expect_ids '/api/organizations?filter[businessUnits][contains]=1,5' ''
	expect_ids '/api/organizations?filter[users][exists]=true' 1
	expect_ids '/api/organizations?filter[users][neq]=5' ''
}

@test "related records outside the organization never count" {
	# a (foreign) role of organization 2 given to user 5 of organization 1
	db 'INSERT INTO user_roles (user_id, role_id) VALUES (5, 6)'
	expect_ids '/api/users?filter[roles]=6' ''
	same '/api/users?filter[roles][neq]=6' 'SELECT id FROM users WHERE organization_id = 1'
	same '/api/users?filter[roles][not_contains]=4,6' 'SELECT id FROM users WHERE organization_id = 1'
	expect_ids '/api/users?filter[roles][contains]=4,6' ''
	# shared roles (no organization) do count
	same '/api/users?filter[roles]=1' 'SELECT user_id AS id FROM user_roles JOIN users u ON u.id = user_id WHERE u.organization_id = 1 AND role_id = 1'
	# other organizations' records as to-one targets
	expect_ids '/api/contacts?filter[owner]=2' ''
	expect_ids '/api/organizations?filter[users]=2' ''
	# the shared roles (1, 2 and 11 of the demo data, and any made since)
	same '/api/userroles?filter[organization][exists]=false' 'SELECT id FROM roles WHERE organization_id IS NULL ORDER BY id'
	expect_ids '/api/userroles?filter[organization]=2' ''
}

@test "a foreign key that points into another organization is as good as none" {
	# contact 9001 of organization 1, (wrongly) owned by user 2 of organization 2
	db "INSERT INTO contacts (id, organization_id, owner_id, last_name, created_at, updated_at)
	    VALUES (9001, 1, 2, 'Stray', '2020-01-01 00:00:00', '2020-01-01 00:00:00')"
	expect_ids '/api/contacts?filter[owner]=2' ''
	expect_ids '/api/contacts?filter[owner.username]=globex_admin' ''
	expect_ids '/api/contacts?filter[lastName]=Stray&filter[owner][exists]=true' ''
	expect_ids '/api/contacts?filter[lastName]=Stray&filter[owner][neq_or_null]=1' 9001
}

@test "as admin in organization 2, filters see organization 2 only" {
	get_as admin "$ADMIN_ORG2_KEY" '/api/contacts?filter[owner]=2&page[size]=100' -g
	expect_status 200
	[ "$(jqb '[.data[].id] | join(",")')" = "$(db_ids 'SELECT id FROM contacts WHERE organization_id = 2 AND owner_id = 2')" ]
	get_as admin "$ADMIN_ORG2_KEY" '/api/contacts?filter[owner]=1&page[size]=100' -g
	expect_status 200
	[ "$(jqb '.data | length')" = 0 ]
	get_as admin "$ADMIN_ORG2_KEY" '/api/contacts?filter[owner.username]=admin' -g
	[ "$(jqb '.data | length')" = 0 ]
}

# --- dotted paths ------------------------------------------------------------------------

@test "dotted path through a to-one: filter[owner.username]=admin" {
	same '/api/contacts?filter[owner.username]=admin' \
		"SELECT c.id FROM contacts c JOIN users u ON u.id = c.owner_id WHERE c.organization_id = 1 AND u.username = 'admin'"
	same '/api/accounts?filter[defaultContact.lastName][starts_with]=C' \
		"SELECT a.id FROM accounts a JOIN contacts c ON c.id = a.default_contact_id WHERE a.organization_id = 1 AND c.last_name LIKE 'C%'"
	same '/api/calls?filter[contact.gender]=female&filter[account.name][contains]=o' \
		"SELECT k.id FROM calls k JOIN contacts c ON c.id = k.contact_id JOIN accounts a ON a.id = k.account_id
		 WHERE k.organization_id = 1 AND c.gender = 'female' AND a.name LIKE '%o%'"
}

@test "dotted paths of two and three hops: owner.owner.name, owner.owner.owner.name" {
	same '/api/contacts?filter[owner.owner.name]=Acme%20Sales' \
		"SELECT c.id FROM contacts c JOIN users u ON u.id = c.owner_id JOIN business_units b ON b.id = u.business_unit_id
		 WHERE c.organization_id = 1 AND b.name = 'Acme Sales'"
	same '/api/contacts?filter[owner.owner.owner.name]=Acme%20HQ' \
		"SELECT c.id FROM contacts c JOIN users u ON u.id = c.owner_id JOIN business_units b ON b.id = u.business_unit_id
		 JOIN business_units p ON p.id = b.parent_id WHERE c.organization_id = 1 AND p.name = 'Acme HQ'"
	same '/api/calls?filter[contact.owner.owner]=2' \
		"SELECT k.id FROM calls k JOIN contacts c ON c.id = k.contact_id JOIN users u ON u.id = c.owner_id
		 WHERE k.organization_id = 1 AND u.business_unit_id = 2"
}

@test "dotted paths: more than 3 hops, an unknown segment or a to-many hop are not supported" {
	filter_error '/api/calls?filter[contact.owner.owner.owner.name]=x' 'filter[contact.owner.owner.owner.name]' 'The filter is not supported.'
	filter_error '/api/contacts?filter[owner.nope]=x' 'filter[owner.nope]' 'The filter is not supported.'
	filter_error '/api/contacts?filter[nope.name]=x' 'filter[nope.name]' 'The filter is not supported.'
	filter_error '/api/users?filter[roles.role]=x' 'filter[roles.role]' 'The filter is not supported.'
	filter_error '/api/contacts?filter[owner.]=x' 'filter[owner.]' 'The filter is not supported.'
	filter_error '/api/contacts?filter[owner.password]=x' 'filter[owner.password]' 'The filter is not supported.'
}

@test "dotted paths end in any field: an id, an association, a to-many; operators and errors as there" {
	same '/api/contacts?filter[owner.id][gt]=30' 'SELECT id FROM contacts WHERE organization_id = 1 AND owner_id > 30'
	same '/api/contacts?filter[owner.roles]=3' \
		'SELECT id FROM contacts WHERE organization_id = 1 AND owner_id IN (SELECT user_id FROM user_roles WHERE role_id = 3)'
	filter_error '/api/contacts?filter[owner.username][gt]=a' 'filter[owner.username][gt]' 'The operator "gt" is not supported.'
	filter_error '/api/contacts?filter[owner.loginCount]=a' 'filter[owner.loginCount]' 'Expected integer value. Given "a".'
}

@test "dotted paths and NULL: neq skips a broken path, neq_or_null and exists=false include it" {
	same '/api/accounts?filter[defaultContact.firstName][neq]=Jerry' \
		"SELECT a.id FROM accounts a JOIN contacts c ON c.id = a.default_contact_id WHERE a.organization_id = 1 AND c.first_name <> 'Jerry'"
	same '/api/accounts?filter[defaultContact.firstName][neq_or_null]=Jerry' \
		"SELECT a.id FROM accounts a LEFT JOIN contacts c ON c.id = a.default_contact_id
		 WHERE a.organization_id = 1 AND (c.first_name IS NULL OR c.first_name <> 'Jerry')"
	same '/api/accounts?filter[defaultContact.birthday][exists]=false' \
		'SELECT a.id FROM accounts a LEFT JOIN contacts c ON c.id = a.default_contact_id WHERE a.organization_id = 1 AND c.birthday IS NULL'
	same '/api/accounts?filter[defaultContact.birthday][exists]=true' \
		'SELECT a.id FROM accounts a JOIN contacts c ON c.id = a.default_contact_id WHERE a.organization_id = 1 AND c.birthday IS NOT NULL'
	same '/api/calls?filter[contact.country.name][neq_or_null]=Germany' \
		"SELECT k.id FROM calls k LEFT JOIN contacts c ON c.id = k.contact_id LEFT JOIN countries n ON n.iso2_code = c.country_code
		 WHERE k.organization_id = 1 AND (n.name IS NULL OR n.name <> 'Germany')"
}

# --- subresources ------------------------------------------------------------------------

@test "filters on a to-many subresource list: /api/accounts/1/contacts?filter[lastName]=Coleman" {
	expect_ids '/api/accounts/1/contacts?filter[lastName]=Coleman' 1
	expect_ids '/api/accounts/1/contacts?filter[id][gt]=1' 2,3
	same '/api/users/1/roles?filter[role][neq]=ROLE_USER' \
		"SELECT r.id FROM roles r JOIN user_roles ur ON ur.role_id = r.id WHERE ur.user_id = 1 AND r.role <> 'ROLE_USER'"
	same '/api/businessunits/2/users?filter[enabled]=false' \
		'SELECT u.id FROM users u JOIN user_business_units b ON b.user_id = u.id WHERE b.business_unit_id = 2 AND u.enabled = 0'
	same '/api/organizations/1/users?filter[owner.name]=Acme%20HQ' \
		'SELECT id FROM users WHERE organization_id = 1 AND business_unit_id = 1'
}

@test "filters on a relationship list and subresource errors name the parameter" {
	fget '/api/accounts/1/relationships/contacts?filter[id][gt]=1'
	expect_status 200
	[ "$(jqb -c '[.data[].id]')" = '["2","3"]' ]
	filter_error '/api/accounts/1/contacts?filter[nope]=1' 'filter[nope]' 'The filter is not supported.'
	filter_error '/api/accounts/1/contacts?filter[id]=x' 'filter[id]' 'Expected integer value. Given "x".'
}

# --- with the other query parameters ------------------------------------------------------

@test "filters with sort, a dotted sort and include: the same records in the sorted order" {
	fget '/api/contacts?filter[owner.owner.name]=Acme%20Sales&sort=-lastName&page[size]=100'
	expect_status 200
	[ "$(jqb '[.data[].id] | join(",")')" = "$(db "SELECT GROUP_CONCAT(c.id ORDER BY c.last_name DESC, c.id DESC)
		FROM contacts c JOIN users u ON u.id = c.owner_id JOIN business_units b ON b.id = u.business_unit_id
		WHERE c.organization_id = 1 AND b.name = 'Acme Sales'")" ]
	fget '/api/contacts?filter[owner]=1&sort=owner.username,id&include=owner&page[size]=100'
	expect_status 200
	[ "$(jqb '[.data[].id] | join(",")')" = "$(db_ids 'SELECT id FROM contacts WHERE organization_id = 1 AND owner_id = 1')" ]
	[ "$(jqb -c '[.included[] | .id]')" = '["1"]' ]
}

@test "filters on an unlimited page (page[size]=-1, streamed)" {
	fget '/api/calls?filter[direction]=incoming&filter[callDateTime]=2016-08&page[size]=-1'
	expect_status 200
	[ "$(jqb '[.data[].id] | join(",")')" = "$(db_ids "SELECT id FROM calls WHERE organization_id = 1
		AND direction = 'incoming' AND call_date_time >= '2016-08-01' AND call_date_time < '2016-09-01'")" ]
}

@test "X-Include: totalCount counts the filtered records" {
	fget '/api/calls?filter[duration][gt]=600&page[size]=2' -H 'X-Include: totalCount'
	expect_status 200
	[ "$(header X-Include-Total-Count)" = "$(db 'SELECT COUNT(*) FROM calls WHERE organization_id = 1 AND duration > 600')" ]
	[ "$(jqb '.data | length')" = 2 ]
}

# --- hostile values ------------------------------------------------------------------------

@test "SQL in values is data: a string finds nothing, an integer is a 400" {
	same_empty "/api/users?filter[username]=%27%20OR%201=1%20--" "SELECT id FROM users WHERE username = ''' OR 1=1 --'"
	same_empty "/api/users?filter[username][contains]=%27)%20OR%20(%271%27=%271" "SELECT id FROM users WHERE username LIKE '%'') OR (''1''=''1%'"
	filter_error "/api/users?filter[id]=1%20OR%201=1" 'filter[id]' 'Expected integer value. Given "1 OR 1=1".'
	filter_error "/api/users?filter[id%60]=1" 'filter[id`]' 'The filter is not supported.'
	same_empty '/api/users?filter[username]=%25' "SELECT id FROM users WHERE username = '%'"
	same_empty '/api/users?filter[username]=%5C' "SELECT id FROM users WHERE username = '\\\\'"
}

@test "an 8000-character eq value and a 1500-item list are answered; an 8000-character contains value is a 400 (max_filter_value_length)" {
	local long
	long=$(printf 'a%.0s' $(seq 1 8000))
	expect_ids "/api/users?filter[username]=$long" ''
	filter_error "/api/users?filter[username][contains]=$long" 'filter[username][contains]' \
		'The value is too long: at most 1000 characters for this operator.'
	expect_ids "/api/users?filter[id]=$(printf '%s,' $(seq 3 1502))1" 1,3,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,51,52,53,54,55,56,57
	expect_ids "/api/accounts?filter[contacts][contains]=$(printf '1,%.0s' $(seq 1 3000))2" 1
}

@test "the same long values through the body of X-HTTP-Method-Override: GET" {
	local long
	long=$(printf 'a%.0s' $(seq 1 8000))
	post_get /api/users "{\"filter\": {\"username\": \"$long\"}}"
	expect_status 200
	[ "$(jqb '.data | length')" = 0 ]
	post_get /api/users "{\"filter\": {\"username\": {\"contains\": \"$long\"}}}"
	expect_error 400 'filter constraint' 'The value is too long: at most 1000 characters for this operator.'
	[ "$(jqb '.errors[0].source.parameter')" = 'filter[username][contains]' ]
	post_get '/api/users?page%5Bsize%5D=100' "{\"filter\": {\"id\": \"$(seq -s, 3 1502),1\"}}"
	expect_status 200
	[ "$(jqb '[.data[].id] | join(",")')" = 1,3,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,51,52,53,54,55,56,57 ]
	post_get /api/accounts "{\"filter\": {\"contacts\": {\"contains\": \"$(printf '1,%.0s' $(seq 1 3000))2\"}}}"
	expect_status 200
	[ "$(jqb -c '[.data[].id]')" = '["1"]' ]
}

# post_get PATH BODY: a list read whose filters come in a JSON body (POST
# with X-HTTP-Method-Override: GET), for what a query string cannot carry.
post_get() {
	local body="$BATS_TEST_TMPDIR/post.json"
	printf '%s' "$2" > "$body"
	req POST "$1" -H "Accept: $JSONAPI" -H "Content-Type: $JSONAPI" \
		-H 'X-HTTP-Method-Override: GET' -H "$(wsse)" --data-binary "@$body"
}

@test "more than 100 filters in a request: 400 Too many filters, on the first one past the limit" {
	local qs='' i
	for i in $(seq 1 101); do qs+="filter[id]>$i&"; done
	filter_error "/api/users?${qs%&}" 'filter[id]>101' 'Too many filters: at most 100 in a request.'
	qs=''
	for i in $(seq 1 100); do qs+="filter[id]!=$((i + 100))&"; done
	expect_ids "/api/users?${qs%&}" 1,3,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,51,52,53,54,55,56,57
}

@test "more than 5000 filter values in a request (a long body): 400 Too many filter values, never a 500" {
	post_get /api/users "{\"filter\": {\"id\": \"$(seq -s, 1 100000)\"}}"
	expect_error 400 "filter constraint" "Too many filter values: at most 5000 in a request."
	[ "$(jqb '.errors[0].source.parameter')" = 'filter[id]' ]
	post_get /api/calls "{\"filter\": {\"createdAt\": \"$(seq -s, 1001 4000)\", \"id\": {\"neq\": \"$(seq -s, 1 2001)\"}}}"
	expect_error 400 "filter constraint" "Too many filter values: at most 5000 in a request."
	[ "$(jqb '.errors[0].source.parameter')" = 'filter[id][neq]' ]
	post_get '/api/users?page%5Bsize%5D=100' "{\"filter\": {\"id\": {\"neq\": \"$(seq -s, 2 5001)\"}}}"
	expect_status 200
	[ "$(jqb -c '[.data[].id]')" = '["1"]' ]
}

@test "%00 and invalid UTF-8 in filter names and values: 200 or 400, valid JSON, never 5xx (CGI)" {
	local u
	for u in '/api/users?filter[username]=adm%00in' '/api/users?filter[username]=%ff%fe' \
		'/api/users?filter[username][contains]=%ff' '/api/users?filter[id]=%ff' \
		'/api/users?filter[id]=1%00' '/api/users?filter[id%ff]=1' '/api/users?filter[id]%ff=1' \
		'/api/users?filter[id][gt%00]=1' '/api/users?filter[createdAt]=2016%00' \
		'/api/users?filter[owner.name%00]=x' '/api/users?filter%00[id]=1'; do
		cgi_get "$u"
		[ "$STATUS" = 200 ] || [ "$STATUS" = 400 ] || { echo "$u: $STATUS $BODY" >&2; return 1; }
		jq -e . >/dev/null <<< "$BODY" || { echo "$u: not JSON: $BODY" >&2; return 1; }
		iconv -f UTF-8 -t UTF-8 "$BATS_TEST_TMPDIR/body" >/dev/null || { echo "$u: not UTF-8" >&2; return 1; }
	done
	cgi_get '/api/users?filter[id]=%ff'
	[ "$STATUS" = 400 ]
	[ "$(jqb '.errors[0].title')" = "filter constraint" ]
}

@test "the web server still serves after the hostile filters" {
	expect_ids '/api/users?filter[id]=1' 1
}
