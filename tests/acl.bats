#!/usr/bin/env bats
# Section 4 (roles and access levels) on the read paths, against the access-
# control demo users of sql/seed.sql (ids 51..60). Expected record sets come
# from the database with SQL of their own (the division is a recursive CTE
# over business_units.parent_id, not the service's closure code), and every
# test checks that its restriction leaves something out, so none can pass
# by seeing everything.
load helpers/common

DENIED_TITLE='access denied exception'
TYPE_DETAIL='No access to this type of entities.'
ENTITY_DETAIL='No access to the entity.'
NOT_FOUND_DETAIL='An entity with the requested identifier does not exist.'

setup_file() {
	local u
	for u in manager sales viewer teamlead hr sales_manager basic_user \
		globex_manager globex_sales globex_viewer; do
		k=$("$API_APICTL" apikey "$u" | tail -1) || return 1
		echo "$u $k" >> "$BATS_FILE_TMPDIR/keys"
	done
}

teardown() {
	# Rows the deep-division test adds (ids 9001, never in the demo data).
	db "DELETE FROM contacts WHERE id = 9001;
	    DELETE FROM user_business_units WHERE user_id = 9001;
	    DELETE FROM user_organizations WHERE user_id = 9001;
	    DELETE FROM users WHERE id = 9001;
	    DELETE FROM business_units WHERE id = 9001"
}

# as USER PATH [curl args...]: a JSON:API GET as USER (its own organization).
as() {
	local user=$1 path=$2 key
	shift 2
	if [ "$user" = admin ]; then key=$ADMIN_KEY
	elif [ "$user" = globex_admin ]; then key=$GLOBEX_KEY
	else key=$(awk -v u="$user" '$1 == u { print $2 }' "$BATS_FILE_TMPDIR/keys")
	fi
	get_as "$user" "$key" "$path" -g "$@"
}

uid() { db "SELECT id FROM users WHERE username = '$1'"; }
uorg() { db "SELECT organization_id FROM users WHERE username = '$1'"; }

# units_cte USER LEVEL: a WITH clause naming d(id) the business units of
# USER's LEVEL in USER's organization: its own units (business_unit), or
# those and every unit below them (division, a recursive CTE).
units_cte() {
	local u o own
	u=$(uid "$1")
	o=$(uorg "$1")
	own="SELECT m.business_unit_id FROM user_business_units m
		JOIN business_units b ON b.id = m.business_unit_id AND b.organization_id = $o
		WHERE m.user_id = $u"
	if [ "$2" = division ]; then
		echo "WITH RECURSIVE d(id) AS ($own UNION SELECT c.id FROM business_units c JOIN d ON c.parent_id = d.id)"
	else
		echo "WITH d(id) AS ($own)"
	fi
}

# expected_user_owned TABLE USER LEVEL: the ids (sorted, space-separated) of
# the user-owned TABLE's rows USER may see at LEVEL in its organization.
expected_user_owned() {
	local table=$1 user=$2 level=$3 u o
	u=$(uid "$user")
	o=$(uorg "$user")
	case $level in
	organization) db "SELECT id FROM $table WHERE organization_id = $o ORDER BY 1" ;;
	user) db "SELECT id FROM $table WHERE organization_id = $o AND owner_id = $u ORDER BY 1" ;;
	*) db "$(units_cte "$user" "$level") SELECT t.id FROM $table t WHERE t.organization_id = $o
		AND t.owner_id IN (SELECT mm.user_id FROM user_business_units mm
		                   WHERE mm.business_unit_id IN (SELECT id FROM d)) ORDER BY 1" ;;
	esac | tr '\n' ' '
}

# expected_users USER LEVEL: the users (unit-owned) USER may see.
expected_users() {
	local user=$1 level=$2 o
	o=$(uorg "$user")
	if [ "$level" = organization ]; then
		db "SELECT id FROM users WHERE organization_id = $o ORDER BY 1" | tr '\n' ' '
		return
	fi
	db "$(units_cte "$user" "$level") SELECT id FROM users WHERE organization_id = $o
	    AND business_unit_id IN (SELECT id FROM d) ORDER BY 1" | tr '\n' ' '
}

