#!/usr/bin/env bats
# galera.bats: the service on a two-node Galera cluster plus garbd
# (API.md section 15, README "Galera"), all on loopback: one lighttpd with
# one FastCGI process per node, each configured for its own node. Every
# table replicates (the WSSE nonce store included: a nonce used through one
# node is refused through the other), writes through both nodes agree, and
# a transaction that loses a conflict to the other node is run again like
# a deadlock victim.
load helpers/common
load helpers/galera

setup_file() {
	. "$ROOT/tests/helpers/stack.sh"
	export G_DIR="$BATS_FILE_TMPDIR/galera"
	local rc=0
	galera_start "$G_DIR" || rc=$?
	if [ $rc -eq 2 ]; then
		export G_SKIP="Galera is not installed (galera-4, galera-arbitrator-4: tests/helpers/deps.sh)"
		return 0
	fi
	[ $rc -eq 0 ] || return 1
	local n
	for n in 1 2; do
		stack_one_process "$G_DIR/w$n" "$API_FCGI" "\"API_CONFIG\" => \"$G_DIR/n$n.conf\"" ||
			return 1
		export "G_URL$n=http://127.0.0.1:$ONE_PORT"
	done
	# A key made through node 1, used through both.
	G_KEY=$(API_CONFIG="$G_DIR/n1.conf" "$API_APICTL" apikey admin | tail -1) || return 1
	export G_KEY
}

teardown_file() {
	[ -n "${G_DIR:-}" ] || return 0
	local n
	for n in 1 2; do
		[ -f "$G_DIR/w$n/pid" ] && kill "$(cat "$G_DIR/w$n/pid")" 2>/dev/null
	done
	galera_stop "$G_DIR"
}

setup() {
	[ -z "${G_SKIP:-}" ] || skip "$G_SKIP"
}

# on N CMD...: runs a request helper (send, get, req) through node N.
on() {
	local url=G_URL$1
	shift
	API_URL=${!url} ADMIN_KEY=$G_KEY "$@"
}

# gsql N SQL: SQL as root on node N.
gsql() {
	mariadb --no-defaults -S "$G_DIR/n$1.sock" -uroot -N -B mariapi -e "$2"
}

# patch_bg N ID ATTRS OUT: a PATCH of contact ID through node N in the
# background; the status goes to OUT.
patch_bg() {
	local url=G_URL$1
	curl -s -o "$4.body" -w '%{http_code}' -X PATCH "${!url}/api/contacts/$2" \
		-H 'Content-Type: application/vnd.api+json' -H 'Accept: application/vnd.api+json' \
		-H "$(wsse admin "$G_KEY")" \
		--data-binary "{\"data\":{\"type\":\"contacts\",\"id\":\"$2\",\"attributes\":$3}}" > "$4" &
}

# A transaction waits for a lock on node 1.
lock_waits_on_1() {
	[ "$(gsql 1 "SELECT COUNT(*) FROM information_schema.innodb_trx
		WHERE trx_state = 'LOCK WAIT'")" -ge 1 ]
}

# logged_since LINES FILE TEXT: FILE has TEXT past its first LINES lines.
logged_since() {
	tail -n +"$(($1 + 1))" "$2" | grep -q "$3"
}

@test "galera: two nodes and garbd in one cluster; every table InnoDB with a primary key; no GET_LOCK or LOCK TABLES in the code" {
	[ "$(galera_status 2 wsrep_cluster_size)" = 3 ]
	[ "$(galera_status 2 wsrep_cluster_status)" = Primary ]
	run gsql 2 "SELECT table_name, engine FROM information_schema.tables
		WHERE table_schema = 'mariapi' AND engine <> 'InnoDB'"
	[ "$status" -eq 0 ] && [ -z "$output" ] || { echo "not InnoDB: $output" >&2; return 1; }
	run gsql 2 "SELECT t.table_name FROM information_schema.tables t
		LEFT JOIN information_schema.table_constraints c ON c.table_schema = t.table_schema
		  AND c.table_name = t.table_name AND c.constraint_type = 'PRIMARY KEY'
		WHERE t.table_schema = 'mariapi' AND c.constraint_name IS NULL"
	[ "$status" -eq 0 ] && [ -z "$output" ] || { echo "no primary key: $output" >&2; return 1; }
	run grep -rniE "GET_LOCK|LOCK TABLES|ENGINE *= *(MEMORY|MyISAM|Aria|HEAP)" \
		"$ROOT/src" "$ROOT/sql"
	[ "$status" -eq 1 ] || { echo "$output" >&2; return 1; }
}

