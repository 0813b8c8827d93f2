#!/usr/bin/env bats
# Section 14: the apictl administration commands. Each command's success
# and its effect in the database, --help, the errors (message, non-zero
# exit), credentials made with apictl working against the API and stopping
# when disabled, and migrate/seed on a fresh database. Everything added here
# has a ctl_/Ctl name; seed users and organizations are never disabled.
load helpers/common
bats_require_minimum_version 1.5.0

FRESH=ctl_fresh_db

ctl() { "$API_APICTL" "$@"; }

# ctl_fresh SQL: runs SQL in the fresh database as root.
ctl_fresh() {
	mariadb --no-defaults -S "$DB_SOCKET" -uroot -N -B "$FRESH" -e "$1"
}

# schema_of DB: tables, columns, indexes, engines and foreign keys (with
# their columns), for comparisons.
schema_of() {
	db "SELECT table_name, column_name, column_type, is_nullable, IFNULL(column_default, '-'),
	           extra, ordinal_position
	    FROM information_schema.columns WHERE table_schema = '$1' ORDER BY 1, 7;
	    SELECT table_name, index_name, seq_in_index, column_name, non_unique, index_type
	    FROM information_schema.statistics WHERE table_schema = '$1' ORDER BY 1, 2, 3;
	    SELECT table_name, engine, table_collation
	    FROM information_schema.tables WHERE table_schema = '$1' ORDER BY 1;
	    SELECT table_name, constraint_name, referenced_table_name, delete_rule
	    FROM information_schema.referential_constraints WHERE constraint_schema = '$1'
	    ORDER BY 1, 2;
	    SELECT table_name, constraint_name, ordinal_position, column_name, referenced_table_name,
	           referenced_column_name
	    FROM information_schema.key_column_usage
	    WHERE table_schema = '$1' AND referenced_table_name IS NOT NULL ORDER BY 1, 2, 3"
}

setup_file() {
	db "DROP DATABASE IF EXISTS $FRESH; CREATE DATABASE $FRESH CHARACTER SET utf8mb4
	    COLLATE utf8mb4_unicode_ci; GRANT ALL ON $FRESH.* TO 'mariapi'@'localhost'"
}

# Later files count users, roles and organizations: everything added here
# goes again (users cascade to their keys, clients, tokens and links).
teardown_file() {
	db "DROP DATABASE IF EXISTS $FRESH;
	    DELETE FROM users WHERE username LIKE 'ctl\\_%';
	    DELETE FROM roles WHERE role LIKE 'ROLE\\_CTL\\_%';
	    DELETE k FROM api_keys k JOIN organizations o ON o.id = k.organization_id
	      WHERE o.name LIKE 'Ctl %';
	    DELETE b FROM business_units b JOIN organizations o ON o.id = b.organization_id
	      WHERE o.name LIKE 'Ctl %';
	    DELETE FROM organizations WHERE name LIKE 'Ctl %'"
}

# --- help and usage --------------------------------------------------------

@test "--help of every command prints its usage on stdout, exit 0, without a database" {
	local cmd
	for cmd in migrate seed "org" "org add" "org disable" "user" "user add" "user disable" \
		"role" "role add" "role grant" apikey "apikey disable" wsse "client add" \
		"token revoke" purge batch-worker check-config; do
		# shellcheck disable=SC2086
		run env API_DB_SOCKET=/nonexistent API_DB_HOST=192.0.2.1 "$API_APICTL" $cmd --help
		[ "$status" -eq 0 ] || { echo "$cmd --help: $status $output" >&2; return 1; }
		[[ "${lines[0]}" == "usage: apictl ${cmd%% *}"* ]] ||
			{ echo "$cmd --help: ${lines[0]}" >&2; return 1; }
	done
	run ctl --help
	[ "$status" -eq 0 ]
	for cmd in "org add" "org disable" "user add" "user disable" "role add" "role grant" \
		"apikey disable" migrate seed batch-worker; do
		grep -qF "  $cmd" <<< "$output" || { echo "--help lacks $cmd" >&2; return 1; }
	done
}

