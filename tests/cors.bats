#!/usr/bin/env bats
# CORS (API.md section 7), through the binary run by hand as CGI with
# cors.allow_origins set by its environment variable.
load helpers/common

# cgi ORIGINS METHOD URI [VAR=VALUE...]: one CGI request; headers in $HEAD.
cgi() {
	local origins=$1 method=$2 uri=$3
	shift 3
	run env -i API_CONFIG="$API_CONFIG" API_CORS_ALLOW_ORIGINS="$origins" \
		REQUEST_METHOD="$method" REQUEST_URI="$uri" HTTP_HOST=example.test \
		HTTP_ACCEPT=application/vnd.api+json "$@" "$API_FCGI" < /dev/null
	[ "$status" -eq 0 ]
	HEAD=$(printf '%s\n' "$output" | sed '/^\r*$/q' | tr -d '\r')
}

hval() { # hval NAME -> the header's value in $HEAD
	sed -n "s/^$1: //Ip" <<< "$HEAD"
}

@test "cors: a preflight from an admitted origin gets every Access-Control header" {
	cgi "https://app.example.com, https://other.example.com" OPTIONS /api/users \
		HTTP_ORIGIN=https://app.example.com HTTP_ACCESS_CONTROL_REQUEST_METHOD=GET
	[ "$(hval Status)" = "200 OK" ]
	[ "$(hval Access-Control-Allow-Origin)" = https://app.example.com ]
	[ "$(hval Access-Control-Allow-Methods)" = "OPTIONS, GET, HEAD, PATCH, POST, DELETE" ]
	[ "$(hval Access-Control-Allow-Headers)" = "Authorization,Content-Type,X-Include,X-WSSE,If-Match,If-None-Match,X-Mode,X-Consistency-Token" ]
	[ "$(hval Access-Control-Expose-Headers)" = "Location,Content-Location,ETag,Retry-After,X-Request-Id,X-Include-Total-Count,X-Include-Deleted-Count,X-Consistency-Token" ]
	[ "$(hval Access-Control-Max-Age)" = 600 ]
}

@test "cors: other responses to an admitted origin carry Allow-Origin and Expose-Headers" {
	cgi "https://other.example.com https://app.example.com" GET /api/users/1 \
		HTTP_ORIGIN=https://app.example.com \
		HTTP_X_WSSE="$(wsse | sed 's/^X-WSSE: //')"
	[ "$(hval Status)" = "200 OK" ]
	[ "$(hval Access-Control-Allow-Origin)" = https://app.example.com ]
	[ "$(hval Access-Control-Expose-Headers)" = "Location,Content-Location,ETag,Retry-After,X-Request-Id,X-Include-Total-Count,X-Include-Deleted-Count,X-Consistency-Token" ]
	[ -z "$(hval Access-Control-Allow-Methods)" ]
	cgi "https://app.example.com" GET /api/users/1 HTTP_ORIGIN=https://app.example.com
	[ "$(hval Status)" = "401 Unauthorized" ]
	[ "$(hval Access-Control-Allow-Origin)" = https://app.example.com ]
}

@test "cors: an origin not in the list, or an empty list, gets no CORS header" {
	cgi "https://app.example.com" OPTIONS /api/users HTTP_ORIGIN=https://evil.example.com
	[ "$(hval Status)" = "200 OK" ]
	[[ "$HEAD" != *Access-Control* ]]
	cgi "" OPTIONS /api/users HTTP_ORIGIN=https://app.example.com
	[[ "$HEAD" != *Access-Control* ]]
	cgi "https://app.example.com.evil.test" OPTIONS /api/users HTTP_ORIGIN=https://app.example.com
	[[ "$HEAD" != *Access-Control* ]]
}

@test "cors: * admits any origin" {
	cgi "*" OPTIONS /api/users/1 HTTP_ORIGIN=https://anything.test
	[ "$(hval Access-Control-Allow-Origin)" = https://anything.test ]
	[ -n "$(hval Access-Control-Allow-Methods)" ]
}