# api_ids USER PATH: sets IDS to every id of the (one-page) list, sorted and
# space-separated, and COUNT to its X-Include-Total-Count.
api_ids() {
	local sep='?'
	[[ $2 == *\?* ]] && sep='&'
	as "$1" "$2${sep}page[size]=1000" -H 'X-Include: totalCount'
	expect_status 200 || return 1
	COUNT=$(header X-Include-Total-Count)
	IDS=$(jqb '.data[].id' | sort -n | tr '\n' ' ')
}

# same LABEL ACTUAL EXPECTED
same() {
	if [ "$2" != "$3" ]; then
		echo "$1: got [$2], expected [$3]" >&2
		return 1
	fi
}

# not_all LABEL IDS TABLE ORG: IDS leave out some of ORG's rows and are not empty.
not_all() {
	local n all
	n=$(wc -w <<< "$2")
	all=$(db "SELECT COUNT(*) FROM $3 WHERE organization_id = $4")
	[ "$n" -gt 0 ] && [ "$n" -lt "$all" ] ||
		{ echo "$1: $n of $all rows: the check would prove nothing" >&2; return 1; }
}

# check_list USER TABLE TYPE LEVEL: list, count and streamed list agree with
# the database's set for LEVEL.
check_list() {
	local user=$1 table=$2 type=$3 level=$4 want got
	if [ "$type" = users ]; then want=$(expected_users "$user" "$level")
	else want=$(expected_user_owned "$table" "$user" "$level"); fi
	api_ids "$user" "/api/$type" || return 1
	got=$IDS
	same "$user $type list" "$got" "$want" || return 1
	same "$user $type totalCount" "$COUNT" "$(wc -w <<< "$want")" || return 1
	as "$user" "/api/$type?page[size]=-1&fields[$type]=id" -H 'X-Include: totalCount'
	expect_status 200 || return 1
	same "$user $type streamed" "$(jqb '.data[].id' | sort -n | tr '\n' ' ')" "$want" || return 1
	same "$user $type streamed count" "$(header X-Include-Total-Count)" "$(wc -w <<< "$want")"
}

# check_items USER TABLE TYPE VISIBLE_IDS: one visible record answers 200, one
# of the organization outside the set 403, one of the other organization 404.
check_items() {
	local user=$1 table=$2 type=$3 visible=$4 o in out other
	o=$(uorg "$user")
	in=$(awk '{ print $NF }' <<< "$visible")
	out=$(db "SELECT id FROM $table WHERE organization_id = $o AND id NOT IN ($(tr ' ' ',' <<< "${visible% }")) LIMIT 1")
	other=$(db "SELECT id FROM $table WHERE organization_id <> $o LIMIT 1")
	as "$user" "/api/$type/$in"
	expect_status 200 || return 1
	same "$user $type/$in" "$(jqb .data.id)" "$in" || return 1
	as "$user" "/api/$type/$out"
	expect_error 403 "$DENIED_TITLE" "$ENTITY_DETAIL" || return 1
	as "$user" "/api/$type/$other"
	expect_error 404 'not found http exception' "$NOT_FOUND_DETAIL"
}

@test "user level (sales): lists, counts, streamed lists and items of contacts, accounts, calls are its own records" {
	for t in contacts accounts calls; do
		want=$(expected_user_owned $t sales user)
		not_all "sales $t" "$want" $t 1
		check_list sales $t $t user
		check_items sales $t $t "$want"
	done
}

@test "business_unit level (teamlead, unit 2): records owned by the members of its unit, not of the unit below" {
	for t in contacts accounts calls; do
		want=$(expected_user_owned $t teamlead business_unit)
		not_all "teamlead $t" "$want" $t 1
		check_list teamlead $t $t business_unit
		check_items teamlead $t $t "$want"
	done
	# sales (unit 4, below unit 2) owns contact 4: outside teamlead's unit
	as teamlead /api/contacts/4
	expect_error 403 "$DENIED_TITLE" "$ENTITY_DETAIL"
}

@test "division level (manager, unit 2): records of the members of unit 2 and of the units below it" {
	for t in contacts accounts calls; do
		want=$(expected_user_owned $t manager division)
		not_all "manager $t" "$want" $t 1
		check_list manager $t $t division
		check_items manager $t $t "$want"
	done
	# division differs from business_unit in the demo data
	[ "$(expected_user_owned contacts manager division)" != "$(expected_user_owned contacts manager business_unit)" ]
	as manager /api/contacts/4
	expect_status 200
}