@test "an unknown command or wrong arguments: exit 2 and the usage on stderr" {
	run ctl frobnicate
	[ "$status" -eq 2 ]
	[[ "$output" == *'unknown command "frobnicate"'* ]]
	local args
	for args in "org" "org add" "org remove x" "user add" "user frob x" "role add ROLE_X" \
		"role grant ROLE_X users VIEW" "migrate extra" "seed --sql-dir"; do
		# shellcheck disable=SC2086
		run --separate-stderr ctl $args
		[ "$status" -eq 2 ] || { echo "$args: $status" >&2; return 1; }
		[ -z "$output" ] || { echo "$args: stdout $output" >&2; return 1; }
		[[ "$stderr" == usage:* ]] || { echo "$args: $stderr" >&2; return 1; }
	done
}

# --- org ---------------------------------------------------------------------

@test "org add prints the new id of an enabled organization with its top business unit" {
	run --separate-stderr ctl org add "Ctl Org One"
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^[0-9]+$ ]]
	[ "$(db "SELECT name, enabled FROM organizations WHERE id = $output")" = $'Ctl Org One\t1' ]
	[ "$(db "SELECT name, IFNULL(parent_id, 'root') FROM business_units
	         WHERE organization_id = $output")" = $'Ctl Org One\troot' ]
	run ctl org add "Ctl Org Two" --unit "Ctl Two HQ"
	[ "$status" -eq 0 ]
	[ "$(db "SELECT name FROM business_units WHERE organization_id = $output")" = "Ctl Two HQ" ]
}

@test "org add of an existing name or of digits only fails with a message, nothing added" {
	run ctl org add "Acme Inc"
	[ "$status" -eq 1 ]
	[[ "$output" == *'organization "Acme Inc" already exists'* ]]
	[ "$(db "SELECT COUNT(*) FROM organizations WHERE name = 'Acme Inc'")" = 1 ]
	run ctl org add 12345
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot be only digits"* ]]
	[ "$(db "SELECT COUNT(*) FROM organizations WHERE name = '12345'")" = 0 ]
}

@test "org disable by name and by id; an unknown organization fails" {
	ctl org add "Ctl Org Dis1" >/dev/null
	local id2
	id2=$(ctl org add "Ctl Org Dis2")
	run ctl org disable "Ctl Org Dis1"
	[ "$status" -eq 0 ]
	run ctl org disable "$id2"
	[ "$status" -eq 0 ]
	[ "$(db "SELECT GROUP_CONCAT(enabled) FROM organizations
	         WHERE name IN ('Ctl Org Dis1', 'Ctl Org Dis2')")" = 0,0 ]
	[ "$(db "SELECT enabled FROM organizations WHERE id = 1")" = 1 ]
	run ctl org disable "Ctl No Such Org"
	[ "$status" -eq 1 ]
	[[ "$output" == *'no organization "Ctl No Such Org"'* ]]
}

# --- user --------------------------------------------------------------------

@test "user add: the id, the rows, roles, and the password only as an argon2id hash" {
	run --separate-stderr ctl user add ctl_alice --email ctl_alice@example.com --org "Acme Inc" \
		--unit "Acme Sales" --role ROLE_SALES --role ROLE_USER --password 'tr0ub4dor&3'
	[ "$status" -eq 0 ] || { echo "$stderr" >&2; return 1; }
	local id=$output
	[[ "$id" =~ ^[0-9]+$ ]]
	[[ "$output$stderr" != *'tr0ub4dor'* ]]
	[ "$(db "SELECT u.organization_id, b.name, u.email, u.enabled FROM users u
	         JOIN business_units b ON b.id = u.business_unit_id WHERE u.id = $id")" = \
		$'1\tAcme Sales\tctl_alice@example.com\t1' ]
	[[ "$(db "SELECT password_hash FROM users WHERE id = $id")" == '$argon2id$'* ]]
	[ "$(db "SELECT COUNT(*) FROM users WHERE password_hash LIKE '%tr0ub4dor%'")" = 0 ]
	[ "$(db "SELECT GROUP_CONCAT(organization_id) FROM user_organizations WHERE user_id = $id")" = 1 ]
	[ "$(db "SELECT GROUP_CONCAT(b.name) FROM user_business_units ub
	         JOIN business_units b ON b.id = ub.business_unit_id WHERE ub.user_id = $id")" = "Acme Sales" ]
	[ "$(db "SELECT GROUP_CONCAT(r.role ORDER BY r.role) FROM user_roles ur
	         JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = $id")" = "ROLE_SALES,ROLE_USER" ]
}

