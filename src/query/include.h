/* include.h: `include` of section 6.4: the include tree parsed against the
 * descriptors, the related records loaded with one query per include path
 * and page (never one per row), and the deduplicated `included` member. */
#ifndef INCLUDE_H
#define INCLUDE_H
#include "first.h"
#include "db.h"
#include "jsonw.h"
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
/* Loads what r->q->include asks for, for the n rows of res. *out: the
 * batches, NULL when nothing. 0 or -1. */
int include_load(struct request *r, const struct resource *res, const struct db_rows *rows,
		 size_t n, struct included **out);
/* Writes "included": [...] when anything is left once the primary
 * resources (n rows of res) and duplicates are taken out. */
void include_render(struct request *r, struct jsonw *w, const struct resource *res,
		    const struct db_rows *rows, size_t n, const struct included *inc);

#endif
