# writes_core.bats: POST, PATCH and DELETE of section 8 on single records,
# each checked by a follow-up GET and in the database.
load helpers/common

@test "POST /api/contacts creates a contact: 201, Location = links.self, defaults filled in" {
	send POST /api/contacts '{"data":{"type":"contacts","attributes":{"firstName":"Wanda","lastName":"Writer","email":"wanda@example.com"}}}'
	expect_status 201
	id=$(jqb .data.id)
	[ "$(header Location)" = "$(jqb .data.links.self)" ]
	[ "$(jqb .data.attributes.firstName)" = Wanda ]
	[ "$(jqb .data.relationships.owner.data.id)" = 1 ]
	[ "$(jqb .data.relationships.organization.data.id)" = 1 ]
	[[ "$(jqb .data.attributes.createdAt)" =~ ^20[0-9][0-9]-.*Z$ ]]
	[ -n "$(header ETag)" ]
	get "/api/contacts/$id"
	expect_status 200
	[ "$(jqb .data.attributes.email)" = wanda@example.com ]
	[ "$(db "SELECT organization_id, owner_id FROM contacts WHERE id = $id")" = "$(printf '1\t1')" ]
}

@test "PATCH /api/contacts/{id} changes only the members sent and moves updatedAt" {
	send POST /api/contacts '{"data":{"type":"contacts","attributes":{"firstName":"Pat","lastName":"Ch","jobTitle":"Clerk"}}}'
	id=$(jqb .data.id)
	db "UPDATE contacts SET updated_at = '2001-01-01 00:00:00' WHERE id = $id"
	send PATCH "/api/contacts/$id" "{\"data\":{\"type\":\"contacts\",\"id\":\"$id\",\"attributes\":{\"jobTitle\":\"Boss\"}}}"
	expect_status 200
	[ "$(jqb .data.attributes.jobTitle)" = Boss ]
	[ "$(jqb .data.attributes.firstName)" = Pat ]
	[ "$(jqb .data.attributes.updatedAt)" != 2001-01-01T00:00:00Z ]
	[ "$(db "SELECT job_title, first_name FROM contacts WHERE id = $id")" = "$(printf 'Boss\tPat')" ]
}

@test "DELETE /api/contacts/{id}: 204, then 404" {
	send POST /api/contacts '{"data":{"type":"contacts","attributes":{"lastName":"Doomed"}}}'
	id=$(jqb .data.id)
	req DELETE "/api/contacts/$id" -H 'Accept: application/vnd.api+json' -H "$(wsse)"
	expect_status 204
	[ -z "$BODY" ]
	get "/api/contacts/$id"
	expect_status 404
}

@test "a validation failure reports every error with its pointer and stores nothing" {
	before=$(db "SELECT COUNT(*) FROM contacts")
	send POST /api/contacts '{"data":{"type":"contacts","attributes":{"firstName":"A","email":"nope","gender":"x","birthday":"1980-02-30","bogus":1}}}'
	expect_status 400
	[ "$(jqb '.errors | length')" -ge 4 ]
	jqb '.errors[] | .source.pointer' | grep -qx /data/attributes/email
	jqb '.errors[] | .source.pointer' | grep -qx /data/attributes/gender
	jqb '.errors[] | .source.pointer' | grep -qx /data/attributes/birthday
	jqb '.errors[] | select(.source.pointer == "/data/attributes/bogus") | .title' | grep -qx 'extra fields constraint'
	[ "$(db "SELECT COUNT(*) FROM contacts")" = "$before" ]
}

@test "a contact without a first or a last name is refused and not stored" {
	before=$(db "SELECT COUNT(*) FROM contacts")
	send POST /api/contacts '{"data":{"type":"contacts","attributes":{"jobTitle":"Nobody"}}}'
	expect_error 400 'not blank constraint' 'The first name or the last name must be set.'
	[ "$(jqb '.errors[0].source.pointer')" = /data/attributes/firstName ]
	[ "$(db "SELECT COUNT(*) FROM contacts")" = "$before" ]
}

