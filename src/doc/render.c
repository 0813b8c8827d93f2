/* render.c: see render.h. The context is a copy of a few request fields
 * and pointers; it owns nothing. */
#include "first.h"
#include "render.h"
#include "query.h"
#include "req.h"

#include <string.h>

void render_ctx_init(struct render_ctx *rc, struct request *r, const struct query *q)
{
	memset(rc, 0, sizeof(*rc));
	rc->arena = r->arena;
	rc->base = r->base;
	rc->plain = r->plain;
	rc->no_links = r->no_links;
	rc->q = q;
}

int render_field_wanted(const struct render_ctx *rc, const struct resource *res, const char *name)
{
	return query_field_wanted(rc->q, res, name);
}

int render_title(const struct render_ctx *rc)
{
	return rc->q && rc->q->meta_title;
}
