#!/usr/bin/env bats
# replicas.bats: reads on a MariaDB replica, writes on the primary, and
# read-your-writes with X-Consistency-Token (API.md section 15), against a
# primary + replica pair of this file's own (tests/helpers/replica.bash)
# and one FastCGI process configured with db.replicas. Where a statement
# ran is read from each server's general log (mysql.general_log).
load helpers/common
load helpers/replica
. "$ROOT/tests/helpers/stack.sh"

# Short lag bound: the lag test waits it out.
MAX_LAG=3

setup_file() {
	REP_DIR=$(mktemp -d /tmp/mariapi-rep.XXXXXX)
	export REP_DIR
	replica_start "$REP_DIR" "db.replica_max_lag = $MAX_LAG" || return 1
	# From here on the file's requests, apictl and `db` use the pair.
	export API_CONFIG=$RP_CONF DB_SOCKET=$RP_SOCK API_URL="http://127.0.0.1:$ONE_PORT"
	ADMIN_KEY=$("$API_APICTL" apikey admin | tail -1) || return 1
	export ADMIN_KEY
}

teardown_file() {
	replica_stop "$REP_DIR"
}

# Whatever a test stopped runs again for the next one.
teardown() {
	[ -S "$RR_SOCK" ] || replica_start_replica "$REP_DIR"
	rr_sql -e 'START SLAVE' 2>/dev/null || true
}

gtid_re='^[0-9]+-[0-9]+-[0-9]+$'

# get_list LASTNAME [curl args]: contacts with that last name, as admin.
get_list() {
	local name=$1
	shift
	get "/api/contacts?filter%5BlastName%5D=$name" "$@"
}

# The list statement for LASTNAME (`last_name` = 'X'; _ matches a quote).
read_of() { echo "= _$1_"; }

# reads_on_replica NAME [curl args]: the list of NAME was read on the
# replica, not on the primary (for `eventually`: the process looks at its
# replica once per db.replica_check_interval).
reads_on_replica() {
	local name=$1$RANDOM
	shift
	get_list "$name" "$@"
	expect_status 200 &&
		[ "$(log_count rr_sql "$(read_of "$name")")" -ge 1 ] &&
		[ "$(log_count rp_sql "$(read_of "$name")")" = 0 ]
}

