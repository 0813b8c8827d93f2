#!/usr/bin/env bash
# Lists bats test lines that check nothing: a `! cmd`, or the left side of
# `a && b`, that is not the test's last command is exempt from errexit, so
# it can never fail the test. Used by `make lint` (exit 1 when any is found).
# Write `run cmd` + `[ "$status" -ne 0 ]`, or one condition a line, instead.
set -u
cd "$(dirname "$0")/../.." || exit 2
found=$(awk '
	/^@test / { t = 1; n = 0; next }
	t && /^}/ {
		for (i = 1; i < n; i++) {
			l = L[i]; s = l
			gsub(/\x27[^\x27]*\x27/, "", s)
			if (s ~ /^[ \t]*! / || (s ~ /&&/ && s !~ /\|\|/ && s !~ /^[ \t]*(if|while|for|run|#)/ &&
			    s !~ /&& *(break|continue|skip|return)/ && s !~ /\\$/ && s !~ /&& *$/))
				printf "%s:%d:%s\n", FILENAME, N[i], l
		}
		t = 0; next
	}
	t && NF { n++; L[n] = $0; N[n] = FNR }' tests/*.bats)
[ -z "$found" ] && exit 0
printf 'lint: these bats lines check nothing (use run + a status check, or one condition a line):\n%s\n' "$found" >&2
exit 1
