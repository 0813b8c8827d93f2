# writes_acl.bats: section 4 on the writes: CREATE, EDIT and DELETE levels,
# owners inside the level on create and re-assignment, the 403 titles, and
# organization isolation (404), with the access-control demo users of
# sql/seed.sql (51 manager: division over units 2 and 4; 52 sales: user
# level, unit 4; 53 viewer: VIEW only).
load helpers/common

DENIED='access denied exception'

setup_file() {
	local u
	for u in manager sales viewer; do
		echo "$u $("$API_APICTL" apikey "$u" | tail -1)" >> "$BATS_FILE_TMPDIR/keys"
	done
}

# as USER METHOD PATH [JSON]: a JSON:API request as USER.
as() {
	local user=$1 method=$2 path=$3 key
	key=$(awk -v u="$user" '$1 == u { print $2 }' "$BATS_FILE_TMPDIR/keys")
	local args=(-H 'Accept: application/vnd.api+json' -H "$(wsse "$user" "$key")")
	[ $# -ge 4 ] && args+=(-H 'Content-Type: application/vnd.api+json' --data-binary "$4")
	req "$method" "$path" "${args[@]}"
}

uid() { db "SELECT id FROM users WHERE username = '$1'"; }

contact_json() { # contact_json LASTNAME [OWNER_ID]
	local owner=""
	[ -n "${2:-}" ] && owner=",\"relationships\":{\"owner\":{\"data\":{\"type\":\"users\",\"id\":\"$2\"}}}"
	echo "{\"data\":{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"$1\"}$owner}}"
}

# insert_contact OWNER_ID LASTNAME: a contact stored directly (not through the API).
insert_contact() {
	db "INSERT INTO contacts (organization_id, owner_id, last_name, created_at, updated_at)
	    VALUES (1, $1, '$2', UTC_TIMESTAMP(), UTC_TIMESTAMP()); SELECT LAST_INSERT_ID()"
}

@test "sales (user level) creates a contact: it owns it by default" {
	as sales POST /api/contacts "$(contact_json AclOwnDefault)"
	expect_status 201
	[ "$(jqb .data.relationships.owner.data.id)" = "$(uid sales)" ]
}

@test "sales (user level) may not create a contact owned by someone else: 403 No access to the entity." {
	before=$(db "SELECT COUNT(*) FROM contacts")
	as sales POST /api/contacts "$(contact_json AclForeignOwner "$(uid manager)")"
	expect_error 403 "$DENIED" 'No access to the entity.'
	[ "$(db "SELECT COUNT(*) FROM contacts")" = "$before" ]
}

@test "sales edits and deletes its own contact but not a colleague's (403), which stays unchanged" {
	own=$(insert_contact "$(uid sales)" AclSalesOwn)
	other=$(insert_contact "$(uid manager)" AclManagerOwn)
	as sales PATCH "/api/contacts/$own" "{\"data\":{\"type\":\"contacts\",\"id\":\"$own\",\"attributes\":{\"jobTitle\":\"Mine\"}}}"
	expect_status 200
	as sales PATCH "/api/contacts/$other" "{\"data\":{\"type\":\"contacts\",\"id\":\"$other\",\"attributes\":{\"jobTitle\":\"Theirs\"}}}"
	expect_error 403 "$DENIED" 'No access to the entity.'
	[ "$(db "SELECT COALESCE(job_title, 'NULL') FROM contacts WHERE id = $other")" = NULL ]
	as sales DELETE "/api/contacts/$other"
	expect_error 403 "$DENIED" 'No access to the entity.'
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE id = $other")" = 1 ]
	as sales DELETE "/api/contacts/$own"
	expect_status 204
}

@test "re-assigning a record to an owner outside the EDIT level is a 403 (attribute and relationship route)" {
	own=$(insert_contact "$(uid sales)" AclReassign)
	as sales PATCH "/api/contacts/$own" "{\"data\":{\"type\":\"contacts\",\"id\":\"$own\",\"relationships\":{\"owner\":{\"data\":{\"type\":\"users\",\"id\":\"1\"}}}}}"
	expect_error 403 "$DENIED" 'No access to the entity.'
	as sales PATCH "/api/contacts/$own/relationships/owner" '{"data":{"type":"users","id":"1"}}'
	expect_error 403 "$DENIED" 'No access to the entity.'
	[ "$(db "SELECT owner_id FROM contacts WHERE id = $own")" = "$(uid sales)" ]
}

