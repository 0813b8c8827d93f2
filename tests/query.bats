#!/usr/bin/env bats
# Sections 5.3 (links), 6.2 (sorting), 6.3 (pagination), 6.4 (fields,
# include, meta) and 7 (X-Include: totalCount, noHateoas), against the demo
# data of sql/seed.sql as admin (organization 1 "Acme Inc", which sees every
# record of its organization). Data-dependent results are compared with the
# database. Filters (section 6.1) are left to their own file.
load helpers/common

BASE="http://127.0.0.1:$HTTP_PORT"
ALL='page%5Bsize%5D=-1' # every record on one page

teardown() {
	# Cross-organization rows some tests add (never in the demo data).
	db "UPDATE contacts SET reports_to_id=NULL WHERE id=5 AND reports_to_id=61;
	    DELETE FROM user_roles WHERE user_id=1 AND role_id=6"
}

# expect_query_error TITLE PARAMETER DETAIL: a single 400 with that source.
expect_query_error() {
	expect_error 400 "$1" "$3"
	[ "$(jqb '.errors | length')" = 1 ] || { echo "body: $BODY" >&2; return 1; }
	[ "$(jqb '.errors[0].source.parameter')" = "$2" ] ||
		{ echo "source: $(jqb -c '.errors[0].source')" >&2; return 1; }
}

# expect_sort_error FIELD: the 400 of an unsortable field.
expect_sort_error() {
	expect_query_error "sort constraint" sort "Sorting by \"$1\" field is not supported."
}

# same LABEL ACTUAL EXPECTED: string equality with both shown on failure.
same() {
	if [ "$2" != "$3" ]; then
		printf '%s:\n  got      [%s]\n  expected [%s]\n' "$1" "$2" "$3" >&2
		return 1
	fi
}

# The ids of the primary data of the last body, comma-joined, in order.
api_ids() { jqb '[.data[].id] | join(",")'; }
# db_ids SQL: the first column of the rows, comma-joined, in order.
db_ids() { db "$1" | cut -f1 | paste -sd, -; }
# user 1's roles organization 1 sees (ROLE_ADMINISTRATOR, ROLE_USER,
# ROLE_PLATFORM_ADMIN), by id.
ADMIN_ROLES_SQL='SELECT ur.role_id FROM user_roles ur JOIN roles r ON r.id = ur.role_id
	WHERE ur.user_id = 1 AND (r.organization_id IS NULL OR r.organization_id = 1) ORDER BY ur.role_id'
admin_role_keys() { db "$ADMIN_ROLES_SQL" | sed 's|^|userroles/|' | LC_ALL=C sort | paste -sd' ' -; }

# expect_order PATH SQL: PATH answers 200 and its ids come in SQL's order.
expect_order() {
	get "$1"
	expect_status 200 || return 1
	local want
	want=$(db_ids "$2")
	[ -n "$want" ] || { echo "the query returned nothing: $2" >&2; return 1; }
	same "$1" "$(api_ids)" "$want"
}

# "type/id" of every included resource, sorted, space-joined.
included_keys() { jqb '[.included[]? | .type + "/" + .id] | sort | join(" ")'; }

