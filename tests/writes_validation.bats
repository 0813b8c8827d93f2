# writes_validation.bats: every validation error of section 8 and the value
# formats of section 5.4 on POST and PATCH, each with its exact status,
# title, detail and pointer, and the stored value (or nothing stored)
# checked in the database. Every record is made here, with unique names.
load helpers/common

setup() {
	U="v$(date +%s%N)$BATS_TEST_NUMBER"
}

# expect_one_error STATUS TITLE DETAIL POINTER: the response is exactly
# that one error.
expect_one_error() {
	expect_error "$1" "$2" "$3" || return 1
	[ "$(jqb '.errors | length')" = 1 ] || { echo "errors: $BODY" >&2; return 1; }
	[ "$(jqb '.errors[0].source.pointer')" = "$4" ] ||
		{ echo "pointer: $(jqb '.errors[0].source.pointer')" >&2; return 1; }
}

# has_error STATUS TITLE DETAIL POINTER: one of the errors is exactly that.
has_error() {
	local n
	n=$(jq --arg s "$1" --arg t "$2" --arg d "$3" --arg p "$4" \
		'[.errors[] | select(.status == $s and .title == $t and .detail == $d and .source.pointer == $p)] | length' <<< "$BODY")
	[ "$n" = 1 ] || { echo "no '$1 $2 / $3' at $4 in: $BODY" >&2; return 1; }
}

# patch_contact ATTRIBUTES_JSON: PATCH of contact CID.
patch_contact() {
	send PATCH "/api/contacts/$CID" "{\"data\":{\"type\":\"contacts\",\"id\":\"$CID\",\"attributes\":$1}}"
}

# new_user [EXTRA_ATTRIBUTES]: creates a user in business unit 1; id in UID_.
new_user() {
	send POST /api/users "{\"data\":{\"type\":\"users\",\"attributes\":{\"username\":\"$U\",\"email\":\"$U@example.com\"${1:+,$1}},\"relationships\":{\"owner\":{\"data\":{\"type\":\"businessunits\",\"id\":\"1\"}}}}}"
	expect_status 201
	UID_=$(jqb .data.id)
}

# repeat N TEXT: TEXT N times.
repeat() {
	local out="" i
	for ((i = 0; i < $1; i++)); do out+=$2; done
	printf '%s' "$out"
}

# --- extra fields -----------------------------------------------------------

@test "POST: unknown and read-only attributes and relationships are each an extra fields constraint at their pointer" {
	before=$(db "SELECT COUNT(*) FROM contacts")
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"$U\",\"createdAt\":\"2020-01-01T00:00:00Z\",\"timesContacted\":5,\"bogus\":1},\"relationships\":{\"organization\":{\"data\":{\"type\":\"organizations\",\"id\":\"1\"}}}}}"
	expect_status 400
	[ "$(jqb '.errors | length')" = 4 ]
	has_error 400 "extra fields constraint" 'This form should not contain extra fields: "createdAt".' /data/attributes/createdAt
	has_error 400 "extra fields constraint" 'This form should not contain extra fields: "timesContacted".' /data/attributes/timesContacted
	has_error 400 "extra fields constraint" 'This form should not contain extra fields: "bogus".' /data/attributes/bogus
	has_error 400 "extra fields constraint" 'This form should not contain extra fields: "organization".' /data/relationships/organization
	[ "$(db "SELECT COUNT(*) FROM contacts")" = "$before" ]
}

@test "POST: an unknown relationship is an extra fields constraint too" {
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"$U\"},\"relationships\":{\"friends\":{\"data\":[]}}}}"
	expect_one_error 400 "extra fields constraint" 'This form should not contain extra fields: "friends".' /data/relationships/friends
}

@test "PATCH: read-only attributes (updatedAt, users.loginCount, lastLogin) are extra fields and nothing changes" {
	new_user
	send PATCH "/api/users/$UID_" "{\"data\":{\"type\":\"users\",\"id\":\"$UID_\",\"attributes\":{\"firstName\":\"Changed\",\"loginCount\":99,\"lastLogin\":\"2020-01-01T00:00:00Z\",\"updatedAt\":\"2020-01-01T00:00:00Z\"}}}"
	expect_status 400
	[ "$(jqb '.errors | length')" = 3 ]
	has_error 400 "extra fields constraint" 'This form should not contain extra fields: "loginCount".' /data/attributes/loginCount
	has_error 400 "extra fields constraint" 'This form should not contain extra fields: "lastLogin".' /data/attributes/lastLogin
	has_error 400 "extra fields constraint" 'This form should not contain extra fields: "updatedAt".' /data/attributes/updatedAt
	[ "$(db "SELECT COALESCE(first_name, 'NULL'), login_count FROM users WHERE id = $UID_")" = "$(printf 'NULL\t0')" ]
}

