#!/usr/bin/env bats
# Section 4 (first rule): every request acts in one organization; records of
# other organizations do not exist for it (404, never listed, never linked).
# Demo data: org 1 Acme (admin), org 2 Globex (globex_admin; admin is also a
# member and acts there with $ADMIN_ORG2_KEY).
load helpers/common

NOT_FOUND_DETAIL='An entity with the requested identifier does not exist.'

teardown() {
	# Rows some tests add across organizations (never in the demo data).
	db "DELETE FROM user_roles WHERE user_id=2 AND role_id=3;
	    DELETE FROM account_contacts WHERE account_id=26 AND contact_id=${ISO_EXTRA:-0};
	    DELETE FROM user_business_units WHERE user_id=2 AND business_unit_id=1;
	    UPDATE contacts SET reports_to_id=NULL WHERE id=61 AND reports_to_id=1;
	    DELETE FROM async_operations WHERE entity_type='isolation-test'"
}

as_globex() { get_as globex_admin "$GLOBEX_KEY" "$@"; }
as_admin2() { get_as admin "$ADMIN_ORG2_KEY" "$@"; }

# expect_404: the JSON:API 404 for a record that does not exist.
expect_404() {
	expect_error 404 'not found http exception' "$NOT_FOUND_DETAIL"
}

