/* op_related_get.c: GET of one parent record's related resources
 * (/{type}/{id}/{assoc}) and of their linkage (/{type}/{id}/relationships/
 * {assoc}); writes of linkage are op_linkage_write.c's. The parent must be in the
 * organization (else 404) and inside the user's VIEW level (else 403, as an
 * item); both types need VIEW above none (else 403); the related records are
 * those the user may VIEW. A to-one relationship's linkage is the parent's
 * foreign key as stored, like the linkage inside resource objects. */
#include "first.h"
#include "op.h"
#include "maxima.h"
#include "acl.h"
#include "arena.h"
#include "err.h"
#include "filter.h"
#include "sort.h"
#include "jsonapi.h"
#include "render.h"
#include "query.h"
#include "resource.h"
#include "select.h"
#include "sql.h"
#include "url.h"

#include <string.h>

/* Loads the parent; for a to-one relationship also its foreign key.
 * 0 found, -1 error (404 recorded when missing, 403 when outside the
 * user's VIEW level). */
static int load_parent(struct request *r, const struct db_value **fk)
{
	const struct route *rt = &r->route;
	const struct resource *res = rt->res;
	if (select_id_valid(res, rt->id, rt->id_len) < 0)
		goto missing;
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT ");
	sql_ident(&q, "p", res->id_column);
	if (rt->rel->kind == REL_TO_ONE) {
		sql_add(&q, ", ");
		sql_ident(&q, "p", rt->rel->column);
	}
	acl_column(&q, r, res, "p", ACL_VIEW);
	sql_add(&q, " FROM ");
	sql_ident(&q, NULL, res->table);
	sql_add(&q, " p WHERE ");
	sql_ident(&q, "p", res->id_column);
	sql_add(&q, " = ");
	select_bind_id(&q, res, rt->id, rt->id_len);
	select_scope(&q, r, res, "p");
	struct db_rows rows;
	if (db_query(r, &q, &rows) < 0)
		return -1;
	if (rows.n == 0)
		goto missing;
	const struct db_value *visible = &rows.cells[rows.ncols - 1];
	if (!visible->s || visible->s[0] != '1') {
		acl_deny_entity(r);
		return -1;
	}
	*fk = rt->rel->kind == REL_TO_ONE ? &rows.cells[1] : NULL;
	return 0;
missing:
	err_add(r, ERR_NOT_FOUND, "An entity with the requested identifier does not exist.");
	return -1;
}

static int to_one_linkage(struct request *r, const struct db_value *fk)
{
	const struct route *rt = &r->route;
	struct jsonw w;
	jw_init(&w, &r->body);
	if (r->plain) {
		if (fk->s)
			jsonapi_linkage(r, &w, rt->rel->target, fk->s, fk->len);
		else
			jw_null(&w);
		return 0;
	}
	jw_obj_begin(&w);
	jw_key(&w, "data");
	if (fk->s)
		jsonapi_identifier(&w, rt->rel->target, fk->s, fk->len);
	else
		jw_null(&w);
	if (!r->no_links)
		jsonapi_rel_links(r->arena, r->base, &w, rt->res->type, rt->id, rt->rel->name);
	jw_obj_end(&w);
	return 0;
}

int op_related_get(struct request *r, struct query *q)
{
	const struct route *rt = &r->route;
	int to_many = rt->rel->kind == REL_TO_MANY;
	struct filter_set *filters = NULL;
	if (acl_require_type(r, rt->res, ACL_VIEW) < 0 ||
	    acl_require_type(r, resource_target(rt->rel), ACL_VIEW) < 0)
		return -1;
	/* Relationship documents are linkage only: no include, fields or meta. */
	const struct resource *primary = rt->kind == ROUTE_RELATIONSHIP ? NULL : resource_target(rt->rel);
	int bad = query_check(r, q, primary, to_many) < 0;
	if (!primary && to_many) { /* linkage can still be sorted */
		sort_parse(r, resource_target(rt->rel), q);
		bad = bad || r->errors;
	}
	if (to_many && filter_parse(r, resource_target(rt->rel), q, &filters) < 0)
		bad = 1;
	if (bad)
		return -1;
	const struct db_value *fk = NULL;
	if (load_parent(r, &fk) < 0)
		return -1;
	r->status = 200;
	const struct resource *target = resource_target(rt->rel);
	if (!to_many) {
		if (rt->kind == ROUTE_RELATIONSHIP)
			return to_one_linkage(r, fk);
		if (!fk->s) {
			struct jsonw w;
			jw_init(&w, &r->body);
			jsonapi_doc_begin(r, &w);
			jw_null(&w);
			jsonapi_doc_end(r, &w);
			return 0;
		}
		struct render_ctx rc;
		render_ctx_init(&rc, r, q);
		return op_get_render(r, &rc, target, fk->s, fk->len, 1);
	}
	struct buf suffix;
	buf_init(&suffix, MAX_URL_TEXT);
	buf_puts(&suffix, rt->res->type);
	buf_putc(&suffix, '/');
	url_encode(&suffix, rt->id, rt->id_len);
	buf_puts(&suffix, rt->kind == ROUTE_RELATIONSHIP ? "/relationships/" : "/");
	buf_puts(&suffix, rt->rel->name);
	struct list_spec s = {
		.res = target,
		.parent_res = rt->res,
		.rel = rt->rel,
		.pid = rt->id,
		.ids_only = rt->kind == ROUTE_RELATIONSHIP,
		.self_suffix = arena_strndup(r->arena, suffix.data ? suffix.data : "", suffix.len),
		.filters = filters,
	};
	buf_free(&suffix);
	return op_list_render(r, q, &s);
}
