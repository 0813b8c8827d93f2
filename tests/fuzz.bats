#!/usr/bin/env bats
# A smoke of the libFuzzer harnesses (tests/fuzz/): they still build with
# Debian's clang-14 (ASan + UBSan) against today's src/, and each runs about
# 2 seconds from its seed corpus without a finding (-max_total_time=1:
# libFuzzer stops once more than 1 whole second has passed; the seeds alone
# run first, then a few thousand mutations). The long runs are `make fuzz`
# (FUZZ_SECONDS each). Needs no server; builds in build/fuzz/.
load helpers/common

@test "fuzz: every harness builds with clang-14, ASan and UBSan" {
	run make -s -C "$ROOT" -j2 fuzz-build
	echo "$output"
	[ "$status" -eq 0 ]
	local names=("$ROOT"/tests/fuzz/fuzz_*.c)
	[ "${#names[@]}" -ge 5 ]
	local f
	for f in "${names[@]}"; do
		[ -x "$ROOT/build/fuzz/$(basename "$f" .c)" ]
	done
}

@test "fuzz: each harness runs about 2 s from its seed corpus without a finding" {
	local names=() f
	for f in "$ROOT"/tests/fuzz/fuzz_*.c; do
		names+=("$(basename "$f" .c)")
	done
	run env FUZZ_DIR="$ROOT/build/fuzz" "$ROOT/tests/fuzz/run.sh" 1 "${names[@]}"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(grep -c ' executions in ' <<< "$output")" -eq "$((${#names[@]} + 1))" ]
}
