/* openapi_schemas.c: the component schemas of the OpenAPI document, from
 * the descriptors. Responses and requests have their own schemas: a
 * response shows every attribute but the write-only ones (blank ones are
 * null), a request takes every member but the read-only ones. Formats
 * follow section 5.4 (money is a decimal string). Batch documents and the
 * asynchronous operation's summary follow section 9. */
#include "first.h"
#include "openapi_int.h"

#include <stdio.h>
#include <string.h>

enum side { RESPONSE, REQUEST };

static void kv_int(struct jsonw *w, const char *key, long long v)
{
	jw_key(w, key);
	jw_int(w, v);
}

static void empty_object(struct jsonw *w, const char *key)
{
	jw_key(w, key);
	jw_obj_begin(w);
	openapi_kv(w, "type", "object");
	jw_obj_end(w);
}

/* The section 9 summary of a finished asynchronous operation. */
static void summary_schema(struct jsonw *w)
{
	static const char *const counts[] = { "aggregateTime", "readCount", "writeCount",
					      "errorCount", "createCount", "updateCount" };
	jw_obj_begin(w);
	openapi_kv(w, "type", "object");
	jw_key(w, "properties");
	jw_obj_begin(w);
	for (size_t i = 0; i < ARRAY_LEN(counts); i++) {
		jw_key(w, counts[i]);
		jw_obj_begin(w);
		openapi_kv(w, "type", "integer");
		kv_int(w, "minimum", 0);
		jw_obj_end(w);
	}
	jw_obj_end(w);
	jw_obj_end(w);
}

static void flags_text(struct jsonw *w, const struct resource *res, const struct attribute *a)
{
	char d[200] = "";
	size_t o = 0;
	if (a->flags & A_REQ)
		o += (size_t)snprintf(d + o, sizeof(d) - o, "Required on create. ");
	if (a->flags & A_UNIQ)
		o += (size_t)snprintf(d + o, sizeof(d) - o, "Unique. ");
	if (a->flags & A_RO)
		o += (size_t)snprintf(d + o, sizeof(d) - o, "Read-only. ");
	if (a->flags & A_WO)
		o += (size_t)snprintf(d + o, sizeof(d) - o, "Write-only: never shown. ");
	if (a->type == T_MONEY)
		o += (size_t)snprintf(d + o, sizeof(d) - o,
				      "A decimal string with 4 decimals (input may be a number). ");
	if (a->type == T_TEXT)
		o += (size_t)snprintf(d + o, sizeof(d) - o, "Text: filterable by exists only. ");
	(void)res;
	while (o && d[o - 1] == ' ')
		d[--o] = '\0';
	if (o)
		openapi_kv(w, "description", d);
}

