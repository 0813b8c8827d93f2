/* write_doc.c: the body of a write request (section 8) turned into
 * write_items. Checks the document's shape, the type and id rules, every
 * member against the descriptors (extra, read-only, required, values via
 * value.c) and the included items' linkage and duplicates. Every error found
 * is recorded with its pointer so the client sees them all at once. What
 * needs the database (existence, uniqueness, access) is write_item.c's. */
#include "first.h"
#include "write.h"
#include "arena.h"
#include "body.h"
#include "config.h"
#include "err.h"
#include "value.h"

#include <string.h>

static void json_free_cb(void *p)
{
	json_decref(p);
}

json_t *write_body_json(struct request *r)
{
	const char *data;
	size_t len;
	if (body_read(r, &data, &len) < 0)
		return NULL;
	return write_json_parse(r, data, len);
}

json_t *write_json_parse(struct request *r, const char *data, size_t len)
{
	if (strspn(data, " \t\r\n") == len) {
		err_add(r, ERR_REQUEST_DATA, "The request data should not be empty.");
		return NULL;
	}
	json_error_t je;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		err_addf(r, ERR_BAD_REQUEST,
			 "Invalid json message received. Parsing error in [%d:%d]. %s", je.line,
			 je.column, je.text);
		return NULL;
	}
	arena_on_reset(r->arena, json_free_cb, root);
	if (!json_is_object(root)) {
		err_add(r, ERR_REQUEST_DATA, "The request data should be an object.");
		return NULL;
	}
	if (json_object_size(root) == 0) {
		err_add(r, ERR_REQUEST_DATA, "The request data should not be empty.");
		return NULL;
	}
	return root;
}

static const char *ptr_join(struct request *r, const char *base, const char *a, const char *b)
{
	return arena_printf(r->arena, "%s/%s%s%s", base, a, b ? "/" : "", b ? b : "");
}

const char *write_attr_ptr(struct request *r, const struct write_item *it, const char *name)
{
	return ptr_join(r, it->ptr, "attributes", name);
}

const char *write_rel_ptr(struct request *r, const struct write_item *it, const char *name)
{
	return arena_printf(r->arena, "%s/relationships/%s/data", it->ptr, name);
}

