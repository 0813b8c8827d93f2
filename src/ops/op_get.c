/* op_get.c: one resource by id (section 5.1 single document): 403 when the
 * type or the record is outside the user's VIEW level (section 4), 404
 * when the record is missing or in another organization. */
#include "first.h"
#include "op.h"
#include "acl.h"
#include "err.h"
#include "etag.h"
#include "include_load.h"
#include "include_render.h"
#include "jsonapi.h"
#include "render.h"
#include "query.h"
#include "resource.h"
#include "select.h"
#include "sql.h"

#include <string.h>

static void not_found(struct request *r)
{
	err_add(r, ERR_NOT_FOUND, "An entity with the requested identifier does not exist.");
}

int op_get_render(struct request *r, const struct render_ctx *rc, const struct resource *res,
		  const char *id, size_t id_len, int null_if_missing)
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
	/* One query finds the record in the organization and says whether it
	 * is inside the user's VIEW level: 404 and 403 told apart. */
	int with_title = render_title(rc);
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT ");
	select_columns(&q, r, res, "t", rc->q, with_title);
	acl_column(&q, r, res, "t", ACL_VIEW);
	select_from_id(&q, r, res, id, id_len);
	struct db_rows rows;
	if (db_query(r, &q, &rows) < 0)
		return -1;
	if (rows.n == 0 && !null_if_missing) {
		not_found(r);
		return -1;
	}
	if (rows.n) {
		const struct db_value *visible = &rows.cells[select_ncols(res) + (with_title ? 1 : 0)];
		if (!visible->s || visible->s[0] != '1') {
			acl_deny_entity(r);
			return -1;
		}
	}
	struct included *inc = NULL;
	if (rows.n && include_load(r, rc->q, res, &rows, 1, &inc) < 0)
		return -1;
	if (rows.n) {
		/* A write's own included items join what include= asked for. */
		struct included **tail = &inc;
		while (*tail)
			tail = &(*tail)->next;
		*tail = rc->extra;
		char tag[ETAG_SIZE];
		etag_of_rows(res, rows.cells, inc, tag);
		req_header(r, "ETag", tag);
	}
	jsonapi_doc_begin(r, &w);
	if (rows.n)
		jsonapi_resource(rc, &w, res, rows.cells);
	else
		jw_null(&w);
	if (!r->plain)
		include_render(rc, &w, res, &rows, rows.n, inc);
	jsonapi_doc_end(r, &w);
	return 0;
}

int op_get(struct request *r, struct query *q)
{
	if (acl_require_type(r, r->route.res, ACL_VIEW) < 0 || query_check(r, q, r->route.res, 0) < 0)
		return -1;
	r->status = 200;
	struct render_ctx rc;
	render_ctx_init(&rc, r, q);
	if (op_get_render(r, &rc, r->route.res, r->route.id, r->route.id_len, 0) < 0)
		return -1;
	/* If-None-Match naming the current tag: 304, no body (section 7). */
	const char *inm = req_param(r, "HTTP_IF_NONE_MATCH");
	const char *tag = NULL;
	for (const struct header *h = inm ? r->headers : NULL; h; h = h->next)
		if (strcmp(h->name, "ETag") == 0)
			tag = h->value;
	if (tag && etag_matches(inm, tag)) {
		r->status = 304;
		r->body.len = 0;
	}
	return 0;
}
