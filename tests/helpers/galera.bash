# galera.bash: a two-node MariaDB Galera cluster plus garbd (the arbitrator,
# a third vote so that one node alone keeps no quorum split) on loopback,
# for tests/galera.bats. Private datadirs, sockets and ports under a
# directory; no system service, no state-transfer script: node 2 starts
# from a copy of node 1's datadir, taken before node 1 bootstraps, and
# joins at node 1's very position, so neither SST nor IST runs.
#
# galera_start DIR: starts it all and writes DIR/n1.conf and DIR/n2.conf
# (the API's configuration for each node). galera_stop DIR: stops it all.
# galera_sql N SQL: runs SQL as root on node N (tab-separated rows).

GALERA_LIB=${GALERA_LIB:-/usr/lib/galera/libgalera_smm.so}

galera_log() { printf 'galera: %s\n' "$*" >&2; }

galera_sql() {
	mariadb --no-defaults -S "$GALERA_DIR/n$1.sock" -uroot -N -B mariapi -e "$2"
}

# galera_status N VARIABLE: a wsrep status value of node N ("" if down).
galera_status() {
	mariadb --no-defaults -S "$GALERA_DIR/n$1.sock" -uroot -N -B \
		-e "SHOW STATUS LIKE '$2'" 2>/dev/null | cut -f2
}

