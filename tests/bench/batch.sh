#!/usr/bin/env bash
# batch.sh: the batch API (section 9, issue 15). 10,000 contacts in one
# asynchronous PATCH /api/contacts: seconds from the request to `success`
# (polled every 0.1 s) and the job process's peak RSS (VmHWM of the runner
# whose pid the job row records, sampled while it runs, and the runner's
# own getrusage figure from the log); then the same 10,000 as 100 requests
# of 100 with X-Mode: sync, one after the other. A benchmark, not a test.
# Sourced by bench.sh (its stack, KEY, bench_row); run alone it starts a
# throw-away stack of its own (tests/helpers/stack.sh).
# Then (case "batch-big") a body of contacts near batch.max_body_size:
# the peak RSS (VmHWM) of the FastCGI process that accepts it, of the
# spawned runner, and of `apictl batch-worker` taking the job over after
# the runner is killed, each as a multiple of the body size (issue 15: a
# small multiple), and of the process that answers the same body made
# unreadable at its end (400). Each runner is sampled for BATCH_BIG_SECS,
# then killed; the job is deleted (its stored records stay).
#   BATCH_RECORDS=10000 BATCH_SYNC_SIZE=100 BATCH_BIG_BYTES=16700000 BATCH_BIG_SECS=5
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -uo pipefail
	ROOT=$(cd "$(dirname "$0")/../.." && pwd)
	STACK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mariapi-batch.XXXXXX")
	API_FCGI=${API_FCGI:-$ROOT/cgi-bin/api.fcgi}
	HTTP_PORT=
	WEB_PID=
	. "$ROOT/tests/helpers/stack.sh"
	. "$ROOT/tests/bench/lib.sh"
	batch_cleanup() {
		stack_stop
		rm -rf "$STACK_DIR"
		case "${DB_SOCKET:-}" in /tmp/mariapi-db.*) rm -f "$DB_SOCKET" ;; esac
	}
	trap batch_cleanup EXIT
	trap 'exit 130' INT TERM
	stack_paths
	stack_db_start || exit 1
	bench_web_start || exit 1
	BATCH_ALONE=1
fi

batch_bench() {
	local n=${BATCH_RECORDS:-10000} size=${BATCH_SYNC_SIZE:-100} mark url body t0 t1 op id pid wsse_line
	local hwm=0 kb status secs code
	mark=bb$(date +%s%N)
	url="http://127.0.0.1:$HTTP_PORT"
	body="$STACK_DIR/batch-body.json"
	jq -cn --arg m "$mark" --argjson n "$n" '{data: [range($n) | {type: "contacts",
		attributes: {firstName: "Batch", lastName: "\($m)-\(.)", email: "\($m)-\(.)@example.com"}}]}' > "$body"
	t0=$(date +%s%N)
	op=$(curl -s -o /dev/null -D - -X PATCH -H 'Content-Type: application/vnd.api+json' \
		-H "$("$API_APICTL" wsse admin "$KEY")" --data-binary "@$body" "$url/api/contacts" |
		tr -d '\r' | sed -n 's/^Content-Location: //Ip')
	id=${op##*/}
	if [ -z "$id" ]; then
		echo "batch: no operation accepted" >&2
		return 1
	fi
	status=new
	while [ "$status" = new ] || [ "$status" = running ]; do
		pid=$(stack_mysql -N mariapi -e "SELECT runner_pid FROM async_operations WHERE id = $id")
		if [ -n "$pid" ] && [ "$pid" != NULL ]; then
			kb=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$pid/status" 2>/dev/null)
			[ "${kb:-0}" -gt "$hwm" ] && hwm=$kb
		fi
		status=$(curl -s -H 'Accept: application/vnd.api+json' -H "$("$API_APICTL" wsse admin "$KEY")" \
			"$url/api/asyncoperations/$id" | jq -r .data.attributes.status)
		[ "$(( ($(date +%s%N) - t0) / 1000000000 ))" -lt 600 ] || break
		sleep 0.1
	done
	t1=$(date +%s%N)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
	local summary logged
	summary=$(stack_mysql -N mariapi -e "SELECT summary FROM async_operations WHERE id = $id")
	logged=$(sed -n "s/.*job-$id.*peak RSS \([0-9]*\) KiB.*/\1/p" "$STACK_DIR/log/lighttpd-error.log" | tail -1)
	echo "batch: $n contacts in one async request: $status in $secs s ($(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", n / s }') records/s);" \
		"runner peak RSS $(awk -v k="$hwm" 'BEGIN { printf "%.1f", k / 1024 }') MiB sampled," \
		"${logged:-?} KiB by its own getrusage; summary $summary"
	bench_row "batch: $n contacts, 1 async request" "${secs}s" - - "$([ "$status" = success ] && echo 0 || echo "$status")"
	bench_row "batch: async runner peak RSS (VmHWM)" "$(awk -v k="$hwm" 'BEGIN { printf "%.1f", k / 1024 }') MiB" - - -
	# The same records (another mark) as sync requests of $size, one after
	# the other; bodies and WSSE headers made before the clock starts.
	local i errors=0
	jq -c --argjson s "$size" --arg m "$mark" '.data | map(.attributes.lastName |= sub("^" + $m; $m + "s")
		| .attributes.email |= sub("^" + $m; $m + "s")) as $d
		| range(0; $d | length; $s) as $a | {data: $d[$a:$a + $s]}' "$body" |
		split -l 1 -a 4 -d - "$STACK_DIR/batch-sync-"
	"$API_APICTL" wsse admin "$KEY" --count $(((n + size - 1) / size)) > "$STACK_DIR/batch-wsse"
	t0=$(date +%s%N)
	i=0
	while IFS= read -r wsse_line; do
		code=$(curl -s -o /dev/null -w '%{http_code}' -X PATCH -H 'X-Mode: sync' \
			-H 'Content-Type: application/vnd.api+json' -H "$wsse_line" \
			--data-binary "@$(printf '%s/batch-sync-%04d' "$STACK_DIR" "$i")" "$url/api/contacts")
		[ "$code" = 200 ] || errors=$((errors + 1))
		i=$((i + 1))
	done < "$STACK_DIR/batch-wsse"
	t1=$(date +%s%N)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
	echo "batch: the same $n contacts as $((n / size)) sync requests of $size: $secs s" \
		"($(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", n / s }') records/s), $errors failed requests"
	bench_row "batch: $n contacts, $((n / size)) sync requests of $size" "${secs}s" - - "$errors"
}