@test "division reaches every depth: a unit under Acme Sales West (two below manager's unit)" {
	db "INSERT INTO business_units (id, organization_id, parent_id, name, created_at, updated_at)
	      VALUES (9001, 1, 4, 'Acme Sales West Coast', '2016-06-01 00:00:00', '2016-06-01 00:00:00');
	    INSERT INTO users (id, organization_id, business_unit_id, username, email, created_at, updated_at)
	      VALUES (9001, 1, 9001, 'acl_deep', 'acl_deep@example.com', '2016-06-01 00:00:00', '2016-06-01 00:00:00');
	    INSERT INTO user_organizations VALUES (9001, 1);
	    INSERT INTO user_business_units VALUES (9001, 9001);
	    INSERT INTO contacts (id, organization_id, owner_id, last_name, created_at, updated_at)
	      VALUES (9001, 1, 9001, 'Deep', '2016-06-01 00:00:00', '2016-06-01 00:00:00')"
	[[ " $(expected_user_owned contacts manager division) " == *" 9001 "* ]]
	# A new unit reaches a process that cached the division within auth.cache_ttl.
	eventually "$(cache_wait)" check_list manager contacts contacts division
	settles 200 as manager /api/contacts/9001
	as teamlead /api/contacts/9001
	expect_error 403 "$DENIED_TITLE" "$ENTITY_DETAIL"
	eventually "$(cache_wait)" check_list hr users users division
	settles 200 as hr /api/users/9001
}

@test "organization level (viewer, VIEW only): every record of the organization, none of the other" {
	for t in contacts accounts calls; do
		check_list viewer $t $t organization
	done
	as viewer /api/contacts/61
	expect_error 404 'not found http exception' "$NOT_FOUND_DETAIL"
}

@test "two roles (sales_manager: SALES user level + MANAGER division): the higher level wins" {
	div=$(expected_user_owned contacts sales_manager division)
	own=$(expected_user_owned contacts sales_manager user)
	[ "$(wc -w <<< "$div")" -gt "$(wc -w <<< "$own")" ]
	for t in contacts accounts calls; do
		check_list sales_manager $t $t division
	done
}

@test "a type without VIEW (basic_user: contacts; hr: accounts): 403 on list, item, subresource and relationship" {
	for p in /api/contacts /api/contacts/1 /api/contacts/1/accounts /api/accounts/1/contacts \
		/api/accounts/1/relationships/contacts /api/users/1/roles; do
		case $p in
		/api/users/1/roles) continue ;;
		esac
		as basic_user "$p"
		expect_error 403 "$DENIED_TITLE" "$TYPE_DETAIL" || { echo "basic_user $p" >&2; return 1; }
	done
	as basic_user /api/contacts/61 # another organization's record: the type answer still
	expect_error 403 "$DENIED_TITLE" "$TYPE_DETAIL"
	as basic_user /api/users -H 'X-Include: totalCount'
	expect_status 200
	[ "$(header X-Include-Total-Count)" = "$(db 'SELECT COUNT(*) FROM users WHERE organization_id = 1')" ]
	as hr /api/accounts
	expect_error 403 "$DENIED_TITLE" "$TYPE_DETAIL"
	as hr /api/accounts/1
	expect_error 403 "$DENIED_TITLE" "$TYPE_DETAIL"
	# an explicit 'none' row: teamlead has no userroles
	as teamlead /api/userroles
	expect_error 403 "$DENIED_TITLE" "$TYPE_DETAIL"
	as teamlead /api/userroles/1
	expect_error 403 "$DENIED_TITLE" "$TYPE_DETAIL"
	as teamlead /api/users/54/roles
	expect_error 403 "$DENIED_TITLE" "$TYPE_DETAIL"
	as teamlead /api/users/54/relationships/roles
	expect_error 403 "$DENIED_TITLE" "$TYPE_DETAIL"
}

