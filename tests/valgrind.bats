#!/usr/bin/env bats
# A few hundred FastCGI requests through one process under valgrind (always
# the regular build: valgrind cannot run ASan binaries): no
# invalid access, no definite leak (per-request memory all goes back to the
# arena). Its own lighttpd, so the main server is not disturbed.
load helpers/common

setup_file() {
	export VG_DIR="$BATS_FILE_TMPDIR/vg"
	export VALGRIND_LOG="$VG_DIR/valgrind.log"
	. "$ROOT/tests/helpers/stack.sh"
	stack_one_process "$VG_DIR" "$ROOT/tests/helpers/valgrind-fcgi.sh" \
		"\"API_CONFIG\" => \"$API_CONFIG\", \"API_FCGI\" => \"$ROOT/cgi-bin/api.fcgi\",
		 \"VALGRIND_LOG\" => \"$VALGRIND_LOG\"" || return 1
	export VG_PORT=$ONE_PORT
}

teardown_file() {
	kill "$(cat "$VG_DIR/pid")" 2>/dev/null || true
}

@test "valgrind: 300 FastCGI requests of every kind, then no errors and no definite leaks" {
	local base=http://127.0.0.1:$VG_PORT paths=(
		/api/users/1 /api/accounts /api/contacts/1/accounts /api/users/1/relationships/roles
		/api/nothing /api/users/abc "/api/calls?page%5Bsize%5D=3&page%5Bnumber%5D=2"
		"/api/users?bogus=1" /api/countries/US /api/businessunits/1/owner)
	local i ok=0
	for i in $(seq 1 300); do
		p=${paths[$((i % ${#paths[@]}))]}
		code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: application/vnd.api+json' \
			-H "$(wsse)" "$base$p")
		case $code in 200|400|404) ok=$((ok + 1)) ;; *) echo "$p -> $code" >&2 ;; esac
	done
	[ "$ok" -eq 300 ]
	# Stop lighttpd: it sends SIGTERM, the process leaves its accept loop and
	# exits normally, and valgrind writes the leak summary.
	kill "$(cat "$VG_DIR/pid")"
	for _ in $(seq 1 100); do
		grep -q "ERROR SUMMARY" "$VALGRIND_LOG" 2>/dev/null && break
		sleep 0.2
	done
	cat "$VALGRIND_LOG" >&2
	grep -q "ERROR SUMMARY: 0 errors" "$VALGRIND_LOG"
	! grep -q "definitely lost: [1-9]" "$VALGRIND_LOG"
}