@test "user add by ids, without roles or password: no password hash" {
	local org unit
	org=$(ctl org add "Ctl Org Ids")
	unit=$(db "SELECT id FROM business_units WHERE organization_id = $org")
	run ctl user add ctl_ids --email ctl_ids@example.com --org "$org" --unit "$unit"
	[ "$status" -eq 0 ]
	[ "$(db "SELECT organization_id, business_unit_id, IFNULL(password_hash, 'none')
	         FROM users WHERE id = $output")" = "$org"$'\t'"$unit"$'\tnone' ]
	[ "$(db "SELECT COUNT(*) FROM user_roles WHERE user_id = $output")" = 0 ]
}

@test "user add without --unit: the organization's top unit (the lowest-id one without a parent)" {
	local org top
	org=$(ctl org add "Ctl Org Top")
	top=$(db "SELECT id FROM business_units WHERE organization_id = $org")
	# A unit below the top one, and a second parentless unit made later.
	db "INSERT INTO business_units (organization_id, parent_id, name, created_at, updated_at)
	    VALUES ($org, $top, 'Ctl Top Child', UTC_TIMESTAMP(), UTC_TIMESTAMP()),
	           ($org, NULL, 'Ctl Top Second', UTC_TIMESTAMP(), UTC_TIMESTAMP())"
	run ctl user add ctl_top --email ctl_top@example.com --org "Ctl Org Top"
	local st=$status id=$output
	# Gone before teardown_file deletes the organization's units at once.
	db "DELETE FROM business_units WHERE name IN ('Ctl Top Child', 'Ctl Top Second')"
	[ "$st" -eq 0 ]
	[ "$(db "SELECT business_unit_id FROM users WHERE id = $id")" = "$top" ]
	[ "$(db "SELECT GROUP_CONCAT(business_unit_id) FROM user_business_units
	         WHERE user_id = $id")" = "$top" ]
	run ctl user add --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"[--unit UNIT]"*"default: ORG's top unit"* ]]
}

@test "user add errors: exit 1, a clear message, no user added" {
	local base=(--email ctl_err@example.com --org "Acme Inc" --unit "Acme HQ")
	run ctl user add ctl_err --email ctl_err@example.com --org "Ctl Nowhere" --unit "Acme HQ"
	[ "$status" -eq 1 ]
	[[ "$output" == *'no organization "Ctl Nowhere"'* ]]
	run ctl user add ctl_err --email ctl_err@example.com --org "Acme Inc" --unit "Ctl No Unit"
	[ "$status" -eq 1 ]
	[[ "$output" == *'no business unit "Ctl No Unit"'* ]]
	run ctl user add ctl_err --email ctl_err@example.com --org "Acme Inc" --unit "Globex Main"
	[ "$status" -eq 1 ]
	[[ "$output" == *'business unit "Globex Main" does not belong to organization "Acme Inc"'* ]]
	run ctl user add ctl_err "${base[@]}" --role ROLE_NO_SUCH
	[ "$status" -eq 1 ]
	[[ "$output" == *'no role "ROLE_NO_SUCH"'* ]]
	run ctl user add ctl_err "${base[@]}" --role ROLE_GLOBEX_MANAGER
	[ "$status" -eq 1 ]
	[[ "$output" == *'role "ROLE_GLOBEX_MANAGER" belongs to another organization'* ]]
	run ctl user add admin --email ctl_other@example.com --org "Acme Inc" --unit "Acme HQ"
	[ "$status" -eq 1 ]
	[[ "$output" == *'a user named "admin" already exists'* ]]
	run ctl user add ctl_err --email admin@example.com --org "Acme Inc" --unit "Acme HQ"
	[ "$status" -eq 1 ]
	[[ "$output" == *'e-mail "admin@example.com" already exists'* ]]
	run ctl user add ctl_err "${base[@]}" --password 'short7!'
	[ "$status" -eq 1 ]
	[[ "$output" == *'at least 8 characters'* ]]
	[[ "$output" != *'short7!'* ]]
	run ctl user add ctl_err --email not-an-address --org "Acme Inc" --unit "Acme HQ"
	[ "$status" -eq 1 ]
	[[ "$output" == *'"not-an-address" is not an e-mail address'* ]]
	run ctl user add ctl_err --org "Acme Inc" --unit "Acme HQ"
	[ "$status" -ne 0 ]
	[[ "$output" == *'needs --email and --org'* ]]
	run ctl user add ctl_err "${base[@]}" --colour blue
	[ "$status" -ne 0 ]
	[[ "$output" == *'unknown option "--colour"'* ]]
	[ "$(db "SELECT COUNT(*) FROM users WHERE username = 'ctl_err' OR email = 'ctl_err@example.com'")" = 0 ]
}

