/* req.c: see req.h. The two accessors every layer uses: a request's
 * parameters come from its transport, its response headers go to its arena. */
#include "first.h"
#include "req.h"
#include "arena.h"

const char *req_param(const struct request *r, const char *name)
{
	return r->io->param(r->io->ctx, name);
}

void req_header(struct request *r, const char *name, const char *value)
{
	struct header *h = arena_alloc(r->arena, sizeof(*h));
	h->name = arena_strdup(r->arena, name);
	h->value = arena_strdup(r->arena, value);
	if (r->headers_tail)
		r->headers_tail->next = h;
	else
		r->headers = h;
	r->headers_tail = h;
}
