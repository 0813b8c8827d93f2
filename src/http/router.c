/* router.c: see router.h. Routing works on the path of REQUEST_URI, which
 * every server sets alike, not on PATH_INFO. The mount prefix is whatever
 * precedes the first "/api" segment, so a shared host's sub-directory works
 * without configuration. */
#include "first.h"
#include "router.h"
#include "arena.h"
#include "config.h"
#include "err.h"
#include "resource.h"
#include "url.h"

#include <string.h>

/* The methods each route kind can ever offer, before the resource's own
 * actions narrow them. */
#define IMPLEMENTED (M_OPTIONS | M_GET | M_HEAD | M_PATCH | M_POST | M_DELETE)

static void no_route(struct request *r)
{
	err_addf(r, ERR_NOT_FOUND, "No route found for \"%s %s\".", r->method,
		 r->path);
}

/* Finds the segment "api" and returns the offset of the slash before it. */
static long find_api(const char *path, size_t len)
{
	for (size_t i = 0; i + 4 <= len; i++) {
		if (path[i] == '/' && memcmp(path + i + 1, "api", 3) == 0 &&
		    (i + 4 == len || path[i + 4] == '/'))
			return (long)i;
	}
	return -1;
}

int router_match(struct request *r)
{
	struct route *rt = &r->route;
	memset(rt, 0, sizeof(*rt));
	const char *path = r->path;
	size_t len = strlen(path);
	long at = find_api(path, len);
	if (at < 0 || !r->cfg->api_enabled) {
		no_route(r);
		return -1;
	}
	rt->prefix = arena_strndup(r->arena, path, (size_t)at);
	const char *p = path + at + 4; /* after "/api" */
	const char *end = path + len;

	/* Split the rest into at most 4 segments; more is no route. */
	const char *seg[5] = { 0 };
	size_t seglen[5] = { 0 };
	int nseg = 0;
	if (p == end || (p + 1 == end && *p == '/')) {
		no_route(r);
		return -1;
	}
	while (p < end) {
		if (*p != '/' || nseg == 5) {
			no_route(r);
			return -1;
		}
		p++;
		const char *s = p;
		while (p < end && *p != '/')
			p++;
		seg[nseg] = s;
		seglen[nseg] = (size_t)(p - s);
		nseg++;
	}
	for (int i = 0; i < nseg; i++) {
		if (seglen[i] == 0) {
			no_route(r);
			return -1;
		}
	}
	int rel_word = nseg >= 3 && seglen[2] == 13 && memcmp(seg[2], "relationships", 13) == 0;
	/* .../relationships needs an association after it; 4 segments need it. */
	if (nseg == 5 || (nseg == 4) != rel_word) {
		no_route(r);
		return -1;
	}

	/* The documentation (section 11): exactly /api/doc and
	 * /api/doc/openapi.json, before the types. */
	if (nseg == 1 && seglen[0] == 3 && memcmp(seg[0], "doc", 3) == 0) {
		rt->kind = ROUTE_DOC;
		rt->doc = DOC_SANDBOX;
		return 0;
	}
	if (nseg == 2 && seglen[0] == 3 && memcmp(seg[0], "doc", 3) == 0 &&
	    seglen[1] == 12 && memcmp(seg[1], "openapi.json", 12) == 0) {
		rt->kind = ROUTE_DOC;
		rt->doc = DOC_OPENAPI;
		return 0;
	}

	size_t tlen;
	char *type = url_decode(r->arena, seg[0], seglen[0], 0, &tlen);
	rt->res = resources_find(type, tlen);
	if (!rt->res) {
		err_addf(r, ERR_UNKNOWN_TYPE,
			 nseg >= 3 ? "Unknown parent entity type: %s." : "Unknown entity type: %s.", type);
		return -1;
	}
	if (nseg >= 2)
		rt->id = url_decode(r->arena, seg[1], seglen[1], 0, &rt->id_len);
	if (nseg >= 3) {
		int a = nseg == 4 ? 3 : 2;
		size_t alen;
		char *assoc = url_decode(r->arena, seg[a], seglen[a], 0, &alen);
		rt->rel = resource_rel(rt->res, assoc, alen);
		/* asyncoperations/{id}/errors: a subresource with no rel. */
		int errors_sub = nseg == 3 && rt->res->errors_subresource &&
				 strlen(rt->res->errors_subresource) == alen &&
				 memcmp(rt->res->errors_subresource, assoc, alen) == 0;
		if (!rt->rel && !errors_sub) {
			err_add(r, ERR_UNKNOWN_RELATION, "Unsupported subresource.");
			return -1;
		}
	}
	rt->kind = nseg == 1 ? ROUTE_LIST : nseg == 2 ? ROUTE_ITEM
		 : nseg == 3 ? ROUTE_SUBRESOURCE : ROUTE_RELATIONSHIP;
	if (router_allowed(rt) == M_OPTIONS) {
		/* A route left with nothing but OPTIONS does not exist. */
		no_route(r);
		return -1;
	}
	return 0;
}

