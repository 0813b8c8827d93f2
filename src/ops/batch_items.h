/* TEMPORARY local stand-in (not committed) */
#ifndef BATCH_ITEMS_H
#define BATCH_ITEMS_H
#include "first.h"
#include "req.h"
struct query;
struct batch_doc { size_t n; };
int batch_doc_read(struct request *r, struct batch_doc *out);
int batch_run_items(struct request *r, const struct batch_doc *doc, const size_t *idx, size_t n, unsigned char *failed);
size_t batch_doc_count(const struct batch_doc *doc);
int batch_item_created(const struct batch_doc *doc, size_t i);
int op_batch_async(struct request *r, struct query *q, struct batch_doc *doc);
#endif
