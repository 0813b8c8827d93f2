# writes_relationships.bats: the relationship routes of sections 1 and 8
# (/api/{type}/{id}/relationships/{assoc}): to-one PATCH, to-many PATCH
# (replace), POST (add) and DELETE (remove), each checked by a GET of the
# linkage and in the database; related ids that do not exist or belong to
# another organization, wrong types, null on a required to-one, read-only
# relationships. Every record changed here is made by the test itself.
load helpers/common

# new_account NAME -> the id of a new account of organization 1.
new_account() {
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$1\"}}}"
	expect_status 201 >&2 || return 1
	jqb .data.id
}

# new_user NAME -> the id of a new user of organization 1 (unit 1).
new_user() {
	send POST /api/users "{\"data\":{\"type\":\"users\",\"attributes\":{\"username\":\"$1\",\"email\":\"$1@example.com\"},\"relationships\":{\"owner\":{\"data\":{\"type\":\"businessunits\",\"id\":\"1\"}}}}}"
	expect_status 201 >&2 || return 1
	jqb .data.id
}

# linked_accounts CONTACT -> the account ids linked in the database, sorted, space-separated.
linked_accounts() {
	db "SELECT account_id FROM account_contacts WHERE contact_id = $1 ORDER BY account_id" | xargs
}

# linkage_ids PATH -> the ids of a to-many linkage read by GET, sorted, space-separated.
linkage_ids() {
	get "$1"
	expect_status 200 >&2 || return 1
	jqb '.data[].id' | sort -n | xargs
}

uniq_name() { echo "rel$(date +%s%N)"; }

# ---------------------------------------------------------------- to-one

@test "to-one PATCH contacts/{id}/relationships/assignedTo with an object: 204, linkage and column set" {
	c=$(new_contact "$(uniq_name)")
	send PATCH "/api/contacts/$c/relationships/assignedTo" '{"data":{"type":"users","id":"5"}}'
	expect_status 204
	[ -z "$BODY" ]
	get "/api/contacts/$c/relationships/assignedTo"
	expect_status 200
	[ "$(jqb -c .data)" = '{"type":"users","id":"5"}' ]
	[ "$(db "SELECT assigned_to_id FROM contacts WHERE id = $c")" = 5 ]
}

@test "to-one PATCH with null empties a nullable relationship (assignedTo): 204, linkage null, column NULL" {
	c=$(new_contact "$(uniq_name)")
	db "UPDATE contacts SET assigned_to_id = 5 WHERE id = $c"
	send PATCH "/api/contacts/$c/relationships/assignedTo" '{"data":null}'
	expect_status 204
	get "/api/contacts/$c/relationships/assignedTo"
	expect_status 200
	[ "$(jqb -c .data)" = null ]
	[ "$(db "SELECT assigned_to_id FROM contacts WHERE id = $c")" = NULL ]
}

@test "to-one PATCH moves updatedAt of the parent record" {
	c=$(new_contact "$(uniq_name)")
	db "UPDATE contacts SET updated_at = '2001-01-01 00:00:00' WHERE id = $c"
	send PATCH "/api/contacts/$c/relationships/assignedTo" '{"data":{"type":"users","id":"6"}}'
	expect_status 204
	[ "$(db "SELECT updated_at > '2001-01-01 00:00:00' FROM contacts WHERE id = $c")" = 1 ]
}

@test "to-one PATCH with an id that does not exist: 400 form constraint at /data, nothing changed" {
	c=$(new_contact "$(uniq_name)")
	db "UPDATE contacts SET assigned_to_id = 5 WHERE id = $c"
	send PATCH "/api/contacts/$c/relationships/assignedTo" '{"data":{"type":"users","id":"999999"}}'
	expect_error 400 'form constraint' 'The entity does not exist.'
	[ "$(jqb '.errors[0].source.pointer')" = /data ]
	[ "$(db "SELECT assigned_to_id FROM contacts WHERE id = $c")" = 5 ]
}

@test "to-one PATCH with a user of another organization: 400 form constraint at /data, nothing changed" {
	c=$(new_contact "$(uniq_name)")
	# user 35 belongs to organization 2 (seed)
	[ "$(db "SELECT organization_id FROM users WHERE id = 35")" = 2 ]
	send PATCH "/api/contacts/$c/relationships/assignedTo" '{"data":{"type":"users","id":"35"}}'
	expect_error 400 'form constraint' 'The entity does not exist.'
	[ "$(jqb '.errors[0].source.pointer')" = /data ]
	[ "$(db "SELECT assigned_to_id FROM contacts WHERE id = $c")" = NULL ]
}