# batch_sample_hwm PID SECS: the largest VmHWM (KiB) of PID within SECS
# (sampled every 0.1 s; ends early when PID exits).
batch_sample_hwm() {
	local pid=$1 end hwm=0 kb
	end=$(($(date +%s) + $2))
	while [ "$(date +%s)" -lt "$end" ] && [ -e "/proc/$pid" ]; do
		kb=$(bench_status_kib VmHWM "$pid")
		[ "${kb:-0}" -gt "$hwm" ] && hwm=$kb
		sleep 0.1
	done
	echo "$hwm"
}

batch_big_bench() {
	local bytes=${BATCH_BIG_BYTES:-16700000} secs=${BATCH_BIG_SECS:-5} mark url body per n size
	local before accept op id pid run worker wpid
	mark=bg$(date +%s%N)
	url="http://127.0.0.1:$HTTP_PORT"
	body="$STACK_DIR/batch-big.json"
	per=$(jq -cn --arg m "$mark" '{type: "contacts", attributes: {firstName: "Batch",
		lastName: "\($m)-1000000", email: "\($m)-1000000@example.com"}}' | wc -c)
	n=$(( (bytes - 20) / per ))
	jq -cn --arg m "$mark" --argjson n "$n" '{data: [range($n) | {type: "contacts",
		attributes: {firstName: "Batch", lastName: "\($m)-\(. + 1000000)",
		email: "\($m)-\(. + 1000000)@example.com"}}]}' > "$body"
	size=$(stat -c %s "$body")
	# The same body made unreadable at its end (a comma before the last
	# "]"): a 400, and the accepting process's peak (reset first: writing 5
	# to clear_refs resets VmHWM).
	local pool bad code
	pool=$(bench_pool_pids)
	for p in $pool; do echo 5 > "/proc/$p/clear_refs" 2>/dev/null; done
	sed 's/]}$/,]}/' "$body" > "$body.bad"
	code=$(curl -s -o /dev/null -w '%{http_code}' -X PATCH -H 'Content-Type: application/vnd.api+json' \
		-H "$("$API_APICTL" wsse admin "$KEY")" --data-binary "@$body.bad" "$url/api/contacts")
	# shellcheck disable=SC2086 # pids as words
	bad=$(bench_status_kib VmHWM $pool)
	rm -f "$body.bad"
	for p in $pool; do echo 5 > "/proc/$p/clear_refs" 2>/dev/null; done
	# shellcheck disable=SC2046 # pids as words
	before=$(bench_status_kib VmHWM $(bench_pool_pids))
	op=$(curl -s -o /dev/null -D - -X PATCH -H 'Content-Type: application/vnd.api+json' \
		-H "$("$API_APICTL" wsse admin "$KEY")" --data-binary "@$body" "$url/api/contacts" |
		tr -d '\r' | sed -n 's/^Content-Location: //Ip')
	id=${op##*/}
	# shellcheck disable=SC2046
	accept=$(bench_status_kib VmHWM $(bench_pool_pids))
	if [ -z "$id" ]; then
		echo "batch-big: no operation accepted for a body of $size bytes" >&2
		return 1
	fi
	pid=
	for _ in $(seq 100); do
		pid=$(stack_mysql -N mariapi -e "SELECT runner_pid FROM async_operations WHERE id = $id")
		[ -n "$pid" ] && [ "$pid" != NULL ] && break
		sleep 0.1
	done
	run=$(batch_sample_hwm "$pid" "$secs")
	kill -9 "$pid" 2>/dev/null
	# The worker's path: the body reloaded from the job row, the lease
	# expired as if 60 s had passed (updated_at too: a worker's first
	# UPDATE must change the row, see batch_job.c load()).
	stack_mysql mariapi -e "UPDATE async_operations SET lease_until = UTC_TIMESTAMP() - INTERVAL 1 SECOND,
		updated_at = updated_at - INTERVAL 1 MINUTE WHERE id = $id"
	"$API_APICTL" batch-worker --max-jobs 1 > "$STACK_DIR/batch-worker.log" 2>&1 &
	wpid=$!
	worker=$(batch_sample_hwm "$wpid" "$secs")
	kill -9 "$wpid" 2>/dev/null
	wait "$wpid" 2>/dev/null
	[ "$worker" -gt 0 ] || { sed 's/^/batch-big: batch-worker: /' "$STACK_DIR/batch-worker.log"
		stack_mysql -N mariapi -e "SELECT status, chunks_done, attempts, lease_until, UTC_TIMESTAMP() FROM async_operations WHERE id = $id"
		grep "job-$id" "$STACK_DIR/log/lighttpd-error.log" | tail -3; } >&2
	stack_mysql mariapi -e "DELETE FROM async_operation_errors WHERE operation_id = $id;
		DELETE FROM async_operation_data WHERE operation_id = $id; DELETE FROM async_operations WHERE id = $id"
	local x='BEGIN { printf "%.1f MiB = %.1fx", k / 1024, k * 1024 / s }'
	echo "batch-big: $n contacts, body $size bytes: accepting process VmHWM $(awk -v k="$accept" -v s="$size" "$x")" \
		"(before: $(awk -v k="$before" 'BEGIN { printf "%.1f", k / 1024 }') MiB);" \
		"runner $(awk -v k="$run" -v s="$size" "$x"); batch-worker $(awk -v k="$worker" -v s="$size" "$x")" \
		"(each sampled ${secs}s); the body made unreadable at its end: $code," \
		"accepting process VmHWM $(awk -v k="$bad" -v s="$size" "$x")"
	bench_row "batch: $(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1048576 }') MiB body, accepting VmHWM" \
		"$(awk -v k="$accept" -v s="$size" 'BEGIN { printf "%.1fx", k * 1024 / s }')" - - -
	bench_row "batch: same body unreadable, accepting VmHWM" \
		"$(awk -v k="$bad" -v s="$size" 'BEGIN { printf "%.1fx", k * 1024 / s }')" - - "$([ "$code" = 400 ] && echo 0 || echo "$code")"
	bench_row "batch: same body, runner VmHWM" \
		"$(awk -v k="$run" -v s="$size" 'BEGIN { printf "%.1fx", k * 1024 / s }')" - - -
	bench_row "batch: same body, batch-worker VmHWM" \
		"$(awk -v k="$worker" -v s="$size" 'BEGIN { printf "%.1fx", k * 1024 / s }')" - - -
}

if bench_want "batch"; then
	batch_bench
fi
if bench_want "batch-big"; then
	batch_big_bench
fi
if [ "${BATCH_ALONE:-0}" = 1 ]; then
	bench_table
fi
