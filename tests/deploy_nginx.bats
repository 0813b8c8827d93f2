#!/usr/bin/env bats
# nginx + spawn-fcgi with the shipped apache/nginx.conf server block (paths
# and port replaced, plus a sub-directory location), the processes started
# with the spawn-fcgi line it documents, both as www-data when root.
load helpers/common
load helpers/deploy

nginx_conf() {
	local user=
	[ "$(id -u)" -eq 0 ] && user="user $DEPLOY_RUN_USER $DEPLOY_RUN_USER;"
	cat <<CONF
# Written by tests/deploy_nginx.bats.
$user
worker_processes 2;
pid $DEPLOY_DIR/run/nginx.pid;
error_log $DEPLOY_DIR/log/error.log warn;
events { worker_connections 256; }
http {
	access_log off;
	client_body_temp_path $DEPLOY_DIR/run/body;
	fastcgi_temp_path $DEPLOY_DIR/run/fastcgi;
	proxy_temp_path $DEPLOY_DIR/run/proxy;
	uwsgi_temp_path $DEPLOY_DIR/run/uwsgi;
	scgi_temp_path $DEPLOY_DIR/run/scgi;
CONF
	# The shipped server block, plus the same pool under /sub/dir.
	sed -e "s|listen 80;|listen 127.0.0.1:$DEPLOY_PORT;|" \
		-e "s|/run/mariapi/api.sock|$DEPLOY_DIR/run/api.sock|" \
		-e 's#location ~ ^/(api#location ~ ^(/sub/dir)?/(api#' \
		"$ROOT/apache/nginx.conf"
	echo "}"
}

spawn_pool() {
	local user=()
	[ "$(id -u)" -eq 0 ] && user=(-u "$DEPLOY_RUN_USER" -g "$DEPLOY_RUN_USER" -U "$DEPLOY_RUN_USER" -G "$DEPLOY_RUN_USER")
	env -i PATH=/usr/bin:/bin API_CONFIG="$DEPLOY_DIR/etc/api.conf" \
		spawn-fcgi -s "$DEPLOY_DIR/run/api.sock" -M 0660 "${user[@]}" -F 4 \
		-P "$DEPLOY_DIR/run/api.pid" \
		-- /bin/sh -c "exec \"\$0\" 2>>$DEPLOY_DIR/log/api.log" "$DEPLOY_DIR/lib/api.fcgi" \
		</dev/null >>"$DEPLOY_DIR/log/spawn.log" 2>&1 3>&-
}

setup_file() {
	deploy_init nginx
	spawn_pool
	local attempt i
	for attempt in 1 2 3 4 5; do
		DEPLOY_PORT=$(stack_free_port)
		nginx_conf > "$DEPLOY_DIR/nginx.conf"
		nginx -t -q -c "$DEPLOY_DIR/nginx.conf" -e "$DEPLOY_DIR/log/error.log" >&2 || return 1
		nginx -c "$DEPLOY_DIR/nginx.conf" -e "$DEPLOY_DIR/log/error.log" </dev/null 3>&-
		for i in $(seq 1 50); do
			[ -s "$DEPLOY_DIR/run/nginx.pid" ] && stack_port_busy "$DEPLOY_PORT" &&
				{ deploy_started; return 0; }
			sleep 0.1
		done
		grep -q 'Address already in use' "$DEPLOY_DIR/log/error.log" || break
	done
	echo "nginx did not start" >&2
	tail -20 "$DEPLOY_DIR/log/error.log" >&2
	return 1
}

teardown_file() {
	local pid i
	if [ -s "$DEPLOY_DIR/run/nginx.pid" ]; then
		pid=$(cat "$DEPLOY_DIR/run/nginx.pid")
		kill -TERM "$pid" 2>/dev/null || true
		for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	fi
	if [ -s "$DEPLOY_DIR/run/api.pid" ]; then
		for pid in $(cat "$DEPLOY_DIR/run/api.pid"); do kill -TERM "$pid" 2>/dev/null || true; done
		for pid in $(cat "$DEPLOY_DIR/run/api.pid"); do
			for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
			kill -KILL "$pid" 2>/dev/null || true
		done
	fi
	deploy_cleanup
}

@test "nginx: GET with WSSE" { deploy_case_get ""; }
@test "nginx: links from a sub-directory mount" {
	deploy_case_get /sub/dir
	deploy_case_links /sub/dir
	deploy_case_links ""
}
@test "nginx: the Authorization header reaches the application" {
	deploy_case_authorization "" "$DEPLOY_DIR/log/api.log"
}
@test "nginx: a body near max_body_size gets through" { deploy_case_body_near_limit ""; }
@test "nginx: a body over max_body_size is the application's JSON 413" {
	deploy_case_body_over_limit ""
}
@test "nginx: errors are JSON:API documents" { deploy_case_error ""; }
@test "nginx: nothing but the API is served" {
	req GET /api.conf
	expect_status 404
	req GET /etc/api.conf
	expect_status 404
}
