#!/usr/bin/env bats
# Section 5 (5.1-5.4) document shape for every type of section 12: resource
# objects, links, value formats, and values equal to the database rows.
load helpers/common

teardown() {
	if [ -n "${ASYNC_IDS:-}" ]; then
		db "DELETE FROM async_operations WHERE id IN ($ASYNC_IDS)"
	fi
}

# ---------------------------------------------------------------------------
# Section 12 as data: attribute name -> value kind, relationship name ->
# target type ("[type]" for to-many). createdAt and updatedAt on every type.
# ---------------------------------------------------------------------------
TS='"createdAt":"datetime","updatedAt":"datetime"'
CONTACTING='"lastContactedDate":"datetime","lastContactedDateIn":"datetime","lastContactedDateOut":"datetime","timesContacted":"integer","timesContactedIn":"integer","timesContactedOut":"integer"'

ATTRS_organizations='{"name":"string","description":"text","enabled":"boolean",'$TS'}'
RELS_organizations='{"businessUnits":"[businessunits]","users":"[users]"}'

ATTRS_businessunits='{"name":"string","phone":"string","email":"string","fax":"string","website":"string",'$TS'}'
RELS_businessunits='{"organization":"organizations","owner":"businessunits","users":"[users]"}'

ATTRS_users='{"username":"string","email":"string","namePrefix":"string","firstName":"string","middleName":"string","lastName":"string","nameSuffix":"string","birthday":"date","enabled":"boolean","lastLogin":"datetime","loginCount":"integer",'$TS'}'
RELS_users='{"owner":"businessunits","businessUnits":"[businessunits]","organization":"organizations","roles":"[userroles]"}'

ATTRS_userroles='{"role":"string","label":"string","extend_description":"text",'$TS'}'
RELS_userroles='{"organization":"organizations","users":"[users]"}'

ATTRS_countries='{"name":"string","iso3Code":"string",'$TS'}'
RELS_countries='{}'

ATTRS_accounts='{"name":"string","description":"text","annualRevenue":"money","employeesCount":"integer",'$CONTACTING','$TS'}'
RELS_accounts='{"owner":"users","organization":"organizations","contacts":"[contacts]","defaultContact":"contacts"}'

ATTRS_contacts='{"namePrefix":"string","firstName":"string","middleName":"string","lastName":"string","nameSuffix":"string","gender":"enum:male|female","birthday":"date","description":"text","jobTitle":"string","email":"string","phone":"string","fax":"string","skype":"string","twitter":"string",'$CONTACTING','$TS'}'
RELS_contacts='{"owner":"users","organization":"organizations","assignedTo":"users","reportsTo":"contacts","accounts":"[accounts]","country":"countries"}'

ATTRS_calls='{"subject":"string","phoneNumber":"string","notes":"text","callDateTime":"datetime","direction":"enum:incoming|outgoing","duration":"integer",'$TS'}'
RELS_calls='{"owner":"users","organization":"organizations","contact":"contacts","account":"accounts"}'

ATTRS_asyncoperations='{"status":"enum:new|running|failed|success|cancelled","progress":"fraction","entityType":"string","elapsedTime":"integer","summary":"object",'$TS'}'