static void attr_schema(struct jsonw *w, const struct resource *res, const struct attribute *a,
			enum side side)
{
	int null = !(a->flags & A_REQ) || side == RESPONSE;
	if (a->type == T_JSON) {
		jw_obj_begin(w);
		if (strcmp(res->type, "asyncoperations") == 0 && strcmp(a->name, "summary") == 0) {
			jw_key(w, "oneOf");
			jw_arr_begin(w);
			openapi_ref(w, "schemas", "asyncoperations.summary");
			jw_obj_begin(w);
			openapi_kv(w, "type", "null");
			jw_obj_end(w);
			jw_arr_end(w);
		}
		if (side == RESPONSE && (a->flags & A_RO)) {
			jw_key(w, "readOnly");
			jw_bool(w, 1);
		}
		flags_text(w, res, a);
		jw_obj_end(w);
		return;
	}
	jw_obj_begin(w);
	switch (a->type) {
	case T_INT:
		openapi_type(w, "integer", null);
		if (a->flags & A_UNSIGNED)
			kv_int(w, "minimum", 0);
		break;
	case T_DECIMAL:
		openapi_type(w, "number", null);
		break;
	case T_BOOL:
		openapi_type(w, "boolean", null);
		break;
	case T_STRING:
	case T_TEXT:
		openapi_type(w, "string", null);
		if (a->max_len)
			kv_int(w, "maxLength", a->max_len);
		if (a->min_len)
			kv_int(w, "minLength", a->min_len);
		if (a->flags & A_EMAIL)
			openapi_kv(w, "format", "email");
		break;
	case T_ENUM:
		openapi_type(w, "string", null);
		jw_key(w, "enum");
		jw_arr_begin(w);
		for (const char *const *v = a->values; v && *v; v++)
			jw_str(w, *v);
		if (null)
			jw_null(w);
		jw_arr_end(w);
		break;
	case T_MONEY:
		openapi_type(w, "string", null);
		openapi_kv(w, "pattern", side == RESPONSE ? "^-?[0-9]+\\.[0-9]{4}$"
							  : "^-?[0-9]+(\\.[0-9]+)?$");
		break;
	case T_DATETIME:
		openapi_type(w, "string", null);
		openapi_kv(w, "format", "date-time");
		break;
	case T_DATE:
		openapi_type(w, "string", null);
		openapi_kv(w, "format", "date");
		break;
	case T_JSON:
		break;
	}
	if (side == RESPONSE && (a->flags & A_RO)) {
		jw_key(w, "readOnly");
		jw_bool(w, 1);
	}
	if (side == REQUEST && (a->flags & A_WO)) {
		jw_key(w, "writeOnly");
		jw_bool(w, 1);
	}
	flags_text(w, res, a);
	jw_obj_end(w);
}

static int attr_shown(const struct attribute *a, enum side side)
{
	return side == RESPONSE ? !(a->flags & A_WO) : !(a->flags & A_RO);
}

static int rel_shown(const struct relationship *rel, enum side side)
{
	return side == RESPONSE || !(rel->flags & R_RO);
}

static void str_const(struct jsonw *w, const char *key, const char *value)
{
	jw_key(w, key);
	jw_obj_begin(w);
	openapi_kv(w, "const", value);
	jw_obj_end(w);
}

static void id_string(struct jsonw *w, const struct resource *res)
{
	jw_obj_begin(w);
	openapi_kv(w, "type", "string");
	if (res->id_kind == ID_INT)
		openapi_kv(w, "pattern", "^[0-9]+$");
	else if (res->id_max_len)
		kv_int(w, "maxLength", res->id_max_len);
	jw_obj_end(w);
}

void openapi_schemas_plain_id(struct jsonw *w, const struct resource *res)
{
	jw_obj_begin(w);
	if (res && res->id_kind == ID_INT) {
		openapi_kv(w, "type", "integer");
		kv_int(w, "minimum", 1);
	} else {
		openapi_kv(w, "type", "string");
		if (res && res->id_max_len)
			kv_int(w, "maxLength", res->id_max_len);
	}
	jw_obj_end(w);
}

static void null_schema(struct jsonw *w)
{
	jw_obj_begin(w);
	openapi_kv(w, "type", "null");
	jw_obj_end(w);
}

/* data of a relationship: identifier, identifier or null, or an array. */
static void linkage_schema(const struct openapi *o, const struct relationship *rel, int nullable)
{
	struct jsonw *w = o->w;
	jw_obj_begin(w);
	if (rel->kind == REL_TO_MANY) {
		openapi_kv(w, "type", "array");
		jw_key(w, "items");
		openapi_ref(w, "schemas", "%s.identifier", rel->target);
	} else if (nullable) {
		jw_key(w, "oneOf");
		jw_arr_begin(w);
		openapi_ref(w, "schemas", "%s.identifier", rel->target);
		null_schema(w);
		jw_arr_end(w);
	} else {
		char name[96];
		snprintf(name, sizeof(name), "%s.identifier", rel->target);
		openapi_ref_member(w, "schemas", name);
	}
	jw_obj_end(w);
}

static void required_list(struct jsonw *w, const char *const *names, size_t n)
{
	if (!n)
		return;
	jw_key(w, "required");
	jw_arr_begin(w);
	for (size_t i = 0; i < n; i++)
		jw_str(w, names[i]);
	jw_arr_end(w);
}

