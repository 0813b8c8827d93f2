/* router.h: maps the request path onto a route (section 1) and tells which
 * methods the route allows. Records the 404s itself. */
#ifndef ROUTER_H
#define ROUTER_H
#include "first.h"
#include "req.h"

#define M_OPTIONS 0x01u
#define M_GET     0x02u
#define M_HEAD    0x04u
#define M_PATCH   0x08u
#define M_POST    0x10u
#define M_DELETE  0x20u

/* Fills r->route from r->path. 0, or -1 with a 404 recorded. */
int router_match(struct request *r);
/* The methods the matched route supports (M_* bits). */
unsigned router_allowed(const struct route *rt);
/* The Allow header value for those methods, in the contract's order. */
const char *router_allow_header(struct request *r, unsigned methods);
/* M_* bit of a method name, 0 for any other method. */
unsigned router_method_bit(const char *method);

#endif