# galera_wait SECONDS CMD...: polls CMD every 0.1 s.
galera_wait() {
	local i n=$(($1 * 10))
	shift
	for ((i = 0; i < n; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

galera_synced() { [ "$(galera_status "$1" wsrep_local_state_comment)" = Synced ]; }
galera_size_is() { [ "$(galera_status 1 wsrep_cluster_size)" = "$1" ]; }

# galera_node N EXTRA...: starts mariadbd for node N in the background.
# What the service relies on (README, "Galera"): binlog_format=ROW,
# innodb_autoinc_lock_mode=2, wsrep_sync_wait=1 (a read waits until the
# node has applied what the cluster committed before it: read-your-writes
# across nodes). Small buffers and log: a test cluster on a shared box.
galera_node() {
	local n=$1 user=()
	shift
	[ "$(id -u)" -eq 0 ] && user=(--user=root)
	local -n ports="GALERA_PORTS_$n"
	rm -f "$GALERA_DIR/n$n.sock"
	setsid -f mariadbd --no-defaults --datadir="$GALERA_DIR/n$n" "${user[@]}" \
		--socket="$GALERA_DIR/n$n.sock" --port="${ports[0]}" --bind-address=127.0.0.1 \
		--pid-file="$GALERA_DIR/n$n.pid" --log-error="$GALERA_DIR/n$n.log" \
		--skip-name-resolve --skip-log-bin --innodb-buffer-pool-size=32M \
		--innodb-log-file-size=16M --innodb-flush-log-at-trx-commit=2 \
		--character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
		--default-time-zone=+00:00 --max-connections=100 \
		--binlog-format=ROW --innodb-autoinc-lock-mode=2 --wsrep-on=ON \
		--wsrep-provider="$GALERA_LIB" --wsrep-cluster-name=mariapi-test \
		--wsrep-node-name="n$n" --wsrep-node-address="127.0.0.1:${ports[1]}" \
		--wsrep-sync-wait=1 --wsrep-sst-method=rsync \
		--wsrep-sst-receive-address="127.0.0.1:${ports[3]}" \
		--wsrep-provider-options="base_host=127.0.0.1;base_port=${ports[1]};gmcast.listen_addr=tcp://127.0.0.1:${ports[1]};ist.recv_addr=127.0.0.1:${ports[2]};gcache.size=16M;pc.recovery=false" \
		"$@" </dev/null >/dev/null 2>&1 3>&-
}

galera_start() {
	GALERA_DIR=$1
	export GALERA_DIR
	local user=() p
	[ "$(id -u)" -eq 0 ] && user=(--user=root)
	if [ ! -r "$GALERA_LIB" ] || ! command -v garbd >/dev/null; then
		galera_log "the Galera library or garbd is missing (tests/helpers/deps.sh installs galera-4 and galera-arbitrator-4)"
		return 2
	fi
	mkdir -p "$GALERA_DIR"
	# Ports: mysql, galera (gcomm), IST, SST (unused unless a state
	# transfer turns out to be needed after all) per node; one for garbd.
	GALERA_PORTS_1=() GALERA_PORTS_2=()
	for p in 1 2 3 4; do
		GALERA_PORTS_1+=("$(stack_free_port)")
		GALERA_PORTS_2+=("$(stack_free_port)")
	done
	GALERA_GARBD_PORT=$(stack_free_port)
	# The schema and demo data go in at install time (bootstrap mode: no
	# server to start and stop); the application user is made once the
	# cluster runs, which also shows that DCL replicates.
	{
		printf 'CREATE DATABASE mariapi CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\nUSE mariapi;\n'
		cat "$ROOT/sql/schema.sql" "$ROOT/sql/seed.sql"
	} > "$GALERA_DIR/load.sql"
	mariadb-install-db --no-defaults --datadir="$GALERA_DIR/n1" "${user[@]}" \
		--auth-root-authentication-method=normal --skip-test-db --innodb-log-file-size=16M \
		--extra-file="$GALERA_DIR/load.sql" >"$GALERA_DIR/install-db.log" 2>&1 ||
		{ galera_log "mariadb-install-db failed:"; tail -20 "$GALERA_DIR/install-db.log" >&2; return 1; }
	cp -a "$GALERA_DIR/n1" "$GALERA_DIR/n2"

	galera_node 1 --wsrep-cluster-address=gcomm:// --wsrep-new-cluster
	galera_wait 30 galera_synced 1 ||
		{ galera_log "node 1 did not bootstrap:"; tail -20 "$GALERA_DIR/n1.log" >&2; return 1; }
	# Node 2 holds the same data as node 1 at its bootstrap, and nothing has
	# been written since: it claims node 1's state, so it joins without a
	# state transfer (seqno: the last event node 1 committed, its bootstrap).
	local uuid seqno
	uuid=$(galera_status 1 wsrep_cluster_state_uuid)
	seqno=$(galera_status 1 wsrep_last_committed)
	printf '# GALERA saved state\nversion: 2.1\nuuid:    %s\nseqno:   %s\nsafe_to_bootstrap: 0\n' \
		"$uuid" "$seqno" > "$GALERA_DIR/n2/grastate.dat"
	galera_node 2 --wsrep-cluster-address="gcomm://127.0.0.1:${GALERA_PORTS_1[1]}"
	galera_wait 30 galera_synced 2 ||
		{ galera_log "node 2 did not join:"; tail -20 "$GALERA_DIR/n2.log" >&2; return 1; }
	# garbd: a vote without data. setsid without -f execs in place (this
	# shell's child is no group leader), so $! is garbd's pid.
	setsid garbd --address "gcomm://127.0.0.1:${GALERA_PORTS_1[1]},127.0.0.1:${GALERA_PORTS_2[1]}" \
		--group mariapi-test --name garbd \
		--options "base_host=127.0.0.1;base_port=$GALERA_GARBD_PORT;gmcast.listen_addr=tcp://127.0.0.1:$GALERA_GARBD_PORT" \
		--log "$GALERA_DIR/garbd.log" </dev/null >/dev/null 2>&1 3>&- &
	echo $! > "$GALERA_DIR/garbd.pid"
	galera_wait 30 galera_size_is 3 ||
		{ galera_log "garbd did not join:"; tail -20 "$GALERA_DIR/garbd.log" >&2; return 1; }

	local pw
	pw=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
	galera_sql 1 "CREATE USER 'mariapi'@'localhost' IDENTIFIED BY '$pw';
		GRANT ALL ON mariapi.* TO 'mariapi'@'localhost'" || return 1
	for p in 1 2; do
		cat > "$GALERA_DIR/n$p.conf" <<CONF
# Written by tests/helpers/galera.bash: the API against Galera node $p.
db.socket = $GALERA_DIR/n$p.sock
db.user = mariapi
db.password = $pw
db.name = mariapi
CONF
		chmod 600 "$GALERA_DIR/n$p.conf"
	done
}

# galera_stop [DIR]: garbd, then both nodes at once (SIGTERM: a clean
# shutdown), bounded; a node that does not end (stuck joining) is killed.
# Only the processes this helper started, by their pid files.
galera_stop() {
	GALERA_DIR=${1:-$GALERA_DIR}
	[ -n "${GALERA_DIR:-}" ] && [ -d "$GALERA_DIR" ] || return 0
	local f pids=()
	for f in "$GALERA_DIR/garbd.pid" "$GALERA_DIR/n2.pid" "$GALERA_DIR/n1.pid"; do
		[ -f "$f" ] && pids+=("$(cat "$f")")
	done
	[ ${#pids[@]} -gt 0 ] || return 0
	kill "${pids[@]}" 2>/dev/null || true
	galera_wait 20 galera_gone "${pids[@]}" || kill -9 "${pids[@]}" 2>/dev/null || true
}

galera_gone() {
	local p
	for p in "$@"; do
		! kill -0 "$p" 2>/dev/null || return 1
	done
}
