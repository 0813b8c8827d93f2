/* jsonapi.h: renders JSON:API documents (section 5) and error documents
 * (section 10) into the response body. */
#ifndef JSONAPI_H
#define JSONAPI_H
#include "first.h"
#include "db.h"
#include "jsonw.h"
#include "resource.h"

struct arena;
struct render_ctx;
struct request;

/* Appends the absolute URL of a resource ("{base}/api/{type}/{id}"). */
void jsonapi_url(struct request *r, struct buf *out, const char *type, const char *id);
/* Writes one resource object from a row of select_columns(). */
void jsonapi_resource(const struct render_ctx *rc, struct jsonw *w, const struct resource *res,
		      const struct db_value *row);
/* Writes {"type": type, "id": id}. */
void jsonapi_identifier(struct jsonw *w, const char *type, const char *id, size_t id_len);
/* Writes the member "links": {"self", "related"} of relationship rel of
 * (type, id), with links under base; scratch (an escaped base or id) from
 * arena a. */
void jsonapi_rel_links(struct arena *a, const char *base, struct jsonw *w, const char *type,
		       const char *id, const char *rel);
/* The top level around primary data: `{"data":` ... `}` for JSON:API,
 * nothing for the plain format (its data is the document). */
void jsonapi_doc_begin(struct request *r, struct jsonw *w);
void jsonapi_doc_end(struct request *r, struct jsonw *w);
/* One entry of linkage: {"type","id"}, or the bare id in the plain format. */
void jsonapi_linkage(struct request *r, struct jsonw *w, const char *type, const char *id,
		     size_t id_len);
/* Replaces the body with the error document of r->errors (the plain
 * format's error array for plain requests). */
void jsonapi_errors(struct request *r);

#endif