static void no_extras(struct jsonw *w)
{
	jw_key(w, "additionalProperties");
	jw_bool(w, 0);
}

/* Opens an object schema without other members than its "properties",
 * which it leaves open: the caller closes both. */
static void closed_object_begin(struct jsonw *w)
{
	jw_obj_begin(w);
	openapi_kv(w, "type", "object");
	no_extras(w);
	jw_key(w, "properties");
	jw_obj_begin(w);
}

/* "attributes" and "relationships" of a JSON:API resource object. */
static void members(const struct openapi *o, const struct resource *res, enum side side,
		    int create)
{
	struct jsonw *w = o->w;
	const char *req[64];
	size_t nreq = 0;
	jw_key(w, "attributes");
	closed_object_begin(w);
	for (size_t i = 0; i < res->n_attrs; i++) {
		const struct attribute *a = &res->attrs[i];
		if (!attr_shown(a, side))
			continue;
		jw_key(w, a->name);
		attr_schema(w, res, a, side);
		if (create && (a->flags & A_REQ) && nreq < ARRAY_LEN(req))
			req[nreq++] = a->name;
	}
	jw_obj_end(w);
	required_list(w, req, nreq);
	jw_obj_end(w);
	nreq = 0;
	jw_key(w, "relationships");
	closed_object_begin(w);
	for (size_t i = 0; i < res->n_rels; i++) {
		const struct relationship *rel = &res->rels[i];
		if (!rel_shown(rel, side))
			continue;
		jw_key(w, rel->name);
		closed_object_begin(w);
		if (side == RESPONSE) {
			jw_key(w, "links");
			openapi_ref(w, "schemas", "links.relationship");
		}
		jw_key(w, "data");
		/* A response's to-one may be null (nothing linked, or not
		 * visible); a request may send null unless it is required. */
		linkage_schema(o, rel, side == RESPONSE || !(rel->flags & R_REQ));
		jw_obj_end(w);
		static const char *const data[] = { "data" };
		required_list(w, data, 1);
		if (side == RESPONSE && (rel->flags & R_RO)) {
			jw_key(w, "readOnly");
			jw_bool(w, 1);
		}
		jw_obj_end(w);
		if (create && (rel->flags & R_REQ) && nreq < ARRAY_LEN(req))
			req[nreq++] = rel->name;
	}
	jw_obj_end(w);
	required_list(w, req, nreq);
	jw_obj_end(w);
}

static void begin_schema(struct jsonw *w, const char *type, const char *suffix)
{
	char name[96];
	snprintf(name, sizeof(name), "%s%s", type, suffix);
	jw_key(w, name);
	jw_obj_begin(w);
	openapi_kv(w, "type", "object");
}

/* Opens schema type+suffix of an object with a constant "type" and the
 * type's "id", and no other members than those its caller adds to the
 * open "properties". */
static void identified_begin(struct jsonw *w, const struct resource *res, const char *suffix)
{
	begin_schema(w, res->type, suffix);
	static const char *const req[] = { "type", "id" };
	required_list(w, req, 2);
	no_extras(w);
	jw_key(w, "properties");
	jw_obj_begin(w);
	str_const(w, "type", res->type);
	jw_key(w, "id");
	id_string(w, res);
}

/* T: the resource object of a response (section 5.2). */
static void response_object(const struct openapi *o, const struct resource *res)
{
	struct jsonw *w = o->w;
	identified_begin(w, res, "");
	jw_key(w, "meta");
	jw_obj_begin(w);
	openapi_kv(w, "type", "object");
	openapi_kv(w, "description",
		   "title with meta=title; includeId for an item a write's included created;"
		   " dataId in a synchronous batch's answer.");
	jw_key(w, "properties");
	jw_obj_begin(w);
	static const char *const meta[] = { "title", "includeId", "dataId" };
	for (size_t i = 0; i < ARRAY_LEN(meta); i++) {
		jw_key(w, meta[i]);
		jw_obj_begin(w);
		openapi_kv(w, "type", "string");
		jw_obj_end(w);
	}
	jw_obj_end(w);
	jw_obj_end(w);
	jw_key(w, "links");
	openapi_ref(w, "schemas", "links.self");
	members(o, res, RESPONSE, 0);
	jw_obj_end(w);
	jw_obj_end(w);
}