@test "galera: a WSSE nonce used through node 1 is refused through node 2, and the other way round" {
	local h
	h=$(wsse admin "$G_KEY")
	on 1 req GET /api/users/1 -H 'Accept: application/vnd.api+json' -H "$h"
	expect_status 200
	on 2 req GET /api/users/1 -H 'Accept: application/vnd.api+json' -H "$h"
	expect_status 401
	h=$(wsse admin "$G_KEY")
	on 2 req GET /api/users/1 -H 'Accept: application/vnd.api+json' -H "$h"
	expect_status 200
	on 1 req GET /api/users/1 -H 'Accept: application/vnd.api+json' -H "$h"
	expect_status 401
}

@test "galera: a contact created through node 1 reads through node 2, one created through node 2 reads through node 1" {
	on 1 new_contact GaleraOne
	local c1=$CID
	on 2 get "/api/contacts/$c1"
	expect_status 200
	[ "$(jqb .data.attributes.lastName)" = GaleraOne ]
	on 2 new_contact GaleraTwo
	local c2=$CID
	on 1 get "/api/contacts/$c2"
	expect_status 200
	[ "$(jqb .data.attributes.lastName)" = GaleraTwo ]
	# An update through one node is what the other serves next.
	on 2 send PATCH "/api/contacts/$c1" \
		"{\"data\":{\"type\":\"contacts\",\"id\":\"$c1\",\"attributes\":{\"jobTitle\":\"via two\"}}}"
	expect_status 200
	on 1 get "/api/contacts/$c1"
	[ "$(jqb .data.attributes.jobTitle)" = "via two" ]
}

@test "galera: a PATCH through node 1 aborted by a write committed through node 2 runs again and ends 200 with both changes" {
	on 1 new_contact GaleraVictim
	local c=$CID out="$BATS_TEST_TMPDIR/victim"
	# Node 1: a session holds the row of country US, so the PATCH (which
	# sets the contact's country) waits in its UPDATE, the contact's row
	# locked; the write through node 2 then conflicts with it.
	mariadb --no-defaults -S "$G_DIR/n1.sock" -uroot --unbuffered -N -B mariapi \
		-e "BEGIN; SELECT iso2_code FROM countries WHERE iso2_code = 'US' FOR UPDATE;
		    SELECT 'held', CONNECTION_ID(); SELECT SLEEP(20); ROLLBACK" > "$out.hold" &
	local hold_pid=$!
	eventually 10 grep -q held "$out.hold"
	local holder
	holder=$(awk '$1 == "held" { print $2 }' "$out.hold")
	local lines
	lines=$(wc -l < "$G_DIR/w1/error.log")
	local url=G_URL1
	curl -s -o "$out.body" -w '%{http_code}' -X PATCH "${!url}/api/contacts/$c" \
		-H 'Content-Type: application/vnd.api+json' -H 'Accept: application/vnd.api+json' \
		-H "$(wsse admin "$G_KEY")" --data-binary "{\"data\":{\"type\":\"contacts\",\"id\":\"$c\",
		\"attributes\":{\"jobTitle\":\"from the PATCH\"},
		\"relationships\":{\"country\":{\"data\":{\"type\":\"countries\",\"id\":\"US\"}}}}}" \
		> "$out.status" &
	local curl_pid=$!
	eventually 10 lock_waits_on_1
	gsql 2 "UPDATE contacts SET description = 'from node 2' WHERE id = $c"
	# The PATCH was aborted and waits again; let it through.
	eventually 10 logged_since "$lines" "$G_DIR/w1/error.log" "running the request again"
	gsql 1 "KILL QUERY $holder"
	wait "$curl_pid"
	wait "$hold_pid" || true
	BODY=$(< "$out.body")
	STATUS=$(< "$out.status")
	expect_status 200
	[ "$(jqb .data.attributes.jobTitle)" = "from the PATCH" ]
	[ "$(jqb .data.attributes.description)" = "from node 2" ]
	[ "$(jqb .data.relationships.country.data.id)" = US ]
	[ "$(gsql 2 "SELECT job_title, description, country_code FROM contacts WHERE id = $c")" = \
		"$(printf 'from the PATCH\tfrom node 2\tUS')" ]
}

