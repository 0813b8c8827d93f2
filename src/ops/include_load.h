/* include_load.h: the records `include` asks for (section 6.4), loaded
 * with one query per include path and page, never one per row. */
#ifndef INCLUDE_LOAD_H
#define INCLUDE_LOAD_H
#include "first.h"
#include "db.h"
#include "include.h"
#include "req.h"
#include "resource.h"

/* Loads what q->include asks for (q may be NULL), for the n rows of res,
 * with q's fields[] and meta=title. *out: the batches, NULL when nothing.
 * 0 or -1. */
int include_load(struct request *r, const struct query *q, const struct resource *res,
		 const struct db_rows *rows, size_t n, struct included **out);
#endif
