/* plan.c: see plan.h. Two ways to read a filtered, sorted page: walk the
 * (org, sort key) index and test the filter on each row (cost: rows until
 * the page is full), or read the filter's (org, column ...) index and sort
 * the matches (cost: the matches; only ids when the index covers the
 * query, then the page's rows by id). A filter on the sort key gets both.
 * A pattern no range serves (contains, ends_with) walks within a bound,
 * then scans its column's index (scan_plan).
 * The estimates that choose between them are kept per process (plan.h). */
#include "first.h"
#include "plan.h"
#include "acl_sql.h"
#include "arena.h"
#include "db.h"
#include "filter.h"
#include "query.h"
#include "select.h"
#include "sql.h"
#include "ttlcache.h"

#include <stdlib.h>
#include <string.h>

/* What one EXPLAIN said: the filter's matches, the organization's rows;
 * and whether a walk on them was cut off since (plan_fallback). */
struct estimates {
	double matches, rows;
	int walk_failed;
};

/* A process object (main.c); only its pointer lives here, since requests
 * reach sql/ without the process struct. */
static struct ttlcache *plans;

struct ttlcache *plan_cache_new(long ttl_ms)
{
	return ttl_ms > 0 ? ttlcache_new(PLAN_CACHE_SLOTS, PLAN_KEY_MAX, sizeof(struct estimates),
					  ttl_ms)
			  : NULL;
}

void plan_cache_use(struct ttlcache *c)
{
	plans = c;
}

/* The table's key for statement q: its text, then each bound value with
 * its kind and length, so that no two statements share a key. Its length,
 * or 0 when it does not fit in key[PLAN_KEY_MAX]. */
static size_t cache_key(const struct sql *q, unsigned char *key)
{
	size_t n = 0;
#define PUT(p, len)                                      \
	do {                                             \
		if ((len) > PLAN_KEY_MAX - n)            \
			return 0;                        \
		memcpy(key + n, (p), (len));             \
		n += (len);                              \
	} while (0)
	if (sql_failed(q))
		return 0;
	PUT(q->text->data, q->text->len);
	for (size_t i = 0; i < q->n_params; i++) {
		const struct sql_param *v = &q->params[i];
		unsigned char kind = (unsigned char)v->kind;
		PUT(&kind, 1);
		if (v->kind == SP_INT)
			PUT(&v->i, sizeof(v->i));
		else if (v->kind == SP_STR) {
			PUT(&v->len, sizeof(v->len));
			PUT(v->s, v->len);
		}
	}
#undef PUT
	return n;
}

/* An index of res on (org, column, ...): exact, one that delivers rows in
 * (column, id) order, (org, column) or (org, column, id, ...); else
 * preferring (org, column, then, ...), which covers a filter on column
 * sorted by then. */
static const struct res_index *find_index(const struct resource *res, const char *column,
					  const char *then, int exact)
{
	const struct res_index *best = NULL;
	for (size_t i = 0; i < res->n_indexes; i++) {
		const struct res_index *x = &res->indexes[i];
		if (strcmp(x->columns[0], res->org_column) != 0 || !x->columns[1] ||
		    strcmp(x->columns[1], column) != 0)
			continue;
		if (!x->columns[2] || strcmp(x->columns[2], res->id_column) == 0)
			best = best ? best : x;
		if (!exact && x->columns[2] && then && strcmp(x->columns[2], then) == 0)
			return x;
	}
	return best ? best : exact ? NULL : find_index(res, column, NULL, 1);
}

/* The one key of q's sort on a column of res itself (the id when there
 * is none): 0, or -1 for sorts no single index delivers. */
static int sort_column(const struct query *q, const struct resource *res, struct plan *p)
{
	p->sort_column = res->id_column;
	p->desc = 0;
	if (q->n_sort == 0)
		return 0;
	const struct sort_key *k = &q->sort[0];
	if (q->n_sort > 1 || k->depth)
		return -1;
	p->sort_column = k->attr ? k->attr->column : k->fk_rel ? k->fk_rel->column : res->id_column;
	p->desc = k->desc;
	return 0;
}

/* The process's entry for statement q, if any; q's key is kept in p
 * (arena memory; none when q's does not fit or no table is in use). */
static const struct estimates *lookup(struct request *r, const struct sql *q, struct plan *p)
{
	unsigned char key[PLAN_KEY_MAX];
	size_t klen = plans ? cache_key(q, key) : 0;
	if (!klen)
		return NULL;
	p->key = arena_alloc(r->arena, klen);
	memcpy(p->key, key, klen);
	p->klen = klen;
	return ttlcache_get(plans, key, klen);
}