@test "a write-only attribute is writable but a read-only relationship (users.organization) is an extra field" {
	send POST /api/users "{\"data\":{\"type\":\"users\",\"attributes\":{\"username\":\"$U\",\"email\":\"$U@example.com\",\"password\":\"secret-pw-1\"},\"relationships\":{\"owner\":{\"data\":{\"type\":\"businessunits\",\"id\":\"1\"}},\"organization\":{\"data\":{\"type\":\"organizations\",\"id\":\"1\"}}}}}"
	expect_one_error 400 "extra fields constraint" 'This form should not contain extra fields: "organization".' /data/relationships/organization
	[ "$(db "SELECT COUNT(*) FROM users WHERE username = '$U'")" = 0 ]
}

# --- required ---------------------------------------------------------------

@test "POST users without username, email and owner: three not blank constraints with their pointers" {
	before=$(db "SELECT COUNT(*) FROM users")
	send POST /api/users '{"data":{"type":"users","attributes":{"firstName":"Nobody"}}}'
	expect_status 400
	[ "$(jqb '.errors | length')" = 3 ]
	has_error 400 "not blank constraint" "This value should not be blank." /data/attributes/username
	has_error 400 "not blank constraint" "This value should not be blank." /data/attributes/email
	has_error 400 "not blank constraint" "This value should not be blank." /data/relationships/owner/data
	[ "$(db "SELECT COUNT(*) FROM users")" = "$before" ]
}

@test "POST calls without its required members: not blank constraint for subject, phoneNumber, callDateTime, direction" {
	before=$(db "SELECT COUNT(*) FROM calls")
	send POST /api/calls '{"data":{"type":"calls","attributes":{"notes":"n"}}}'
	expect_status 400
	[ "$(jqb '.errors | length')" = 4 ]
	for a in subject phoneNumber callDateTime direction; do
		has_error 400 "not blank constraint" "This value should not be blank." "/data/attributes/$a"
	done
	[ "$(db "SELECT COUNT(*) FROM calls")" = "$before" ]
}

@test "a required attribute sent empty or null is a not blank constraint (POST and PATCH)" {
	send POST /api/accounts '{"data":{"type":"accounts","attributes":{"name":""}}}'
	expect_one_error 400 "not blank constraint" "This value should not be blank." /data/attributes/name
	send POST /api/accounts '{"data":{"type":"accounts","attributes":{"name":null}}}'
	expect_one_error 400 "not blank constraint" "This value should not be blank." /data/attributes/name
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$U\"}}}"
	expect_status 201
	id=$(jqb .data.id)
	send PATCH "/api/accounts/$id" "{\"data\":{\"type\":\"accounts\",\"id\":\"$id\",\"attributes\":{\"name\":null}}}"
	expect_one_error 400 "not blank constraint" "This value should not be blank." /data/attributes/name
	[ "$(db "SELECT name FROM accounts WHERE id = $id")" = "$U" ]
}

@test "a required to-one relationship set to null is a not blank constraint (users.owner)" {
	new_user
	send PATCH "/api/users/$UID_" "{\"data\":{\"type\":\"users\",\"id\":\"$UID_\",\"relationships\":{\"owner\":{\"data\":null}}}}"
	expect_one_error 400 "not blank constraint" "This value should not be blank." /data/relationships/owner/data
	[ "$(db "SELECT business_unit_id FROM users WHERE id = $UID_")" = 1 ]
}

@test "PATCH may leave required members out: only the members sent change" {
	new_user
	send PATCH "/api/users/$UID_" "{\"data\":{\"type\":\"users\",\"id\":\"$UID_\",\"attributes\":{\"lastName\":\"Only\"}}}"
	expect_status 200
	[ "$(jqb .data.attributes.username)" = "$U" ]
	[ "$(jqb .data.attributes.lastName)" = Only ]
}

@test "contacts need a first or a last name: none of them is 400 not blank constraint at firstName, nothing stored" {
	before=$(db "SELECT COUNT(*) FROM contacts")
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"attributes\":{\"email\":\"$U@example.com\"}}}"
	expect_one_error 400 "not blank constraint" "The first name or the last name must be set." /data/attributes/firstName
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"attributes\":{\"firstName\":\"\",\"lastName\":null,\"email\":\"$U@example.com\"}}}"
	expect_one_error 400 "not blank constraint" "The first name or the last name must be set." /data/attributes/firstName
	[ "$(db "SELECT COUNT(*) FROM contacts")" = "$before" ]
}

@test "contacts need a first or a last name: either one is enough; a PATCH removing the last one is refused and rolled back" {
	new_contact "{\"firstName\":\"$U\"}"
	new_contact "{\"lastName\":\"$U\"}"
	patch_contact '{"lastName":null,"jobTitle":"Gone"}'
	expect_one_error 400 "not blank constraint" "The first name or the last name must be set." /data/attributes/firstName
	[ "$(db "SELECT last_name, COALESCE(job_title, 'NULL') FROM contacts WHERE id = $CID")" = "$(printf '%s\tNULL' "$U")" ]
	patch_contact '{"firstName":"Now","lastName":null}'
	expect_status 200
	[ "$(jqb .data.attributes.lastName)" = null ]
}

