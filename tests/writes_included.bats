# writes_included.bats: the meta features of a write document (section 8):
# `included` items created or updated with the primary resource in POST and
# PATCH (meta.includeId, meta.update, the linkage and duplicate checks, all
# or nothing), upsert (meta.upsert true for client ids, a list of fields on
# POST) and validate (meta.validate: the same answer, nothing stored).
# Each test makes its own records; everything is checked in the database.
load helpers/common

uniq_name() { echo "inc$(date +%s%N)"; }

# free_country -> a two-letter code (user-assigned range) no country has yet.
free_country() {
	local a b code
	for a in Q X; do
		for b in M N O P R S T U V W Y Z A B C D E F G H; do
			code=$a$b
			[ "$a" = Q ] && [[ $b < M ]] && continue
			if [ "$(db "SELECT COUNT(*) FROM countries WHERE iso2_code = '$code'")" = 0 ]; then
				echo "$code"
				return 0
			fi
		done
	done
	return 1
}

# free_iso3 -> a three-letter code no country uses.
free_iso3() {
	local code
	while :; do
		code=Z$(tr -dc 'A-Z' < /dev/urandom | head -c 2)
		if [ "$(db "SELECT COUNT(*) FROM countries WHERE iso3_code = '$code'")" = 0 ]; then
			echo "$code"
			return 0
		fi
	done
}

teardown() {
	# countries are shared by every organization: leave none behind
	if [ -n "${COUNTRY:-}" ]; then
		db "DELETE FROM countries WHERE iso2_code = '$COUNTRY'"
	fi
}

# ---------------------------------------------------------------- included

