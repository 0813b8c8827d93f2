#!/usr/bin/env bats
# Section 11: GET /api/doc/openapi.json and `apictl openapi`. The document
# validates against the OpenAPI 3.1 schema (an offline validator from npm,
# tests/openapi/package.json, installed here with `npm ci`), agrees with the
# live server (OPTIONS on every documented path answers exactly its methods,
# undocumented paths and methods 404/405), and real responses of every
# route kind and error status validate against the schema it declares.
load helpers/common

OA=$ROOT/tests/openapi

setup_file() {
	# npm ci once per checkout (or after the lock file changed): offline after.
	if [ ! -f "$OA/node_modules/.package-lock.json" ] ||
		[ "$OA/package-lock.json" -nt "$OA/node_modules/.package-lock.json" ]; then
		npm ci --prefix "$OA" --no-audit --no-fund --loglevel=error >&2
	fi
	curl -sf -o "$BATS_FILE_TMPDIR/openapi.json" "$API_URL/api/doc/openapi.json"
	allow_table > "$BATS_FILE_TMPDIR/allow"
	# A bearer token for the many reads (cheaper than a WSSE header each).
	eval "$(new_client C admin)"
	curl -sf -d grant_type=client_credentials -d "client_id=$C_ID" -d "client_secret=$C_SECRET" \
		"$API_URL/oauth2-token" | jq -r .access_token > "$BATS_FILE_TMPDIR/token"
	printf 'C_ID=%s\nC_SECRET=%s\n' "$C_ID" "$C_SECRET" > "$BATS_FILE_TMPDIR/client"
}

# tget PATH [curl args...]: a JSON:API GET as admin with the file's token.
tget() {
	local path=$1
	shift
	req GET "$path" -H 'Accept: application/vnd.api+json' \
		-H "Authorization: Bearer $(< "$BATS_FILE_TMPDIR/token")" "$@"
}

doc() { # doc JQ_FILTER -> jq over the document
	jq -r "$@" "$BATS_FILE_TMPDIR/openapi.json"
}

# "PATH<tab>ALLOW" for every documented path: the methods in Allow's order.
allow_table() {
	doc '.paths | to_entries[] | "\(.key)\t\(.value as $o | [("options","get","head","patch",
		"post","delete") as $m | select($o | has($m)) | $m | ascii_upcase] | join(", "))"'
}

# The methods a documented path offers (from the table made in setup_file).
documented_allow() {
	awk -F '\t' -v p="$1" '$1 == p { print $2 }' "$BATS_FILE_TMPDIR/allow"
}

# A real id of the type from the demo data: the first its list shows
# (asyncoperations has no list: the lowest in its table, else 1).
real_id() {
	tget "/api/$1?page%5Bsize%5D=1"
	if [ "$STATUS" = 200 ] && [ "$(jqb '.data | length')" -gt 0 ]; then
		jqb '.data[0].id'
	else
		local id
		id=$(db "SELECT MIN(id) FROM async_operations")
		[ -n "$id" ] && [ "$id" != NULL ] && echo "$id" || echo 1
	fi
}

