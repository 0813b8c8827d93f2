/* op_list.c: a page of a collection (section 5.1 collection document,
 * paging of 6.3, links of 5.3). One extra row is fetched to know whether a
 * next page exists. Records outside the user's VIEW level are left out by
 * the WHERE clause, so pages and counts agree (section 4). */
#include "first.h"
#include "op.h"
#include "acl.h"
#include "arena.h"
#include "db.h"
#include "err.h"
#include "filter.h"
#include "include_load.h"
#include "include_render.h"
#include "jsonapi.h"
#include "plan.h"
#include "render.h"
#include "query.h"
#include "resource.h"
#include "select.h"
#include "sql.h"

#include <string.h>

int op_list_render(struct request *r, struct query *q, const struct list_spec *spec)
{
	const struct resource *res = spec->res;
	long size = q->page_size;
	struct plan plan = { .index = NULL };
	struct list_spec planned = *spec;
	const struct list_spec *s = &planned;
	if (size != 0 && !q->past_end) {
		if (plan_list(r, q, res, spec->filters, spec->rel != NULL, size,
			      (q->page_number - 1) * (size > 0 ? size : 0), &plan) < 0)
			return -1;
		planned.force_index = plan.index;
	}
	/* An unlimited or large page streams in chunks, unless include needs
	 * the whole page at once. */
	if ((size < 0 || size > OP_STREAM_CHUNK) && !q->past_end && !s->ids_only && !q->include)
		return op_stream_list(r, q, s);
	struct db_rows rows = { 0, 0, NULL };
	while (size != 0 && !q->past_end) {
		/* A deferred plan reads the page's ids from its index alone. */
		int deferred = plan.deferred && !s->ids_only;
		struct sql sq;
		sql_init(&sq, r->arena);
		sql_add(&sq, "SELECT ");
		if (s->ids_only)
			sql_ident(&sq, "t", res->id_column);
		else
			select_columns(&sq, r, res, "t", q, q->meta_title);
		if (deferred)
			plan_open(&sq, &plan, res);
		list_page_from(r, &sq, q, s, 1);
		if (size > 0) {
			sql_add(&sq, " LIMIT ");
			sql_int(&sq, size + 1);
			sql_add(&sq, " OFFSET ");
			sql_int(&sq, (q->page_number - 1) * size);
			plan_limit(&sq, &plan);
		}
		if (deferred)
			plan_close(&sq, &plan, res);
		int rc = db_query(r, &sq, &rows);
		if (rc == DB_CUT_OFF)
			rows.n = 0; /* the bound ended the walk before its page */
		else if (rc < 0)
			return -1;
		/* A bounded walk short of a full page may have been cut off: the
		 * filter's index reads the page again, for sure. */
		if (size < 0 || rows.n > (size_t)size || plan_fallback(&plan) < 0)
			break;
		planned.force_index = plan.index;
	}
	int has_next = size > 0 && rows.n > (size_t)size;
	size_t n = has_next ? (size_t)size : rows.n;

	struct included *inc = NULL;
	if (!s->ids_only && n && include_load(r, q, res, &rows, n, &inc) < 0)
		return -1;
	if (r->want_total && list_page_total(r, q, s) < 0)
		return -1;

	struct render_ctx rc;
	render_ctx_init(&rc, r, q);
	struct jsonw w;
	jw_init(&w, &r->body);
	jsonapi_doc_begin(r, &w);
	jw_arr_begin(&w);
	for (size_t i = 0; i < n; i++) {
		const struct db_value *row = &rows.cells[i * rows.ncols];
		if (s->ids_only)
			jsonapi_linkage(r, &w, res->type, row[0].s, row[0].len);
		else
			jsonapi_resource(&rc, &w, res, row);
	}
	jw_arr_end(&w);
	if (!s->ids_only && !r->plain)
		include_render(&rc, &w, res, &rows, n, inc);
	if (!r->no_links && !r->plain)
		list_page_links(r, &w, q, s, has_next);
	jsonapi_doc_end(r, &w);
	r->status = 200;
	return 0;
}

int op_list(struct request *r, struct query *q)
{
	struct filter_set *filters = NULL;
	if (acl_require_type(r, r->route.res, ACL_VIEW) < 0)
		return -1;
	int bad = query_check(r, q, r->route.res, 1) < 0;
	if (filter_parse(r, r->route.res, q, &filters) < 0 || bad)
		return -1;
	struct list_spec s = { .res = r->route.res, .self_suffix = r->route.res->type,
			       .filters = filters };
	return op_list_render(r, q, &s);
}