# jq: the problems of one resource object (an array of strings; [] = fine).
CHECK_JQ='
def dtre: "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$";
def okv($t):
  if . == null then true
  elif $t == "string" or $t == "text" then type == "string"
  elif ($t | startswith("enum:")) then type == "string" and (. as $v | $t[5:] | split("|") | index([$v]) != null)
  elif $t == "integer" then type == "number" and . == (. | floor)
  elif $t == "boolean" then type == "boolean"
  elif $t == "money" then type == "string" and test("^-?[0-9]+\\.[0-9]{4}$")
  elif $t == "datetime" then type == "string" and test(dtre)
  elif $t == "date" then type == "string" and test("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
  elif $t == "fraction" then type == "number" and . >= 0 and . <= 1
  elif $t == "object" then type == "object"
  else false end;
def ident($target): type == "object" and keys == ["id", "type"] and .type == $target and (.id | type) == "string" and (.id | length) > 0;
. as $r
| ($base + "/api/" + $type + "/" + ($r.id | tostring)) as $self
| [ (if $r.type != $type then "type is \($r.type | tojson)" else empty end),
    (if ($r.id | type) != "string" then "id is not a string: \($r.id | tojson)" else empty end),
    (if $r.links != {self: $self} then "links is \($r.links | tojson), expected {\"self\": \"\($self)\"}" else empty end),
    (if ($r.attributes | type) != "object" then "no attributes object"
     elif ($r.attributes | keys) != ($attrs | keys) then "attribute names \($r.attributes | keys | tojson), expected \($attrs | keys | tojson)"
     else empty end),
    (if ($r.attributes | type) == "object" and ($r.attributes | has("password")) then "password is present" else empty end),
    (($r.attributes // {}) | to_entries[] | .key as $k | select($attrs[$k] != null) | select(.value | okv($attrs[$k]) | not)
       | "attribute \(.key) = \(.value | tojson) is not a \($attrs[.key]) value"),
    (if $rels == null then empty
     elif (($r.relationships // {}) | keys) != ($rels | keys) then "relationship names \(($r.relationships // {}) | keys | tojson), expected \($rels | keys | tojson)"
     else ($rels | to_entries[] | .key as $n | .value as $spec | $r.relationships[$n] as $rel
       | (if $rel.links != {self: ($self + "/relationships/" + $n), related: ($self + "/" + $n)}
          then "relationship \($n) links \($rel.links | tojson)" else empty end),
         (if ($rel | keys) != ["data", "links"] then "relationship \($n) members \($rel | keys | tojson)" else empty end),
         (if ($spec | startswith("[")) then
            ($spec[1:-1]) as $t
            | if ($rel.data | type) != "array" then "relationship \($n) data is not an array: \($rel.data | tojson)"
              else ($rel.data[] | select(ident($t) | not) | "relationship \($n) item \(tojson) is not a \($t) identifier") end
          else
            if $rel.data == null or ($rel.data | ident($spec)) then empty
            else "relationship \($n) data \($rel.data | tojson) is not null or a \($spec) identifier" end
          end))
     end)
  ]'

# check_resource TYPE JSON: fails listing what is wrong with one resource object.
check_resource() {
	local type=$1 json=$2 attrs rels out
	attrs=ATTRS_$type
	rels=RELS_$type
	out=$(jq -c --arg base "$API_URL" --arg type "$type" --argjson attrs "${!attrs}" \
		--argjson rels "${!rels:-null}" "$CHECK_JQ" <<< "$json") || return 1
	if [ "$out" != "[]" ]; then
		echo "$type $(jq -r .id <<< "$json"): $out" >&2
		return 1
	fi
}

# check_list_items TYPE: every item of the last body's data.
check_list_items() {
	local type=$1 item n=0
	[ "$(jqb '.data | type')" = array ] || { echo "data is not an array: $BODY" >&2; return 1; }
	while IFS= read -r item; do
		check_resource "$type" "$item" || return 1
		n=$((n + 1))
	done < <(jqb -c '.data[]')
	CHECKED=$n
}

# ---------------------------------------------------------------------------
# The database side, as JSON built by MariaDB: {id, attributes, relationships}
# per row of the organization 1 view.
# ---------------------------------------------------------------------------
DT() { echo "DATE_FORMAT($1, '%Y-%m-%dT%H:%i:%sZ')"; }
DATE() { echo "DATE_FORMAT($1, '%Y-%m-%d')"; }
BOOL() { echo "IF($1, JSON_EXTRACT('true', '\$'), JSON_EXTRACT('false', '\$'))"; }
MONEY() { echo "CAST($1 AS CHAR)"; }
ONE() { echo "IF($2 IS NULL, NULL, JSON_OBJECT('type', '$1', 'id', CAST($2 AS CHAR)))"; }
MANY() { # MANY TARGET ID-EXPR "FROM ... WHERE ..."
	echo "(SELECT COALESCE(JSON_ARRAYAGG(JSON_OBJECT('type', '$1', 'id', CAST($2 AS CHAR)) ORDER BY $2), JSON_ARRAY()) $3)"
}
STAMPS() { echo "'createdAt', $(DT t.created_at), 'updatedAt', $(DT t.updated_at)"; }
CONTACTING_SQL() {
	echo "'lastContactedDate', $(DT t.last_contacted_date), 'lastContactedDateIn', $(DT t.last_contacted_date_in),
	      'lastContactedDateOut', $(DT t.last_contacted_date_out), 'timesContacted', t.times_contacted,
	      'timesContactedIn', t.times_contacted_in, 'timesContactedOut', t.times_contacted_out"
}

expected_sql() { # expected_sql TYPE: the SELECT of the org 1 rows, in id order
	local a r from
	case $1 in
	organizations)
		a="'name', t.name, 'description', t.description, 'enabled', $(BOOL t.enabled), $(STAMPS)"
		r="'businessUnits', $(MANY businessunits b.id 'FROM business_units b WHERE b.organization_id = t.id'),
		   'users', $(MANY users u.id 'FROM users u WHERE u.organization_id = t.id')"
		from="FROM organizations t WHERE t.id = 1 ORDER BY t.id" ;;
	businessunits)
		a="'name', t.name, 'phone', t.phone, 'email', t.email, 'fax', t.fax, 'website', t.website, $(STAMPS)"
		r="'organization', $(ONE organizations t.organization_id), 'owner', $(ONE businessunits t.parent_id),
		   'users', $(MANY users x.user_id 'FROM user_business_units x JOIN users u ON u.id = x.user_id WHERE x.business_unit_id = t.id AND u.organization_id = 1')"
		from="FROM business_units t WHERE t.organization_id = 1 ORDER BY t.id" ;;
	users)
		a="'username', t.username, 'email', t.email, 'namePrefix', t.name_prefix, 'firstName', t.first_name,
		   'middleName', t.middle_name, 'lastName', t.last_name, 'nameSuffix', t.name_suffix,
		   'birthday', $(DATE t.birthday), 'enabled', $(BOOL t.enabled), 'lastLogin', $(DT t.last_login),
		   'loginCount', t.login_count, $(STAMPS)"
		r="'owner', $(ONE businessunits t.business_unit_id),
		   'businessUnits', $(MANY businessunits x.business_unit_id 'FROM user_business_units x JOIN business_units b ON b.id = x.business_unit_id WHERE x.user_id = t.id AND b.organization_id = 1'),
		   'organization', $(ONE organizations t.organization_id),
		   'roles', $(MANY userroles x.role_id 'FROM user_roles x JOIN roles o ON o.id = x.role_id WHERE x.user_id = t.id AND (o.organization_id = 1 OR o.organization_id IS NULL)')"
		from="FROM users t WHERE t.organization_id = 1 ORDER BY t.id" ;;
	userroles)
		a="'role', t.role, 'label', t.label, 'extend_description', t.extend_description, $(STAMPS)"
		r="'organization', $(ONE organizations t.organization_id),
		   'users', $(MANY users x.user_id 'FROM user_roles x JOIN users u ON u.id = x.user_id WHERE x.role_id = t.id AND u.organization_id = 1')"
		from="FROM roles t WHERE t.organization_id = 1 OR t.organization_id IS NULL ORDER BY t.id" ;;
	countries)
		a="'name', t.name, 'iso3Code', t.iso3_code, $(STAMPS)"
		r=""
		from="FROM countries t ORDER BY t.iso2_code" ;;
	accounts)
		a="'name', t.name, 'description', t.description, 'annualRevenue', $(MONEY t.annual_revenue),
		   'employeesCount', t.employees_count, $(CONTACTING_SQL), $(STAMPS)"
		r="'owner', $(ONE users t.owner_id), 'organization', $(ONE organizations t.organization_id),
		   'contacts', $(MANY contacts x.contact_id 'FROM account_contacts x JOIN contacts c ON c.id = x.contact_id WHERE x.account_id = t.id AND c.organization_id = 1'),
		   'defaultContact', $(ONE contacts t.default_contact_id)"
		from="FROM accounts t WHERE t.organization_id = 1 ORDER BY t.id" ;;
	contacts)
		a="'namePrefix', t.name_prefix, 'firstName', t.first_name, 'middleName', t.middle_name,
		   'lastName', t.last_name, 'nameSuffix', t.name_suffix, 'gender', t.gender,
		   'birthday', $(DATE t.birthday), 'description', t.description, 'jobTitle', t.job_title,
		   'email', t.email, 'phone', t.phone, 'fax', t.fax, 'skype', t.skype, 'twitter', t.twitter,
		   $(CONTACTING_SQL), $(STAMPS)"
		r="'owner', $(ONE users t.owner_id), 'organization', $(ONE organizations t.organization_id),
		   'assignedTo', $(ONE users t.assigned_to_id), 'reportsTo', $(ONE contacts t.reports_to_id),
		   'accounts', $(MANY accounts x.account_id 'FROM account_contacts x JOIN accounts c ON c.id = x.account_id WHERE x.contact_id = t.id AND c.organization_id = 1'),
		   'country', $(ONE countries t.country_code)"
		from="FROM contacts t WHERE t.organization_id = 1 ORDER BY t.id" ;;
	calls)
		a="'subject', t.subject, 'phoneNumber', t.phone_number, 'notes', t.notes,
		   'callDateTime', $(DT t.call_date_time), 'direction', t.direction, 'duration', t.duration, $(STAMPS)"
		r="'owner', $(ONE users t.owner_id), 'organization', $(ONE organizations t.organization_id),
		   'contact', $(ONE contacts t.contact_id), 'account', $(ONE accounts t.account_id)"
		from="FROM calls t WHERE t.organization_id = 1 ORDER BY t.id" ;;
	esac
	local idcol=t.id
	[ "$1" = countries ] && idcol=t.iso2_code
	echo "SELECT JSON_OBJECT('id', CAST($idcol AS CHAR), 'attributes', JSON_OBJECT($a),
	      'relationships', JSON_OBJECT($r)) $from"
}

