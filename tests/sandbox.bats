#!/usr/bin/env bats
# GET /api/doc (section 11): the HTML sandbox. Over HTTP: the page, its
# headers and what it lists; then in Debian's headless chromium, driven by
# puppeteer-core (tests/browser, installed with `npm ci`): Try! for a GET
# (twice) and a POST with WSSE computed by the page, and the curl command
# lines it shows, run in a shell.
load helpers/common

SANDBOX_URL="http://sandbox.test:$HTTP_PORT"
TYPES="organizations businessunits users userroles countries accounts contacts calls asyncoperations"

setup_file() {
	# The browser driver's packages, from the lock file; again only when the
	# lock file changed since the last install.
	local dir="$ROOT/tests/browser"
	if ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.installed-lock" 2>/dev/null; then
		(cd "$dir" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) >&2 &&
			cp "$dir/package-lock.json" "$dir/node_modules/.installed-lock"
	fi
}

page() { # page [PATH]: the page without credentials, into $BODY
	req GET "${1:-/api/doc}" -H 'Accept: text/html'
}

@test "GET /api/doc without credentials: 200 text/html; charset=utf-8 with a Content-Security-Policy" {
	page
	expect_status 200
	[ "$(header Content-Type)" = "text/html; charset=utf-8" ]
	csp=$(header Content-Security-Policy)
	[[ "$csp" == *"default-src 'none'"* ]]
	[[ "$csp" == *"script-src 'sha256-"* ]]
	[[ "$csp" == *"style-src 'sha256-"* ]]
	[[ "$csp" != *unsafe-* ]]
	[ "$(header X-Content-Type-Options)" = nosniff ]
	[ -z "$(header WWW-Authenticate)" ]
}

@test "GET /api/doc: the CSP hashes are those of the inline script and style" {
	page
	csp=$(header Content-Security-Policy)
	for tag in script style; do
		text=$(awk -v t="$tag" 'BEGIN { RS = "</" t ">" } NR == 1 { sub(".*<" t ">", ""); printf "%s", $0 }' \
			"$BATS_TEST_TMPDIR/body" | openssl dgst -sha256 -binary | base64)
		[[ "$csp" == *"$tag-src 'sha256-$text'"* ]] || { echo "$tag: $text not in $csp" >&2; return 1; }
	done
	# One script and one style, nothing inline elsewhere (no on* handlers).
	[ "$(grep -o '<script' "$BATS_TEST_TMPDIR/body" | wc -l)" -eq 1 ]
	[ "$(grep -o '<style' "$BATS_TEST_TMPDIR/body" | wc -l)" -eq 1 ]
	run grep -Eio ' on[a-z]+=|style="' "$BATS_TEST_TMPDIR/body"
	[ "$status" -eq 1 ]
}

@test "GET /api/doc: self-contained, no src or href outside the page and the API" {
	page
	run grep -Eio '(src|srcset|action)=' "$BATS_TEST_TMPDIR/body"
	[ "$status" -eq 1 ]
	# Links are in-page anchors, the API's own OpenAPI document, or data:.
	bad=$(grep -Eo 'href="[^"]*"' "$BATS_TEST_TMPDIR/body" | grep -v -e '^href="#' -e '^href="data:' \
		-e "^href=\"$API_URL/api/" || true)
	[ -z "$bad" ] || { echo "$bad" >&2; return 1; }
	run grep -Eio '@import|[^a-z]url\(|@font-face' "$BATS_TEST_TMPDIR/body"
	[ "$status" -eq 1 ]
}

@test "GET /api/doc: every resource type, collapsed, with its actions, fields, filters and statuses" {
	page
	for t in $TYPES; do
		grep -q "<details class=\"res\" id=\"res-$t\">" "$BATS_TEST_TMPDIR/body" || { echo "no $t" >&2; return 1; }
		grep -q "data-path=\"/api/$t/{id}\"" "$BATS_TEST_TMPDIR/body" || { echo "no $t item" >&2; return 1; }
	done
	run grep -c '<details[^>]* open' "$BATS_TEST_TMPDIR/body"
	[ "$output" = 0 ]
	# users: a required unique string with its length, a write-only
	# password, its filters with operators, its sort fields, its includes.
	grep -q '<td><code>username</code></td><td>string</td><td><span class="fl req">required</span><span class="fl uniq">unique</span></td><td><div>at most 255 characters</div>' "$BATS_TEST_TMPDIR/body"
	grep -q '<code>password</code></td><td>string</td><td><span class="fl wo">write-only</span></td><td><div>8 to 255 characters</div>' "$BATS_TEST_TMPDIR/body"
	grep -q '<code>filter\[lastName\]</code></td><td class="ops">eq neq exists neq_or_null contains not_contains starts_with not_starts_with ends_with not_ends_with empty</td>' "$BATS_TEST_TMPDIR/body"
	grep -q 'one of: <code>male</code> <code>female</code>' "$BATS_TEST_TMPDIR/body"
	grep -q 'date-time, UTC' "$BATS_TEST_TMPDIR/body"
	grep -q '<li><b>201</b> created' "$BATS_TEST_TMPDIR/body"
	grep -q '<option value="birthday" data-ops="eq neq lt lte gt gte exists neq_or_null">' "$BATS_TEST_TMPDIR/body"
}

