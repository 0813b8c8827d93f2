#!/usr/bin/env bats
# 150 FastCGI requests through one process under valgrind (always the
# regular build: valgrind cannot run ASan binaries): no invalid access, no
# definite leak (per-request memory all goes back to the arena). Its own
# lighttpd, so the main server is not disturbed. valgrind reports an invalid
# access the first time a path runs, and a request's leak after one request:
# ten rounds of each read and write path (each request under valgrind costs
# tens of ms) still reuse the arena and its grown buffers across requests.
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

@test "valgrind: 100 reads and 50 writes through FastCGI, then no errors and no definite leaks" {
	local base=http://127.0.0.1:$VG_PORT paths=(
		/api/users/1 /api/accounts /api/contacts/1/accounts /api/users/1/relationships/roles
		/api/nothing /api/users/abc "/api/calls?page%5Bsize%5D=3&page%5Bnumber%5D=2"
		"/api/users?bogus=1" /api/countries/US /api/businessunits/1/owner)
	local i ok=0
	for i in $(seq 1 100); do
		p=${paths[$((i % ${#paths[@]}))]}
		code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: application/vnd.api+json' \
			-H "$(wsse)" "$base$p")
		case $code in 200|400|404) ok=$((ok + 1)) ;; *) echo "$p -> $code" >&2 ;; esac
	done
	[ "$ok" -eq 100 ]
	# Writes: create, update, link, delete, and a body that is not JSON.
	local jh=(-H 'Content-Type: application/vnd.api+json' -H 'Accept: application/vnd.api+json')
	for i in $(seq 1 10); do
		id=$(curl -s "${jh[@]}" -H "$(wsse)" -X POST "$base/api/contacts" \
			--data-binary "{\"data\":{\"type\":\"contacts\",\"attributes\":{\"lastName\":\"Vg$i\"}},\"included\":[]}" |
			jq -r .data.id)
		[[ "$id" =~ ^[0-9]+$ ]] || { echo "POST $i: $id" >&2; return 1; }
		for step in "PATCH /api/contacts/$id {\"data\":{\"type\":\"contacts\",\"id\":\"$id\",\"attributes\":{\"jobTitle\":\"x\"}}} 200" \
			"POST /api/contacts/$id/relationships/accounts {\"data\":[{\"type\":\"accounts\",\"id\":\"1\"}]} 204" \
			"POST /api/contacts {bad 400" \
			"DELETE /api/contacts/$id - 204"; do
			set -- $step
			code=$(curl -s -o /dev/null -w '%{http_code}' "${jh[@]}" -H "$(wsse)" -X "$1" \
				"$base$2" $([ "$3" = - ] || echo --data-binary "$3"))
			[ "$code" = "$4" ] || { echo "$1 $2 -> $code" >&2; return 1; }
		done
	done
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
