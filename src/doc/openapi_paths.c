/* openapi_paths.c: the paths of the OpenAPI document. Every route of every
 * type (list, item, subresource, relationship) is asked of router_allowed,
 * the route x method table that also answers Allow and dispatch: a path is
 * written when the router serves it, with exactly the methods it allows
 * (the one call up into http/). Batch (PATCH on a list) and its answers
 * follow section 9 and appear when the router offers them. */
#include "first.h"
#include "openapi_int.h"
#include "router.h"

#include <stdio.h>
#include <string.h>

struct op {
	const struct openapi *o;
	const struct route *rt;
	const struct resource *res;    /* the route's type */
	const struct resource *target; /* the association's type, or NULL */
	int to_many;                   /* lists, to-many associations */
};

static void header_obj(struct jsonw *w, const char *name, const char *type, const char *text)
{
	jw_key(w, name);
	jw_obj_begin(w);
	openapi_kv(w, "description", text);
	jw_key(w, "schema");
	jw_obj_begin(w);
	openapi_kv(w, "type", type);
	jw_obj_end(w);
	jw_obj_end(w);
}

static void schema_ref(struct jsonw *w, const char *type, const char *suffix)
{
	jw_key(w, "schema");
	openapi_ref(w, "schemas", "%s%s", type, suffix);
}

/* "content" with JSON:API and plain schemas by name (NULL: leave out). */
static void content(struct jsonw *w, const char *type, const char *vnd, const char *plain)
{
	jw_key(w, "content");
	jw_obj_begin(w);
	if (vnd) {
		jw_key(w, "application/vnd.api+json");
		jw_obj_begin(w);
		schema_ref(w, type, vnd);
		jw_obj_end(w);
	}
	if (plain) {
		jw_key(w, "application/json");
		jw_obj_begin(w);
		schema_ref(w, type, plain);
		jw_obj_end(w);
	}
	jw_obj_end(w);
}

/* The association segment of a subresource or relationship path: a
 * relationship's name, or the errors subresource (no relationship). */
static const char *assoc_name(const struct route *rt)
{
	return rt->rel ? rt->rel->name : rt->res->errors_subresource;
}

static void op_begin(const struct op *op, const char *method, const char *what,
		     const char *summary)
{
	struct jsonw *w = op->o->w;
	char id[200];
	const struct route *rt = op->rt;
	snprintf(id, sizeof(id), "%s%s%s%s.%s", op->res->type,
		 rt->kind == ROUTE_RELATIONSHIP ? ".relationships" : "",
		 rt->kind >= ROUTE_SUBRESOURCE ? "." : "",
		 rt->kind >= ROUTE_SUBRESOURCE ? assoc_name(rt) : "", what);
	jw_key(w, method);
	jw_obj_begin(w);
	jw_key(w, "tags");
	jw_arr_begin(w);
	jw_str(w, op->res->type);
	jw_arr_end(w);
	openapi_kv(w, "operationId", id);
	openapi_kv(w, "summary", summary);
}

static void options_op(const struct op *op)
{
	struct jsonw *w = op->o->w;
	op_begin(op, "options", "options", "The methods of the route (no credentials needed)");
	jw_key(w, "security");
	jw_arr_begin(w);
	jw_arr_end(w);
	jw_key(w, "responses");
	jw_obj_begin(w);
	jw_key(w, "200");
	jw_obj_begin(w);
	openapi_kv(w, "description", "Allow lists the methods; the body is empty.");
	jw_key(w, "headers");
	jw_obj_begin(w);
	header_obj(w, "Allow", "string", "The methods, in the order OPTIONS, GET, HEAD, PATCH,"
					   " POST, DELETE.");
	jw_obj_end(w);
	jw_obj_end(w);
	openapi_responses_errors(op->o, 0, 0);
	jw_obj_end(w);
	jw_obj_end(w);
}

static void params_begin(struct jsonw *w)
{
	jw_key(w, "parameters");
	jw_arr_begin(w);
}

/* {"oneOf": [ref to schema type+suffix, {"type": "null"}]}: a nullable record. */
static void ref_or_null(struct jsonw *w, const char *type, const char *suffix)
{
	jw_obj_begin(w);
	jw_key(w, "oneOf");
	jw_arr_begin(w);
	openapi_ref(w, "schemas", "%s%s", type, suffix);
	jw_obj_begin(w);
	openapi_kv(w, "type", "null");
	jw_obj_end(w);
	jw_arr_end(w);
	jw_obj_end(w);
}

