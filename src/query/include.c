/* include.c: see include.h. Parsing only: loading the included records
 * is ops/include_load.c's, rendering them doc/include_render.c's. */
#include "first.h"
#include "include.h"
#include "arena.h"
#include "config.h"
#include "err.h"
#include "query.h"

#include <string.h>

static void include_error(struct request *r, const char *detail)
{
	struct api_error *e = err_add(r, ERR_FILTER, detail);
	if (e)
		e->parameter = "include";
}

/* Adds one dotted path to the tree. */
static void add_path(struct request *r, const struct resource *res, struct query *q,
		     const char *s, size_t n)
{
	int depth = 1;
	for (size_t i = 0; i < n; i++)
		depth += s[i] == '.';
	if (depth > r->cfg->max_include_depth) {
		include_error(r, "The include path is too deep.");
		return;
	}
	struct include_node **list = &q->include;
	const struct resource *cur = res;
	while (n) {
		const char *dot = memchr(s, '.', n);
		size_t seg = dot ? (size_t)(dot - s) : n;
		const struct relationship *rel = resource_rel(cur, s, seg);
		if (!rel || !query_field_wanted(q, cur, rel->name))
			return; /* unknown, or left out by fields[]: not included */
		struct include_node *node = *list;
		while (node && node->rel != rel)
			node = node->next;
		if (!node) {
			node = arena_alloc(r->arena, sizeof(*node));
			node->rel = rel;
			node->res = resource_target(rel);
			node->next = *list;
			*list = node;
		}
		cur = node->res;
		list = &node->children;
		if (!dot)
			break;
		s = dot + 1;
		n -= seg + 1;
	}
}

void include_parse(struct request *r, const struct resource *res, struct query *q)
{
	const struct qparam *p = query_get(q, "include");
	if (!p)
		return;
	if (!*p->value) {
		include_error(r, "Expected not empty string value. Given \"\".");
		return;
	}
	const char *v = p->value;
	size_t len = strlen(v);
	if (v[0] == ',' || v[len - 1] == ',' || strstr(v, ",,")) {
		include_error(r, arena_printf(r->arena,
					      "Expected an array of not empty strings. Given \"%s\".", v));
		return;
	}
	for (const char *s = v; s;) {
		const char *e = strchr(s, ',');
		add_path(r, res, q, s, e ? (size_t)(e - s) : strlen(s));
		s = e ? e + 1 : NULL;
	}
}