/* MariaDB's estimates (EXPLAIN: index dives, no rows read) of the matches
 * of f in x and of the organization's rows in w, into *e; the table's key
 * into p (arena memory; NULL when not kept): 0, or -1 recorded. */
static int estimate(struct request *r, const struct resource *res, const struct res_index *x,
		    const struct res_index *w, const struct filter *f, struct estimates *e,
		    struct plan *p)
{
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "EXPLAIN SELECT 1 FROM ");
	sql_ident(&q, NULL, res->table);
	sql_add(&q, " t FORCE INDEX (");
	sql_ident(&q, NULL, x->name);
	sql_add(&q, ") WHERE 1 = 1");
	select_scope(&q, r, res, "t");
	filter_sql_one(r, &q, f, "t");
	sql_add(&q, " UNION ALL SELECT 1 FROM ");
	sql_ident(&q, NULL, res->table);
	sql_add(&q, " t FORCE INDEX (");
	sql_ident(&q, NULL, w->name);
	sql_add(&q, ") WHERE 1 = 1");
	select_scope(&q, r, res, "t");
	const struct estimates *hit = lookup(r, &q, p);
	if (hit) {
		*e = *hit;
		return 0;
	}
	long long loaded = ttlcache_now(); /* before the statement: see ttlcache.h */
	struct db_rows out;
	if (db_query(r, &q, &out) < 0)
		return -1;
	memset(e, 0, sizeof(*e));
	/* EXPLAIN's columns: id, select_type, table, type, possible_keys, key,
	 * key_len, ref, rows, Extra. */
	for (size_t i = 0; out.ncols > 8 && i < out.n; i++) {
		const struct db_value *row = &out.cells[i * out.ncols];
		double n = row[8].s ? strtod(row[8].s, NULL) : 0;
		if (row[0].s && row[0].s[0] == '1')
			e->matches = n;
		else if (row[0].s && row[0].s[0] == '2')
			e->rows = n;
	}
	if (p->key)
		ttlcache_put(plans, p->key, p->klen, e, loaded);
	return 0;
}

/* Whether walk index w, (org, sort key, id, ...), holds column after the
 * id: a filter on it is tested on the index entries alone. */
static int walk_covers(const struct res_index *w, const struct resource *res, const char *column)
{
	if (!w->columns[2] || strcmp(w->columns[2], res->id_column) != 0)
		return 0;
	for (const char *const *c = &w->columns[3]; *c; c++)
		if (strcmp(*c, column) == 0)
			return 1;
	return 0;
}

/* p walks index walk for rows it expects to read, bounded to
 * PLAN_WALK_BUDGET times that (at least PLAN_WALK_MIN), then reads the
 * page from index fallback (plan_fallback). A backward walk that covers
 * the filter's column reads the page's ids from the index alone (deferred):
 * MariaDB tests a condition on index entries before looking their rows up
 * (index condition pushdown) only when it walks forward, so backward each
 * row passed over would be read (four fifths of a newest-first page). */
static void bounded_walk(struct plan *p, const struct resource *res, const struct res_index *walk,
			 const char *column, double rows, const struct res_index *fallback)
{
	double budget = PLAN_WALK_BUDGET * rows;
	p->index = walk->name;
	p->deferred = p->desc && walk_covers(walk, res, column);
	p->examined = budget < PLAN_WALK_MIN ? PLAN_WALK_MIN
		    : budget > 1e9	     ? 1000000000L
					     : (long)budget;
	p->fallback = fallback->name;
}

/* A pattern filter (contains, ends_with, ...) on a column that leads an
 * index: no range reads its matches, and MariaDB cannot estimate them.
 * The sort's index is walked for a page found early, bounded as if one row
 * in PLAN_WALK_BUDGET matched; past the bound the filter's index is
 * scanned (its entries, a fraction of the rows, tested for the pattern)
 * for the page's ids. A walk cut off is remembered as one chosen on
 * estimates is. 1 planned so, 0 no such filter. */
static int scan_plan(struct request *r, const struct resource *res, const struct res_index *walk,
		     const struct filter_set *set, long rows, struct plan *out)
{
	const struct filter *f = NULL;
	const struct res_index *scan = NULL;
	const char *col;
	for (size_t i = 0; !scan; i++) {
		f = filter_sql_indexed(set, FILTER_SCAN, i, &col);
		if (!f)
			return 0;
		scan = find_index(res, col, out->sort_column, 0);
	}
	struct sql k;
	sql_init(&k, r->arena);
	sql_add(&k, "SCAN ");
	sql_ident(&k, NULL, res->table);
	sql_ident(&k, NULL, scan->name);
	sql_ident(&k, NULL, walk->name);
	sql_add(&k, out->desc ? " DESC" : " ASC");
	select_scope(&k, r, res, "t");
	filter_sql_one(r, &k, f, "t");
	const struct estimates *hit = lookup(r, &k, out);
	if (hit && hit->walk_failed) {
		out->index = scan->name;
		out->deferred = 1;
		return 1;
	}
	bounded_walk(out, res, walk, col, (double)rows, scan);
	return 1;
}

