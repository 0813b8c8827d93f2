# deploy.bash: loaded by the tests/deploy_*.bats files. Each of them starts
# its own web server (Apache, nginx) in its own directory on a free port,
# serving a copy of the binary the way apache/ tells an administrator to,
# in front of the suite's MariaDB; this file holds what they share: the
# directory, the application config, Apache's main config, start/stop, and
# the black-box cases every deployment must pass.
#
# As root (CI), the servers run as www-data, so everything they need is
# copied into a directory www-data can read and the DB is reached over TCP
# (the suite's socket sits in a root-only directory).

. "$ROOT/tests/helpers/stack.sh"

DEPLOY_RUN_USER=www-data
DEPLOY_MODULES=/usr/lib/apache2/modules

# deploy_init NAME: makes DEPLOY_DIR with a copy of the binary in lib/ and
# an application config in etc/api.conf readable by the server's user.
deploy_init() {
	DEPLOY_DIR=$(mktemp -d "/tmp/mariapi-$1.XXXXXX")
	chmod 755 "$DEPLOY_DIR"
	mkdir -p "$DEPLOY_DIR"/{lib,etc,run,log,www}
	cp "$API_FCGI" "$DEPLOY_DIR/lib/api.fcgi"
	chmod 755 "$DEPLOY_DIR/lib/api.fcgi"
	local pw
	pw=$(sed -n 's/^db\.password = //p' "$API_CONFIG")
	cat > "$DEPLOY_DIR/etc/api.conf" <<CONF
# Written by tests/helpers/deploy.bash.
db.host = 127.0.0.1
db.port = $DB_PORT
db.user = mariapi
db.password = $pw
db.name = mariapi
CONF
	chmod 640 "$DEPLOY_DIR/etc/api.conf"
	if [ "$(id -u)" -eq 0 ]; then
		chgrp "$DEPLOY_RUN_USER" "$DEPLOY_DIR/etc/api.conf"
		chown "$DEPLOY_RUN_USER" "$DEPLOY_DIR/run" "$DEPLOY_DIR/log"
	fi
	export DEPLOY_DIR
}

# deploy_apache_conf MODULES... : the main config of a private Apache
# (own ServerRoot, pid file, logs, port) on stdout; the caller appends the
# site part.
deploy_apache_conf() {
	local m
	cat <<CONF
# Written by tests/helpers/deploy.bash.
ServerRoot "$DEPLOY_DIR"
ServerName 127.0.0.1
Listen 127.0.0.1:$DEPLOY_PORT
PidFile "$DEPLOY_DIR/run/httpd.pid"
DefaultRuntimeDir "$DEPLOY_DIR/run"
Mutex file:$DEPLOY_DIR/run default
ErrorLog "$DEPLOY_DIR/log/error.log"
LogLevel warn
Timeout 60
MaxRequestWorkers 128
StartServers 2
ThreadsPerChild 32
ServerLimit 4
LoadModule mpm_event_module $DEPLOY_MODULES/mod_mpm_event.so
LoadModule authz_core_module $DEPLOY_MODULES/mod_authz_core.so
LoadModule authz_host_module $DEPLOY_MODULES/mod_authz_host.so
LoadModule alias_module $DEPLOY_MODULES/mod_alias.so
LoadModule mime_module $DEPLOY_MODULES/mod_mime.so
LoadModule env_module $DEPLOY_MODULES/mod_env.so
CONF
	for m in "$@"; do
		echo "LoadModule ${m}_module $DEPLOY_MODULES/mod_$m.so"
	done
	[ "$(id -u)" -eq 0 ] && printf 'User %s\nGroup %s\n' "$DEPLOY_RUN_USER" "$DEPLOY_RUN_USER"
	cat <<CONF
TypesConfig /etc/mime.types
DocumentRoot "$DEPLOY_DIR/www"
<Directory />
	Require all denied
	AllowOverride None
	Options None
</Directory>
<Directory "$DEPLOY_DIR/www">
	Require all granted
</Directory>
CONF
}

# deploy_apache_start WRITER: WRITER writes the config to $DEPLOY_DIR/httpd.conf
# (called again with another DEPLOY_PORT when the port was taken).
deploy_apache_start() {
	local attempt i
	for attempt in 1 2 3 4 5; do
		DEPLOY_PORT=$(stack_free_port)
		"$1" > "$DEPLOY_DIR/httpd.conf"
		apache2 -t -f "$DEPLOY_DIR/httpd.conf" >"$DEPLOY_DIR/log/configtest.log" 2>&1 ||
			{ cat "$DEPLOY_DIR/log/configtest.log" >&2; return 1; }
		# A failed start (a port taken since stack_free_port) is retried
		# below; under bats' errexit it must not end the function here.
		apache2 -f "$DEPLOY_DIR/httpd.conf" -k start </dev/null >>"$DEPLOY_DIR/log/start.log" 2>&1 3>&- || true
		for i in $(seq 1 100); do
			if [ -s "$DEPLOY_DIR/run/httpd.pid" ] && stack_port_busy "$DEPLOY_PORT"; then
				deploy_started
				return 0
			fi
			sleep 0.1
		done
		deploy_apache_stop
		# Taken port or a start that raced another server's: try again.
		sleep 0.5
	done
	# fd 3 is bats' own output: the reason shows in the test report.
	{
		echo "apache2 did not start:"
		tail -20 "$DEPLOY_DIR/log/start.log" "$DEPLOY_DIR/log/error.log"
	} 2>&1 | sed 's/^/# /' >&3 2>/dev/null || true
	return 1
}

