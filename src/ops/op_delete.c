/* op_delete.c: DELETE /api/{type}/{id} and DELETE /api/{type}?filter...
 * (sections 1 and 8), each one transaction. A record other records still
 * refer to is a 409 and stays. Deleting by filter takes at most
 * max_delete_entities matching records the user may delete, lowest ids
 * first; the rest stay for the next request. */
#include "first.h"
#include "op.h"
#include "acl.h"
#include "arena.h"
#include "config.h"
#include "db.h"
#include "err.h"
#include "etag.h"
#include "filter.h"
#include "query.h"
#include "select.h"
#include "sql.h"
#include "write.h"

#include <stdio.h>
#include <string.h>

static int referenced(struct request *r)
{
	err_add(r, ERR_CONFLICT, "The entity cannot be deleted: other records refer to it.");
	return -1;
}

/* Deletes the n ids of res (already checked) and runs its hook. */
static int delete_ids(struct request *r, const struct resource *res, const char *const *ids,
		      size_t n, unsigned long long *deleted)
{
	*deleted = 0;
	if (n == 0)
		return 0;
	r->auth_changed |= res->auth_data; /* serve.c flushes the caches */
	if (res->changing && res->changing(r, ids, n) < 0)
		return -1;
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "DELETE FROM ");
	sql_ident(&q, NULL, res->table);
	sql_add(&q, " WHERE ");
	sql_ident(&q, NULL, res->id_column);
	sql_add(&q, " IN (");
	for (size_t i = 0; i < n; i++) {
		sql_add(&q, i ? ", " : "");
		select_bind_id(&q, res, ids[i], strlen(ids[i]));
	}
	sql_add(&q, ")");
	int rc = db_exec(r, &q, deleted);
	if (rc == DB_REFERENCED)
		return referenced(r);
	return rc < 0 ? -1 : 0;
}

int op_delete(struct request *r, struct query *q)
{
	const struct resource *res = r->route.res;
	if (query_check(r, q, res, 0) < 0)
		return -1;
	if (db_begin(r) < 0)
		return -1;
	if (acl_check_item(r, res, r->route.id, r->route.id_len, ACL_DELETE) < 0 ||
	    etag_check_if_match(r, res, r->route.id, r->route.id_len, q) < 0)
		return -1;
	const char *ids[1] = { r->route.id };
	unsigned long long n;
	if (delete_ids(r, res, ids, 1, &n) < 0 || write_flush(r) < 0)
		return -1;
	r->status = 204;
	return db_end(r, 1);
}

int op_delete_list(struct request *r, struct query *q)
{
	const struct resource *res = r->route.res;
	if (acl_require_type(r, res, ACL_DELETE) < 0)
		return -1;
	struct filter_set *filters = NULL;
	int bad = query_check(r, q, res, 1) < 0;
	if (filter_parse(r, res, q, &filters) < 0 || bad)
		return -1;
	if (!filters || !filters->head) {
		struct api_error *e = err_add(r, ERR_FILTER,
					      "At least one filter must be provided.");
		if (e)
			e->parameter = "filter";
		return -1;
	}
	if (db_begin(r) < 0)
		return -1;
	struct list_spec s = { .res = res, .self_suffix = res->type, .filters = filters };
	struct sql sel;
	sql_init(&sel, r->arena);
	sql_add(&sel, "SELECT t.");
	sql_ident(&sel, NULL, res->id_column);
	list_page_from(r, &sel, q, &s, 0);
	acl_where(&sel, r, res, "t", ACL_DELETE);
	sql_add(&sel, " ORDER BY t.");
	sql_ident(&sel, NULL, res->id_column);
	sql_add(&sel, " LIMIT ");
	sql_int(&sel, r->cfg->max_delete_entities);
	sql_add(&sel, " FOR UPDATE");
	struct db_rows rows;
	if (db_query(r, &sel, &rows) < 0)
		return -1;
	if (r->want_total) {
		struct sql cnt;
		sql_init(&cnt, r->arena);
		sql_add(&cnt, "SELECT COUNT(*)");
		list_page_from(r, &cnt, q, &s, 0);
		acl_where(&cnt, r, res, "t", ACL_DELETE);
		struct db_rows c;
		if (db_query(r, &cnt, &c) < 0)
			return -1;
		req_header(r, "X-Include-Total-Count", c.n && c.cells[0].s ? c.cells[0].s : "0");
	}
	const char **ids = arena_alloc(r->arena, (rows.n + 1) * sizeof(*ids));
	for (size_t i = 0; i < rows.n; i++)
		ids[i] = rows.cells[i].s;
	unsigned long long n;
	if (delete_ids(r, res, ids, rows.n, &n) < 0 || write_flush(r) < 0)
		return -1;
	if (r->want_deleted) {
		char num[32];
		snprintf(num, sizeof(num), "%llu", n);
		req_header(r, "X-Include-Deleted-Count", num);
	}
	r->status = 204;
	return db_end(r, 1);
}