@test "replicas: GETs run on the replica and writes on the primary" {
	U=route$RANDOM$RANDOM
	new_contact "$U"
	replica_sync
	eventually 5 reads_on_replica warm
	before=$(rr_sql -e "SHOW GLOBAL STATUS LIKE 'Com_stmt_execute'" | cut -f2)
	for _ in 1 2 3 4 5; do
		get_list "$U"
		expect_status 200
		[ "$(jqb '.data | length')" = 1 ]
	done
	[ "$(log_count rr_sql "$(read_of "$U")")" -ge 5 ]
	[ "$(log_count rp_sql "$(read_of "$U")")" = 0 ]
	[ "$(log_count rp_sql "INSERT INTO \`contacts\`%_${U}_")" = 1 ]
	[ "$(log_count rr_sql "INSERT INTO \`contacts\`%_${U}_")" = 0 ]
	after=$(rr_sql -e "SHOW GLOBAL STATUS LIKE 'Com_stmt_execute'" | cut -f2)
	[ $((after - before)) -ge 5 ]
	# HEAD and POST with X-HTTP-Method-Override: GET are reads too.
	req HEAD "/api/contacts?filter%5BlastName%5D=${U}h" -H 'Accept: application/vnd.api+json' -H "$(wsse)"
	expect_status 200
	send POST /api/contacts "{\"filter\":{\"lastName\":\"${U}o\"}}" -H 'X-HTTP-Method-Override: GET'
	expect_status 200
	[ -z "$(header X-Consistency-Token)" ]
	[ "$(log_count rr_sql "$(read_of "${U}h")")" -ge 1 ]
	[ "$(log_count rr_sql "$(read_of "${U}o")")" -ge 1 ]
	[ "$(log_count rp_sql "$(read_of "${U}h")")" = 0 ]
	[ "$(log_count rp_sql "$(read_of "${U}o")")" = 0 ]
	# Batch jobs are read on the primary.
	get /api/asyncoperations/999999
	[ "$(log_count rp_sql 'FROM `async_operations`')" -ge 1 ]
	[ "$(log_count rr_sql 'FROM `async_operations`')" = 0 ]
}

@test "replicas: with the SQL thread stopped, a GET with the write's token sees the write; without it, the stale replica answers" {
	U=ryw$RANDOM$RANDOM
	eventually 5 reads_on_replica warm
	replica_sync
	rr_sql -e 'STOP SLAVE SQL_THREAD'
	new_contact "$U"
	token=$(header X-Consistency-Token)
	[[ "$token" =~ $gtid_re ]]
	get "/api/contacts/$CID"
	expect_error 404 "not found http exception"
	get "/api/contacts/$CID" -H "X-Consistency-Token: $token"
	expect_status 200
	[ "$(jqb .data.attributes.lastName)" = "$U" ]
	get_list "$U" -H "X-Consistency-Token: $token"
	[ "$(jqb '.data | length')" = 1 ]
	[ "$(log_count rp_sql "$(read_of "$U")")" -ge 1 ]
	# Once applied, the same token reads from the replica.
	rr_sql -e 'START SLAVE SQL_THREAD'
	replica_sync
	eventually 5 reads_on_replica "$U" -H "X-Consistency-Token: $token"
}

@test "replicas: every successful write carries X-Consistency-Token, reads and errors do not" {
	new_contact "tok$RANDOM"
	t1=$(header X-Consistency-Token)
	[[ "$t1" =~ $gtid_re ]]
	c=$CID
	send PATCH "/api/contacts/$c" "{\"data\":{\"type\":\"contacts\",\"id\":\"$c\",\"attributes\":{\"firstName\":\"T\"}}}"
	expect_status 200
	t2=$(header X-Consistency-Token)
	[[ "$t2" =~ $gtid_re ]]
	[ "${t2##*-}" -gt "${t1##*-}" ]
	send PATCH "/api/contacts/$c/relationships/assignedTo" '{"data":{"type":"users","id":"5"}}'
	expect_status 204
	[[ "$(header X-Consistency-Token)" =~ $gtid_re ]]
	send POST "/api/contacts/$c/relationships/accounts" '{"data":[{"type":"accounts","id":"1"}]}'
	expect_status 204
	[[ "$(header X-Consistency-Token)" =~ $gtid_re ]]
	send DELETE "/api/contacts/$c/relationships/accounts" '{"data":[{"type":"accounts","id":"1"}]}'
	expect_status 204
	[[ "$(header X-Consistency-Token)" =~ $gtid_re ]]
	# A write that changed nothing still answers with a position.
	send DELETE "/api/contacts/$c/relationships/accounts" '{"data":[{"type":"accounts","id":"1"}]}'
	expect_status 204
	[[ "$(header X-Consistency-Token)" =~ $gtid_re ]]
	get "/api/contacts/$c"
	expect_status 200
	[ -z "$(header X-Consistency-Token)" ]
	send PATCH "/api/contacts/$c" "{\"data\":{\"type\":\"contacts\",\"id\":\"$c\",\"attributes\":{\"email\":\"not an email\"}}}"
	expect_status 400
	[ -z "$(header X-Consistency-Token)" ]
	send PATCH /api/contacts '{"data":[{"type":"contacts","attributes":{"lastName":"batch"}}]}' -H 'X-Mode: sync'
	expect_status 200
	[[ "$(header X-Consistency-Token)" =~ $gtid_re ]]
	send DELETE "/api/contacts/$c"
	expect_status 204
	[[ "$(header X-Consistency-Token)" =~ $gtid_re ]]
	send DELETE "/api/contacts/$c"
	expect_status 404
	[ -z "$(header X-Consistency-Token)" ]
}

@test "replicas: a malformed X-Consistency-Token is a 400 invalid header value exception; a GTID list is accepted" {
	for bad in abc "0-1-2,,0-1-3" "0-1-2;1" "0-1-99999999999999999999999" "0-4294967296-1"; do
		get /api/contacts/1 -H "X-Consistency-Token: $bad"
		expect_error 400 "invalid header value exception"
		[ "$(jqb '.errors[0].source.header')" = X-Consistency-Token ]
	done
	get /api/contacts/1 -H "X-Consistency-Token: 0-1-1,1-2-3"
	expect_status 200
}

@test "replicas: a replica further behind than db.replica_max_lag is skipped, and used again once it catches up" {
	U=lag$RANDOM$RANDOM
	rr_sql -e 'STOP SLAVE SQL_THREAD'
	new_contact "$U"
	# Without a token: the primary once the replica is found behind.
	eventually $((MAX_LAG + 5)) status_is 200 get "/api/contacts/$CID"
	rr_sql -e 'START SLAVE SQL_THREAD'
	replica_sync
	eventually 5 reads_on_replica "$U"
}

@test "replicas: reads go to the primary while the replica is down, and back to it when it returns" {
	U=down$RANDOM$RANDOM
	replica_stop_replica
	new_contact "$U"
	for _ in 1 2 3; do
		get "/api/contacts/$CID"
		expect_status 200
		get_list "$U"
		expect_status 200
		[ "$(jqb '.data | length')" = 1 ]
	done
	[ "$(log_count rp_sql "$(read_of "$U")")" -ge 3 ]
	replica_start_replica "$REP_DIR"
	replica_sync
	eventually 5 reads_on_replica "$U"
}

@test "replicas: an API key made or disabled while the replica lags takes effect (credentials come from the primary)" {
	replica_sync
	rr_sql -e 'STOP SLAVE SQL_THREAD'
	key=$("$API_APICTL" apikey sales | tail -1)
	get_as sales "$key" /api/contacts/1
	[ "$STATUS" != 401 ]
	"$API_APICTL" apikey disable "$key"
	settles 401 get_as sales "$key" /api/contacts/1
	[ "$(rr_sql mariapi -e "SELECT COUNT(*) FROM api_keys WHERE api_key = '$key'")" = 0 ]
	# Over the whole file: no credential, permission or nonce on the replica.
	[ "$(log_count rr_sql 'FROM api_keys')" = 0 ]
	[ "$(log_count rr_sql 'FROM user_roles')" = 0 ]
	[ "$(log_count rr_sql 'wsse_nonces')" = 0 ]
	[ "$(log_count rp_sql 'FROM user_roles')" -ge 1 ]
}

@test "replicas: db.replicas takes host, host:port, [v6]:port and socket paths; anything else is a configuration error" {
	run env API_DB_REPLICAS="db1:3307, /run/mysqld/r.sock [::1]:3308 db2" "$API_APICTL" check-config
	[ "$status" -eq 0 ]
	[[ "$output" == *"db.replicas"*"= db1:3307, /run/mysqld/r.sock [::1]:3308 db2"* ]]
	for bad in "db1:0" "db1:x" "[::1" "db1:3307:1" "a,b,c,d,e,f,g,h,i"; do
		run env API_DB_REPLICAS="$bad" "$API_APICTL" check-config
		[ "$status" -ne 0 ]
		[[ "$output" == *"db.replicas: "* ]]
	done
}
