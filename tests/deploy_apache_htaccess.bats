#!/usr/bin/env bats
# Shared hosting: the binary and the shipped apache/htaccess in a user's
# directory (/~alice/myapi/), under an Apache whose own config only allows
# overrides there (AllowOverride All) and loads mod_cgid and mod_rewrite.
# The application config sits outside the web space.
load helpers/common
load helpers/deploy

htaccess_conf() {
	deploy_apache_conf cgid rewrite
	cat <<CONF
ScriptSock "$DEPLOY_DIR/run/cgid.sock"
Alias /~alice "$DEPLOY_DIR/home/alice/public_html"
<Directory "$DEPLOY_DIR/home/alice/public_html">
	AllowOverride All
	Options None
	Require all granted
</Directory>
CONF
}

setup_file() {
	deploy_init htaccess
	local home="$DEPLOY_DIR/home/alice"
	mkdir -p "$home/public_html/myapi" "$home/mariapi"
	echo hello > "$home/public_html/index.html"
	mv "$DEPLOY_DIR/lib/api.fcgi" "$home/public_html/myapi/api.fcgi"
	cp -p "$DEPLOY_DIR/etc/api.conf" "$home/mariapi/api.conf"
	# A copy left in the web space by mistake must not be served either.
	cp -p "$DEPLOY_DIR/etc/api.conf" "$home/public_html/myapi/api.conf"
	sed "s|/home/USER/mariapi/api.conf|$home/mariapi/api.conf|" \
		"$ROOT/apache/htaccess" > "$home/public_html/myapi/.htaccess"
	chmod -R go+rX "$DEPLOY_DIR/home"
	chmod 640 "$home/mariapi/api.conf" "$home/public_html/myapi/api.conf"
	deploy_apache_start htaccess_conf
}

teardown_file() {
	deploy_apache_stop
	deploy_cleanup
}

P=/~alice/myapi

@test "apache htaccess: GET with WSSE, links under the user's directory" {
	deploy_case_get "$P"
	deploy_case_links "$P"
}
@test "apache htaccess: the Authorization header reaches the application" {
	deploy_case_authorization "$P" "$DEPLOY_DIR/log/error.log"
}
@test "apache htaccess: a body near max_body_size gets through" { deploy_case_body_near_limit "$P"; }
@test "apache htaccess: a body over max_body_size is the application's JSON 413" {
	deploy_case_body_over_limit "$P"
}
@test "apache htaccess: errors are JSON:API documents" { deploy_case_error "$P"; }
@test "apache htaccess: nothing but the binary is served from the directory" {
	req GET /~alice/index.html
	expect_status 200
	req GET "$P/api.conf"
	expect_status 403
	req GET "$P/.htaccess"
	expect_status 403
	req GET "$P/"
	expect_status 403
	[[ "$BODY" != *db.password* ]]
}