/* An "id" member: a string (numbers are taken as their digits). */
static const char *id_text(struct request *r, json_t *v, size_t *len)
{
	if (json_is_string(v)) {
		*len = json_string_length(v);
		return json_string_value(v);
	}
	if (json_is_integer(v)) {
		char *s = arena_printf(r->arena, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		*len = s ? strlen(s) : 0;
		return s;
	}
	return NULL;
}

static int parse_identifier(struct request *r, const struct relationship *rel, json_t *v,
			    const char *ptr, struct write_ref *out)
{
	json_t *type = json_is_object(v) ? json_object_get(v, "type") : NULL;
	json_t *id = json_is_object(v) ? json_object_get(v, "id") : NULL;
	if (!json_is_object(v) || !type || !id) {
		err_ptr(r, ERR_REQUEST_DATA,
			"The relationship data should be an object with \"type\" and \"id\".", ptr);
		return -1;
	}
	if (!json_is_string(type) || strcmp(json_string_value(type), rel->target) != 0) {
		err_ptr(r, ERR_REQUEST_DATA,
			arena_printf(r->arena, "The 'type' property should be \"%s\".", rel->target),
			arena_printf(r->arena, "%s/type", ptr));
		return -1;
	}
	out->id = id_text(r, id, &out->len);
	if (!out->id) {
		err_ptr(r, ERR_REQUEST_DATA, "The 'id' property should be a string.",
			arena_printf(r->arena, "%s/id", ptr));
		return -1;
	}
	out->ptr = ptr;
	return 0;
}

int write_parse_linkage(struct request *r, const struct relationship *rel, json_t *data,
			const char *ptr, struct write_rel *out)
{
	out->present = 1;
	if (rel->kind == REL_TO_ONE) {
		if (json_is_null(data)) {
			out->n = 0;
			return 0;
		}
		if (!json_is_object(data)) {
			err_ptr(r, ERR_REQUEST_DATA, "The 'data' property should be an object or null.",
				ptr);
			return -1;
		}
		out->refs = arena_alloc(r->arena, sizeof(*out->refs));
		out->n = 1;
		return parse_identifier(r, rel, data, ptr, out->refs);
	}
	if (!json_is_array(data)) {
		err_ptr(r, ERR_REQUEST_DATA, "The 'data' property should be an array.", ptr);
		return -1;
	}
	out->n = json_array_size(data);
	out->refs = arena_alloc(r->arena, (out->n ? out->n : 1) * sizeof(*out->refs));
	int rc = 0;
	for (size_t i = 0; i < out->n; i++) {
		const char *p = arena_printf(r->arena, "%s/%zu", ptr, i);
		if (parse_identifier(r, rel, json_array_get(data, i), p, &out->refs[i]) < 0)
			rc = -1;
	}
	return rc;
}

static const struct attribute *find_attr(const struct resource *res, const char *name, size_t *idx)
{
	for (size_t i = 0; i < res->n_attrs; i++)
		if (strcmp(res->attrs[i].name, name) == 0) {
			*idx = i;
			return &res->attrs[i];
		}
	return NULL;
}

static void extra_field(struct request *r, const char *name, const char *ptr)
{
	err_ptr(r, ERR_EXTRA_FIELDS,
		arena_printf(r->arena, "This form should not contain extra fields: \"%s\".", name), ptr);
}

static void not_blank(struct request *r, const char *ptr)
{
	err_ptr(r, ERR_NOT_BLANK, "This value should not be blank.", ptr);
}

static int parse_attributes(struct request *r, struct write_item *it, json_t *attrs)
{
	if (!json_is_object(attrs)) {
		err_ptr(r, ERR_REQUEST_DATA, "The 'attributes' property should be an object.",
			arena_printf(r->arena, "%s/attributes", it->ptr));
		return -1;
	}
	int rc = 0;
	const char *key;
	json_t *v;
	json_object_foreach(attrs, key, v) {
		size_t i;
		const struct attribute *a = find_attr(it->res, key, &i);
		const char *ptr = write_attr_ptr(r, it, key);
		if (!a || (a->flags & A_RO)) {
			extra_field(r, key, ptr);
			rc = -1;
			continue;
		}
		struct value_error e;
		struct write_attr *wa = &it->attrs[i];
		if (value_parse(r->arena, a, v, &wa->text, &wa->len, &e) < 0) {
			err_ptr(r, e.kind, e.detail, ptr);
			rc = -1;
			continue;
		}
		wa->present = 1;
		if ((a->flags & A_REQ) && (!wa->text || wa->len == 0)) {
			not_blank(r, ptr);
			rc = -1;
		} else if ((a->type == T_BOOL || (a->flags & A_HASHED)) && !wa->text) {
			/* Boolean columns are NOT NULL (they have defaults); a
			 * password is changed, never removed, through the API. */
			err_ptr(r, ERR_NOT_NULL, "This value should not be null.", ptr);
			rc = -1;
		}
	}
	return rc;
}

static int parse_relationships(struct request *r, struct write_item *it, json_t *rels)
{
	if (!json_is_object(rels)) {
		err_ptr(r, ERR_REQUEST_DATA, "The 'relationships' property should be an object.",
			arena_printf(r->arena, "%s/relationships", it->ptr));
		return -1;
	}
	int rc = 0;
	const char *key;
	json_t *v;
	json_object_foreach(rels, key, v) {
		const struct relationship *rel = resource_rel(it->res, key, strlen(key));
		const char *ptr = arena_printf(r->arena, "%s/relationships/%s", it->ptr, key);
		if (!rel || (rel->flags & R_RO)) {
			extra_field(r, key, ptr);
			rc = -1;
			continue;
		}
		json_t *data = json_is_object(v) ? json_object_get(v, "data") : NULL;
		if (!data) {
			err_ptr(r, ERR_REQUEST_DATA, "The 'data' property is required.",
				arena_printf(r->arena, "%s/data", ptr));
			rc = -1;
			continue;
		}
		struct write_rel *wr = &it->rels[rel - it->res->rels];
		if (write_parse_linkage(r, rel, data, write_rel_ptr(r, it, key), wr) < 0) {
			rc = -1;
			continue;
		}
		/* A to-one that cannot be empty: the owner, required ones. */
		if (rel->kind == REL_TO_ONE && wr->n == 0 && !(rel->flags & R_NULLABLE)) {
			not_blank(r, write_rel_ptr(r, it, key));
			rc = -1;
		}
	}
	return rc;
}

/* The pointer of a meta option: the contract names them from the top
 * ("/meta/upsert") for the primary data. */
static const char *meta_ptr(struct request *r, const struct write_item *it, const char *opt)
{
	if (strcmp(it->ptr, "/data") == 0)
		return opt ? arena_printf(r->arena, "/meta/%s", opt) : "/meta";
	return opt ? arena_printf(r->arena, "%s/meta/%s", it->ptr, opt)
		   : arena_printf(r->arena, "%s/meta", it->ptr);
}

static int parse_upsert(struct request *r, struct write_item *it, json_t *v, enum write_mode mode)
{
	const char *ptr = meta_ptr(r, it, "upsert");
	if (json_is_true(v)) {
		if (it->res->id_kind != ID_STRING) {
			err_ptr(r, ERR_VALUE,
				"The upsert operation cannot use the entity identifier to find an entity.",
				ptr);
			return -1;
		}
		it->upsert = 1;
		return 0;
	}
	if (!json_is_array(v) || json_array_size(v) == 0 || mode == WRITE_UPDATE) {
		err_ptr(r, ERR_VALUE,
			mode == WRITE_UPDATE && json_is_array(v)
				? "The upsert operation by fields is supported only when creating."
				: "The value should be true or a list of unique fields.",
			ptr);
		return -1;
	}
	size_t n = json_array_size(v);
	const char **f = arena_alloc(r->arena, n * sizeof(*f));
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(v, i);
		size_t idx;
		const struct attribute *a =
			json_is_string(e) ? find_attr(it->res, json_string_value(e), &idx) : NULL;
		if (!a || (a->flags & (A_RO | A_WO)) || a->type == T_TEXT) {
			err_ptr(r, ERR_VALUE,
				arena_printf(r->arena,
					     "The \"%s\" field is not allowed for the upsert operation.",
					     json_is_string(e) ? json_string_value(e) : "?"),
				ptr);
			return -1;
		}
		f[i] = a->name;
	}
	it->upsert = 1;
	it->upsert_fields = f;
	it->n_upsert_fields = n;
	return 0;
}

