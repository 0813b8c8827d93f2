# tenancy.bats: the security boundaries of section 4, each written as the
# attack: another organization's administrator writing the records every
# organization shares (shared userroles, countries), a user manager
# promoting itself or others beyond its own rights, joining units outside
# its reach, changing users who hold more than it does, and conditional
# headers that must not tell another organization what exists. Then the
# legitimate side: the `global` platform administrator still manages shared
# records, a user manager still manages users below its level.
#
# Demo data (sql/seed.sql): shared roles 1 ROLE_ADMINISTRATOR, 2 ROLE_USER,
# 11 ROLE_PLATFORM_ADMIN (global on userroles and countries, held by admin
# alone); globex_admin is organization 2's ROLE_ADMINISTRATOR. The user
# manager `tn_usermgr` is made here: users VIEW at organization, CREATE /
# EDIT / DELETE at division, in unit 3 (Acme Support: its division is unit
# 3 alone); userroles and businessunits VIEW at organization.
load helpers/common
bats_require_minimum_version 1.5.0

DENIED='access denied exception'

setup_file() {
	"$API_APICTL" role add ROLE_TN_USER_MANAGER 'User manager' --org 'Acme Inc' >/dev/null
	local t p
	for t in userroles businessunits; do
		"$API_APICTL" role grant ROLE_TN_USER_MANAGER "$t" VIEW organization >/dev/null
	done
	"$API_APICTL" role grant ROLE_TN_USER_MANAGER users VIEW organization >/dev/null
	for p in CREATE EDIT DELETE; do
		"$API_APICTL" role grant ROLE_TN_USER_MANAGER users "$p" division >/dev/null
	done
	"$API_APICTL" user add tn_usermgr --email tn_usermgr@example.com --org 'Acme Inc' \
		--unit 3 --role ROLE_TN_USER_MANAGER >/dev/null
}

uid() { db "SELECT id FROM users WHERE username = '$1'"; }
role_id() { db "SELECT id FROM roles WHERE role = '$1'"; }
roles_of() { db "SELECT GROUP_CONCAT(role_id ORDER BY role_id) FROM user_roles WHERE user_id = $1"; }

# plain_user NAME [UNIT]: a user of organization 1 holding ROLE_USER only,
# stored directly; prints its id.
plain_user() {
	db "INSERT INTO users (organization_id, business_unit_id, username, email, enabled,
	      created_at, updated_at)
	    VALUES (1, ${2:-3}, '$1', '$1@example.com', 1, UTC_TIMESTAMP(), UTC_TIMESTAMP());
	    SET @u = LAST_INSERT_ID();
	    INSERT INTO user_organizations VALUES (@u, 1);
	    INSERT INTO user_business_units VALUES (@u, ${2:-3});
	    INSERT INTO user_roles VALUES (@u, 2);
	    SELECT @u"
}

linkage() { # linkage TYPE ID... -> {"data":[{"type":..,"id":..},...]}
	local type=$1 out="" id
	shift
	for id in "$@"; do out+="${out:+,}{\"type\":\"$type\",\"id\":\"$id\"}"; done
	echo "{\"data\":[$out]}"
}

# --- Shared records: another organization's administrator ----------------------

@test "globex admin deleting a shared role: 403 No access to the entity., the role and every assignment stay" {
	assigned=$(db "SELECT COUNT(*) FROM user_roles WHERE role_id = 2")
	act_as globex_admin DELETE /api/userroles/2
	expect_error 403 "$DENIED" 'No access to the entity.'
	[ "$(db "SELECT COUNT(*) FROM roles WHERE id = 2")" = 1 ]
	[ "$(db "SELECT COUNT(*) FROM user_roles WHERE role_id = 2")" = "$assigned" ]
}

@test "globex admin renaming a shared role: 403, the label stays" {
	act_as globex_admin PATCH /api/userroles/2 \
		'{"data":{"type":"userroles","id":"2","attributes":{"label":"Pwned"}}}'
	expect_error 403 "$DENIED" 'No access to the entity.'
	[ "$(db "SELECT label FROM roles WHERE id = 2")" = User ]
}

