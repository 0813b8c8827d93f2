/* op_get.c: one resource by id (section 5.1 single document). */
#include "first.h"
#include "op.h"
#include "err.h"
#include "include.h"
#include "jsonapi.h"
#include "query.h"
#include "resource.h"
#include "select.h"
#include "sql.h"

static void not_found(struct request *r)
{
	err_add(r, 404, "not found http exception",
		"An entity with the requested identifier does not exist.");
}

int op_get_render(struct request *r, const struct resource *res, const char *id, size_t id_len,
		  int null_if_missing)
{
	struct jsonw w;
	jw_init(&w, &r->body);
	if (select_id_valid(res, id, id_len) < 0) {
		if (!null_if_missing) {
			not_found(r);
			return -1;
		}
		jsonapi_doc_begin(r, &w);
		jw_null(&w);
		jsonapi_doc_end(r, &w);
		return 0;
	}
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT ");
	select_columns(&q, r, res, "t", r->q && r->q->meta_title);
	sql_add(&q, " FROM ");
	sql_ident(&q, NULL, res->table);
	sql_add(&q, " t WHERE ");
	sql_ident(&q, "t", res->id_column);
	sql_add(&q, " = ");
	select_bind_id(&q, res, id, id_len);
	select_scope(&q, r, res, "t");
	struct db_rows rows;
	if (db_query(r, &q, &rows) < 0)
		return -1;
	if (rows.n == 0 && !null_if_missing) {
		not_found(r);
		return -1;
	}
	struct included *inc = NULL;
	if (rows.n && include_load(r, res, &rows, 1, &inc) < 0)
		return -1;
	jsonapi_doc_begin(r, &w);
	if (rows.n)
		jsonapi_resource(r, &w, res, rows.cells);
	else
		jw_null(&w);
	if (!r->plain)
		include_render(r, &w, res, &rows, rows.n, inc);
	jsonapi_doc_end(r, &w);
	return 0;
}

int op_get(struct request *r, struct query *q)
{
	if (query_check(r, q, r->route.res, 0) < 0)
		return -1;
	r->status = 200;
	return op_get_render(r, r->route.res, r->route.id, r->route.id_len, 0);
}