static int parse_meta(struct request *r, struct write_item *it, json_t *meta, enum write_mode mode,
		      int primary, struct write_doc *doc)
{
	if (!json_is_object(meta)) {
		err_ptr(r, ERR_REQUEST_DATA, "The 'meta' property should be an object.",
			meta_ptr(r, it, NULL));
		return -1;
	}
	json_t *upsert = json_object_get(meta, "upsert");
	json_t *update = json_object_get(meta, "update");
	json_t *validate = json_object_get(meta, "validate");
	int on = (upsert && !json_is_false(upsert)) + json_is_true(update) + json_is_true(validate);
	if (on > 1) {
		err_ptr(r, ERR_REQUEST_DATA, "Only one meta option can be used.", meta_ptr(r, it, NULL));
		return -1;
	}
	if (validate && !json_is_boolean(validate)) {
		err_ptr(r, ERR_VALUE, "This value should be of type boolean.",
			meta_ptr(r, it, "validate"));
		return -1;
	}
	if (update && !json_is_boolean(update)) {
		err_ptr(r, ERR_VALUE, "This value should be of type boolean.",
			meta_ptr(r, it, "update"));
		return -1;
	}
	if (json_is_true(validate)) {
		if (doc->batch) {
			err_ptr(r, ERR_REQUEST_DATA,
				"The validate option is not supported by the batch API.",
				meta_ptr(r, it, "validate"));
			return -1;
		}
		if (!primary) {
			err_ptr(r, ERR_REQUEST_DATA, "The validate option is for the primary data only.",
				meta_ptr(r, it, "validate"));
			return -1;
		}
		doc->validate = 1;
	}
	if (json_is_true(update)) {
		if (primary && !doc->batch) {
			err_ptr(r, ERR_REQUEST_DATA, "The update option is for included data only.",
				meta_ptr(r, it, "update"));
			return -1;
		}
		it->update = 1;
	}
	if (upsert && !json_is_false(upsert))
		return parse_upsert(r, it, upsert, mode);
	return 0;
}

