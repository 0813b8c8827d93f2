/* plan.h: which index a page of a list reads (issue 14). MariaDB picks
 * the index of ORDER BY ... LIMIT assuming matches are spread evenly; a
 * filter whose few matches lie far along that index then reads the whole
 * table. The plan names the index in FORCE INDEX from the descriptors'
 * declared indexes (resource.h), counting the filter's matches first when
 * either choice could be the slow one; a pattern no range serves (contains)
 * is tested on its column's index entries rather than on whole rows when a
 * bounded walk finds no page. Results never depend on the plan. */
#ifndef PLAN_H
#define PLAN_H
#include "first.h"
#include "req.h"
#include "resource.h"

struct query;
struct sql;
struct filter_set;
struct ttlcache;

/* Walking the sort's index is chosen over reading and sorting a filter's
 * matches only when its expected rows, times this, are fewer than the
 * matches: its cost is an expectation (matches spread evenly along the
 * sort), the range's a certainty. */
#define PLAN_WALK_RISK 4

/* A walk chosen on estimates may examine this many times the rows it
 * expects (at least PLAN_WALK_MIN) before it gives way to the range. */
#define PLAN_WALK_BUDGET 8
#define PLAN_WALK_MIN 1000

struct plan {
	const char *index;       /* FORCE INDEX of the page's query; NULL: none */
	int deferred;            /* page ids from that index, then the rows by id */
	const char *sort_column; /* the single sort key (the id when none) */
	int desc;
	/* A walk that the estimates chose: the page's query ends with "ROWS
	 * EXAMINED examined" (plan_limit); a result short of a full page (the
	 * matches lie further along than expected, or the last page) is read
	 * again with plan_fallback's plan. 0: no bound. */
	long examined;
	const char *fallback;    /* the filter's index: its range, or its entries scanned */
	unsigned char *key;      /* its estimates' key in the process's table */
	size_t klen;
};

/* The process's table of MariaDB's estimates (plan_cache_new, made once in
 * main.c): keyed by the EXPLAIN statement itself, text and bound values
 * (the type, organization, indexes, the filter's column, operator and
 * value: a rare and a common prefix get entries of their own), each kept
 * for ttl_ms (plan.cache_ttl). NULL when ttl_ms is 0 or on ENOMEM. */
#define PLAN_CACHE_SLOTS 256
#define PLAN_KEY_MAX 768 /* longer statements (long IN lists) are not kept */
struct ttlcache *plan_cache_new(long ttl_ms);
/* The table plan_list reads and fills from now on (borrowed: main.c frees
 * it); NULL: one EXPLAIN per plan that needs estimates. */
void plan_cache_use(struct ttlcache *c);

/* The plan of a page of res (page[size] size, -1 unlimited, from offset)
 * filtered by f; parent: restricted to a parent's related records (no
 * plan). May ask MariaDB for estimates (one EXPLAIN, unless the process's
 * table holds them). 0, or -1 with the error recorded. */
int plan_list(struct request *r, const struct query *q, const struct resource *res,
	      const struct filter_set *f, int parent, long size, long offset, struct plan *out);
/* Deferred plans wrap the page's id query: "SELECT <columns>", then
 * plan_open (" FROM table t JOIN (SELECT t.id, t.<key> AS k0"), then the
 * query's FROM ... LIMIT, then plan_close (") k ON ... ORDER BY k..."). */
void plan_open(struct sql *s, const struct plan *p, const struct resource *res);
/* Appends " ROWS EXAMINED ?" of a bounded walk (after LIMIT ... OFFSET). */
void plan_limit(struct sql *s, const struct plan *p);
/* A bounded walk whose page came back short: p becomes the range's plan
 * (unbounded), and the process's table notes that the walk failed for its
 * statement, so that later requests read the range at once (a short last
 * page counts too: only speed depends on it). 0, or -1 when p was not a
 * bounded walk (the page stands). */
int plan_fallback(struct plan *p);
void plan_close(struct sql *s, const struct plan *p, const struct resource *res);

#endif
