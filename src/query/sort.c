/* sort.c: see sort.h. Parsing only: the SQL of a parsed sort is
 * sql/sort_sql.c's. */
#include "first.h"
#include "sort.h"
#include "arena.h"
#include "config.h"
#include "err.h"
#include "query.h"

#include <string.h>

static void sort_error(struct request *r, const char *field, size_t n)
{
	struct api_error *e = err_addf(r, ERR_SORT,
				       "Sorting by \"%.*s\" field is not supported.", (int)n, field);
	if (e)
		e->parameter = "sort";
}

/* Resolves one key ("-owner.username"); 0, or -1 when not sortable. */
static int resolve(const struct resource *res, const char *s, size_t n, struct sort_key *k)
{
	memset(k, 0, sizeof(*k));
	if (n && s[0] == '-') {
		k->desc = 1;
		s++;
		n--;
	}
	const struct resource *cur = res;
	for (;;) {
		const char *dot = memchr(s, '.', n);
		size_t seg = dot ? (size_t)(dot - s) : n;
		if (seg == 0)
			return -1;
		if (dot) {
			const struct relationship *rel = resource_rel(cur, s, seg);
			if (!rel || rel->kind != REL_TO_ONE || k->depth == 3)
				return -1;
			k->path[k->depth] = rel;
			cur = k->path_res[k->depth] = resource_target(rel);
			k->depth++;
			s = dot + 1;
			n -= seg + 1;
			continue;
		}
		if (seg == 2 && memcmp(s, "id", 2) == 0)
			return 0;
		for (size_t i = 0; i < cur->n_attrs; i++) {
			const struct attribute *a = &cur->attrs[i];
			if (strlen(a->name) == seg && memcmp(a->name, s, seg) == 0) {
				if (a->type == T_TEXT || a->type == T_JSON || (a->flags & A_WO))
					return -1;
				k->attr = a;
				return 0;
			}
		}
		const struct relationship *rel = resource_rel(cur, s, seg);
		if (rel && rel->kind == REL_TO_ONE) {
			k->fk_rel = rel;
			return 0;
		}
		return -1;
	}
}

void sort_parse(struct request *r, const struct resource *res, struct query *q)
{
	const struct qparam *p = query_get(q, "sort");
	if (!p)
		return;
	size_t cap = 1;
	for (const char *c = p->value; *c; c++)
		cap += *c == ',';
	/* Each key may be a join: bounded before anything is resolved. */
	if (cap > (size_t)r->cfg->max_sort_fields) {
		struct api_error *e = err_addf(r, ERR_SORT,
					       "Too many sort fields: at most %ld.",
					       r->cfg->max_sort_fields);
		if (e)
			e->parameter = "sort";
		return;
	}
	q->sort = arena_alloc(r->arena, cap * sizeof(*q->sort));
	const char *s = p->value;
	for (;;) {
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (resolve(res, s, n, &q->sort[q->n_sort]) < 0)
			sort_error(r, s[0] == '-' ? s + 1 : s, s[0] == '-' && n ? n - 1 : n);
		else
			q->n_sort++;
		if (!e)
			break;
		s = e + 1;
	}
}

int sort_field_ok(const struct resource *res, const char *name)
{
	struct sort_key k;
	return resolve(res, name, strlen(name), &k) == 0;
}