/* The linkage a relationship route reads and writes: an array of
 * identifiers (to-many) or one identifier or null (to-one). */
static void linkage_data(struct jsonw *w, const char *target, int to_many)
{
	if (!to_many) {
		ref_or_null(w, target, ".identifier");
		return;
	}
	jw_obj_begin(w);
	openapi_kv(w, "type", "array");
	jw_key(w, "items");
	openapi_ref(w, "schemas", "%s.identifier", target);
	jw_obj_end(w);
}

/* Opens the JSON:API media type's schema of a document with a required
 * "data" member (closed: no other members), up to that member's key: the
 * caller writes its schema and closes "properties", the schema and the
 * media type. */
static void vnd_data_begin(struct jsonw *w, int closed)
{
	jw_key(w, "application/vnd.api+json");
	jw_obj_begin(w);
	jw_key(w, "schema");
	jw_obj_begin(w);
	openapi_kv(w, "type", "object");
	jw_key(w, "required");
	jw_arr_begin(w);
	jw_str(w, "data");
	jw_arr_end(w);
	if (closed) {
		jw_key(w, "additionalProperties");
		jw_bool(w, 0);
	}
	jw_key(w, "properties");
	jw_obj_begin(w);
	jw_key(w, "data");
}

/* The 200 of a read: its body by route kind, or none for HEAD. */
static void read_ok(const struct op *op, int head)
{
	struct jsonw *w = op->o->w;
	const struct route *rt = op->rt;
	const char *type = rt->rel			   ? rt->rel->target
			   : rt->kind == ROUTE_SUBRESOURCE ? ASYNC_ERRORS_TYPE
							   : op->res->type;
	jw_key(w, "200");
	jw_obj_begin(w);
	openapi_kv(w, "description", head ? "As GET, without a body." : "The data.");
	jw_key(w, "headers");
	jw_obj_begin(w);
	if (rt->kind == ROUTE_ITEM)
		header_obj(w, "ETag", "string", "The record's entity tag.");
	if (op->to_many)
		header_obj(w, "X-Include-Total-Count", "integer",
			   "With X-Include: totalCount, the matching records (paging ignored).");
	jw_obj_end(w);
	if (!head) {
		if (rt->kind == ROUTE_LIST || (rt->kind == ROUTE_SUBRESOURCE && op->to_many)) {
			jw_key(w, "content");
			jw_obj_begin(w);
			jw_key(w, "application/vnd.api+json");
			jw_obj_begin(w);
			schema_ref(w, type, ".collection");
			jw_obj_end(w);
			jw_key(w, "application/json");
			jw_obj_begin(w);
			jw_key(w, "schema");
			jw_obj_begin(w);
			openapi_kv(w, "type", "array");
			jw_key(w, "items");
			openapi_ref(w, "schemas", "%s.plain", type);
			jw_obj_end(w);
			jw_obj_end(w);
			jw_obj_end(w);
		} else if (rt->kind == ROUTE_ITEM) {
			content(w, type, ".document", ".plain");
		} else if (rt->kind == ROUTE_SUBRESOURCE) {
			/* A to-one association: the record, or null. */
			jw_key(w, "content");
			jw_obj_begin(w);
			vnd_data_begin(w, 0);
			ref_or_null(w, type, "");
			jw_key(w, "included");
			jw_obj_begin(w);
			openapi_kv(w, "type", "array");
			jw_key(w, "items");
			openapi_ref(w, "schemas", "resource");
			jw_obj_end(w);
			jw_obj_end(w);
			jw_obj_end(w);
			jw_obj_end(w);
			jw_key(w, "application/json");
			jw_obj_begin(w);
			jw_key(w, "schema");
			ref_or_null(w, type, ".plain");
			jw_obj_end(w);
			jw_obj_end(w);
		} else {
			/* Relationship: linkage, and its links. */
			jw_key(w, "content");
			jw_obj_begin(w);
			vnd_data_begin(w, 1);
			linkage_data(w, type, op->to_many);
			jw_key(w, "links");
			openapi_ref(w, "schemas", op->to_many ? "links.collection" : "links.relationship");
			jw_obj_end(w);
			jw_obj_end(w);
			jw_obj_end(w);
			jw_key(w, "application/json");
			jw_obj_begin(w);
			jw_key(w, "schema");
			jw_obj_begin(w);
			if (op->to_many) {
				openapi_kv(w, "type", "array");
				jw_key(w, "items");
				openapi_schemas_plain_id(w, op->target);
			} else {
				jw_key(w, "oneOf");
				jw_arr_begin(w);
				openapi_schemas_plain_id(w, op->target);
				jw_obj_begin(w);
				openapi_kv(w, "type", "null");
				jw_obj_end(w);
				jw_arr_end(w);
			}
			jw_obj_end(w);
			jw_obj_end(w);
			jw_obj_end(w);
		}
	}
	jw_obj_end(w);
}