@test "a user added with a role and an apikey reads the API; disabled, it gets 401" {
	local id key
	id=$(ctl user add ctl_bob --email ctl_bob@example.com --org "Acme Inc" --unit "Acme HQ" \
		--role ROLE_ADMINISTRATOR)
	key=$(ctl apikey ctl_bob | tail -1)
	[[ "$key" =~ ^[0-9a-f]{40}$ ]]
	get_as ctl_bob "$key" "/api/users/$id"
	expect_status 200
	[ "$(jqb .data.attributes.username)" = ctl_bob ]
	run ctl user disable ctl_bob
	[ "$status" -eq 0 ]
	[ "$(db "SELECT enabled FROM users WHERE id = $id")" = 0 ]
	get_as ctl_bob "$key" "/api/users/$id"
	expect_status 401
	run ctl user disable ctl_nobody
	[ "$status" -eq 1 ]
	[[ "$output" == *'no user named "ctl_nobody"'* ]]
}

@test "a user added with a password gets an OAuth token with the password grant" {
	ctl user add ctl_carol --email ctl_carol@example.com --org "Globex Corp" --unit "Globex Main" \
		--role ROLE_GLOBEX_MANAGER --password 'carol-s3cret pass' >/dev/null
	local out cid csec
	out=$(ctl client add ctl_carol)
	cid=$(sed -n 's/^client_id: //p' <<< "$out")
	csec=$(sed -n 's/^client_secret: //p' <<< "$out")
	req POST /oauth2-token -d grant_type=password -d "client_id=$cid" -d "client_secret=$csec" \
		-d username=ctl_carol --data-urlencode 'password=carol-s3cret pass'
	expect_status 200
	local token
	token=$(jqb .access_token)
	req GET /api/organizations -H 'Accept: application/vnd.api+json' -H "Authorization: Bearer $token"
	expect_status 200
	[ "$(jqb '.data[0].attributes.name')" = "Globex Corp" ]
	req POST /oauth2-token -d grant_type=password -d "client_id=$cid" -d "client_secret=$csec" \
		-d username=ctl_carol --data-urlencode 'password=wrong password'
	expect_status 400
}

@test "a password read from stdin with --password -" {
	run bash -c "printf 'from-stdin-pw\n' | '$API_APICTL' user add ctl_stdin --email ctl_stdin@example.com --org 1 --unit 1 --password -"
	[ "$status" -eq 0 ]
	[[ "$(db "SELECT password_hash FROM users WHERE username = 'ctl_stdin'")" == '$argon2id$'* ]]
}

@test "a disabled organization: its users' keys get 401 at the next request" {
	local org id key
	org=$(ctl org add "Ctl Org Gone")
	id=$(ctl user add ctl_dave --email ctl_dave@example.com --org "Ctl Org Gone" \
		--unit "Ctl Org Gone" --role ROLE_ADMINISTRATOR)
	key=$(ctl apikey ctl_dave | tail -1)
	get_as ctl_dave "$key" "/api/users/$id"
	expect_status 200
	ctl org disable "$org" >/dev/null
	get_as ctl_dave "$key" "/api/users/$id"
	expect_status 401
}

