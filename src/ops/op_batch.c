/* op_batch.c: PATCH /api/{type}, the batch API (section 9). X-Mode picks
 * the mode: `sync` runs every record at once (op_batch_sync.c), no header
 * stores the job for the asynchronous runner (op_batch_async.c); any other
 * value is a 400. Both modes take the same body, read and checked here
 * (batch_items.c: 415 for the plain format, 413 past batch.max_body_size). */
#include "first.h"
#include "op.h"
#include "arena.h"
#include "batch_items.h"
#include "err.h"

#include <strings.h>

int op_batch(struct request *r, struct query *q)
{
	const char *mode = req_param(r, "HTTP_X_MODE");
	if (mode && strcasecmp(mode, "sync") != 0) {
		struct api_error *e = err_add(r, ERR_HEADER_VALUE,
					      "The \"X-Mode\" header accepts only \"sync\" (leave it"
					      " out for the asynchronous mode).");
		if (e)
			e->header = "X-Mode";
		return -1;
	}
	struct batch_doc *doc = arena_alloc(r->arena, sizeof(*doc));
	if (batch_doc_read(r, doc) < 0)
		return -1;
	return mode ? op_batch_sync(r, q, doc) : op_batch_async(r, q, doc);
}
