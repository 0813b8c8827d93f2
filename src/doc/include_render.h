/* include_render.h: the `included` member of a document (section 6.4),
 * each record once and none of the primary ones. */
#ifndef INCLUDE_RENDER_H
#define INCLUDE_RENDER_H
#include "first.h"
#include "db.h"
#include "include.h"
#include "jsonw.h"
#include "resource.h"

struct render_ctx;

/* Writes "included": [...] when anything is left once the primary
 * resources (n rows of res) and duplicates are taken out. */
void include_render(const struct render_ctx *rc, struct jsonw *w, const struct resource *res,
		    const struct db_rows *rows, size_t n, const struct included *inc);

#endif
