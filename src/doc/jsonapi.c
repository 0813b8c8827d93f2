/* jsonapi.c: see jsonapi.h. A resource object's attributes and
 * relationships come from the walk fields.c shares with the plain format;
 * this file writes their JSON:API shape (sections, linkage, links). */
#include "first.h"
#include "jsonapi.h"
#include "arena.h"
#include "config.h"
#include "err.h"
#include "fields.h"
#include "maxima.h"
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

/* A string literal and its length, for the fixed runs of a document. */
#define RUN(text) text, sizeof(text) - 1

/* Where a resource object's links start, "{base}/api/{type}/{id}" (the
 * base JSON-escaped, the id percent-encoded), made once for the object's
 * dozen links: links are the most frequent strings of a document. */
struct link_base {
	const char *text;
	size_t len;
	char room[192]; /* text when it fits and needs no encoding, else the arena */
};

static void link_base_init(struct link_base *lb, struct arena *a, const char *base,
			   const char *type, const char *id, size_t id_len)
{
	size_t base_len = strlen(base), type_len = strlen(type);
	size_t len = base_len + 5 + type_len + 1 + id_len;
	if (len < sizeof(lb->room) && jw_plain_len(base, base_len) == base_len &&
	    url_unreserved_len(id, id_len) == id_len) {
		/* The usual case: nothing to encode, copied as it is. */
		char *o = lb->room;
		memcpy(o, base, base_len);
		o += base_len;
		memcpy(o, "/api/", 5);
		o += 5;
		memcpy(o, type, type_len);
		o += type_len;
		*o++ = '/';
		memcpy(o, id, id_len);
		lb->text = lb->room;
		lb->len = len;
		return;
	}
	struct buf b;
	buf_init(&b, MAX_URL_TEXT);
	jw_escape(&b, base, base_len);
	buf_append(&b, RUN("/api/"));
	buf_append(&b, type, type_len);
	buf_putc(&b, '/');
	url_encode(&b, id, id_len);
	lb->len = b.len;
	lb->text = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
}

/* Appends the link "{base}/api/{type}/{id}[/suffix1[/suffix2]]" inside a
 * JSON string: the suffixes are descriptor names. */
static void link_text(struct buf *out, const struct link_base *lb, const char *suffix1,
		      const char *suffix2)
{
	buf_append(out, lb->text, lb->len);
	if (suffix1) {
		buf_putc(out, '/');
		buf_puts(out, suffix1);
	}
	if (suffix2) {
		buf_putc(out, '/');
		buf_puts(out, suffix2);
	}
}

/* The member "links":{"self":...,"related":...} of relationship rel. */
static void rel_links(struct jsonw *w, const struct link_base *lb, const char *rel)
{
	struct buf *out = w->out;
	jw_raw(w, RUN("\"links\":{\"self\":\""));
	link_text(out, lb, "relationships", rel);
	buf_append(out, RUN("\",\"related\":\""));
	link_text(out, lb, rel, NULL);
	buf_append(out, RUN("\"}"));
}

/* The members "type" and "id", first in an object just begun: one run
 * with the type, a descriptor name. */
static void type_and_id(struct jsonw *w, const char *type, const char *id, size_t id_len)
{
	struct buf *out = w->out;
	jw_raw(w, RUN("\"type\":\""));
	buf_puts(out, type);
	buf_append(out, RUN("\",\"id\":\""));
	jw_escape(out, id, id_len);
	buf_putc(out, '"');
}

void jsonapi_identifier(struct jsonw *w, const char *type, const char *id, size_t id_len)
{
	jw_obj_begin(w);
	type_and_id(w, type, id, id_len);
	jw_obj_end(w);
}

