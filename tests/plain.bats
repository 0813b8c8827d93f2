#!/usr/bin/env bats
# The plain format (section 5.5): requests that do not ask for JSON:API.
load helpers/common

# plain PATH [curl args]: a request with Accept: application/json.
plain() {
	local path=$1
	shift
	req GET "$path" -H 'Accept: application/json' -H "$(wsse)" "$@"
}

@test "plain item: a flat object with a numeric id, attributes, related ids; application/json" {
	plain /api/users/1
	expect_status 200
	[ "$(header Content-Type)" = application/json ]
	[ "$(jqb '.id | type')" = number ]
	[ "$(jqb .id)" = 1 ]
	[ "$(jqb .username)" = admin ]
	[ "$(jqb .middleName)" = null ]
	[ "$(jqb .owner)" = 1 ]
	[ "$(jqb '.owner | type')" = number ]
	[ "$(jqb -c .roles)" = "$(db "SELECT CONCAT('[', GROUP_CONCAT(role_id ORDER BY role_id), ']') FROM user_roles WHERE user_id = 1")" ]
	[ "$(jqb 'has("data") or has("links") or has("type") or has("password")')" = false ]
}

@test "plain: a request without any Accept header gets the plain format too" {
	req GET /api/users/1 -H 'Accept:' -H "$(wsse)"
	expect_status 200
	[ "$(header Content-Type)" = application/json ]
	[ "$(jqb .username)" = admin ]
}

@test "plain: string ids stay strings (countries), related string ids too (contacts.country)" {
	plain /api/countries/US
	expect_status 200
	[ "$(jqb '.id | type')" = string ]
	[ "$(jqb .id)" = US ]
	plain /api/contacts/1
	[ "$(jqb '.country')" = "$(db "SELECT country_code FROM contacts WHERE id = 1")" ]
	[ "$(jqb '.country | type')" = string ]
}

@test "plain list: a JSON array of flat objects, no links, paging and fields honoured" {
	plain "/api/contacts?page%5Bsize%5D=3&page%5Bnumber%5D=2&fields%5Bcontacts%5D=lastName,accounts"
	expect_status 200
	[ "$(jqb 'type')" = array ]
	[ "$(jqb -c '[.[].id]')" = "$(db "SELECT CONCAT('[', GROUP_CONCAT(id ORDER BY id), ']') FROM (SELECT id FROM contacts WHERE organization_id = 1 ORDER BY id LIMIT 3 OFFSET 3) x")" ]
	[ "$(jqb -c '.[0] | keys')" = '["accounts","id","lastName"]' ]
}

@test "plain relationship routes: the related id, or an array of ids" {
	plain /api/users/1/relationships/owner
	expect_status 200
	[ "$BODY" = 1 ]
	plain /api/users/1/relationships/roles
	expect_status 200
	[ "$(jqb -c .)" = "[$(db "SELECT GROUP_CONCAT(role_id ORDER BY role_id) FROM user_roles WHERE user_id = 1")]" ]
	[ "$(jqb -c .)" = "[1,2,11]" ]
}

@test "plain subresource: the related object, or an array of them" {
	plain /api/users/1/owner
	expect_status 200
	[ "$(jqb .id)" = 1 ]
	[ "$(jqb .name)" = "$(db "SELECT name FROM business_units WHERE id = 1")" ]
	plain /api/accounts/1/contacts
	[ "$(jqb 'type')" = array ]
	[ "$(jqb -c '[.[].id]')" = "$(db "SELECT CONCAT('[', GROUP_CONCAT(contact_id ORDER BY contact_id), ']') FROM account_contacts WHERE account_id = 1")" ]
}

@test "plain errors: an array of {title, detail, source} with source a string, application/json" {
	plain "/api/users?page%5Bsize%5D=x"
	expect_status 400
	[ "$(header Content-Type)" = application/json ]
	[ "$(jqb -c '.[0]')" = '{"title":"filter constraint","detail":"Expected integer value. Given \"x\".","source":"page[size]"}' ]
	plain /api/users/999999
	expect_status 404
	[ "$(jqb -c '.')" = '[{"title":"not found http exception","detail":"An entity with the requested identifier does not exist."}]' ]
}

@test "plain: 401 keeps its empty body" {
	req GET /api/users/1 -H 'Accept: application/json'
	expect_status 401
	[ -z "$BODY" ]
}