deploy_started() {
	export DEPLOY_PORT
	export API_URL="http://127.0.0.1:$DEPLOY_PORT"
}

deploy_apache_stop() {
	local pid i
	[ -n "${DEPLOY_DIR:-}" ] && [ -s "$DEPLOY_DIR/run/httpd.pid" ] || return 0
	pid=$(cat "$DEPLOY_DIR/run/httpd.pid")
	kill -TERM "$pid" 2>/dev/null || true
	for i in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	rm -f "$DEPLOY_DIR/run/httpd.pid"
}

deploy_cleanup() {
	[ -n "${DEPLOY_DIR:-}" ] || return 0
	[ "${KEEP_STACK:-0}" = 1 ] && { echo "kept $DEPLOY_DIR" >&3; return 0; }
	rm -rf "$DEPLOY_DIR"
}

# ---- the cases every deployment passes; P is the mount prefix ----

# A GET with WSSE; links are absolute, under the mount prefix.
deploy_case_get() {
	local P=$1
	get "$P/api/users/1"
	expect_status 200
	[ "$(jqb .data.attributes.username)" = admin ]
	[ "$(jqb .data.links.self)" = "$API_URL$P/api/users/1" ] ||
		{ echo "self: $(jqb .data.links.self)" >&2; return 1; }
	[ -n "$(header X-Request-Id)" ]
}

# A list under the prefix: the next link keeps scheme, host and prefix.
deploy_case_links() {
	local P=$1
	get "$P/api/users?page%5Bsize%5D=2"
	expect_status 200
	[ "$(jqb .links.next)" = "$API_URL$P/api/users?page%5Bnumber%5D=2&page%5Bsize%5D=2" ] ||
		{ echo "next: $(jqb .links.next)" >&2; return 1; }
}

# The Authorization header reaches the application: a 401 logs the scheme
# it received (never the credentials) in the server's error log.
deploy_case_authorization() {
	local P=$1 log=$2 id i
	req GET "$P/api/users/1" -H 'Accept: application/vnd.api+json' \
		-H 'Authorization: Bearer deploy-probe-secret'
	expect_status 401
	id=$(header X-Request-Id)
	[ -n "$id" ]
	for i in $(seq 1 30); do
		grep -q "\[$id\].*Authorization scheme \"Bearer\"" "$log" && break
		sleep 0.1
	done
	grep "\[$id\]" "$log" >&2 || true
	grep -q "\[$id\].*Authorization scheme \"Bearer\"" "$log"
	if grep -q deploy-probe-secret "$log"; then echo "credentials in the log" >&2; return 1; fi
	# and WSSE's optional Authorization header does not get in the way.
	get "$P/api/users/1" -H 'Authorization: WSSE profile="UsernameToken"'
	expect_status 200
}

# POST + X-HTTP-Method-Override: GET reads the body: SIZE bytes of JSON.
deploy_post_body() {
	local P=$1 size=$2 f="$BATS_TEST_TMPDIR/body.json"
	{ printf '{"filter": {"username": "'; head -c $((size - 28)) /dev/zero | tr '\0' 'a'; printf '"}}'; } > "$f"
	[ "$(stat -c %s "$f")" -eq "$size" ]
	req POST "$P/api/users" -H 'Accept: application/vnd.api+json' \
		-H 'Content-Type: application/vnd.api+json' -H 'X-HTTP-Method-Override: GET' \
		-H "$(wsse)" --data-binary "@$f"
}

# A body just under max_body_size (1 MiB) reaches the application.
deploy_case_body_near_limit() {
	deploy_post_body "$1" $((1048576 - 100))
	expect_status 200
	[ "$(jqb '.data | length')" = 0 ]
}

# One over it: the application's own JSON 413, not the server's page.
deploy_case_body_over_limit() {
	deploy_post_body "$1" $((1048576 + 4096))
	expect_error 413 "request entity too large http exception"
}

# Errors are the application's JSON documents.
deploy_case_error() {
	local P=$1
	get "$P/api/nosuchtype"
	expect_error 404 "entity type constraint" "Unknown entity type: nosuchtype."
	req GET "$P/api/users/1" -H 'Accept: application/vnd.api+json'
	expect_status 401
	[ -z "$BODY" ]
	# Both schemes (section 3); Apache merges the two headers into one line.
	local challenges
	challenges=$(grep -i '^WWW-Authenticate:' "$BATS_TEST_TMPDIR/headers" | tr -d '\r')
	[[ "$challenges" == *'WSSE realm="Secured API", profile="UsernameToken"'* ]]
	[[ "$challenges" == *Bearer* ]]
}
