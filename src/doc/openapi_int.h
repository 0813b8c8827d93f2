/* openapi_int.h: what the openapi*.c files share (not for the rest of the
 * program: openapi.h is). The document is written in one pass through the
 * streaming writer; each file writes one member of it: openapi_paths.c the
 * paths, openapi_params.c and openapi_schemas.c and openapi_responses.c
 * their components. Names of components are listed here so the files agree. */
#ifndef OPENAPI_INT_H
#define OPENAPI_INT_H
#include "first.h"
#include "config.h"
#include "jsonw.h"
#include "resource.h"

struct openapi {
	struct jsonw *w;
	const struct config *cfg;
	const char *server; /* scheme://host/prefix, "" when unknown (apictl) */
};

/* openapi.c: small writing helpers. */
void openapi_kv(struct jsonw *w, const char *key, const char *value);
/* "$ref": "#/components/<kind>/<name>" as a member of the open object. */
void openapi_ref_member(struct jsonw *w, const char *kind, const char *name);
/* {"$ref": ...} as a value; name is a printf format. */
void openapi_ref(struct jsonw *w, const char *kind, const char *fmt, ...) ATTR_PRINTF(3, 4);
/* "type": "t" or "type": ["t", "null"]. */
void openapi_type(struct jsonw *w, const char *type, int nullable);

/* openapi_schemas.c: the "schemas" member of components. Per type T:
 * T (resource object of responses), T.identifier, T.plain, T.create,
 * T.update, T.batchItem, T.plainCreate, T.plainUpdate, T.document,
 * T.collection, T.createDocument, T.updateDocument, T.batchDocument;
 * shared: resource, includedItem, links.self, links.relationship,
 * links.collection, errors, errors.plain, oauth.request, oauth.token,
 * oauth.error, asyncoperations.summary, filterBody, openapi. */
void openapi_schemas_write(const struct openapi *o);
/* The schema of an id of res in the plain format (integer or string). */
void openapi_schemas_plain_id(struct jsonw *w, const struct resource *res);

/* openapi_params.c: the "parameters" member of components, and the
 * references an operation lists. */
void openapi_params_write(const struct openapi *o);
#define P_FILTERS 0x01u /* every filter of the type */
#define P_SORT    0x02u
#define P_PAGE    0x04u
#define P_FIELDS  0x08u /* fields[T] for every type include reaches, and include */
#define P_META    0x10u
#define P_XINCL   0x20u /* X-Include */
/* Writes the references of the wanted parameters of res (into an open
 * array). */
void openapi_params_refs(const struct openapi *o, const struct resource *res, unsigned what);

/* openapi_responses.c: the "responses" member of components (errorNNN,
 * unauthorized, methodNotAllowed, notModified) and the error statuses of an
 * operation. */
void openapi_responses_write(const struct openapi *o);
#define E_AUTH    0x01u /* authenticated /api operation: 400 401 403 406 414 415 500 503 */
#define E_ID      0x02u /* the path names a record: 404 */
#define E_WRITE   0x04u /* writes: 409 413 */
#define E_MATCH   0x08u /* If-Match: 412 */
/* Writes the members of the error statuses into the open "responses"
 * object; head: without bodies (HEAD). */
void openapi_responses_errors(const struct openapi *o, unsigned what, int head);

/* openapi_paths.c: the "paths" member. */
void openapi_paths_write(const struct openapi *o);

#endif
