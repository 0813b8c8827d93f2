#!/usr/bin/env bats
# Apache 2.4 + mod_cgid with the shipped apache/mariapi-cgi.conf (paths
# replaced by this test's directory), in a private Apache run as www-data.
load helpers/common
load helpers/deploy

cgi_conf() {
	deploy_apache_conf cgid
	echo "ScriptSock \"$DEPLOY_DIR/run/cgid.sock\""
	sed -e "s|/usr/local/lib/mariapi|$DEPLOY_DIR/lib|g" \
		-e "s|/etc/mariapi/api.conf|$DEPLOY_DIR/etc/api.conf|g" \
		"$ROOT/apache/mariapi-cgi.conf"
	# The same binary mounted under a sub-directory.
	echo "ScriptAlias /sub/dir/api $DEPLOY_DIR/lib/api.fcgi"
}

setup_file() {
	deploy_init cgi
	deploy_apache_start cgi_conf
}

teardown_file() {
	deploy_apache_stop
	deploy_cleanup
}

@test "apache cgi: GET with WSSE" { deploy_case_get ""; }
@test "apache cgi: links from a sub-directory mount" {
	deploy_case_get /sub/dir
	deploy_case_links /sub/dir
	deploy_case_links ""
}
@test "apache cgi: the Authorization header reaches the application" {
	deploy_case_authorization "" "$DEPLOY_DIR/log/error.log"
}
@test "apache cgi: a body near max_body_size gets through" { deploy_case_body_near_limit ""; }
@test "apache cgi: a body over max_body_size is the application's JSON 413" {
	deploy_case_body_over_limit ""
}
@test "apache cgi: errors are JSON:API documents" { deploy_case_error ""; }
@test "apache cgi: the config file and the binary's directory are not served" {
	req GET /api.conf
	[ "$STATUS" = 404 ]
	req GET "$DEPLOY_DIR/etc/api.conf"
	[ "$STATUS" = 404 ]
}
