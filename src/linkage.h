/* linkage.h: to-many linkage for a page of resources, loaded with one
 * query per relationship (never one per row), limited to related records
 * inside the request's organization. */
#ifndef LINKAGE_H
#define LINKAGE_H
#include "first.h"
#include "db.h"
#include "resource.h"

struct request;

struct linkage {
	const struct relationship *rel;
	struct db_rows rows; /* (parent id, related id), ordered by parent then related */
};

/* For every to-many relationship of res that r->q lets be rendered, loads
 * the linkage of the n ids. *out gets res->n_rels entries (empty for to-one
 * and left-out ones). 0 or -1. */
int linkage_load(struct request *r, const struct resource *res, const char *const *ids, size_t n,
		 struct linkage **out);
/* The rows [*from, *to) of l that belong to parent id. */
void linkage_range(const struct linkage *l, const char *id, size_t *from, size_t *to);

#endif