# --- apikey ----------------------------------------------------------------

@test "apikey disable: that key gets 401, the user's other key still works" {
	local id k1 k2
	id=$(ctl user add ctl_erin --email ctl_erin@example.com --org "Acme Inc" --unit "Acme HQ" \
		--role ROLE_ADMINISTRATOR)
	k1=$(ctl apikey ctl_erin | tail -1)
	k2=$(ctl apikey ctl_erin | tail -1)
	run --separate-stderr ctl apikey disable "$k1"
	[ "$status" -eq 0 ]
	[[ "$output$stderr" != *"$k1"* ]]
	[ "$(db "SELECT enabled FROM api_keys WHERE api_key = '$k1'")" = 0 ]
	get_as ctl_erin "$k1" "/api/users/$id"
	expect_status 401
	get_as ctl_erin "$k2" "/api/users/$id"
	expect_status 200
}

@test "apikey disable of a malformed or unknown key fails without echoing it" {
	run ctl apikey disable not-a-key
	[ "$status" -eq 1 ]
	[[ "$output" == *'40 lowercase hex'* ]]
	run ctl apikey disable 0000000000000000000000000000000000c0ffee
	[ "$status" -eq 1 ]
	[[ "$output" == *'no such API key'* ]]
	[[ "$output" != *c0ffee* ]]
}

@test "apikey USERNAME ORG and client add keep working" {
	run ctl apikey admin "Globex Corp"
	[ "$status" -eq 0 ]
	[ "$(db "SELECT organization_id FROM api_keys WHERE api_key = '${lines[-1]}'")" = 2 ]
	run ctl apikey globex_admin "Acme Inc"
	[ "$status" -eq 1 ]
	[[ "$output" == *'is not an organization of user "globex_admin"'* ]]
	run ctl apikey ctl_nobody
	[ "$status" -eq 1 ]
	[[ "$output" == *'no user named "ctl_nobody"'* ]]
	run ctl client add admin
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^client_id:\ [0-9a-f]{32}$ ]]
}

# --- role ------------------------------------------------------------------

@test "role add: shared or of one organization; prints the id" {
	run ctl role add ROLE_CTL_SHARED "Ctl shared"
	[ "$status" -eq 0 ]
	[ "$(db "SELECT role, label, IFNULL(organization_id, 'shared') FROM roles WHERE id = $output")" = \
		$'ROLE_CTL_SHARED\tCtl shared\tshared' ]
	run ctl role add ROLE_CTL_GLOBEX "Ctl Globex" --org "Globex Corp"
	[ "$status" -eq 0 ]
	[ "$(db "SELECT organization_id FROM roles WHERE id = $output")" = 2 ]
}

@test "role add errors: bad name, duplicate, unknown organization" {
	local bad
	for bad in role_lower ROLE_ ROLE-X ADMIN "ROLE_A B"; do
		run ctl role add "$bad" Label
		[ "$status" -eq 1 ] || { echo "$bad: $status" >&2; return 1; }
		[[ "$output" == *'a role name is ROLE_ followed by A-Z, 0-9 and _'* ]]
	done
	run ctl role add ROLE_ADMINISTRATOR Again
	[ "$status" -eq 1 ]
	[[ "$output" == *'a role "ROLE_ADMINISTRATOR" already exists'* ]]
	run ctl role add ROLE_CTL_NOORG Label --org "Ctl Nowhere"
	[ "$status" -eq 1 ]
	[[ "$output" == *'no organization "Ctl Nowhere"'* ]]
	[ "$(db "SELECT COUNT(*) FROM roles WHERE role IN ('ROLE_CTL_NOORG', 'role_lower')")" = 0 ]
}