/* Parses one resource object. The item's type must already be known. */
static int parse_object(struct request *r, struct write_item *it, json_t *obj,
			enum write_mode mode, int primary, struct write_doc *doc)
{
	int rc = 0;
	json_t *id = json_object_get(obj, "id");
	if (id && !json_is_null(id)) {
		it->client_id = id_text(r, id, &it->client_id_len);
		if (!it->client_id || it->client_id_len == 0) {
			err_ptr(r, ERR_REQUEST_DATA, "The 'id' property should be a not empty string.",
				arena_printf(r->arena, "%s/id", it->ptr));
			return -1;
		}
	}
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		if (strcmp(key, "type") == 0 || strcmp(key, "id") == 0 || strcmp(key, "links") == 0)
			continue;
		if (strcmp(key, "meta") == 0) {
			if (parse_meta(r, it, v, mode, primary, doc) < 0)
				rc = -1;
		} else if (strcmp(key, "attributes") == 0) {
			if (parse_attributes(r, it, v) < 0)
				rc = -1;
		} else if (strcmp(key, "relationships") == 0) {
			if (parse_relationships(r, it, v) < 0)
				rc = -1;
		} else {
			err_ptr(r, ERR_REQUEST_DATA,
				arena_printf(r->arena, "The '%s' property is not allowed here.", key),
				arena_printf(r->arena, "%s/%s", it->ptr, key));
			rc = -1;
		}
	}
	return rc;
}

int write_check_required(struct request *r, const struct write_item *it)
{
	int rc = 0;
	const struct resource *res = it->res;
	for (size_t i = 0; i < res->n_attrs; i++)
		if ((res->attrs[i].flags & A_REQ) && !it->attrs[i].present) {
			not_blank(r, write_attr_ptr(r, it, res->attrs[i].name));
			rc = -1;
		}
	for (size_t i = 0; i < res->n_rels; i++)
		if ((res->rels[i].flags & R_REQ) && !it->rels[i].present) {
			not_blank(r, write_rel_ptr(r, it, res->rels[i].name));
			rc = -1;
		}
	return rc;
}

struct write_item *write_item_new(struct request *r, const struct resource *res, const char *ptr)
{
	struct write_item *it = arena_alloc(r->arena, sizeof(*it));
	it->res = res;
	it->ptr = ptr;
	it->attrs = arena_alloc(r->arena, (res->n_attrs + 1) * sizeof(*it->attrs));
	it->rels = arena_alloc(r->arena, (res->n_rels + 1) * sizeof(*it->rels));
	return it;
}

/* pointer + "/" + member, in the arena. */
static const char *sub(struct request *r, const char *ptr, const char *member)
{
	return arena_printf(r->arena, "%s/%s", ptr, member);
}

static int parse_primary(struct request *r, enum write_mode mode, const struct write_src *src,
			 struct write_doc *doc)
{
	const struct resource *res = src->res;
	json_t *data = src->data;
	const char *ptr = src->ptr;
	if (!data || json_is_null(data)) {
		err_ptr(r, ERR_REQUEST_DATA, "The primary data object should not be empty.", ptr);
		return -1;
	}
	if (!json_is_object(data)) {
		err_ptr(r, ERR_REQUEST_DATA, "The primary data object should be an object.", ptr);
		return -1;
	}
	json_t *type = json_object_get(data, "type");
	if (!type) {
		err_ptr(r, ERR_REQUEST_DATA, "The 'type' property is required", sub(r, ptr, "type"));
		return -1;
	}
	if (!json_is_string(type) || strcmp(json_string_value(type), res->type) != 0) {
		err_ptr(r, ERR_CONFLICT,
			"The 'type' property of the primary data object should match the requested"
			" resource.",
			sub(r, ptr, "type"));
		return -1;
	}
	struct write_item *it = write_item_new(r, res, ptr);
	doc->primary = it;
	int rc = parse_object(r, it, data, mode, 1, doc);
	if (mode == WRITE_UPDATE) {
		/* An upsert finds out whether the record exists (write_item.c). */
		it->update = !it->upsert;
		if (!json_object_get(data, "id")) {
			err_ptr(r, ERR_REQUEST_DATA, "The 'id' property is required", sub(r, ptr, "id"));
			return -1;
		}
		if (!it->client_id || it->client_id_len != r->route.id_len ||
		    memcmp(it->client_id, r->route.id, it->client_id_len) != 0) {
			err_ptr(r, ERR_CONFLICT,
				"The 'id' property of the primary data object should match the 'id'"
				" parameter of the query string.",
				sub(r, ptr, "id"));
			return -1;
		}
	} else if (it->update) {
		/* A batch record with meta.update names the record it changes. */
		if (!it->client_id) {
			err_ptr(r, ERR_REQUEST_DATA, "The 'id' property is required", sub(r, ptr, "id"));
			rc = -1;
		}
	} else if (res->id_kind == ID_STRING && !it->client_id) {
		err_ptr(r, ERR_ENTITY_ID, "The identifier is mandatory", sub(r, ptr, "id"));
		rc = -1;
	}
	/* organizations take only updates (section 12); a single write never
	 * gets here (the route has no POST). An upsert that would create is
	 * refused when its lookup finds nothing (write_item.c). */
	if (!it->update && !it->upsert && !(res->actions & ACT_CREATE)) {
		err_ptr(r, ERR_REQUEST_DATA, WRITE_NO_CREATE, ptr);
		rc = -1;
	}
	return rc;
}

