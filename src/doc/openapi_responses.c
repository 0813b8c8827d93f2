/* openapi_responses.c: the answers every operation shares, as component
 * responses: the error statuses with the body each really has (the JSON:API
 * error document for application/vnd.api+json, the plain error array for
 * application/json), and the empty ones (401 with WWW-Authenticate, 405 with
 * Allow, 304). */
#include "first.h"
#include "openapi_int.h"

#include <stdio.h>

static const struct {
	int status;
	const char *text;
} errors[] = {
	{ 400, "Bad request: a query parameter, header or body member the service refuses." },
	{ 403, "Access denied: the user's permissions do not reach the type or the record." },
	{ 404, "Not found: no such record (or not visible to the user)." },
	{ 406, "Not acceptable: the Accept header admits no format the service has." },
	{ 409, "Conflict: the body names another type or id, the record exists, or others"
	       " depend on it." },
	{ 412, "Precondition failed: the record changed since the If-Match tag was issued." },
	{ 413, "Request body too large." },
	{ 414, "Request URI too long." },
	{ 415, "Unsupported media type: a JSON:API Content-Type with parameters (or a plain"
	       " batch)." },
	{ 500, "Internal error (the cause is in the server log, with X-Request-Id)." },
	{ 503, "The database is unreachable or a statement ran too long; try again after"
	       " Retry-After." },
};

static void header(struct jsonw *w, const char *name, const char *text)
{
	jw_key(w, name);
	jw_obj_begin(w);
	openapi_kv(w, "description", text);
	jw_key(w, "schema");
	jw_obj_begin(w);
	openapi_kv(w, "type", "string");
	jw_obj_end(w);
	jw_obj_end(w);
}

static void error_content(struct jsonw *w)
{
	jw_key(w, "content");
	jw_obj_begin(w);
	jw_key(w, "application/vnd.api+json");
	jw_obj_begin(w);
	jw_key(w, "schema");
	openapi_ref(w, "schemas", "errors");
	jw_obj_end(w);
	jw_key(w, "application/json");
	jw_obj_begin(w);
	jw_key(w, "schema");
	openapi_ref(w, "schemas", "errors.plain");
	jw_obj_end(w);
	jw_obj_end(w);
}

void openapi_responses_write(const struct openapi *o)
{
	struct jsonw *w = o->w;
	jw_key(w, "responses");
	jw_obj_begin(w);
	for (size_t i = 0; i < ARRAY_LEN(errors); i++) {
		char name[16];
		snprintf(name, sizeof(name), "error%d", errors[i].status);
		jw_key(w, name);
		jw_obj_begin(w);
		openapi_kv(w, "description", errors[i].text);
		if (errors[i].status == 503) {
			jw_key(w, "headers");
			jw_obj_begin(w);
			header(w, "Retry-After", "Seconds to wait.");
			jw_obj_end(w);
		}
		error_content(w);
		jw_obj_end(w);
	}
	jw_key(w, "unauthorized");
	jw_obj_begin(w);
	openapi_kv(w, "description", "Missing or invalid credentials; the body is empty.");
	jw_key(w, "headers");
	jw_obj_begin(w);
	header(w, "WWW-Authenticate",
	       "The schemes offered: WSSE realm=\"Secured API\", profile=\"UsernameToken\" and"
	       " Bearer.");
	jw_obj_end(w);
	jw_obj_end(w);
	jw_key(w, "methodNotAllowed");
	jw_obj_begin(w);
	openapi_kv(w, "description",
		   "The route does not offer the method (any method not documented for a path);"
		   " the body is empty.");
	jw_key(w, "headers");
	jw_obj_begin(w);
	header(w, "Allow", "The methods the route offers.");
	jw_obj_end(w);
	jw_obj_end(w);
	jw_key(w, "notModified");
	jw_obj_begin(w);
	openapi_kv(w, "description", "The If-None-Match tag is current; the body is empty.");
	jw_key(w, "headers");
	jw_obj_begin(w);
	header(w, "ETag", "The entity tag.");
	jw_obj_end(w);
	jw_obj_end(w);
	jw_obj_end(w);
}

static void status_ref(struct jsonw *w, int status, const char *component, int head)
{
	char key[8];
	snprintf(key, sizeof(key), "%d", status);
	jw_key(w, key);
	if (!head) {
		openapi_ref(w, "responses", "%s", component);
		return;
	}
	jw_obj_begin(w);
	openapi_kv(w, "description", "As the GET answers, without a body.");
	jw_obj_end(w);
}

void openapi_responses_errors(const struct openapi *o, unsigned what, int head)
{
	struct jsonw *w = o->w;
	for (size_t i = 0; i < ARRAY_LEN(errors); i++) {
		int s = errors[i].status;
		int on = s == 414 || ((what & E_AUTH) && s != 404 && s != 409 && s != 412 && s != 413) ||
			 ((what & E_ID) && s == 404) || ((what & E_WRITE) && (s == 409 || s == 413)) ||
			 ((what & E_MATCH) && s == 412);
		if (!on)
			continue;
		char name[16];
		snprintf(name, sizeof(name), "error%d", s);
		status_ref(w, s, name, head);
	}
	if (what & E_AUTH)
		status_ref(w, 401, "unauthorized", 0);
}