@test "globex admin deleting roles by filter: its own role goes, the shared ones named in the filter stay" {
	act_as globex_admin POST /api/userroles \
		'{"data":{"type":"userroles","attributes":{"role":"ROLE_TN_GLOBEX_TEMP","label":"Temp"}}}'
	expect_status 201
	own=$(jqb .data.id)
	act_as globex_admin DELETE "/api/userroles?filter[id]=1,2,11,$own" -H 'X-Include: deletedCount'
	expect_status 204
	[ "$(header X-Include-Deleted-Count)" = 1 ]
	[ "$(db "SELECT COUNT(*) FROM roles WHERE id IN (1, 2, 11)")" = 3 ]
	[ "$(db "SELECT COUNT(*) FROM roles WHERE id = $own")" = 0 ]
}

@test "globex admin upserting a shared role by its role name: 403, nothing changes" {
	act_as globex_admin POST /api/userroles \
		'{"data":{"type":"userroles","meta":{"upsert":["role"]},"attributes":{"role":"ROLE_USER","label":"Mine now"}}}'
	expect_error 403 "$DENIED" 'No access to the entity.'
	[ "$(db "SELECT label FROM roles WHERE id = 2")" = User ]
}

@test "a role made by globex admin is always organization 2's: it cannot be made shared" {
	act_as globex_admin POST /api/userroles \
		'{"data":{"type":"userroles","attributes":{"role":"ROLE_TN_GLOBEX_OWN","label":"Own"}}}'
	expect_status 201
	id=$(jqb .data.id)
	[ "$(db "SELECT organization_id FROM roles WHERE id = $id")" = 2 ]
	[ "$(jqb .data.relationships.organization.data.id)" = 2 ]
	act_as globex_admin POST /api/userroles \
		'{"data":{"type":"userroles","attributes":{"role":"ROLE_TN_GLOBEX_NULL","label":"Null"},"relationships":{"organization":{"data":null}}}}'
	[ "$STATUS" -ge 400 ]
	[ "$(db "SELECT COUNT(*) FROM roles WHERE role = 'ROLE_TN_GLOBEX_NULL' AND organization_id IS NULL")" = 0 ]
}

@test "globex admin creating, renaming or deleting a country: 403 each, countries unchanged" {
	before=$(db "SELECT COUNT(*), MAX(updated_at) FROM countries")
	act_as globex_admin POST /api/countries \
		'{"data":{"type":"countries","id":"ZZ","attributes":{"name":"Zed","iso3Code":"ZZZ"}}}'
	expect_error 403 "$DENIED" 'No access to the entity.'
	act_as globex_admin PATCH /api/countries/CA \
		'{"data":{"type":"countries","id":"CA","attributes":{"name":"Pwned"}}}'
	expect_error 403 "$DENIED" 'No access to the entity.'
	act_as globex_admin DELETE /api/countries/CH
	expect_error 403 "$DENIED" 'No access to the entity.'
	act_as globex_admin DELETE '/api/countries?filter[id]=CA,CH' -H 'X-Include: deletedCount'
	expect_status 204
	[ "$(header X-Include-Deleted-Count)" = 0 ]
	[ "$(db "SELECT COUNT(*), MAX(updated_at) FROM countries")" = "$before" ]
	[ "$(db "SELECT name FROM countries WHERE iso2_code = 'CA'")" = Canada ]
}

@test "globex admin may not give ROLE_PLATFORM_ADMIN (global) to its own user: 403 naming the role" {
	gm=$(uid globex_manager)
	act_as globex_admin POST "/api/users/$gm/relationships/roles" "$(linkage userroles 11)"
	expect_error 403 "$DENIED" 'The role "ROLE_PLATFORM_ADMIN" carries permissions you do not hold: you cannot give it.'
	[ "$(jqb '.errors[0].source.pointer')" = /data/0 ]
	[ "$(db "SELECT COUNT(*) FROM user_roles WHERE user_id = $gm AND role_id = 11")" = 0 ]
}

