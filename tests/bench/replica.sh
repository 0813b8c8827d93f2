#!/usr/bin/env bash
# replica.sh (part of `make bench`; runs alone too): GET one contact and a
# list of 10 with reads on a replica against reads on the primary. A
# primary + replica pair (tests/helpers/replica.bash, demo data) and two
# one-process lighttpds over the same primary: one with db.replicas, one
# without. Both on this machine, so the ratio should be near 1: what it
# shows is what the routing itself costs (the periodic check, the switch).
# Bearer tokens, so no WSSE nonce write weighs on either side. wrk options
# from lib.sh (DURATION, CONNECTIONS; THREADS 2). A benchmark: it judges
# nothing.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
STACK_DIR=$(mktemp -d /tmp/mariapi-rbench.XXXXXX)
API_FCGI=${API_FCGI:-$ROOT/cgi-bin/api.fcgi}
. "$ROOT/tests/helpers/stack.sh"
. "$ROOT/tests/bench/lib.sh"
. "$ROOT/tests/helpers/replica.bash"

cleanup() {
	[ -f "$STACK_DIR/web-primary/pid" ] && kill "$(cat "$STACK_DIR/web-primary/pid")" 2>/dev/null
	replica_stop "$STACK_DIR/pair"
	rm -rf "$STACK_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

replica_start "$STACK_DIR/pair" || exit 1
ON_REPLICA=$ONE_PORT
grep -v '^db.replicas' "$RP_CONF" > "$STACK_DIR/primary.conf"
chmod 600 "$STACK_DIR/primary.conf"
stack_one_process "$STACK_DIR/web-primary" "$API_FCGI" \
	"\"API_CONFIG\" => \"$STACK_DIR/primary.conf\"" || exit 1
ON_PRIMARY=$ONE_PORT
export API_CONFIG=$RP_CONF
HEADERS="$STACK_DIR/headers.txt"
export HEADERS

# A bearer token for admin, from the binary run as CGI (these lighttpds
# serve /api only).
read -r cid secret < <("$API_APICTL" client add admin |
	awk '/client_id/ {id=$2} /client_secret/ {s=$2} END {print id, s}')
form="grant_type=client_credentials&client_id=$cid&client_secret=$secret"
BEARER=$(printf '%s' "$form" | env -i API_CONFIG="$RP_CONF" REQUEST_METHOD=POST \
	REQUEST_URI=/oauth2-token CONTENT_TYPE=application/x-www-form-urlencoded \
	CONTENT_LENGTH=${#form} "$API_FCGI" | sed '1,/^\r*$/d' | jq -r .access_token)
if [ -z "$BEARER" ] || [ "$BEARER" = null ]; then echo "replica bench: no bearer token" >&2; exit 1; fi
export BEARER

replica_executes() {
	rr_sql -e "SHOW GLOBAL STATUS LIKE 'Com_stmt_execute'" | cut -f2
}

echo "Reads on a replica against reads on the primary (1 FastCGI process each, bearer," \
	"wrk -t$THREADS -c$CONNECTIONS -d$DURATION, demo data):"
for c in "GET one contact|/api/contacts/1" "10 contacts|/api/contacts"; do
	name=${c%%|*} path=${c#*|}
	HTTP_PORT=$ON_PRIMARY bench_wrk "$path" 1s >/dev/null
	HTTP_PORT=$ON_PRIMARY bench_wrk "$path" || exit 1
	p_rps=$RPS p_p99=$P99 p_err=${ERRORS:-0}
	HTTP_PORT=$ON_REPLICA bench_wrk "$path" 1s >/dev/null
	before=$(replica_executes)
	HTTP_PORT=$ON_REPLICA bench_wrk "$path" || exit 1
	served=$(($(replica_executes) - before))
	ratio=$(awk -v r="$RPS" -v p="$p_rps" 'BEGIN { printf "%.2f", (p > 0 ? r / p : 0) }')
	printf '%-16s primary %10s req/s p99 %8s errors %s | replica %10s req/s p99 %8s errors %s | ratio %s (%s statements ran on the replica for %s requests)\n' \
		"$name" "$p_rps" "$p_p99" "$p_err" "$RPS" "$P99" "${ERRORS:-0}" "$ratio" "$served" "$REQUESTS"
done
