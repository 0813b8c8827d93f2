#!/usr/bin/env bash
# `make run`: the private stack under var/, in the foreground. Ctrl-C stops
# everything it started; the data stays for the next run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
STACK_DIR="$ROOT/var"
HTTP_PORT=${PORT:-8080}
API_FCGI="$ROOT/cgi-bin/api.fcgi"
. "$ROOT/tests/helpers/stack.sh"

if stack_port_busy "$HTTP_PORT"; then
	echo "Port $HTTP_PORT is in use; choose another: make run PORT=9000" >&2
	exit 1
fi
stack_paths
if [ -S "$DB_SOCKET" ] && stack_mysql -e 'SELECT 1' >/dev/null 2>&1; then
	echo "A MariaDB from an earlier run still uses $STACK_DIR; stop it first:" >&2
	echo "  mariadb-admin --no-defaults -S $DB_SOCKET -uroot shutdown" >&2
	exit 1
fi
# Ctrl-C reaches every process of the terminal's group (a `| tee` too), so
# stop first and ignore a broken pipe while saying so.
stop_all() {
	trap - INT TERM EXIT
	trap '' PIPE
	stack_stop
	echo "Stopped lighttpd and MariaDB." 2>/dev/null || true
}
trap stop_all INT TERM EXIT
stack_db_start
KEY=$("$ROOT/build/apictl" apikey admin | tail -1)
# A demo OAuth client (a var/ made before the OAuth tables has none).
CLIENT=$("$ROOT/build/apictl" client add admin 2>/dev/null) ||
	CLIENT="(none: var/ predates the OAuth tables; remove var/ to recreate it)"
CLIENT_ID=$(sed -n 's/^client_id: //p' <<< "$CLIENT")
CLIENT_SECRET=$(sed -n 's/^client_secret: //p' <<< "$CLIENT")
stack_web_start

cat <<MSG

The API is up on http://127.0.0.1:$HTTP_PORT (data in var/, logs in var/log/).
An API key for the demo user "admin" (organization "Acme Inc"): $KEY
Each WSSE header is good for one request; apictl makes a fresh one:

  curl -H 'Accept: application/vnd.api+json' \\
       -H "\$(build/apictl wsse admin $KEY)" \\
       http://127.0.0.1:$HTTP_PORT/api/users/1

A demo OAuth client acting as "admin":
$CLIENT

  curl -d grant_type=client_credentials -d client_id=$CLIENT_ID \\
       -d client_secret=$CLIENT_SECRET http://127.0.0.1:$HTTP_PORT/oauth2-token
  curl -H "Authorization: Bearer ACCESS_TOKEN" http://127.0.0.1:$HTTP_PORT/api/users/1

More keys: build/apictl apikey admin; more clients: build/apictl client add admin.
Press Ctrl-C to stop.
MSG
wait "$WEB_PID"