static int parse_included(struct request *r, enum write_mode mode, const struct write_src *src,
			  struct write_doc *doc)
{
	json_t *inc = src->included;
	if (!json_is_array(inc)) {
		err_ptr(r, ERR_REQUEST_DATA, "The 'included' property should be an array.", "/included");
		return -1;
	}
	size_t n = src->inc ? src->n_inc : json_array_size(inc);
	/* Each item costs several statements in one transaction: bounded. */
	if (n > (size_t)r->cfg->max_included_items) {
		err_ptr(r, ERR_REQUEST_DATA,
			arena_printf(r->arena, "Too many included items: at most %ld.",
				     r->cfg->max_included_items),
			src->inc ? src->ptr : "/included");
		return -1;
	}
	int rc = 0;
	struct write_item **tail = &doc->included;
	for (size_t k = 0; k < n; k++) {
		size_t i = src->inc ? src->inc[k] : k;
		json_t *obj = json_array_get(inc, i);
		const char *ptr = arena_printf(r->arena, "/included/%zu", i);
		json_t *type = json_is_object(obj) ? json_object_get(obj, "type") : NULL;
		json_t *id = json_is_object(obj) ? json_object_get(obj, "id") : NULL;
		if (!json_is_object(obj) || !type || !id) {
			err_ptr(r, ERR_REQUEST_DATA,
				"An included item should be an object with \"type\" and \"id\".", ptr);
			rc = -1;
			continue;
		}
		const struct resource *res =
			json_is_string(type) ? resources_find(json_string_value(type),
							      json_string_length(type))
					     : NULL;
		if (!res || !(res->actions & ACT_CREATE)) {
			err_ptr(r, ERR_ENTITY_TYPE,
				arena_printf(r->arena, "Unknown entity type: %s.",
					     json_is_string(type) ? json_string_value(type) : "?"),
				arena_printf(r->arena, "%s/type", ptr));
			rc = -1;
			continue;
		}
		struct write_item *it = write_item_new(r, res, ptr);
		it->index = i;
		it->pos = doc->n_included;
		if (parse_object(r, it, obj, mode, 0, doc) < 0)
			rc = -1;
		*tail = it;
		tail = &it->next;
		doc->n_included++;
	}
	return rc;
}

static int same_item(const struct write_item *a, const struct write_item *b)
{
	return a->res == b->res && a->client_id && b->client_id &&
	       a->client_id_len == b->client_id_len &&
	       memcmp(a->client_id, b->client_id, a->client_id_len) == 0;
}

/* Points each reference that names an included item (or the primary, or
 * a known item) at it; reports included duplicates. */
