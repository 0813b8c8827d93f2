/* plain.c: see plain.h. Same data and the same fieldsets as JSON:API. */
#include "first.h"
#include "plain.h"
#include "err.h"
#include "fields.h"
#include "req.h"

void plain_id(struct jsonw *w, const struct resource *res, const char *id, size_t len)
{
	if (res && res->id_kind == ID_INT)
		jw_raw(w, id, len);
	else
		jw_strn(w, id, len);
}

/* The visitor of fields_walk for the flat object: related ids instead of
 * linkage. */
static void put_attr(void *ctx, const struct attribute *a, const struct db_value *v)
{
	struct jsonw *w = ctx;
	jw_key(w, a->name);
	fields_value(w, a, v);
}

static void put_rel_begin(void *ctx, const struct relationship *rel)
{
	struct jsonw *w = ctx;
	jw_key(w, rel->name);
	if (rel->kind == REL_TO_MANY)
		jw_arr_begin(w);
}

static void put_rel_id(void *ctx, const struct relationship *rel, const char *id, size_t len)
{
	plain_id(ctx, resource_target(rel), id, len);
}

static void put_rel_end(void *ctx, const struct relationship *rel, size_t n_ids)
{
	struct jsonw *w = ctx;
	if (rel->kind == REL_TO_MANY)
		jw_arr_end(w);
	else if (n_ids == 0)
		jw_null(w);
}

static const struct fields_visitor flat_visitor = { put_attr, put_rel_begin, put_rel_id,
						    put_rel_end };

void plain_resource(const struct render_ctx *rc, struct jsonw *w, const struct resource *res,
		    const struct db_value *row)
{
	jw_obj_begin(w);
	jw_key(w, "id");
	plain_id(w, res, row[0].s, row[0].len);
	fields_walk(rc, res, row, &flat_visitor, w);
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
		jw_member_str(&w, "title", e->title);
		jw_member_str(&w, "detail", e->detail);
		const char *member;
		jw_member_str(&w, "source", err_source(e, &member));
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
}
