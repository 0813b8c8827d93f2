# replica.bash: a MariaDB primary and a replica (GTID replication), both
# private to one bats file (own datadirs, sockets, loopback ports), the
# schema and demo data loaded through the primary, and a lighttpd serving
# /api with one FastCGI process whose db.replicas names the replica. For
# tests/replicas.bats and tests/bench/replica.sh; the suite's own MariaDB
# keeps running without a binary log.
#
# replica_start DIR [CONFIG LINES]: sets RP_SOCK, RR_SOCK, RR_PORT, RP_CONF
# and ONE_PORT (the lighttpd); replica_stop DIR stops everything.
# Both servers log every statement to mysql.general_log (rp_log/rr_log).

# The server's options but for the datadir, socket, port and role.
_replica_mariadbd() { # DIR NAME PORT EXTRA...
	local dir=$1 name=$2 port=$3 user=()
	shift 3
	[ "$(id -u)" -eq 0 ] && user=(--user=root)
	setsid -f mariadbd --no-defaults --datadir="$dir/$name" "${user[@]}" \
		--socket="$dir/$name.sock" --port="$port" --bind-address=127.0.0.1 \
		--pid-file="$dir/$name.pid" --log-error="$dir/$name.err" --skip-name-resolve \
		--innodb-buffer-pool-size=32M --innodb-log-file-size=16M \
		--innodb-flush-log-at-trx-commit=2 --character-set-server=utf8mb4 \
		--collation-server=utf8mb4_unicode_ci --default-time-zone=+00:00 \
		--general-log=1 --log-output=TABLE --max-connections=100 "$@" \
		</dev/null >/dev/null 2>&1 3>&-
}

_replica_wait_up() { # SOCKET ERRLOG
	local i
	for i in $(seq 1 300); do
		mariadb --no-defaults -S "$1" -uroot -e 'SELECT 1' >/dev/null 2>&1 && return 0
		grep -q 'Aborting' "$2" 2>/dev/null && break
		sleep 0.1
	done
	echo "MariaDB ($1) did not start:" >&2
	tail -20 "$2" >&2
	return 1
}

rp_sql() { mariadb --no-defaults -S "$RP_SOCK" -uroot -N -B "$@"; }
rr_sql() { mariadb --no-defaults -S "$RR_SOCK" -uroot -N -B "$@"; }

# Starts (or restarts, after replica_stop_replica) the replica server.
replica_start_replica() {
	local dir=$1
	_replica_mariadbd "$dir" replica "$RR_PORT" --server-id=2 --skip-log-bin --read-only=1 \
		--relay-log="$dir/replica/relay" --log-basename=replica
	_replica_wait_up "$RR_SOCK" "$dir/replica.err"
}

replica_stop_replica() {
	mariadb-admin --no-defaults -S "$RR_SOCK" -uroot shutdown >/dev/null 2>&1 || true
	local i
	for i in $(seq 1 100); do
		[ -S "$RR_SOCK" ] || return 0
		sleep 0.1
	done
}

# Waits until the replica has applied everything the primary logged.
replica_sync() {
	local pos
	pos=$(rp_sql -e 'SELECT @@gtid_binlog_pos')
	[ "$(rr_sql -e "SELECT MASTER_GTID_WAIT('$pos', 30)")" = 0 ]
}

replica_start() {
	local dir=$1 extra=${2:-}
	mkdir -p "$dir"
	RP_SOCK="$dir/primary.sock"
	RR_SOCK="$dir/replica.sock"
	if [ ${#RP_SOCK} -gt 100 ]; then
		echo "replica_start: $dir is too long a path for a socket" >&2
		return 1
	fi
	local user=()
	[ "$(id -u)" -eq 0 ] && user=(--user=root)
	# One fresh datadir, copied: the replica starts from the same empty
	# state and replays the primary's binary log from its first event.
	mariadb-install-db --no-defaults --datadir="$dir/primary" "${user[@]}" \
		--auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1 ||
		{ cat "$dir/install.log" >&2; return 1; }
	cp -a "$dir/primary" "$dir/replica"
	local rp_port
	rp_port=$(stack_free_port)
	RR_PORT=$(stack_free_port)
	# The binary log costs fsyncs: sync_binlog=0 leaves them to the OS, as
	# innodb_flush_log_at_trx_commit=2 does for InnoDB's log.
	_replica_mariadbd "$dir" primary "$rp_port" --server-id=1 --log-bin="$dir/primary/binlog" \
		--sync-binlog=0 --binlog-format=ROW
	_replica_wait_up "$RP_SOCK" "$dir/primary.err" || return 1
	replica_start_replica "$dir" || return 1
	local pw
	pw=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
	rp_sql <<SQL || return 1
CREATE USER 'repl'@'127.0.0.1' IDENTIFIED BY '$pw';
GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1';
CREATE DATABASE mariapi CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER 'mariapi'@'localhost' IDENTIFIED BY '$pw';
CREATE USER 'mariapi'@'127.0.0.1' IDENTIFIED BY '$pw';
GRANT ALL ON mariapi.* TO 'mariapi'@'localhost';
GRANT ALL ON mariapi.* TO 'mariapi'@'127.0.0.1';
SQL
	rp_sql mariapi < "$ROOT/sql/schema.sql" || return 1
	rp_sql mariapi < "$ROOT/sql/seed.sql" || return 1
	rr_sql -e "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$rp_port,
		MASTER_USER='repl', MASTER_PASSWORD='$pw', MASTER_USE_GTID=slave_pos,
		MASTER_CONNECT_RETRY=1; START SLAVE" || return 1
	replica_sync || { echo "the replica did not catch up" >&2; return 1; }
	RP_CONF="$dir/api.conf"
	cat > "$RP_CONF" <<CONF
db.socket = $RP_SOCK
db.user = mariapi
db.password = $pw
db.name = mariapi
db.replicas = 127.0.0.1:$RR_PORT
$extra
CONF
	chmod 600 "$RP_CONF"
	stack_one_process "$dir/web" "$API_FCGI" "\"API_CONFIG\" => \"$RP_CONF\"" || return 1
	export RP_SOCK RR_SOCK RR_PORT RP_CONF ONE_PORT
}

replica_stop() {
	local dir=$1
	[ -f "$dir/web/pid" ] && kill "$(cat "$dir/web/pid")" 2>/dev/null
	replica_stop_replica
	mariadb-admin --no-defaults -S "$RP_SOCK" -uroot shutdown >/dev/null 2>&1 || true
	local i
	for i in $(seq 1 100); do
		[ -S "$RP_SOCK" ] || break
		sleep 0.1
	done
	rm -rf "$dir"
}

# How many statements of the general log of a server (rp_sql or rr_sql)
# contain TEXT; the API's own statements only.
log_count() { # rp_sql|rr_sql TEXT
	"$1" -e "SELECT COUNT(*) FROM mysql.general_log WHERE user_host LIKE 'mariapi%'
		AND argument LIKE CONCAT('%', '$2', '%')"
}