@test "to-one PATCH with a linkage of the wrong type: 400 request data constraint at /data/type" {
	c=$(new_contact "$(uniq_name)")
	send PATCH "/api/contacts/$c/relationships/assignedTo" '{"data":{"type":"contacts","id":"5"}}'
	expect_error 400 'request data constraint'
	[ "$(jqb '.errors[0].source.pointer')" = /data/type ]
	[ "$(db "SELECT assigned_to_id FROM contacts WHERE id = $c")" = NULL ]
}

@test "to-one PATCH with an array (to-many shape): 400 request data constraint at /data" {
	c=$(new_contact "$(uniq_name)")
	send PATCH "/api/contacts/$c/relationships/assignedTo" '{"data":[{"type":"users","id":"5"}]}'
	expect_error 400 'request data constraint'
	[ "$(jqb '.errors[0].source.pointer')" = /data ]
}

@test "to-one PATCH null on a required relationship (owner): 400, owner kept" {
	c=$(new_contact "$(uniq_name)")
	send PATCH "/api/contacts/$c/relationships/owner" '{"data":null}'
	expect_error 400 'not blank constraint' 'This value should not be blank.'
	[ "$(jqb '.errors[0].source.pointer')" = /data ]
	[ "$(db "SELECT owner_id FROM contacts WHERE id = $c")" = 1 ]
}

@test "to-one PATCH of owner to another user of the organization: 204, owner column changed" {
	c=$(new_contact "$(uniq_name)")
	send PATCH "/api/contacts/$c/relationships/owner" '{"data":{"type":"users","id":"5"}}'
	expect_status 204
	[ "$(db "SELECT owner_id FROM contacts WHERE id = $c")" = 5 ]
}

@test "read-only relationship (organization): PATCH is 405 with an Allow header, nothing changed" {
	c=$(new_contact "$(uniq_name)")
	send PATCH "/api/contacts/$c/relationships/organization" '{"data":{"type":"organizations","id":"2"}}'
	expect_status 405
	[ -z "$BODY" ]
	[ "$(header Allow)" = 'OPTIONS, GET, HEAD' ]
	[ "$(db "SELECT organization_id FROM contacts WHERE id = $c")" = 1 ]
}

@test "to-one relationship routes answer POST and DELETE with 405 (add and remove are to-many only)" {
	c=$(new_contact "$(uniq_name)")
	send POST "/api/contacts/$c/relationships/assignedTo" '{"data":{"type":"users","id":"5"}}'
	expect_status 405
	send DELETE "/api/contacts/$c/relationships/assignedTo" '{"data":{"type":"users","id":"5"}}'
	expect_status 405
	[ "$(db "SELECT assigned_to_id FROM contacts WHERE id = $c")" = NULL ]
}

@test "relationship PATCH on a record of another organization: 404, nothing changed" {
	# contact 61 belongs to organization 2 (seed)
	before=$(db "SELECT IFNULL(assigned_to_id, 'none') FROM contacts WHERE id = 61")
	send PATCH /api/contacts/61/relationships/assignedTo '{"data":{"type":"users","id":"5"}}'
	expect_error 404 'not found http exception'
	[ "$(db "SELECT IFNULL(assigned_to_id, 'none') FROM contacts WHERE id = 61")" = "$before" ]
}

# ---------------------------------------------------------------- to-many

@test "to-many PATCH contacts/{id}/relationships/accounts replaces the linkage: 204, GET and join rows" {
	n=$(uniq_name)
	c=$(new_contact "$n")
	a1=$(new_account "${n}a1") a2=$(new_account "${n}a2") a3=$(new_account "${n}a3")
	db "INSERT INTO account_contacts (organization_id, account_id, contact_id) VALUES (1, $a1, $c)"
	send PATCH "/api/contacts/$c/relationships/accounts" \
		"{\"data\":[{\"type\":\"accounts\",\"id\":\"$a2\"},{\"type\":\"accounts\",\"id\":\"$a3\"}]}"
	expect_status 204
	[ -z "$BODY" ]
	[ "$(linkage_ids "/api/contacts/$c/relationships/accounts")" = "$a2 $a3" ]
	[ "$(linked_accounts "$c")" = "$a2 $a3" ]
}

@test "to-many PATCH with an empty array removes every link" {
	n=$(uniq_name)
	c=$(new_contact "$n")
	a1=$(new_account "${n}a1") a2=$(new_account "${n}a2")
	db "INSERT INTO account_contacts (organization_id, account_id, contact_id) VALUES (1, $a1, $c), (1, $a2, $c)"
	send PATCH "/api/contacts/$c/relationships/accounts" '{"data":[]}'
	expect_status 204
	get "/api/contacts/$c/relationships/accounts"
	[ "$(jqb -c .data)" = '[]' ]
	[ "$(linked_accounts "$c")" = "" ]
	# the accounts themselves stay
	[ "$(db "SELECT COUNT(*) FROM accounts WHERE id IN ($a1, $a2)")" = 2 ]
}