# --- lengths ----------------------------------------------------------------

@test "length: firstName of 255 characters is stored, 256 is 400 length constraint with the column size" {
	long=$(repeat 255 a)
	new_contact "{\"firstName\":\"$long\"}"
	[ "$(db "SELECT CHAR_LENGTH(first_name) FROM contacts WHERE id = $CID")" = 255 ]
	[ "$(jqb .data.attributes.firstName)" = "$long" ]
	before=$(db "SELECT COUNT(*) FROM contacts")
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"attributes\":{\"firstName\":\"${long}b\"}}}"
	expect_one_error 400 "length constraint" "This value is too long. It should have 255 characters or less." /data/attributes/firstName
	[ "$(db "SELECT COUNT(*) FROM contacts")" = "$before" ]
	patch_contact "{\"firstName\":\"${long}b\"}"
	expect_one_error 400 "length constraint" "This value is too long. It should have 255 characters or less." /data/attributes/firstName
}

@test "length: multibyte characters count as one (255 x 'é' and 255 x an emoji stored; 256 x 'é' refused)" {
	long=$(repeat 255 é)
	new_contact "{\"firstName\":\"$long\"}"
	[ "$(db "SELECT CHAR_LENGTH(first_name), LENGTH(first_name) FROM contacts WHERE id = $CID")" = "$(printf '255\t510')" ]
	emoji=$(repeat 255 '😀')
	new_contact "{\"lastName\":\"$emoji\"}"
	[ "$(db "SELECT CHAR_LENGTH(last_name) FROM contacts WHERE id = $CID")" = 255 ]
	get "/api/contacts/$CID"
	[ "$(jqb .data.attributes.lastName)" = "$emoji" ]
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"attributes\":{\"firstName\":\"${long}é\"}}}"
	expect_one_error 400 "length constraint" "This value is too long. It should have 255 characters or less." /data/attributes/firstName
}

@test "length: other column sizes (contacts.phone 100, countries.iso3Code 3) in the detail" {
	new_contact
	patch_contact "{\"phone\":\"$(repeat 101 1)\"}"
	expect_one_error 400 "length constraint" "This value is too long. It should have 100 characters or less." /data/attributes/phone
	patch_contact "{\"phone\":\"$(repeat 100 1)\"}"
	expect_status 200
	send POST /api/countries '{"data":{"type":"countries","id":"QV","attributes":{"name":"Toolong","iso3Code":"QVVV"}}}'
	expect_one_error 400 "length constraint" "This value is too long. It should have 3 characters or less." /data/attributes/iso3Code
	[ "$(db "SELECT COUNT(*) FROM countries WHERE iso2_code = 'QV'")" = 0 ]
}

@test "length: a text column holds 65535 bytes: 21845 x '€' is stored, 30000 x '€' is 400 length constraint (not a 500)" {
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$U\",\"description\":\"$(repeat 21845 €)\"}}}"
	expect_status 201
	[ "$(db "SELECT LENGTH(description) FROM accounts WHERE id = $(jqb .data.id)")" = 65535 ]
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$U\",\"description\":\"$(repeat 30000 €)\"}}}"
	expect_one_error 400 "length constraint" "This value is too long. It should have 65535 bytes or less." /data/attributes/description
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$U\",\"description\":\"$(repeat 65536 a)\"}}}"
	expect_one_error 400 "length constraint" "This value is too long. It should have 65535 characters or less." /data/attributes/description
	[ "$(db "SELECT COUNT(*) FROM accounts WHERE name = '$U'")" = 1 ]
}

# --- email ------------------------------------------------------------------

@test "email: a malformed address is 400 email constraint; a valid one is stored" {
	for bad in nope "a@b" "@example.com" "a b@example.com" "a@example..com"; do
		send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"$U\",\"email\":\"$bad\"}}}"
		expect_one_error 400 "email constraint" "This value is not a valid email address." /data/attributes/email
	done
	send POST /api/users "{\"data\":{\"type\":\"users\",\"attributes\":{\"username\":\"$U\",\"email\":\"not-an-email\"},\"relationships\":{\"owner\":{\"data\":{\"type\":\"businessunits\",\"id\":\"1\"}}}}}"
	expect_one_error 400 "email constraint" "This value is not a valid email address." /data/attributes/email
	new_contact "{\"lastName\":\"$U\",\"email\":\"first.last+tag@mail.example.co.uk\"}"
	[ "$(db "SELECT email FROM contacts WHERE id = $CID")" = first.last+tag@mail.example.co.uk ]
}

# --- enums ------------------------------------------------------------------

