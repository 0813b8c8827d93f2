/* sort_sql.h: the SQL of a parsed `sort` (section 6.2): LEFT JOINs for
 * dotted paths, ORDER BY with the id last. */
#ifndef SORT_SQL_H
#define SORT_SQL_H
#include "first.h"
#include "req.h"
#include "resource.h"

struct query;
struct sql;

/* Appends the LEFT JOINs the dotted sort paths need (after FROM ... alias). */
void sort_sql_joins(struct request *r, struct sql *s, const struct query *q, const char *alias);
/* Appends " ORDER BY ...", the id of res always last, in the direction of
 * the last key. */
void sort_sql_order(struct request *r, struct sql *s, const struct query *q,
		    const struct resource *res, const char *alias);

#endif
