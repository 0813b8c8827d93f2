/* list_page.h: what a page of a list (op_list.c) and its streamed form
 * (op_stream.c) share, and DELETE by filter (op_delete.c) too: which
 * records (FROM, WHERE, ORDER BY), how many (X-Include-Total-Count), and
 * the top-level links. */
#ifndef LIST_PAGE_H
#define LIST_PAGE_H
#include "first.h"
#include "req.h"

struct filter_set;
struct jsonw;
struct query;
struct relationship;
struct resource;
struct sql;

/* A page of res, optionally restricted to the records related to a parent
 * (rel of parent_res, parent id pid), as full resources or as identifiers
 * only. */
struct list_spec {
	const struct resource *res;
	const struct resource *parent_res;
	const struct relationship *rel;
	const char *pid;
	int ids_only;
	const char *self_suffix; /* path after {base}/api/, for links */
	const struct filter_set *filters;
	const char *force_index; /* the page's FORCE INDEX (sql/plan.c), or NULL */
};
/* Appends " FROM table t ... WHERE scope, parent, filters" and, when
 * ordered, the sort joins and ORDER BY. */
void list_page_from(struct request *r, struct sql *sq, const struct query *q,
		    const struct list_spec *s, int ordered);
/* X-Include: totalCount: the X-Include-Total-Count header (matching
 * records, paging ignored). 0 or -1. */
int list_page_total(struct request *r, const struct query *q, const struct list_spec *s);
/* Writes the top-level "links" of a list page. */
void list_page_links(struct request *r, struct jsonw *w, const struct query *q,
		     const struct list_spec *s, int has_next);

#endif