@test "the global platform administrator manages shared roles and countries" {
	send_admin() { act_as admin "$@"; }
	send_admin PATCH /api/userroles/2 \
		'{"data":{"type":"userroles","id":"2","attributes":{"extend_description":"Every user"}}}'
	expect_status 200
	[ "$(db "SELECT extend_description FROM roles WHERE id = 2")" = 'Every user' ]
	send_admin POST /api/countries \
		'{"data":{"type":"countries","id":"QZ","attributes":{"name":"Qzland","iso3Code":"QZL"}}}'
	expect_status 201
	send_admin PATCH /api/countries/QZ \
		'{"data":{"type":"countries","id":"QZ","attributes":{"name":"Qz"}}}'
	expect_status 200
	[ "$(db "SELECT name FROM countries WHERE iso2_code = 'QZ'")" = Qz ]
	send_admin DELETE /api/countries/QZ
	expect_status 204
	[ "$(db "SELECT COUNT(*) FROM countries WHERE iso2_code = 'QZ'")" = 0 ]
}

@test "the platform administrator deletes a shared role (made with apictl), assignments go with it" {
	id=$("$API_APICTL" role add ROLE_TN_SHARED_TEMP 'Shared temp')
	db "INSERT INTO user_roles VALUES ($(uid basic_user), $id)"
	act_as globex_admin DELETE "/api/userroles/$id"
	expect_status 403
	act_as admin DELETE "/api/userroles/$id"
	expect_status 204
	[ "$(db "SELECT COUNT(*) FROM user_roles WHERE role_id = $id")" = 0 ]
}

@test "apictl role grant: global only on a shared role" {
	run --separate-stderr "$API_APICTL" role grant ROLE_MANAGER countries EDIT global
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"global is for shared roles only"* ]]
	[ "$(db "SELECT COUNT(*) FROM role_permissions WHERE level = 'global' AND role_id = $(role_id ROLE_MANAGER)")" = 0 ]
	"$API_APICTL" role add ROLE_TN_SHARED_GRANT 'Shared grant' >/dev/null
	run "$API_APICTL" role grant ROLE_TN_SHARED_GRANT countries EDIT global
	[ "$status" -eq 0 ]
	[ "$(db "SELECT level FROM role_permissions WHERE role_id = $(role_id ROLE_TN_SHARED_GRANT)")" = global ]
}

# --- No privilege escalation: the user manager ---------------------------------

@test "the user manager promoting itself to administrator through the roles relationship: 403, roles unchanged" {
	me=$(uid tn_usermgr)
	before=$(roles_of "$me")
	act_as tn_usermgr PATCH "/api/users/$me/relationships/roles" \
		"$(linkage userroles "$(role_id ROLE_TN_USER_MANAGER)" 1)"
	expect_error 403 "$DENIED" 'The role "ROLE_ADMINISTRATOR" carries permissions you do not hold: you cannot give it.'
	[ "$(jqb '.errors[0].source.pointer')" = /data/1 ]
	act_as tn_usermgr POST "/api/users/$me/relationships/roles" "$(linkage userroles 1)"
	expect_error 403 "$DENIED"
	[ "$(roles_of "$me")" = "$before" ]
}

@test "the user manager promoting itself through PATCH of its user: 403, roles unchanged" {
	me=$(uid tn_usermgr)
	before=$(roles_of "$me")
	act_as tn_usermgr PATCH "/api/users/$me" \
		"{\"data\":{\"type\":\"users\",\"id\":\"$me\",\"relationships\":{\"roles\":$(linkage userroles 1 "$(role_id ROLE_TN_USER_MANAGER)")}}}"
	expect_error 403 "$DENIED"
	[ "$(jqb '.errors[0].source.pointer')" = /data/relationships/roles/data/0 ]
	[ "$(roles_of "$me")" = "$before" ]
}