@test "galera: concurrent PATCHes of one contact through both nodes: each 200 or a clean 409, the row always one writer's, both nodes end with the same row, a loser at COMMIT run again" {
	on 1 new_contact GaleraRace
	local c=$CID i s retried=0 lines1 lines2 out="$BATS_TEST_TMPDIR/race"
	lines1=$(wc -l < "$G_DIR/w1/error.log")
	lines2=$(wc -l < "$G_DIR/w2/error.log")
	for i in $(seq 1 10); do
		patch_bg 1 "$c" "{\"jobTitle\":\"one $i\",\"description\":\"one $i\"}" "$out.1"
		patch_bg 2 "$c" "{\"jobTitle\":\"two $i\",\"description\":\"two $i\"}" "$out.2"
		wait
		for s in 1 2; do
			STATUS=$(< "$out.$s")
			BODY=$(< "$out.$s.body")
			case $STATUS in
			200) ;;
			409) expect_error 409 'conflict constraint' \
				'A concurrent request changed the same records. Please try again.' ;;
			*) echo "round $i node $s: $STATUS $BODY" >&2; return 1 ;;
			esac
		done
		# The row is one writer's, whole: never a mix of the two.
		run gsql 1 "SELECT job_title = description FROM contacts WHERE id = $c"
		[ "$output" = 1 ] || { echo "round $i: mixed row" >&2; return 1; }
	done
	# Both nodes agree, and serve the same record.
	[ "$(gsql 1 "SELECT job_title, updated_at FROM contacts WHERE id = $c")" = \
		"$(gsql 2 "SELECT job_title, updated_at FROM contacts WHERE id = $c")" ]
	on 1 get "/api/contacts/$c"
	local one
	one=$(jqb .data.attributes)
	on 2 get "/api/contacts/$c"
	[ "$(jqb .data.attributes)" = "$one" ]
	# The losers, from the logs: how many; and every request that lost at
	# COMMIT (certification) was run again (the race decides whether any did).
	(tail -n +"$((lines1 + 1))" "$G_DIR/w1/error.log"
	 tail -n +"$((lines2 + 1))" "$G_DIR/w2/error.log") > "$out.log"
	retried=$(grep -c "running the request again" "$out.log" || true)
	local at_commit id
	at_commit=$(grep "COMMIT failed (1213)" "$out.log" | grep -o '\[[0-9a-f]\{16\}\]' || true)
	echo "# $retried requests run again, $(wc -w <<< "$at_commit") of them lost at COMMIT" >&3
	for id in $at_commit; do
		grep -F "$id" "$out.log" | grep -q "running the request again" ||
			{ echo "lost at COMMIT, not run again: $id" >&2; return 1; }
	done
}

@test "galera: a node that refuses statements (1047, not ready) answers 503 with Retry-After, and serves again once it takes them" {
	local lines
	lines=$(wc -l < "$G_DIR/w2/error.log")
	gsql 2 "SET GLOBAL wsrep_reject_queries = ALL"
	on 2 get /api/users/1
	gsql 2 "SET GLOBAL wsrep_reject_queries = NONE"
	expect_error 503 'service unavailable http exception'
	[ "$(header Retry-After)" = 5 ]
	logged_since "$lines" "$G_DIR/w2/error.log" "(1047)"
	on 2 get /api/users/1
	expect_status 200
}