@test "manager (division) re-assigns inside its division, not outside it" {
	c=$(insert_contact "$(uid sales)" AclDivision)
	# sales sits in unit 4, below the manager's unit 2: inside the division.
	as manager PATCH "/api/contacts/$c/relationships/owner" "{\"data\":{\"type\":\"users\",\"id\":\"$(uid manager)\"}}"
	expect_status 204
	[ "$(db "SELECT owner_id FROM contacts WHERE id = $c")" = "$(uid manager)" ]
	# viewer sits in unit 3 (Support): outside the manager's division.
	as manager PATCH "/api/contacts/$c/relationships/owner" "{\"data\":{\"type\":\"users\",\"id\":\"$(uid viewer)\"}}"
	expect_error 403 "$DENIED" 'No access to the entity.'
}

@test "viewer (VIEW only) may not create, edit or delete: 403 No access to this type of entities." {
	c=$(insert_contact "$(uid viewer)" AclViewerOwn)
	as viewer POST /api/contacts "$(contact_json AclViewerNew)"
	expect_error 403 "$DENIED" 'No access to this type of entities.'
	as viewer PATCH "/api/contacts/$c" "{\"data\":{\"type\":\"contacts\",\"id\":\"$c\",\"attributes\":{\"jobTitle\":\"x\"}}}"
	expect_error 403 "$DENIED" 'No access to this type of entities.'
	as viewer DELETE "/api/contacts/$c"
	expect_error 403 "$DENIED" 'No access to this type of entities.'
	as viewer DELETE "/api/contacts?filter%5BlastName%5D=AclViewerOwn"
	expect_error 403 "$DENIED" 'No access to this type of entities.'
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE id = $c")" = 1 ]
}

@test "delete by filter as sales removes only the matching records inside its level" {
	mine=$(insert_contact "$(uid sales)" AclBulk)
	theirs=$(insert_contact "$(uid manager)" AclBulk)
	as sales DELETE "/api/contacts?filter%5BlastName%5D=AclBulk" -H 'X-Include: deletedCount'
	expect_status 204
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE id = $mine")" = 0 ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE id = $theirs")" = 1 ]
}

@test "a record of another organization is a 404 for every write, and is not touched" {
	other=$(db "SELECT MIN(id) FROM contacts WHERE organization_id = 2")
	name=$(db "SELECT last_name FROM contacts WHERE id = $other")
	as manager PATCH "/api/contacts/$other" "{\"data\":{\"type\":\"contacts\",\"id\":\"$other\",\"attributes\":{\"lastName\":\"Hijack\"}}}"
	expect_error 404 'not found http exception'
	as manager DELETE "/api/contacts/$other"
	expect_error 404 'not found http exception'
	as manager PATCH "/api/contacts/$other/relationships/assignedTo" '{"data":null}'
	expect_error 404 'not found http exception'
	[ "$(db "SELECT last_name FROM contacts WHERE id = $other")" = "$name" ]
}

@test "linking a record the user may not see is refused like a missing one" {
	own=$(insert_contact "$(uid sales)" AclLinkOwn)
	other=$(insert_contact "$(uid manager)" AclLinkHidden)
	as sales PATCH "/api/contacts/$own/relationships/reportsTo" "{\"data\":{\"type\":\"contacts\",\"id\":\"$other\"}}"
	expect_error 400 'form constraint' 'The entity does not exist.'
	[ "$(db "SELECT COALESCE(reports_to_id, 'NULL') FROM contacts WHERE id = $own")" = NULL ]
}

@test "replacing a to-many relationship keeps the links to records the user cannot see" {
	own=$(insert_contact "$(uid sales)" AclReplaceOwn)
	db "INSERT INTO accounts (organization_id, owner_id, name, created_at, updated_at)
	    VALUES (1, $(uid sales), 'AclMine', UTC_TIMESTAMP(), UTC_TIMESTAMP()),
	           (1, $(uid manager), 'AclHidden', UTC_TIMESTAMP(), UTC_TIMESTAMP())"
	mine=$(db "SELECT id FROM accounts WHERE name = 'AclMine'")
	hidden=$(db "SELECT id FROM accounts WHERE name = 'AclHidden'")
	db "INSERT INTO account_contacts (organization_id, account_id, contact_id) VALUES (1, $hidden, $own)"
	as sales PATCH "/api/contacts/$own/relationships/accounts" "{\"data\":[{\"type\":\"accounts\",\"id\":\"$mine\"}]}"
	expect_status 204
	[ "$(db "SELECT GROUP_CONCAT(account_id ORDER BY account_id) FROM account_contacts WHERE contact_id = $own")" = "$mine,$hidden" ]
	# Removing a hidden one is not possible either; the visible one goes.
	as sales DELETE "/api/contacts/$own/relationships/accounts" "{\"data\":[{\"type\":\"accounts\",\"id\":\"$mine\"}]}"
	expect_status 204
	[ "$(db "SELECT GROUP_CONCAT(account_id) FROM account_contacts WHERE contact_id = $own")" = "$hidden" ]
	db "DELETE FROM account_contacts WHERE contact_id = $own; DELETE FROM accounts WHERE id IN ($mine, $hidden)"
}
