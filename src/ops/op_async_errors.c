/* op_async_errors.c: GET /api/asyncoperations/{id}/errors (section 9): a
 * page of the operation's errors as `asyncoperationerrors` resources with
 * integer status, title, detail and source.pointer into the batch's body.
 * The operation is checked as op_related_get checks a parent (404 outside
 * the organization, 403 outside the user's VIEW level). The errors are no
 * resource type of their own (nothing else reaches them): no descriptor,
 * no item route. Rows are written as they are read. */
#include "first.h"
#include "op.h"
#include "acl.h"
#include "arena.h"
#include "err.h"
#include "jsonapi.h"
#include "jsonw.h"
#include "list_page.h"
#include "query.h"
#include "resource.h"
#include "select.h"
#include "sql.h"

#include <string.h>

struct page {
	struct request *r;
	struct jsonw *w;
	long size;
	long rows;
};

static int write_error(void *ctx, const struct db_value *c, unsigned ncols)
{
	struct page *p = ctx;
	struct jsonw *w = p->w;
	(void)ncols;
	if (p->size >= 0 && p->rows == p->size) {
		p->rows++; /* the extra row: a next page exists */
		return 1;
	}
	p->rows++;
	jw_obj_begin(w);
	if (p->r->plain) {
		jw_key(w, "id");
		jw_raw(w, c[0].s, c[0].len);
	} else {
		jw_key(w, "type");
		jw_str(w, ASYNC_ERRORS_TYPE);
		jw_key(w, "id");
		jw_strn(w, c[0].s, c[0].len);
		jw_key(w, "attributes");
		jw_obj_begin(w);
	}
	jw_key(w, "status");
	jw_raw(w, c[1].s, c[1].len);
	jw_key(w, "title");
	jw_strn(w, c[2].s, c[2].len);
	jw_key(w, "detail");
	if (c[3].s)
		jw_strn(w, c[3].s, c[3].len);
	else
		jw_null(w);
	jw_key(w, "source");
	if (c[4].s) {
		jw_obj_begin(w);
		jw_key(w, "pointer");
		jw_strn(w, c[4].s, c[4].len);
		jw_obj_end(w);
	} else {
		jw_null(w);
	}
	if (!p->r->plain)
		jw_obj_end(w);
	jw_obj_end(w);
	return 0;
}

/* 0 when the operation is the request's to see; -1 with 404 (outside the
 * organization or missing) or 403 (outside the user's VIEW level). */
static int check_operation(struct request *r)
{
	const struct route *rt = &r->route;
	return acl_check_item(r, rt->res, rt->id, rt->id_len, ACL_VIEW);
}

int op_async_errors(struct request *r, struct query *q)
{
	/* Paging only: the errors have nothing to filter, sort or include. */
	if (query_check(r, q, NULL, 1) < 0)
		return -1;
	for (size_t i = 0; i < q->n; i++) {
		const struct qparam *p = &q->params[i];
		if (strncmp(p->name, "filter", 6) == 0 || strcmp(p->name, "sort") == 0 ||
		    strcmp(p->name, "include") == 0) {
			struct api_error *e = err_add(r, ERR_FILTER, "The filter is not supported.");
			if (e)
				e->parameter = p->raw_name;
		}
	}
	if (r->errors || check_operation(r) < 0)
		return -1;
	struct jsonw w;
	jw_init(&w, &r->body);
	r->status = 200;
	jsonapi_doc_begin(r, &w);
	jw_arr_begin(&w);
	struct page pg = { r, &w, q->page_size, 0 };
	if (q->page_size != 0 && !q->past_end) {
		struct sql sq;
		sql_init(&sq, r->arena);
		sql_add(&sq, "SELECT id, status, title, detail, pointer FROM async_operation_errors"
			     " WHERE operation_id = ");
		select_bind_id(&sq, r->route.res, r->route.id, r->route.id_len);
		sql_add(&sq, " ORDER BY id");
		if (q->page_size > 0) {
			sql_add(&sq, " LIMIT ");
			sql_int(&sq, q->page_size + 1);
			sql_add(&sq, " OFFSET ");
			sql_int(&sq, (q->page_number - 1) * q->page_size);
		}
		if (db_query_each(r, &sq, write_error, &pg) < 0)
			return -1;
	}
	jw_arr_end(&w);
	if (!r->plain && !r->no_links) {
		char *suffix = arena_printf(r->arena, "%s/%s/errors", r->route.res->type, r->route.id);
		struct list_spec s = { .res = r->route.res, .self_suffix = suffix };
		list_page_links(r, &w, q, &s, q->page_size >= 0 && pg.rows > q->page_size);
	}
	jsonapi_doc_end(r, &w);
	return 0;
}