@test "GET /api/doc: the actions of every route are the methods its OPTIONS Allow lists" {
	page
	local -A shown
	local p m paths=() urls=()
	while read -r p m; do
		[ -n "${shown[$p]+x}" ] || paths+=("$p")
		shown[$p]+="$m "
	done < <(grep -o 'data-method="[A-Z]*" data-path="[^"]*"' "$BATS_TEST_TMPDIR/body" |
		sed 's/data-method="\([A-Z]*\)" data-path="\([^"]*\)"/\2 \1/')
	[ "${#paths[@]}" -gt 40 ]
	allows=$(grep -o 'Allow: <code>[^<]*</code>' "$BATS_TEST_TMPDIR/body" | sort -u)
	for p in "${paths[@]}"; do urls+=("$API_URL${p//\{id\}/1}"); done
	# One curl for every route, in order: status and Allow of each OPTIONS.
	mapfile -t answers < <(curl -s -o /dev/null -X OPTIONS -w '%{http_code} %header{allow}\n' "${urls[@]}")
	[ "${#answers[@]}" -eq "${#paths[@]}" ]
	for i in "${!paths[@]}"; do
		p=${paths[$i]} a=${answers[$i]}
		[ "${a%% *}" = 200 ] || { echo "$p: OPTIONS $a" >&2; return 1; }
		allow=${a#* } n=0
		for m in ${allow//,/ }; do
			case $m in OPTIONS | HEAD) continue ;; esac
			[[ " ${shown[$p]}" == *" $m "* ]] || { echo "$p: $m allowed, not on the page" >&2; return 1; }
			n=$((n + 1))
		done
		set -- ${shown[$p]}
		[ "$#" -eq "$n" ] || { echo "$p: page '${shown[$p]}', Allow '$allow'" >&2; return 1; }
		# The route's Allow line on the page is the header itself.
		[[ $'\n'"$allows"$'\n' == *$'\n'"Allow: <code>$allow</code>"$'\n'* ]] ||
			{ echo "$p: no line Allow: $allow" >&2; return 1; }
	done
}

@test "/api/doc: HEAD as GET without a body, OPTIONS 200 with Allow, other methods 405" {
	page
	length=$(header Content-Length)
	[ "$length" -gt 0 ]
	out=$(curl -s --head -o /dev/null -D "$BATS_TEST_TMPDIR/headers" -w '%{http_code} %{size_download}' \
		"$API_URL/api/doc")
	[ "$out" = "200 0" ]
	[ "$(header Content-Length)" = "$length" ]
	[ "$(header Content-Type)" = "text/html; charset=utf-8" ]
	req OPTIONS /api/doc
	expect_status 200
	[ "$(header Allow)" = "OPTIONS, GET, HEAD" ]
	for m in POST PATCH DELETE PUT; do
		req "$m" /api/doc --data-binary ''
		expect_status 405
		[ "$(header Allow)" = "OPTIONS, GET, HEAD" ]
	done
}

@test "/api/doc exactly: /api/doc/, /api/docs and /api/doc/x are not the page and need no less" {
	req GET /api/doc/ -H 'Accept: application/vnd.api+json'
	expect_status 404
	req GET /api/docs -H 'Accept: application/vnd.api+json'
	expect_error 404 "entity type constraint" "Unknown entity type: docs."
	req GET /api/doc/x/y -H 'Accept: application/vnd.api+json'
	expect_status 404
	# An API route still needs credentials after the exemption.
	req GET /api/users -H 'Accept: application/vnd.api+json'
	expect_status 401
}

@test "GET /api/doc under a sub-directory mount: requests and links go under the prefix" {
	page /second/api/doc
	expect_status 200
	grep -q "<body data-base=\"$API_URL/second\">" "$BATS_TEST_TMPDIR/body"
	grep -q "href=\"$API_URL/second/api/doc/openapi.json\"" "$BATS_TEST_TMPDIR/body"
}

@test "GET /api/doc with base_url: the page's base, escaped; the CSP lets the page reach it" {
	run env -i API_CONFIG="$API_CONFIG" API_BASE_URL='https://api.example.test/v1' REQUEST_METHOD=GET \
		REQUEST_URI=/v1/api/doc HTTP_HOST=internal.test "$API_FCGI" < /dev/null
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'Status: 200 OK\r' ]
	[[ "$output" == *'<body data-base="https://api.example.test/v1">'* ]]
	[[ "$output" == *"connect-src 'self' https://api.example.test;"* ]]
	run env -i API_CONFIG="$API_CONFIG" API_BASE_URL='https://x.test/a"><b>&' REQUEST_METHOD=GET \
		REQUEST_URI=/a/api/doc "$API_FCGI" < /dev/null
	[ "${lines[0]}" = $'Status: 200 OK\r' ]
	[[ "$output" == *'data-base="https://x.test/a&quot;&gt;&lt;b&gt;&amp;"'* ]]
	[[ "$output" != *'"><b>'* ]]
	# The origin is the scheme and host only: the path's characters never reach the CSP.
	[[ "$output" == *"connect-src 'self' https://x.test;"* ]]
	run env -i API_CONFIG="$API_CONFIG" API_BASE_URL='https://x.test;script-src' REQUEST_METHOD=GET \
		REQUEST_URI=/api/doc "$API_FCGI" < /dev/null
	[ "${lines[0]}" = $'Status: 200 OK\r' ]
	[[ "$output" == *"connect-src 'self';"* ]]
}