int plan_list(struct request *r, const struct query *q, const struct resource *res,
	      const struct filter_set *f, int parent, long size, long offset, struct plan *out)
{
	memset(out, 0, sizeof(*out));
	/* Only a plain "org = ?" scope leads every index. */
	if (parent || !res->org_column || res->org_null_is_shared || !res->n_indexes ||
	    sort_column(q, res, out) < 0)
		return 0;
	const struct res_index *walk = find_index(res, out->sort_column, NULL, 1);
	const struct filter *best = NULL, *fi;
	const struct res_index *range = NULL;
	const char *col, *best_col = NULL;
	for (size_t i = 0; (fi = filter_sql_indexed(f, FILTER_RANGE, i, &col)) != NULL; i++) {
		if (walk && strcmp(col, out->sort_column) == 0) {
			out->index = walk->name; /* reads only the page's rows */
			return 0;
		}
		if (!range && (range = find_index(res, col, out->sort_column, 0)) != NULL) {
			best = fi;
			best_col = col;
		}
	}
	if (!range && walk && size >= 0 && scan_plan(r, res, walk, f, offset + size + 1, out))
		return 0;
	if (!range) {
		/* No filter at all and a level that adds no condition below the
		 * organization: the (org, sort key) index delivers the page in
		 * order. Named, the optimizer need not weigh every other index
		 * that starts with the organization (a third of a page's time).
		 * Otherwise nothing to choose: the optimizer's plan stands. */
		if (walk && !f && !acl_sql_restricts(r->acl, res, ACL_VIEW))
			out->index = walk->name;
		return 0;
	}
	if (walk && size >= 0) {
		/* The walk reads about (offset + size) * rows / matches rows, if
		 * the matches are spread evenly along it; the range reads the
		 * matches, for sure. The walk must win by PLAN_WALK_RISK. */
		struct estimates e;
		if (estimate(r, res, range, walk, best, &e, out) < 0)
			return -1;
		double walked = (double)(offset + size + 1) * e.rows / (e.matches > 1 ? e.matches : 1);
		if (!e.walk_failed && PLAN_WALK_RISK * walked < e.matches) {
			/* Matches crowded at the far end (the newest rows match
			 * nothing, say) would make it read the table: bounded. */
			bounded_walk(out, res, walk, best_col, walked, range);
			return 0;
		}
	}
	out->index = range->name;
	out->deferred = 1;
	return 0;
}

void plan_open(struct sql *s, const struct plan *p, const struct resource *res)
{
	sql_add(s, " FROM ");
	sql_ident(s, NULL, res->table);
	sql_add(s, " t JOIN (SELECT ");
	sql_ident(s, "t", res->id_column);
	if (strcmp(p->sort_column, res->id_column) != 0) {
		sql_add(s, ", ");
		sql_ident(s, "t", p->sort_column);
		sql_add(s, " AS k0");
	}
}

void plan_limit(struct sql *s, const struct plan *p)
{
	if (p->examined)
		sql_rows_examined(s, p->examined);
}

int plan_fallback(struct plan *p)
{
	if (!p->examined)
		return -1;
	/* Later requests of the same statement read the range at once (the
	 * entry is trusted anew from now: only speed depends on it). */
	if (p->key) {
		const struct estimates *hit = ttlcache_get(plans, p->key, p->klen);
		struct estimates failed = { 0, 0, 0 };
		if (hit)
			failed = *hit;
		failed.walk_failed = 1;
		ttlcache_put(plans, p->key, p->klen, &failed, ttlcache_now());
	}
	p->index = p->fallback;
	p->deferred = 1;
	p->examined = 0;
	return 0;
}

void plan_close(struct sql *s, const struct plan *p, const struct resource *res)
{
	const char *dir = p->desc ? " DESC" : " ASC";
	sql_add(s, ") k ON ");
	sql_ident(s, "t", res->id_column);
	sql_add(s, " = ");
	sql_ident(s, "k", res->id_column);
	sql_add(s, " ORDER BY ");
	if (strcmp(p->sort_column, res->id_column) != 0) {
		sql_add(s, "k.k0");
		sql_add(s, dir);
		sql_add(s, ", ");
	}
	sql_ident(s, "k", res->id_column);
	sql_add(s, dir);
}