@test "calls keep their contact's contacting activity exact: create, re-assign, delete" {
	send POST /api/contacts '{"data":{"type":"contacts","attributes":{"lastName":"Callee1"}}}'
	c1=$(jqb .data.id)
	send POST /api/contacts '{"data":{"type":"contacts","attributes":{"lastName":"Callee2"}}}'
	c2=$(jqb .data.id)
	send POST /api/calls "{\"data\":{\"type\":\"calls\",\"attributes\":{\"subject\":\"Hi\",\"phoneNumber\":\"1\",\"callDateTime\":\"2020-05-01T10:00:00+02:00\",\"direction\":\"incoming\"},\"relationships\":{\"contact\":{\"data\":{\"type\":\"contacts\",\"id\":\"$c1\"}}}}}"
	expect_status 201
	call=$(jqb .data.id)
	get "/api/contacts/$c1"
	[ "$(jqb .data.attributes.timesContacted)" = 1 ]
	[ "$(jqb .data.attributes.timesContactedIn)" = 1 ]
	[ "$(jqb .data.attributes.timesContactedOut)" = 0 ]
	[ "$(jqb .data.attributes.lastContactedDateIn)" = 2020-05-01T08:00:00Z ]
	send PATCH "/api/calls/$call" "{\"data\":{\"type\":\"calls\",\"id\":\"$call\",\"relationships\":{\"contact\":{\"data\":{\"type\":\"contacts\",\"id\":\"$c2\"}}}}}"
	expect_status 200
	[ "$(db "SELECT times_contacted, last_contacted_date FROM contacts WHERE id = $c1")" = "$(printf '0\tNULL')" ]
	[ "$(db "SELECT times_contacted_in FROM contacts WHERE id = $c2")" = 1 ]
	req DELETE "/api/calls/$call" -H 'Accept: application/vnd.api+json' -H "$(wsse)"
	expect_status 204
	[ "$(db "SELECT times_contacted FROM contacts WHERE id = $c2")" = 0 ]
}

@test "the plain format: POST takes the flat object and answers with it" {
	req POST /api/contacts -H 'Content-Type: application/json' -H "$(wsse)" \
		--data-binary '{"firstName":"Flat","lastName":"Plain","owner":1}'
	expect_status 201
	[ "$(jqb .firstName)" = Flat ]
	[ "$(jqb .owner)" = 1 ]
	[ "$(jqb 'has("data")')" = false ]
}

@test "a password cannot be removed: null is 400 not null constraint, the hash stays" {
	send POST /api/users '{"data":{"type":"users","attributes":{"username":"pw_keeper","email":"pw_keeper@example.com","password":"longenough"},"relationships":{"owner":{"data":{"type":"businessunits","id":"1"}}}}}'
	expect_status 201
	id=$(jqb .data.id)
	send PATCH "/api/users/$id" "{\"data\":{\"type\":\"users\",\"id\":\"$id\",\"attributes\":{\"password\":null}}}"
	expect_error 400 'not null constraint' 'This value should not be null.'
	[[ "$(db "SELECT password_hash FROM users WHERE id = $id")" == '$argon2id$'* ]]
}

@test "a country id is two upper-case letters: \"5\" and \"U1\" are not valid identifiers" {
	for bad in 5 U1 usa; do
		send POST /api/countries "{\"data\":{\"type\":\"countries\",\"id\":\"$bad\",\"attributes\":{\"name\":\"Nowhere\",\"iso3Code\":\"NWH\"}}}"
		expect_error 400 'entity identifier constraint' 'The identifier is not valid.'
	done
	[ "$(db "SELECT COUNT(*) FROM countries WHERE iso3_code = 'NWH'")" = 0 ]
}

@test "a new record naming itself (reportsTo its own client id) is a 400 at its pointer, nothing stored" {
	before=$(db "SELECT COUNT(*) FROM contacts")
	send POST /api/contacts '{"data":{"type":"contacts","id":"me","attributes":{"lastName":"Selfish"},"relationships":{"reportsTo":{"data":{"type":"contacts","id":"me"}}}}}'
	expect_error 400 'request data constraint'
	[ "$(jqb '.errors[0].source.pointer')" = /data ]
	[ "$(db "SELECT COUNT(*) FROM contacts")" = "$before" ]
}
