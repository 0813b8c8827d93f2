/* openapi.c: see openapi.h. The top of the document (info, servers,
 * security, tags, components), the route's answer with its ETag, and the
 * small writing helpers the other openapi*.c files share. */
#include "first.h"
#include "hex.h"
#include "digest.h"
#include "openapi.h"
#include "openapi_int.h"
#include "etag.h"
#include "resource.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void openapi_kv(struct jsonw *w, const char *key, const char *value)
{
	jw_key(w, key);
	jw_str(w, value);
}

void openapi_ref_member(struct jsonw *w, const char *kind, const char *name)
{
	char ref[256];
	snprintf(ref, sizeof(ref), "#/components/%s/%s", kind, name);
	openapi_kv(w, "$ref", ref);
}

void openapi_ref(struct jsonw *w, const char *kind, const char *fmt, ...)
{
	char name[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	jw_obj_begin(w);
	openapi_ref_member(w, kind, name);
	jw_obj_end(w);
}

void openapi_type(struct jsonw *w, const char *type, int nullable)
{
	jw_key(w, "type");
	if (!nullable) {
		jw_str(w, type);
		return;
	}
	jw_arr_begin(w);
	jw_str(w, type);
	jw_str(w, "null");
	jw_arr_end(w);
}

static const char description[] =
	"A JSON:API service over MariaDB. Every /api route but OPTIONS and the documentation "
	"needs credentials: a WSSE UsernameToken header (X-WSSE) made from a user's API key, "
	"or an OAuth 2.0 bearer token from /oauth2-token. Requests whose Accept or "
	"Content-Type is application/vnd.api+json get JSON:API documents; any other request "
	"gets the plain format (application/json: flat objects, arrays, plain error arrays). "
	"HEAD answers as GET without a body. A method a route does not offer answers 405 with "
	"Allow and an empty body (components/responses/methodNotAllowed); an unknown path "
	"answers 404. Filters, sort and include also take dotted paths through to-one "
	"associations (filter[owner.username]=admin, at most 3 levels).";

static const char wsse_description[] =
	"X-WSSE: UsernameToken Username=\"...\", PasswordDigest=\"...\", Nonce=\"...\", "
	"Created=\"...\" with PasswordDigest = base64(sha1(base64_decode(Nonce) . Created . "
	"apiKey)); Created is ISO 8601 with a zone. A nonce is good once; Authorization: WSSE "
	"profile=\"UsernameToken\" may accompany it.";

static void security_schemes(const struct openapi *o)
{
	struct jsonw *w = o->w;
	char token_url[600];
	snprintf(token_url, sizeof(token_url), "%s/oauth2-token", o->server);
	jw_key(w, "securitySchemes");
	jw_obj_begin(w);
	jw_key(w, "wsse");
	jw_obj_begin(w);
	openapi_kv(w, "type", "apiKey");
	openapi_kv(w, "in", "header");
	openapi_kv(w, "name", "X-WSSE");
	openapi_kv(w, "description", wsse_description);
	jw_obj_end(w);
	jw_key(w, "oauth2");
	jw_obj_begin(w);
	openapi_kv(w, "type", "oauth2");
	openapi_kv(w, "description",
		   "Authorization: Bearer <access_token>, the token from /oauth2-token.");
	jw_key(w, "flows");
	jw_obj_begin(w);
	static const char *const flows[] = { "clientCredentials", "password" };
	for (size_t i = 0; i < ARRAY_LEN(flows); i++) {
		jw_key(w, flows[i]);
		jw_obj_begin(w);
		openapi_kv(w, "tokenUrl", token_url);
		openapi_kv(w, "refreshUrl", token_url);
		jw_key(w, "scopes");
		jw_obj_begin(w);
		jw_obj_end(w);
		jw_obj_end(w);
	}
	jw_obj_end(w);
	jw_obj_end(w);
	jw_obj_end(w);
}

static const char *ownership_text(enum ownership own)
{
	switch (own) {
	case OWN_SHARED: return "Shared by all organizations.";
	case OWN_ITSELF: return "A user sees its own organization only.";
	case OWN_ORGANIZATION: return "Owned by an organization.";
	case OWN_BUSINESS_UNIT: return "Owned by a business unit.";
	case OWN_USER: return "Owned by a user.";
	}
	return "";
}

void openapi_write(struct jsonw *w, const struct config *cfg, const char *server)
{
	struct openapi o = { w, cfg, server ? server : "" };
	jw_obj_begin(w);
	openapi_kv(w, "openapi", "3.1.0");
	jw_key(w, "info");
	jw_obj_begin(w);
	openapi_kv(w, "title", "mariapi JSON:API");
	openapi_kv(w, "version", "1.0.0");
	openapi_kv(w, "description", description);
	jw_obj_end(w);
	jw_key(w, "servers");
	jw_arr_begin(w);
	jw_obj_begin(w);
	openapi_kv(w, "url", o.server[0] ? o.server : "/");
	jw_obj_end(w);
	jw_arr_end(w);
	jw_key(w, "security");
	jw_arr_begin(w);
	static const char *const schemes[] = { "wsse", "oauth2" };
	for (size_t i = 0; i < ARRAY_LEN(schemes); i++) {
		jw_obj_begin(w);
		jw_key(w, schemes[i]);
		jw_arr_begin(w);
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_key(w, "tags");
	jw_arr_begin(w);
	size_t n;
	const struct resource *const *all = resources_all(&n);
	for (size_t i = 0; i < n; i++) {
		jw_obj_begin(w);
		openapi_kv(w, "name", all[i]->type);
		openapi_kv(w, "description", ownership_text(all[i]->ownership));
		jw_obj_end(w);
	}
	jw_obj_begin(w);
	openapi_kv(w, "name", "oauth");
	openapi_kv(w, "description", "The OAuth 2.0 token endpoint (RFC 6749, RFC 7009).");
	jw_obj_end(w);
	jw_obj_begin(w);
	openapi_kv(w, "name", "documentation");
	jw_obj_end(w);
	jw_arr_end(w);
	openapi_paths_write(&o);
	jw_key(w, "components");
	jw_obj_begin(w);
	openapi_schemas_write(&o);
	openapi_params_write(&o);
	openapi_responses_write(&o);
	security_schemes(&o);
	jw_obj_end(w);
	jw_obj_end(w);
}

/* A strong tag of the body: it changes with the descriptors, the settings
 * and the server URL, all of which it is made from. */
static void body_tag(const struct buf *b, char out[ETAG_SIZE])
{
	unsigned char md[DIGEST_SHA256_LEN];
	if (digest_sha256(b->data, b->len, md) < 0)
		memset(md, 0, 16);
	out[0] = '"';
	hex_encode(out + 1, md, 16);
	out[33] = '"';
	out[34] = '\0';
}

void openapi_respond(struct request *r)
{
	r->plain = 1; /* application/json */
	struct jsonw w;
	jw_init(&w, &r->body);
	openapi_write(&w, r->cfg, r->base);
	char tag[ETAG_SIZE];
	body_tag(&r->body, tag);
	req_header(r, "ETag", tag);
	/* Cheap to make, and its servers URL follows the request's host when
	 * base_url is not set: caches revalidate every time (304). */
	req_header(r, "Cache-Control", "no-cache");
	const char *inm = req_param(r, "HTTP_IF_NONE_MATCH");
	r->status = inm && etag_matches(inm, tag) ? 304 : 200;
}