# walk USER KEY PATH: GETs PATH and every page its links.next leads to;
# writes every resource object (one compact JSON per line) to $WALK.
walk() {
	local user=$1 key=$2 path=$3 pages=0 next
	WALK="$BATS_TEST_TMPDIR/walk"
	: > "$WALK"
	while [ -n "$path" ]; do
		get_as "$user" "$key" "$path"
		expect_status 200 || return 1
		jqb -c '.data[]' >> "$WALK"
		next=$(jqb '.links.next // empty')
		if [ -n "$next" ] && [[ "$next" != "$API_URL/"* ]]; then
			echo "links.next is not under $API_URL: $next" >&2
			return 1
		fi
		path=${next#"$API_URL"}
		pages=$((pages + 1))
		if [ $pages -gt 50 ]; then
			echo "more than 50 pages" >&2
			return 1
		fi
	done
	WALK_PAGES=$pages
}

walk_ids() { jq -r '.id' "$WALK" | sort -n | tr '\n' ' '; }
sorted_ids() { sort -n | tr '\n' ' '; } # stdin: one id a line

# same_ids LABEL ACTUAL EXPECTED
same_ids() {
	if [ "$2" != "$3" ]; then
		echo "$1: got [$2], expected [$3]" >&2
		return 1
	fi
}

# linkage_ids FILTER: the ids of a to-many linkage in the last body, sorted.
linkage_ids() { jqb "$1 | map(.id) | .[]" | sorted_ids; }

# linked_everywhere FETCH PATH ASSOC TYPE EXPECTED: read with FETCH (get,
# as_globex), the ids of PATH?include=ASSOC's linkage and of its included
# TYPE records, of PATH/ASSOC and of PATH/relationships/ASSOC are each
# exactly EXPECTED.
linked_everywhere() {
	local fetch=$1 path=$2 assoc=$3 type=$4 want=$5
	"$fetch" "$path?include=$assoc"
	expect_status 200 || return 1
	same_ids "$path $assoc" "$(linkage_ids ".data.relationships.$assoc.data")" "$want" || return 1
	same_ids "$path included" "$(linkage_ids "[.included[] | select(.type == \"$type\")]")" "$want" ||
		return 1
	"$fetch" "$path/$assoc"
	expect_status 200 || return 1
	same_ids "$path/$assoc" "$(linkage_ids .data)" "$want" || return 1
	"$fetch" "$path/relationships/$assoc"
	expect_status 200 || return 1
	same_ids "$path/relationships/$assoc" "$(linkage_ids .data)" "$want"
}

@test "globex_admin (org 2) gets 404 for org 1's user 1, and 200 for its own user 2" {
	as_globex /api/users/1
	expect_404
	as_globex /api/users/2
	expect_status 200
	[ "$(jqb .data.id)" = 2 ]
}

@test "globex_admin gets 404 for org 1's account 1, and 200 for org 2's account 26" {
	as_globex /api/accounts/1
	expect_404
	as_globex /api/accounts/26
	expect_status 200
	[ "$(jqb .data.id)" = 26 ]
}

@test "globex_admin gets 404 for org 1's contact 1, and 200 for org 2's contact 61" {
	as_globex /api/contacts/1
	expect_404
	as_globex /api/contacts/61
	expect_status 200
	[ "$(jqb .data.id)" = 61 ]
}

@test "globex_admin gets 404 for org 1's call 1, and 200 for org 2's call 121" {
	as_globex /api/calls/1
	expect_404
	as_globex /api/calls/121
	expect_status 200
	[ "$(jqb .data.id)" = 121 ]
}

@test "globex_admin gets 404 for org 1's business unit 1, and 200 for org 2's unit 5" {
	as_globex /api/businessunits/1
	expect_404
	as_globex /api/businessunits/5
	expect_status 200
	[ "$(jqb .data.id)" = 5 ]
}

@test "globex_admin gets 404 for organization 1, and 200 for its own organization 2" {
	as_globex /api/organizations/1
	expect_404
	as_globex /api/organizations/3
	expect_404
	as_globex /api/organizations/2
	expect_status 200
	[ "$(jqb .data.attributes.name)" = 'Globex Corp' ]
}

@test "admin (org 1) gets 404 for org 2's records" {
	local p
	for p in users/2 accounts/26 contacts/61 calls/121 businessunits/5 organizations/2; do
		get "/api/$p"
		expect_404 || { echo "path: /api/$p" >&2; return 1; }
	done
}

@test "globex_admin's user list, every page of page[size]=100, holds exactly org 2's users, each in organization 2" {
	walk globex_admin "$GLOBEX_KEY" '/api/users?page%5Bsize%5D=100'
	same_ids users "$(walk_ids)" "$(db 'SELECT id FROM users WHERE organization_id=2' | sorted_ids)"
	local orgs
	orgs=$(jq -r '.relationships.organization.data.id' "$WALK" | sort -u | tr '\n' ' ')
	[ "$orgs" = "2 " ] || { echo "organizations seen: $orgs" >&2; return 1; }
}

@test "globex_admin's user list walked with page[size]=4 (several pages) holds exactly org 2's users" {
	walk globex_admin "$GLOBEX_KEY" '/api/users?page%5Bsize%5D=4'
	[ "$WALK_PAGES" -eq 5 ]
	same_ids users "$(walk_ids)" "$(db 'SELECT id FROM users WHERE organization_id=2' | sorted_ids)"
	[ "$(jq -r '.relationships.organization.data.id' "$WALK" | sort -u)" = 2 ]
}

@test "globex_admin's account, contact, call and business-unit lists (all pages) hold exactly org 2's records" {
	local t table
	for t in accounts:accounts contacts:contacts calls:calls businessunits:business_units; do
		table=${t#*:}
		t=${t%%:*}
		walk globex_admin "$GLOBEX_KEY" "/api/$t?page%5Bsize%5D=7"
		same_ids "$t" "$(walk_ids)" "$(db "SELECT id FROM $table WHERE organization_id=2" | sorted_ids)"
		[ "$(jq -r '.relationships.organization.data.id' "$WALK" | sort -u)" = 2 ] ||
			{ echo "$t: an organization other than 2 in the list" >&2; return 1; }
	done
}

@test "globex_admin's organization list holds only organization 2" {
	walk globex_admin "$GLOBEX_KEY" /api/organizations
	same_ids organizations "$(walk_ids)" "2 "
}

@test "admin's organization list with the org 1 key holds only organization 1" {
	walk admin "$ADMIN_KEY" /api/organizations
	same_ids organizations "$(walk_ids)" "1 "
}

@test "admin with its org 2 key acts in org 2: sees organization 2, not org 1's accounts" {
	as_admin2 /api/organizations/2
	expect_status 200
	[ "$(jqb .data.attributes.name)" = 'Globex Corp' ]
	as_admin2 /api/organizations/1
	expect_404
	as_admin2 /api/accounts/1
	expect_404
	as_admin2 /api/accounts/26
	expect_status 200
	walk admin "$ADMIN_ORG2_KEY" '/api/accounts?page%5Bsize%5D=100'
	same_ids accounts "$(walk_ids)" "$(db 'SELECT id FROM accounts WHERE organization_id=2' | sorted_ids)"
	walk admin "$ADMIN_ORG2_KEY" /api/organizations
	same_ids organizations "$(walk_ids)" "2 "
}

@test "admin with its org 1 key sees org 1's accounts and not org 2's" {
	get /api/accounts/26
	expect_404
	walk admin "$ADMIN_KEY" '/api/accounts?page%5Bsize%5D=100'
	same_ids accounts "$(walk_ids)" "$(db 'SELECT id FROM accounts WHERE organization_id=1' | sorted_ids)"
}

@test "countries (shared) are visible to both organizations: the same full list and the same items" {
	local all
	all=$(db 'SELECT iso2_code FROM countries ORDER BY iso2_code' | tr '\n' ' ')
	walk admin "$ADMIN_KEY" '/api/countries?page%5Bsize%5D=100'
	[ "$(jq -r .id "$WALK" | tr '\n' ' ')" = "$all" ]
	walk globex_admin "$GLOBEX_KEY" '/api/countries?page%5Bsize%5D=100'
	[ "$(jq -r .id "$WALK" | tr '\n' ' ')" = "$all" ]
	get /api/countries/US
	expect_status 200
	local a=$BODY
	as_globex /api/countries/US
	expect_status 200
	[ "$(jq -cS .data.attributes <<< "$a")" = "$(jqb -cS .data.attributes)" ]
	[ "$(jqb .data.attributes.name)" = 'United States' ]
}

@test "userroles: shared roles (NULL organization) and org 1's roles for org 1, shared and org 2's for org 2" {
	walk admin "$ADMIN_KEY" '/api/userroles?page%5Bsize%5D=100'
	same_ids "org 1 roles" "$(walk_ids)" \
		"$(db 'SELECT id FROM roles WHERE organization_id IS NULL OR organization_id=1' | sorted_ids)"
	[ "$(walk_ids)" = "1 2 3 4 5 9 10 11 " ]
	walk globex_admin "$GLOBEX_KEY" '/api/userroles?page%5Bsize%5D=100'
	same_ids "org 2 roles" "$(walk_ids)" \
		"$(db 'SELECT id FROM roles WHERE organization_id IS NULL OR organization_id=2' | sorted_ids)"
	[ "$(walk_ids)" = "1 2 6 7 8 11 " ]
}

@test "userroles: a shared role is readable from both orgs with a null organization; org roles only in their org" {
	get /api/userroles/1
	expect_status 200
	[ "$(jqb -c .data.relationships.organization.data)" = null ]
	as_globex /api/userroles/1
	expect_status 200
	[ "$(jqb -c .data.relationships.organization.data)" = null ]
	get /api/userroles/3
	expect_status 200
	as_globex /api/userroles/3
	expect_404
	as_globex /api/userroles/6
	expect_status 200
	[ "$(jqb .data.relationships.organization.data.id)" = 2 ]
	get /api/userroles/6
	expect_404
}

@test "a shared role's users linkage and users subresource show only the requesting org's users" {
	# Role 1 (ROLE_ADMINISTRATOR) is held by users 1 (org 1), 2 (org 2), 4 (org 3).
	get /api/userroles/1
	expect_status 200
	same_ids "org 1 linkage" "$(linkage_ids .data.relationships.users.data)" "1 "
	as_globex /api/userroles/1
	expect_status 200
	same_ids "org 2 linkage" "$(linkage_ids .data.relationships.users.data)" "2 "
	as_globex '/api/userroles/1/users?page%5Bsize%5D=100'
	expect_status 200
	same_ids "org 2 subresource" "$(linkage_ids .data)" "2 "
	as_globex '/api/userroles/1/relationships/users?page%5Bsize%5D=100'
	expect_status 200
	same_ids "org 2 relationship" "$(linkage_ids .data)" "2 "
	# Role 2 (ROLE_USER) spans organizations 1 and 2.
	walk globex_admin "$GLOBEX_KEY" '/api/userroles/2/users?page%5Bsize%5D=5'
	same_ids "role 2 users for org 2" "$(walk_ids)" \
		"$(db 'SELECT u.id FROM user_roles ur JOIN users u ON u.id=ur.user_id WHERE ur.role_id=2 AND u.organization_id=2' | sorted_ids)"
}

@test "organization 2's users and businessUnits linkage hold exactly org 2's records" {
	as_globex /api/organizations/2
	expect_status 200
	same_ids users "$(linkage_ids .data.relationships.users.data)" \
		"$(db 'SELECT id FROM users WHERE organization_id=2' | sorted_ids)"
	same_ids businessUnits "$(linkage_ids .data.relationships.businessUnits.data)" "5 6 "
}

@test "/api/organizations/2/users (all pages) lists exactly org 2's users" {
	walk globex_admin "$GLOBEX_KEY" '/api/organizations/2/users?page%5Bsize%5D=5'
	same_ids users "$(walk_ids)" "$(db 'SELECT id FROM users WHERE organization_id=2' | sorted_ids)"
	[ "$(jq -r '.relationships.organization.data.id' "$WALK" | sort -u)" = 2 ]
	walk globex_admin "$GLOBEX_KEY" '/api/organizations/2/relationships/users?page%5Bsize%5D=5'
	same_ids "users linkage" "$(walk_ids)" "$(db 'SELECT id FROM users WHERE organization_id=2' | sorted_ids)"
	walk globex_admin "$GLOBEX_KEY" '/api/organizations/2/businessUnits'
	same_ids businessUnits "$(walk_ids)" "5 6 "
}

@test "organization 1 and its subresources and relationships are 404 for globex_admin" {
	local p
	for p in organizations/1 organizations/1/users organizations/1/businessUnits \
		organizations/1/relationships/users organizations/1/relationships/businessUnits; do
		as_globex "/api/$p"
		expect_404 || { echo "path: /api/$p" >&2; return 1; }
	done
}

@test "subresources and relationships of a parent in another organization are 404" {
	local p
	for p in accounts/1/contacts accounts/1/relationships/contacts accounts/1/owner \
		accounts/1/defaultContact accounts/1/relationships/owner users/1/roles \
		users/1/relationships/roles users/1/owner users/1/businessUnits contacts/1/country \
		contacts/1/accounts contacts/1/relationships/country calls/1/account calls/1/contact \
		calls/1/relationships/account businessunits/1/users businessunits/1/owner \
		businessunits/1/relationships/users; do
		as_globex "/api/$p"
		expect_404 || { echo "path: /api/$p" >&2; return 1; }
	done
}

@test "the same subresources of an org 2 parent are 200 for globex_admin" {
	local p
	for p in accounts/26/contacts accounts/26/relationships/contacts accounts/26/owner \
		users/2/roles users/2/owner contacts/61/accounts calls/121/relationships/account \
		businessunits/5/users; do
		as_globex "/api/$p"
		expect_status 200 || { echo "path: /api/$p" >&2; return 1; }
	done
}

@test "the database refuses an account-contact link across organizations; no link shows another organization's records" {
	# Links that the API could not create: org 2's account 26 with org 1's
	# contact 1 (refused by the composite keys of account_contacts, whatever
	# organization the row claims), org 2's user 2 with org 1's role 3 and
	# org 1's unit 1 (these join tables allow them: they must never show).
	local org
	for org in 2 1; do
		run db "INSERT INTO account_contacts (organization_id, account_id, contact_id) VALUES ($org, 26, 1)"
		[ "$status" -ne 0 ]
		[[ "$output" == *"foreign key constraint fails"* ]] || { echo "$output" >&2; return 1; }
	done
	[ "$(db 'SELECT COUNT(*) FROM account_contacts WHERE account_id=26 AND contact_id=1')" = 0 ]
	db "INSERT INTO user_roles (user_id, role_id) VALUES (2, 3);
	    INSERT INTO user_business_units (user_id, business_unit_id) VALUES (2, 1)"
	# A valid link of org 2 added here, so the account's linkage is fresh.
	ISO_EXTRA=$(db "SELECT MIN(id) FROM contacts WHERE organization_id=2 AND id NOT IN
	    (SELECT contact_id FROM account_contacts WHERE account_id=26)")
	db "INSERT INTO account_contacts (organization_id, account_id, contact_id) VALUES (2, 26, $ISO_EXTRA)"
	local acc26 user2roles user2units
	acc26=$(db 'SELECT c.id FROM account_contacts j JOIN contacts c ON c.id=j.contact_id
	    WHERE j.account_id=26 AND c.organization_id=2' | sorted_ids)
	[[ " $acc26" == *" $ISO_EXTRA "* ]]
	user2roles=$(db 'SELECT role_id FROM user_roles WHERE user_id=2 AND role_id<>3' | sorted_ids)
	user2units=$(db 'SELECT business_unit_id FROM user_business_units WHERE user_id=2 AND business_unit_id<>1' | sorted_ids)

	linked_everywhere as_globex /api/accounts/26 contacts contacts "$acc26"
	as_globex "/api/contacts/$ISO_EXTRA?include=accounts"
	expect_status 200
	same_ids "contacts/$ISO_EXTRA accounts" "$(linkage_ids .data.relationships.accounts.data)" \
		"$(db "SELECT account_id FROM account_contacts WHERE contact_id=$ISO_EXTRA" | sorted_ids)"
	[ "$(jqb '[.included[] | select(.type == "accounts") | .relationships.organization.data.id] | unique | join(",")')" = 2 ]

	as_globex /api/users/2
	expect_status 200
	same_ids "users/2 roles" "$(linkage_ids .data.relationships.roles.data)" "$user2roles"
	same_ids "users/2 businessUnits" "$(linkage_ids .data.relationships.businessUnits.data)" "$user2units"
	as_globex /api/users/2/roles
	expect_status 200
	same_ids "users/2/roles" "$(linkage_ids .data)" "$user2roles"
	as_globex /api/users/2/relationships/businessUnits
	expect_status 200
	same_ids "users/2/relationships/businessUnits" "$(linkage_ids .data)" "$user2units"

	# And from org 1's side: contact 1, role 3 and unit 1 do not link to org 2.
	linked_everywhere get /api/contacts/1 accounts accounts "1 2 "
	get /api/userroles/3/users?page%5Bsize%5D=100
	expect_status 200
	same_ids "userroles/3/users" "$(linkage_ids .data)" \
		"$(db 'SELECT u.id FROM user_roles ur JOIN users u ON u.id=ur.user_id WHERE ur.role_id=3 AND u.organization_id=1' | sorted_ids)"
	get /api/businessunits/1
	expect_status 200
	same_ids "businessunits/1 users" "$(linkage_ids .data.relationships.users.data)" \
		"$(db 'SELECT u.id FROM user_business_units b JOIN users u ON u.id=b.user_id WHERE b.business_unit_id=1 AND u.organization_id=1' | sorted_ids)"
}

@test "a to-one subresource whose target is in another organization is data null" {
	db "UPDATE contacts SET reports_to_id=1 WHERE id=61"
	as_globex /api/contacts/61/reportsTo
	expect_status 200
	[ "$(jqb -c .data)" = null ] || { echo "body: $BODY" >&2; return 1; }
}

@test "another organization's async operation is 404; the own organization's is 200" {
	local id1 id2
	id1=$(db "INSERT INTO async_operations (organization_id, owner_id, status, entity_type, created_at, updated_at)
	          VALUES (1, 1, 'new', 'isolation-test', UTC_TIMESTAMP(), UTC_TIMESTAMP()); SELECT LAST_INSERT_ID()")
	id2=$(db "INSERT INTO async_operations (organization_id, owner_id, status, entity_type, created_at, updated_at)
	          VALUES (2, 2, 'new', 'isolation-test', UTC_TIMESTAMP(), UTC_TIMESTAMP()); SELECT LAST_INSERT_ID()")
	get "/api/asyncoperations/$id1"
	expect_status 200
	get "/api/asyncoperations/$id2"
	expect_404
	as_globex "/api/asyncoperations/$id2"
	expect_status 200
	as_globex "/api/asyncoperations/$id1"
	expect_404
}