@test "unit-owned users: business_unit (teamlead), division (hr), user level acting as business_unit (globex_sales), organization (viewer)" {
	want=$(expected_users teamlead business_unit)
	not_all "teamlead users" "$want" users 1
	check_list teamlead users users business_unit
	check_items teamlead users users "$want"
	want=$(expected_users hr division)
	not_all "hr users" "$want" users 1
	[ "$want" != "$(expected_users hr business_unit)" ]
	check_list hr users users division
	check_items hr users users "$want"
	want=$(expected_users globex_sales business_unit)
	not_all "globex_sales users" "$want" users 2
	check_list globex_sales users users business_unit
	check_items globex_sales users users "$want"
	check_list viewer users users organization
}

@test "organization-owned businessunits and userroles: any level above none sees them all" {
	api_ids teamlead /api/businessunits
	got=$IDS # VIEW at user level
	same "teamlead businessunits" "$got" "$(db 'SELECT id FROM business_units WHERE organization_id = 1 ORDER BY 1' | tr '\n' ' ')"
	same "count" "$COUNT" "$(db 'SELECT COUNT(*) FROM business_units WHERE organization_id = 1')"
	as teamlead /api/businessunits/4
	expect_status 200
	as teamlead /api/businessunits/5
	expect_error 404 'not found http exception' "$NOT_FOUND_DETAIL"
	api_ids hr /api/userroles
	got=$IDS
	same "hr userroles" "$got" \
		"$(db 'SELECT id FROM roles WHERE organization_id = 1 OR organization_id IS NULL ORDER BY 1' | tr '\n' ' ')"
	api_ids globex_sales /api/userroles
	got=$IDS
	same "globex_sales userroles" "$got" \
		"$(db 'SELECT id FROM roles WHERE organization_id = 2 OR organization_id IS NULL ORDER BY 1' | tr '\n' ' ')"
}

@test "organization 2: globex_manager (division from the top unit), globex_sales (user), globex_viewer (organization)" {
	for t in contacts accounts calls; do
		check_list globex_manager $t $t division
		want=$(expected_user_owned $t globex_sales user)
		not_all "globex_sales $t" "$want" $t 2
		check_list globex_sales $t $t user
		check_items globex_sales $t $t "$want"
		check_list globex_viewer $t $t organization
	done
	as globex_sales /api/contacts/4
	expect_error 404 'not found http exception' "$NOT_FOUND_DETAIL"
	as sales /api/contacts/62
	expect_error 404 'not found http exception' "$NOT_FOUND_DETAIL"
}

