/* fields.h: the one walk over a resource row's fields that both formats
 * share (jsonapi.c, plain.c): the attributes and relationships fields[]
 * keeps, in descriptor order, with the column bookkeeping of select.h and
 * the linked ids of each relationship; and attribute values formatted by
 * type (section 5.4). The formats only say how each piece is written. */
#ifndef FIELDS_H
#define FIELDS_H
#include "first.h"
#include "db.h"
#include "jsonw.h"
#include "resource.h"

struct render_ctx;

/* What a format writes for each piece; ctx is the format's own state. */
struct fields_visitor {
	void (*attr)(void *ctx, const struct attribute *a, const struct db_value *v);
	/* A relationship: rel_begin, rel_id per linked id (a to-one has at
	 * most one: its foreign key), rel_end with the number of ids. */
	void (*rel_begin)(void *ctx, const struct relationship *rel);
	void (*rel_id)(void *ctx, const struct relationship *rel, const char *id, size_t len);
	void (*rel_end)(void *ctx, const struct relationship *rel, size_t n_ids);
};

/* Walks row (select_columns order) of res: attributes first, then
 * relationships, each only when rc's fields[] keeps it. */
void fields_walk(const struct render_ctx *rc, const struct resource *res,
		 const struct db_value *row, const struct fields_visitor *v, void *ctx);
/* An attribute value formatted by type (section 5.4); v->s NULL is null. */
void fields_value(struct jsonw *w, const struct attribute *a, const struct db_value *v);

#endif
