/* list_page.c: see list_page.h. The WHERE clause carries the organization
 * scope and the user's VIEW level, so a page and its count agree
 * (section 4). */
#include "first.h"
#include "list_page.h"
#include "maxima.h"
#include "db.h"
#include "filter.h"
#include "jsonw.h"
#include "query.h"
#include "select.h"
#include "sort_sql.h"
#include "sql.h"

#include <string.h>

/* Restricts the list to the records related to the parent. */
static void add_parent(struct request *r, struct sql *sq, const struct list_spec *s)
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
	if (rel->join_table) {
		select_join_scope(sq, r, rel, "j");
		sql_add(sq, ")");
	}
}

/* " WHERE" scope, parent and filters: shared by the page and its count. */
static void add_where(struct request *r, struct sql *sq, const struct list_spec *s)
{
	sql_add(sq, " WHERE 1 = 1");
	select_visible(sq, r, s->res, "t");
	if (s->rel)
		add_parent(r, sq, s);
	filter_sql(r, sq, s->filters, "t");
}

void list_page_from(struct request *r, struct sql *sq, const struct query *q,
		    const struct list_spec *s, int ordered)
{
	sql_add(sq, " FROM ");
	sql_ident(sq, NULL, s->res->table);
	sql_add(sq, " t");
	if (ordered && s->force_index) {
		sql_add(sq, " FORCE INDEX (");
		sql_ident(sq, NULL, s->force_index);
		sql_add(sq, ")");
	}
	if (ordered)
		sort_sql_joins(r, sq, q, "t");
	add_where(r, sq, s);
	if (ordered)
		sort_sql_order(r, sq, q, s->res, "t");
}

int list_page_total(struct request *r, const struct query *q, const struct list_spec *s)
{
	struct sql sq;
	sql_init(&sq, r->arena);
	sql_add(&sq, "SELECT COUNT(*)");
	list_page_from(r, &sq, q, s, 0);
	struct db_rows rows;
	if (db_query(r, &sq, &rows) < 0)
		return -1;
	req_header(r, "X-Include-Total-Count", rows.n ? rows.cells[0].s : "0");
	return 0;
}

void list_page_links(struct request *r, struct jsonw *w, const struct query *q,
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