static void read_op(const struct op *op, int head)
{
	struct jsonw *w = op->o->w;
	const struct route *rt = op->rt;
	static const char *const summaries[] = {
		[ROUTE_LIST] = "List the records", [ROUTE_ITEM] = "Read a record",
		[ROUTE_SUBRESOURCE] = "Read the related records",
		[ROUTE_RELATIONSHIP] = "Read the linkage",
	};
	op_begin(op, head ? "head" : "get", head ? "head" : rt->kind == ROUTE_LIST ? "list" : "get",
		 summaries[rt->kind]);
	const struct resource *t = rt->rel ? op->target : op->res;
	params_begin(w);
	unsigned p = 0;
	if (op->to_many)
		p |= P_FILTERS | P_SORT | P_PAGE | P_XINCL;
	if (rt->kind != ROUTE_RELATIONSHIP)
		p |= P_FIELDS | P_META;
	if (t)
		openapi_params_refs(op->o, t, p);
	else if (p & P_PAGE) /* a target no descriptor describes: paging only */
		openapi_params_refs(op->o, op->res, P_PAGE);
	if (rt->kind == ROUTE_ITEM)
		openapi_ref(w, "parameters", "If-None-Match");
	jw_arr_end(w);
	jw_key(w, "responses");
	jw_obj_begin(w);
	read_ok(op, head);
	if (rt->kind == ROUTE_ITEM) {
		jw_key(w, "304");
		openapi_ref(w, "responses", "notModified");
	}
	openapi_responses_errors(op->o, E_AUTH | (rt->kind == ROUTE_LIST ? 0 : E_ID), head);
	jw_obj_end(w);
	jw_obj_end(w);
}

/* A body of the JSON:API and plain formats by schema name. */
static void request_body(struct jsonw *w, const char *type, const char *vnd, const char *plain)
{
	jw_key(w, "requestBody");
	jw_obj_begin(w);
	jw_key(w, "required");
	jw_bool(w, 1);
	content(w, type, vnd, plain);
	jw_obj_end(w);
}

static void no_content(struct jsonw *w, const char *text)
{
	jw_key(w, "204");
	jw_obj_begin(w);
	openapi_kv(w, "description", text);
	jw_obj_end(w);
}

static void written(struct jsonw *w, const char *status, const char *type, const char *text,
		    int location)
{
	jw_key(w, status);
	jw_obj_begin(w);
	openapi_kv(w, "description", text);
	jw_key(w, "headers");
	jw_obj_begin(w);
	header_obj(w, "ETag", "string", "The record's entity tag.");
	if (location)
		header_obj(w, "Location", "string", "The new record's URL.");
	jw_obj_end(w);
	content(w, type, ".document", ".plain");
	jw_obj_end(w);
}

/* Relationship writes: {"data": identifier | null} or {"data": [...]}. */
static void linkage_body(const struct op *op)
{
	struct jsonw *w = op->o->w;
	jw_key(w, "requestBody");
	jw_obj_begin(w);
	jw_key(w, "required");
	jw_bool(w, 1);
	jw_key(w, "content");
	jw_obj_begin(w);
	vnd_data_begin(w, 0);
	linkage_data(w, op->rt->rel->target, op->to_many);
	jw_obj_end(w);
	jw_obj_end(w);
	jw_obj_end(w);
	jw_obj_end(w);
	jw_obj_end(w);
}