@test "the user manager creating an administrator: 403, no user made" {
	act_as tn_usermgr POST /api/users \
		'{"data":{"type":"users","attributes":{"username":"tn_evil_admin","email":"tn_evil_admin@example.com","password":"Secret-123"},"relationships":{"owner":{"data":{"type":"businessunits","id":"3"}},"roles":{"data":[{"type":"userroles","id":"1"}]}}}}'
	expect_error 403 "$DENIED" 'The role "ROLE_ADMINISTRATOR" carries permissions you do not hold: you cannot give it.'
	[ "$(db "SELECT COUNT(*) FROM users WHERE username = 'tn_evil_admin'")" = 0 ]
}

@test "the user manager joining a business unit outside its reach: 403 naming the unit, memberships unchanged" {
	me=$(uid tn_usermgr)
	act_as tn_usermgr POST "/api/users/$me/relationships/businessUnits" "$(linkage businessunits 2)"
	expect_error 403 "$DENIED" 'The business unit 2 is outside your reach: you cannot add members to it.'
	[ "$(db "SELECT GROUP_CONCAT(business_unit_id) FROM user_business_units WHERE user_id = $me")" = 3 ]
}

@test "the user manager setting the administrator's password or disabling it: 403, nothing changed" {
	before=$(db "SELECT CONCAT_WS('/', password_hash, enabled, updated_at) FROM users WHERE id = 1")
	act_as tn_usermgr PATCH /api/users/1 \
		'{"data":{"type":"users","id":"1","attributes":{"password":"Taken-over-1"}}}'
	expect_error 403 "$DENIED"
	act_as tn_usermgr PATCH /api/users/1 '{"data":{"type":"users","id":"1","attributes":{"enabled":false}}}'
	expect_error 403 "$DENIED"
	[ "$(db "SELECT CONCAT_WS('/', password_hash, enabled, updated_at) FROM users WHERE id = 1")" = "$before" ]
}

@test "a user holding more than the user manager, inside its unit: 403 naming the user on change, delete and relationships" {
	sm=$(uid sales_manager) # unit 3, ROLE_SALES + ROLE_MANAGER: customer data
	before=$(db "SELECT CONCAT_WS('/', email, enabled, updated_at) FROM users WHERE id = $sm")
	act_as tn_usermgr PATCH "/api/users/$sm" \
		"{\"data\":{\"type\":\"users\",\"id\":\"$sm\",\"attributes\":{\"enabled\":false}}}"
	expect_error 403 "$DENIED" "The user $sm holds permissions you do not hold: you cannot change or delete it."
	act_as tn_usermgr DELETE "/api/users/$sm/relationships/roles" "$(linkage userroles "$(role_id ROLE_MANAGER)")"
	expect_error 403 "$DENIED" "The user $sm holds permissions you do not hold: you cannot change or delete it."
	act_as tn_usermgr DELETE "/api/users/$sm"
	expect_error 403 "$DENIED" "The user $sm holds permissions you do not hold: you cannot change or delete it."
	[ "$(db "SELECT CONCAT_WS('/', email, enabled, updated_at) FROM users WHERE id = $sm")" = "$before" ]
	[ "$(roles_of "$sm")" = "$(role_id ROLE_MANAGER),$(role_id ROLE_SALES)" ]
}

@test "the user manager deleting users by filter: users holding more than it stay, the others go" {
	plain=$(plain_user "tn_plain_del_$BATS_TEST_NUMBER")
	sm=$(uid sales_manager)
	act_as tn_usermgr DELETE "/api/users?filter[id]=$sm,$plain" -H 'X-Include: deletedCount'
	expect_status 204
	[ "$(header X-Include-Deleted-Count)" = 1 ]
	[ "$(db "SELECT COUNT(*) FROM users WHERE id = $sm")" = 1 ]
	[ "$(db "SELECT COUNT(*) FROM users WHERE id = $plain")" = 0 ]
}

