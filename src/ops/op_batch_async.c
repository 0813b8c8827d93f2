/* op_batch_async.c: PATCH /api/{type} without X-Mode: sync (section 9):
 * the batch is stored as a job (batch_job_store.c) and answered at once,
 * 202 with Content-Location and the asyncoperations resource; the
 * transport starts the job in a detached process once the response is
 * finished (batch_spawn.c). Each record's rules are checked when the job
 * runs: a record that fails is an error of the operation, not of this
 * request. */
#include "first.h"
#include "op.h"
#include "maxima.h"
#include "arena.h"
#include "batch_items.h"
#include "batch_job.h"
#include "buf.h"
#include "config.h"
#include "err.h"
#include "jsonapi.h"
#include "jsonw.h"
#include "query.h"
#include "render.h"
#include "resource.h"

#include <stdio.h>
#include <string.h>

extern const struct resource res_asyncoperations;

int op_batch_async(struct request *r, struct query *q, struct batch_doc *doc)
{
	(void)q;
	long long id = 0;
	unsigned long long token = 0;
	if (batch_job_store(r, doc->body, doc->body_len, doc->n_data, &id, &token) < 0)
		return -1;
	char ids[24];
	snprintf(ids, sizeof(ids), "%lld", id);
	struct buf url;
	buf_init(&url, MAX_URL_TEXT);
	jsonapi_url(r, &url, res_asyncoperations.type, ids);
	buf_putc(&url, '\0');
	if (!buf_failed(&url))
		req_header(r, "Content-Location", url.data);
	buf_free(&url);
	/* The operation as GET shows it. The job is stored whatever happens
	 * now: a user who may not VIEW operations, or a read that fails, still
	 * gets the 202 and the identifier. */
	struct query *none = arena_alloc(r->arena, sizeof(*none));
	none->page_size = r->cfg->default_page_size;
	none->page_number = 1;
	struct render_ctx rc;
	render_ctx_init(&rc, r, none);
	if (op_get_render(r, &rc, &res_asyncoperations, ids, strlen(ids), 0) < 0) {
		r->errors = r->errors_tail = NULL;
		r->n_errors = 0;
		r->body.len = 0;
		struct jsonw w;
		jw_init(&w, &r->body);
		jsonapi_doc_begin(r, &w);
		jsonapi_identifier(&w, res_asyncoperations.type, ids, strlen(ids));
		jsonapi_doc_end(r, &w);
	}
	r->status = 202;
	if (r->io->defer_job)
		r->io->defer_job(r->io->ctx, id, token, doc);
	return 0;
}