static void write_ops(const struct op *op, unsigned method)
{
	struct jsonw *w = op->o->w;
	const struct route *rt = op->rt;
	const char *type = op->res->type;
	unsigned errs = E_AUTH | E_WRITE | (rt->kind == ROUTE_LIST ? 0 : E_ID);
	if (rt->kind == ROUTE_RELATIONSHIP) {
		op_begin(op, method == M_PATCH ? "patch" : method == M_POST ? "post" : "delete",
			 method == M_PATCH ? "replace" : method == M_POST ? "add" : "remove",
			 method == M_PATCH ? "Replace the linkage"
			 : method == M_POST ? "Add to the linkage" : "Remove from the linkage");
		linkage_body(op);
		jw_key(w, "responses");
		jw_obj_begin(w);
		no_content(w, "Done.");
	} else if (rt->kind == ROUTE_ITEM && method == M_PATCH) {
		op_begin(op, "patch", "update", "Update a record (only the members sent change)");
		params_begin(w);
		openapi_ref(w, "parameters", "If-Match");
		jw_arr_end(w);
		request_body(w, type, ".updateDocument", ".plainUpdate");
		jw_key(w, "responses");
		jw_obj_begin(w);
		written(w, "200", type, "Updated: the record as a GET shows it.", 0);
		if (op->res->id_kind == ID_STRING) /* upsert by id: client ids only */
			written(w, "201", type, "Created by an upsert (meta.upsert: true).", 1);
		errs |= E_MATCH;
	} else if (rt->kind == ROUTE_ITEM) {
		op_begin(op, "delete", "delete", "Delete a record");
		params_begin(w);
		openapi_ref(w, "parameters", "If-Match");
		jw_arr_end(w);
		jw_key(w, "responses");
		jw_obj_begin(w);
		no_content(w, "Deleted.");
		errs |= E_MATCH;
	} else if (method == M_POST) {
		op_begin(op, "post", "create", "Create a record");
		params_begin(w);
		openapi_ref(w, "parameters", "X-HTTP-Method-Override");
		jw_arr_end(w);
		jw_key(w, "requestBody");
		jw_obj_begin(w);
		jw_key(w, "required");
		jw_bool(w, 1);
		jw_key(w, "content");
		jw_obj_begin(w);
		jw_key(w, "application/vnd.api+json");
		jw_obj_begin(w);
		jw_key(w, "schema");
		jw_obj_begin(w);
		jw_key(w, "anyOf");
		jw_arr_begin(w);
		openapi_ref(w, "schemas", "%s.createDocument", type);
		openapi_ref(w, "schemas", "filterBody");
		jw_arr_end(w);
		jw_obj_end(w);
		jw_obj_end(w);
		jw_key(w, "application/json");
		jw_obj_begin(w);
		schema_ref(w, type, ".plainCreate");
		jw_obj_end(w);
		jw_obj_end(w);
		jw_obj_end(w);
		jw_key(w, "responses");
		jw_obj_begin(w);
		written(w, "201", type, "Created: the record as a GET shows it.", 1);
		jw_key(w, "200");
		jw_obj_begin(w);
		openapi_kv(w, "description",
			   "An upsert that updated (the record), or a read with"
			   " X-HTTP-Method-Override: GET (the list).");
		jw_key(w, "content");
		jw_obj_begin(w);
		static const char *const media[] = { "application/vnd.api+json", "application/json" };
		for (int m = 0; m < 2; m++) {
			jw_key(w, media[m]);
			jw_obj_begin(w);
			jw_key(w, "schema");
			jw_obj_begin(w);
			jw_key(w, "anyOf");
			jw_arr_begin(w);
			openapi_ref(w, "schemas", "%s%s", type, m ? ".plain" : ".document");
			if (m) {
				jw_obj_begin(w);
				openapi_kv(w, "type", "array");
				jw_key(w, "items");
				openapi_ref(w, "schemas", "%s.plain", type);
				jw_obj_end(w);
			} else {
				openapi_ref(w, "schemas", "%s.collection", type);
			}
			jw_arr_end(w);
			jw_obj_end(w);
			jw_obj_end(w);
		}
		jw_obj_end(w);
		jw_obj_end(w);
	} else if (method == M_PATCH) {
		/* The batch API (section 9). */
		op_begin(op, "patch", "batch", "Create, update or upsert many records (batch)");
		params_begin(w);
		openapi_ref(w, "parameters", "X-Mode");
		jw_arr_end(w);
		request_body(w, type, ".batchDocument", NULL);
		jw_key(w, "responses");
		jw_obj_begin(w);
		jw_key(w, "202");
		jw_obj_begin(w);
		openapi_kv(w, "description",
			   "Accepted: the job runs in the background; poll the asynchronous"
			   " operation, its errors are at .../errors.");
		jw_key(w, "headers");
		jw_obj_begin(w);
		header_obj(w, "Content-Location", "string", "The asyncoperations record's URL.");
		jw_obj_end(w);
		content(w, "asyncoperations", ".document", NULL);
		jw_obj_end(w);
		jw_key(w, "200");
		jw_obj_begin(w);
		openapi_kv(w, "description",
			   "X-Mode: sync: every record written (meta.dataId, meta.includeId).");
		content(w, type, ".collection", NULL);
		jw_obj_end(w);
	} else {
		op_begin(op, "delete", "deleteList", "Delete the records the filters match");
		jw_key(w, "description");
		jw_str(w, "At least one filter is needed; at most max_delete_entities records"
			  " go per request, lowest ids first.");
		params_begin(w);
		openapi_params_refs(op->o, op->res, P_FILTERS | P_XINCL);
		jw_arr_end(w);
		jw_key(w, "responses");
		jw_obj_begin(w);
		jw_key(w, "204");
		jw_obj_begin(w);
		openapi_kv(w, "description", "Deleted.");
		jw_key(w, "headers");
		jw_obj_begin(w);
		header_obj(w, "X-Include-Total-Count", "integer",
			   "With X-Include: totalCount, the records that matched.");
		header_obj(w, "X-Include-Deleted-Count", "integer",
			   "With X-Include: deletedCount, the records deleted.");
		jw_obj_end(w);
		jw_obj_end(w);
	}
	openapi_responses_errors(op->o, errs, 0);
	jw_obj_end(w);
	jw_obj_end(w);
}