static void identifier(const struct openapi *o, const struct resource *res)
{
	struct jsonw *w = o->w;
	identified_begin(w, res, ".identifier");
	jw_obj_end(w);
	jw_obj_end(w);
}

/* The plain format's flat object (section 5.5): related ids instead of
 * linkage. */
static void plain_object(const struct openapi *o, const struct resource *res, enum side side,
			 const char *suffix, int create)
{
	struct jsonw *w = o->w;
	const char *req[64];
	size_t nreq = 0;
	begin_schema(w, res->type, suffix);
	no_extras(w);
	if (side == RESPONSE || (create && res->id_kind == ID_STRING))
		req[nreq++] = "id";
	jw_key(w, "properties");
	jw_obj_begin(w);
	jw_key(w, "id");
	openapi_schemas_plain_id(w, res);
	for (size_t i = 0; i < res->n_attrs; i++) {
		const struct attribute *a = &res->attrs[i];
		if (!attr_shown(a, side))
			continue;
		jw_key(w, a->name);
		attr_schema(w, res, a, side);
		if (create && (a->flags & A_REQ) && nreq < ARRAY_LEN(req))
			req[nreq++] = a->name;
	}
	for (size_t i = 0; i < res->n_rels; i++) {
		const struct relationship *rel = &res->rels[i];
		if (!rel_shown(rel, side))
			continue;
		const struct resource *t = resource_target(rel);
		jw_key(w, rel->name);
		jw_obj_begin(w);
		if (rel->kind == REL_TO_MANY) {
			openapi_kv(w, "type", "array");
			jw_key(w, "items");
			openapi_schemas_plain_id(w, t);
		} else {
			jw_key(w, "oneOf");
			jw_arr_begin(w);
			openapi_schemas_plain_id(w, t);
			null_schema(w);
			jw_arr_end(w);
		}
		jw_obj_end(w);
		if (create && (rel->flags & R_REQ) && nreq < ARRAY_LEN(req))
			req[nreq++] = rel->name;
	}
	jw_obj_end(w);
	required_list(w, req, nreq);
	jw_obj_end(w);
}

static void bool_member(struct jsonw *w, const char *name, const char *text)
{
	jw_key(w, name);
	jw_obj_begin(w);
	openapi_kv(w, "type", "boolean");
	if (text)
		openapi_kv(w, "description", text);
	jw_obj_end(w);
}

/* meta.upsert: true (match by id: client-id types) or the fields to match
 * by (POST and batches). */
