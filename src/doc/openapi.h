/* openapi.h: the OpenAPI 3.1 description of the service (section 11),
 * generated from the resource descriptors, the router's route x method
 * table (router_allowed, which also answers Allow) and the query parsers'
 * own rules, so the document and the server cannot disagree. Served at
 * GET /api/doc/openapi.json without credentials, and by `apictl openapi`. */
#ifndef OPENAPI_H
#define OPENAPI_H
#include "first.h"
#include "config.h"
#include "jsonw.h"
#include "req.h"

/* Writes the whole document; server is the base URL the paths hang from
 * (scheme://host/prefix, no trailing slash; "" for a relative "/"). */
void openapi_write(struct jsonw *w, const struct config *cfg, const char *server);
/* GET/HEAD of the document: 200 with ETag (304 for a matching
 * If-None-Match), application/json. */
void openapi_respond(struct request *r);

#endif