@test "to-many POST adds to the linkage, keeps the existing links, and an already linked id stays once" {
	n=$(uniq_name)
	c=$(new_contact "$n")
	a1=$(new_account "${n}a1") a2=$(new_account "${n}a2") a3=$(new_account "${n}a3")
	db "INSERT INTO account_contacts (organization_id, account_id, contact_id) VALUES (1, $a1, $c)"
	send POST "/api/contacts/$c/relationships/accounts" \
		"{\"data\":[{\"type\":\"accounts\",\"id\":\"$a2\"},{\"type\":\"accounts\",\"id\":\"$a1\"},{\"type\":\"accounts\",\"id\":\"$a3\"}]}"
	expect_status 204
	[ "$(linkage_ids "/api/contacts/$c/relationships/accounts")" = "$a1 $a2 $a3" ]
	[ "$(linked_accounts "$c")" = "$a1 $a2 $a3" ]
}

@test "to-many DELETE removes only the listed links" {
	n=$(uniq_name)
	c=$(new_contact "$n")
	a1=$(new_account "${n}a1") a2=$(new_account "${n}a2") a3=$(new_account "${n}a3")
	db "INSERT INTO account_contacts (organization_id, account_id, contact_id) VALUES (1, $a1, $c), (1, $a2, $c), (1, $a3, $c)"
	send DELETE "/api/contacts/$c/relationships/accounts" \
		"{\"data\":[{\"type\":\"accounts\",\"id\":\"$a1\"},{\"type\":\"accounts\",\"id\":\"$a3\"}]}"
	expect_status 204
	[ "$(linkage_ids "/api/contacts/$c/relationships/accounts")" = "$a2" ]
	[ "$(linked_accounts "$c")" = "$a2" ]
	# the account records themselves stay
	[ "$(db "SELECT COUNT(*) FROM accounts WHERE id IN ($a1, $a3)")" = 2 ]
}

@test "to-many POST with an unknown id and an id of another organization: 400 at /data/N each, nothing added" {
	n=$(uniq_name)
	c=$(new_contact "$n")
	a1=$(new_account "${n}a1")
	# account 26 belongs to organization 2 (seed)
	[ "$(db "SELECT organization_id FROM accounts WHERE id = 26")" = 2 ]
	send POST "/api/contacts/$c/relationships/accounts" \
		"{\"data\":[{\"type\":\"accounts\",\"id\":\"$a1\"},{\"type\":\"accounts\",\"id\":\"26\"},{\"type\":\"accounts\",\"id\":\"999999\"}]}"
	expect_error 400 'form constraint' 'The entity does not exist.'
	[ "$(jqb '.errors | length')" = 2 ]
	[ "$(jqb '.errors[0].source.pointer')" = /data/1 ]
	[ "$(jqb '.errors[1].source.pointer')" = /data/2 ]
	[ "$(jqb '.errors[1].detail')" = 'The entity does not exist.' ]
	[ "$(linked_accounts "$c")" = "" ]
	[ "$(db "SELECT COUNT(*) FROM account_contacts WHERE account_id = 26 AND contact_id = $c")" = 0 ]
}

@test "to-many PATCH with an unknown id keeps the old linkage (replace is all or nothing)" {
	n=$(uniq_name)
	c=$(new_contact "$n")
	a1=$(new_account "${n}a1") a2=$(new_account "${n}a2")
	db "INSERT INTO account_contacts (organization_id, account_id, contact_id) VALUES (1, $a1, $c)"
	send PATCH "/api/contacts/$c/relationships/accounts" \
		"{\"data\":[{\"type\":\"accounts\",\"id\":\"$a2\"},{\"type\":\"accounts\",\"id\":\"999999\"}]}"
	expect_error 400 'form constraint' 'The entity does not exist.'
	[ "$(jqb '.errors[0].source.pointer')" = /data/1 ]
	[ "$(linked_accounts "$c")" = "$a1" ]
}

@test "to-many linkage item of the wrong type: 400 request data constraint at /data/N/type" {
	n=$(uniq_name)
	c=$(new_contact "$n")
	a1=$(new_account "${n}a1")
	send POST "/api/contacts/$c/relationships/accounts" \
		"{\"data\":[{\"type\":\"accounts\",\"id\":\"$a1\"},{\"type\":\"contacts\",\"id\":\"$c\"}]}"
	expect_error 400 'request data constraint'
	[ "$(jqb '.errors[0].source.pointer')" = /data/1/type ]
	[ "$(linked_accounts "$c")" = "" ]
}