unsigned router_allowed(const struct route *rt)
{
	if (rt->kind == ROUTE_DOC)
		return M_OPTIONS | M_GET | M_HEAD;
	unsigned a = rt->res->actions, m = M_OPTIONS;
	switch (rt->kind) {
	case ROUTE_LIST:
		if (a & ACT_LIST)
			m |= M_GET | M_HEAD;
		if (a & ACT_CREATE)
			m |= M_POST;
		/* PATCH on a list is the batch API (section 9): creates,
		 * updates, upserts. A type that only updates (organizations)
		 * offers it for meta.update records; each record to create is
		 * refused with its own error. */
		if (a & (ACT_CREATE | ACT_UPDATE))
			m |= M_PATCH;
		if (a & ACT_DELETE_LIST)
			m |= M_DELETE;
		break;
	case ROUTE_ITEM:
		if (a & ACT_GET)
			m |= M_GET | M_HEAD;
		if (a & ACT_UPDATE)
			m |= M_PATCH;
		if (a & ACT_DELETE)
			m |= M_DELETE;
		break;
	case ROUTE_SUBRESOURCE:
		if (a & ACT_GET)
			m |= M_GET | M_HEAD;
		break;
	case ROUTE_RELATIONSHIP:
		if (a & ACT_GET)
			m |= M_GET | M_HEAD;
		if ((a & ACT_UPDATE) && !(rt->rel->flags & R_RO)) {
			m |= M_PATCH;
			if (rt->rel->kind == REL_TO_MANY)
				m |= M_POST | M_DELETE;
		}
		break;
	case ROUTE_NONE:
	case ROUTE_DOC:
		break;
	}
	return m & IMPLEMENTED;
}

const char *router_allow_header(struct request *r, unsigned m)
{
	static const struct { unsigned bit; const char *name; } order[] = {
		{ M_OPTIONS, "OPTIONS" }, { M_GET, "GET" }, { M_HEAD, "HEAD" },
		{ M_PATCH, "PATCH" }, { M_POST, "POST" }, { M_DELETE, "DELETE" },
	};
	char out[64] = "";
	size_t o = 0;
	for (size_t i = 0; i < ARRAY_LEN(order); i++) {
		if (!(m & order[i].bit))
			continue;
		size_t n = strlen(order[i].name);
		if (o) {
			memcpy(out + o, ", ", 2);
			o += 2;
		}
		memcpy(out + o, order[i].name, n);
		o += n;
	}
	out[o] = '\0';
	return arena_strdup(r->arena, out);
}

unsigned router_method_bit(const char *method)
{
	static const struct { const char *name; unsigned bit; } map[] = {
		{ "OPTIONS", M_OPTIONS }, { "GET", M_GET }, { "HEAD", M_HEAD },
		{ "PATCH", M_PATCH }, { "POST", M_POST }, { "DELETE", M_DELETE },
	};
	for (size_t i = 0; i < ARRAY_LEN(map); i++)
		if (strcmp(method, map[i].name) == 0)
			return map[i].bit;
	return 0;
}
