/* cors.h: CORS response headers (API.md section 7) for the origins that
 * cors.allow_origins admits. */
#ifndef CORS_H
#define CORS_H
#include "first.h"
#include "req.h"

/* On every response to an admitted Origin: Access-Control-Allow-Origin,
 * Access-Control-Expose-Headers and Vary: Origin. Nothing otherwise. */
void cors_headers(struct request *r);

/* On a preflight OPTIONS from an admitted Origin, the rest:
 * -Allow-Methods (allow: the route's methods), -Allow-Headers, -Max-Age. */
void cors_preflight(struct request *r, const char *allow);

#endif
