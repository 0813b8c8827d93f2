#!/usr/bin/env bash
# run.sh SECONDS NAME...: runs each built harness $FUZZ_DIR/NAME (default
# build/fuzz) for SECONDS, one after the other, single process, from a
# scratch copy of its seed corpus tests/fuzz/corpus/NAME/ (the copy grows,
# the repository's corpus does not), with tests/fuzz/NAME.dict when there is
# one. FUZZ_RUNS=N stops each after N executions instead (SECONDS is then
# the upper bound). Prints the executions per target; a finding is kept in
# $FUZZ_DIR/crashes/ and makes the exit status 1. Used by `make fuzz` and
# tests/fuzz.bats.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dir=${FUZZ_DIR:-build/fuzz}
case $dir in /*) ;; *) dir=$root/$dir ;; esac
seconds=${1:?usage: run.sh SECONDS NAME...}
shift

failed=0 total=0
mkdir -p "$dir/crashes" "$dir/work"
for name in "$@"; do
	bin=$dir/$name
	if [ ! -x "$bin" ]; then
		echo "$name: not built ($bin)" >&2
		failed=1
		continue
	fi
	work=$dir/work/$name
	rm -rf "$work"
	mkdir -p "$work"
	cp "$root/tests/fuzz/corpus/$name/"* "$work/" 2>/dev/null || true
	args=(-max_total_time="$seconds" -print_final_stats=1 -timeout=20 -rss_limit_mb=2048
	      -artifact_prefix="$dir/crashes/$name-")
	[ -n "${FUZZ_RUNS:-}" ] && args+=(-runs="$FUZZ_RUNS")
	[ -f "$here/$name.dict" ] && args+=(-dict="$here/$name.dict")
	log=$dir/$name.log
	start=$(date +%s)
	"$bin" "${args[@]}" "$work" > "$log" 2>&1
	rc=$?
	took=$(($(date +%s) - start))
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	corpus=$(find "$work" -type f | wc -l)
	total=$((total + ${runs:-0}))
	if [ $rc -ne 0 ]; then
		failed=1
		echo "$name: FAILED after ${runs:-?} executions in ${took}s (exit $rc); log $log" >&2
		grep -E 'ERROR|oracle failed|runtime error|SUMMARY|Test unit written' "$log" | head -20 >&2
	else
		echo "$name: ${runs:-?} executions in ${took}s, corpus $corpus inputs"
	fi
done
echo "fuzz: $total executions in all"
exit $failed
