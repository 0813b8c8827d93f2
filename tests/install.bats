#!/usr/bin/env bats
# `make install` into a DESTDIR: what goes where, paths filled in, and the
# sample config is one the binary accepts.
load helpers/common

@test "make install puts the binary, apictl, the confs and a sample config in place" {
	local d="$BATS_TEST_TMPDIR/dest"
	# -o: install what is built; never rebuild in the middle of the suite.
	run make -C "$ROOT" --no-print-directory -o cgi-bin/api.fcgi -o build/apictl \
		install DESTDIR="$d" PREFIX=/opt/mariapi SYSCONFDIR=/etc
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	[ -x "$d/opt/mariapi/lib/mariapi/api.fcgi" ]
	[ -x "$d/opt/mariapi/bin/apictl" ]
	[ "$(stat -c %a "$d/etc/mariapi/api.conf")" = 640 ]
	grep -q '^Alias /api /opt/mariapi/lib/mariapi/api.fcgi$' "$d/etc/apache2/conf-available/mariapi.conf"
	grep -q '/opt/mariapi/lib/mariapi/api.fcgi' "$d/opt/mariapi/share/mariapi/nginx.conf"
	run grep -rl /usr/local/lib/mariapi "$d"
	[ "$status" -eq 1 ]
	# The sample config parses (OPTIONS needs no database).
	run env -i API_CONFIG="$d/etc/mariapi/api.conf" REQUEST_METHOD=OPTIONS REQUEST_URI=/api/users \
		"$d/opt/mariapi/lib/mariapi/api.fcgi" < /dev/null
	[ "${lines[0]}" = $'Status: 200 OK\r' ] || { echo "$output" >&2; return 1; }
	# A second install keeps the administrator's config.
	echo "# edited" >> "$d/etc/mariapi/api.conf"
	run make -C "$ROOT" --no-print-directory -o cgi-bin/api.fcgi -o build/apictl \
		install DESTDIR="$d" PREFIX=/opt/mariapi SYSCONFDIR=/etc
	[ "$status" -eq 0 ]
	grep -q '^# edited$' "$d/etc/mariapi/api.conf"
}