# Normalises [{id, attributes, relationships}] (to-many linkage sorted by id).
NORM_JQ='map({id, attributes, relationships: ((.relationships // {}) | map_values(
	if type == "array" then sort_by(.id | tonumber? // .) else . end))})'

# compare_with_db TYPE: the whole org 1 list (one page) against the database.
compare_with_db() {
	local type=$1 expected actual
	get "/api/$type?page%5Bsize%5D=1000"
	expect_status 200 || return 1
	expected=$(db "$(expected_sql "$type")" | jq -s -c "$NORM_JQ") || return 1
	[ "$(jq length <<< "$expected")" -gt 0 ] || { echo "no $type rows in the database" >&2; return 1; }
	actual=$(jqb -c "[.data[] | {id, attributes, relationships: (.relationships // {} | map_values(.data))}] | $NORM_JQ")
	if ! jq -e -n --argjson a "$actual" --argjson e "$expected" '$a == $e' > /dev/null; then
		echo "$type differs from the database; first differing records:" >&2
		jq -n -c --argjson a "$actual" --argjson e "$expected" \
			'[range(0; [$a, $e] | map(length) | max) | select($a[.] != $e[.]) | {api: $a[.], db: $e[.]}][0:2][]' >&2
		echo "api ids: $(jq -c 'map(.id)' <<< "$actual")" >&2
		echo "db ids:  $(jq -c 'map(.id)' <<< "$expected")" >&2
		return 1
	fi
}

# check_item TYPE ID: GET /api/TYPE/ID is {"data": resource} and well formed.
check_item() {
	local type=$1 id=$2
	get "/api/$type/$id"
	expect_status 200 || return 1
	[ "$(header Content-Type)" = application/vnd.api+json ] || return 1
	[ "$(jqb -c 'keys')" = '["data"]' ] || { echo "top-level members: $(jqb -c keys)" >&2; return 1; }
	[ "$(jqb .data.id)" = "$id" ] || { echo "id $(jqb .data.id), expected $id" >&2; return 1; }
	check_resource "$type" "$(jqb -c .data)"
}

# item_equals_list_entry TYPE ID: the item's resource object equals the list's.
item_equals_list_entry() {
	local type=$1 id=$2 item
	get "/api/$type/$id"
	expect_status 200 || return 1
	item=$(jqb -c .data)
	get "/api/$type?page%5Bsize%5D=1000"
	expect_status 200 || return 1
	if ! jqb -e --argjson item "$item" --arg id "$id" '.data | map(select(.id == $id)) == [$item]' > /dev/null; then
		echo "$type $id: item $item differs from list entry $(jqb -c --arg id "$id" '.data[] | select(.id == $id)')" >&2
		return 1
	fi
}

# check_list TYPE COUNT: the default list page is a collection document.
check_list() {
	local type=$1 count=$2
	get "/api/$type"
	expect_status 200 || return 1
	[ "$(jqb -c 'keys')" = '["data","links"]' ] || { echo "top-level members: $(jqb -c keys)" >&2; return 1; }
	local n=$((count < 10 ? count : 10))
	[ "$(jqb '.data | length')" = "$n" ] || { echo "$(jqb '.data | length') items, expected $n" >&2; return 1; }
	[ "$(jqb .links.self)" = "$API_URL/api/$type" ] || { echo "links.self $(jqb .links.self)" >&2; return 1; }
	if [ "$count" -gt 10 ]; then
		[ "$(jqb .links.next)" = "$API_URL/api/$type?page%5Bnumber%5D=2" ] ||
			{ echo "links.next $(jqb .links.next)" >&2; return 1; }
	else
		[ "$(jqb '.links | has("next")')" = false ] || { echo "links: $(jqb -c .links)" >&2; return 1; }
	fi
	[ "$(jqb '.links | has("last")')" = false ]
	[ "$(jqb '.links | has("prev") or has("first")')" = false ]
	check_list_items "$type"
	[ "$CHECKED" = "$n" ]
}

# ---------------------------------------------------------------------------
# organizations
# ---------------------------------------------------------------------------
@test "organizations/1 is a single document: type, string id, absolute self link, the section 12 attributes, relationship links and linkage" {
	check_item organizations 1
	[ "$(jqb -c '.data.attributes | keys')" = '["createdAt","description","enabled","name","updatedAt"]' ]
	[ "$(jqb -c '.data.relationships | keys')" = '["businessUnits","users"]' ]
}

@test "organizations: every attribute and relationship of organization 1 equals the database" {
	compare_with_db organizations
}

@test "organizations: the list is a collection document of well-formed resources" {
	check_list organizations 1
	item_equals_list_entry organizations 1
}

@test "organizations/1 values: name, enabled true (boolean), datetimes in UTC with Z" {
	get /api/organizations/1
	expect_status 200
	[ "$(jqb .data.attributes.name)" = 'Acme Inc' ]
	[ "$(jqb -c .data.attributes.enabled)" = true ]
	[ "$(jqb .data.attributes.createdAt)" = 2016-01-01T08:00:00Z ]
	[ "$(jqb .data.attributes.description)" = "$(db 'SELECT description FROM organizations WHERE id=1')" ]
	[ "$(jqb '.data.relationships.businessUnits.data | map(.id) | join(",")')" = 1,2,3,4 ]
}

@test "organizations/2 has its null description present as null (seen from org 2)" {
	get_as globex_admin "$GLOBEX_KEY" /api/organizations/2
	expect_status 200
	[ "$(jqb '.data.attributes | has("description")')" = true ]
	[ "$(jqb -c .data.attributes.description)" = null ]
	[ "$(jqb .data.attributes.updatedAt)" = 2016-02-10T12:00:00Z ]
}

# ---------------------------------------------------------------------------
# businessunits
# ---------------------------------------------------------------------------
@test "businessunits/1, 2 and 4 are single documents with the section 12 attributes and relationships" {
	local id
	for id in 1 2 4; do check_item businessunits "$id"; done
	[ "$(jqb -c '.data.attributes | keys')" = '["createdAt","email","fax","name","phone","updatedAt","website"]' ]
	[ "$(jqb -c '.data.relationships | keys')" = '["organization","owner","users"]' ]
}

@test "businessunits: every attribute and relationship of org 1's units equals the database" {
	compare_with_db businessunits
}

@test "businessunits: the list is a collection document of well-formed resources" {
	check_list businessunits 4
	item_equals_list_entry businessunits 2
}

@test "businessunits: a top unit's owner is null, a child's owner is its parent; nulls are present" {
	get /api/businessunits/1
	expect_status 200
	[ "$(jqb -c .data.relationships.owner.data)" = null ]
	[ "$(jqb -c .data.relationships.organization.data)" = '{"type":"organizations","id":"1"}' ]
	get /api/businessunits/4
	expect_status 200
	[ "$(jqb -c .data.relationships.owner.data)" = '{"type":"businessunits","id":"2"}' ]
	[ "$(jqb -c '[.data.attributes.email, .data.attributes.fax, .data.attributes.website]')" = '[null,null,null]' ]
	[ "$(jqb .data.attributes.phone)" = +1-415-555-0130 ]
}

# ---------------------------------------------------------------------------
# users
# ---------------------------------------------------------------------------
@test "users/1, 3 and 10 are single documents with the section 12 attributes (no password) and relationships" {
	local id
	for id in 1 3 10; do check_item users "$id"; done
	[ "$(jqb -c '.data.attributes | keys')" = '["birthday","createdAt","email","enabled","firstName","lastLogin","lastName","loginCount","middleName","namePrefix","nameSuffix","updatedAt","username"]' ]
	[ "$(jqb -c '.data.relationships | keys')" = '["businessUnits","organization","owner","roles"]' ]
}

@test "users: every attribute and relationship of org 1's users equals the database" {
	compare_with_db users
}

@test "users: the list is a collection document of well-formed resources" {
	check_list users "$(db 'SELECT COUNT(*) FROM users WHERE organization_id=1')"
	item_equals_list_entry users 1
}

@test "users/1 values: email from the database, date, datetime, integer, boolean, null, linkage" {
	get /api/users/1
	expect_status 200
	[ "$(jqb .data.attributes.email)" = "$(db 'SELECT email FROM users WHERE id=1')" ]
	[ "$(jqb .data.attributes.email)" = admin@example.com ]
	[ "$(jqb .data.attributes.birthday)" = 1980-04-01 ]
	[ "$(jqb .data.attributes.lastLogin)" = 2016-09-19T11:01:31Z ]
	[ "$(jqb -c .data.attributes.loginCount)" = 12 ]
	[ "$(jqb '.data.attributes.loginCount | type')" = number ]
	[ "$(jqb -c .data.attributes.enabled)" = true ]
	[ "$(jqb '.data.attributes | has("middleName")')" = true ]
	[ "$(jqb -c .data.attributes.middleName)" = null ]
	[ "$(jqb -c .data.relationships.owner.data)" = '{"type":"businessunits","id":"1"}' ]
	[ "$(jqb -c '.data.relationships.businessUnits.data | sort_by(.id)')" = '[{"type":"businessunits","id":"1"},{"type":"businessunits","id":"2"}]' ]
	# admin holds ROLE_ADMINISTRATOR, ROLE_USER and ROLE_PLATFORM_ADMIN.
	[ "$(jqb -c '[.data.relationships.roles.data[] | select(.type == "userroles") | .id | tonumber] | sort | join(",")')" = \
	  "$(db "SELECT GROUP_CONCAT(role_id ORDER BY role_id) FROM user_roles WHERE user_id = 1")" ]
	[ "$(db "SELECT GROUP_CONCAT(role_id ORDER BY role_id) FROM user_roles WHERE user_id = 1")" = 1,2,11 ]
	[ "$(jqb .data.relationships.roles.links.self)" = "$API_URL/api/users/1/relationships/roles" ]
	[ "$(jqb .data.relationships.roles.links.related)" = "$API_URL/api/users/1/roles" ]
}

@test "users/3 (disabled_user) has enabled false and a null birthday" {
	get /api/users/3
	expect_status 200
	[ "$(jqb -c .data.attributes.enabled)" = false ]
	[ "$(jqb -c .data.attributes.birthday)" = null ]
	[ "$(jqb .data.attributes.middleName)" = E. ]
}

@test "users never carry a password attribute, in items or lists, even when one is stored" {
	db "UPDATE users SET password_hash='\$argon2id\$v=19\$m=65536,t=3,p=4\$c2FsdA\$aGFzaA' WHERE id=5"
	get /api/users/5
	local rc=0
	expect_status 200 || rc=1
	[ "$(jqb '.data.attributes | has("password")')" = false ] || rc=1
	[[ "$BODY" != *argon2id* ]] || rc=1
	get '/api/users?page%5Bsize%5D=1000'
	[ "$(jqb '[.data[].attributes | has("password") or has("passwordHash")] | any')" = false ] || rc=1
	[[ "$BODY" != *argon2id* ]] || rc=1
	db "UPDATE users SET password_hash=NULL WHERE id=5"
	[ $rc = 0 ]
}

# ---------------------------------------------------------------------------
# userroles
# ---------------------------------------------------------------------------
@test "userroles/1, 2 and 3 are single documents with the section 12 attributes and relationships" {
	local id
	for id in 1 2 3; do check_item userroles "$id"; done
	[ "$(jqb -c '.data.attributes | keys')" = '["createdAt","extend_description","label","role","updatedAt"]' ]
	[ "$(jqb -c '.data.relationships | keys')" = '["organization","users"]' ]
}

@test "userroles: every attribute and relationship of the roles org 1 sees equals the database" {
	compare_with_db userroles
}

@test "userroles: the list is a collection document of well-formed resources" {
	# organization 1's roles and the shared ones
	check_list userroles "$(db "SELECT COUNT(*) FROM roles WHERE organization_id = 1 OR organization_id IS NULL")"
	item_equals_list_entry userroles 3
}

@test "userroles: a shared role has organization null; an org role links its organization; null text is null" {
	get /api/userroles/2
	expect_status 200
	[ "$(jqb .data.attributes.role)" = ROLE_USER ]
	[ "$(jqb -c .data.attributes.extend_description)" = null ]
	[ "$(jqb -c .data.relationships.organization.data)" = null ]
	get /api/userroles/3
	expect_status 200
	[ "$(jqb -c .data.relationships.organization.data)" = '{"type":"organizations","id":"1"}' ]
	[ "$(jqb .data.attributes.updatedAt)" = 2016-02-01T10:00:00Z ]
}

# ---------------------------------------------------------------------------
# countries
# ---------------------------------------------------------------------------
@test "countries/US and countries/CI are single documents with a string code id and the section 12 attributes" {
	check_item countries US
	[ "$(jqb -c '.data.attributes | keys')" = '["createdAt","iso3Code","name","updatedAt"]' ]
	[ "$(jqb .data.links.self)" = "$API_URL/api/countries/US" ]
	check_item countries CI
	[ "$(jqb .data.attributes.name)" = "Côte d'Ivoire" ]
}

@test "countries: every attribute of every country equals the database" {
	compare_with_db countries
}

@test "countries: the list is a collection document of well-formed resources" {
	check_list countries "$(db 'SELECT COUNT(*) FROM countries')"
	[ "$(jqb '[.data[].id] | join(",")')" = AU,BR,CA,CH,CI,CN,DE,ES,FR,GB ]
	item_equals_list_entry countries GB
}

# ---------------------------------------------------------------------------
# accounts
# ---------------------------------------------------------------------------
@test "accounts/1, 3 and 4 are single documents with the section 12 attributes and relationships" {
	local id
	for id in 1 3 4; do check_item accounts "$id"; done
	[ "$(jqb -c '.data.attributes | keys')" = '["annualRevenue","createdAt","description","employeesCount","lastContactedDate","lastContactedDateIn","lastContactedDateOut","name","timesContacted","timesContactedIn","timesContactedOut","updatedAt"]' ]
	[ "$(jqb -c '.data.relationships | keys')" = '["contacts","defaultContact","organization","owner"]' ]
}

@test "accounts: every attribute and relationship of org 1's accounts equals the database" {
	compare_with_db accounts
}

@test "accounts: the list is a collection document of well-formed resources" {
	check_list accounts "$(db 'SELECT COUNT(*) FROM accounts WHERE organization_id=1')"
	item_equals_list_entry accounts 1
}

@test "accounts/1 values: annualRevenue is the string 1200.5000, employeesCount the number 50, linkage from the database" {
	get /api/accounts/1
	expect_status 200
	[ "$(jqb '.data.attributes.annualRevenue | type')" = string ]
	[ "$(jqb .data.attributes.annualRevenue)" = 1200.5000 ]
	[ "$(jqb -c .data.attributes.employeesCount)" = 50 ]
	[ "$(jqb .data.attributes.name)" = 'Acme Widgets' ]
	[ "$(jqb -c .data.attributes.timesContacted)" = "$(db 'SELECT times_contacted FROM accounts WHERE id=1')" ]
	[ "$(jqb '.data.attributes.timesContacted | type')" = number ]
	[ "$(jqb .data.attributes.lastContactedDate)" = \
		"$(db "SELECT DATE_FORMAT(last_contacted_date, '%Y-%m-%dT%H:%i:%sZ') FROM accounts WHERE id=1")" ]
	[ "$(jqb -c .data.relationships.defaultContact.data)" = '{"type":"contacts","id":"1"}' ]
	[ "$(jqb -c .data.relationships.owner.data)" = '{"type":"users","id":"1"}' ]
	[ "$(jqb '.data.relationships.contacts.data | map(.id) | sort_by(tonumber) | join(",")')" = \
		"$(db 'SELECT contact_id FROM account_contacts WHERE account_id=1 ORDER BY contact_id' | paste -sd,)" ]
}

@test "accounts/3 and 4: null money, null integer and null to-one are present as null" {
	get /api/accounts/3
	expect_status 200
	[ "$(jqb '.data.attributes | has("annualRevenue")')" = true ]
	[ "$(jqb -c .data.attributes.annualRevenue)" = null ]
	get /api/accounts/4
	expect_status 200
	[ "$(jqb -c .data.attributes.employeesCount)" = null ]
	[ "$(jqb -c .data.relationships.defaultContact.data)" = null ]
}

# ---------------------------------------------------------------------------
# contacts
# ---------------------------------------------------------------------------
@test "contacts/1, 17 and 19 are single documents with the section 12 attributes and relationships" {
	local id
	for id in 1 17 19; do check_item contacts "$id"; done
	[ "$(jqb -c '.data.attributes | keys')" = '["birthday","createdAt","description","email","fax","firstName","gender","jobTitle","lastContactedDate","lastContactedDateIn","lastContactedDateOut","lastName","middleName","namePrefix","nameSuffix","phone","skype","timesContacted","timesContactedIn","timesContactedOut","twitter","updatedAt"]' ]
	[ "$(jqb -c '.data.relationships | keys')" = '["accounts","assignedTo","country","organization","owner","reportsTo"]' ]
}

@test "contacts: every attribute and relationship of org 1's contacts equals the database" {
	compare_with_db contacts
}

@test "contacts: the list is a collection document of well-formed resources" {
	check_list contacts "$(db 'SELECT COUNT(*) FROM contacts WHERE organization_id=1')"
	item_equals_list_entry contacts 1
}

@test "contacts/1 accounts linkage equals its account_contacts rows; to-one links to countries and users" {
	get /api/contacts/1
	expect_status 200
	[ "$(jqb '.data.relationships.accounts.data | map(.id) | sort_by(tonumber) | join(",")')" = \
		"$(db 'SELECT account_id FROM account_contacts WHERE contact_id=1 ORDER BY account_id' | paste -sd,)" ]
	[ "$(jqb '.data.relationships.accounts.data | map(.type) | unique | join(",")')" = accounts ]
	[ "$(jqb -c .data.relationships.country.data)" = '{"type":"countries","id":"US"}' ]
	[ "$(jqb -c .data.relationships.assignedTo.data)" = '{"type":"users","id":"1"}' ]
	[ "$(jqb -c .data.relationships.reportsTo.data)" = null ]
	[ "$(jqb .data.attributes.gender)" = male ]
	[ "$(jqb .data.attributes.birthday)" = 1975-03-10 ]
	[ "$(jqb -c .data.attributes.fax)" = null ]
	[ "$(jqb .data.attributes.twitter)" = @jcoleman ]
}

# ---------------------------------------------------------------------------
# calls
# ---------------------------------------------------------------------------
@test "calls/1, 9 and 10 are single documents with the section 12 attributes and relationships" {
	local id
	for id in 1 9 10; do check_item calls "$id"; done
	[ "$(jqb -c '.data.attributes | keys')" = '["callDateTime","createdAt","direction","duration","notes","phoneNumber","subject","updatedAt"]' ]
	[ "$(jqb -c '.data.relationships | keys')" = '["account","contact","organization","owner"]' ]
}

@test "calls: every attribute and relationship of org 1's calls equals the database" {
	compare_with_db calls
}

@test "calls: the list is a collection document of well-formed resources" {
	check_list calls "$(db 'SELECT COUNT(*) FROM calls WHERE organization_id=1')"
	item_equals_list_entry calls 9
}

@test "calls/1 and 9 values: datetime, enum, integer duration, nullable text and to-one" {
	get /api/calls/1
	expect_status 200
	[ "$(jqb .data.attributes.callDateTime)" = 2016-09-20T14:00:00Z ]
	[ "$(jqb .data.attributes.direction)" = outgoing ]
	[ "$(jqb -c .data.attributes.duration)" = 300 ]
	[ "$(jqb -c .data.relationships.contact.data)" = '{"type":"contacts","id":"1"}' ]
	[ "$(jqb -c .data.relationships.account.data)" = '{"type":"accounts","id":"1"}' ]
	get /api/calls/9
	expect_status 200
	[ "$(jqb -c .data.attributes.notes)" = null ]
	[ "$(jqb -c .data.relationships.contact.data)" = null ]
	[ "$(jqb -c .data.relationships.account.data)" = null ]
}

# ---------------------------------------------------------------------------
# asyncoperations (rows inserted here, removed in teardown)
# ---------------------------------------------------------------------------
insert_async() { # insert_async STATUS PROGRESS SUMMARY ELAPSED -> prints the id
	local id
	id=$(db "INSERT INTO async_operations (organization_id, owner_id, status, progress, entity_type,
	         elapsed_time, summary, created_at, updated_at)
	         VALUES (1, 1, '$1', $2, 'accounts', $4, $3, '2016-09-19 11:01:31', '2016-09-19 11:01:43');
	         SELECT LAST_INSERT_ID()") || return 1
	ASYNC_IDS=${ASYNC_IDS:+$ASYNC_IDS,}$id
	echo "$id"
}

@test "asyncoperations: a finished operation shows status, progress, summary JSON, elapsedTime and UTC datetimes" {
	local summary='{"aggregateTime":5,"readCount":3,"writeCount":3,"errorCount":0,"createCount":2,"updateCount":1}'
	local id
	id=$(insert_async success 1 "'$summary'" 12)
	ASYNC_IDS=$id
	check_item asyncoperations "$id"
	[ "$(jqb -c '.data.attributes | keys')" = '["createdAt","elapsedTime","entityType","progress","status","summary","updatedAt"]' ]
	jqb -e --argjson s "$summary" '.data.attributes == {status: "success", progress: 1, entityType: "accounts",
		elapsedTime: 12, summary: $s, createdAt: "2016-09-19T11:01:31Z", updatedAt: "2016-09-19T11:01:43Z"}' ||
		{ echo "attributes: $(jqb -c .data.attributes)" >&2; return 1; }
	[ "$(jqb '.data.attributes.summary | type')" = object ]
	[ "$(jqb '.data.attributes.progress | type')" = number ]
}