@test "role grant sets the level and replaces it on a second grant" {
	local id
	id=$(ctl role add ROLE_CTL_GRANT "Ctl grant")
	run ctl role grant ROLE_CTL_GRANT contacts VIEW division
	[ "$status" -eq 0 ]
	[ "$(db "SELECT entity_type, permission, level FROM role_permissions WHERE role_id = $id")" = \
		$'contacts\tVIEW\tdivision' ]
	run ctl role grant ROLE_CTL_GRANT contacts VIEW user
	[ "$status" -eq 0 ]
	[ "$(db "SELECT level FROM role_permissions WHERE role_id = $id")" = user ]
	ctl role grant ROLE_CTL_GRANT calls DELETE none >/dev/null
	[ "$(db "SELECT COUNT(*) FROM role_permissions WHERE role_id = $id")" = 2 ]
}

@test "role grant errors: unknown role, type, permission, level" {
	run ctl role grant ROLE_CTL_NONE contacts VIEW user
	[ "$status" -eq 1 ]
	[[ "$output" == *'no role "ROLE_CTL_NONE"'* ]]
	run ctl role grant ROLE_USER widgets VIEW user
	[ "$status" -eq 1 ]
	[[ "$output" == *'no resource type "widgets"'* ]]
	run ctl role grant ROLE_USER contacts READ user
	[ "$status" -eq 1 ]
	[[ "$output" == *'PERMISSION is one of VIEW, CREATE, EDIT, DELETE'* ]]
	run ctl role grant ROLE_USER contacts VIEW everything
	[ "$status" -eq 1 ]
	[[ "$output" == *'LEVEL is one of none, user, business_unit, division, organization'* ]]
	[ "$(db "SELECT COUNT(*) FROM role_permissions WHERE role_id = 2 AND entity_type = 'contacts'")" = 0 ]
}

# --- migrate and seed ------------------------------------------------------

@test "migrate on an empty database yields the stack's schema; a second run is a no-op" {
	run env API_DB_NAME=$FRESH "$API_APICTL" migrate
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	[[ "$output" == *"applied schema.sql"* ]]
	[ "$(schema_of $FRESH | wc -l)" -gt 150 ]
	diff <(schema_of mariapi) <(schema_of $FRESH)
	[ "$(ctl_fresh "SELECT version FROM schema_migrations")" = "$(db "SELECT version FROM schema_migrations")" ]
	local before
	before=$(ctl_fresh "SELECT version, applied_at FROM schema_migrations")
	run env API_DB_NAME=$FRESH "$API_APICTL" migrate
	[ "$status" -eq 0 ]
	[[ "$output" == *"is up to date"* ]]
	[ "$(ctl_fresh "SELECT version, applied_at FROM schema_migrations")" = "$before" ]
	diff <(schema_of mariapi) <(schema_of $FRESH)
}

@test "migrate applies new migrations in order, once, and records them" {
	local dir="$BATS_TEST_TMPDIR/sql"
	cp -r "$ROOT/sql" "$dir"
	mkdir -p "$dir/migrations"
	printf -- '-- two statements\nCREATE TABLE ctl_m (id INT);\nINSERT INTO ctl_m VALUES (1);\n-- end\n' \
		> "$dir/migrations/901-ctl-first.sql"
	printf 'INSERT INTO ctl_m SELECT MAX(id) + 1 FROM ctl_m;\n' > "$dir/migrations/902-ctl-second.sql"
	echo 'not a migration' > "$dir/migrations/notes.txt"
	run env API_DB_NAME=$FRESH "$API_APICTL" migrate --sql-dir "$dir"
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	[ "${lines[0]}" = "applied migrations/901-ctl-first.sql" ]
	[ "${lines[1]}" = "applied migrations/902-ctl-second.sql" ]
	[ "$(ctl_fresh "SELECT GROUP_CONCAT(id ORDER BY id) FROM ctl_m")" = 1,2 ]
	[ "$(ctl_fresh "SELECT COUNT(*) FROM schema_migrations WHERE version LIKE '90%-ctl-%'")" = 2 ]
	run env API_DB_SQL_DIR=unused API_SQL_DIR="$dir" API_DB_NAME=$FRESH "$API_APICTL" migrate
	[ "$status" -eq 0 ]
	[[ "$output" == *"is up to date"* ]]
	[ "$(ctl_fresh "SELECT COUNT(*) FROM ctl_m")" = 2 ]
	# A failing migration: exit 1, the file and the server's message, not recorded.
	printf 'CREATE TABLE ctl_m (id INT);\n' > "$dir/migrations/903-ctl-bad.sql"
	run env API_DB_NAME=$FRESH "$API_APICTL" migrate --sql-dir "$dir"
	[ "$status" -eq 1 ]
	[[ "$output" == *"903-ctl-bad.sql"*"already exists"* ]]
	[ "$(ctl_fresh "SELECT COUNT(*) FROM schema_migrations WHERE version = '903-ctl-bad'")" = 0 ]
	ctl_fresh "DROP TABLE ctl_m; DELETE FROM schema_migrations WHERE version LIKE '90%-ctl-%'"
}