@test "enum: contacts.gender takes only male|female (case matters), else form constraint" {
	new_contact "{\"lastName\":\"$U\",\"gender\":\"female\"}"
	[ "$(db "SELECT gender FROM contacts WHERE id = $CID")" = female ]
	for bad in '"x"' '"Male"' '1' '""'; do
		patch_contact "{\"gender\":$bad}"
		expect_one_error 400 "form constraint" "The value you selected is not a valid choice." /data/attributes/gender
	done
	patch_contact '{"gender":"male"}'
	expect_status 200
	[ "$(jqb .data.attributes.gender)" = male ]
	patch_contact '{"gender":null}'
	expect_status 200
	[ "$(jqb .data.attributes.gender)" = null ]
}

@test "enum: calls.direction takes only incoming|outgoing" {
	send POST /api/calls "{\"data\":{\"type\":\"calls\",\"attributes\":{\"subject\":\"$U\",\"phoneNumber\":\"1\",\"callDateTime\":\"2020-01-01T10:00:00Z\",\"direction\":\"sideways\"}}}"
	expect_one_error 400 "form constraint" "The value you selected is not a valid choice." /data/attributes/direction
	send POST /api/calls "{\"data\":{\"type\":\"calls\",\"attributes\":{\"subject\":\"$U\",\"phoneNumber\":\"1\",\"callDateTime\":\"2020-01-01T10:00:00Z\",\"direction\":\"outgoing\"}}}"
	expect_status 201
	[ "$(db "SELECT direction FROM calls WHERE id = $(jqb .data.id)")" = outgoing ]
}

# --- integers ---------------------------------------------------------------

@test "integer: a number or a string of digits is stored; anything else is 400 Please enter an integer." {
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$U\",\"employeesCount\":\"42\"}}}"
	expect_status 201
	id=$(jqb .data.id)
	[ "$(jqb '.data.attributes.employeesCount')" = 42 ]
	[ "$(jqb '.data.attributes.employeesCount | type')" = number ]
	[ "$(db "SELECT employees_count FROM accounts WHERE id = $id")" = 42 ]
	send PATCH "/api/accounts/$id" "{\"data\":{\"type\":\"accounts\",\"id\":\"$id\",\"attributes\":{\"employeesCount\":7}}}"
	expect_status 200
	[ "$(db "SELECT employees_count FROM accounts WHERE id = $id")" = 7 ]
	for bad in '"12a"' '1.5' '"1.5"' 'true' '""' '" 3"' '"99999999999999999999"'; do
		send PATCH "/api/accounts/$id" "{\"data\":{\"type\":\"accounts\",\"id\":\"$id\",\"attributes\":{\"employeesCount\":$bad}}}"
		expect_one_error 400 "form constraint" "Please enter an integer." /data/attributes/employeesCount ||
			{ echo "value $bad" >&2; return 1; }
	done
	[ "$(db "SELECT employees_count FROM accounts WHERE id = $id")" = 7 ]
}

@test "integer: a value outside the column's range (employeesCount 3000000000, calls.duration -5) is a 400 at its pointer, not a 500" {
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$U\",\"employeesCount\":3000000000}}}"
	expect_error 400 "range constraint" "This value should be between -2147483648 and 2147483647."
	[ "$(jqb '.errors[0].source.pointer')" = /data/attributes/employeesCount ]
	send POST /api/calls "{\"data\":{\"type\":\"calls\",\"attributes\":{\"subject\":\"$U\",\"phoneNumber\":\"1\",\"direction\":\"incoming\",\"callDateTime\":\"2020-01-01T00:00:00Z\",\"duration\":-5}}}"
	expect_error 400 "range constraint" "This value should be greater than or equal to 0."
	[ "$(jqb '.errors[0].source.pointer')" = /data/attributes/duration ]
	[ "$(db "SELECT COUNT(*) FROM accounts WHERE name = '$U'") $(db "SELECT COUNT(*) FROM calls WHERE subject = '$U'")" = "0 0" ]
}

# --- booleans ---------------------------------------------------------------

@test "boolean: true/false, 1/0, \"1\"/\"0\", \"true\"/\"false\", \"yes\"/\"no\" are each stored right" {
	new_user '"enabled":false'
	[ "$(db "SELECT enabled FROM users WHERE id = $UID_")" = 0 ]
	for pair in 'true 1' '0 0' '1 1' '"0" 0' '"1" 1' '"false" 0' '"true" 1' '"no" 0' '"yes" 1' 'false 0'; do
		set -- $pair
		send PATCH "/api/users/$UID_" "{\"data\":{\"type\":\"users\",\"id\":\"$UID_\",\"attributes\":{\"enabled\":$1}}}"
		expect_status 200 || { echo "value $1" >&2; return 1; }
		[ "$(db "SELECT enabled FROM users WHERE id = $UID_")" = "$2" ] || { echo "value $1 stored wrong" >&2; return 1; }
		want=$([ "$2" = 1 ] && echo true || echo false)
		[ "$(jqb '.data.attributes.enabled')" = "$want" ] || { echo "value $1 rendered $(jqb .data.attributes.enabled)" >&2; return 1; }
	done
}

