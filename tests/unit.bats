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

@test "unit: the process caches keep entries for their ttl only, in a bounded table (section 3.3)" {
	run "$API_UNIT" ttlcache
	echo "$output"
	[ "$status" -eq 0 ]
}
