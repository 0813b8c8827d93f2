/* op_batch_sync.c: PATCH /api/{type} with X-Mode: sync (section 9). All
 * or nothing, in request order: every record in one transaction (a
 * failing record fails the request, every record's errors reported with
 * pointers into the body), at most BATCH_SYNC_MAX_DATA records and
 * BATCH_SYNC_MAX_INCLUDED included items. The answer: 200 with the records
 * as a GET renders them (fields, include, meta=title), those that carried
 * an id with meta.dataId, and the included items (meta.includeId for the
 * new ones). */
#include "first.h"
#include "op.h"
#include "arena.h"
#include "batch_items.h"
#include "db.h"
#include "err.h"
#include "include.h"
#include "include_load.h"
#include "include_render.h"
#include "jsonapi.h"
#include "query.h"
#include "render.h"
#include "select.h"

#include <string.h>
#include <strings.h>

#define BATCH_SYNC_MAX_DATA 100
#define BATCH_SYNC_MAX_INCLUDED 50

struct sync_run {
	const struct batch_doc *doc;
	const struct batch_outcome *out;     /* per record, in request order */
	const struct batch_outcome *inc_out; /* per included item */
	const struct resource **inc_res;     /* per included item */
};

static int same_id(const struct resource *res, const char *a, const char *b)
{
	return res->id_kind == ID_INT ? strcmp(a, b) == 0 : strcasecmp(a, b) == 0;
}

static const char *data_id(const void *arg, struct arena *a, const struct resource *res,
			   const char *id)
{
	const struct sync_run *s = arg;
	if (res != s->doc->res)
		return NULL;
	for (size_t i = 0; i < s->doc->n_data; i++)
		if (s->doc->data_id[i] && s->out[i].db_id && same_id(res, s->out[i].db_id, id))
			return arena_strdup(a, s->doc->data_id[i]);
	return NULL;
}

static const char *include_id(const void *arg, struct arena *a, const struct resource *res,
			      const char *id)
{
	const struct sync_run *s = arg;
	for (size_t j = 0; j < s->doc->n_included; j++)
		if (s->inc_res[j] == res && s->inc_out[j].created && s->inc_out[j].db_id &&
		    same_id(res, s->inc_out[j].db_id, id))
			return arena_strdup(a, s->doc->inc_id[j]);
	return NULL;
}

static int check_limits(struct request *r, const struct batch_doc *doc)
{
	int rc = 0;
	if (doc->n_data > BATCH_SYNC_MAX_DATA) {
		err_ptr(r, ERR_REQUEST_DATA,
			arena_printf(r->arena,
				     "The synchronous mode takes at most %d primary records.",
				     BATCH_SYNC_MAX_DATA),
			"/data");
		rc = -1;
	}
	if (doc->n_included > BATCH_SYNC_MAX_INCLUDED) {
		err_ptr(r, ERR_REQUEST_DATA,
			arena_printf(r->arena,
				     "The synchronous mode takes at most %d included records.",
				     BATCH_SYNC_MAX_INCLUDED),
			"/included");
		rc = -1;
	}
	return rc;
}

/* The records' rows in request order (rows come back ordered by id). */
static int load_records(struct request *r, const struct query *q, const struct sync_run *s,
			struct db_rows *ordered)
{
	const struct resource *res = s->doc->res;
	size_t n = s->doc->n_data;
	const char **ids = arena_alloc(r->arena, n * sizeof(*ids));
	for (size_t i = 0; i < n; i++)
		ids[i] = s->out[i].db_id;
	struct db_rows rows;
	if (select_rows_by_ids(r, res, ids, n, q, &rows) < 0)
		return -1;
	ordered->ncols = rows.ncols;
	ordered->n = 0;
	ordered->cells = arena_alloc(r->arena, (n * rows.ncols + 1) * sizeof(*ordered->cells));
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < rows.n; k++) {
			const struct db_value *row = &rows.cells[k * rows.ncols];
			if (!same_id(res, row[0].s, ids[i]))
				continue;
			/* A record the user may create but not view is left out,
			 * as a list would leave it out. */
			memcpy(&ordered->cells[ordered->n * rows.ncols], row,
			       rows.ncols * sizeof(*row));
			ordered->n++;
			break;
		}
	return 0;
}

/* The included items stored, one batch per type, after *tail. */
static int load_included(struct request *r, const struct query *q, const struct sync_run *s,
			 struct included **tail)
{
	size_t ni = s->doc->n_included;
	unsigned char *done = arena_alloc(r->arena, ni + 1);
	const char **ids = arena_alloc(r->arena, (ni + 1) * sizeof(*ids));
	while (*tail)
		tail = &(*tail)->next;
	for (size_t j = 0; j < ni; j++) {
		if (done[j] || !s->inc_out[j].db_id)
			continue;
		size_t n = 0;
		for (size_t k = j; k < ni; k++)
			if (!done[k] && s->inc_out[k].db_id && s->inc_res[k] == s->inc_res[j]) {
				ids[n++] = s->inc_out[k].db_id;
				done[k] = 1;
			}
		struct included *b = arena_alloc(r->arena, sizeof(*b));
		b->res = s->inc_res[j];
		if (select_rows_by_ids(r, b->res, ids, n, q, &b->rows) < 0)
			return -1;
		*tail = b;
		tail = &b->next;
	}
	return 0;
}

int op_batch_sync(struct request *r, struct query *q, struct batch_doc *doc)
{
	const struct resource *res = doc->res;
	if (query_check(r, q, res, 0) < 0 || check_limits(r, doc) < 0)
		return -1;
	size_t n = doc->n_data, ni = doc->n_included;
	size_t *idx = arena_alloc(r->arena, n * sizeof(*idx));
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	struct batch_outcome *out = arena_alloc(r->arena, n * sizeof(*out));
	struct batch_outcome *inc_out = arena_alloc(r->arena, (ni + 1) * sizeof(*inc_out));
	if (db_begin(r) < 0)
		return -1;
	/* Any failing record fails the request: serve() rolls back. */
	if (batch_run(r, doc, idx, n, out, inc_out) != 0)
		return -1;

	struct sync_run s = { doc, out, inc_out, NULL };
	s.inc_res = arena_alloc(r->arena, (ni + 1) * sizeof(*s.inc_res));
	for (size_t j = 0; j < ni; j++)
		s.inc_res[j] = doc->inc_res[j];
	struct db_rows rows;
	struct included *inc = NULL;
	if (load_records(r, q, &s, &rows) < 0 ||
	    (rows.n && include_load(r, q, res, &rows, rows.n, &inc) < 0) ||
	    load_included(r, q, &s, &inc) < 0)
		return -1;
	struct render_ctx rc;
	render_ctx_init(&rc, r, q);
	rc.data_id = data_id;
	rc.data_id_arg = &s;
	rc.include_id = include_id;
	rc.include_id_arg = &s;
	r->status = 200;
	struct jsonw w;
	jw_init(&w, &r->body);
	jsonapi_doc_begin(r, &w);
	jw_arr_begin(&w);
	for (size_t i = 0; i < rows.n; i++)
		jsonapi_resource(&rc, &w, res, &rows.cells[i * rows.ncols]);
	jw_arr_end(&w);
	include_render(&rc, &w, res, &rows, rows.n, inc);
	jsonapi_doc_end(r, &w);
	return db_end(r, 1);
}