static void id_param(struct jsonw *w, const struct resource *res)
{
	jw_key(w, "parameters");
	jw_arr_begin(w);
	jw_obj_begin(w);
	openapi_kv(w, "name", "id");
	openapi_kv(w, "in", "path");
	jw_key(w, "required");
	jw_bool(w, 1);
	jw_key(w, "schema");
	openapi_schemas_plain_id(w, res);
	jw_obj_end(w);
	jw_arr_end(w);
}

/* One path with the methods the router allows on it; none when it serves
 * nothing but OPTIONS (it answers 404 then). */
static void route_path(const struct openapi *o, const struct route *rt)
{
	unsigned m = router_allowed(rt);
	if (m == M_OPTIONS)
		return;
	struct jsonw *w = o->w;
	char path[256];
	const char *type = rt->res->type;
	switch (rt->kind) {
	case ROUTE_LIST: snprintf(path, sizeof(path), "/api/%s", type); break;
	case ROUTE_ITEM: snprintf(path, sizeof(path), "/api/%s/{id}", type); break;
	case ROUTE_SUBRESOURCE:
		snprintf(path, sizeof(path), "/api/%s/{id}/%s", type, assoc_name(rt));
		break;
	default:
		snprintf(path, sizeof(path), "/api/%s/{id}/relationships/%s", type, rt->rel->name);
		break;
	}
	struct op op = { o, rt, rt->res, rt->rel ? resource_target(rt->rel) : NULL,
			 rt->kind == ROUTE_LIST || (rt->rel && rt->rel->kind == REL_TO_MANY) ||
				 (rt->kind == ROUTE_SUBRESOURCE && !rt->rel) };
	jw_key(w, path);
	jw_obj_begin(w);
	if (rt->kind != ROUTE_LIST)
		id_param(w, rt->res);
	if (m & M_OPTIONS)
		options_op(&op);
	if (m & M_GET)
		read_op(&op, 0);
	if (m & M_HEAD)
		read_op(&op, 1);
	if (m & M_PATCH)
		write_ops(&op, M_PATCH);
	if (m & M_POST)
		write_ops(&op, M_POST);
	if (m & M_DELETE)
		write_ops(&op, M_DELETE);
	jw_obj_end(w);
}

static void empty_security(struct jsonw *w)
{
	jw_key(w, "security");
	jw_arr_begin(w);
	jw_arr_end(w);
}

