/* sort.h: `sort` of section 6.2: parsing against the descriptor into
 * q->sort (its SQL: sort_sql.h). */
#ifndef SORT_H
#define SORT_H
#include "first.h"
#include "req.h"
#include "resource.h"

struct query;

/* Fills q->sort from the `sort` parameter; records 400 `sort constraint`. */
void sort_parse(struct request *r, const struct resource *res, struct query *q);
/* 1 when `sort` accepts the key name ("lastName", "owner.name") for res:
 * for the documentation, from the same rules. */
int sort_field_ok(const struct resource *res, const char *name);
#endif