@test "migrate refuses a database with tables but no schema_migrations, and a bad --sql-dir" {
	db "CREATE DATABASE ctl_foreign_db; GRANT ALL ON ctl_foreign_db.* TO 'mariapi'@'localhost';
	    CREATE TABLE ctl_foreign_db.t (id INT)"
	run env API_DB_NAME=ctl_foreign_db "$API_APICTL" migrate
	local st=$status out=$output
	db "DROP DATABASE ctl_foreign_db"
	[ "$st" -eq 1 ]
	[[ "$out" == *"no schema_migrations table"* ]]
	run ctl migrate --sql-dir "$BATS_TEST_TMPDIR/nothing"
	[ "$status" -eq 1 ]
	[[ "$output" == *"no readable schema.sql in $BATS_TEST_TMPDIR/nothing"* ]]
	run env API_SQL_DIR="$BATS_TEST_TMPDIR/nothing" "$API_APICTL" migrate
	[ "$status" -eq 1 ]
	[[ "$output" == *'($API_SQL_DIR)'* ]]
}

@test "an installed apictl finds ../share/mariapi/sql next to its bin/" {
	local d="$BATS_TEST_TMPDIR/prefix"
	mkdir -p "$d/bin" "$d/share/mariapi"
	cp "$API_APICTL" "$d/bin/apictl"
	cp -r "$ROOT/sql" "$d/share/mariapi/sql"
	run env -u API_SQL_DIR API_DB_NAME=$FRESH "$d/bin/apictl" migrate
	[ "$status" -eq 0 ]
	[[ "$output" == *"is up to date"* ]]
	# Without it (and with no system-wide copy): the way out is named.
	rm -r "$d/share/mariapi/sql"
	[ -e /usr/local/share/mariapi/sql/schema.sql ] && skip "a system-wide copy exists"
	run env -u API_SQL_DIR API_DB_NAME=$FRESH "$d/bin/apictl" migrate
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot find the sql/ directory (schema.sql): use --sql-dir DIR"* ]]
}

@test "migrate on the stack's database: up to date, nothing changed" {
	run ctl migrate
	[ "$status" -eq 0 ]
	[[ "$output" == *'"mariapi" is up to date'* ]]
}

@test "seed loads the demo data into the migrated database once" {
	run env API_DB_NAME=$FRESH "$API_APICTL" seed
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	[ "$(ctl_fresh "SELECT name FROM organizations WHERE id = 1")" = "Acme Inc" ]
	[ "$(ctl_fresh "SELECT username FROM users WHERE id = 1")" = admin ]
	[ "$(ctl_fresh "SELECT COUNT(*) FROM role_permissions")" -gt 0 ]
	local n
	n=$(ctl_fresh "SELECT COUNT(*) FROM contacts")
	run env API_DB_NAME=$FRESH "$API_APICTL" seed
	[ "$status" -eq 1 ]
	[[ "$output" == *"already has organizations"* ]]
	[ "$(ctl_fresh "SELECT COUNT(*) FROM contacts")" = "$n" ]
}

