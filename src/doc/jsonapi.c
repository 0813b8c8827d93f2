/* jsonapi.c: see jsonapi.h. Values come from the database as text and are
 * formatted here by attribute type (section 5.4). */
#include "first.h"
#include "jsonapi.h"
#include "arena.h"
#include "config.h"
#include "plain.h"
#include "render.h"
#include "req.h"
#include "select.h"
#include "url.h"

#include <stdio.h>
#include <string.h>

void jsonapi_url(struct request *r, struct buf *out, const char *type, const char *id)
{
	buf_puts(out, r->base);
	buf_puts(out, "/api/");
	buf_puts(out, type);
	if (id) {
		buf_putc(out, '/');
		url_encode(out, id, strlen(id));
	}
}

/* Writes "{base}/api/{type}/{id}[/suffix1[/suffix2]]" as a JSON string
 * straight into the output: links are the most frequent strings of a
 * document, so no scratch buffer. Type and suffixes are descriptor names;
 * the id is percent-encoded, the base JSON-escaped. */
static void write_url(const char *base, struct jsonw *w, const char *type, const char *id,
		      const char *suffix1, const char *suffix2)
{
	struct buf *out = w->out;
	jw_str_open(w);
	jw_escape(out, base, strlen(base));
	buf_append(out, "/api/", 5);
	buf_puts(out, type);
	buf_putc(out, '/');
	url_encode(out, id, strlen(id));
	if (suffix1) {
		buf_putc(out, '/');
		buf_puts(out, suffix1);
	}
	if (suffix2) {
		buf_putc(out, '/');
		buf_puts(out, suffix2);
	}
	buf_putc(out, '"');
}

void jsonapi_identifier(struct jsonw *w, const char *type, const char *id, size_t id_len)
{
	jw_obj_begin(w);
	jw_key(w, "type");
	jw_str(w, type);
	jw_key(w, "id");
	jw_strn(w, id, id_len);
	jw_obj_end(w);
}

void jsonapi_rel_links(const char *base, struct jsonw *w, const char *type, const char *id,
		       const char *rel)
{
	jw_key(w, "links");
	jw_obj_begin(w);
	jw_key(w, "self");
	write_url(base, w, type, id, "relationships", rel);
	jw_key(w, "related");
	write_url(base, w, type, id, rel, NULL);
	jw_obj_end(w);
}

void jsonapi_value(struct jsonw *w, const struct attribute *a, const struct db_value *v)
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

void jsonapi_doc_begin(struct request *r, struct jsonw *w)
{
	if (r->plain)
		return;
	jw_obj_begin(w);
	jw_key(w, "data");
}

void jsonapi_doc_end(struct request *r, struct jsonw *w)
{
	if (!r->plain)
		jw_obj_end(w);
}

void jsonapi_linkage(struct request *r, struct jsonw *w, const char *type, const char *id,
		     size_t id_len)
{
	if (r->plain)
		plain_id(w, resources_find(type, strlen(type)), id, id_len);
	else
		jsonapi_identifier(w, type, id, id_len);
}

void jsonapi_resource(const struct render_ctx *rc, struct jsonw *w, const struct resource *res,
		      const struct db_value *row)
{
	if (rc->plain) {
		plain_resource(rc, w, res, row);
		return;
	}
	const char *id = row[0].s;
	int title = render_title(rc);
	jw_obj_begin(w);
	jw_key(w, "type");
	jw_str(w, res->type);
	jw_key(w, "id");
	jw_strn(w, row[0].s, row[0].len);
	const char *include_id = rc->include_id ? rc->include_id(rc->include_id_arg, rc->arena, res, id) : NULL;
	if (title || include_id) {
		jw_key(w, "meta");
		jw_obj_begin(w);
		if (title) {
			const struct db_value *t = &row[select_ncols(res)];
			jw_key(w, "title");
			jw_strn(w, t->s ? t->s : "", t->s ? t->len : 0);
		}
		if (include_id) {
			jw_key(w, "includeId");
			jw_str(w, include_id);
		}
		jw_obj_end(w);
	}
	if (!rc->no_links) {
		jw_key(w, "links");
		jw_obj_begin(w);
		jw_key(w, "self");
		write_url(rc->base, w, res->type, id, NULL, NULL);
		jw_obj_end(w);
	}

	int opened = 0;
	unsigned col = 1;
	for (size_t i = 0; i < res->n_attrs; i++) {
		const struct attribute *a = &res->attrs[i];
		if (!select_attr_visible(a))
			continue;
		const struct db_value *v = &row[col++];
		if (!render_field_wanted(rc, res, a->name))
			continue;
		if (!opened++) {
			jw_key(w, "attributes");
			jw_obj_begin(w);
		}
		jw_key(w, a->name);
		jsonapi_value(w, a, v);
	}
	if (opened)
		jw_obj_end(w);

	opened = 0;
	for (size_t i = 0; i < res->n_rels; i++) {
		const struct relationship *rel = &res->rels[i];
		const struct db_value *v = &row[col++];
		if (!render_field_wanted(rc, res, rel->name))
			continue;
		if (!opened++) {
			jw_key(w, "relationships");
			jw_obj_begin(w);
		}
		jw_key(w, rel->name);
		jw_obj_begin(w);
		if (!rc->no_links)
			jsonapi_rel_links(rc->base, w, res->type, id, rel->name);
		jw_key(w, "data");
		if (rel->kind == REL_TO_ONE) {
			if (v->s)
				jsonapi_identifier(w, rel->target, v->s, v->len);
			else
				jw_null(w);
		} else {
			jw_arr_begin(w);
			size_t pos = 0, len;
			const char *rid;
			while (linkage_next(v, &pos, &rid, &len))
				jsonapi_identifier(w, rel->target, rid, len);
			jw_arr_end(w);
		}
		jw_obj_end(w);
	}
	if (opened)
		jw_obj_end(w);
	jw_obj_end(w);
}

void jsonapi_errors(struct request *r)
{
	if (r->plain) {
		plain_errors(r);
		return;
	}
	buf_clear(&r->body);
	struct jsonw w;
	jw_init(&w, &r->body);
	jw_obj_begin(&w);
	jw_key(&w, "errors");
	jw_arr_begin(&w);
	for (const struct api_error *e = r->errors; e; e = e->next) {
		char status[8];
		snprintf(status, sizeof(status), "%d", e->status);
		jw_obj_begin(&w);
		jw_key(&w, "status");
		jw_str(&w, status);
		if (e->title) {
			jw_key(&w, "title");
			jw_str(&w, e->title);
		}
		if (e->detail) {
			jw_key(&w, "detail");
			jw_str(&w, e->detail);
		}
		if (e->pointer || e->parameter || e->header) {
			jw_key(&w, "source");
			jw_obj_begin(&w);
			jw_key(&w, e->pointer ? "pointer" : e->parameter ? "parameter" : "header");
			jw_str(&w, e->pointer ? e->pointer : e->parameter ? e->parameter : e->header);
			jw_obj_end(&w);
		}
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
}