static void plain_options(struct jsonw *w, const char *id, const char *tag, const char *allow)
{
	jw_key(w, "options");
	jw_obj_begin(w);
	jw_key(w, "tags");
	jw_arr_begin(w);
	jw_str(w, tag);
	jw_arr_end(w);
	openapi_kv(w, "operationId", id);
	empty_security(w);
	jw_key(w, "responses");
	jw_obj_begin(w);
	jw_key(w, "200");
	jw_obj_begin(w);
	openapi_kv(w, "description", allow);
	jw_obj_end(w);
	jw_obj_end(w);
	jw_obj_end(w);
}

static void oauth_error_response(struct jsonw *w, const char *status, const char *text)
{
	jw_key(w, status);
	jw_obj_begin(w);
	openapi_kv(w, "description", text);
	if (strcmp(status, "429") == 0) {
		jw_key(w, "headers");
		jw_obj_begin(w);
		header_obj(w, "Retry-After", "string", "Seconds until the block ends.");
		jw_obj_end(w);
	}
	jw_key(w, "content");
	jw_obj_begin(w);
	jw_key(w, "application/json");
	jw_obj_begin(w);
	jw_key(w, "schema");
	openapi_ref(w, "schemas", "oauth.error");
	jw_obj_end(w);
	jw_obj_end(w);
	jw_obj_end(w);
}

/* The token endpoint (section 3.2; oauth.c serves it before the router,
 * OPTIONS and POST only). */
static void oauth_paths(const struct openapi *o)
{
	struct jsonw *w = o->w;
	static const char *const paths[] = { "/oauth2-token", "/oauth2-token/revoke" };
	for (int k = 0; k < 2; k++) {
		jw_key(w, paths[k]);
		jw_obj_begin(w);
		plain_options(w, k ? "oauth.revoke.options" : "oauth.token.options", "oauth",
			      "Allow: OPTIONS, POST; the body is empty.");
		jw_key(w, "post");
		jw_obj_begin(w);
		jw_key(w, "tags");
		jw_arr_begin(w);
		jw_str(w, "oauth");
		jw_arr_end(w);
		openapi_kv(w, "operationId", k ? "oauth.revoke" : "oauth.token");
		openapi_kv(w, "summary", k ? "Revoke a token (RFC 7009)" : "Get an access token");
		empty_security(w);
		jw_key(w, "requestBody");
		jw_obj_begin(w);
		jw_key(w, "required");
		jw_bool(w, 1);
		jw_key(w, "content");
		jw_obj_begin(w);
		static const char *const media[] = { "application/x-www-form-urlencoded",
						     "application/json" };
		for (int m = 0; m < 2; m++) {
			jw_key(w, media[m]);
			jw_obj_begin(w);
			jw_key(w, "schema");
			openapi_ref(w, "schemas", k ? "oauth.revoke" : "oauth.request");
			jw_obj_end(w);
		}
		jw_obj_end(w);
		jw_obj_end(w);
		jw_key(w, "responses");
		jw_obj_begin(w);
		jw_key(w, "200");
		jw_obj_begin(w);
		if (k) {
			openapi_kv(w, "description", "Revoked (or unknown); the body is empty.");
		} else {
			openapi_kv(w, "description", "The token (Cache-Control: no-store).");
			jw_key(w, "content");
			jw_obj_begin(w);
			jw_key(w, "application/json");
			jw_obj_begin(w);
			jw_key(w, "schema");
			openapi_ref(w, "schemas", "oauth.token");
			jw_obj_end(w);
			jw_obj_end(w);
		}
		jw_obj_end(w);
		oauth_error_response(w, "400", "A missing or bad parameter, grant or grant type.");
		oauth_error_response(w, "401", "Client authentication failed.");
		oauth_error_response(w, "429", "Too many failed authentications of the user or"
					       " client.");
		/* The service's own failures: the plain error array (the
		 * endpoint always answers application/json). */
		static const char *const errs[] = { "500", "503" };
		for (size_t i = 0; i < ARRAY_LEN(errs); i++) {
			jw_key(w, errs[i]);
			jw_obj_begin(w);
			openapi_kv(w, "description", i ? "The database is unreachable; try again after"
							 " Retry-After."
						       : "Internal error.");
			jw_key(w, "content");
			jw_obj_begin(w);
			jw_key(w, "application/json");
			jw_obj_begin(w);
			jw_key(w, "schema");
			openapi_ref(w, "schemas", "errors.plain");
			jw_obj_end(w);
			jw_obj_end(w);
			jw_obj_end(w);
		}
		jw_obj_end(w);
		jw_obj_end(w);
		jw_obj_end(w);
	}
}