@test "migration 006 gives account_contacts its organization, drops cross-organization links and equals a fresh schema" {
	# The seeded fresh database, account_contacts put back as 005 left it,
	# with one link of org 2's account 26 to org 1's contact 1 (not valid
	# data: the migration deletes it).
	ctl_fresh "ALTER TABLE account_contacts DROP FOREIGN KEY fk_ac_account, DROP FOREIGN KEY fk_ac_contact;
	    ALTER TABLE account_contacts DROP PRIMARY KEY, DROP KEY ix_ac_contact, DROP COLUMN organization_id,
	      ADD PRIMARY KEY (account_id, contact_id), ADD KEY ix_ac_contact (contact_id, account_id),
	      ADD CONSTRAINT fk_ac_account FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE,
	      ADD CONSTRAINT fk_ac_contact FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE CASCADE;
	    DELETE FROM schema_migrations WHERE version = '006-account-contacts-org';
	    INSERT INTO account_contacts (account_id, contact_id) VALUES (26, 1)"
	[ "$(ctl_fresh "SELECT COUNT(*) FROM account_contacts j JOIN accounts a ON a.id = j.account_id
	    JOIN contacts c ON c.id = j.contact_id WHERE a.organization_id <> c.organization_id")" = 1 ]
	local valid
	valid=$(ctl_fresh "SELECT a.organization_id, j.account_id, j.contact_id FROM account_contacts j
	    JOIN accounts a ON a.id = j.account_id WHERE NOT (j.account_id = 26 AND j.contact_id = 1)
	    ORDER BY 2, 3")
	[ "$(wc -l <<< "$valid")" -gt 50 ]
	run env API_DB_NAME=$FRESH "$API_APICTL" migrate
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	[ "$output" = "applied migrations/006-account-contacts-org.sql" ] || { echo "$output" >&2; return 1; }
	diff <(schema_of mariapi) <(schema_of $FRESH)
	[ "$(ctl_fresh "SELECT organization_id, account_id, contact_id FROM account_contacts ORDER BY 2, 3")" = "$valid" ]
	# and it refuses such a link from now on
	run ctl_fresh "INSERT INTO account_contacts (organization_id, account_id, contact_id) VALUES (2, 26, 1)"
	[ "$status" -ne 0 ]
	[[ "$output" == *"foreign key constraint fails"* ]]
}

@test "migration 007 gives the createdAt walk of contacts its id and lastName, and equals a fresh schema" {
	# The fresh database with the index as 006 left it.
	ctl_fresh "ALTER TABLE contacts DROP INDEX ix_contacts_org_created,
	      ADD INDEX ix_contacts_org_created (organization_id, created_at);
	    DELETE FROM schema_migrations WHERE version = '007-contacts-created-walk'"
	run env API_DB_NAME=$FRESH "$API_APICTL" migrate
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	[ "$output" = "applied migrations/007-contacts-created-walk.sql" ] || { echo "$output" >&2; return 1; }
	[ "$(ctl_fresh "SELECT GROUP_CONCAT(column_name ORDER BY seq_in_index) FROM information_schema.statistics
	    WHERE table_schema = '$FRESH' AND table_name = 'contacts' AND index_name = 'ix_contacts_org_created'")" = \
		organization_id,created_at,id,last_name ]
	diff <(schema_of mariapi) <(schema_of $FRESH)
}

@test "seed refuses a database without the schema" {
	db "CREATE DATABASE ctl_empty_db; GRANT ALL ON ctl_empty_db.* TO 'mariapi'@'localhost'"
	run env API_DB_NAME=ctl_empty_db "$API_APICTL" seed
	local st=$status out=$output
	db "DROP DATABASE ctl_empty_db"
	[ "$st" -eq 1 ]
	[[ "$out" == *"has no schema: run apictl migrate first"* ]]
}

@test "check-config and purge keep working" {
	run ctl check-config
	[ "$status" -eq 0 ]
	[[ "$output" == *"database: connected"* ]]
	run ctl purge
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "nonces: "*" deleted" ]]
	[[ "$output" == *$'\nasync operations: '*" deleted"* ]]
	run ctl batch-worker --max-jobs 0
	[ "$status" -eq 2 ]
}
