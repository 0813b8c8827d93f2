/* fields.c: see fields.h. Values come from the database as text. */
#include "first.h"
#include "fields.h"
#include "linkage.h"
#include "render.h"
#include "select.h"

#include <string.h>

void fields_walk(const struct render_ctx *rc, const struct resource *res,
		 const struct db_value *row, const struct fields_visitor *v, void *ctx)
{
	unsigned col = 1;
	for (size_t i = 0; i < res->n_attrs; i++) {
		const struct attribute *a = &res->attrs[i];
		if (!select_attr_visible(a))
			continue;
		const struct db_value *val = &row[col++];
		if (render_field_wanted(rc, res, a->name))
			v->attr(ctx, a, val);
	}
	for (size_t i = 0; i < res->n_rels; i++) {
		const struct relationship *rel = &res->rels[i];
		const struct db_value *val = &row[col++];
		if (!render_field_wanted(rc, res, rel->name))
			continue;
		v->rel_begin(ctx, rel);
		size_t n = 0;
		if (rel->kind == REL_TO_ONE) {
			if (val->s) {
				v->rel_id(ctx, rel, val->s, val->len);
				n = 1;
			}
		} else {
			size_t pos = 0, len;
			const char *id;
			for (; linkage_next(val, &pos, &id, &len); n++)
				v->rel_id(ctx, rel, id, len);
		}
		v->rel_end(ctx, rel, n);
	}
}

void fields_value(struct jsonw *w, const struct attribute *a, const struct db_value *v)
{
	if (!v->s) {
		jw_null(w);
		return;
	}
	switch (a->type) {
	case T_INT:
	case T_DECIMAL:
	case T_JSON:
		jw_raw(w, v->s, v->len);
		return;
	case T_BOOL:
		jw_bool(w, !(v->len == 1 && v->s[0] == '0'));
		return;
	case T_DATETIME: {
		/* "YYYY-MM-DD HH:MM:SS" (UTC) -> "YYYY-MM-DDTHH:MM:SSZ" */
		char dt[32];
		if (v->len != 19) {
			jw_strn(w, v->s, v->len);
			return;
		}
		memcpy(dt, v->s, 19);
		dt[10] = 'T';
		dt[19] = 'Z';
		jw_strn(w, dt, 20);
		return;
	}
	case T_STRING:
	case T_TEXT:
	case T_ENUM:
	case T_MONEY:
	case T_DATE:
		jw_strn(w, v->s, v->len);
		return;
	}
}