@test "asyncoperations: a running operation has a fractional progress and a null summary" {
	local id
	id=$(insert_async running 0.75 NULL 3)
	ASYNC_IDS=$id
	check_item asyncoperations "$id"
	jqb -e '.data.attributes.progress == 0.75 and .data.attributes.summary == null and
		(.data.attributes | has("summary")) and .data.attributes.status == "running" and
		.data.attributes.elapsedTime == 3' ||
		{ echo "attributes: $(jqb -c .data.attributes)" >&2; return 1; }
}

@test "asyncoperations: a new operation has progress null and summary null, both present" {
	local id
	id=$(insert_async new NULL NULL 0)
	ASYNC_IDS=$id
	check_item asyncoperations "$id"
	[ "$(jqb -c '.data.attributes | [.progress, .summary, .status, .elapsedTime]')" = '[null,null,"new",0]' ]
}

# ---------------------------------------------------------------------------
# Across types
# ---------------------------------------------------------------------------
@test "every datetime of every org 1 record of every type is UTC 'YYYY-MM-DDTHH:MM:SSZ' or null" {
	local t bad
	for t in organizations businessunits users userroles countries accounts contacts calls; do
		get "/api/$t?page%5Bsize%5D=1000"
		expect_status 200
		bad=$(jqb -c '[.data[] | .attributes | to_entries[]
			| select(.key | test("At$|Date|DateTime|lastLogin"))
			| select(.value != null and (.value | tostring | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$") | not))]')
		[ "$bad" = "[]" ] || { echo "$t: $bad" >&2; return 1; }
	done
}

@test "a single document has no top-level links and no included; a list has links and no included" {
	get /api/accounts/1
	expect_status 200
	[ "$(jqb 'has("links") or has("included") or has("errors")')" = false ]
	get /api/accounts
	expect_status 200
	[ "$(jqb 'has("included") or has("errors")')" = false ]
	[ "$(jqb '.links | type')" = object ]
}

@test "a list page past the first has first and prev links and keeps a non-default page size" {
	get '/api/contacts?page%5Bsize%5D=5&page%5Bnumber%5D=3'
	expect_status 200
	[ "$(jqb '[.data[].id] | join(",")')" = "$(db 'SELECT id FROM contacts WHERE organization_id=1 ORDER BY id LIMIT 5 OFFSET 10' | paste -sd,)" ]
	[ "$(jqb .links.self)" = "$API_URL/api/contacts" ]
	[ "$(jqb .links.first)" = "$API_URL/api/contacts?page%5Bsize%5D=5" ]
	[ "$(jqb .links.prev)" = "$API_URL/api/contacts?page%5Bnumber%5D=2&page%5Bsize%5D=5" ]
	[ "$(jqb .links.next)" = "$API_URL/api/contacts?page%5Bnumber%5D=4&page%5Bsize%5D=5" ]
	check_list_items contacts
}

# links_under BASE: GET /api/contacts/1 through cgi with base_url BASE;
# prints its self link, its owner's two links and its accounts' self link.
links_under() {
	env -i API_CONFIG="$API_CONFIG" API_BASE_URL="$1" REQUEST_METHOD=GET REQUEST_URI=/api/contacts/1 \
		HTTP_HOST=internal.test HTTP_ACCEPT=application/vnd.api+json \
		HTTP_X_WSSE="$(wsse | sed 's/^X-WSSE: //')" "$API_FCGI" < /dev/null |
		LC_ALL=C sed '1,/^\r$/d' | jq -r '.data | .links.self, .relationships.owner.links.self,
			.relationships.owner.links.related, .relationships.accounts.links.self'
}

@test "links of a resource object: a base_url JSON must escape, and one longer than a link's usual room" {
	local base
	for base in 'https://x.test/a"b\c/é' "https://x.test/$(printf 'p%.0s' $(seq 1 300))"; do
		run links_under "$base"
		[ "$status" -eq 0 ]
		[ "${lines[0]}" = "$base/api/contacts/1" ]
		[ "${lines[1]}" = "$base/api/contacts/1/relationships/owner" ]
		[ "${lines[2]}" = "$base/api/contacts/1/owner" ]
		[ "${lines[3]}" = "$base/api/contacts/1/relationships/accounts" ]
	done
}
