# writes_core.bats: POST, PATCH and DELETE of section 8 on single records,
# each checked by a follow-up GET and in the database.
load helpers/common

# send METHOD PATH JSON: a JSON:API write as admin (organization 1).
send() {
	req "$1" "$2" -H 'Content-Type: application/vnd.api+json' \
		-H 'Accept: application/vnd.api+json' -H "$(wsse)" --data-binary "$3"
}

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
