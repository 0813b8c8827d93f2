/* sandbox.h: GET /api/doc (section 11), the HTML sandbox generated from
 * the resource descriptors and the router's methods. sandbox.c writes the
 * HTML, sandbox_assets.c holds the page's fixed CSS and JavaScript. */
#ifndef SANDBOX_H
#define SANDBOX_H
#include "first.h"
#include "req.h"

/* Writes the page into r->body with its status and headers
 * (Content-Type, Content-Security-Policy). */
void sandbox_page(struct request *r);

/* The page's style sheet and script (sandbox_assets.c): fixed text, so the
 * Content-Security-Policy names them by hash. */
extern const char sandbox_css[];
extern const char sandbox_js[];

#endif
