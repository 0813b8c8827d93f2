/* op_write.c: POST /api/{type} (create, upsert) and PATCH /api/{type}/{id}
 * (update) of section 8. The whole request is one transaction: parse and
 * check the document, store every item, make derived data exact, render
 * the answer as a GET would, then commit (or roll back for
 * meta.validate). Any error on the way leaves nothing behind: serve()
 * rolls back a transaction an operation left open. */
#include "first.h"
#include "op.h"
#include "maxima.h"
#include "acl.h"
#include "arena.h"
#include "db.h"
#include "err.h"
#include "etag.h"
#include "include.h"
#include "jsonapi.h"
#include "render.h"
#include "query.h"
#include "select.h"
#include "write.h"

#include <string.h>

/* The request's included items as batches for the rendered document
 * (*out), with q's fields[] and meta=title. */
static int load_included(struct request *r, const struct query *q, const struct write_doc *doc,
			 struct included **out)
{
	struct included **tail = out;
	for (const struct write_item *it = doc->included; it; it = it->next) {
		struct included *b = arena_alloc(r->arena, sizeof(*b));
		memset(b, 0, sizeof(*b));
		b->res = it->res;
		const char *ids[1] = { it->db_id };
		if (select_rows_by_ids(r, it->res, ids, 1, q, &b->rows) < 0)
			return -1;
		*tail = b;
		tail = &b->next;
	}
	return 0;
}

/* meta.includeId of the items doc created from its `included`. */
static const char *include_id(const void *doc, struct arena *a, const struct resource *res,
			      const char *id)
{
	return write_include_id(a, doc, res, id);
}

static int run(struct request *r, struct query *q, enum write_mode mode)
{
	const struct resource *res = r->route.res;
	if (query_check(r, q, res, 0) < 0)
		return -1;
	struct write_doc *doc = arena_alloc(r->arena, sizeof(*doc));
	if (write_doc_parse(r, mode, doc) < 0)
		return -1;
	if (db_begin(r) < 0)
		return -1;
	/* A conditional update checks access first (the items' own checks
	 * come later), then the tag; the primary item's own check is then
	 * this one (write_doc_parse holds its id to the URL's). */
	if (mode == WRITE_UPDATE && req_param(r, "HTTP_IF_MATCH")) {
		if (acl_check_item(r, res, r->route.id, r->route.id_len, ACL_EDIT) < 0 ||
		    etag_check_if_match(r, res, r->route.id, r->route.id_len, q) < 0)
			return -1;
		doc->primary->edit_checked = 1;
	}
	if (write_items_store(r, doc) < 0 || write_flush(r) < 0)
		return -1;
	struct write_item *p = doc->primary;
	struct render_ctx rc;
	render_ctx_init(&rc, r, q);
	rc.include_id = include_id;
	rc.include_id_arg = doc;
	if (load_included(r, q, doc, &rc.extra) < 0)
		return -1;
	r->status = p->created ? 201 : 200;
	if (op_get_render(r, &rc, res, p->db_id, strlen(p->db_id), 0) < 0)
		return -1;
	if (p->created) {
		struct buf url;
		buf_init(&url, MAX_URL_TEXT);
		jsonapi_url(r, &url, res->type, p->db_id);
		buf_putc(&url, '\0');
		if (!buf_failed(&url))
			req_header(r, "Location", url.data);
		buf_free(&url);
	}
	/* validate: the same answer, nothing kept. */
	return db_end(r, !doc->validate);
}

int op_create(struct request *r, struct query *q)
{
	return run(r, q, WRITE_CREATE);
}

int op_update(struct request *r, struct query *q)
{
	return run(r, q, WRITE_UPDATE);
}
