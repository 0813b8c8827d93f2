/* op_stream.c: an unlimited page (page[size]=-1), or one larger than a
 * chunk, with bounded memory. First the ids of every matching record of the
 * page, in order (one query, 8 bytes a row); then chunks of OP_STREAM_CHUNK
 * records loaded by id, rendered, flushed to the client, and their memory
 * released before the next chunk. The headers go out with the first chunk,
 * so a later error can only cut the body short (serve() logs it); errors
 * recorded inside a chunk live in kept arena memory (err.c), so releasing
 * the chunk does not free them. */
#include "first.h"
#include "op.h"
#include "arena.h"
#include "db.h"
#include "err.h"
#include "http.h"
#include "jsonapi.h"
#include "render.h"
#include "query.h"
#include "resource.h"
#include "select.h"
#include "sql.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The ordered ids: integers, or strings (in the arena) for client ids. */
struct idlist {
	struct request *r;
	int is_int;
	long long *ints;
	const char **strs;
	size_t n, cap;
};

static void idlist_free(void *p)
{
	struct idlist *l = p;
	free(l->ints);
	free(l->strs);
}

static int collect_id(void *ctx, const struct db_value *cols, unsigned ncols)
{
	struct idlist *l = ctx;
	(void)ncols;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		void *p = l->is_int ? realloc(l->ints, cap * sizeof(*l->ints))
				    : realloc(l->strs, cap * sizeof(*l->strs));
		if (!p)
			goto oom;
		if (l->is_int)
			l->ints = p;
		else
			l->strs = p;
		l->cap = cap;
	}
	if (l->is_int) {
		char tmp[32];
		size_t n = cols[0].len < sizeof(tmp) - 1 ? cols[0].len : sizeof(tmp) - 1;
		memcpy(tmp, cols[0].s, n);
		tmp[n] = '\0';
		l->ints[l->n++] = strtoll(tmp, NULL, 10);
	} else {
		l->strs[l->n++] = arena_strndup(l->r->arena, cols[0].s, cols[0].len);
	}
	return 0;
oom:
	err_internal(l->r, "out of memory collecting ids");
	return -1;
}

/* The id at position i as text (into tmp for integers). */
static const char *id_at(const struct idlist *l, size_t i, char tmp[32])
{
	if (!l->is_int)
		return l->strs[i];
	snprintf(tmp, 32, "%lld", l->ints[i]);
	return tmp;
}

/* Loads, orders and renders ids [from, to). */
static int render_chunk(struct request *r, const struct render_ctx *rc, struct jsonw *w,
			const struct list_spec *s, const struct idlist *ids, size_t from, size_t to)
{
	const struct resource *res = s->res;
	size_t n = to - from;
	const char **want = arena_alloc(r->arena, n * sizeof(*want));
	for (size_t i = 0; i < n; i++) {
		char tmp[32];
		want[i] = arena_strdup(r->arena, id_at(ids, from + i, tmp));
	}
	struct db_rows rows;
	if (select_rows_by_ids(r, res, want, n, rc->q, &rows) < 0)
		return -1;
	/* Rows come back by id (integer order: shorter first, then bytes); the
	 * page order is the ids' order: binary search each. */
	for (size_t i = 0; i < n; i++) {
		size_t lo = 0, hi = rows.n, wl = strlen(want[i]);
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			const struct db_value *v = &rows.cells[mid * rows.ncols];
			int c = v->len != wl ? (v->len < wl ? -1 : 1) : memcmp(v->s, want[i], wl);
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < rows.n && rows.cells[lo * rows.ncols].len == wl &&
		    memcmp(rows.cells[lo * rows.ncols].s, want[i], wl) == 0)
			jsonapi_resource(rc, w, res, &rows.cells[lo * rows.ncols]);
		/* else: deleted since the id query; left out */
	}
	return 0;
}

int op_stream_list(struct request *r, struct query *q, const struct list_spec *s)
{
	struct idlist *ids = arena_alloc(r->arena, sizeof(*ids));
	arena_on_reset(r->arena, idlist_free, ids);
	ids->r = r;
	ids->is_int = s->res->id_kind == ID_INT;
	struct sql sq;
	sql_init(&sq, r->arena);
	sql_add(&sq, "SELECT ");
	sql_ident(&sq, "t", s->res->id_column);
	list_page_from(r, &sq, q, s, 1);
	long size = q->page_size;
	if (size > 0) { /* query.c bounded both, so this cannot overflow */
		sql_add(&sq, " LIMIT ");
		sql_int(&sq, size + 1);
		sql_add(&sq, " OFFSET ");
		sql_int(&sq, (q->page_number - 1) * size);
	}
	if (db_query_each(r, &sq, collect_id, ids) < 0)
		return -1;
	int has_next = size > 0 && ids->n > (size_t)size;
	if (has_next)
		ids->n = (size_t)size;
	if (r->want_total) {
		if (size > 0) {
			if (list_page_total(r, q, s) < 0)
				return -1;
		} else {
			char count[32];
			snprintf(count, sizeof(count), "%zu", ids->n);
			req_header(r, "X-Include-Total-Count", count);
		}
	}
	r->status = 200;
	struct render_ctx ctx;
	render_ctx_init(&ctx, r, q);
	struct jsonw w;
	jw_init(&w, &r->body);
	jsonapi_doc_begin(r, &w);
	jw_arr_begin(&w);
	for (size_t from = 0; from < ids->n; from += OP_STREAM_CHUNK) {
		size_t to = from + OP_STREAM_CHUNK < ids->n ? from + OP_STREAM_CHUNK : ids->n;
		struct arena_mark mark;
		arena_mark(r->arena, &mark);
		int rc = render_chunk(r, &ctx, &w, s, ids, from, to);
		arena_release(r->arena, &mark);
		if (rc < 0 || http_flush(r) < 0)
			return -1;
	}
	jw_arr_end(&w);
	if (!r->no_links && !r->plain)
		list_page_links(r, &w, q, s, has_next);
	jsonapi_doc_end(r, &w);
	return 0;
}
