/* op_list.c: a page of a collection (section 5.1 collection document,
 * paging of 6.3, links of 5.3). One extra row is fetched to know whether a
 * next page exists. Records outside the user's VIEW level are left out by
 * the WHERE clause, so pages and counts agree (section 4). */
#include "first.h"
#include "op.h"
#include "maxima.h"
#include "acl.h"
#include "arena.h"
#include "err.h"
#include "filter.h"
#include "include_load.h"
#include "include_render.h"
#include "sort_sql.h"
#include "jsonapi.h"
#include "query.h"
#include "resource.h"
#include "select.h"
#include "sql.h"

#include <string.h>

/* Restricts the list to the records related to the parent. */
static void add_parent(struct sql *sq, const struct list_spec *s)
{
	const struct relationship *rel = s->rel;
	const struct resource *res = s->res;
	sql_add(sq, " AND ");
	if (rel->join_table) {
		sql_ident(sq, "t", res->id_column);
		sql_add(sq, " IN (SELECT ");
		sql_ident(sq, "j", rel->join_target);
		sql_add(sq, " FROM ");
		sql_ident(sq, NULL, rel->join_table);
		sql_add(sq, " j WHERE ");
		sql_ident(sq, "j", rel->join_self);
		sql_add(sq, " = ");
	} else {
		sql_ident(sq, "t", rel->target_fk);
		sql_add(sq, " = ");
	}
	select_bind_id(sq, s->parent_res, s->pid, strlen(s->pid));
	if (rel->join_table)
		sql_add(sq, ")");
}

/* " WHERE" scope, parent and filters: shared by the page and its count. */
static void add_where(struct request *r, struct sql *sq, const struct list_spec *s)
{
	sql_add(sq, " WHERE 1 = 1");
	select_visible(sq, r, s->res, "t");
	if (s->rel)
		add_parent(sq, s);
	filter_sql(r, sq, s->filters, "t");
}

void op_list_from(struct request *r, struct sql *sq, const struct query *q,
		  const struct list_spec *s, int ordered)
{
	sql_add(sq, " FROM ");
	sql_ident(sq, NULL, s->res->table);
	sql_add(sq, " t");
	if (ordered)
		sort_sql_joins(r, sq, q, "t");
	add_where(r, sq, s);
	if (ordered)
		sort_sql_order(r, sq, q, s->res, "t");
}

int op_list_total(struct request *r, const struct query *q, const struct list_spec *s)
{
	struct sql sq;
	sql_init(&sq, r->arena);
	sql_add(&sq, "SELECT COUNT(*)");
	op_list_from(r, &sq, q, s, 0);
	struct db_rows rows;
	if (db_query(r, &sq, &rows) < 0)
		return -1;
	req_header(r, "X-Include-Total-Count", rows.n ? rows.cells[0].s : "0");
	return 0;
}

void op_list_links(struct request *r, struct jsonw *w, const struct query *q,
		   const struct list_spec *s, int has_next)
{
	struct buf self;
	buf_init(&self, MAX_URL_TEXT);
	buf_puts(&self, r->base);
	buf_puts(&self, "/api/");
	buf_puts(&self, s->self_suffix);
	jw_key(w, "links");
	jw_obj_begin(w);
	jw_key(w, "self");
	jw_strn(w, self.data, self.len);
	size_t base_len = self.len;
	if (q->page_number > 1) {
		query_link(r, q, 1, &self);
		jw_key(w, "first");
		jw_strn(w, self.data, self.len);
		self.len = base_len;
		query_link(r, q, q->page_number - 1, &self);
		jw_key(w, "prev");
		jw_strn(w, self.data, self.len);
		self.len = base_len;
	}
	if (has_next) {
		query_link(r, q, q->page_number + 1, &self);
		jw_key(w, "next");
		jw_strn(w, self.data, self.len);
	}
	jw_obj_end(w);
	if (buf_failed(&self))
		w->out->failed = 1;
	buf_free(&self);
}

int op_list_render(struct request *r, struct query *q, const struct list_spec *s)
{
	const struct resource *res = s->res;
	long size = q->page_size;
	/* An unlimited or large page streams in chunks, unless include needs
	 * the whole page at once. */
	if ((size < 0 || size > OP_STREAM_CHUNK) && !q->past_end && !s->ids_only && !q->include)
		return op_stream_list(r, q, s);
	struct db_rows rows = { 0, 0, NULL };
	if (size != 0 && !q->past_end) {
		struct sql sq;
		sql_init(&sq, r->arena);
		sql_add(&sq, "SELECT ");
		if (s->ids_only)
			sql_ident(&sq, "t", res->id_column);
		else
			select_columns(&sq, r, res, "t", q->meta_title);
		op_list_from(r, &sq, q, s, 1);
		if (size > 0) {
			sql_add(&sq, " LIMIT ");
			sql_int(&sq, size + 1);
			sql_add(&sq, " OFFSET ");
			sql_int(&sq, (q->page_number - 1) * size);
		}
		if (db_query(r, &sq, &rows) < 0)
			return -1;
	}
	int has_next = size > 0 && rows.n > (size_t)size;
	size_t n = has_next ? (size_t)size : rows.n;

	struct included *inc = NULL;
	if (!s->ids_only && n && include_load(r, res, &rows, n, &inc) < 0)
		return -1;
	if (r->want_total && op_list_total(r, q, s) < 0)
		return -1;

	struct jsonw w;
	jw_init(&w, &r->body);
	jsonapi_doc_begin(r, &w);
	jw_arr_begin(&w);
	for (size_t i = 0; i < n; i++) {
		const struct db_value *row = &rows.cells[i * rows.ncols];
		if (s->ids_only)
			jsonapi_linkage(r, &w, res->type, row[0].s, row[0].len);
		else
			jsonapi_resource(r, &w, res, row);
	}
	jw_arr_end(&w);
	if (!s->ids_only && !r->plain)
		include_render(r, &w, res, &rows, n, inc);
	if (!r->no_links && !r->plain)
		op_list_links(r, &w, q, s, has_next);
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
