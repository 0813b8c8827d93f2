#!/usr/bin/env bats
# The walking skeleton end to end: lighttpd -> FastCGI binary -> MariaDB.
load helpers/common

@test "GET /api/users/1 as admin returns the admin's user record" {
	get /api/users/1
	expect_status 200
	[ "$(header Content-Type)" = "application/vnd.api+json" ]
	[ "$(jqb .data.type)" = users ]
	[ "$(jqb .data.id)" = 1 ]
	[ "$(jqb .data.attributes.username)" = admin ]
}

@test "every response carries an X-Request-Id" {
	get /api/users/1
	[[ "$(header X-Request-Id)" =~ ^[0-9a-f]{16}$ ]]
}