@test "boolean: users.enabled defaults to true; other values are 400 This value is not valid." {
	new_user
	[ "$(jqb .data.attributes.enabled)" = true ]
	[ "$(db "SELECT enabled FROM users WHERE id = $UID_")" = 1 ]
	for bad in '2' '"maybe"' '""' '"2"' '0.5'; do
		send PATCH "/api/users/$UID_" "{\"data\":{\"type\":\"users\",\"id\":\"$UID_\",\"attributes\":{\"enabled\":$bad}}}"
		expect_one_error 400 "form constraint" "This value is not valid." /data/attributes/enabled ||
			{ echo "value $bad" >&2; return 1; }
	done
	[ "$(db "SELECT enabled FROM users WHERE id = $UID_")" = 1 ]
}

@test "boolean: null is 400 not null constraint / This value should not be null. (POST and PATCH), not a 500" {
	send POST /api/users "{\"data\":{\"type\":\"users\",\"attributes\":{\"username\":\"$U\",\"email\":\"$U@example.com\",\"enabled\":null},\"relationships\":{\"owner\":{\"data\":{\"type\":\"businessunits\",\"id\":\"1\"}}}}}"
	expect_one_error 400 "not null constraint" "This value should not be null." /data/attributes/enabled
	[ "$(db "SELECT COUNT(*) FROM users WHERE username = '$U'")" = 0 ]
	new_user
	send PATCH "/api/users/$UID_" "{\"data\":{\"type\":\"users\",\"id\":\"$UID_\",\"attributes\":{\"enabled\":null}}}"
	expect_one_error 400 "not null constraint" "This value should not be null." /data/attributes/enabled
	[ "$(db "SELECT enabled FROM users WHERE id = $UID_")" = 1 ]
}

# --- money ------------------------------------------------------------------

@test "money: annualRevenue 1200.55555 is stored and rendered rounded to 4 decimals, \"1200.5556\"" {
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$U\",\"annualRevenue\":1200.55555}}}"
	expect_status 201
	id=$(jqb .data.id)
	[ "$(jqb '.data.attributes.annualRevenue')" = 1200.5556 ]
	[ "$(jqb '.data.attributes.annualRevenue | type')" = string ]
	[ "$(db "SELECT annual_revenue FROM accounts WHERE id = $id")" = 1200.5556 ]
	get "/api/accounts/$id"
	[ "$(jqb '.data.attributes.annualRevenue')" = 1200.5556 ]
}

@test "money: numbers and numeric strings, rounded half away from zero; non-numbers are form constraint" {
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$U\"}}}"
	id=$(jqb .data.id)
	for pair in '"1200.55555" 1200.5556' '1200.5 1200.5000' '1200 1200.0000' '"-1.00005" -1.0001' \
		'"0.00004" 0.0000' '"12.3" 12.3000'; do
		set -- $pair
		send PATCH "/api/accounts/$id" "{\"data\":{\"type\":\"accounts\",\"id\":\"$id\",\"attributes\":{\"annualRevenue\":$1}}}"
		expect_status 200 || { echo "value $1" >&2; return 1; }
		[ "$(jqb '.data.attributes.annualRevenue')" = "$2" ] ||
			{ echo "value $1 gave $(jqb .data.attributes.annualRevenue)" >&2; return 1; }
		[ "$(db "SELECT annual_revenue FROM accounts WHERE id = $id")" = "$2" ]
	done
	for bad in '"abc"' '"12,5"' 'true' '""' '"1e3x"'; do
		send PATCH "/api/accounts/$id" "{\"data\":{\"type\":\"accounts\",\"id\":\"$id\",\"attributes\":{\"annualRevenue\":$bad}}}"
		expect_one_error 400 "form constraint" "This value is not valid." /data/attributes/annualRevenue ||
			{ echo "value $bad" >&2; return 1; }
	done
}

# --- dates and datetimes ----------------------------------------------------

@test "date: YYYY-MM-DD is stored; an impossible or other-format date is 400 The \"x\" is not valid date." {
	new_contact "{\"lastName\":\"$U\",\"birthday\":\"1980-02-29\"}"
	[ "$(db "SELECT birthday FROM contacts WHERE id = $CID")" = 1980-02-29 ]
	[ "$(jqb .data.attributes.birthday)" = 1980-02-29 ]
	for bad in 1981-02-29 01/04/1980 1980-4-1 1980-04-01T00:00:00Z; do
		patch_contact "{\"birthday\":\"$bad\"}"
		expect_one_error 400 "form constraint" "The \"$bad\" is not valid date." /data/attributes/birthday
	done
	[ "$(db "SELECT birthday FROM contacts WHERE id = $CID")" = 1980-02-29 ]
}

