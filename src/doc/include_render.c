/* include_render.c: see include_render.h. Duplicates are found with a set
 * of "type/id" keys in the arena. */
#include "first.h"
#include "include_render.h"
#include "arena.h"
#include "jsonapi.h"
#include "render.h"

#include <string.h>

/* A set of "type/id" keys, open addressing, in the arena. */
struct seen {
	const char **slot;
	size_t cap;
};

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* Adds key; 1 if it was new, 0 if already there. */
static int seen_add(struct arena *a, struct seen *set, const char *type, const char *id)
{
	/* Two copies, not arena_printf: a key per rendered record. */
	size_t type_len = strlen(type), id_len = strlen(id);
	char *key = arena_alloc_uninit(a, type_len + id_len + 2);
	memcpy(key, type, type_len);
	key[type_len] = '/';
	memcpy(key + type_len + 1, id, id_len + 1);
	size_t i = hash(key) & (set->cap - 1);
	while (set->slot[i]) {
		if (strcmp(set->slot[i], key) == 0)
			return 0;
		i = (i + 1) & (set->cap - 1);
	}
	set->slot[i] = key;
	return 1;
}

void include_render(const struct render_ctx *rc, struct jsonw *w, const struct resource *res,
		    const struct db_rows *rows, size_t n, const struct included *inc)
{
	if (!inc)
		return;
	size_t total = n;
	for (const struct included *b = inc; b; b = b->next)
		total += b->rows.n;
	struct seen set = { NULL, 16 };
	while (set.cap < total * 2)
		set.cap *= 2;
	set.slot = arena_alloc(rc->arena, set.cap * sizeof(*set.slot));
	for (size_t i = 0; i < n; i++)
		seen_add(rc->arena, &set, res->type, rows->cells[i * rows->ncols].s);
	int opened = 0;
	for (const struct included *b = inc; b; b = b->next) {
		for (size_t i = 0; i < b->rows.n; i++) {
			const struct db_value *row = &b->rows.cells[i * b->rows.ncols];
			if (!seen_add(rc->arena, &set, b->res->type, row[0].s))
				continue;
			if (!opened++) {
				jw_key(w, "included");
				jw_arr_begin(w);
			}
			jsonapi_resource(rc, w, b->res, row);
		}
	}
	if (opened)
		jw_arr_end(w);
}