@test "the user manager still manages users below its level: creates one with ROLE_USER, changes its password, disables it" {
	act_as tn_usermgr POST /api/users \
		'{"data":{"type":"users","attributes":{"username":"tn_helpdesk","email":"tn_helpdesk@example.com","password":"Secret-123"},"relationships":{"owner":{"data":{"type":"businessunits","id":"3"}},"roles":{"data":[{"type":"userroles","id":"2"}]}}}}'
	expect_status 201
	id=$(jqb .data.id)
	[ "$(roles_of "$id")" = 2 ]
	hash=$(db "SELECT password_hash FROM users WHERE id = $id")
	act_as tn_usermgr PATCH "/api/users/$id" \
		"{\"data\":{\"type\":\"users\",\"id\":\"$id\",\"attributes\":{\"password\":\"Other-456\",\"enabled\":false}}}"
	expect_status 200
	[ "$(db "SELECT enabled FROM users WHERE id = $id")" = 0 ]
	[ "$(db "SELECT password_hash <> '$hash' FROM users WHERE id = $id")" = 1 ]
	act_as tn_usermgr POST "/api/users/$id/relationships/businessUnits" "$(linkage businessunits 3)"
	expect_status 204
}

@test "admin, who holds the platform role, may give it; its holder is then beyond the user manager" {
	plain=$(plain_user "tn_plain_gift_$BATS_TEST_NUMBER")
	act_as admin POST "/api/users/$plain/relationships/roles" "$(linkage userroles 11)"
	expect_status 204
	[ "$(roles_of "$plain")" = 2,11 ]
	act_as tn_usermgr PATCH "/api/users/$plain" \
		"{\"data\":{\"type\":\"users\",\"id\":\"$plain\",\"attributes\":{\"firstName\":\"X\"}}}"
	expect_error 403 "$DENIED" "The user $plain holds permissions you do not hold: you cannot change or delete it."
}

# --- Conditional headers come after access checks ------------------------------

@test "If-Match on another organization's record is 404, whatever the tag; the record is unchanged" {
	before=$(db "SELECT updated_at FROM contacts WHERE id = 1")
	for tag in '*' '"0123"'; do
		act_as globex_admin PATCH /api/contacts/1 \
			'{"data":{"type":"contacts","id":"1","attributes":{"jobTitle":"Probe"}}}' -H "If-Match: $tag"
		expect_error 404 'not found http exception'
		act_as globex_admin DELETE /api/contacts/1 -H "If-Match: $tag"
		expect_error 404 'not found http exception'
	done
	[ "$(db "SELECT updated_at FROM contacts WHERE id = 1")" = "$before" ]
}

@test "If-Match on a record outside the user's level is 403, not 412" {
	c=$(db "INSERT INTO contacts (organization_id, owner_id, last_name, created_at, updated_at)
	        VALUES (1, $(uid manager), 'TnLevel', UTC_TIMESTAMP(), UTC_TIMESTAMP()); SELECT LAST_INSERT_ID()")
	act_as sales PATCH "/api/contacts/$c" \
		"{\"data\":{\"type\":\"contacts\",\"id\":\"$c\",\"attributes\":{\"jobTitle\":\"Probe\"}}}" -H 'If-Match: "0123"'
	expect_error 403 "$DENIED" 'No access to the entity.'
}

@test "two concurrent PATCHes carrying the same If-Match tag: one 200 and one 412, never two 200s" {
	for round in 1 2 3 4 5; do
		act_as admin POST /api/contacts \
			"{\"data\":{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"TnRace$round\"}}}"
		expect_status 201
		id=$(jqb .data.id)
		tag=$(header ETag)
		for n in 1 2; do
			curl -s -o /dev/null -w '%{http_code}\n' -X PATCH "$API_URL/api/contacts/$id" \
				-H 'Accept: application/vnd.api+json' -H 'Content-Type: application/vnd.api+json' \
				-H "$(wsse)" -H "If-Match: $tag" \
				--data-binary "{\"data\":{\"type\":\"contacts\",\"id\":\"$id\",\"attributes\":{\"jobTitle\":\"Writer $n\"}}}" \
				> "$BATS_TEST_TMPDIR/race.$n" &
		done
		wait
		codes=$(sort "$BATS_TEST_TMPDIR"/race.* | tr '\n' ' ')
		[ "$codes" = "200 412 " ] || { echo "round $round: $codes" >&2; return 1; }
	done
}