static void upsert_member(struct jsonw *w, const struct resource *res, int by_fields)
{
	jw_key(w, "upsert");
	jw_obj_begin(w);
	openapi_kv(w, "description",
		   "Update the record that matches (by id, or by these fields), else create it.");
	jw_key(w, "oneOf");
	jw_arr_begin(w);
	if (res->id_kind == ID_STRING) {
		jw_obj_begin(w);
		jw_key(w, "const");
		jw_bool(w, 1);
		jw_obj_end(w);
	}
	if (by_fields) {
		jw_obj_begin(w);
		openapi_kv(w, "type", "array");
		kv_int(w, "minItems", 1);
		jw_key(w, "items");
		jw_obj_begin(w);
		jw_key(w, "enum");
		jw_arr_begin(w);
		for (size_t i = 0; i < res->n_attrs; i++)
			if (!(res->attrs[i].flags & (A_RO | A_WO)))
				jw_str(w, res->attrs[i].name);
		jw_arr_end(w);
		jw_obj_end(w);
		jw_obj_end(w);
	}
	if (res->id_kind != ID_STRING && !by_fields) {
		jw_obj_begin(w);
		jw_key(w, "const");
		jw_bool(w, 0);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}

enum request_kind { CREATE, UPDATE, BATCH_ITEM };

/* T.create, T.update, T.batchItem: the resource object a write sends. */
static void request_object(const struct openapi *o, const struct resource *res,
			   enum request_kind k)
{
	struct jsonw *w = o->w;
	begin_schema(w, res->type, k == CREATE ? ".create" : k == UPDATE ? ".update" : ".batchItem");
	const char *req[3] = { "type" };
	size_t nreq = 1;
	if (k == UPDATE || (k == CREATE && res->id_kind == ID_STRING))
		req[nreq++] = "id";
	required_list(w, req, nreq);
	no_extras(w);
	jw_key(w, "properties");
	jw_obj_begin(w);
	str_const(w, "type", res->type);
	jw_key(w, "id");
	jw_obj_begin(w);
	openapi_kv(w, "type", "string");
	if (res->id_kind == ID_STRING && res->id_max_len)
		kv_int(w, "maxLength", res->id_max_len);
	openapi_kv(w, "description",
		   res->id_kind == ID_STRING
			   ? "The record's id, chosen by the client."
			   : k == UPDATE ? "Equal to the id of the route."
					 : "A reference inside the request only: the service makes the id.");
	jw_obj_end(w);
	jw_key(w, "meta");
	jw_obj_begin(w);
	openapi_kv(w, "type", "object");
	openapi_kv(w, "description", "At most one of the flags may be true.");
	no_extras(w);
	jw_key(w, "properties");
	jw_obj_begin(w);
	if (k == BATCH_ITEM)
		bool_member(w, "update", "Update the record with this id instead of creating one.");
	if (k != UPDATE || res->id_kind == ID_STRING)
		upsert_member(w, res, k != UPDATE);
	if (k != BATCH_ITEM)
		bool_member(w, "validate", "Run the whole request and roll it back.");
	jw_obj_end(w);
	jw_obj_end(w);
	members(o, res, REQUEST, k == CREATE);
	jw_obj_end(w);
	jw_obj_end(w);
}

static void included_array(const struct openapi *o, const char *item, long max)
{
	struct jsonw *w = o->w;
	jw_key(w, "included");
	jw_obj_begin(w);
	openapi_kv(w, "type", "array");
	if (max > 0)
		kv_int(w, "maxItems", max);
	jw_key(w, "items");
	openapi_ref(w, "schemas", "%s", item);
	jw_obj_end(w);
}

/* A document: data (one object of schema item, an array of them, or
 * either with null), included, links. */
static void document(const struct openapi *o, const struct resource *res, const char *suffix,
		     const char *item, int array, int request)
{
	struct jsonw *w = o->w;
	begin_schema(w, res->type, suffix);
	static const char *const req[] = { "data" };
	required_list(w, req, 1);
	jw_key(w, "properties");
	jw_obj_begin(w);
	jw_key(w, "data");
	jw_obj_begin(w);
	if (array) {
		openapi_kv(w, "type", "array");
		if (request)
			kv_int(w, "minItems", 1);
		jw_key(w, "items");
		openapi_ref(w, "schemas", "%s%s", res->type, item);
	} else {
		char name[96];
		snprintf(name, sizeof(name), "%s%s", res->type, item);
		openapi_ref_member(w, "schemas", name);
	}
	jw_obj_end(w);
	if (request) {
		included_array(o, "includedItem", o->cfg->max_included_items);
	} else {
		included_array(o, "resource", 0);
		if (array) {
			jw_key(w, "links");
			openapi_ref(w, "schemas", "links.collection");
		}
	}
	jw_obj_end(w);
	jw_obj_end(w);
}

static void type_schemas(const struct openapi *o, const struct resource *res)
{
	response_object(o, res);
	identifier(o, res);
	plain_object(o, res, RESPONSE, ".plain", 0);
	request_object(o, res, CREATE);
	request_object(o, res, UPDATE);
	request_object(o, res, BATCH_ITEM);
	plain_object(o, res, REQUEST, ".plainCreate", 1);
	plain_object(o, res, REQUEST, ".plainUpdate", 0);
	document(o, res, ".document", "", 0, 0);
	document(o, res, ".collection", "", 1, 0);
	document(o, res, ".createDocument", ".create", 0, 1);
	document(o, res, ".updateDocument", ".update", 0, 1);
	document(o, res, ".batchDocument", ".batchItem", 1, 1);
}

static void string_member(struct jsonw *w, const char *name, const char *format)
{
	jw_key(w, name);
	jw_obj_begin(w);
	openapi_kv(w, "type", "string");
	if (format)
		openapi_kv(w, "format", format);
	jw_obj_end(w);
}

static void links_schema(struct jsonw *w, const char *name, const char *const *keys, size_t n,
			 size_t nreq)
{
	jw_key(w, name);
	jw_obj_begin(w);
	openapi_kv(w, "type", "object");
	jw_key(w, "properties");
	jw_obj_begin(w);
	for (size_t i = 0; i < n; i++)
		string_member(w, keys[i], "uri");
	jw_obj_end(w);
	required_list(w, keys, nreq);
	jw_obj_end(w);
}

static void any_of_types(const struct openapi *o, const char *name, const char *suffix)
{
	struct jsonw *w = o->w;
	size_t n;
	const struct resource *const *all = resources_all(&n);
	jw_key(w, name);
	jw_obj_begin(w);
	jw_key(w, "anyOf");
	jw_arr_begin(w);
	for (size_t i = 0; i < n; i++)
		openapi_ref(w, "schemas", "%s%s", all[i]->type, suffix);
	jw_arr_end(w);
	jw_obj_end(w);
}

static void errors_schemas(struct jsonw *w)
{
	jw_key(w, "errors");
	jw_obj_begin(w);
	openapi_kv(w, "type", "object");
	static const char *const req[] = { "errors" };
	required_list(w, req, 1);
	jw_key(w, "properties");
	jw_obj_begin(w);
	jw_key(w, "errors");
	jw_obj_begin(w);
	openapi_kv(w, "type", "array");
	kv_int(w, "minItems", 1);
	jw_key(w, "items");
	jw_obj_begin(w);
	openapi_kv(w, "type", "object");
	static const char *const ereq[] = { "status", "title" };
	required_list(w, ereq, 2);
	no_extras(w);
	jw_key(w, "properties");
	jw_obj_begin(w);
	jw_key(w, "status");
	jw_obj_begin(w);
	openapi_kv(w, "type", "string");
	openapi_kv(w, "pattern", "^[45][0-9][0-9]$");
	jw_obj_end(w);
	string_member(w, "title", NULL);
	string_member(w, "detail", NULL);
	jw_key(w, "source");
	jw_obj_begin(w);
	openapi_kv(w, "type", "object");
	no_extras(w);
	kv_int(w, "minProperties", 1);
	kv_int(w, "maxProperties", 1);
	jw_key(w, "properties");
	jw_obj_begin(w);
	string_member(w, "pointer", NULL);
	string_member(w, "parameter", NULL);
	string_member(w, "header", NULL);
	jw_obj_end(w);
	jw_obj_end(w);
	jw_obj_end(w);
	jw_obj_end(w);
	jw_obj_end(w);
	jw_obj_end(w);
	jw_obj_end(w);

	jw_key(w, "errors.plain");
	jw_obj_begin(w);
	openapi_kv(w, "type", "array");
	kv_int(w, "minItems", 1);
	jw_key(w, "items");
	jw_obj_begin(w);
	openapi_kv(w, "type", "object");
	static const char *const preq[] = { "title" };
	required_list(w, preq, 1);
	no_extras(w);
	jw_key(w, "properties");
	jw_obj_begin(w);
	string_member(w, "title", NULL);
	string_member(w, "detail", NULL);
	string_member(w, "source", NULL);
	jw_obj_end(w);
	jw_obj_end(w);
	jw_obj_end(w);
}

static void oauth_schemas(struct jsonw *w)
{
	jw_key(w, "oauth.request");
	jw_obj_begin(w);
	openapi_kv(w, "type", "object");
	openapi_kv(w, "description",
		   "The client authenticates with client_id and client_secret here or with HTTP"
		   " Basic. password needs username and password; refresh_token needs"
		   " refresh_token.");
	static const char *const req[] = { "grant_type" };
	required_list(w, req, 1);
	jw_key(w, "properties");
	jw_obj_begin(w);
	jw_key(w, "grant_type");
	jw_obj_begin(w);
	openapi_kv(w, "type", "string");
	jw_key(w, "enum");
	jw_arr_begin(w);
	jw_str(w, "client_credentials");
	jw_str(w, "password");
	jw_str(w, "refresh_token");
	jw_arr_end(w);
	jw_obj_end(w);
	static const char *const params[] = { "client_id", "client_secret", "username", "password",
					      "refresh_token" };
	for (size_t i = 0; i < ARRAY_LEN(params); i++)
		string_member(w, params[i], NULL);
	jw_obj_end(w);
	jw_obj_end(w);

	jw_key(w, "oauth.revoke");
	jw_obj_begin(w);
	openapi_kv(w, "type", "object");
	static const char *const rreq[] = { "token" };
	required_list(w, rreq, 1);
	jw_key(w, "properties");
	jw_obj_begin(w);
	static const char *const rparams[] = { "token", "token_type_hint", "client_id",
					       "client_secret" };
	for (size_t i = 0; i < ARRAY_LEN(rparams); i++)
		string_member(w, rparams[i], NULL);
	jw_obj_end(w);
	jw_obj_end(w);

	jw_key(w, "oauth.token");
	jw_obj_begin(w);
	openapi_kv(w, "type", "object");
	static const char *const treq[] = { "token_type", "expires_in", "access_token" };
	required_list(w, treq, 3);
	no_extras(w);
	jw_key(w, "properties");
	jw_obj_begin(w);
	str_const(w, "token_type", "Bearer");
	jw_key(w, "expires_in");
	jw_obj_begin(w);
	openapi_kv(w, "type", "integer");
	jw_obj_end(w);
	string_member(w, "access_token", NULL);
	string_member(w, "refresh_token", NULL);
	jw_obj_end(w);
	jw_obj_end(w);

	jw_key(w, "oauth.error");
	jw_obj_begin(w);
	openapi_kv(w, "type", "object");
	static const char *const ereq[] = { "error", "error_description" };
	required_list(w, ereq, 2);
	no_extras(w);
	jw_key(w, "properties");
	jw_obj_begin(w);
	jw_key(w, "error");
	jw_obj_begin(w);
	openapi_kv(w, "type", "string");
	jw_key(w, "enum");
	jw_arr_begin(w);
	static const char *const codes[] = { "invalid_request", "invalid_client", "invalid_grant",
					     "unauthorized_client", "unsupported_grant_type",
					     "temporarily_unavailable" };
	for (size_t i = 0; i < ARRAY_LEN(codes); i++)
		jw_str(w, codes[i]);
	jw_arr_end(w);
	jw_obj_end(w);
	string_member(w, "error_description", NULL);
	string_member(w, "hint", NULL);
	jw_obj_end(w);
	jw_obj_end(w);
}

/* The errors of an asynchronous operation (section 9: type
 * asyncoperationerrors, integer status, title, detail, source.pointer into
 * the original body), for as long as no descriptor describes them: the
 * errors subresource refers to these names. */
static void async_errors(const struct openapi *o)
{
	struct jsonw *w = o->w;
	static const char type[] = ASYNC_ERRORS_TYPE;
	if (resources_find(type, sizeof(type) - 1))
		return;
	begin_schema(w, type, "");
	static const char *const req[] = { "type", "id" };
	required_list(w, req, 2);
	jw_key(w, "properties");
	jw_obj_begin(w);
	str_const(w, "type", type);
	string_member(w, "id", NULL);
	jw_key(w, "links");
	openapi_ref(w, "schemas", "links.self");
	jw_key(w, "attributes");
	jw_obj_begin(w);
	openapi_kv(w, "type", "object");
	jw_key(w, "properties");
	jw_obj_begin(w);
	jw_key(w, "status");
	jw_obj_begin(w);
	openapi_kv(w, "type", "integer");
	jw_obj_end(w);
	string_member(w, "title", NULL);
	string_member(w, "detail", NULL);
	jw_key(w, "source");
	jw_obj_begin(w);
	openapi_type(w, "object", 1);
	jw_key(w, "properties");
	jw_obj_begin(w);
	string_member(w, "pointer", NULL);
	jw_obj_end(w);
	jw_obj_end(w);
	jw_obj_end(w);
	jw_obj_end(w);
	jw_obj_end(w);
	jw_obj_end(w);

	begin_schema(w, type, ".identifier");
	jw_key(w, "properties");
	jw_obj_begin(w);
	str_const(w, "type", type);
	string_member(w, "id", NULL);
	jw_obj_end(w);
	jw_obj_end(w);

	begin_schema(w, type, ".plain");
	jw_obj_end(w);

	begin_schema(w, type, ".collection");
	static const char *const dreq[] = { "data" };
	required_list(w, dreq, 1);
	jw_key(w, "properties");
	jw_obj_begin(w);
	jw_key(w, "data");
	jw_obj_begin(w);
	openapi_kv(w, "type", "array");
	jw_key(w, "items");
	openapi_ref(w, "schemas", "%s", type);
	jw_obj_end(w);
	jw_key(w, "links");
	openapi_ref(w, "schemas", "links.collection");
	jw_obj_end(w);
	jw_obj_end(w);
}

void openapi_schemas_write(const struct openapi *o)
{
	struct jsonw *w = o->w;
	size_t n;
	const struct resource *const *all = resources_all(&n);
	jw_key(w, "schemas");
	jw_obj_begin(w);
	for (size_t i = 0; i < n; i++)
		type_schemas(o, all[i]);
	any_of_types(o, "resource", "");

	jw_key(w, "includedItem");
	jw_obj_begin(w);
	openapi_kv(w, "type", "object");
	openapi_kv(w, "description",
		   "A related record created (or, with meta.update, updated) with the primary"
		   " one; its id is a reference unique in the request, echoed as"
		   " meta.includeId.");
	static const char *const ireq[] = { "type" };
	required_list(w, ireq, 1);
	jw_key(w, "properties");
	jw_obj_begin(w);
	jw_key(w, "type");
	jw_obj_begin(w);
	jw_key(w, "enum");
	jw_arr_begin(w);
	for (size_t i = 0; i < n; i++)
		jw_str(w, all[i]->type);
	jw_arr_end(w);
	jw_obj_end(w);
	string_member(w, "id", NULL);
	jw_key(w, "meta");
	jw_obj_begin(w);
	openapi_kv(w, "type", "object");
	jw_key(w, "properties");
	jw_obj_begin(w);
	bool_member(w, "update", NULL);
	jw_obj_end(w);
	jw_obj_end(w);
	empty_object(w, "attributes");
	empty_object(w, "relationships");
	jw_obj_end(w);
	jw_obj_end(w);

	static const char *const self[] = { "self" };
	links_schema(w, "links.self", self, 1, 1);
	static const char *const rel[] = { "self", "related" };
	links_schema(w, "links.relationship", rel, 2, 2);
	static const char *const coll[] = { "self", "next", "first", "prev" };
	links_schema(w, "links.collection", coll, 4, 1);
	errors_schemas(w);
	oauth_schemas(w);
	jw_key(w, "asyncoperations.summary");
	summary_schema(w);
	async_errors(o);

	jw_key(w, "filterBody");
	jw_obj_begin(w);
	openapi_kv(w, "type", "object");
	openapi_kv(w, "description",
		   "With X-HTTP-Method-Override: GET, the filters of a list read:"
		   " {\"filter\": {\"id\": {\"gt\": \"5\"}}} or {\"filter[id][gt]\": \"5\"}.");
	jw_obj_end(w);
	jw_key(w, "openapi");
	jw_obj_begin(w);
	openapi_kv(w, "type", "object");
	openapi_kv(w, "description", "This document.");
	static const char *const oreq[] = { "openapi", "paths" };
	required_list(w, oreq, 2);
	jw_obj_end(w);
	jw_obj_end(w);
}