@test "include leaves out what the user may not see; a type without VIEW is not included" {
	# sales' accounts with their contacts: only contacts sales owns come along
	as sales '/api/accounts?include=contacts,owner&page[size]=100'
	expect_status 200
	inc=$(jqb '[.included[]? | select(.type == "contacts") | .id] | join(",")')
	linked=$(jqb '[.data[].relationships.contacts.data[].id] | unique | join(",")')
	all=$(db "SELECT GROUP_CONCAT(DISTINCT contact_id ORDER BY contact_id) FROM account_contacts
		WHERE account_id IN (SELECT id FROM accounts WHERE owner_id = $(uid sales))")
	want=$(db "SELECT COALESCE(GROUP_CONCAT(DISTINCT ac.contact_id ORDER BY ac.contact_id), '')
		FROM account_contacts ac JOIN contacts c ON c.id = ac.contact_id
		WHERE ac.account_id IN (SELECT id FROM accounts WHERE owner_id = $(uid sales))
		AND c.owner_id = $(uid sales)")
	[ "$all" != "$want" ] || { echo "every linked contact is sales' own: proves nothing" >&2; return 1; }
	same "included contacts" "$(tr ',' '\n' <<< "$inc" | sort -n | paste -sd,)" "$want"
	# to-many linkage inside resource objects is filtered the same way
	same "linked contacts" "$(tr ',' '\n' <<< "$linked" | sort -n | paste -sd,)" "$want"
	# users are visible to sales (organization level): the owner comes along
	[ "$(jqb '[.included[] | select(.type == "users") | .id] | join(",")')" = "$(uid sales)" ]
	# teamlead has no userroles: include=roles includes nothing, linkage is empty
	as teamlead "/api/users/54?include=roles"
	expect_status 200
	[ "$(jqb '.included // [] | length')" = 0 ]
	[ "$(jqb '.data.relationships.roles.data | length')" = 0 ]
	as admin "/api/users/54?include=roles"
	[ "$(jqb '.included | length')" -gt 0 ]
}

@test "subresources and relationships: the parent checked as an item, the related list filtered" {
	s=$(uid sales)
	# an account of sales linked to contacts of sales and of others
	acc=$(db "SELECT ac.account_id FROM account_contacts ac JOIN contacts c ON c.id = ac.contact_id
		WHERE ac.account_id IN (SELECT id FROM accounts WHERE owner_id = $s)
		GROUP BY ac.account_id HAVING SUM(c.owner_id = $s) > 0 AND SUM(c.owner_id <> $s) > 0 LIMIT 1")
	[ -n "$acc" ]
	want=$(db "SELECT c.id FROM account_contacts ac JOIN contacts c ON c.id = ac.contact_id
		WHERE ac.account_id = $acc AND c.owner_id = $s ORDER BY 1" | tr '\n' ' ')
	api_ids sales "/api/accounts/$acc/contacts"
	got=$IDS
	same "accounts/$acc/contacts" "$got" "$want"
	same "count" "$COUNT" "$(wc -w <<< "$want")"
	api_ids sales "/api/accounts/$acc/relationships/contacts"
	got=$IDS
	same "accounts/$acc/relationships/contacts" "$got" "$want"
	# a parent outside the level: 403; another organization's: 404
	as sales /api/accounts/1/contacts
	expect_error 403 "$DENIED_TITLE" "$ENTITY_DETAIL"
	as sales /api/accounts/1/relationships/contacts
	expect_error 403 "$DENIED_TITLE" "$ENTITY_DETAIL"
	as sales /api/accounts/27/contacts
	expect_error 404 'not found http exception' "$NOT_FOUND_DETAIL"
	# a to-one subresource whose record is outside the level: 403 as an item
	call=$(db "SELECT x.id FROM calls x JOIN contacts c ON c.id = x.contact_id
		WHERE x.owner_id = $s AND c.owner_id <> $s LIMIT 1")
	[ -n "$call" ]
	as sales "/api/calls/$call/contact"
	expect_error 403 "$DENIED_TITLE" "$ENTITY_DETAIL"
	# ... while its linkage is the stored foreign key
	as sales "/api/calls/$call/relationships/contact"
	expect_status 200
	[ "$(jqb .data.id)" = "$(db "SELECT contact_id FROM calls WHERE id = $call")" ]
}

@test "filters through associations only match associated records the user may VIEW" {
	s=$(uid sales)
	# calls of sales whose contact exists and is visible to sales
	api_ids sales '/api/calls?filter[contact][exists]=true'
	got=$IDS
	want=$(db "SELECT x.id FROM calls x WHERE x.owner_id = $s AND x.contact_id IN
		(SELECT id FROM contacts WHERE owner_id = $s) ORDER BY 1" | tr '\n' ' ')
	same "contact exists" "$got" "$want"
	[ "$want" != "$(db "SELECT id FROM calls WHERE owner_id = $s AND contact_id IS NOT NULL ORDER BY 1" | tr '\n' ' ')" ]
	# a dotted path: the contact's last name is only seen through visible contacts
	name=$(db "SELECT c.last_name FROM calls x JOIN contacts c ON c.id = x.contact_id
		WHERE x.owner_id = $s AND c.owner_id <> $s AND c.last_name IS NOT NULL LIMIT 1")
	api_ids sales "/api/calls?filter[contact.lastName]=$name"
	got=$IDS
	want=$(db "SELECT x.id FROM calls x JOIN contacts c ON c.id = x.contact_id
		WHERE x.owner_id = $s AND c.owner_id = $s AND c.last_name = '$name' ORDER BY 1" | tr '\n' ' ')
	same "contact.lastName=$name" "$got" "$want"
	# business_unit level through two hops: calls whose contact's owner is in unit 2
	api_ids teamlead '/api/calls?filter[contact.owner.owner]=2'
	got=$IDS
	want=$(db "$(units_cte teamlead business_unit),
		v(id) AS (SELECT m.user_id FROM user_business_units m WHERE m.business_unit_id IN (SELECT id FROM d))
		SELECT x.id FROM calls x JOIN contacts c ON c.id = x.contact_id JOIN users u ON u.id = c.owner_id
		WHERE x.organization_id = 1 AND x.owner_id IN (SELECT id FROM v) AND c.owner_id IN (SELECT id FROM v)
		AND u.business_unit_id = 2 ORDER BY 1" | tr '\n' ' ')
	[ -n "${want// }" ]
	same "teamlead contact.owner.owner=2" "$got" "$want"
	# a to-many association of a type without VIEW matches nothing
	api_ids teamlead '/api/users?filter[roles][exists]=true'
	got=$IDS
	same "teamlead users with roles" "$got" ""
}

@test "sorting by an association: related records the user may not VIEW sort as missing values" {
	s=$(uid sales)
	as sales '/api/calls?sort=contact.lastName&page[size]=100'
	expect_status 200
	got=$(jqb '.data[].id' | tr '\n' ' ')
	want=$(db "SELECT x.id FROM calls x LEFT JOIN contacts c ON c.id = x.contact_id AND c.owner_id = $s
		WHERE x.owner_id = $s ORDER BY c.last_name, x.id" | tr '\n' ' ')
	same "sort=contact.lastName" "$got" "$want"
	# business_unit level: the join's condition holds a subquery
	as teamlead '/api/calls?sort=-contact.lastName&page[size]=1000'
	expect_status 200
	got=$(jqb '.data[].id' | tr '\n' ' ')
	want=$(db "$(units_cte teamlead business_unit) SELECT x.id FROM calls x
		LEFT JOIN contacts c ON c.id = x.contact_id AND c.owner_id IN
			(SELECT m.user_id FROM user_business_units m WHERE m.business_unit_id IN (SELECT id FROM d))
		WHERE x.organization_id = 1 AND x.owner_id IN
			(SELECT m.user_id FROM user_business_units m WHERE m.business_unit_id IN (SELECT id FROM d))
		ORDER BY c.last_name DESC, x.id DESC" | tr '\n' ' ')
	[ -n "${want// }" ]
	same "teamlead sort=-contact.lastName" "$got" "$want"
}

@test "administrators keep organization level everywhere (admin in both organizations, globex_admin)" {
	api_ids admin /api/contacts
	got=$IDS
	same "admin contacts" "$COUNT" "$(db 'SELECT COUNT(*) FROM contacts WHERE organization_id = 1')"
	api_ids globex_admin /api/calls
	got=$IDS
	same "globex_admin calls" "$COUNT" "$(db 'SELECT COUNT(*) FROM calls WHERE organization_id = 2')"
	get_as admin "$ADMIN_ORG2_KEY" '/api/contacts?page[size]=1' -g -H 'X-Include: totalCount'
	same "admin in org 2" "$(header X-Include-Total-Count)" "$(db 'SELECT COUNT(*) FROM contacts WHERE organization_id = 2')"
}

@test "permissions are cached at most auth.cache_ttl: a role granted, then taken away, takes effect within it" {
	db "INSERT INTO user_roles (user_id, role_id) VALUES ($(uid basic_user), 5)"
	status_after=none
	if settles 200 as basic_user /api/contacts/1; then status_after=$STATUS; fi
	db "DELETE FROM user_roles WHERE user_id = $(uid basic_user) AND role_id = 5"
	[ "$status_after" = 200 ]
	settles 403 as basic_user /api/contacts/1
	expect_error 403 "$DENIED_TITLE" "$TYPE_DETAIL"
}

@test "a failed WSSE digest is logged with the user name, never the key, digest or nonce" {
	wrong=0123456789abcdef0123456789abcdef01234567
	hdr=$("$API_APICTL" wsse sales "$wrong")
	req GET /api/contacts -H 'Accept: application/vnd.api+json' -H "$hdr"
	expect_status 401
	log="$STACK_DIR/log/lighttpd-error.log"
	digest=$(sed -n 's/.*PasswordDigest="\([^"]*\)".*/\1/p' <<< "$hdr")
	nonce=$(sed -n 's/.*Nonce="\([^"]*\)".*/\1/p' <<< "$hdr")
	grep -q 'WSSE digest mismatch for user "sales"' "$log"
	run grep -qF -e "$wrong" -e "$digest" -e "$nonce" "$log"
	[ "$status" -eq 1 ]
	hdr=$("$API_APICTL" wsse no_such_user "$wrong")
	req GET /api/contacts -H 'Accept: application/vnd.api+json' -H "$hdr"
	expect_status 401
	grep -q 'unknown or disabled user "no_such_user"' "$log"
}