@test "datetime: an offset is converted to UTC (stored and rendered); Z and fractions accepted" {
	call() {
		send POST /api/calls "{\"data\":{\"type\":\"calls\",\"attributes\":{\"subject\":\"$U\",\"phoneNumber\":\"1\",\"direction\":\"incoming\",\"callDateTime\":\"$1\"}}}"
		expect_status 201
		[ "$(jqb .data.attributes.callDateTime)" = "$2" ] || { echo "$1 gave $(jqb .data.attributes.callDateTime)" >&2; return 1; }
		[ "$(db "SELECT call_date_time FROM calls WHERE id = $(jqb .data.id)")" = "$3" ]
	}
	call 2016-09-19T13:01:31+02:00 2016-09-19T11:01:31Z '2016-09-19 11:01:31'
	call 2016-12-31T22:00:00-05:30 2017-01-01T03:30:00Z '2017-01-01 03:30:00'
	call 2016-09-19T11:01:31Z 2016-09-19T11:01:31Z '2016-09-19 11:01:31'
	call 2016-09-19T11:01:31.250Z 2016-09-19T11:01:31Z '2016-09-19 11:01:31'
}

@test "datetime without a zone (or not a datetime) is 400 The \"x\" is not valid datetime." {
	before=$(db "SELECT COUNT(*) FROM calls")
	for bad in 2016-09-19T11:01:31 "2016-09-19 11:01:31" 2016-09-19 2016-09-19T25:00:00Z; do
		send POST /api/calls "{\"data\":{\"type\":\"calls\",\"attributes\":{\"subject\":\"$U\",\"phoneNumber\":\"1\",\"direction\":\"incoming\",\"callDateTime\":\"$bad\"}}}"
		expect_one_error 400 "form constraint" "The \"$bad\" is not valid datetime." /data/attributes/callDateTime
	done
	[ "$(db "SELECT COUNT(*) FROM calls")" = "$before" ]
}

# --- unique fields ----------------------------------------------------------

@test "unique: a taken username and a taken email are each 400 unique entity constraint; nothing stored" {
	before=$(db "SELECT COUNT(*) FROM users")
	send POST /api/users '{"data":{"type":"users","attributes":{"username":"admin","email":"admin@example.com"},"relationships":{"owner":{"data":{"type":"businessunits","id":"1"}}}}}'
	expect_status 400
	[ "$(jqb '.errors | length')" = 2 ]
	has_error 400 "unique entity constraint" "This value is already used." /data/attributes/username
	has_error 400 "unique entity constraint" "This value is already used." /data/attributes/email
	send POST /api/users "{\"data\":{\"type\":\"users\",\"attributes\":{\"username\":\"$U\",\"email\":\"admin@example.com\"},\"relationships\":{\"owner\":{\"data\":{\"type\":\"businessunits\",\"id\":\"1\"}}}}}"
	expect_one_error 400 "unique entity constraint" "This value is already used." /data/attributes/email
	[ "$(db "SELECT COUNT(*) FROM users")" = "$before" ]
}

@test "unique: a PATCH taking another user's username is refused; keeping its own is fine" {
	new_user
	send PATCH "/api/users/$UID_" "{\"data\":{\"type\":\"users\",\"id\":\"$UID_\",\"attributes\":{\"username\":\"admin\"}}}"
	expect_one_error 400 "unique entity constraint" "This value is already used." /data/attributes/username
	send PATCH "/api/users/$UID_" "{\"data\":{\"type\":\"users\",\"id\":\"$UID_\",\"attributes\":{\"username\":\"$U\",\"email\":\"$U@example.com\"}}}"
	expect_status 200
	[ "$(db "SELECT username FROM users WHERE id = $UID_")" = "$U" ]
}

@test "unique: userroles.role and countries.iso3Code duplicates are unique entity constraint" {
	send POST /api/userroles '{"data":{"type":"userroles","attributes":{"role":"ROLE_USER","label":"Dup"}}}'
	expect_one_error 400 "unique entity constraint" "This value is already used." /data/attributes/role
	send POST /api/countries '{"data":{"type":"countries","id":"QW","attributes":{"name":"Dup","iso3Code":"USA"}}}'
	expect_one_error 400 "unique entity constraint" "This value is already used." /data/attributes/iso3Code
	[ "$(db "SELECT COUNT(*) FROM countries WHERE iso2_code = 'QW'")" = 0 ]
}

# --- passwords --------------------------------------------------------------

@test "users.password shorter than 8 characters: 400 length constraint, no user stored" {
	before=$(db "SELECT COUNT(*) FROM users")
	send POST /api/users "{\"data\":{\"type\":\"users\",\"attributes\":{\"username\":\"$U\",\"email\":\"$U@example.com\",\"password\":\"1234567\"},\"relationships\":{\"owner\":{\"data\":{\"type\":\"businessunits\",\"id\":\"1\"}}}}}"
	expect_one_error 400 "length constraint" "This value is too short. It should have 8 characters or more." /data/attributes/password
	[ "$(db "SELECT COUNT(*) FROM users")" = "$before" ]
}

