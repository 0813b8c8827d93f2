/* route.h: what router.c made of the request path (section 1). */
#ifndef ROUTE_H
#define ROUTE_H
#include "first.h"

enum route_kind {
	ROUTE_NONE,
	ROUTE_LIST,         /* /api/{type} */
	ROUTE_ITEM,         /* /api/{type}/{id} */
	ROUTE_SUBRESOURCE,  /* /api/{type}/{id}/{assoc} */
	ROUTE_RELATIONSHIP, /* /api/{type}/{id}/relationships/{assoc} */
	ROUTE_DOC,          /* /api/doc... (section 11): route.doc says which */
};

/* The documentation routes (ROUTE_DOC), served without credentials. */
enum doc_kind {
	DOC_NONE,
	DOC_SANDBOX, /* /api/doc: the HTML sandbox (doc/sandbox.c) */
	DOC_OPENAPI, /* /api/doc/openapi.json */
};

struct resource;
struct relationship;

struct route {
	enum route_kind kind;
	const struct resource *res;
	const struct relationship *rel;
	const char *id;           /* percent-decoded, NUL-terminated; NULL on lists */
	size_t id_len;
	const char *prefix;       /* mount prefix before /api ("" at the root) */
	enum doc_kind doc;        /* ROUTE_DOC only */
};

#endif