@test "to-many PATCH with an object instead of an array: 400 request data constraint at /data" {
	n=$(uniq_name)
	c=$(new_contact "$n")
	a1=$(new_account "${n}a1")
	send PATCH "/api/contacts/$c/relationships/accounts" "{\"data\":{\"type\":\"accounts\",\"id\":\"$a1\"}}"
	expect_error 400 'request data constraint'
	[ "$(jqb '.errors[0].source.pointer')" = /data ]
	[ "$(linked_accounts "$c")" = "" ]
}

@test "users/{id}/relationships/roles: PATCH replaces, POST adds, DELETE removes (shared and own roles)" {
	u=$(new_user "$(uniq_name)")
	# 1 ROLE_ADMINISTRATOR is shared (NULL organization), 4 ROLE_SALES and 5 ROLE_VIEWER organization 1
	send PATCH "/api/users/$u/relationships/roles" '{"data":[{"type":"userroles","id":"4"},{"type":"userroles","id":"1"}]}'
	expect_status 204
	[ "$(linkage_ids "/api/users/$u/relationships/roles")" = "1 4" ]
	[ "$(db "SELECT role_id FROM user_roles WHERE user_id = $u ORDER BY role_id" | xargs)" = "1 4" ]
	send POST "/api/users/$u/relationships/roles" '{"data":[{"type":"userroles","id":"5"}]}'
	expect_status 204
	[ "$(linkage_ids "/api/users/$u/relationships/roles")" = "1 4 5" ]
	send DELETE "/api/users/$u/relationships/roles" '{"data":[{"type":"userroles","id":"1"},{"type":"userroles","id":"4"}]}'
	expect_status 204
	[ "$(linkage_ids "/api/users/$u/relationships/roles")" = "5" ]
	[ "$(db "SELECT role_id FROM user_roles WHERE user_id = $u ORDER BY role_id" | xargs)" = "5" ]
}

@test "users/{id}/relationships/roles: a role of another organization is rejected at /data/N, roles kept" {
	u=$(new_user "$(uniq_name)")
	db "INSERT INTO user_roles (user_id, role_id) VALUES ($u, 5)"
	# 6 ROLE_GLOBEX_MANAGER belongs to organization 2 (seed)
	[ "$(db "SELECT organization_id FROM roles WHERE id = 6")" = 2 ]
	send PATCH "/api/users/$u/relationships/roles" '{"data":[{"type":"userroles","id":"4"},{"type":"userroles","id":"6"}]}'
	expect_error 400 'form constraint' 'The entity does not exist.'
	[ "$(jqb '.errors[0].source.pointer')" = /data/1 ]
	[ "$(db "SELECT role_id FROM user_roles WHERE user_id = $u ORDER BY role_id" | xargs)" = "5" ]
	send POST "/api/users/$u/relationships/roles" '{"data":[{"type":"userroles","id":"7"}]}'
	expect_error 400 'form constraint' 'The entity does not exist.'
	[ "$(jqb '.errors[0].source.pointer')" = /data/0 ]
	[ "$(db "SELECT role_id FROM user_roles WHERE user_id = $u ORDER BY role_id" | xargs)" = "5" ]
}

@test "users/{id}/relationships/roles: a linkage of the wrong type is a 400 at /data/0/type" {
	u=$(new_user "$(uniq_name)")
	send PATCH "/api/users/$u/relationships/roles" '{"data":[{"type":"users","id":"1"}]}'
	expect_error 400 'request data constraint'
	[ "$(jqb '.errors[0].source.pointer')" = /data/0/type ]
	[ "$(db "SELECT COUNT(*) FROM user_roles WHERE user_id = $u")" = 0 ]
}

@test "read-only relationships (users organization, userroles users): PATCH and POST are 405" {
	u=$(new_user "$(uniq_name)")
	send PATCH "/api/users/$u/relationships/organization" '{"data":{"type":"organizations","id":"1"}}'
	expect_status 405
	send POST /api/userroles/4/relationships/users "{\"data\":[{\"type\":\"users\",\"id\":\"$u\"}]}"
	expect_status 405
	[ "$(db "SELECT COUNT(*) FROM user_roles WHERE user_id = $u")" = 0 ]
}

@test "a relationship write with an empty body: 400 request data constraint" {
	c=$(new_contact "$(uniq_name)")
	send PATCH "/api/contacts/$c/relationships/assignedTo" ''
	expect_error 400 'request data constraint' 'The request data should not be empty.'
}