void jsonapi_rel_links(struct arena *a, const char *base, struct jsonw *w, const char *type,
		       const char *id, const char *rel)
{
	struct link_base lb;
	link_base_init(&lb, a, base, type, id, strlen(id));
	rel_links(w, &lb, rel);
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

/* The visitor of fields_walk for a resource object: "attributes" and
 * "relationships" are opened with their first member. */
struct resource_writer {
	const struct render_ctx *rc;
	struct jsonw *w;
	struct link_base links; /* unset under no_links */
	int section;            /* 0 none yet, 1 attributes, 2 relationships */
};

static void enter(struct resource_writer *rw, int section)
{
	if (rw->section == section)
		return;
	if (rw->section)
		jw_obj_end(rw->w);
	jw_key(rw->w, section == 1 ? "attributes" : "relationships");
	jw_obj_begin(rw->w);
	rw->section = section;
}

static void put_attr(void *ctx, const struct attribute *a, const struct db_value *v)
{
	struct resource_writer *rw = ctx;
	enter(rw, 1);
	jw_key(rw->w, a->name);
	fields_value(rw->w, a, v);
}

static void put_rel_begin(void *ctx, const struct relationship *rel)
{
	struct resource_writer *rw = ctx;
	enter(rw, 2);
	jw_key(rw->w, rel->name);
	jw_obj_begin(rw->w);
	if (!rw->rc->no_links)
		rel_links(rw->w, &rw->links, rel->name);
	jw_key(rw->w, "data");
	if (rel->kind == REL_TO_MANY)
		jw_arr_begin(rw->w);
}

static void put_rel_id(void *ctx, const struct relationship *rel, const char *id, size_t len)
{
	struct resource_writer *rw = ctx;
	jsonapi_identifier(rw->w, rel->target, id, len);
}

static void put_rel_end(void *ctx, const struct relationship *rel, size_t n_ids)
{
	struct resource_writer *rw = ctx;
	if (rel->kind == REL_TO_MANY)
		jw_arr_end(rw->w);
	else if (n_ids == 0)
		jw_null(rw->w);
	jw_obj_end(rw->w);
}

static const struct fields_visitor resource_visitor = { put_attr, put_rel_begin, put_rel_id,
							put_rel_end };

void jsonapi_resource(const struct render_ctx *rc, struct jsonw *w, const struct resource *res,
		      const struct db_value *row)
{
	if (rc->plain) {
		plain_resource(rc, w, res, row);
		return;
	}
	const char *id = row[0].s;
	int title = render_title(rc);
	struct buf *out = w->out;
	jw_obj_begin(w);
	type_and_id(w, res->type, row[0].s, row[0].len);
	const char *include_id = rc->include_id
		? rc->include_id(rc->include_id_arg, rc->arena, res, id)
		: NULL;
	const char *data_id = rc->data_id ? rc->data_id(rc->data_id_arg, rc->arena, res, id) : NULL;
	if (title || include_id || data_id) {
		jw_key(w, "meta");
		jw_obj_begin(w);
		if (title) {
			const struct db_value *t = &row[select_ncols(res)];
			jw_key(w, "title");
			jw_strn(w, t->s ? t->s : "", t->s ? t->len : 0);
		}
		if (data_id) {
			jw_key(w, "dataId");
			jw_str(w, data_id);
		}
		if (include_id) {
			jw_key(w, "includeId");
			jw_str(w, include_id);
		}
		jw_obj_end(w);
	}
	struct resource_writer rw = { .rc = rc, .w = w };
	if (!rc->no_links) {
		link_base_init(&rw.links, rc->arena, rc->base, res->type, id, row[0].len);
		jw_raw(w, RUN("\"links\":{\"self\":\""));
		link_text(out, &rw.links, NULL, NULL);
		buf_append(out, RUN("\"}"));
	}

	fields_walk(rc, res, row, &resource_visitor, &rw);
	if (rw.section)
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
		jw_member_str(&w, "title", e->title);
		jw_member_str(&w, "detail", e->detail);
		const char *member;
		const char *source = err_source(e, &member);
		if (source) {
			jw_key(&w, "source");
			jw_obj_begin(&w);
			jw_member_str(&w, member, source);
			jw_obj_end(&w);
		}
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
}
