/* op.h: the operations a route dispatches to. Each writes the response
 * (status, body) or records errors and returns -1. */
#ifndef OP_H
#define OP_H
#include "first.h"
#include "req.h"
#include "list_page.h"

struct query;
struct render_ctx;
struct filter_set;
struct sql;
struct jsonw;
struct resource;

/* GET /api/{type}/{id} */
int op_get(struct request *r, struct query *q);
/* GET /api/{type} */
int op_list(struct request *r, struct query *q);
/* GET /api/{type}/{id}/{assoc} and .../relationships/{assoc} (op_related_get.c) */
int op_related_get(struct request *r, struct query *q);

/* POST /api/{type} (op_write.c) */
int op_create(struct request *r, struct query *q);
/* PATCH /api/{type}/{id} (op_write.c) */
int op_update(struct request *r, struct query *q);
/* DELETE /api/{type}/{id} and DELETE /api/{type}?filter... (op_delete.c) */
int op_delete(struct request *r, struct query *q);
int op_delete_list(struct request *r, struct query *q);
/* PATCH/POST/DELETE /api/{type}/{id}/relationships/{assoc} (op_linkage_write.c) */
int op_linkage_write(struct request *r, struct query *q);

/* GET /api/asyncoperations/{id}/errors (op_async_errors.c) */
int op_async_errors(struct request *r, struct query *q);

struct batch_doc;
/* PATCH /api/{type}, the batch API of section 9 (op_batch.c): checks
 * X-Mode, reads the body (batch_items.h), then runs one of the two. */
int op_batch(struct request *r, struct query *q);
/* X-Mode: sync: every record in one transaction, 200 (op_batch_sync.c). */
int op_batch_sync(struct request *r, struct query *q, struct batch_doc *doc);
/* The default, asynchronous: the job stored, 202 (op_batch_async.c). doc
 * is the checked body (doc->body, doc->body_len as received). */
int op_batch_async(struct request *r, struct query *q, struct batch_doc *doc);

/* A page of a list as a document (list_spec: list_page.h), streamed by
 * op_stream_list when unlimited or large. */
int op_list_render(struct request *r, struct query *q, const struct list_spec *spec);
/* Records rendered per chunk of a streamed list; a page larger than this
 * (or page[size]=-1) is streamed (section 13). */
#define OP_STREAM_CHUNK 500
/* page[size]=-1 or a page over OP_STREAM_CHUNK: the list streamed chunk by
 * chunk with bounded memory (ids first, then records by id). */
int op_stream_list(struct request *r, struct query *q, const struct list_spec *s);
/* Renders {"data": resource} of res with id, or 404 when not visible,
 * with rc's fields, meta, include= (rc->q) and extra included batches.
 * null_if_missing: {"data": null} instead of 404. */
int op_get_render(struct request *r, const struct render_ctx *rc, const struct resource *res,
		  const char *id, size_t id_len, int null_if_missing);

#endif
