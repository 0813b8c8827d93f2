/* linkage.h: to-many linkage (section 5.2) comes with the resource's own
 * row: one correlated subquery column per to-many relationship returns the
 * related ids (inside the request's organization and the user's VIEW level,
 * lowest first, at most max_related_entities) as a comma-separated list.
 * To-one linkage is the stored foreign key, not filtered by access level. No query per row, none
 * per relationship: the page query carries it. A join table that carries the
 * organization answers alone when the user's level on the target restricts
 * nothing below the organization (the schema keeps both ends in it). */
#ifndef LINKAGE_H
#define LINKAGE_H
#include "first.h"
#include "db.h"
#include "resource.h"

struct query;
struct request;
struct sql;

/* Appends ", (SELECT GROUP_CONCAT(...) ...)" for rel of res (aliased
 * alias), or ", NULL" when fields[] of query leaves rel out. */
void linkage_column(struct sql *q, struct request *r, const struct resource *res,
		    const struct relationship *rel, const char *alias, const struct query *query);
/* Walks a linkage column: the next id from *pos; 0 at the end. */
int linkage_next(const struct db_value *v, size_t *pos, const char **id, size_t *len);

#endif
