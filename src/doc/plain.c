/* plain.c: see plain.h. Same data and the same fieldsets as JSON:API. */
#include "first.h"
#include "plain.h"
#include "config.h"
#include "err.h"
#include "jsonapi.h"
#include "linkage.h"
#include "render.h"
#include "req.h"
#include "select.h"

void plain_id(struct jsonw *w, const struct resource *res, const char *id, size_t len)
{
	if (res && res->id_kind == ID_INT)
		jw_raw(w, id, len);
	else
		jw_strn(w, id, len);
}

void plain_resource(const struct render_ctx *rc, struct jsonw *w, const struct resource *res,
		    const struct db_value *row)
{
	jw_obj_begin(w);
	jw_key(w, "id");
	plain_id(w, res, row[0].s, row[0].len);
	unsigned col = 1;
	for (size_t i = 0; i < res->n_attrs; i++) {
		const struct attribute *a = &res->attrs[i];
		if (!select_attr_visible(a))
			continue;
		const struct db_value *v = &row[col++];
		if (!render_field_wanted(rc, res, a->name))
			continue;
		jw_key(w, a->name);
		jsonapi_value(w, a, v);
	}
	for (size_t i = 0; i < res->n_rels; i++) {
		const struct relationship *rel = &res->rels[i];
		const struct resource *target = resource_target(rel);
		const struct db_value *v = &row[col++];
		if (!render_field_wanted(rc, res, rel->name))
			continue;
		jw_key(w, rel->name);
		if (rel->kind == REL_TO_ONE) {
			if (v->s)
				plain_id(w, target, v->s, v->len);
			else
				jw_null(w);
			continue;
		}
		jw_arr_begin(w);
		size_t pos = 0, len;
		const char *rid;
		while (linkage_next(v, &pos, &rid, &len))
			plain_id(w, target, rid, len);
		jw_arr_end(w);
	}
	jw_obj_end(w);
}

void plain_errors(struct request *r)
{
	buf_clear(&r->body);
	struct jsonw w;
	jw_init(&w, &r->body);
	jw_arr_begin(&w);
	for (const struct api_error *e = r->errors; e; e = e->next) {
		jw_obj_begin(&w);
		if (e->title) {
			jw_key(&w, "title");
			jw_str(&w, e->title);
		}
		if (e->detail) {
			jw_key(&w, "detail");
			jw_str(&w, e->detail);
		}
		const char *source = e->pointer ? e->pointer : e->parameter ? e->parameter : e->header;
		if (source) {
			jw_key(&w, "source");
			jw_str(&w, source);
		}
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
}
