#!/usr/bin/env bash
# `make test`: a throw-away stack (own directory, free ports, own sockets),
# then every tests/*.bats file against it. Ends with "N passed, N failed"
# and exits non-zero on any failure; stops what it started in every case.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
STACK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mariapi-test.XXXXXX")
HTTP_PORT=
API_FCGI=${API_FCGI:-$ROOT/cgi-bin/api.fcgi}
API_APICTL=${API_APICTL:-$ROOT/build/apictl}
API_UNIT=${API_UNIT:-$ROOT/build/unit_tests}
. "$ROOT/tests/helpers/stack.sh"

cleanup() {
	stack_stop
	[ "${KEEP_STACK:-0}" = 1 ] || rm -rf "$STACK_DIR"
	case "$DB_SOCKET" in /tmp/mariapi-db.*) rm -f "$DB_SOCKET" ;; esac
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start=$(date +%s)
stack_paths
stack_db_start || exit 1
HTTP_PORT=$(stack_free_port)
HTTP_PORT_AUTO=1
stack_web_start || exit 1

# API keys for the suite (section 12 demo data: admin and disabled_user in
# organization 1, globex_admin in organization 2).
ADMIN_KEY=$("$API_APICTL" apikey admin | tail -1) || exit 1
ADMIN_ORG2_KEY=$("$API_APICTL" apikey admin "Globex Corp" | tail -1) || exit 1
GLOBEX_KEY=$("$API_APICTL" apikey globex_admin | tail -1) || exit 1
DISABLED_KEY=$("$API_APICTL" apikey disabled_user | tail -1) || exit 1
export ADMIN_KEY ADMIN_ORG2_KEY GLOBEX_KEY DISABLED_KEY

[ -z "${AUTH_CACHE_TTL:-}" ] || export AUTH_CACHE_TTL
export ROOT STACK_DIR HTTP_PORT API_FCGI API_APICTL API_UNIT DB_SOCKET API_CONFIG
export API_URL="http://127.0.0.1:$HTTP_PORT"
export WEB_PID

out="$STACK_DIR/bats.tap"
files=("$ROOT"/tests/*.bats)
[ -n "${BATS_FILES:-}" ] && read -r -a files <<< "$BATS_FILES"
bats --tap --timing "${files[@]}" | tee "$out"
passed=$(grep -c '^ok ' "$out")
failed=$(grep -c '^not ok ' "$out")
planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$out" | head -1)
if [ -n "$planned" ] && [ $((passed + failed)) -lt "$planned" ]; then
	failed=$((failed + planned - passed - failed))
fi
echo "make test took $(( $(date +%s) - start )) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
