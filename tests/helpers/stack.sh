# stack.sh: starts and stops the private stack that `make run` and
# `make test` use: a MariaDB with its own datadir, socket and port, and
# lighttpd serving cgi-bin/api.fcgi through mod_fastcgi (and mod_cgi under
# /cgi/). Sourced by run.sh and test.sh; touches no system service.
#
# Inputs: ROOT (project checkout), STACK_DIR (state directory), HTTP_PORT,
# API_FCGI (the binary to serve); optional STACK_API_PROCS (the FastCGI
# processes of /api, default 2) and STACK_EXTRA_CONF (lighttpd lines
# appended); for MariaDB run under a tool (tests/bench/instructions.sh):
# STACK_DB_WRAPPER (a command line put before mariadbd, split at spaces),
# STACK_DB_EXTRA (more mariadbd options, split at spaces) and STACK_DB_WAIT
# (tenths of a second to wait for it, default 300). Sets DB_SOCKET, DB_PORT,
# API_CONFIG.

stack_log() { printf '%s\n' "$*" >&2; }

# A TCP port on 127.0.0.1 that nothing listens on right now.
stack_free_port() {
	local p i
	for i in $(seq 1 100); do
		p=$(( (RANDOM % 25000) + 20000 ))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

stack_port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

stack_paths() {
	mkdir -p "$STACK_DIR/run" "$STACK_DIR/log" "$STACK_DIR/www"
	DB_SOCKET="$STACK_DIR/run/mysqld.sock"
	# Unix socket paths are limited to 107 bytes: fall back to /tmp.
	if [ ${#DB_SOCKET} -gt 100 ]; then
		DB_SOCKET="$(mktemp -u /tmp/mariapi-db.XXXXXX).sock"
	fi
	API_CONFIG="$STACK_DIR/api.conf"
	export DB_SOCKET API_CONFIG
}

stack_mysql() { mariadb --no-defaults -S "$DB_SOCKET" -uroot "$@"; }

stack_db_start() {
	local datadir="$STACK_DIR/mysql" user=() fresh=0
	[ "$(id -u)" -eq 0 ] && user=(--user=root)
	if [ ! -d "$datadir/mysql" ]; then
		fresh=1
		stack_log "Creating a private MariaDB in $datadir"
		mariadb-install-db --no-defaults --datadir="$datadir" "${user[@]}" \
			--auth-root-authentication-method=normal --skip-test-db \
			>"$STACK_DIR/log/install-db.log" 2>&1 ||
			{ cat "$STACK_DIR/log/install-db.log" >&2; return 1; }
	fi
	local attempt i up=0
	# A free port can be taken between the check and the bind: retry.
	for attempt in 1 2 3 4 5; do
		DB_PORT=$(stack_free_port)
		rm -f "$DB_SOCKET"
		: > "$STACK_DIR/log/mysqld.log"
		# setsid -f: not a child of this shell (nor of a bats test that
		# restarts it), and Ctrl-C in `make run` does not reach it.
		# shellcheck disable=SC2086 # the wrapper and extras are split on purpose
		setsid -f ${STACK_DB_WRAPPER:-} mariadbd --no-defaults --datadir="$datadir" "${user[@]}" \
			--socket="$DB_SOCKET" --port="$DB_PORT" --bind-address=127.0.0.1 \
			--pid-file="$STACK_DIR/run/mysqld.pid" --log-error="$STACK_DIR/log/mysqld.log" \
			--skip-name-resolve --skip-log-bin --innodb-buffer-pool-size=128M \
			--innodb-flush-log-at-trx-commit=2 --character-set-server=utf8mb4 \
			--collation-server=utf8mb4_unicode_ci --default-time-zone=+00:00 \
			--max-connections=200 ${STACK_DB_EXTRA:-} </dev/null >/dev/null 2>&1 3>&-
		for i in $(seq 1 "${STACK_DB_WAIT:-300}"); do
			if stack_mysql -e 'SELECT 1' >/dev/null 2>&1; then
				up=1
				break
			fi
			grep -q 'Aborting' "$STACK_DIR/log/mysqld.log" 2>/dev/null && break
			sleep 0.1
		done
		[ $up -eq 1 ] && break
		grep -q 'Address already in use' "$STACK_DIR/log/mysqld.log" || break
	done
	[ $up -eq 1 ] ||
		{ stack_log "MariaDB did not start:"; tail -20 "$STACK_DIR/log/mysqld.log" >&2; return 1; }
	export DB_PORT
	if [ $fresh -eq 1 ] || ! stack_mysql -e 'USE mariapi' >/dev/null 2>&1; then
		stack_db_load
	fi
	stack_write_config
}

# Database, application user, schema and demo data.
stack_db_load() {
	local pw
	pw=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
	stack_mysql <<SQL
CREATE DATABASE mariapi CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER 'mariapi'@'localhost' IDENTIFIED BY '$pw';
CREATE USER 'mariapi'@'127.0.0.1' IDENTIFIED BY '$pw';
GRANT ALL ON mariapi.* TO 'mariapi'@'localhost';
GRANT ALL ON mariapi.* TO 'mariapi'@'127.0.0.1';
SQL
	echo "$pw" > "$STACK_DIR/db.password"
	chmod 600 "$STACK_DIR/db.password"
	stack_mysql mariapi < "$ROOT/sql/schema.sql"
	stack_mysql mariapi < "$ROOT/sql/seed.sql"
}

stack_write_config() {
	cat > "$API_CONFIG" <<CONF
# Written by tests/helpers/stack.sh for the private stack in $STACK_DIR.
db.socket = $DB_SOCKET
db.user = mariapi
db.password = $(cat "$STACK_DIR/db.password")
db.name = mariapi
CONF
	# AUTH_CACHE_TTL: another auth.cache_ttl than the default (1 s).
	[ -z "${AUTH_CACHE_TTL:-}" ] || echo "auth.cache_ttl = $AUTH_CACHE_TTL" >> "$API_CONFIG"
	chmod 600 "$API_CONFIG"
}

stack_db_stop() {
	[ -n "${DB_SOCKET:-}" ] && [ -S "$DB_SOCKET" ] || return 0
	mariadb-admin --no-defaults -S "$DB_SOCKET" -uroot shutdown >/dev/null 2>&1 || true
	local i
	for i in $(seq 1 100); do
		[ -S "$DB_SOCKET" ] || break
		sleep 0.1
	done
}

stack_web_conf() {
	cat > "$STACK_DIR/lighttpd.conf" <<CONF
# Written by tests/helpers/stack.sh.
server.modules = ("mod_alias", "mod_setenv", "mod_fastcgi", "mod_cgi")
server.document-root = "$STACK_DIR/www"
server.bind = "127.0.0.1"
server.port = $HTTP_PORT
server.pid-file = "$STACK_DIR/run/lighttpd.pid"
server.errorlog = "$STACK_DIR/log/lighttpd-error.log"
# As apache/lighttpd.conf: above batch.max_body_size (16 MiB), in KiB.
server.max-request-size = 17408
server.max-request-field-size = 32768
# As apache/lighttpd.conf: streamed responses pass through, chunked.
server.stream-response-body = 2
setenv.set-environment = ("API_CONFIG" => "$API_CONFIG")

# The API at the root: /api/...
fastcgi.server = (
	"/api" => ((
		"bin-path" => "$API_FCGI",
		"socket" => "$STACK_DIR/run/api.sock",
		"check-local" => "disable",
		# All started at once: lighttpd starts min-procs (default 4, at
		# most max-procs) and adds more only under load.
		"min-procs" => ${STACK_API_PROCS:-2},
		"max-procs" => ${STACK_API_PROCS:-2},
		"bin-environment" => ("API_CONFIG" => "$API_CONFIG"),
		"bin-copy-environment" => ("PATH", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"),
	)),
	# The OAuth token endpoint (section 1). lighttpd answers 503 when a
	# second prefix only connects to the socket "/api" spawns, so it is a
	# pool of its own, of the same binary.
	"/oauth2-token" => ((
		"bin-path" => "$API_FCGI",
		"socket" => "$STACK_DIR/run/api-oauth.sock",
		"check-local" => "disable",
		"max-procs" => 1,
		"bin-environment" => ("API_CONFIG" => "$API_CONFIG"),
		"bin-copy-environment" => ("PATH", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"),
	)),
	# A second, separate process pool mounted under a sub-directory: tests use
	# it to check that state (nonces) is shared between processes, and links
	# built under a prefix.
	"/second/" => ((
		"bin-path" => "$API_FCGI",
		"socket" => "$STACK_DIR/run/api2.sock",
		"check-local" => "disable",
		"max-procs" => 1,
		"bin-environment" => ("API_CONFIG" => "$API_CONFIG"),
		"bin-copy-environment" => ("PATH", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"),
	)),
)

# The same binary as plain CGI: /cgi/api.fcgi/api/...
alias.url = ("/cgi/" => "$(dirname "$API_FCGI")/")
\$HTTP["url"] =~ "^/cgi/" {
	cgi.assign = (".fcgi" => "")
}
${STACK_EXTRA_CONF:-}
CONF
}

# Starts lighttpd on HTTP_PORT; when HTTP_PORT_AUTO=1 and the port is
# taken meanwhile, retries on other free ports.
stack_web_start() {
	local attempt i
	for attempt in 1 2 3 4 5; do
		stack_web_conf
		lighttpd -tt -f "$STACK_DIR/lighttpd.conf" >/dev/null || return 1
		# In the foreground lighttpd leaves its children's stderr (the API's
		# log lines) on its own stderr: file them with the server's.
		lighttpd -D -f "$STACK_DIR/lighttpd.conf" </dev/null \
			2>>"$STACK_DIR/log/lighttpd-error.log" 3>&- &
		WEB_PID=$!
		for i in $(seq 1 100); do
			kill -0 "$WEB_PID" 2>/dev/null || break
			stack_port_busy "$HTTP_PORT" && return 0
			sleep 0.1
		done
		stack_web_stop
		[ "${HTTP_PORT_AUTO:-0}" = 1 ] || break
		HTTP_PORT=$(stack_free_port)
	done
	stack_log "lighttpd did not start:"
	tail -20 "$STACK_DIR/log/lighttpd-error.log" >&2
	return 1
}

stack_web_stop() {
	if [ -n "${WEB_PID:-}" ] && kill -0 "$WEB_PID" 2>/dev/null; then
		kill "$WEB_PID" 2>/dev/null || true
		wait "$WEB_PID" 2>/dev/null || true
	fi
	WEB_PID=
}

stack_stop() {
	stack_web_stop
	stack_db_stop
}

# stack_one_process DIR BIN ENVIRONMENT: a private lighttpd in DIR serving
# /api with exactly one FastCGI process of BIN (ENVIRONMENT: lighttpd's
# `"NAME" => "value", ...` list). For tests that must know which process
# serves them (valgrind, signals). Sets ONE_PORT; the pid is in DIR/pid.
stack_one_process() {
	local dir=$1 bin=$2 env=$3
	mkdir -p "$dir/www"
	# A free port may be taken before lighttpd binds it: try a few.
	for _ in 1 2 3 4 5; do
		ONE_PORT=$(stack_free_port)
		export ONE_PORT
		cat > "$dir/lighttpd.conf" <<CONF
server.modules = ("mod_fastcgi")
server.document-root = "$dir/www"
server.bind = "127.0.0.1"
server.port = $ONE_PORT
server.errorlog = "$dir/error.log"
fastcgi.server = ("/api" => ((
	"bin-path" => "$bin",
	"socket" => "$dir/api.sock",
	"check-local" => "disable",
	"max-procs" => 1,
	"bin-environment" => ($env),
	"bin-copy-environment" => ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"),
)))
CONF
		lighttpd -D -f "$dir/lighttpd.conf" </dev/null 2>>"$dir/error.log" 3>&- &
		echo $! > "$dir/pid"
		for _ in $(seq 1 100); do
			kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
			stack_port_busy "$ONE_PORT" && return 0
			sleep 0.1
		done
		kill "$(cat "$dir/pid")" 2>/dev/null || true
	done
	return 1
}