@test "users.password is stored only as an argon2id hash and never rendered" {
	new_user '"password":"pässwörd"'
	hash=$(db "SELECT password_hash FROM users WHERE id = $UID_")
	[[ "$hash" == '$argon2id$'* ]] || { echo "hash: $hash" >&2; return 1; }
	[[ "$hash" != *pässwörd* ]]
	[ "$(jqb '.data.attributes | has("password")')" = false ]
	[[ "$BODY" != *pässwörd* ]]
	[[ "$BODY" != *argon2* ]]
	get "/api/users/$UID_"
	expect_status 200
	[ "$(jqb '.data.attributes | has("password")')" = false ]
	[[ "$BODY" != *argon2* ]]
	req GET "/api/users/$UID_" -H 'Accept: application/json' -H "$(wsse)"
	[ "$(jqb 'has("password")')" = false ]
	[[ "$BODY" != *argon2* ]]
}

@test "users.password: a PATCH stores a new argon2id hash; a short one leaves the old hash" {
	new_user '"password":"first-password"'
	old=$(db "SELECT password_hash FROM users WHERE id = $UID_")
	send PATCH "/api/users/$UID_" "{\"data\":{\"type\":\"users\",\"id\":\"$UID_\",\"attributes\":{\"password\":\"short\"}}}"
	expect_one_error 400 "length constraint" "This value is too short. It should have 8 characters or more." /data/attributes/password
	[ "$(db "SELECT password_hash FROM users WHERE id = $UID_")" = "$old" ]
	send PATCH "/api/users/$UID_" "{\"data\":{\"type\":\"users\",\"id\":\"$UID_\",\"attributes\":{\"password\":\"second-password\"}}}"
	expect_status 200
	new=$(db "SELECT password_hash FROM users WHERE id = $UID_")
	[[ "$new" == '$argon2id$'* ]]
	[ "$new" != "$old" ]
}

# --- userroles.role pattern -------------------------------------------------

@test "userroles.role must be ROLE_ and upper-case letters, digits or _: others 400 regex constraint, nothing stored" {
	before=$(db "SELECT COUNT(*) FROM roles")
	for bad in ADMIN ROLE_lower role_QA ROLE_A-B "ROLE_A B" ROLE_É; do
		send POST /api/userroles "{\"data\":{\"type\":\"userroles\",\"attributes\":{\"role\":\"$bad\",\"label\":\"Bad\"}}}"
		expect_one_error 400 "regex constraint" 'The role must be ROLE_ followed by upper-case letters, digits or "_".' /data/attributes/role ||
			{ echo "role $bad" >&2; return 1; }
	done
	[ "$(db "SELECT COUNT(*) FROM roles")" = "$before" ]
}

@test "userroles.role: ROLE_ with upper-case letters, digits and _ is created in the request's organization; a bad PATCH is refused" {
	role="ROLE_QA_${BATS_TEST_NUMBER}_$(date +%s)"
	send POST /api/userroles "{\"data\":{\"type\":\"userroles\",\"attributes\":{\"role\":\"$role\",\"label\":\"QA\"}}}"
	expect_status 201
	id=$(jqb .data.id)
	[ "$(db "SELECT role, organization_id FROM roles WHERE id = $id")" = "$(printf '%s\t1' "$role")" ]
	send PATCH "/api/userroles/$id" "{\"data\":{\"type\":\"userroles\",\"id\":\"$id\",\"attributes\":{\"role\":\"ROLE_qa\"}}}"
	expect_one_error 400 "regex constraint" 'The role must be ROLE_ followed by upper-case letters, digits or "_".' /data/attributes/role
	[ "$(db "SELECT role FROM roles WHERE id = $id")" = "$role" ]
}

# --- type and id rules ------------------------------------------------------

@test "POST with another type than the route's: 409 conflict constraint at /data/type, nothing stored" {
	before=$(db "SELECT COUNT(*) FROM contacts")
	send POST /api/contacts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"lastName\":\"$U\"}}}"
	expect_one_error 409 "conflict constraint" "The 'type' property of the primary data object should match the requested resource." /data/type
	[ "$(db "SELECT COUNT(*) FROM contacts")" = "$before" ]
}

@test "PATCH with another type than the route's: 409 conflict constraint at /data/type" {
	new_contact
	send PATCH "/api/contacts/$CID" "{\"data\":{\"type\":\"accounts\",\"id\":\"$CID\",\"attributes\":{\"jobTitle\":\"X\"}}}"
	expect_one_error 409 "conflict constraint" "The 'type' property of the primary data object should match the requested resource." /data/type
}