/* The documentation routes (ROUTE_DOC): one row each. The schema names a
 * component of openapi_schemas.c (NULL: a string, for text media). */
static const struct {
	enum doc_kind doc;
	const char *path, *name, *media, *schema, *summary;
	int etag; /* ETag, and 304 for If-None-Match */
} doc_routes[] = {
	{ DOC_SANDBOX, "/api/doc", "sandbox", "text/html", NULL,
	  "The API sandbox: one self-contained HTML page (no credentials needed)", 0 },
	{ DOC_OPENAPI, "/api/doc/openapi.json", "openapi", "application/json", "openapi",
	  "This OpenAPI document (no credentials needed)", 1 },
};

static void doc_paths(const struct openapi *o)
{
	struct jsonw *w = o->w;
	for (size_t i = 0; i < ARRAY_LEN(doc_routes); i++) {
		struct route rt = { .kind = ROUTE_DOC, .doc = doc_routes[i].doc };
		unsigned m = router_allowed(&rt);
		char id[64];
		jw_key(w, doc_routes[i].path);
		jw_obj_begin(w);
		snprintf(id, sizeof(id), "doc.%s.options", doc_routes[i].name);
		if (m & M_OPTIONS)
			plain_options(w, id, "documentation",
				      "Allow lists the methods; the body is empty.");
		for (int head = 0; head < 2; head++) {
			if (!(m & (head ? M_HEAD : M_GET)))
				continue;
			jw_key(w, head ? "head" : "get");
			jw_obj_begin(w);
			jw_key(w, "tags");
			jw_arr_begin(w);
			jw_str(w, "documentation");
			jw_arr_end(w);
			snprintf(id, sizeof(id), "doc.%s.%s", doc_routes[i].name, head ? "head" : "get");
			openapi_kv(w, "operationId", id);
			openapi_kv(w, "summary", doc_routes[i].summary);
			empty_security(w);
			if (doc_routes[i].etag) {
				params_begin(w);
				openapi_ref(w, "parameters", "If-None-Match");
				jw_arr_end(w);
			}
			jw_key(w, "responses");
			jw_obj_begin(w);
			jw_key(w, "200");
			jw_obj_begin(w);
			openapi_kv(w, "description", "The document.");
			if (doc_routes[i].etag) {
				jw_key(w, "headers");
				jw_obj_begin(w);
				header_obj(w, "ETag", "string", "The document's entity tag.");
				jw_obj_end(w);
			}
			if (!head) {
				jw_key(w, "content");
				jw_obj_begin(w);
				jw_key(w, doc_routes[i].media);
				jw_obj_begin(w);
				jw_key(w, "schema");
				if (doc_routes[i].schema) {
					openapi_ref(w, "schemas", "%s", doc_routes[i].schema);
				} else {
					jw_obj_begin(w);
					openapi_kv(w, "type", "string");
					jw_obj_end(w);
				}
				jw_obj_end(w);
				jw_obj_end(w);
			}
			jw_obj_end(w);
			if (doc_routes[i].etag) {
				jw_key(w, "304");
				openapi_ref(w, "responses", "notModified");
			}
			openapi_responses_errors(o, 0, head);
			jw_obj_end(w);
			jw_obj_end(w);
		}
		jw_obj_end(w);
	}
}

void openapi_paths_write(const struct openapi *o)
{
	struct jsonw *w = o->w;
	size_t n;
	const struct resource *const *all = resources_all(&n);
	jw_key(w, "paths");
	jw_obj_begin(w);
	for (size_t i = 0; i < n; i++) {
		const struct resource *res = all[i];
		struct route rt = { .kind = ROUTE_LIST, .res = res };
		route_path(o, &rt);
		rt.kind = ROUTE_ITEM;
		route_path(o, &rt);
		for (size_t k = 0; k < res->n_rels; k++) {
			rt.rel = &res->rels[k];
			rt.kind = ROUTE_SUBRESOURCE;
			route_path(o, &rt);
			rt.kind = ROUTE_RELATIONSHIP;
			route_path(o, &rt);
		}
		if (res->errors_subresource) {
			struct route er = { .kind = ROUTE_SUBRESOURCE, .res = res };
			route_path(o, &er);
		}
	}
	oauth_paths(o);
	doc_paths(o);
	jw_obj_end(w);
}