@test "POST an account with included new contacts: 201, included carries meta.includeId and the real ids" {
	n=$(uniq_name)
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$n\"},
		\"relationships\":{\"contacts\":{\"data\":[{\"type\":\"contacts\",\"id\":\"c1\"},{\"type\":\"contacts\",\"id\":\"c2\"}]}}},
		\"included\":[{\"type\":\"contacts\",\"id\":\"c1\",\"attributes\":{\"firstName\":\"One\",\"lastName\":\"$n\"}},
		{\"type\":\"contacts\",\"id\":\"c2\",\"attributes\":{\"firstName\":\"Two\",\"lastName\":\"$n\"}}]}"
	expect_status 201
	a=$(jqb .data.id)
	[ "$(jqb '.included | length')" = 2 ]
	[ "$(jqb '.included[] | select(.meta.includeId == "c1") | .attributes.firstName')" = One ]
	[ "$(jqb '.included[] | select(.meta.includeId == "c2") | .attributes.firstName')" = Two ]
	id1=$(jqb '.included[] | select(.meta.includeId == "c1") | .id')
	id2=$(jqb '.included[] | select(.meta.includeId == "c2") | .id')
	[[ "$id1" =~ ^[0-9]+$ ]]
	[[ "$id2" =~ ^[0-9]+$ ]]
	[ "$(jqb '.included[0].type')" = contacts ]
	# the primary's linkage names the real ids
	[ "$(jqb '[.data.relationships.contacts.data[].id] | sort | join(" ")')" = "$(printf '%s\n' "$id1" "$id2" | sort | xargs)" ]
	# and so does the database
	[ "$(db "SELECT first_name FROM contacts WHERE id = $id1 AND last_name = '$n' AND organization_id = 1 AND owner_id = 1")" = One ]
	[ "$(db "SELECT first_name FROM contacts WHERE id = $id2 AND last_name = '$n'")" = Two ]
	[ "$(db "SELECT contact_id FROM account_contacts WHERE account_id = $a ORDER BY contact_id" | xargs)" = "$(printf '%s\n' "$id1" "$id2" | sort -n | xargs)" ]
	get "/api/accounts/$a/relationships/contacts"
	[ "$(jqb '.data | length')" = 2 ]
}

@test "POST with included items and ?include: each included resource appears once, with its includeId" {
	n=$(uniq_name)
	send POST "/api/accounts?include=contacts,owner" "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$n\"},
		\"relationships\":{\"contacts\":{\"data\":[{\"type\":\"contacts\",\"id\":\"c1\"}]}}},
		\"included\":[{\"type\":\"contacts\",\"id\":\"c1\",\"attributes\":{\"lastName\":\"$n\"}}]}"
	expect_status 201
	[ "$(jqb '[.included[] | .type + ":" + .id] | sort | join(" ")')" = "contacts:$(jqb '.data.relationships.contacts.data[0].id') users:1" ]
	[ "$(jqb '.included[] | select(.type == "contacts") | .meta.includeId')" = c1 ]
}

@test "an included item may link to the primary from its side (an account naming the new contact by its client id)" {
	n=$(uniq_name)
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"id\":\"me\",\"attributes\":{\"lastName\":\"$n\"}},
		\"included\":[{\"type\":\"accounts\",\"id\":\"a1\",\"attributes\":{\"name\":\"$n\"},
		\"relationships\":{\"contacts\":{\"data\":[{\"type\":\"contacts\",\"id\":\"me\"}]}}}]}"
	expect_status 201
	c=$(jqb .data.id)
	[ "$c" != me ]
	a=$(jqb '.included[0].id')
	[ "$(jqb '.included[0].meta.includeId')" = a1 ]
	[ "$(jqb -c '.data.relationships.accounts.data')" = "[{\"type\":\"accounts\",\"id\":\"$a\"}]" ]
	[ "$(db "SELECT COUNT(*) FROM account_contacts WHERE account_id = $a AND contact_id = $c")" = 1 ]
	[ "$(db "SELECT name FROM accounts WHERE id = $a")" = "$n" ]
}

@test "PATCH with an included new contact set as a to-one of the primary (defaultContact): 200 and the column set" {
	n=$(uniq_name)
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$n\"}}}"
	a=$(jqb .data.id)
	send PATCH "/api/accounts/$a" "{\"data\":{\"type\":\"accounts\",\"id\":\"$a\",
		\"relationships\":{\"defaultContact\":{\"data\":{\"type\":\"contacts\",\"id\":\"n1\"}}}},
		\"included\":[{\"type\":\"contacts\",\"id\":\"n1\",\"attributes\":{\"lastName\":\"$n\"}}]}"
	expect_status 200
	c=$(jqb '.included[0].id')
	[[ "$c" =~ ^[0-9]+$ ]]
	[ "$(jqb '.included[0].meta.includeId')" = n1 ]
	[ "$(jqb -c '.data.relationships.defaultContact.data')" = "{\"type\":\"contacts\",\"id\":\"$c\"}" ]
	[ "$(db "SELECT default_contact_id FROM accounts WHERE id = $a")" = "$c" ]
	[ "$(db "SELECT last_name FROM contacts WHERE id = $c")" = "$n" ]
}

@test "PATCH: an included new item linking to the (existing) primary by its id counts as linked" {
	n=$(uniq_name)
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$n\"}}}"
	a=$(jqb .data.id)
	send PATCH "/api/accounts/$a" "{\"data\":{\"type\":\"accounts\",\"id\":\"$a\",\"attributes\":{\"description\":\"patched\"}},
		\"included\":[{\"type\":\"contacts\",\"id\":\"n1\",\"attributes\":{\"lastName\":\"$n\"},
		\"relationships\":{\"accounts\":{\"data\":[{\"type\":\"accounts\",\"id\":\"$a\"}]}}}]}"
	expect_status 200
	c=$(jqb '.included[0].id')
	[ "$(jqb '.included[0].meta.includeId')" = n1 ]
	[ "$(db "SELECT COUNT(*) FROM account_contacts WHERE account_id = $a AND contact_id = $c")" = 1 ]
	[ "$(db "SELECT description FROM accounts WHERE id = $a")" = patched ]
}

@test "an included existing record with meta.update true is updated (and carries no includeId)" {
	n=$(uniq_name)
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"$n\",\"jobTitle\":\"Before\"}}}"
	c=$(jqb .data.id)
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$n\"},
		\"relationships\":{\"contacts\":{\"data\":[{\"type\":\"contacts\",\"id\":\"$c\"}]}}},
		\"included\":[{\"type\":\"contacts\",\"id\":\"$c\",\"meta\":{\"update\":true},\"attributes\":{\"jobTitle\":\"After\"}}]}"
	expect_status 201
	a=$(jqb .data.id)
	[ "$(jqb '.included[0].id')" = "$c" ]
	[ "$(jqb '.included[0].attributes.jobTitle')" = After ]
	[ "$(jqb '.included[0].meta.includeId // "none"')" = none ]
	[ "$(db "SELECT job_title, last_name FROM contacts WHERE id = $c")" = "$(printf 'After\t%s' "$n")" ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE last_name = '$n'")" = 1 ]
	[ "$(db "SELECT COUNT(*) FROM account_contacts WHERE account_id = $a AND contact_id = $c")" = 1 ]
}

@test "meta.update on an included record of another organization: 404, the record unchanged, nothing created" {
	n=$(uniq_name)
	# contact 61 belongs to organization 2 (seed)
	before=$(db "SELECT IFNULL(job_title, 'none') FROM contacts WHERE id = 61")
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$n\"},
		\"relationships\":{\"contacts\":{\"data\":[{\"type\":\"contacts\",\"id\":\"61\"}]}}},
		\"included\":[{\"type\":\"contacts\",\"id\":\"61\",\"meta\":{\"update\":true},\"attributes\":{\"jobTitle\":\"$n\"}}]}"
	expect_error 404 'not found http exception'
	[ "$(db "SELECT IFNULL(job_title, 'none') FROM contacts WHERE id = 61")" = "$before" ]
	[ "$(db "SELECT COUNT(*) FROM accounts WHERE name = '$n'")" = 0 ]
}

@test "an included item not linked to the primary: 400 request data constraint at /included/N, nothing stored" {
	n=$(uniq_name)
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$n\"},
		\"relationships\":{\"contacts\":{\"data\":[{\"type\":\"contacts\",\"id\":\"c1\"}]}}},
		\"included\":[{\"type\":\"contacts\",\"id\":\"c1\",\"attributes\":{\"lastName\":\"$n\"}},
		{\"type\":\"contacts\",\"id\":\"c2\",\"attributes\":{\"lastName\":\"$n\"}}]}"
	expect_error 400 'request data constraint' 'The entity should have a relationship with the primary entity'
	[ "$(jqb '.errors | length')" = 1 ]
	[ "$(jqb '.errors[0].source.pointer')" = /included/1 ]
	[ "$(db "SELECT COUNT(*) FROM accounts WHERE name = '$n'")" = 0 ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE last_name = '$n'")" = 0 ]
}

@test "an included item linked only through another included item counts as linked" {
	n=$(uniq_name)
	# account -> contact c1 -> reportsTo contact c2
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$n\"},
		\"relationships\":{\"contacts\":{\"data\":[{\"type\":\"contacts\",\"id\":\"c1\"}]}}},
		\"included\":[{\"type\":\"contacts\",\"id\":\"c1\",\"attributes\":{\"lastName\":\"${n}1\"},
		\"relationships\":{\"reportsTo\":{\"data\":{\"type\":\"contacts\",\"id\":\"c2\"}}}},
		{\"type\":\"contacts\",\"id\":\"c2\",\"attributes\":{\"lastName\":\"${n}2\"}}]}"
	expect_status 201
	c1=$(db "SELECT id FROM contacts WHERE last_name = '${n}1'")
	c2=$(db "SELECT id FROM contacts WHERE last_name = '${n}2'")
	[ "$(db "SELECT reports_to_id FROM contacts WHERE id = $c1")" = "$c2" ]
}

@test "a duplicate included item: 400 The item duplicates the item with the index I, at its pointer, nothing stored" {
	n=$(uniq_name)
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$n\"},
		\"relationships\":{\"contacts\":{\"data\":[{\"type\":\"contacts\",\"id\":\"c1\"},{\"type\":\"contacts\",\"id\":\"c2\"}]}}},
		\"included\":[{\"type\":\"contacts\",\"id\":\"c1\",\"attributes\":{\"lastName\":\"$n\"}},
		{\"type\":\"contacts\",\"id\":\"c2\",\"attributes\":{\"lastName\":\"$n\"}},
		{\"type\":\"contacts\",\"id\":\"c1\",\"attributes\":{\"lastName\":\"$n\"}}]}"
	expect_error 400 'request data constraint' 'The item duplicates the item with the index 0'
	[ "$(jqb '.errors[0].source.pointer')" = /included/2 ]
	[ "$(db "SELECT COUNT(*) FROM accounts WHERE name = '$n'")" = 0 ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE last_name = '$n'")" = 0 ]
}

# five_included N BAD_MEMBERS: a POST of an account with five included
# contacts, the fifth carrying the extra JSON members BAD_MEMBERS.
five_included() {
	local n=$1 bad=$2 inc="" links="" i
	for i in 1 2 3 4 5; do
		links="$links{\"type\":\"contacts\",\"id\":\"c$i\"},"
		if [ $i -lt 5 ]; then
			inc="$inc{\"type\":\"contacts\",\"id\":\"c$i\",\"attributes\":{\"lastName\":\"$n\"}},"
		else
			inc="$inc{\"type\":\"contacts\",\"id\":\"c$i\",$bad}"
		fi
	done
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$n\"},
		\"relationships\":{\"contacts\":{\"data\":[${links%,}]}}},\"included\":[$inc]}"
}

@test "the 5th included item with an invalid value: 400 at /included/4/..., nothing of the request stored" {
	n=$(uniq_name)
	five_included "$n" "\"attributes\":{\"lastName\":\"$n\",\"email\":\"not-an-email\"}"
	expect_error 400 'email constraint'
	[ "$(jqb '.errors[0].source.pointer')" = /included/4/attributes/email ]
	[ "$(db "SELECT COUNT(*) FROM accounts WHERE name = '$n'")" = 0 ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE last_name = '$n'")" = 0 ]
}

@test "the 5th included item naming a record that does not exist: 400 form constraint, nothing stored" {
	n=$(uniq_name)
	five_included "$n" "\"attributes\":{\"lastName\":\"$n\"},\"relationships\":{\"reportsTo\":{\"data\":{\"type\":\"contacts\",\"id\":\"999999\"}}}"
	expect_error 400 'form constraint' 'The entity does not exist.'
	[ "$(jqb '.errors[0].source.pointer')" = /included/4/relationships/reportsTo/data ]
	[ "$(db "SELECT COUNT(*) FROM accounts WHERE name = '$n'")" = 0 ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE last_name = '$n'")" = 0 ]
}

@test "the 5th included item missing a required member: 400 not blank at its pointer, nothing stored" {
	n=$(uniq_name)
	# a user needs username, email and owner; this one has only a username
	inc="" links=""
	for i in 1 2 3 4; do
		links="$links{\"type\":\"contacts\",\"id\":\"c$i\"},"
		inc="$inc{\"type\":\"contacts\",\"id\":\"c$i\",\"attributes\":{\"lastName\":\"$n\"}},"
	done
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"attributes\":{\"name\":\"$n\"},
		\"relationships\":{\"owner\":{\"data\":{\"type\":\"users\",\"id\":\"u1\"}},\"contacts\":{\"data\":[${links%,}]}}},
		\"included\":[$inc{\"type\":\"users\",\"id\":\"u1\",\"attributes\":{\"username\":\"$n\"}}]}"
	expect_error 400 'not blank constraint' 'This value should not be blank.'
	jqb '.errors[].source.pointer' | grep -qx /included/4/attributes/email
	jqb '.errors[].source.pointer' | grep -qx /included/4/relationships/owner/data
	[ "$(db "SELECT COUNT(*) FROM accounts WHERE name = '$n'")" = 0 ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE last_name = '$n'")" = 0 ]
	[ "$(db "SELECT COUNT(*) FROM users WHERE username = '$n'")" = 0 ]
}

# ---------------------------------------------------------------- upsert

@test "upsert true on countries: POST of a new code creates (201, Location), of an existing code updates (200)" {
	COUNTRY=$(free_country)
	iso3=$(free_iso3)
	send POST /api/countries "{\"data\":{\"type\":\"countries\",\"id\":\"$COUNTRY\",\"meta\":{\"upsert\":true},\"attributes\":{\"name\":\"Upsertia\",\"iso3Code\":\"$iso3\"}}}"
	expect_status 201
	[ "$(jqb .data.id)" = "$COUNTRY" ]
	[ "$(header Location)" = "$(jqb .data.links.self)" ]
	[ "$(db "SELECT name, iso3_code FROM countries WHERE iso2_code = '$COUNTRY'")" = "$(printf 'Upsertia\t%s' "$iso3")" ]
	send POST /api/countries "{\"data\":{\"type\":\"countries\",\"id\":\"$COUNTRY\",\"meta\":{\"upsert\":true},\"attributes\":{\"name\":\"Upsertia Two\",\"iso3Code\":\"$iso3\"}}}"
	expect_status 200
	[ -z "$(header Location)" ]
	[ "$(jqb .data.attributes.name)" = 'Upsertia Two' ]
	[ "$(db "SELECT name FROM countries WHERE iso2_code = '$COUNTRY'")" = 'Upsertia Two' ]
	[ "$(db "SELECT COUNT(*) FROM countries WHERE iso2_code = '$COUNTRY'")" = 1 ]
}

@test "a POST of an existing country code without upsert: 409 The entity already exists., nothing changed" {
	COUNTRY=$(free_country)
	iso3=$(free_iso3)
	db "INSERT INTO countries VALUES ('$COUNTRY', '$iso3', 'Keepland', UTC_TIMESTAMP(), UTC_TIMESTAMP())"
	send POST /api/countries "{\"data\":{\"type\":\"countries\",\"id\":\"$COUNTRY\",\"attributes\":{\"name\":\"Overwritten\",\"iso3Code\":\"$(free_iso3)\"}}}"
	expect_error 409 'conflict constraint' 'The entity already exists.'
	[ "$(db "SELECT name FROM countries WHERE iso2_code = '$COUNTRY'")" = Keepland ]
}

@test "upsert true on PATCH countries/{code}: a new code is created (201), an existing one updated (200)" {
	COUNTRY=$(free_country)
	iso3=$(free_iso3)
	send PATCH "/api/countries/$COUNTRY" "{\"data\":{\"type\":\"countries\",\"id\":\"$COUNTRY\",\"meta\":{\"upsert\":true},\"attributes\":{\"name\":\"Patchia\",\"iso3Code\":\"$iso3\"}}}"
	expect_status 201
	[ "$(jqb .data.id)" = "$COUNTRY" ]
	[ "$(db "SELECT name, iso3_code FROM countries WHERE iso2_code = '$COUNTRY'")" = "$(printf 'Patchia\t%s' "$iso3")" ]
	send PATCH "/api/countries/$COUNTRY" "{\"data\":{\"type\":\"countries\",\"id\":\"$COUNTRY\",\"meta\":{\"upsert\":true},\"attributes\":{\"name\":\"Patchia Two\",\"iso3Code\":\"$iso3\"}}}"
	expect_status 200
	[ "$(jqb .data.attributes.name)" = 'Patchia Two' ]
	[ "$(jqb .data.attributes.iso3Code)" = "$iso3" ]
	[ "$(db "SELECT name, iso3_code FROM countries WHERE iso2_code = '$COUNTRY'")" = "$(printf 'Patchia Two\t%s' "$iso3")" ]
}

@test "PATCH of a missing country without upsert: 404, nothing created" {
	COUNTRY=$(free_country)
	send PATCH "/api/countries/$COUNTRY" "{\"data\":{\"type\":\"countries\",\"id\":\"$COUNTRY\",\"attributes\":{\"name\":\"Nowhere\",\"iso3Code\":\"$(free_iso3)\"}}}"
	expect_error 404 'not found http exception'
	[ "$(db "SELECT COUNT(*) FROM countries WHERE iso2_code = '$COUNTRY'")" = 0 ]
}

@test "PATCH upsert creating a country still needs the required members: 400 not blank, nothing created" {
	COUNTRY=$(free_country)
	send PATCH "/api/countries/$COUNTRY" "{\"data\":{\"type\":\"countries\",\"id\":\"$COUNTRY\",\"meta\":{\"upsert\":true},\"attributes\":{\"name\":\"Halfland\"}}}"
	expect_error 400 'not blank constraint' 'This value should not be blank.'
	[ "$(jqb '.errors[0].source.pointer')" = /data/attributes/iso3Code ]
	[ "$(db "SELECT COUNT(*) FROM countries WHERE iso2_code = '$COUNTRY'")" = 0 ]
}

@test "upsert [\"email\"] on users: none found creates (201), one found updates it (200)" {
	n=$(uniq_name)
	body() {
		echo "{\"data\":{\"type\":\"users\",\"meta\":{\"upsert\":[\"email\"]},\"attributes\":{\"username\":\"$n\",\"email\":\"$n@example.com\",\"firstName\":\"$1\"},\"relationships\":{\"owner\":{\"data\":{\"type\":\"businessunits\",\"id\":\"1\"}}}}}"
	}
	send POST /api/users "$(body First)"
	expect_status 201
	u=$(jqb .data.id)
	[ "$(header Location)" = "$(jqb .data.links.self)" ]
	send POST /api/users "$(body Second)"
	expect_status 200
	[ "$(jqb .data.id)" = "$u" ]
	[ "$(jqb .data.attributes.firstName)" = Second ]
	[ "$(db "SELECT id, first_name FROM users WHERE email = '$n@example.com'")" = "$(printf '%s\tSecond' "$u")" ]
}

@test "upsert [\"email\"] on users that finds the user is an update: only firstName sent, only firstName changes (200)" {
	n=$(uniq_name)
	send POST /api/users "{\"data\":{\"type\":\"users\",\"attributes\":{\"username\":\"$n\",\"email\":\"$n@example.com\",\"firstName\":\"Before\",\"lastName\":\"Kept\"},\"relationships\":{\"owner\":{\"data\":{\"type\":\"businessunits\",\"id\":\"1\"}}}}}"
	expect_status 201
	u=$(jqb .data.id)
	# neither username nor owner: a create would need both, an update not
	send POST /api/users "{\"data\":{\"type\":\"users\",\"meta\":{\"upsert\":[\"email\"]},\"attributes\":{\"email\":\"$n@example.com\",\"firstName\":\"After\"}}}"
	expect_status 200
	[ "$(jqb .data.id)" = "$u" ]
	[ "$(jqb .data.attributes.firstName)" = After ]
	[ -z "$(header Location)" ]
	[ "$(db "SELECT username, first_name, last_name, business_unit_id FROM users WHERE id = $u")" = "$(printf '%s\tAfter\tKept\t1' "$n")" ]
}

@test "upsert [\"email\"] on users that finds nobody is a create: the missing username and owner are 400 not blank, nothing stored" {
	n=$(uniq_name)
	send POST /api/users "{\"data\":{\"type\":\"users\",\"meta\":{\"upsert\":[\"email\"]},\"attributes\":{\"email\":\"$n@example.com\",\"firstName\":\"Nobody\"}}}"
	expect_error 400 'not blank constraint' 'This value should not be blank.'
	[ "$(jqb '[.errors[].source.pointer] | sort | join(" ")')" = "/data/attributes/username /data/relationships/owner/data" ]
	[ "$(db "SELECT COUNT(*) FROM users WHERE email = '$n@example.com'")" = 0 ]
}

@test "PATCH upsert of an existing country is an update: the name alone is enough (200), iso3Code kept" {
	COUNTRY=$(free_country)
	iso3=$(free_iso3)
	db "INSERT INTO countries VALUES ('$COUNTRY', '$iso3', 'Oldland', UTC_TIMESTAMP(), UTC_TIMESTAMP())"
	send PATCH "/api/countries/$COUNTRY" "{\"data\":{\"type\":\"countries\",\"id\":\"$COUNTRY\",\"meta\":{\"upsert\":true},\"attributes\":{\"name\":\"Newland\"}}}"
	expect_status 200
	[ "$(db "SELECT name, iso3_code FROM countries WHERE iso2_code = '$COUNTRY'")" = "$(printf 'Newland\t%s' "$iso3")" ]
}

@test "upsert [\"email\"] on contacts: one match updates, several matches 409 The upsert operation founds more than one entity." {
	n=$(uniq_name)
	e="$n@example.com"
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"meta\":{\"upsert\":[\"email\"]},\"attributes\":{\"lastName\":\"${n}A\",\"email\":\"$e\"}}}"
	expect_status 201
	c=$(jqb .data.id)
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"meta\":{\"upsert\":[\"email\"]},\"attributes\":{\"lastName\":\"${n}B\",\"email\":\"$e\"}}}"
	expect_status 200
	[ "$(jqb .data.id)" = "$c" ]
	[ "$(db "SELECT last_name FROM contacts WHERE email = '$e'")" = "${n}B" ]
	# contacts.email is not unique: a second contact with the same email
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"${n}C\",\"email\":\"$e\"}}}"
	expect_status 201
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"meta\":{\"upsert\":[\"email\"]},\"attributes\":{\"lastName\":\"${n}D\",\"email\":\"$e\"}}}"
	expect_error 409 'conflict constraint' 'The upsert operation founds more than one entity.'
	[ "$(db "SELECT last_name FROM contacts WHERE email = '$e' ORDER BY id" | xargs)" = "${n}B ${n}C" ]
}

@test "upsert by fields ignores records of another organization: creates (201)" {
	n=$(uniq_name)
	e="$n@example.com"
	db "INSERT INTO contacts (organization_id, owner_id, last_name, email, created_at, updated_at) VALUES (2, 2, '$n', '$e', UTC_TIMESTAMP(), UTC_TIMESTAMP())"
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"meta\":{\"upsert\":[\"email\"]},\"attributes\":{\"lastName\":\"${n}Mine\",\"email\":\"$e\"}}}"
	expect_status 201
	[ "$(db "SELECT last_name FROM contacts WHERE email = '$e' AND organization_id = 2")" = "$n" ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE email = '$e' AND organization_id = 1")" = 1 ]
}

@test "upsert true on a type with generated ids: 400 value constraint at /meta/upsert, nothing stored" {
	n=$(uniq_name)
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"meta\":{\"upsert\":true},\"attributes\":{\"lastName\":\"$n\"}}}"
	expect_error 400 'value constraint'
	[ "$(jqb '.errors[0].source.pointer')" = /meta/upsert ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE last_name = '$n'")" = 0 ]
}

@test "PATCH with upsert true on a generated-id type, or with a list of fields: 400 value constraint at /meta/upsert" {
	n=$(uniq_name)
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"$n\",\"email\":\"$n@example.com\"}}}"
	c=$(jqb .data.id)
	send PATCH "/api/contacts/$c" "{\"data\":{\"type\":\"contacts\",\"id\":\"$c\",\"meta\":{\"upsert\":true},\"attributes\":{\"lastName\":\"${n}X\"}}}"
	expect_error 400 'value constraint'
	[ "$(jqb '.errors[0].source.pointer')" = /meta/upsert ]
	send PATCH "/api/contacts/$c" "{\"data\":{\"type\":\"contacts\",\"id\":\"$c\",\"meta\":{\"upsert\":[\"email\"]},\"attributes\":{\"lastName\":\"${n}X\",\"email\":\"$n@example.com\"}}}"
	expect_error 400 'value constraint'
	[ "$(jqb '.errors[0].source.pointer')" = /meta/upsert ]
	[ "$(db "SELECT last_name FROM contacts WHERE id = $c")" = "$n" ]
}

# ---------------------------------------------------------------- validate

@test "validate on POST: 201 with the body shape of a real create, nothing stored" {
	n=$(uniq_name)
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"meta\":{\"validate\":true},\"attributes\":{\"firstName\":\"Val\",\"lastName\":\"$n\"}}}"
	expect_status 201
	[ "$(jqb .data.type)" = contacts ]
	[[ "$(jqb .data.id)" =~ ^[0-9]+$ ]]
	[ "$(jqb .data.attributes.lastName)" = "$n" ]
	[ "$(jqb .data.attributes.timesContacted)" = 0 ]
	[ "$(jqb .data.relationships.owner.data.id)" = 1 ]
	# the same members a real create answers with
	validated=$(jqb -c '[.data | keys, (.attributes | keys), (.relationships | keys)]')
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE last_name = '$n'")" = 0 ]
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"attributes\":{\"firstName\":\"Val\",\"lastName\":\"$n\"}}}"
	expect_status 201
	[ "$(jqb -c '[.data | keys, (.attributes | keys), (.relationships | keys)]')" = "$validated" ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE last_name = '$n'")" = 1 ]
}

@test "validate on PATCH: 200 with the changed resource, the record unchanged" {
	n=$(uniq_name)
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"$n\",\"jobTitle\":\"Kept\"}}}"
	c=$(jqb .data.id)
	send PATCH "/api/contacts/$c" "{\"data\":{\"type\":\"contacts\",\"id\":\"$c\",\"meta\":{\"validate\":true},\"attributes\":{\"jobTitle\":\"Changed\"}}}"
	expect_status 200
	[ "$(jqb .data.attributes.jobTitle)" = Changed ]
	[ "$(db "SELECT job_title FROM contacts WHERE id = $c")" = Kept ]
}

@test "validate with included items: 201 with included and includeId, nothing of it stored" {
	n=$(uniq_name)
	send POST /api/accounts "{\"data\":{\"type\":\"accounts\",\"meta\":{\"validate\":true},\"attributes\":{\"name\":\"$n\"},
		\"relationships\":{\"contacts\":{\"data\":[{\"type\":\"contacts\",\"id\":\"c1\"}]}}},
		\"included\":[{\"type\":\"contacts\",\"id\":\"c1\",\"attributes\":{\"lastName\":\"$n\"}}]}"
	expect_status 201
	[ "$(jqb '.included[0].meta.includeId')" = c1 ]
	[ "$(db "SELECT COUNT(*) FROM accounts WHERE name = '$n'")" = 0 ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE last_name = '$n'")" = 0 ]
}

@test "validate of an invalid request: the same 400 errors as the real request" {
	n=$(uniq_name)
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"meta\":{\"validate\":true},\"attributes\":{\"lastName\":\"$n\",\"email\":\"nope\",\"gender\":\"x\"}}}"
	expect_status 400
	validated=$(jqb -c .errors)
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"$n\",\"email\":\"nope\",\"gender\":\"x\"}}}"
	expect_status 400
	[ "$(jqb -c .errors)" = "$validated" ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE last_name = '$n'")" = 0 ]
}

@test "two true meta flags: 400 request data constraint Only one meta option can be used. at /meta" {
	n=$(uniq_name)
	send POST /api/contacts "{\"data\":{\"type\":\"contacts\",\"meta\":{\"upsert\":[\"email\"],\"validate\":true},\"attributes\":{\"lastName\":\"$n\",\"email\":\"$n@example.com\"}}}"
	expect_error 400 'request data constraint' 'Only one meta option can be used.'
	[ "$(jqb '.errors[0].source.pointer')" = /meta ]
	COUNTRY=$(free_country)
	send PATCH "/api/countries/$COUNTRY" "{\"data\":{\"type\":\"countries\",\"id\":\"$COUNTRY\",\"meta\":{\"upsert\":true,\"validate\":true},\"attributes\":{\"name\":\"Twoflag\",\"iso3Code\":\"$(free_iso3)\"}}}"
	expect_error 400 'request data constraint' 'Only one meta option can be used.'
	[ "$(jqb '.errors[0].source.pointer')" = /meta ]
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE last_name = '$n'")" = 0 ]
	[ "$(db "SELECT COUNT(*) FROM countries WHERE iso2_code = '$COUNTRY'")" = 0 ]
}