@test "PATCH without data.id: 400 request data constraint / The 'id' property is required at /data/id" {
	new_contact
	send PATCH "/api/contacts/$CID" '{"data":{"type":"contacts","attributes":{"jobTitle":"X"}}}'
	expect_one_error 400 "request data constraint" "The 'id' property is required" /data/id
	[ "$(db "SELECT COALESCE(job_title, 'NULL') FROM contacts WHERE id = $CID")" = NULL ]
}

@test "PATCH whose data.id differs from the URL's: 409 conflict constraint at /data/id, nothing changed" {
	new_contact
	other=$CID
	new_contact
	send PATCH "/api/contacts/$CID" "{\"data\":{\"type\":\"contacts\",\"id\":\"$other\",\"attributes\":{\"jobTitle\":\"X\"}}}"
	expect_one_error 409 "conflict constraint" "The 'id' property of the primary data object should match the 'id' parameter of the query string." /data/id
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE id IN ($CID, $other) AND job_title IS NOT NULL")" = 0 ]
}

@test "countries: POST without an id is 400 entity identifier constraint / The identifier is mandatory at /data/id" {
	send POST /api/countries '{"data":{"type":"countries","attributes":{"name":"Nowhere","iso3Code":"QNW"}}}'
	expect_one_error 400 "entity identifier constraint" "The identifier is mandatory" /data/id
	[ "$(db "SELECT COUNT(*) FROM countries WHERE iso3_code = 'QNW'")" = 0 ]
}

@test "countries: POST with an existing id is 409 The entity already exists. at /data/id, the country unchanged" {
	send POST /api/countries '{"data":{"type":"countries","id":"US","attributes":{"name":"Usurper","iso3Code":"QUS"}}}'
	expect_one_error 409 "conflict constraint" "The entity already exists." /data/id
	[ "$(db "SELECT name, iso3_code FROM countries WHERE iso2_code = 'US'")" = "$(printf 'United States\tUSA')" ]
}

@test "countries: POST with a new id is 201 with Location /api/countries/XX and the client id kept" {
	send POST /api/countries '{"data":{"type":"countries","id":"QX","attributes":{"name":"Quuxland","iso3Code":"QXX"}}}'
	expect_status 201
	[ "$(header Location)" = "$API_URL/api/countries/QX" ]
	[ "$(jqb .data.links.self)" = "$API_URL/api/countries/QX" ]
	[ "$(jqb .data.id)" = QX ]
	[ "$(db "SELECT name, iso3_code FROM countries WHERE iso2_code = 'QX'")" = "$(printf 'Quuxland\tQXX')" ]
	get /api/countries/QX
	expect_status 200
	[ "$(jqb .data.attributes.name)" = Quuxland ]
}

@test "a related id that does not exist is 400 form constraint / The entity does not exist. at the linkage pointer" {
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"$U\"},\"relationships\":{\"country\":{\"data\":{\"type\":\"countries\",\"id\":\"QQ\"}},\"accounts\":{\"data\":[{\"type\":\"accounts\",\"id\":\"1\"},{\"type\":\"accounts\",\"id\":\"999999\"}]}}}}"
	expect_status 400
	[ "$(jqb '.errors | length')" = 2 ]
	has_error 400 "form constraint" "The entity does not exist." /data/relationships/country/data
	has_error 400 "form constraint" "The entity does not exist." /data/relationships/accounts/data/1
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE last_name = '$U'")" = 0 ]
}

# --- several errors ---------------------------------------------------------

@test "several 400 errors come together in one 400 response, each with its pointer" {
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"$U\",\"email\":\"bad\",\"gender\":\"x\",\"birthday\":\"x\",\"firstName\":\"$(repeat 256 a)\"}}}"
	expect_status 400
	[ "$(jqb '.errors | length')" = 4 ]
	has_error 400 "email constraint" "This value is not a valid email address." /data/attributes/email
	has_error 400 "form constraint" "The value you selected is not a valid choice." /data/attributes/gender
	has_error 400 "form constraint" 'The "x" is not valid date.' /data/attributes/birthday
	has_error 400 "length constraint" "This value is too long. It should have 255 characters or less." /data/attributes/firstName
}

@test "mixed 400 and 409 errors in one response: the response status is 409 (section 10)" {
	new_contact
	send PATCH "/api/contacts/$CID" "{\"data\":{\"type\":\"contacts\",\"id\":\"999999$CID\",\"attributes\":{\"email\":\"bad\"}}}"
	expect_status 409
	[ "$(jqb '.errors | length')" = 2 ]
	has_error 400 "email constraint" "This value is not a valid email address." /data/attributes/email
	has_error 409 "conflict constraint" "The 'id' property of the primary data object should match the 'id' parameter of the query string." /data/id
	[ "$(db "SELECT COALESCE(email, 'NULL') FROM contacts WHERE id = $CID")" = NULL ]
}