@test "the sandbox in headless chromium: Try! on a GET twice and a POST, WSSE by the page, no JS errors" {
	command -v chromium >/dev/null || { echo "chromium is missing: make deps" >&2; return 1; }
	local shot="$BATS_FILE_TMPDIR/sandbox.png"
	# Plain HTTP on a host name (not localhost): no secure context, so no
	# crypto.subtle; the page signs with its own SHA-1. Under /second/.
	DOC_URL="$SANDBOX_URL/second/api/doc" MAP_HOST=sandbox.test API_USER=admin API_KEY="$ADMIN_KEY" \
		RESOURCE=contacts SHOT="$shot" node "$ROOT/tests/browser/sandbox.mjs" > "$BATS_FILE_TMPDIR/browser.json"
	BODY=$(< "$BATS_FILE_TMPDIR/browser.json")
	[ "$(jqb '.errors | length')" = 0 ] || { jqb '.errors[]' >&2; return 1; }
	[ "$(jqb .pageStatus)" = 200 ]
	[ "$(jqb .secureContext)" = false ]
	[ "$(jqb .subtle)" = undefined ]
	[ "$(jqb .get.status)" = 200 ]
	[ "$(jqb .get.url)" = "GET $SANDBOX_URL/second/api/contacts" ]
	[ "$(jqb .get.headers | head -1)" = "HTTP 200 OK" ]
	[ "$(jqb '.get.body | fromjson | .data | type')" = array ]
	[ "$(jqb .get2.status)" = 200 ]
	[ "$(jqb .post.status)" = 201 ]
	[ "$(jqb '.post.body | fromjson | .data.type')" = contacts ]
	id=$(jqb '.post.body | fromjson | .data.id')
	[ "$(db "SELECT COUNT(*) FROM contacts WHERE id = $id")" = 1 ]
	[ -s "$shot" ]
	[ "$(head -c 8 "$shot" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]
	if [ -d /work/lead ] && [ -w /work/lead ]; then cp "$shot" /work/lead/sandbox.png; fi
}

@test "the curl command lines the page showed work once in a shell, with the page's status" {
	[ -s "$BATS_FILE_TMPDIR/browser.json" ]
	BODY=$(< "$BATS_FILE_TMPDIR/browser.json")
	for what in get post; do
		cmd=$(jqb ".$what.curl")
		want=$(jqb ".$what.status")
		[[ "$cmd" == "curl -g -i -X "* ]]
		# As pasted, but for the name sandbox.test, which only chromium knew.
		run sh -c "$cmd -sS --resolve sandbox.test:$HTTP_PORT:127.0.0.1"
		[ "$status" -eq 0 ]
		[ "$(head -1 <<< "$output" | cut -d' ' -f2)" = "$want" ] || { echo "$what: $output" >&2; return 1; }
		# Its WSSE nonce is spent now: the same line again is a 401.
		run sh -c "$cmd -sS --resolve sandbox.test:$HTTP_PORT:127.0.0.1"
		[ "$(head -1 <<< "$output" | cut -d' ' -f2)" = 401 ]
	done
}

@test "the example bodies the page pre-fills for creates and updates are valid (meta.validate)" {
	page
	# method path body, one per line (the textarea's text, HTML-unescaped).
	python3 - "$BATS_TEST_TMPDIR/body" > "$BATS_TEST_TMPDIR/examples" <<'PY'
import html, json, re, sys
s = open(sys.argv[1]).read()
for m in re.finditer(r'<details class="act" data-method="(POST|PATCH)" data-path="(/api/[a-z]+(?:/\{id\})?)" data-kind="(\d+)">.*?<textarea[^>]*>(.*?)</textarea>', s, re.S):
    if m.group(3) in ('1', '5'):
        print(m.group(1), m.group(2), json.dumps(json.loads(html.unescape(m.group(4)))))
PY
	n=0
	while read -r method path body; do
		id=1
		if [ "$path" = "/api/countries/{id}" ]; then
			id=$(db "SELECT iso2_code FROM countries ORDER BY iso2_code LIMIT 1")
		fi
		body=$(jq -c --arg id "$id" --arg m "$method" '.data.meta = {validate: true} | if .data.id and $m == "PATCH" then .data.id = $id else . end' <<< "$body")
		send "$method" "${path//\{id\}/$id}" "$body"
		[ "$STATUS" = 201 ] || [ "$STATUS" = 200 ] || { echo "$method $path: $STATUS $BODY" >&2; return 1; }
		n=$((n + 1))
	done < "$BATS_TEST_TMPDIR/examples"
	[ "$n" -ge 14 ]
}
