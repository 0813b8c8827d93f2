/* plain.h: the plain format of section 5.5, for requests that do not ask
 * for JSON:API: flat objects, related ids instead of linkage, no links,
 * no included, and errors as [{"title", "detail", "source"}]. */
#ifndef PLAIN_H
#define PLAIN_H
#include "first.h"
#include "db.h"
#include "jsonw.h"
#include "resource.h"

struct render_ctx;
struct request;

/* Writes one resource as a flat object from a row of select_columns(). */
void plain_resource(const struct render_ctx *rc, struct jsonw *w, const struct resource *res,
		    const struct db_value *row);
/* Writes an id of res: a JSON number for integer ids, else a string. */
void plain_id(struct jsonw *w, const struct resource *res, const char *id, size_t len);
/* Replaces the body with the plain error array of r->errors. */
void plain_errors(struct request *r);

#endif
