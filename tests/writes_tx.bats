#!/usr/bin/env bats
# writes_tx.bats: a write's transaction when the server ends it under the
# request (issue 14: START TRANSACTION with autocommit left on, so db.c
# refuses every later statement of a dead transaction). A real InnoDB
# deadlock whose victim is the API's PATCH (run again, 200, both changes),
# and the API's connection killed inside a write (503, nothing kept). The
# statements are read from MariaDB's general log.
load helpers/common

setup() {
	T=tx$$_$RANDOM
	db "CREATE TABLE ${T}_probe (id INT PRIMARY KEY, n INT NOT NULL) ENGINE = InnoDB;
	    INSERT INTO ${T}_probe VALUES (1, 0);
	    CREATE TABLE ${T}_weight (id INT PRIMARY KEY) ENGINE = InnoDB"
}

teardown() {
	[ -z "${HOLDER:-}" ] || kill "$HOLDER" 2>/dev/null || true
	[ -z "${CURL:-}" ] || kill "$CURL" 2>/dev/null || true
	db "DROP TRIGGER IF EXISTS ${T}_trg; DROP TABLE IF EXISTS ${T}_probe, ${T}_weight;
	    SET GLOBAL general_log = 0; SET GLOBAL log_output = 'FILE'; TRUNCATE mysql.general_log"
}

# patch_bg ID JOBTITLE: a PATCH of contact ID's jobTitle in the background;
# its status lands in $BATS_TEST_TMPDIR/patch, its body in patch.body.
patch_bg() {
	curl -s -o "$BATS_TEST_TMPDIR/patch.body" -w '%{http_code}' -X PATCH "$API_URL/api/contacts/$1" \
		-H 'Content-Type: application/vnd.api+json' -H 'Accept: application/vnd.api+json' \
		-H "$(wsse)" \
		--data-binary "{\"data\":{\"type\":\"contacts\",\"id\":\"$1\",\"attributes\":{\"jobTitle\":\"$2\"}}}" \
		> "$BATS_TEST_TMPDIR/patch" &
	CURL=$!
}

lock_waits() {
	[ "$(db "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'")" -ge 1 ]
}

holder_says() {
	grep -q "^$1\$" "$BATS_TEST_TMPDIR/holder.out"
}

# The API's statements since the general log was turned on, one a line.
api_statements() {
	db "SELECT REPLACE(CONVERT(argument USING utf8mb4), '\n', ' ') FROM mysql.general_log
	    WHERE command_type IN ('Query', 'Execute') AND user_host LIKE 'mariapi[%'"
}

@test "a PATCH chosen as InnoDB's deadlock victim: rolled back at once, run again, 200 with both changes, no autocommit statement" {
	local c
	c=$(new_contact "DL$T")
	# Every contact UPDATE then locks the probe row: the PATCH holds its
	# contact and waits for the probe, the holder holds the probe (and
	# 2,000 new rows: the heavier one, InnoDB keeps it) and asks for the
	# contact.
	db "CREATE TRIGGER ${T}_trg AFTER UPDATE ON contacts FOR EACH ROW
	    UPDATE ${T}_probe SET n = n + 1 WHERE id = 1"
	mkfifo "$BATS_TEST_TMPDIR/holder"
	mariadb --no-defaults -S "$DB_SOCKET" -uroot -N -B -n mariapi < "$BATS_TEST_TMPDIR/holder" \
		> "$BATS_TEST_TMPDIR/holder.out" 2>&1 &
	HOLDER=$!
	exec 7> "$BATS_TEST_TMPDIR/holder"
	echo "START TRANSACTION; UPDATE ${T}_probe SET n = n + 1 WHERE id = 1;
	      INSERT INTO ${T}_weight SELECT seq FROM seq_1_to_2000; SELECT 'held';" >&7
	eventually 10 holder_says held
	db "SET GLOBAL log_output = 'TABLE'; SET GLOBAL general_log = 0;
	    TRUNCATE mysql.general_log; SET GLOBAL general_log = 1"
	patch_bg "$c" Victim
	eventually 10 lock_waits
	echo "UPDATE contacts SET last_name = 'Holder$T' WHERE id = $c; COMMIT; SELECT 'done';" >&7
	exec 7>&-
	wait "$CURL"
	CURL=
	wait "$HOLDER"
	HOLDER=
	db "SET GLOBAL general_log = 0"
	cat "$BATS_TEST_TMPDIR/holder.out"
	holder_says done
	STATUS=$(cat "$BATS_TEST_TMPDIR/patch")
	BODY=$(cat "$BATS_TEST_TMPDIR/patch.body")
	expect_status 200
	[ "$(db "SELECT CONCAT(last_name, ' ', job_title) FROM contacts WHERE id = $c")" = "Holder$T Victim" ]
	# (uniq: the CREATE TRIGGER makes a process's first run of a statement
	# on contacts a re-prepare, logged twice)
	local s
	s=$(api_statements | uniq)
	echo "$s"
	# the victim's UPDATE, then its ROLLBACK straight away; the second
	# attempt commits; never a SET autocommit
	[ "$(grep -c '^START TRANSACTION$' <<< "$s")" = 2 ]
	[ "$(grep -c '^UPDATE `contacts`' <<< "$s")" = 2 ]
	[ "$(grep -A1 '^UPDATE `contacts`' <<< "$s" | sed -n 2p)" = ROLLBACK ]
	[ "$(tail -n 1 <<< "$s")" = COMMIT ]
	[ "$(grep -ciE 'autocommit' <<< "$s")" = 0 ]
}

sleeping_update() {
	KILL_ID=$(db "SELECT id FROM information_schema.PROCESSLIST
	    WHERE STATE = 'User sleep' AND INFO LIKE '%SLEEP(IF(NEW.job_title%'")
	[ -n "$KILL_ID" ]
}

@test "the API's connection killed inside a PATCH's transaction: 503, nothing of it kept, the next write served" {
	local c
	c=$(new_contact "Kill$T")
	db "CREATE TRIGGER ${T}_trg AFTER UPDATE ON contacts FOR EACH ROW
	    SET @${T} = SLEEP(IF(NEW.job_title = 'Killed$T', 20, 0))"
	patch_bg "$c" "Killed$T"
	eventually 10 sleeping_update
	db "KILL $KILL_ID"
	wait "$CURL"
	CURL=
	STATUS=$(cat "$BATS_TEST_TMPDIR/patch")
	BODY=$(cat "$BATS_TEST_TMPDIR/patch.body")
	expect_error 503 'service unavailable http exception'
	[ "$(db "SELECT IFNULL(job_title, 'none') FROM contacts WHERE id = $c")" = none ]
	# every process serves writes again (a new connection, no transaction
	# left behind)
	local i
	for i in 1 2 3 4; do
		send PATCH "/api/contacts/$c" "{\"data\":{\"type\":\"contacts\",\"id\":\"$c\",\"attributes\":{\"jobTitle\":\"After$i\"}}}"
		expect_status 200
	done
	[ "$(db "SELECT job_title FROM contacts WHERE id = $c")" = After4 ]
}
