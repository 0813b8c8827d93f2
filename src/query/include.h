/* include.h: `include` of section 6.4: the include tree parsed against the
 * descriptors, and the batches of included records. Loading them is
 * include_load.h's (ops/), rendering the deduplicated `included` member
 * include_render.h's (doc/). */
#ifndef INCLUDE_H
#define INCLUDE_H
#include "first.h"
#include "db.h"
#include "req.h"
#include "resource.h"

struct query;

/* A batch of included records: rows of res (select_columns order). */
struct included {
	const struct resource *res;
	struct db_rows rows;
	struct included *next;
};

/* Fills q->include from the `include` parameter; records its 400s. Unknown
 * names, and associations left out by fields[], are ignored. */
void include_parse(struct request *r, const struct resource *res, struct query *q);
#endif