static int resolve_refs(struct request *r, struct write_doc *doc, struct write_item *known)
{
	int rc = 0;
	for (struct write_item *it = doc->included; it; it = it->next)
		for (struct write_item *o = doc->included; o != it; o = o->next)
			if (same_item(it, o)) {
				err_ptr(r, ERR_REQUEST_DATA,
					arena_printf(r->arena,
						     "The item duplicates the item with the index %zu",
						     o->index),
					it->ptr);
				rc = -1;
				break;
			}
	struct write_item *all = doc->primary;
	for (struct write_item *it = all; it; it = it == all ? doc->included : it->next)
		for (size_t k = 0; k < it->res->n_rels; k++) {
			struct write_rel *wr = &it->rels[k];
			const struct resource *target = resource_target(&it->res->rels[k]);
			for (size_t j = 0; j < wr->n; j++) {
				struct write_ref *ref = &wr->refs[j];
				struct write_item probe = { .res = target, .client_id = ref->id,
							    .client_id_len = ref->len };
				for (struct write_item *o = all; o && !ref->item;
				     o = o == all ? doc->included : o->next)
					if (same_item(&probe, o))
						ref->item = o;
				for (struct write_item *o = known; o && !ref->item; o = o->next)
					if (same_item(&probe, o))
						ref->item = o;
			}
		}
	return rc;
}

/* Every included item must be reachable from the primary through
 * references in either direction. */
static int check_linked(struct request *r, struct write_doc *doc)
{
	size_t n = doc->n_included;
	if (!n)
		return 0;
	char *linked = arena_alloc(r->arena, n);
	struct write_item **items = arena_alloc(r->arena, n * sizeof(*items));
	memset(linked, 0, n);
	size_t i = 0;
	for (struct write_item *it = doc->included; it; it = it->next)
		items[i++] = it;
	/* Fixpoint over the edges; n is small (bounded by the body size). */
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t a = 0; a < n + 1; a++) {
			struct write_item *from = a == n ? doc->primary : items[a];
			int from_linked = a == n || linked[a];
			for (size_t k = 0; k < from->res->n_rels; k++)
				for (size_t j = 0; j < from->rels[k].n; j++) {
					struct write_item *to = from->rels[k].refs[j].item;
					if (!to || to->known)
						continue;
					int to_linked = to == doc->primary || linked[to->pos];
					if (from_linked && !to_linked && to != doc->primary) {
						linked[to->pos] = 1;
						changed = 1;
					} else if (to_linked && !from_linked) {
						linked[a] = 1;
						from_linked = 1;
						changed = 1;
					}
				}
		}
	}
	int rc = 0;
	for (i = 0; i < n; i++)
		if (!linked[i]) {
			err_ptr(r, ERR_REQUEST_DATA,
				"The entity should have a relationship with the primary entity",
				items[i]->ptr);
			rc = -1;
		}
	return rc;
}

int write_doc_build(struct request *r, enum write_mode mode, const struct write_src *src,
		    struct write_doc *doc)
{
	memset(doc, 0, sizeof(*doc));
	doc->batch = src->batch;
	int rc = parse_primary(r, mode, src, doc);
	if (!doc->primary)
		return -1;
	if (src->included && parse_included(r, mode, src, doc) < 0)
		rc = -1;
	if (rc < 0)
		return -1;
	/* Required members of what will be created. An upsert is checked
	 * once the lookup said it creates (write_item.c): when it finds the
	 * record it is an update, and only the members sent change. */
	if (!doc->primary->update && !doc->primary->upsert &&
	    write_check_required(r, doc->primary) < 0)
		rc = -1;
	for (struct write_item *it = doc->included; it; it = it->next)
		if (!it->update && !it->upsert && write_check_required(r, it) < 0)
			rc = -1;
	if (resolve_refs(r, doc, src->known) < 0)
		rc = -1;
	/* A batch checked the linkage of its whole document when it read it. */
	if (rc == 0 && !src->inc && check_linked(r, doc) < 0)
		rc = -1;
	return rc;
}

int write_doc_parse(struct request *r, enum write_mode mode, struct write_doc *doc)
{
	memset(doc, 0, sizeof(*doc));
	json_t *root = write_body_json(r);
	if (root && r->plain)
		root = write_plain_doc(r, root);
	if (!root)
		return -1;
	struct write_src src = { .res = r->route.res,
				 .data = json_object_get(root, "data"),
				 .ptr = "/data",
				 .included = json_object_get(root, "included") };
	return write_doc_build(r, mode, &src, doc);
}

const char *write_include_id(struct arena *a, const struct write_doc *doc,
			     const struct resource *res, const char *id)
{
	if (!doc || !id)
		return NULL;
	for (const struct write_item *it = doc->included; it; it = it->next)
		if (it->res == res && it->created && it->db_id && strcmp(it->db_id, id) == 0)
			return arena_strndup(a, it->client_id, it->client_id_len);
	return NULL;
}
