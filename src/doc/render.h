/* render.h: what the renderers know of a request, built by the operation
 * (ops/): where links point, the format, the fieldsets and meta=title the
 * query asked for, and the extras a write adds to its answer (its own
 * included items and their client ids). So doc/ reads neither r->q nor
 * write state. */
#ifndef RENDER_H
#define RENDER_H
#include "first.h"
#include "resource.h"

struct arena;
struct included;
struct query;
struct request;

/* meta.includeId of the record (res, id) (made in arena a), or NULL. */
typedef const char *(*render_include_id_fn)(const void *arg, struct arena *a,
					    const struct resource *res, const char *id);

struct render_ctx {
	struct arena *arena;             /* scratch for include_render's set */
	const char *base;                /* scheme://host/prefix of links */
	int plain;                       /* the plain format (section 5.5) */
	int no_links;                    /* X-Include: noHateoas */
	const struct query *q;           /* fields[] and meta=title; NULL: every field, no title */
	struct included *extra;          /* batches added to `included` (a write's own items) */
	render_include_id_fn include_id; /* NULL: no meta.includeId */
	const void *include_id_arg;
	render_include_id_fn data_id;    /* NULL: no meta.dataId (a sync batch's records) */
	const void *data_id_arg;
};

/* A context for r's answer, from the parsed query q (may be NULL). */
void render_ctx_init(struct render_ctx *rc, struct request *r, const struct query *q);
/* Whether name (an attribute or relationship of res) is rendered. */
int render_field_wanted(const struct render_ctx *rc, const struct resource *res, const char *name);
/* Whether rows carry the meta=title column. */
int render_title(const struct render_ctx *rc);

#endif