@test "GET /api/doc/openapi.json needs no credentials and answers JSON with an ETag; If-None-Match gives 304" {
	req GET /api/doc/openapi.json
	expect_status 200
	[ "$(header Content-Type)" = application/json ]
	[ "$(header Cache-Control)" = no-cache ]
	tag=$(header ETag)
	[[ $tag =~ ^\"[0-9a-f]{32}\"$ ]]
	[ "$(jqb .openapi)" = 3.1.0 ]
	[ "$(jqb '.servers[0].url')" = "$API_URL" ]
	[ "$(jqb '.components.securitySchemes.oauth2.flows.password.tokenUrl')" = "$API_URL/oauth2-token" ]
	req GET /api/doc/openapi.json -H "If-None-Match: $tag"
	expect_status 304
	[ -z "$BODY" ]
	req HEAD /api/doc/openapi.json
	expect_status 200
	[ "$(header ETag)" = "$tag" ]
}

@test "the document follows the mount: servers[].url carries the sub-directory prefix" {
	req GET /second/api/doc/openapi.json
	expect_status 200
	[ "$(jqb '.servers[0].url')" = "$API_URL/second" ]
	req GET /second/api/doc/openapi.json -H 'Host: api.example.com'
	[ "$(jqb '.servers[0].url')" = "http://api.example.com/second" ]
}

@test "only the exact documentation path goes without credentials" {
	req GET /api/doc/openapi.json/x
	expect_error 404 "entity type constraint" "Unknown parent entity type: doc."
	req GET /api/doc/OPENAPI.json
	expect_error 404 "entity type constraint"
	req GET /api/docs/openapi.json
	expect_error 404 "entity type constraint"
	req GET /api/users
	expect_status 401
	req PUT /api/doc/openapi.json
	expect_status 405
	[ "$(header Allow)" = "OPTIONS, GET, HEAD" ]
}

@test "the document validates against the OpenAPI 3.1 schema (offline validator) and every \$ref resolves" {
	run node "$OA/validate-doc.mjs" "$BATS_FILE_TMPDIR/openapi.json"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "valid OpenAPI 3.1" ]
}

@test "the document lists one parameter per filter and operator, sort/include/fields values, formats, enums, money" {
	run doc '.components as $c | $c.schemas as $s |
		$c.parameters["users.filter.lastName.starts_with"].name,
		$c.parameters["users.filter.id.gte"].name,
		$c.parameters["users.filter.roles.contains"].name,
		([$c.parameters | keys[] | select(startswith("accounts.filter.description."))] | join(" ")),
		([$c.parameters | keys[] | select(startswith("users.filter.password"))] | length),
		($c.parameters["users.sort"].schema.items.anyOf[0].enum | index("-lastName") != null),
		($c.parameters["users.sort"].schema.items.anyOf[0].enum | index("password")),
		($c.parameters["users.include"].schema.items.anyOf[0].enum | join(",")),
		(.paths["/api/users"].get.parameters | map(."$ref") | index("#/components/parameters/fields.userroles") != null),
		$s["users.create"].properties.attributes.properties.password.writeOnly,
		$s.users.properties.attributes.properties.password,
		$s.users.properties.attributes.properties.lastLogin.readOnly,
		$s["users.update"].properties.attributes.properties.lastLogin,
		($s["users.create"].properties.attributes.required | join(",")),
		$s.users.properties.attributes.properties.email.format,
		$s.users.properties.attributes.properties.birthday.format,
		$s.users.properties.attributes.properties.createdAt.format,
		($s.contacts.properties.attributes.properties.gender.enum | join(",")),
		$s.accounts.properties.attributes.properties.annualRevenue.pattern,
		($c.securitySchemes.wsse | "\(.type) \(.in) \(.name)"),
		($c.securitySchemes.oauth2.flows | keys | join(",")),
		(.paths["/api/users/{id}"].delete.responses | keys | join(",")),
		(.paths["/oauth2-token"].post.responses["400"].content["application/json"].schema."$ref"),
		($c.responses.error404.content | keys | join(","))'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat <<'EOF_WANT'
filter[lastName][starts_with]
filter[id][gte]
filter[roles][contains]
accounts.filter.description.exists
0
true
null
owner,businessUnits,organization,roles
true
true
null
true
null
username,email
email
date
date-time
male,female,
^-?[0-9]+\.[0-9]{4}$
apiKey header X-WSSE
clientCredentials,password
204,400,401,403,404,406,409,412,413,414,415,500,503
#/components/schemas/oauth.error
application/json,application/vnd.api+json
EOF_WANT
)" ]
}

@test "apictl openapi prints the same document as the route (servers URL from --base-url)" {
	"$API_APICTL" openapi --base-url "$API_URL/" > "$BATS_TEST_TMPDIR/cli.json"
	req GET /api/doc/openapi.json
	cmp "$BATS_TEST_TMPDIR/cli.json" "$BATS_TEST_TMPDIR/body"
	run "$API_APICTL" openapi
	[ "$status" -eq 0 ]
	url=$(jq -r '.servers[0].url' <<< "$output")
	[ "$url" = / ] || [ "$url" = "$(sed -n 's/^base_url *= *//p' "$API_CONFIG")" ]
	run "$API_APICTL" openapi --bogus
	[ "$status" -eq 2 ]
}

