/* linkage.h: to-many linkage (section 5.2) of a batch of rows, one
 * statement per batch: for every to-many relationship of the type that
 * fields[] keeps, the (owner, related id) pairs of all the rows' ids, the
 * relationships joined with UNION ALL, each related record inside the
 * request's organization and the user's VIEW level (a join row pointing
 * into another organization never shows). The ids are sorted in C (lowest
 * first), cut at max_related_entities per row, and written into the rows'
 * linkage cells (select_columns leaves them NULL) as comma-separated lists.
 * To-one linkage is the stored foreign key, not filtered by access level. */
#ifndef LINKAGE_H
#define LINKAGE_H
#include "first.h"
#include "db.h"
#include "resource.h"

struct query;
struct request;

/* Fills the to-many linkage cells of the first n rows of res (select_columns
 * order) that query's fields[] keeps (query NULL: all). No statement when
 * n is 0 or no to-many relationship is kept. 0 or -1. */
int linkage_load(struct request *r, const struct resource *res, struct db_rows *rows, size_t n,
		 const struct query *query);
/* Walks a linkage cell: the next id from *pos; 0 at the end. */
int linkage_next(const struct db_value *v, size_t *pos, const char **id, size_t *len);

#endif