# Every (type, id) at most once across data and included, and every included
# resource referenced by relationship data of some resource of the document.
expect_unique_and_linked() {
	local dup orphans
	dup=$(jqb '[(.data | if type == "array" then .[] else . end), .included[]?]
		| map(.type + "/" + .id) | group_by(.) | map(select(length > 1) | .[0]) | join(" ")')
	[ -z "$dup" ] || { echo "repeated: $dup" >&2; return 1; }
	orphans=$(jqb '([(.data | if type == "array" then .[] else . end), .included[]?]
		| [.[] | .relationships // {} | .[] | .data
		   | if type == "array" then .[] elif . == null then empty else . end
		   | .type + "/" + .id] | unique) as $refs
		| [.included[]? | .type + "/" + .id | select(. as $k | $refs | index($k) | not)]
		| join(" ")')
	[ -z "$orphans" ] || { echo "included but referenced by nothing: $orphans" >&2; return 1; }
}

# walk PATH: GETs PATH and every page its links.next leads to; PAGE_IDS gets
# every page's ids (one comma-joined line a page), ALL_IDS all of them in order.
walk() {
	local path=$1 pages=0 next
	PAGE_IDS=
	ALL_IDS=
	while [ -n "$path" ]; do
		get "$path"
		expect_status 200 || return 1
		[ "$(jqb '.links | has("last")')" = false ] || { echo "a last link on $path" >&2; return 1; }
		PAGE_IDS+="$(api_ids)"$'\n'
		ALL_IDS+="${ALL_IDS:+,}$(api_ids)"
		ALL_IDS=${ALL_IDS%,}
		next=$(jqb '.links.next // empty')
		if [ -n "$next" ] && [[ "$next" != "$BASE/"* ]]; then
			echo "links.next is not under $BASE: $next" >&2
			return 1
		fi
		path=${next#"$BASE"}
		pages=$((pages + 1))
		[ $pages -le 50 ] || { echo "more than 50 pages" >&2; return 1; }
	done
	WALK_PAGES=$pages
}

# --- 6.2 sorting ------------------------------------------------------------

@test "sort=username: users by username ascending, as the database orders them" {
	expect_order "/api/users?sort=username&$ALL" \
		"SELECT id FROM users WHERE organization_id=1 ORDER BY username ASC, id ASC"
}

@test "sort=-lastName: contacts by last name descending (equal names and NULLs included), id ascending within" {
	expect_order "/api/contacts?sort=-lastName&$ALL" \
		"SELECT id FROM contacts WHERE organization_id=1 ORDER BY last_name DESC, id DESC"
}

@test "sort=-annualRevenue and sort=birthday: money and date keys order like the database" {
	expect_order "/api/accounts?sort=-annualRevenue&$ALL" \
		"SELECT id FROM accounts WHERE organization_id=1 ORDER BY annual_revenue DESC, id DESC"
	expect_order "/api/users?sort=birthday&$ALL" \
		"SELECT id FROM users WHERE organization_id=1 ORDER BY birthday ASC, id ASC"
}

@test "sort=gender,-firstName: several keys apply in order, the id last" {
	expect_order "/api/contacts?sort=gender,-firstName&$ALL" \
		"SELECT id FROM contacts WHERE organization_id=1 ORDER BY gender ASC, first_name DESC, id DESC"
}

@test "sort=-timesContacted,lastName,-birthday on contacts: three keys then the id" {
	expect_order "/api/contacts?sort=-timesContacted,lastName,-birthday&$ALL" \
		"SELECT id FROM contacts WHERE organization_id=1
		 ORDER BY times_contacted DESC, last_name ASC, birthday DESC, id DESC"
}

@test "sort=owner.username on contacts: a dotted path through a to-one association" {
	expect_order "/api/contacts?sort=owner.username&$ALL" \
		"SELECT c.id FROM contacts c LEFT JOIN users u ON u.id=c.owner_id
		 WHERE c.organization_id=1 ORDER BY u.username ASC, c.id ASC"
}

@test "sort=-owner.owner.name,id on users: two to-one hops (unit, parent unit), NULL parents last" {
	expect_order "/api/users?sort=-owner.owner.name,id&$ALL" \
		"SELECT u.id FROM users u LEFT JOIN business_units b ON b.id=u.business_unit_id
		 LEFT JOIN business_units p ON p.id=b.parent_id
		 WHERE u.organization_id=1 ORDER BY p.name DESC, u.id ASC"
}

@test "sort=-owner.owner.name,id on contacts: owner user, then its business unit's name" {
	expect_order "/api/contacts?sort=-owner.owner.name,id&$ALL" \
		"SELECT c.id FROM contacts c LEFT JOIN users u ON u.id=c.owner_id
		 LEFT JOIN business_units b ON b.id=u.business_unit_id
		 WHERE c.organization_id=1 ORDER BY b.name DESC, c.id ASC"
}

@test "sort=owner on users and sort=-country on contacts: a to-one association sorts by its id" {
	expect_order "/api/users?sort=owner&$ALL" \
		"SELECT id FROM users WHERE organization_id=1 ORDER BY business_unit_id ASC, id ASC"
	expect_order "/api/contacts?sort=-country&$ALL" \
		"SELECT id FROM contacts WHERE organization_id=1 ORDER BY country_code DESC, id DESC"
}

@test "the id is the final tie-breaker, in the direction of the last key (ascending after an ascending key, descending after a descending one)" {
	get "/api/users?sort=-owner&$ALL"
	expect_status 200
	# Within each unit (descending), the user ids descend too: an index on
	# (key, id) then serves the whole ORDER BY.
	same "groups of equal owner" \
		"$(jqb -c '[.data[] | [(.relationships.owner.data.id | tonumber), (.id | tonumber)]]
			| (map(.[0]) == (map(.[0]) | sort | reverse)) and
			  (group_by(.[0]) | all(map(.[1]) == (map(.[1]) | sort | reverse)))')" true
	same "ids" "$(api_ids)" \
		"$(db_ids 'SELECT id FROM users WHERE organization_id=1 ORDER BY business_unit_id DESC, id DESC')"
	# enabled: 31 users true, one false; the true ones in id order.
	expect_order "/api/users?sort=-enabled&$ALL" \
		"SELECT id FROM users WHERE organization_id=1 ORDER BY enabled DESC, id DESC"
}

@test "sort=id and sort=-id order contacts by id ascending and descending" {
	expect_order "/api/contacts?sort=id&$ALL" \
		"SELECT id FROM contacts WHERE organization_id=1 ORDER BY id ASC"
	expect_order "/api/contacts?sort=-id&$ALL" \
		"SELECT id FROM contacts WHERE organization_id=1 ORDER BY id DESC"
}

@test "without sort a list is in ascending id order" {
	expect_order "/api/contacts?$ALL" "SELECT id FROM contacts WHERE organization_id=1 ORDER BY id"
}

@test "sort by an unknown field: 400 sort constraint, Sorting by \"foo\" field is not supported., parameter sort" {
	get '/api/users?sort=foo'
	expect_sort_error foo
	get '/api/users?sort=-foo'
	expect_sort_error foo
	# users have no description; password is write-only and never visible.
	get '/api/users?sort=description'
	expect_sort_error description
	get '/api/users?sort=password'
	expect_sort_error password
}

@test "sort by a text field (description) is not supported" {
	get '/api/accounts?sort=description'
	expect_sort_error description
	get '/api/contacts?sort=-description'
	expect_sort_error description
	get '/api/contacts?sort=reportsTo.description'
	expect_sort_error reportsTo.description
}

@test "sort by a to-many association (accounts, roles) is not supported" {
	get '/api/contacts?sort=accounts'
	expect_sort_error accounts
	get '/api/users?sort=-roles'
	expect_sort_error roles
}

@test "sort by a path through a to-many association (accounts.name) is not supported" {
	get '/api/contacts?sort=accounts.name'
	expect_sort_error accounts.name
	get '/api/users?sort=roles.label'
	expect_sort_error roles.label
}

@test "sort by a path deeper than 3 associations is not supported" {
	get '/api/contacts?sort=owner.owner.owner.owner.name'
	expect_sort_error owner.owner.owner.owner.name
}

@test "sort by an unknown name inside a dotted path is not supported" {
	get '/api/contacts?sort=owner.nope'
	expect_sort_error owner.nope
	get '/api/contacts?sort=nope.name'
	expect_sort_error nope.name
}

@test "several bad sort keys give one error each, in order, and the good key none" {
	get '/api/contacts?sort=description,lastName,-accounts,foo'
	expect_status 400
	same "errors" "$(jqb -c '[.errors[] | [.status, .title, .detail, .source.parameter]]')" \
		'[["400","sort constraint","Sorting by \"description\" field is not supported.","sort"],["400","sort constraint","Sorting by \"accounts\" field is not supported.","sort"],["400","sort constraint","Sorting by \"foo\" field is not supported.","sort"]]'
}

@test "sort on a subresource list: /api/accounts/1/contacts?sort=-lastName" {
	expect_order '/api/accounts/1/contacts?sort=-lastName' \
		"SELECT c.id FROM contacts c JOIN account_contacts ac ON ac.contact_id=c.id
		 WHERE ac.account_id=1 AND c.organization_id=1 ORDER BY c.last_name DESC, c.id DESC"
	same "self" "$(jqb .links.self)" "$BASE/api/accounts/1/contacts"
}

@test "sort with a dotted path on a subresource list: /api/organizations/1/users?sort=-owner.name" {
	expect_order "/api/organizations/1/users?sort=-owner.name&$ALL" \
		"SELECT u.id FROM users u JOIN business_units b ON b.id=u.business_unit_id
		 WHERE u.organization_id=1 ORDER BY b.name DESC, u.id DESC"
}

@test "sort on an item route is 400 filter constraint / The filter is not supported., parameter sort" {
	get '/api/users/1?sort=id'
	expect_query_error "filter constraint" sort "The filter is not supported."
}

@test "sort on a to-many relationship route orders the linkage (sort=-id) and rejects unknown fields" {
	get '/api/users/1/relationships/roles?sort=-id'
	expect_status 200
	same "linkage ids" "$(api_ids)" "$(db_ids "$ADMIN_ROLES_SQL DESC")"
	same "linkage types" "$(jqb -c '[.data[].type] | unique')" '["userroles"]'
	get '/api/users/1/relationships/roles?sort=foo'
	expect_sort_error foo
}

# --- 6.3 pagination and 5.3 links -------------------------------------------

@test "first page (page[number]=1 sent): next keeps the other parameters sorted, no first, prev or last" {
	get '/api/users?sort=-id&page%5Bnumber%5D=1&fields%5Busers%5D=username'
	expect_status 200
	same "ids" "$(api_ids)" "$(db_ids 'SELECT id FROM users WHERE organization_id=1 ORDER BY id DESC LIMIT 10')"
	same "links" "$(jqb -c '.links')" \
		"{\"self\":\"$BASE/api/users\",\"next\":\"$BASE/api/users?fields%5Busers%5D=username&page%5Bnumber%5D=2&sort=-id\"}"
}

@test "middle page: first and prev (page 1 without page[number]) and next, parameters sorted by name, brackets encoded" {
	get '/api/users?sort=-id&page%5Bnumber%5D=2&fields%5Busers%5D=username'
	expect_status 200
	same "ids" "$(api_ids)" "$(db_ids 'SELECT id FROM users WHERE organization_id=1 ORDER BY id DESC LIMIT 10 OFFSET 10')"
	same "links" "$(jqb -c '.links')" \
		"{\"self\":\"$BASE/api/users\",\"first\":\"$BASE/api/users?fields%5Busers%5D=username&sort=-id\",\"prev\":\"$BASE/api/users?fields%5Busers%5D=username&sort=-id\",\"next\":\"$BASE/api/users?fields%5Busers%5D=username&page%5Bnumber%5D=3&sort=-id\"}"
}

@test "last page: first and prev, no next and no last" {
	# The seed's 32 users: page 4 of 10 holds the last 2 (a file run before
	# this one may have added users: the last page is counted).
	local n last
	n=$(db "SELECT COUNT(*) FROM users WHERE organization_id = 1")
	last=$(((n + 9) / 10))
	[ "$last" -ge 4 ]
	get "/api/users?fields%5Busers%5D=username&page%5Bnumber%5D=$last&sort=-id"
	expect_status 200
	same "ids" "$(api_ids)" "$(db_ids "SELECT id FROM users WHERE organization_id=1 ORDER BY id DESC LIMIT 10 OFFSET $(((last - 1) * 10))")"
	same "links" "$(jqb -c '.links')" \
		"{\"self\":\"$BASE/api/users\",\"first\":\"$BASE/api/users?fields%5Busers%5D=username&sort=-id\",\"prev\":\"$BASE/api/users?fields%5Busers%5D=username&page%5Bnumber%5D=$((last - 1))&sort=-id\"}"
}

@test "a non-default page[size] is kept in every link; page 1 links omit page[number]" {
	get '/api/contacts?page%5Bsize%5D=7&page%5Bnumber%5D=2&sort=lastName'
	expect_status 200
	same "links" "$(jqb -c '.links')" \
		"{\"self\":\"$BASE/api/contacts\",\"first\":\"$BASE/api/contacts?page%5Bsize%5D=7&sort=lastName\",\"prev\":\"$BASE/api/contacts?page%5Bsize%5D=7&sort=lastName\",\"next\":\"$BASE/api/contacts?page%5Bnumber%5D=3&page%5Bsize%5D=7&sort=lastName\"}"
}

@test "links keep include, meta, fields, page[size] and sort, sorted by name, whatever order they came in" {
	get '/api/users?sort=-owner.name&meta=title&include=owner&page%5Bsize%5D=5&page%5Bnumber%5D=3&fields%5Bbusinessunits%5D=name'
	expect_status 200
	local q="fields%5Bbusinessunits%5D=name&include=owner&meta=title"
	same "links" "$(jqb -c '.links')" \
		"{\"self\":\"$BASE/api/users\",\"first\":\"$BASE/api/users?$q&page%5Bsize%5D=5&sort=-owner.name\",\"prev\":\"$BASE/api/users?$q&page%5Bnumber%5D=2&page%5Bsize%5D=5&sort=-owner.name\",\"next\":\"$BASE/api/users?$q&page%5Bnumber%5D=4&page%5Bsize%5D=5&sort=-owner.name\"}"
}

@test "brackets sent raw (page[size]=3&page[number]=2) come back percent-encoded in the links" {
	get '/api/users?page[size]=3&page[number]=2&sort=username' -g
	expect_status 200
	same "ids" "$(api_ids)" "$(db_ids 'SELECT id FROM users WHERE organization_id=1 ORDER BY username, id LIMIT 3 OFFSET 3')"
	same "first" "$(jqb .links.first)" "$BASE/api/users?page%5Bsize%5D=3&sort=username"
	same "next" "$(jqb .links.next)" "$BASE/api/users?page%5Bnumber%5D=3&page%5Bsize%5D=3&sort=username"
}

@test "a value with a comma (sort=gender,-firstName) is kept in the links, the comma encoded or not" {
	get '/api/contacts?sort=gender,-firstName&page%5Bnumber%5D=2'
	expect_status 200
	local next prev
	next=$(jqb .links.next | sed 's/%2[Cc]/,/g')
	prev=$(jqb .links.prev | sed 's/%2[Cc]/,/g')
	same "next" "$next" "$BASE/api/contacts?page%5Bnumber%5D=3&sort=gender,-firstName"
	same "prev" "$prev" "$BASE/api/contacts?sort=gender,-firstName"
}

@test "walking /api/contacts?page[size]=7&sort=lastName by links.next lists every contact exactly once, in order" {
	walk '/api/contacts?page%5Bsize%5D=7&sort=lastName'
	local n
	n=$(db 'SELECT COUNT(*) FROM contacts WHERE organization_id=1')
	same "pages" "$WALK_PAGES" "$(( (n + 6) / 7 ))"
	same "all ids in order" "$ALL_IDS" \
		"$(db_ids 'SELECT id FROM contacts WHERE organization_id=1 ORDER BY last_name ASC, id ASC')"
	# Disjoint pages: no id twice; every page but the last is full.
	same "distinct ids" "$(tr ',' '\n' <<< "$ALL_IDS" | sort -u | wc -l)" "$n"
	same "page sizes" "$(grep -v '^$' <<< "$PAGE_IDS" | awk -F, '{print NF}' | sort -n -u | paste -sd' ' -)" \
		"$( [ $((n % 7)) -eq 0 ] && echo 7 || echo "$((n % 7)) 7")"
}

@test "pages of a sort with many equal keys are stable: the same page twice is the same, and pages do not overlap" {
	# enabled is true for all but one user: the id alone decides the order.
	local p1 p1again p2
	get '/api/users?sort=enabled&page%5Bsize%5D=5'
	p1=$(api_ids)
	get '/api/users?sort=enabled&page%5Bsize%5D=5'
	p1again=$(api_ids)
	get '/api/users?sort=enabled&page%5Bsize%5D=5&page%5Bnumber%5D=2'
	p2=$(api_ids)
	same "page 1 twice" "$p1again" "$p1"
	same "pages 1 and 2" "$p1,$p2" \
		"$(db_ids 'SELECT id FROM users WHERE organization_id=1 ORDER BY enabled ASC, id ASC LIMIT 10')"
}

@test "paging on a to-many relationship route: /api/users/1/relationships/roles?page[size]=1" {
	# user 1 holds three roles (1, 2, 11): pages 1, 2 and the last, 3
	[ "$(db_ids "$ADMIN_ROLES_SQL")" = 1,2,11 ]
	get '/api/users/1/relationships/roles?page%5Bsize%5D=1'
	expect_status 200
	same "page 1" "$(jqb -c .)" \
		"{\"data\":[{\"type\":\"userroles\",\"id\":\"1\"}],\"links\":{\"self\":\"$BASE/api/users/1/relationships/roles\",\"next\":\"$BASE/api/users/1/relationships/roles?page%5Bnumber%5D=2&page%5Bsize%5D=1\"}}"
	get '/api/users/1/relationships/roles?page%5Bsize%5D=1&page%5Bnumber%5D=2'
	expect_status 200
	same "page 2" "$(jqb -c .)" \
		"{\"data\":[{\"type\":\"userroles\",\"id\":\"2\"}],\"links\":{\"self\":\"$BASE/api/users/1/relationships/roles\",\"first\":\"$BASE/api/users/1/relationships/roles?page%5Bsize%5D=1\",\"prev\":\"$BASE/api/users/1/relationships/roles?page%5Bsize%5D=1\",\"next\":\"$BASE/api/users/1/relationships/roles?page%5Bnumber%5D=3&page%5Bsize%5D=1\"}}"
	get '/api/users/1/relationships/roles?page%5Bsize%5D=1&page%5Bnumber%5D=3'
	expect_status 200
	same "page 3" "$(jqb -c .)" \
		"{\"data\":[{\"type\":\"userroles\",\"id\":\"11\"}],\"links\":{\"self\":\"$BASE/api/users/1/relationships/roles\",\"first\":\"$BASE/api/users/1/relationships/roles?page%5Bsize%5D=1\",\"prev\":\"$BASE/api/users/1/relationships/roles?page%5Bnumber%5D=2&page%5Bsize%5D=1\"}}"
}

@test "to-one relationship route: the linkage with links self and related, nothing else" {
	get '/api/contacts/1/relationships/owner'
	expect_status 200
	local owner
	owner=$(db 'SELECT owner_id FROM contacts WHERE id=1')
	same "document" "$(jqb -c .)" \
		"{\"data\":{\"type\":\"users\",\"id\":\"$owner\"},\"links\":{\"self\":\"$BASE/api/contacts/1/relationships/owner\",\"related\":\"$BASE/api/contacts/1/owner\"}}"
	get '/api/businessunits/1/relationships/owner'
	expect_status 200
	same "null linkage" "$(jqb -c .)" \
		"{\"data\":null,\"links\":{\"self\":\"$BASE/api/businessunits/1/relationships/owner\",\"related\":\"$BASE/api/businessunits/1/owner\"}}"
}

# --- 6.4 fields -------------------------------------------------------------

@test "fields[users]=username,email,owner limits the primary resource's attributes and relationships" {
	get '/api/users/1?fields%5Busers%5D=username,email,owner'
	expect_status 200
	same "keys" "$(jqb -c '.data | keys')" '["attributes","id","links","relationships","type"]'
	same "attributes" "$(jqb -cS '.data.attributes')" \
		"$(db "SELECT JSON_OBJECT('username', username, 'email', email) FROM users WHERE id=1" | jq -c 'to_entries | sort_by(.key) | from_entries')"
	same "attribute names" "$(jqb -c '.data.attributes | keys')" '["email","username"]'
	same "relationship names" "$(jqb -c '.data.relationships | keys')" '["owner"]'
	same "owner" "$(jqb -c '.data.relationships.owner.data')" '{"type":"businessunits","id":"1"}'
}

@test "fields on a list applies to every resource of the page" {
	get '/api/users?fields%5Busers%5D=firstName,roles&page%5Bsize%5D=5'
	expect_status 200
	same "count" "$(jqb '.data | length')" 5
	same "shapes" "$(jqb -c '[.data[] | [(.attributes | keys), (.relationships | keys)]] | unique')" \
		'[[["firstName"],["roles"]]]'
	same "first names" "$(jqb '[.data[].attributes.firstName] | join(",")')" \
		"$(db_ids 'SELECT first_name FROM users WHERE organization_id=1 ORDER BY id LIMIT 5')"
}

@test "fields for an included type limits the included resources, not the primary ones" {
	get '/api/users/1?include=owner&fields%5Bbusinessunits%5D=name,organization'
	expect_status 200
	same "included" "$(jqb -c '[.included[] | {type, id, attributes, rel: (.relationships | keys)}]')" \
		'[{"type":"businessunits","id":"1","attributes":{"name":"Acme HQ"},"rel":["organization"]}]'
	# The primary users resource keeps all its members.
	same "user attributes" "$(jqb '.data.attributes | length')" 13
	same "user relationships" "$(jqb -c '.data.relationships | keys')" '["businessUnits","organization","owner","roles"]'
}

@test "fields names that are unknown are ignored" {
	get '/api/users/1?fields%5Busers%5D=username,nope,alsoNope'
	expect_status 200
	same "attributes" "$(jqb -c '.data.attributes')" '{"username":"admin"}'
	same "relationships" "$(jqb -c '.data.relationships // {} | keys')" '[]'
	get '/api/users/1?fields%5Busers%5D=nope'
	expect_status 200
	same "only unknown" "$(jqb -c '.data | [.attributes // {}, .relationships // {}]')" '[{},{}]'
}

@test "an empty fields[users]= leaves only type, id and links" {
	get '/api/users/1?fields%5Busers%5D='
	expect_status 200
	same "resource" "$(jqb -c '.data')" "{\"type\":\"users\",\"id\":\"1\",\"links\":{\"self\":\"$BASE/api/users/1\"}}"
	get '/api/users?fields%5Busers%5D=&page%5Bsize%5D=3'
	expect_status 200
	same "list keys" "$(jqb -c '[.data[] | keys] | unique')" '[["id","links","type"]]'
}

@test "fields=x and fields[]=x: 400 An entity type is not specified." {
	get '/api/users?fields=username'
	expect_query_error "filter constraint" fields "An entity type is not specified."
	get '/api/users/1?fields%5B%5D=username'
	expect_query_error "filter constraint" "fields[]" "An entity type is not specified."
}

@test "fields[nope]=x: 400 An entity type is not known., source.parameter fields[nope]" {
	get '/api/users?fields%5Bnope%5D=username'
	expect_query_error "filter constraint" "fields[nope]" "An entity type is not known."
	get '/api/users/1?fields%5Bnope%5D=x'
	expect_query_error "filter constraint" "fields[nope]" "An entity type is not known."
}

@test "an association left out of fields for the primary type is neither rendered nor included" {
	get '/api/users/1?fields%5Busers%5D=username&include=owner,roles'
	expect_status 200
	same "relationships" "$(jqb -c '.data.relationships // {} | keys')" '[]'
	same "document keys" "$(jqb -c 'keys')" '["data"]'
	# Only roles kept: only roles included.
	get '/api/users/1?fields%5Busers%5D=username,roles&include=owner,roles'
	expect_status 200
	same "relationships" "$(jqb -c '.data.relationships | keys')" '["roles"]'
	same "included" "$(included_keys)" "$(admin_role_keys)"
}

@test "a nested association left out of fields for the included type is not included (full linkage)" {
	get '/api/contacts/1?include=owner.owner&fields%5Busers%5D=username'
	expect_status 200
	same "included" "$(included_keys)" "users/$(db 'SELECT owner_id FROM contacts WHERE id=1')"
	expect_unique_and_linked
}

# --- 6.4 include ------------------------------------------------------------

@test "include=owner (to-one) on an item: the related business unit in included" {
	get '/api/users/1?include=owner'
	expect_status 200
	same "included" "$(included_keys)" "businessunits/1"
	same "name" "$(jqb '.included[0].attributes.name')" "Acme HQ"
	same "self" "$(jqb '.included[0].links.self')" "$BASE/api/businessunits/1"
}

@test "include=roles (to-many) on an item: every linked role once" {
	get '/api/users/1?include=roles'
	expect_status 200
	same "included" "$(included_keys)" \
		"$(db "SELECT CONCAT('userroles/', role_id) FROM user_roles WHERE user_id=1 " | LC_ALL=C sort | paste -sd' ' -)"
	same "labels" "$(jqb '[.included[] | .attributes.label] | sort | join(",")')" \
		"$(db "SELECT GROUP_CONCAT(r.label ORDER BY r.label SEPARATOR ',') FROM user_roles ur
		       JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = 1")"
}

@test "include=owner.owner.organization on a contact: three nested levels" {
	get '/api/contacts/1?include=owner.owner.organization'
	expect_status 200
	local u b
	u=$(db 'SELECT owner_id FROM contacts WHERE id=1')
	b=$(db "SELECT business_unit_id FROM users WHERE id=$u")
	same "included" "$(included_keys)" "$(printf '%s\n' "businessunits/$b" organizations/1 "users/$u" | LC_ALL=C sort | paste -sd' ' -)"
	expect_unique_and_linked
}

@test "include with several paths (owner,country,accounts) includes each path's records" {
	get '/api/contacts/1?include=owner,country,accounts'
	expect_status 200
	local want
	want=$(db "SELECT CONCAT('users/', owner_id) FROM contacts WHERE id=1
	           UNION SELECT CONCAT('countries/', country_code) FROM contacts WHERE id=1 AND country_code IS NOT NULL
	           UNION SELECT CONCAT('accounts/', account_id) FROM account_contacts WHERE contact_id=1" | LC_ALL=C sort | paste -sd' ' -)
	same "included" "$(included_keys)" "$want"
	expect_unique_and_linked
}

@test "include on a list page: the related records of that page only, each once" {
	get '/api/contacts?include=owner,country&page%5Bsize%5D=5&page%5Bnumber%5D=2'
	expect_status 200
	local want
	want=$(db "SELECT DISTINCT CONCAT('users/', owner_id) FROM (SELECT * FROM contacts WHERE organization_id=1 ORDER BY id LIMIT 5 OFFSET 5) c
	           UNION SELECT DISTINCT CONCAT('countries/', country_code) FROM (SELECT * FROM contacts WHERE organization_id=1 ORDER BY id LIMIT 5 OFFSET 5) c
	           WHERE country_code IS NOT NULL" | LC_ALL=C sort | paste -sd' ' -)
	same "included" "$(included_keys)" "$want"
	expect_unique_and_linked
}

@test "include=owner,assignedTo: a user reached by both paths is included once" {
	get "/api/contacts?include=owner,assignedTo&$ALL"
	expect_status 200
	local want
	want=$(db "SELECT CONCAT('users/', owner_id) FROM contacts WHERE organization_id=1
	           UNION SELECT CONCAT('users/', assigned_to_id) FROM contacts WHERE organization_id=1 AND assigned_to_id IS NOT NULL" | LC_ALL=C sort | paste -sd' ' -)
	same "included" "$(included_keys)" "$want"
	expect_unique_and_linked
}

@test "include=reportsTo: a contact in the primary data is never repeated in included" {
	# Page 1 (contacts 1..10): 2 and 3 report to 1, 7 to 8: all on the page.
	get '/api/contacts?include=reportsTo'
	expect_status 200
	same "page 1 keys" "$(jqb -c 'keys')" '["data","links"]'
	# Page 2 (11..20): what they report to, minus the page itself.
	get '/api/contacts?include=reportsTo&page%5Bnumber%5D=2'
	expect_status 200
	local want
	want=$(db "SELECT DISTINCT CONCAT('contacts/', c.reports_to_id)
	           FROM (SELECT * FROM contacts WHERE organization_id=1 ORDER BY id LIMIT 10 OFFSET 10) c
	           WHERE c.reports_to_id IS NOT NULL AND c.reports_to_id NOT IN
	             (SELECT id FROM (SELECT id FROM contacts WHERE organization_id=1 ORDER BY id LIMIT 10 OFFSET 10) p)" |
		LC_ALL=C sort | paste -sd' ' -)
	[ -n "$want" ]
	same "page 2 included" "$(included_keys)" "$want"
	expect_unique_and_linked
	# All pages at once: reportsTo targets are all in the data.
	get "/api/contacts?include=reportsTo&$ALL"
	expect_status 200
	same "all keys" "$(jqb -c 'keys')" '["data","links"]'
}

@test "include=owner.users on a user: the user itself, reached again, is not in included" {
	get '/api/users/1?include=owner.users'
	expect_status 200
	local want
	want=$(db "SELECT CONCAT('users/', ub.user_id) FROM user_business_units ub JOIN users u ON u.id=ub.user_id
	           WHERE ub.business_unit_id=1 AND u.organization_id=1 AND u.id<>1
	           UNION SELECT 'businessunits/1'" | LC_ALL=C sort | paste -sd' ' -)
	same "included" "$(included_keys)" "$want"
	expect_unique_and_linked
}

@test "full linkage on small pages: every included resource is referenced, the row after the page adds nothing" {
	local p
	for p in 1 2 3 7; do
		get "/api/contacts?include=owner.owner,country,reportsTo,accounts&page%5Bsize%5D=3&page%5Bnumber%5D=$p"
		expect_status 200
		expect_unique_and_linked || { echo "page $p" >&2; return 1; }
	done
	get '/api/accounts?include=defaultContact.owner,contacts.country,owner&page%5Bsize%5D=1&page%5Bnumber%5D=2'
	expect_status 200
	expect_unique_and_linked
	local want
	want=$(db "SELECT CONCAT('users/', owner_id) FROM accounts WHERE id=2
	           UNION SELECT CONCAT('contacts/', default_contact_id) FROM accounts WHERE id=2 AND default_contact_id IS NOT NULL
	           UNION SELECT CONCAT('users/', c.owner_id) FROM accounts a JOIN contacts c ON c.id=a.default_contact_id WHERE a.id=2
	           UNION SELECT CONCAT('contacts/', contact_id) FROM account_contacts WHERE account_id=2
	           UNION SELECT CONCAT('countries/', c.country_code) FROM account_contacts ac JOIN contacts c ON c.id=ac.contact_id
	             WHERE ac.account_id=2 AND c.country_code IS NOT NULL" | LC_ALL=C sort | paste -sd' ' -)
	same "included of account 2" "$(included_keys)" "$want"
}

@test "include=nope: unknown names are ignored, nothing included" {
	get '/api/users/1?include=nope'
	expect_status 200
	same "keys" "$(jqb -c 'keys')" '["data"]'
	get '/api/users/1?include=nope,owner'
	expect_status 200
	same "included" "$(included_keys)" "businessunits/1"
}

@test "include= (empty): 400 Expected not empty string value. Given \"\"." {
	get '/api/users/1?include='
	expect_query_error "filter constraint" include 'Expected not empty string value. Given "".'
	get '/api/users?include='
	expect_query_error "filter constraint" include 'Expected not empty string value. Given "".'
}

@test "include with stray commas: 400 Expected an array of not empty strings. Given \"owner,\"." {
	get '/api/users/1?include=owner,'
	expect_query_error "filter constraint" include 'Expected an array of not empty strings. Given "owner,".'
	get '/api/users/1?include=,owner'
	expect_query_error "filter constraint" include 'Expected an array of not empty strings. Given ",owner".'
	get '/api/users?include=owner,,roles'
	expect_query_error "filter constraint" include 'Expected an array of not empty strings. Given "owner,,roles".'
}

@test "include deeper than 3 levels: 400 The include path is too deep." {
	get '/api/contacts/1?include=owner.owner.owner.organization'
	expect_query_error "filter constraint" include "The include path is too deep."
	get '/api/contacts?include=country,owner.owner.owner.owner'
	expect_query_error "filter constraint" include "The include path is too deep."
}

@test "include of a null to-one (a top unit's owner) gives no included member" {
	get '/api/businessunits/1?include=owner'
	expect_status 200
	same "keys" "$(jqb -c 'keys')" '["data"]'
	same "linkage" "$(jqb -c '.data.relationships.owner.data')" null
	get '/api/userroles/1?include=organization'
	expect_status 200
	same "keys (shared role)" "$(jqb -c 'keys')" '["data"]'
}

@test "include on a list route: /api/businessunits?include=organization includes organization 1 once" {
	get '/api/businessunits?include=organization'
	expect_status 200
	same "ids" "$(api_ids)" "$(db_ids 'SELECT id FROM business_units WHERE organization_id=1 ORDER BY id')"
	same "included" "$(included_keys)" "organizations/1"
	same "name" "$(jqb '.included[0].attributes.name')" "Acme Inc"
}

@test "include on a to-many subresource route: /api/accounts/1/contacts?include=country" {
	get '/api/accounts/1/contacts?include=country'
	expect_status 200
	same "included" "$(included_keys)" \
		"$(db "SELECT DISTINCT CONCAT('countries/', c.country_code) FROM account_contacts ac JOIN contacts c ON c.id=ac.contact_id
		       WHERE ac.account_id=1 AND c.country_code IS NOT NULL" | LC_ALL=C sort | paste -sd' ' -)"
	expect_unique_and_linked
}

@test "include on a to-one subresource route: /api/users/1/owner?include=organization" {
	get '/api/users/1/owner?include=organization'
	expect_status 200
	same "data" "$(jqb -c '[.data.type, .data.id]')" '["businessunits","1"]'
	same "included" "$(included_keys)" "organizations/1"
}

@test "include never brings in records of another organization (to-one and to-many across organizations)" {
	# Rows the API could not create: contact 5 reports to org 2's contact
	# 61, user 1 holds org 2's role 6. User 1's roles are read before role 6
	# is added: it must not be included. A link of account 1 with contact 61
	# the database refuses (account_contacts keys both ends to its
	# organization).
	local roles
	roles=$(admin_role_keys)
	run db "INSERT INTO account_contacts (organization_id, account_id, contact_id) VALUES (1, 1, 61)"
	[ "$status" -ne 0 ]
	[[ "$output" == *"foreign key constraint fails"* ]]
	db "UPDATE contacts SET reports_to_id=61 WHERE id=5;
	    INSERT INTO user_roles (user_id, role_id) VALUES (1, 6)"
	get '/api/contacts/5?include=reportsTo'
	expect_status 200
	same "contacts/5 keys" "$(jqb -c 'keys')" '["data"]'
	get '/api/accounts/1?include=contacts'
	expect_status 200
	same "accounts/1 included" "$(included_keys)" "contacts/1 contacts/2 contacts/3"
	get '/api/users/1?include=roles'
	expect_status 200
	same "users/1 included" "$(included_keys)" "$roles"
	get "/api/contacts?include=reportsTo,accounts&$ALL"
	expect_status 200
	same "foreign included" "$(jqb '[.included[]? | select(.type == "contacts" and .id == "61")] | length')" 0
}

# --- 6.4 meta ---------------------------------------------------------------

# expect_titles TYPE SQL: meta=title of every TYPE record equals SQL's
# "id<TAB>title" rows (in id order).
expect_titles() {
	get "/api/$1?meta=title&$ALL"
	expect_status 200 || return 1
	local want
	want=$(db "$2")
	[ -n "$want" ] || return 1
	same "$1 titles" "$(jqb -r '.data[] | "\(.id)\t\(.meta.title)"')" "$want"
}

@test "meta=title on users is first and last name" {
	expect_titles users "SELECT id, CONCAT_WS(' ', first_name, last_name) FROM users WHERE organization_id=1 ORDER BY id"
	get '/api/users/1?meta=title'
	same "users/1" "$(jqb -c '.data.meta')" '{"title":"John Doe"}'
}

@test "meta=title on contacts is first and last name (one of them may be missing)" {
	expect_titles contacts "SELECT id, CONCAT_WS(' ', first_name, last_name) FROM contacts WHERE organization_id=1 ORDER BY id"
}

@test "meta=title on accounts is the name" {
	expect_titles accounts "SELECT id, name FROM accounts WHERE organization_id=1 ORDER BY id"
	get '/api/accounts/1?meta=title'
	same "accounts/1" "$(jqb .data.meta.title)" "Acme Widgets"
}

@test "meta=title on calls is the subject" {
	expect_titles calls "SELECT id, subject FROM calls WHERE organization_id=1 ORDER BY id"
}

@test "meta=title on countries is the name" {
	expect_titles countries "SELECT iso2_code, name FROM countries ORDER BY iso2_code"
	get '/api/countries/US?meta=title'
	same "countries/US" "$(jqb .data.meta.title)" "United States"
}

@test "meta=title on userroles is the label" {
	expect_titles userroles "SELECT id, label FROM roles WHERE organization_id=1 OR organization_id IS NULL ORDER BY id"
}

@test "meta=title on organizations and businessunits is the name" {
	expect_titles organizations "SELECT id, name FROM organizations WHERE id=1"
	expect_titles businessunits "SELECT id, name FROM business_units WHERE organization_id=1 ORDER BY id"
}

@test "meta=title is also on included resources" {
	get '/api/contacts/1?include=owner.owner,country&meta=title'
	expect_status 200
	local u b cc
	u=$(db 'SELECT owner_id FROM contacts WHERE id=1')
	b=$(db "SELECT business_unit_id FROM users WHERE id=$u")
	cc=$(db 'SELECT country_code FROM contacts WHERE id=1')
	same "primary" "$(jqb .data.meta.title)" "$(db "SELECT CONCAT_WS(' ', first_name, last_name) FROM contacts WHERE id=1")"
	same "user" "$(jqb --arg id "$u" '.included[] | select(.type == "users" and .id == $id) | .meta.title')" \
		"$(db "SELECT CONCAT_WS(' ', first_name, last_name) FROM users WHERE id=$u")"
	same "unit" "$(jqb --arg id "$b" '.included[] | select(.type == "businessunits" and .id == $id) | .meta.title')" \
		"$(db "SELECT name FROM business_units WHERE id=$b")"
	same "country" "$(jqb --arg id "$cc" '.included[] | select(.type == "countries" and .id == $id) | .meta.title')" \
		"$(db "SELECT name FROM countries WHERE iso2_code='$cc'")"
	same "every included has a title" "$(jqb '[.included[] | .meta.title | type] | unique | join(",")')" string
}

@test "without meta=title resources carry no meta" {
	get '/api/users/1?include=owner'
	expect_status 200
	same "meta" "$(jqb -c '[.data, .included[]] | map(has("meta")) | unique')" '[false]'
}

@test "meta=foo: 400 The \"foo\" is not known meta property. Known properties: title." {
	get '/api/users/1?meta=foo'
	expect_query_error "filter constraint" meta 'The "foo" is not known meta property. Known properties: title.'
	get '/api/users?meta=foo'
	expect_query_error "filter constraint" meta 'The "foo" is not known meta property. Known properties: title.'
}

# --- 7 X-Include ------------------------------------------------------------

@test "X-Include: totalCount on a list gives X-Include-Total-Count, paging ignored" {
	local n
	n=$(db 'SELECT COUNT(*) FROM contacts WHERE organization_id=1')
	for q in '' '?page%5Bsize%5D=7&page%5Bnumber%5D=3' '?page%5Bsize%5D=-1' '?page%5Bsize%5D=0' \
		'?page%5Bnumber%5D=99' '?sort=-lastName&include=owner'; do
		get "/api/contacts$q" -H 'X-Include: totalCount'
		expect_status 200
		same "contacts$q" "$(header X-Include-Total-Count)" "$n"
	done
}

@test "X-Include: totalCount on a subresource list (/api/organizations/1/users) counts the related records" {
	get '/api/organizations/1/users?page%5Bsize%5D=3' -H 'X-Include: totalCount'
	expect_status 200
	same "count" "$(header X-Include-Total-Count)" "$(db 'SELECT COUNT(*) FROM users WHERE organization_id=1')"
	same "page" "$(jqb '.data | length')" 3
	get '/api/accounts/1/contacts' -H 'X-Include: totalCount'
	expect_status 200
	same "accounts/1/contacts" "$(header X-Include-Total-Count)" \
		"$(db 'SELECT COUNT(*) FROM account_contacts ac JOIN contacts c ON c.id=ac.contact_id WHERE ac.account_id=1 AND c.organization_id=1')"
}

@test "X-Include: totalCount on a to-many relationship (/api/users/1/relationships/businessUnits)" {
	local n
	n=$(db 'SELECT COUNT(*) FROM user_business_units ub JOIN business_units b ON b.id=ub.business_unit_id
	        WHERE ub.user_id=1 AND b.organization_id=1')
	get '/api/users/1/relationships/businessUnits' -H 'X-Include: totalCount'
	expect_status 200
	same "count" "$(header X-Include-Total-Count)" "$n"
	get '/api/users/1/relationships/businessUnits?page%5Bsize%5D=1&page%5Bnumber%5D=2' -H 'X-Include: totalCount'
	expect_status 200
	same "count, page 2 of 1" "$(header X-Include-Total-Count)" "$n"
	same "page" "$(jqb '.data | length')" 1
}

@test "without X-Include there is no X-Include-Total-Count" {
	get '/api/contacts'
	expect_status 200
	same "header" "$(header X-Include-Total-Count)" ""
	get '/api/users/1/relationships/businessUnits'
	same "header (relationship)" "$(header X-Include-Total-Count)" ""
}

@test "X-Include-Total-Count never comes with an error (400 sort, 400 page, 404 parent)" {
	get '/api/contacts?sort=nope' -H 'X-Include: totalCount'
	expect_status 400
	same "400 sort" "$(grep -ci '^X-Include-Total-Count:' "$BATS_TEST_TMPDIR/headers")" 0
	get '/api/contacts?page%5Bsize%5D=x' -H 'X-Include: totalCount'
	expect_status 400
	same "400 page" "$(grep -ci '^X-Include-Total-Count:' "$BATS_TEST_TMPDIR/headers")" 0
	get '/api/users/999999/roles' -H 'X-Include: totalCount'
	expect_status 404
	same "404" "$(grep -ci '^X-Include-Total-Count:' "$BATS_TEST_TMPDIR/headers")" 0
}

@test "X-Include: noHateoas removes every links member: resources, relationships, included, top level" {
	get '/api/users?include=owner,roles&page%5Bsize%5D=3&page%5Bnumber%5D=2' -H 'X-Include: noHateoas'
	expect_status 200
	same "links anywhere" "$(jqb -c '[paths | select(.[-1] == "links")]')" '[]'
	same "ids" "$(api_ids)" "$(db_ids 'SELECT id FROM users WHERE organization_id=1 ORDER BY id LIMIT 3 OFFSET 3')"
	same "data kept" "$(jqb -c '[.data[] | [(.attributes | has("username")), (.relationships.owner.data.type)]] | unique')" \
		'[[true,"businessunits"]]'
	[ "$(jqb '.included | length')" -gt 0 ]
	get '/api/users/1?include=owner' -H 'X-Include: noHateoas'
	expect_status 200
	same "item links" "$(jqb -c '[paths | select(.[-1] == "links")]')" '[]'
	same "item data" "$(jqb -c '[.data.attributes.username, .data.relationships.owner.data.id, .included[0].id]')" '["admin","1","1"]'
}

@test "X-Include: noHateoas on relationship and subresource routes" {
	get '/api/users/1/relationships/owner' -H 'X-Include: noHateoas'
	expect_status 200
	same "to-one" "$(jqb -c .)" '{"data":{"type":"businessunits","id":"1"}}'
	get '/api/users/1/relationships/roles?page%5Bsize%5D=1' -H 'X-Include: noHateoas'
	expect_status 200
	same "to-many" "$(jqb -c .)" '{"data":[{"type":"userroles","id":"1"}]}'
	get '/api/users/1/roles' -H 'X-Include: noHateoas'
	expect_status 200
	same "subresource" "$(jqb -c '[paths | select(.[-1] == "links")]')" '[]'
	same "subresource ids" "$(api_ids)" "$(db_ids "$ADMIN_ROLES_SQL")"
}

@test "X-Include with unknown keys only changes nothing" {
	get '/api/users?page%5Bsize%5D=2' -H 'X-Include: foo;bar'
	expect_status 200
	same "links" "$(jqb .links.self)" "$BASE/api/users"
	same "header" "$(header X-Include-Total-Count)" ""
}

@test "X-Include: totalCount;noHateoas applies both; unknown keys and spaces around them are ignored" {
	local n
	n=$(db 'SELECT COUNT(*) FROM users WHERE organization_id=1')
	for h in 'totalCount;noHateoas' 'noHateoas;totalCount' 'foo; totalCount ; noHateoas;bar'; do
		get '/api/users?page%5Bsize%5D=2' -H "X-Include: $h"
		expect_status 200
		same "count ($h)" "$(header X-Include-Total-Count)" "$n"
		same "links ($h)" "$(jqb -c '[paths | select(.[-1] == "links")]')" '[]'
		same "ids ($h)" "$(api_ids)" "1,3"
	done
}