@test "OPTIONS on every documented path (with a real id) answers 200 with exactly the documented methods" {
	declare -A ids
	urls=()
	while IFS=$'\t' read -r path want; do
		p=$path
		if [[ $path == /api/*/\{id\}* ]]; then
			t=${path#/api/}
			t=${t%%/*}
			[ -n "${ids[$t]:-}" ] || ids[$t]=$(real_id "$t")
			p=${path/\{id\}/${ids[$t]}}
		fi
		urls+=("$API_URL$p")
		printf '%s\t200\t%s\n' "$API_URL$p" "$want" >> "$BATS_TEST_TMPDIR/want"
	done < "$BATS_FILE_TMPDIR/allow"
	[ "${#urls[@]}" -gt 60 ]
	# One curl for every path: URL, status and Allow of each.
	curl -sg -X OPTIONS -w '%{url}\t%{http_code}\t%header{allow}\n' "${urls[@]}" > "$BATS_TEST_TMPDIR/got"
	diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
}

@test "a sample of undocumented paths and methods answers 404 or 405 (Allow as documented)" {
	uid=$(real_id users)
	args=()
	while read -r method path code template; do
		documented=$(documented_allow "$template")
		if [ "$code" = 405 ]; then
			[ -n "$documented" ]
			[[ ", $documented, " != *", $method, "* ]]
		else
			[ -z "$documented" ]
			documented=
		fi
		printf '%s %s\t%s\t%s\n' "$method" "$path" "$code" "$documented" >> "$BATS_TEST_TMPDIR/want"
		[ ${#args[@]} -eq 0 ] || args+=(--next)
		args+=(-s -g -o /dev/null -X "$method" -H 'Accept: application/vnd.api+json'
			-H "Authorization: Bearer $(< "$BATS_FILE_TMPDIR/token")" -H 'Content-Length: 0'
			-w "$method $path\t%{http_code}\t%header{allow}\n" "$API_URL${path/ID/$uid}")
	done <<'EOF_SAMPLE'
PUT /api/users 405 /api/users
POST /api/users/ID 405 /api/users/{id}
PATCH /api/users/ID/owner 405 /api/users/{id}/owner
POST /api/users/ID/relationships/organization 405 /api/users/{id}/relationships/organization
POST /api/users/ID/relationships/owner 405 /api/users/{id}/relationships/owner
POST /api/organizations 405 /api/organizations
DELETE /api/organizations/1 405 /api/organizations/{id}
PATCH /api/asyncoperations/1 405 /api/asyncoperations/{id}
DELETE /api/doc/openapi.json 405 /api/doc/openapi.json
GET /oauth2-token 405 /oauth2-token
GET /api/asyncoperations 404 /api/asyncoperations
GET /api/nosuch 404 /api/nosuch
GET /api/users/ID/nosuch 404 /api/users/{id}/nosuch
GET /api/users/ID/relationships 404 /api/users/{id}/relationships
GET /api/doc/swagger.json 404 /api/doc/swagger.json
EOF_SAMPLE
	# One curl for the sample: status and Allow of each.
	curl "${args[@]}" > "$BATS_TEST_TMPDIR/got"
	diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
}

# record METHOD PATH: keeps the last response as a case for
# check-responses.mjs (an index line and the body in its own file).
record() {
	NREC=$((${NREC:-0} + 1))
	# curl --head puts the headers where the body would go: HEAD has none.
	if [ "$1" = HEAD ]; then : > "$BATS_TEST_TMPDIR/case$NREC"
	else printf '%s' "$BODY" > "$BATS_TEST_TMPDIR/case$NREC"; fi
	printf '%s\t%s\t%s\t%s\tcase%s\n' "$1" "$2" "$STATUS" "$(header Content-Type)" "$NREC" \
		>> "$BATS_TEST_TMPDIR/cases"
}

# record_many: one curl (--next between requests) for the lines on stdin,
# "STATUS METHOD PATH ACCEPT [HEADER]" (tab-separated, as the file's admin
# with its token), each kept as a case like record; fails when a status
# differs from the one expected.
record_many() {
	local args=() want=() code method path accept extra
	while IFS=$'\t' read -r code method path accept extra; do
		NREC=$((${NREC:-0} + 1))
		: > "$BATS_TEST_TMPDIR/case$NREC"
		want+=("$code $method $path")
		[ ${#args[@]} -eq 0 ] || args+=(--next)
		args+=(-s -g -X "$method" -o "$BATS_TEST_TMPDIR/case$NREC" -H "Accept: $accept"
			-H "Authorization: Bearer $(< "$BATS_FILE_TMPDIR/token")"
			-w "$method\t$path\t%{http_code}\t%{content_type}\tcase$NREC\n")
		[ -z "$extra" ] || args+=(-H "$extra")
		args+=("$API_URL$path")
	done
	curl "${args[@]}" > "$BATS_TEST_TMPDIR/many"
	cat "$BATS_TEST_TMPDIR/many" >> "$BATS_TEST_TMPDIR/cases"
	local i=0 line
	while IFS= read -r line; do
		IFS=$'\t' read -r method path code _ <<< "$line"
		if [ "${want[$i]}" != "$code $method $path" ]; then
			echo "expected ${want[$i]}, got $code" >&2
			return 1
		fi
		i=$((i + 1))
	done < "$BATS_TEST_TMPDIR/many"
	[ "$i" -eq "${#want[@]}" ]
}

@test "real responses of every route kind and status validate against the schema the document declares" {
	uid=$(real_id users)
	bearer="Authorization: Bearer $(< "$BATS_FILE_TMPDIR/token")"
	tget "/api/users/$uid"; record GET "/api/users/$uid"
	tag=$(header ETag)
	# 200: lists of every type, an item with included, subresources and
	# relationships, both formats; 304; the errors of reads, both formats
	J=application/vnd.api+json P=application/json
	{
		for t in organizations businessunits users userroles countries accounts contacts calls; do
			printf '200\tGET\t/api/%s?page%%5Bsize%%5D=25&meta=title\t%s\n' "$t" "$J"
		done
		printf '200\tGET\t/api/%s?page%%5Bsize%%5D=5\t%s\n' users "$P" countries "$P"
		printf '200\tGET\t/api/users/%s?include=roles,owner.organization\t%s\n' "$uid" "$J"
		printf '200\tGET\t/api/users/%s\t%s\n' "$uid" "$P"
		for p in roles owner relationships/roles relationships/owner; do
			printf '200\tGET\t/api/users/%s/%s\t%s\n' "$uid" "$p" "$J"
		done
		for p in owner relationships/roles; do
			printf '200\tGET\t/api/users/%s/%s\t%s\n' "$uid" "$p" "$P"
		done
		printf '304\tGET\t/api/users/%s\t%s\tIf-None-Match: %s\n' "$uid" "$J" "$tag"
		printf '400\tGET\t/api/users?sort=nope\t%s\n' "$J" "$P"
		printf '404\tGET\t/api/users/99999999\t%s\n' "$J"
		printf '415\tGET\t/api/users\t%s\tContent-Type: %s; charset=utf-8\n' "$J" "$J"
		printf '406\tGET\t/api/users\ttext/html\n'
		printf '405\tPUT\t/api/users\t%s\n' "$J"
		printf '200\tOPTIONS\t/api/users/%s\t%s\n' "$uid" "$J"
		printf '200\tGET\t/api/doc/openapi.json\t%s\n' "$P"
	} > "$BATS_TEST_TMPDIR/reads"
	record_many < "$BATS_TEST_TMPDIR/reads"  # not in a pipe: NREC counts on
	req HEAD "/api/users/$uid" -H "$bearer"; expect_status 200; record HEAD "/api/users/$uid"
	# 201, 200 (PATCH), 204 (relationship, item)
	new_contact '{"lastName":"oa","email":"oa@example.com","gender":"female","birthday":"1990-01-02"}' >/dev/null
	cid=$CID
	record POST /api/contacts
	send PATCH "/api/contacts/$cid" "{\"data\":{\"type\":\"contacts\",\"id\":\"$cid\",\"attributes\":{\"firstName\":\"Ann\"}}}"
	expect_status 200; record PATCH "/api/contacts/$cid"
	send PATCH "/api/contacts/$cid/relationships/assignedTo" "{\"data\":{\"type\":\"users\",\"id\":\"$uid\"}}"
	expect_status 204; record PATCH "/api/contacts/$cid/relationships/assignedTo"
	send POST /api/accounts '{"data":{"type":"accounts","attributes":{"name":"oa","annualRevenue":"12.5"}}}'
	expect_status 201; record POST /api/accounts
	send DELETE "/api/contacts/$cid"; expect_status 204; record DELETE "/api/contacts/$cid"
	# the batch API, synchronous (section 9): 200, and 400 for an unknown X-Mode
	send PATCH /api/contacts '{"data":[{"type":"contacts","id":"n1","attributes":{"lastName":"b1"}},{"type":"contacts","attributes":{"lastName":"b2"}}]}' -H 'X-Mode: sync'
	expect_status 200; record PATCH /api/contacts
	send PATCH /api/contacts '{"data":[{"type":"contacts","attributes":{"lastName":"b3"}}]}' -H 'X-Mode: bogus'
	expect_status 400; record PATCH /api/contacts
	# the errors, JSON:API and plain
	act_as globex_admin PATCH /api/countries/US '{"data":{"type":"countries","id":"US","attributes":{"name":"X"}}}'
	expect_status 403; record PATCH /api/countries/US
	send POST /api/contacts '{"data":{"type":"users","attributes":{"lastName":"x"}}}'
	expect_status 409; record POST /api/contacts
	head -c 1100000 /dev/zero | tr '\0' ' ' > "$BATS_TEST_TMPDIR/big"
	req POST /api/contacts -H "$bearer" -H 'Content-Type: application/vnd.api+json' \
		--data-binary "@$BATS_TEST_TMPDIR/big"
	expect_status 413; record POST /api/contacts
	req GET /api/users; expect_status 401; record GET /api/users
	# the token endpoint: 200, 400, 401
	. "$BATS_FILE_TMPDIR/client"
	req POST /oauth2-token -d grant_type=client_credentials -d "client_id=$C_ID" -d "client_secret=$C_SECRET"
	expect_status 200; record POST /oauth2-token
	req POST /oauth2-token -d "client_id=$C_ID"; expect_status 400; record POST /oauth2-token
	req POST /oauth2-token -d grant_type=client_credentials -d "client_id=$C_ID" -d client_secret=wrong
	expect_status 401; record POST /oauth2-token

	# Every status the brief names was seen.
	for s in 200 201 204 304 400 401 403 404 405 406 409 413 415; do
		cut -f3 "$BATS_TEST_TMPDIR/cases" | grep -qx "$s" || { echo "no $s" >&2; return 1; }
	done
	run node "$OA/check-responses.mjs" "$BATS_FILE_TMPDIR/openapi.json" "$BATS_TEST_TMPDIR/cases"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "the response check fails on a body the document does not allow" {
	printf 'GET\t/api/users/1\t200\tapplication/vnd.api+json\tcase1\n' > "$BATS_TEST_TMPDIR/cases"
	echo '{"data":{"type":"users","id":"1","attributes":{"password":"x"}}}' > "$BATS_TEST_TMPDIR/case1"
	run node "$OA/check-responses.mjs" "$BATS_FILE_TMPDIR/openapi.json" "$BATS_TEST_TMPDIR/cases"
	[ "$status" -eq 1 ]
	[[ $output == *FAIL* ]]
}
