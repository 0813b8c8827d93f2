#!/usr/bin/env bats
# C unit tests of the pure code (tests/unit/), one group per test.
load helpers/common

@test "unit: arena resets run cleanups in reverse and buffers keep their maximum" {
	run "$API_UNIT" arena
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "unit: JSON writer escapes strings and replaces invalid UTF-8" {
	run "$API_UNIT" jsonw
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "unit: request ids and nonce tags (uniq) repeat neither within a process nor in a child it forks" {
	run "$API_UNIT" uniq
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "unit: SHA-1 and SHA-256 (digest) give the FIPS 180 answers, in parts too, and never nest" {
	run "$API_UNIT" digest
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "unit: date and time columns (dbtime) read as the same text Connector/C would write" {
	run "$API_UNIT" dbtime
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "unit: content negotiation follows section 2" {
	run "$API_UNIT" negotiate
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "unit: WSSE header, Created and digest parsing follow section 3.1" {
	run "$API_UNIT" wsse
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "unit: input values follow section 5.4 (types, lengths, emails, money, datetimes)" {
	run "$API_UNIT" value
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "unit: percent-decoding and -encoding (url.c): escapes, '+', invalid escapes, %00, overlong UTF-8" {
	run "$API_UNIT" url
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "unit: the calendar (date.c): leap years, month lengths, days from 1970 and back" {
	run "$API_UNIT" date
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "unit: the SQL builder (sql.c): identifiers quoted, values bound in order, the text limit" {
	run "$API_UNIT" sql
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "unit: query string parsing (query.c): pairs, paging, fields, meta, parameter limit, links" {
	run "$API_UNIT" query
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "unit: sort parsing (sort.c): keys, paths, refused fields, the key limit" {
	run "$API_UNIT" sort
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "unit: include parsing (include.c): the tree, unknown names, fields[], depth, empty names" {
	run "$API_UNIT" include
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "unit: filter parsing (filter.c): operators, lists, ranges, paths, limits, date periods and zones" {
	run "$API_UNIT" filter
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "unit: the integer parser (num.c) is strict: [-]digits in range, no +, spaces or overflow; its writer agrees with printf" {
	run "$API_UNIT" num
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "unit: the process caches keep entries for their ttl only, in a bounded table (section 3.3)" {
	run "$API_UNIT" ttlcache
	echo "$output"
	[ "$status" -eq 0 ]
}
