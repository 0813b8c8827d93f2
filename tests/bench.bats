#!/usr/bin/env bats
# `make bench` in short (tests/bench/bench.sh): a few of its cases for 1 s
# each on a lighttpd of its own, against the suite's MariaDB and demo data
# (BENCH_DB_REUSE=1: no second MariaDB, no data set, no writes but an
# OAuth client, an API key, a token and WSSE nonces; the general log is on
# for the one request a statement floor takes its statements from). The
# final table has a figure on every row, and the CPU time per request on
# every wrk row. Speed is never judged.
load helpers/common

@test "make bench in short: the table has a figure on every row" {
	command -v wrk >/dev/null || skip "wrk is not installed (apt-get install wrk)"
	[ -x "$ROOT/build/ceiling.fcgi" ] || { echo "build/ceiling.fcgi: run make all" >&2; return 1; }
	# HEADER_COUNT left to its default (30,000 a second): a WSSE case that
	# sent more requests than it had headers would replay them (401s).
	run env BENCH_DB_REUSE=1 DURATION=1s BENCH_PROCS=2 RSS_REQUESTS=1000 \
		BENCH_CASES="^GET one contact\$|^floor: a WSSE|^floor: GET one contact's|, bearer token\$|^page|bearer, 2 FastCGI|^VmRSS" \
		"$ROOT/tests/bench/bench.sh"
	echo "$output"
	[ "$status" -eq 0 ]
	local rows name
	rows=$(grep '^| ' <<< "$output" | grep -v '^| case ')
	for name in 'ceiling \(point-select, fixed body\)' 'GET one contact' \
		"floor: a WSSE read's 2 round trips" "floor: GET one contact's statement" \
		'GET one contact, bearer token' '10 contacts, bearer token' \
		'page\[size\]=-1 over all calls' 'page\[size\]=-1 over all calls: peak RSS \(VmHWM\)' \
		'GET one contact, bearer, 2 FastCGI processes' 'mixed bearer GETs, 1 process' \
		'VmRSS after a 1 s warm-up, 1 process' 'VmRSS after 1000 requests, 1 process'; do
		grep -Eq "^\| $name +\| +[0-9]+\.[0-9]+ (req/s|MB/s|MiB) \|" <<< "$rows" ||
			{ echo "no figure for: $name" >&2; return 1; }
	done
	# One row a case, nothing else; no request of a wrk run failed.
	[ "$(wc -l <<< "$rows")" -eq 12 ]
	[ -z "$(awk -F' *\\| *' '$3 ~ /req\/s/ && $6 != 0' <<< "$rows")" ]
	# every wrk run also has the CPU time a request cost: FastCGI/MariaDB
	[ -z "$(awk -F' *\\| *' '$3 ~ /req\/s/ && $2 !~ /^mixed/ && $7 !~ /^[0-9]+\/[0-9]+$/' <<< "$rows")" ]
	[ "$(awk -F' *\\| *' '$7 ~ /^[0-9]+\/[0-9]+$/' <<< "$rows" | wc -l)" -ge 6 ]
}

@test "make bench-instructions in short: the ceiling and one case counted, FastCGI side, each answered" {
	[ -x "$ROOT/build/ceiling.fcgi" ] && [ -x "$ROOT/build/fcgi_client" ] ||
		{ echo "build/ceiling.fcgi, build/fcgi_client: run make all" >&2; return 1; }
	run env INSTR_DB=0 INSTR_N=2 BENCH_CASES='^GET one contact, bearer token$' \
		"$ROOT/tests/bench/instructions.sh"
	echo "$output"
	[ "$status" -eq 0 ]
	local rows
	rows=$(grep '^| ' <<< "$output" | grep -v '^| case ')
	[ "$(wc -l <<< "$rows")" -eq 2 ]
	grep -Eq '^\| ceiling \| [1-9][0-9]+ \| 0 \| [1-9][0-9]+ \| 1\.0 \|$' <<< "$rows"
	grep -Eq '^\| GET one contact, bearer token \| [1-9][0-9]+ \| 0 \| [1-9][0-9]+ \| [0-9]+\.[0-9] \|$' <<< "$rows"
	grep -q '^GET one contact, bearer token (Status: 200 OK): ' <<< "$output"
}
