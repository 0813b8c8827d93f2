/* write_plain.c: the plain format's write body (section 5.5): one flat
 * object, attributes and relationships side by side, related records as
 * bare ids. It is rewritten into the JSON:API document write_doc.c reads,
 * so both formats share every rule and error (pointers name the JSON:API
 * members). */
#include "first.h"
#include "write.h"
#include "arena.h"
#include "err.h"

#include <stdio.h>
#include <string.h>

static void json_free_cb(void *p)
{
	json_decref(p);
}

/* {"type": target, "id": "<id as text>"}; ids may come as numbers. */
static json_t *identifier(const struct relationship *rel, json_t *id)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "type", json_string(rel->target));
	if (json_is_integer(id)) {
		char num[32];
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(id));
		json_object_set_new(o, "id", json_string(num));
	} else {
		json_object_set(o, "id", id);
	}
	return o;
}

static json_t *linkage(const struct relationship *rel, json_t *v)
{
	if (json_is_null(v))
		return json_null();
	if (!json_is_array(v))
		return json_is_object(v) ? json_incref(v) : identifier(rel, v);
	json_t *a = json_array();
	for (size_t i = 0; i < json_array_size(v); i++)
		json_array_append_new(a, identifier(rel, json_array_get(v, i)));
	return a;
}

json_t *write_plain_doc(struct request *r, json_t *flat)
{
	const struct resource *res = r->route.res;
	json_t *data = json_object(), *attrs = json_object(), *rels = json_object();
	json_t *doc = json_object();
	if (!data || !attrs || !rels || !doc) { /* jansson's malloc, not the arena */
		json_decref(data);
		json_decref(attrs);
		json_decref(rels);
		json_decref(doc);
		err_internal(r, "out of memory");
		return NULL;
	}
	arena_on_reset(r->arena, json_free_cb, doc);
	json_object_set_new(data, "type", json_string(res->type));
	if (r->route.id)
		json_object_set_new(data, "id", json_string(r->route.id));
	const char *key;
	json_t *v;
	json_object_foreach(flat, key, v) {
		const struct relationship *rel = resource_rel(res, key, strlen(key));
		if (strcmp(key, "id") == 0 || strcmp(key, "meta") == 0) {
			json_object_set(data, key, v);
		} else if (rel) {
			json_t *link = json_object();
			json_object_set_new(link, "data", linkage(rel, v));
			json_object_set_new(rels, key, link);
		} else {
			json_object_set(attrs, key, v);
		}
	}
	json_object_set_new(data, "attributes", attrs);
	if (json_object_size(rels))
		json_object_set_new(data, "relationships", rels);
	else
		json_decref(rels);
	json_object_set_new(doc, "data", data);
	return doc;
}
