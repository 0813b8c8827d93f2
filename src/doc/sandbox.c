/* sandbox.c: see sandbox.h. Every resource of the registry becomes a
 * collapsed <details> with one action per route and method the router
 * allows (router_allowed, so the page agrees with Allow: the one call up
 * into http/), each with its documentation (fields, filters, sort, include,
 * statuses) and a form the script (sandbox_assets.c) sends. Every text
 * that comes from a descriptor is HTML-escaped on the way out. */
#include "first.h"
#include "sandbox.h"
#include "buf.h"
#include "digest.h"
#include "arena.h"
#include "filter.h"
#include "resource.h"
#include "router.h"
#include "sort.h"

#include <openssl/evp.h>
#include <string.h>

/* --- writing ------------------------------------------------------------ */

static void put(struct buf *b, const char *s)
{
	buf_puts(b, s);
}

/* HTML-escaped text, safe in element content and quoted attributes. */
static void esc(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': put(b, "&amp;"); break;
		case '<': put(b, "&lt;"); break;
		case '>': put(b, "&gt;"); break;
		case '"': put(b, "&quot;"); break;
		case '\'': put(b, "&#39;"); break;
		default: buf_putc(b, *s);
		}
	}
}

/* Literal markup with the escaped text s between the two pieces. */
static void wrap(struct buf *b, const char *open, const char *s, const char *close)
{
	put(b, open);
	esc(b, s);
	put(b, close);
}

/* --- describing fields -------------------------------------------------- */

static const char *type_name(enum attr_type t)
{
	switch (t) {
	case T_INT: return "integer";
	case T_STRING: return "string";
	case T_TEXT: return "text";
	case T_ENUM: return "enum";
	case T_BOOL: return "boolean";
	case T_MONEY: return "money";
	case T_DATETIME: return "datetime";
	case T_DATE: return "date";
	case T_DECIMAL: return "number";
	case T_JSON: return "object";
	}
	return "";
}

/* The format a value is written in (what a client generator would call
 * the format). */
static const char *type_format(const struct attribute *a)
{
	if (a->flags & A_EMAIL)
		return "email";
	switch (a->type) {
	case T_MONEY: return "decimal string, 4 decimals: \"1234.5000\"";
	case T_DATETIME: return "date-time, UTC: \"2026-01-31T09:30:00Z\"";
	case T_DATE: return "date: \"2026-01-31\"";
	case T_INT: return a->flags & A_UNSIGNED ? "integer >= 0" : "32-bit integer";
	case T_JSON: return "JSON object or null";
	default: return NULL;
	}
}

enum table_mode { FOR_READ, FOR_CREATE, FOR_UPDATE };

static void flag(struct buf *b, const char *cls, const char *text)
{
	put(b, "<span class=\"fl ");
	put(b, cls);
	put(b, "\">");
	put(b, text);
	put(b, "</span>");
}

static void attr_row(struct buf *b, const struct attribute *a, enum table_mode mode)
{
	wrap(b, "<tr><td><code>", a->name, "</code></td><td>");
	put(b, type_name(a->type));
	put(b, "</td><td>");
	if ((a->flags & A_REQ) && mode == FOR_CREATE)
		flag(b, "req", "required");
	if (a->flags & A_RO)
		flag(b, "ro", "read-only");
	if (a->flags & A_WO)
		flag(b, "wo", "write-only");
	if (a->flags & A_UNIQ)
		flag(b, "uniq", "unique");
	put(b, "</td><td>");
	const char *fmt = type_format(a);
	if (fmt)
		wrap(b, "<div>", fmt, "</div>");
	if ((a->type == T_STRING || a->type == T_TEXT) && a->max_len && a->min_len)
		buf_printf(b, "<div>%u to %u characters</div>", a->min_len, a->max_len);
	else if ((a->type == T_STRING || a->type == T_TEXT) && a->max_len)
		buf_printf(b, "<div>at most %u characters</div>", a->max_len);
	if (a->type == T_ENUM && a->values) {
		put(b, "<div>one of:");
		for (const char *const *v = a->values; *v; v++)
			wrap(b, " <code>", *v, "</code>");
		put(b, "</div>");
	}
	put(b, "</td></tr>\n");
}

static void rel_row(struct buf *b, const struct resource *res, const struct relationship *rel,
		    enum table_mode mode)
{
	(void)res;
	wrap(b, "<tr><td><code>", rel->name, "</code></td><td>");
	put(b, rel->kind == REL_TO_ONE ? "to-one " : "to-many ");
	wrap(b, "<a href=\"#res-", rel->target, "\">");
	esc(b, rel->target);
	put(b, "</a></td><td>");
	if ((rel->flags & R_REQ) && mode == FOR_CREATE)
		flag(b, "req", "required");
	if (rel->flags & R_RO)
		flag(b, "ro", "read-only");
	if (rel->flags & R_NULLABLE)
		flag(b, "null", "nullable");
	put(b, "</td><td>");
	put(b, rel->kind == REL_TO_ONE ? "{\"type\", \"id\"}" : "[{\"type\", \"id\"}, ...]");
	put(b, "</td></tr>\n");
}

/* The members a read returns or a write accepts. */
static void fields_table(struct buf *b, const struct resource *res, enum table_mode mode)
{
	put(b, "<h4>Fields</h4><table class=\"t\"><thead><tr><th>name</th><th>type</th>"
	       "<th>marks</th><th>format, length, values</th></tr></thead><tbody>\n");
	put(b, "<tr><td><code>id</code></td><td>");
	put(b, res->id_kind == ID_INT ? "string (integer)" : "string");
	put(b, "</td><td>");
	if (res->id_kind == ID_STRING && mode == FOR_CREATE)
		flag(b, "req", "required");
	else if (mode == FOR_CREATE)
		flag(b, "ro", "generated");
	put(b, "</td><td>");
	if (res->id_kind == ID_STRING)
		buf_printf(b, "client id, at most %u characters", res->id_max_len);
	put(b, "</td></tr>\n");
	for (size_t i = 0; i < res->n_attrs; i++) {
		const struct attribute *a = &res->attrs[i];
		if (mode == FOR_READ && (a->flags & A_WO))
			continue;
		if (mode != FOR_READ && (a->flags & A_RO))
			continue;
		attr_row(b, a, mode);
	}
	for (size_t i = 0; i < res->n_rels; i++) {
		if (mode != FOR_READ && (res->rels[i].flags & R_RO))
			continue;
		rel_row(b, res, &res->rels[i], mode);
	}
	put(b, "</tbody></table>\n");
}

/* The operator names of a bit set, space-separated (an attribute value). */
static void op_names(struct buf *b, unsigned ops)
{
	int first = 1;
	for (int op = 0; op < FOP_COUNT; op++) {
		if (!(ops & (1u << op)))
			continue;
		if (!first)
			buf_putc(b, ' ');
		put(b, filter_op_name((enum filter_op)op));
		first = 0;
	}
}

/* Calls fn for the id, every attribute and every association of res with
 * the name of each field that can be filtered on. */
typedef void (*field_fn)(struct buf *b, const char *name, unsigned ops, int list_ok,
			 int range_ok);

static void each_filter(struct buf *b, const struct resource *res, field_fn fn)
{
	size_t n = res->n_attrs + res->n_rels + 1;
	for (size_t i = 0; i < n; i++) {
		const char *name = i == 0 ? "id" : i <= res->n_attrs ? res->attrs[i - 1].name
			: res->rels[i - 1 - res->n_attrs].name;
		int list_ok = 0, range_ok = 0;
		unsigned ops = filter_field_ops(res, name, &list_ok, &range_ok);
		if (ops)
			fn(b, name, ops, list_ok, range_ok);
	}
}

static void filter_row(struct buf *b, const char *name, unsigned ops, int list_ok, int range_ok)
{
	wrap(b, "<tr><td><code>filter[", name, "]</code></td><td class=\"ops\">");
	op_names(b, ops);
	put(b, "</td><td>");
	if (list_ok)
		put(b, "<code>a,b</code> list ");
	if (range_ok)
		put(b, "<code>a..b</code> range");
	put(b, "</td></tr>\n");
}

static void filter_option(struct buf *b, const char *name, unsigned ops, int list_ok,
			  int range_ok)
{
	(void)list_ok;
	(void)range_ok;
	wrap(b, "<option value=\"", name, "\" data-ops=\"");
	op_names(b, ops);
	wrap(b, "\">", name, "</option>");
}

static void filters_doc(struct buf *b, const struct resource *res)
{
	put(b, "<h4>Filters</h4><p class=\"note\"><code>filter[field]=v</code> is <code>eq</code>;"
	       " <code>filter[field][op]=v</code> names the operator; dotted paths through to-one"
	       " associations (<code>filter[owner.id]</code>) reach related fields.</p>"
	       "<table class=\"t\"><thead><tr><th>parameter</th><th>operators</th>"
	       "<th>values</th></tr></thead><tbody>\n");
	each_filter(b, res, filter_row);
	put(b, "</tbody></table>\n");
}

static void sort_doc(struct buf *b, const struct resource *res)
{
	put(b, "<h4>Sort</h4><p><code>sort=a,-b</code> (<code>-</code> descending; default"
	       " <code>id</code>) by:");
	size_t n = res->n_attrs + res->n_rels + 1;
	for (size_t i = 0; i < n; i++) {
		const char *name = i == 0 ? "id" : i <= res->n_attrs ? res->attrs[i - 1].name
			: res->rels[i - 1 - res->n_attrs].name;
		if (sort_field_ok(res, name))
			wrap(b, " <code>", name, "</code>");
	}
	put(b, "</p>\n");
}

static void include_doc(struct buf *b, const struct resource *res)
{
	if (!res->n_rels)
		return;
	put(b, "<h4>Include</h4><p><code>include=a,b.c</code> (dotted paths, at most 3 levels):");
	for (size_t i = 0; i < res->n_rels; i++)
		wrap(b, " <code>", res->rels[i].name, "</code>");
	put(b, "</p>\n");
}

/* --- actions -------------------------------------------------------------- */

enum act {
	A_LIST,        /* GET /api/{type} */
	A_CREATE,      /* POST /api/{type} */
	A_BATCH,       /* PATCH /api/{type} */
	A_DELETE_LIST, /* DELETE /api/{type} */
	A_GET,         /* GET /api/{type}/{id} */
	A_UPDATE,      /* PATCH /api/{type}/{id} */
	A_DELETE,      /* DELETE /api/{type}/{id} */
	A_RELATED,     /* GET /api/{type}/{id}/{assoc} */
	A_LINKAGE,     /* GET /api/{type}/{id}/relationships/{assoc} */
	A_LINK_PATCH,  /* PATCH: replace */
	A_LINK_POST,   /* POST: add */
	A_LINK_DELETE, /* DELETE: remove */
	A_ERRORS,      /* GET /api/asyncoperations/{id}/errors (no relationship) */
};

struct action {
	enum act act;
	const char *method;
	const char *title;
	const char *statuses; /* status codes and what they mean (literal HTML) */
};

#define COMMON_4XX "<li><b>401</b> no or bad credentials (empty body)</li>" \
		   "<li><b>403</b> not allowed</li><li><b>406</b> / <b>415</b> media types</li>"
#define COMMON_5XX "<li><b>405</b> method not allowed (see <code>Allow</code>)</li>" \
		   "<li><b>500</b> internal error</li><li><b>503</b> database unavailable</li>"

static const struct action actions[] = {
	{ A_LIST, "GET", "List",
	  "<li><b>200</b> a page of records</li><li><b>400</b> bad query parameter</li>" COMMON_4XX },
	{ A_CREATE, "POST", "Create",
	  "<li><b>201</b> created, with <code>Location</code></li><li><b>200</b> upsert that"
	  " updated</li><li><b>400</b> invalid body</li>" COMMON_4XX
	  "<li><b>409</b> conflict (type, existing id, upsert)</li><li><b>413</b> body too large</li>" },
	{ A_BATCH, "PATCH", "Batch (create, update, upsert many)",
	  "<li><b>202</b> accepted, an <code>asyncoperations</code> resource"
	  " (<code>Content-Location</code>)</li><li><b>200</b> with <code>X-Mode: sync</code></li>"
	  "<li><b>400</b> invalid body or <code>X-Mode</code></li>" COMMON_4XX
	  "<li><b>413</b> body too large</li>" },
	{ A_DELETE_LIST, "DELETE", "Delete by filter",
	  "<li><b>204</b> deleted (at most 100 a request)</li><li><b>400</b> no filter, or a bad one</li>"
	  COMMON_4XX "<li><b>409</b> others depend on a record</li>" },
	{ A_GET, "GET", "Read one",
	  "<li><b>200</b> the record</li><li><b>304</b> unchanged (<code>If-None-Match</code>)</li>"
	  "<li><b>400</b> bad query parameter</li>" COMMON_4XX "<li><b>404</b> no such record</li>" },
	{ A_UPDATE, "PATCH", "Update",
	  "<li><b>200</b> updated</li><li><b>201</b> upsert that created</li><li><b>400</b> invalid"
	  " body</li>" COMMON_4XX "<li><b>404</b> no such record</li><li><b>409</b> type or id"
	  " differ from the URL</li><li><b>412</b> <code>If-Match</code> failed</li>" },
	{ A_DELETE, "DELETE", "Delete",
	  "<li><b>204</b> deleted</li>" COMMON_4XX "<li><b>404</b> no such record</li>"
	  "<li><b>409</b> others depend on it</li><li><b>412</b> <code>If-Match</code> failed</li>" },
	{ A_RELATED, "GET", "Related records",
	  "<li><b>200</b> the related record(s)</li><li><b>400</b> bad query parameter</li>"
	  COMMON_4XX "<li><b>404</b> no such record</li>" },
	{ A_LINKAGE, "GET", "Relationship linkage",
	  "<li><b>200</b> <code>{\"type\", \"id\"}</code> identifiers</li>" COMMON_4XX
	  "<li><b>404</b> no such record</li>" },
	{ A_LINK_PATCH, "PATCH", "Replace the relationship",
	  "<li><b>204</b> replaced</li><li><b>400</b> invalid body or related id</li>" COMMON_4XX
	  "<li><b>404</b> no such record</li>" },
	{ A_LINK_POST, "POST", "Add to the relationship",
	  "<li><b>204</b> added</li><li><b>400</b> invalid body or related id</li>" COMMON_4XX
	  "<li><b>404</b> no such record</li>" },
	{ A_LINK_DELETE, "DELETE", "Remove from the relationship",
	  "<li><b>204</b> removed</li><li><b>400</b> invalid body or related id</li>" COMMON_4XX
	  "<li><b>404</b> no such record</li>" },
	{ A_ERRORS, "GET", "Errors of the operation",
	  "<li><b>200</b> a page of <code>" ASYNC_ERRORS_TYPE "</code></li><li><b>400</b> bad"
	  " query parameter</li>" COMMON_4XX "<li><b>404</b> no such operation</li>" },
};

/* --- example bodies --------------------------------------------------------- */

/* A JSON string of known-safe characters. */
static void jstr(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

/* A value for attribute a that the validation accepts; sfx (8 lower-case
 * hex digits, new on every page) keeps unique fields unique. */
static void example_value(struct buf *b, struct arena *ar, const struct attribute *a,
			  const char *sfx)
{
	char up[9];
	for (int i = 0; i < 8; i++)
		up[i] = (char)('A' + (sfx[i] >= 'a' ? sfx[i] - 'a' + 10 : sfx[i] - '0'));
	up[8] = '\0';
	const char *s;
	switch (a->type) {
	case T_INT: put(b, "1"); return;
	case T_DECIMAL: put(b, "0.5"); return;
	case T_BOOL: put(b, "true"); return;
	case T_MONEY: jstr(b, "1234.5000"); return;
	case T_DATETIME: jstr(b, "2026-01-31T09:30:00Z"); return;
	case T_DATE: jstr(b, "1990-01-31"); return;
	case T_JSON: put(b, "null"); return;
	case T_ENUM: jstr(b, a->values && a->values[0] ? a->values[0] : ""); return;
	case T_TEXT: jstr(b, "Some longer text."); return;
	case T_STRING: break;
	}
	if (a->flags & A_EMAIL)
		s = arena_printf(ar, "example.%s@example.com", sfx);
	else if (a->flags & A_HASHED)
		s = arena_printf(ar, "Secret-%s", sfx);
	else if (strcmp(a->name, "role") == 0) /* userroles: ROLE_ and upper case */
		s = arena_printf(ar, "ROLE_EXAMPLE_%s", up);
	else if (a->flags & A_UNIQ)
		s = arena_printf(ar, "%s%s", a->max_len && a->max_len < 12 ? "" : "example-", up);
	else if (strcmp(a->name, "firstName") == 0)
		s = "Jane";
	else if (strcmp(a->name, "lastName") == 0)
		s = "Doe";
	else
		s = arena_printf(ar, "Example %s", a->name);
	char *v = arena_strdup(ar, s);
	if (a->max_len && strlen(v) > a->max_len)
		v[a->max_len] = '\0';
	jstr(b, v);
}

/* One resource object of a create (or of an update when id is set). */
static void example_resource(struct buf *b, struct arena *ar, const struct resource *res,
			     const char *id, const char *sfx, const char *ind)
{
	buf_printf(b, "{\n%s  \"type\": ", ind);
	jstr(b, res->type);
	if (id) {
		buf_printf(b, ",\n%s  \"id\": ", ind);
		jstr(b, id);
	} else if (res->id_kind == ID_STRING) {
		/* Client ids (countries): an upper-case code of the right size,
		 * from the user-assigned range (X?) so no real country is taken. */
		char code[3] = { 'X', (char)('A' + (sfx[0] + sfx[1]) % 26), 0 };
		buf_printf(b, ",\n%s  \"id\": ", ind);
		jstr(b, code);
	}
	buf_printf(b, ",\n%s  \"attributes\": {", ind);
	int n = 0;
	for (size_t i = 0; i < res->n_attrs; i++) {
		const struct attribute *a = &res->attrs[i];
		if (a->flags & A_RO)
			continue;
		/* An update shows one change; a create every writable member. */
		if (id && n == 1)
			break;
		buf_printf(b, "%s\n%s    ", n++ ? "," : "", ind);
		jstr(b, a->name);
		put(b, ": ");
		example_value(b, ar, a, sfx);
	}
	buf_printf(b, "\n%s  }", ind);
	int nr = 0;
	for (size_t i = 0; i < res->n_rels && !id; i++) {
		const struct relationship *rel = &res->rels[i];
		if (!(rel->flags & R_REQ))
			continue;
		if (nr++)
			put(b, ",");
		else
			buf_printf(b, ",\n%s  \"relationships\": {", ind);
		buf_printf(b, "\n%s    ", ind);
		jstr(b, rel->name);
		put(b, ": {\"data\": ");
		put(b, rel->kind == REL_TO_MANY ? "[{\"type\": " : "{\"type\": ");
		jstr(b, rel->target);
		put(b, rel->kind == REL_TO_MANY ? ", \"id\": \"1\"}]}" : ", \"id\": \"1\"}}");
	}
	if (nr)
		buf_printf(b, "\n%s  }", ind);
	buf_printf(b, "\n%s}", ind);
}

static const char *example_body(struct request *r, const struct resource *res,
				const struct relationship *rel, enum act act, const char *sfx)
{
	struct buf b;
	buf_init(&b, 1 << 16);
	switch (act) {
	case A_CREATE:
		put(&b, "{\"data\": ");
		example_resource(&b, r->arena, res, NULL, sfx, "");
		put(&b, "}");
		break;
	case A_UPDATE:
		put(&b, "{\"data\": ");
		example_resource(&b, r->arena, res, "1", sfx, "");
		put(&b, "}");
		break;
	case A_BATCH:
		put(&b, "{\"data\": [\n  ");
		example_resource(&b, r->arena, res, NULL, sfx, "  ");
		put(&b, "\n]}");
		break;
	case A_LINK_PATCH:
	case A_LINK_POST:
	case A_LINK_DELETE:
		put(&b, rel->kind == REL_TO_MANY ? "{\"data\": [{\"type\": " : "{\"data\": {\"type\": ");
		jstr(&b, rel->target);
		put(&b, rel->kind == REL_TO_MANY ? ", \"id\": \"1\"}]}" : ", \"id\": \"1\"}}");
		break;
	default:
		break;
	}
	const char *out = buf_failed(&b) ? "" : arena_strdup(r->arena, b.data ? b.data : "");
	buf_free(&b);
	return out;
}

/* --- the form --------------------------------------------------------------- */

static int has_body(enum act a)
{
	return a == A_CREATE || a == A_BATCH || a == A_UPDATE || a == A_LINK_PATCH ||
	       a == A_LINK_POST || a == A_LINK_DELETE;
}

static void input(struct buf *b, const char *label, const char *name, const char *type,
		  const char *hint)
{
	wrap(b, "<label class=\"in\"><span>", label, "</span>");
	buf_printf(b, "<input name=\"%s\" type=\"%s\" autocomplete=\"off\"", name, type);
	if (hint)
		wrap(b, " placeholder=\"", hint, "\"");
	put(b, "></label>\n");
}

/* The names of res's fields that `what` accepts, for a placeholder. */
static const char *names_hint(struct request *r, const struct resource *res, int sortable)
{
	struct buf b;
	buf_init(&b, 1 << 14);
	if (sortable)
		put(&b, "id");
	for (size_t i = 0; i < res->n_rels && !sortable; i++)
		buf_printf(&b, "%s%s", i ? "," : "", res->rels[i].name);
	for (size_t i = 0; i < res->n_attrs && sortable; i++)
		if (sort_field_ok(res, res->attrs[i].name))
			buf_printf(&b, ",%s", res->attrs[i].name);
	const char *out = arena_strdup(r->arena, b.data ? b.data : "");
	buf_free(&b);
	return out;
}

static void form(struct buf *b, struct request *r, const struct resource *res,
		 const struct relationship *rel, enum act act, const char *sfx)
{
	/* The records the response holds: the target's for related lists. */
	const struct resource *shown = act == A_RELATED ? resource_target(rel) : res;
	int many = act == A_LIST || (act == A_RELATED && rel->kind == REL_TO_MANY);
	int reads = act == A_LIST || act == A_GET || act == A_RELATED;
	int paged = many || act == A_ERRORS;
	put(b, "<form class=\"try\" novalidate>\n<div class=\"grid\">\n");
	if (act >= A_GET)
		input(b, "id", "id", "text", res->id_kind == ID_INT ? "1" : "US");
	if (many || act == A_DELETE_LIST) {
		put(b, "<div class=\"filters\"><span class=\"lbl\">filters</span>"
		       "<div class=\"frow\"><select name=\"ffield\" aria-label=\"filter field\">"
		       "<option value=\"\">field</option>");
		each_filter(b, shown, filter_option);
		put(b, "</select><select name=\"fop\" aria-label=\"operator\"><option>eq</option>"
		       "</select><input name=\"fval\" aria-label=\"value\" autocomplete=\"off\">"
		       "</div><button type=\"button\" class=\"small addf\">+ filter</button></div>\n");
	}
	if (reads) {
		if (shown->n_rels)
			input(b, "include", "include", "text", names_hint(r, shown, 0));
		const char *fl = arena_printf(r->arena, "fields[%s]", shown->type);
		wrap(b, "<label class=\"in\"><span>", fl, "</span>");
		wrap(b, "<input name=\"fields\" type=\"text\" autocomplete=\"off\" data-type=\"",
		     shown->type, "\"></label>\n");
	}
	if (many)
		input(b, "sort", "sort", "text", names_hint(r, shown, 1));
	if (paged) {
		input(b, "page[number]", "pnum", "number", "1");
		input(b, "page[size]", "psize", "number", "10");
	}
	if (reads)
		put(b, "<label class=\"ck\"><input type=\"checkbox\" name=\"meta\" value=\"title\">"
		       " meta=title</label>\n");
	put(b, "<div class=\"xh\"><span class=\"lbl\">X-Include</span>");
	if (many || act == A_LINKAGE)
		put(b, "<label class=\"ck\"><input type=\"checkbox\" name=\"xinc\" value=\"totalCount\">"
		       " totalCount</label>");
	if (act == A_DELETE_LIST)
		put(b, "<label class=\"ck\"><input type=\"checkbox\" name=\"xinc\""
		       " value=\"deletedCount\"> deletedCount</label>");
	put(b, "<label class=\"ck\"><input type=\"checkbox\" name=\"xinc\" value=\"noHateoas\">"
	       " noHateoas</label></div>\n");
	if (act == A_BATCH)
		put(b, "<label class=\"in\"><span>X-Mode</span><select name=\"xmode\">"
		       "<option value=\"\">async (202)</option><option value=\"sync\">sync (200)</option>"
		       "</select></label>\n");
	put(b, "<label class=\"in\"><span>format</span><select name=\"fmt\">"
	       "<option value=\"jsonapi\">JSON:API</option><option value=\"plain\">plain JSON</option>"
	       "</select></label>\n</div>\n");
	if (has_body(act)) {
		put(b, "<label class=\"body\"><span>body</span><textarea name=\"body\" rows=\"12\""
		       " spellcheck=\"false\">");
		esc(b, example_body(r, res, rel, act, sfx));
		put(b, "</textarea></label>\n");
	}
	put(b, "<div class=\"go\"><button type=\"submit\" class=\"tryb\">Try!</button>"
	       "<span class=\"err\" role=\"alert\"></span></div>\n</form>\n"
	       "<div class=\"out\" hidden>"
	       "<h4>Request URL</h4><pre class=\"o-url\"></pre>"
	       "<h4>Response Headers</h4><pre class=\"o-head\"></pre>"
	       "<h4>Response Body</h4><pre class=\"o-body\"></pre>"
	       "<h4>Curl Command Line</h4><pre class=\"o-curl\"></pre></div>\n");
}

static void action(struct buf *b, struct request *r, const struct resource *res,
		   const struct relationship *rel, const struct action *a, const char *sfx)
{
	const char *path;
	if (a->act == A_ERRORS)
		path = arena_printf(r->arena, "/api/%s/{id}/%s", res->type, res->errors_subresource);
	else if (a->act <= A_DELETE_LIST)
		path = arena_printf(r->arena, "/api/%s", res->type);
	else if (a->act <= A_DELETE)
		path = arena_printf(r->arena, "/api/%s/{id}", res->type);
	else if (a->act == A_RELATED)
		path = arena_printf(r->arena, "/api/%s/{id}/%s", res->type, rel->name);
	else
		path = arena_printf(r->arena, "/api/%s/{id}/relationships/%s", res->type, rel->name);
	const char *m = a->method;
	wrap(b, "<details class=\"act\" data-method=\"", m, "\" data-path=\"");
	esc(b, path);
	buf_printf(b, "\" data-kind=\"%d\"><summary><span class=\"m m-%c\">", (int)a->act, m[0]);
	esc(b, m);
	wrap(b, "</span> <code class=\"path\">", path, "</code> <span class=\"what\">");
	esc(b, a->title);
	put(b, "</span></summary>\n<div class=\"inner\"><div class=\"doc\">\n");
	switch (a->act) {
	case A_LIST:
	case A_GET:
		fields_table(b, res, FOR_READ);
		if (a->act == A_LIST) {
			filters_doc(b, res);
			sort_doc(b, res);
			put(b, "<h4>Paging</h4><p><code>page[number]</code> (from 1),"
			       " <code>page[size]</code> (default 10, <code>-1</code> for all)</p>\n");
		}
		include_doc(b, res);
		break;
	case A_CREATE:
	case A_BATCH:
		fields_table(b, res, FOR_CREATE);
		if (a->act == A_BATCH)
			put(b, "<p class=\"note\"><code>data</code> is an array: items without"
			       " <code>meta</code> are created, <code>meta.update: true</code> updates,"
			       " <code>meta.upsert</code> upserts. <code>X-Mode: sync</code>: all or"
			       " nothing, at most 100 records; poll the <code>asyncoperations</code>"
			       " resource otherwise.</p>\n");
		else
			put(b, "<p class=\"note\"><code>data.meta.upsert</code> (<code>true</code> or a"
			       " list of unique fields) and <code>data.meta.validate</code> are"
			       " accepted.</p>\n");
		break;
	case A_UPDATE:
		fields_table(b, res, FOR_UPDATE);
		put(b, "<p class=\"note\">Only the members sent change; <code>data.type</code> and"
		       " <code>data.id</code> must match the URL.</p>\n");
		break;
	case A_DELETE_LIST:
		filters_doc(b, res);
		put(b, "<p class=\"note\">At least one filter; at most 100 records a request,"
		       " lowest ids first.</p>\n");
		break;
	case A_DELETE:
		break;
	case A_RELATED: {
		const struct resource *t = resource_target(rel);
		buf_printf(b, "<p>%s <a href=\"#res-", rel->kind == REL_TO_ONE
			   ? "The related record (or <code>null</code>), a" : "The related records,");
		esc(b, t->type);
		put(b, "\">");
		esc(b, t->type);
		put(b, "</a> resource.</p>\n");
		if (rel->kind == REL_TO_MANY) {
			filters_doc(b, t);
			sort_doc(b, t);
		}
		include_doc(b, t);
		break;
	}
	case A_LINKAGE:
	case A_LINK_PATCH:
	case A_LINK_POST:
	case A_LINK_DELETE: {
		put(b, "<p>");
		put(b, rel->kind == REL_TO_ONE ? "To-one: <code>{\"data\": {\"type\", \"id\"} | null}"
			: "To-many: <code>{\"data\": [{\"type\", \"id\"}, ...]}");
		wrap(b, "</code> of <a href=\"#res-", rel->target, "\">");
		esc(b, rel->target);
		put(b, "</a>.</p>\n");
		break;
	}
	case A_ERRORS:
		put(b, "<p>The records the operation could not write: <code>status</code> (an"
		       " integer), <code>title</code>, <code>detail</code> and"
		       " <code>source.pointer</code> into the request body it was given.</p>\n"
		       "<h4>Paging</h4><p><code>page[number]</code> (from 1),"
		       " <code>page[size]</code> (default 10)</p>\n");
		break;
	}
	put(b, "<h4>Status codes</h4><ul class=\"st\">");
	put(b, a->statuses);
	put(b, COMMON_5XX "</ul>\n</div>\n<div class=\"side\">\n");
	form(b, r, res, rel, a->act, sfx);
	put(b, "</div></div></details>\n");
}

/* The actions of one route, as router_allowed offers them. */
static int route_actions(struct buf *b, struct request *r, const struct resource *res,
			 const struct relationship *rel, enum route_kind kind, const char *sfx)
{
	struct route rt = { .kind = kind, .res = res, .rel = rel };
	unsigned m = router_allowed(&rt);
	if (m == M_OPTIONS)
		return 0;
	static const struct {
		enum route_kind kind;
		unsigned bit;
		enum act act;
	} map[] = {
		{ ROUTE_LIST, M_GET, A_LIST }, { ROUTE_LIST, M_POST, A_CREATE },
		{ ROUTE_LIST, M_PATCH, A_BATCH }, { ROUTE_LIST, M_DELETE, A_DELETE_LIST },
		{ ROUTE_ITEM, M_GET, A_GET }, { ROUTE_ITEM, M_PATCH, A_UPDATE },
		{ ROUTE_ITEM, M_DELETE, A_DELETE }, { ROUTE_SUBRESOURCE, M_GET, A_RELATED },
		{ ROUTE_RELATIONSHIP, M_GET, A_LINKAGE }, { ROUTE_RELATIONSHIP, M_PATCH, A_LINK_PATCH },
		{ ROUTE_RELATIONSHIP, M_POST, A_LINK_POST },
		{ ROUTE_RELATIONSHIP, M_DELETE, A_LINK_DELETE },
	};
	int n = 0;
	wrap(b, "<div class=\"route\"><div class=\"allow\">Allow: <code>",
	     router_allow_header(r, m), "</code>");
	put(b, m & M_HEAD ? " <span class=\"note\">(HEAD: as GET without a body)</span>" : "");
	put(b, "</div>\n");
	for (size_t i = 0; i < ARRAY_LEN(map); i++) {
		if (map[i].kind != kind || !(m & map[i].bit))
			continue;
		/* A subresource without a relationship: the errors list. */
		enum act act = kind == ROUTE_SUBRESOURCE && !rel ? A_ERRORS : map[i].act;
		action(b, r, res, rel, &actions[act], sfx);
		n++;
	}
	put(b, "</div>\n");
	return n;
}

static const char *ownership_text(enum ownership o)
{
	switch (o) {
	case OWN_SHARED: return "shared by every organization";
	case OWN_ITSELF: return "a user sees its own organization";
	case OWN_ORGANIZATION: return "owned by an organization";
	case OWN_BUSINESS_UNIT: return "owned by a business unit";
	case OWN_USER: return "owned by a user";
	}
	return "";
}

static void resource_section(struct buf *b, struct request *r, const struct resource *res,
			     const char *sfx)
{
	wrap(b, "<details class=\"res\" id=\"res-", res->type, "\"><summary><span class=\"rname\">");
	esc(b, res->type);
	wrap(b, "</span> <span class=\"rmeta\">", ownership_text(res->ownership), "</span>");
	put(b, "</summary>\n<div class=\"rbody\">\n");
	route_actions(b, r, res, NULL, ROUTE_LIST, sfx);
	route_actions(b, r, res, NULL, ROUTE_ITEM, sfx);
	for (size_t i = 0; i < res->n_rels; i++) {
		route_actions(b, r, res, &res->rels[i], ROUTE_SUBRESOURCE, sfx);
		route_actions(b, r, res, &res->rels[i], ROUTE_RELATIONSHIP, sfx);
	}
	if (res->errors_subresource)
		route_actions(b, r, res, NULL, ROUTE_SUBRESOURCE, sfx);
	put(b, "</div></details>\n");
}

/* --- the page ------------------------------------------------------------- */

/* 'sha256-...' of a text, for the Content-Security-Policy. */
static const char *csp_hash(struct request *r, const char *text)
{
	unsigned char md[DIGEST_SHA256_LEN];
	unsigned char out[64];
	if (digest_sha256(text, strlen(text), md) < 0)
		return "'none'";
	EVP_EncodeBlock(out, md, DIGEST_SHA256_LEN);
	return arena_printf(r->arena, "'sha256-%s'", (const char *)out);
}

/* The origin of the base URL when it differs from the page's own (a
 * base_url naming another host): requests go there. Only plain URL
 * characters reach the header. */
static const char *base_origin(struct request *r)
{
	const char *s = r->base;
	const char *p = strstr(s, "://");
	if (!p)
		return "";
	size_t n = (size_t)(p + 3 - s);
	n += strcspn(s + n, "/");
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]/", s[i]))
			return "";
	return arena_strndup(r->arena, s, n);
}

void sandbox_page(struct request *r)
{
	struct buf *b = &r->body;
	size_t n;
	const struct resource *const *all = resources_all(&n);
	/* A fresh suffix per page for the unique fields of the examples. */
	char sfx[9];
	memcpy(sfx, r->id, 8);
	sfx[8] = '\0';

	put(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	       "<title>API sandbox</title>\n<link rel=\"icon\" href=\"data:,\">\n<style>");
	put(b, sandbox_css);
	wrap(b, "</style>\n</head>\n<body data-base=\"", r->base, "\">\n");
	put(b, "<header><div class=\"top\"><h1>API sandbox</h1><p class=\"base\">Base URL <code>");
	esc(b, r->base);
	put(b, "/api</code> · JSON:API 1.1 · <a href=\"");
	esc(b, r->base);
	put(b, "/api/doc/openapi.json\">OpenAPI 3.1</a></p></div>\n"
	       "<form id=\"cred\" class=\"cred\" autocomplete=\"off\"><span class=\"lbl\">Credentials</span>"
	       "<label class=\"ck\"><input type=\"radio\" name=\"auth\" value=\"wsse\" checked> WSSE</label>"
	       "<label class=\"in\"><span>username</span><input id=\"cred-user\" name=\"user\""
	       " autocomplete=\"off\" placeholder=\"admin\"></label>"
	       "<label class=\"in\"><span>API key</span><input id=\"cred-key\" name=\"key\""
	       " type=\"password\" autocomplete=\"off\" placeholder=\"40 hex digits\"></label>"
	       "<label class=\"ck\"><input type=\"radio\" name=\"auth\" value=\"bearer\"> Bearer</label>"
	       "<label class=\"in\"><span>token</span><input id=\"cred-token\" name=\"token\""
	       " autocomplete=\"off\"></label>"
	       "<label class=\"ck\"><input type=\"radio\" name=\"auth\" value=\"none\"> none</label>"
	       "</form>\n<nav>");
	for (size_t i = 0; i < n; i++) {
		wrap(b, "<a href=\"#res-", all[i]->type, "\">");
		wrap(b, "", all[i]->type, "</a> ");
	}
	put(b, "</nav></header>\n<main>\n<p class=\"intro\">Every resource below lists its routes"
	       " and actions. Open an action to read what it accepts and answers, fill in the form"
	       " and press <b>Try!</b>: the page signs each request with a fresh WSSE header"
	       " (or the bearer token) and shows the request URL, the response and a curl command"
	       " line that repeats it (with a second, unused WSSE header: it works once).</p>\n");
	for (size_t i = 0; i < n; i++)
		resource_section(b, r, all[i], sfx);
	put(b, "</main>\n<script>");
	put(b, sandbox_js);
	put(b, "</script>\n</body></html>\n");

	const char *origin = base_origin(r);
	req_header(r, "Content-Security-Policy",
		   arena_printf(r->arena,
				"default-src 'none'; script-src %s; style-src %s; connect-src 'self'%s%s;"
				" img-src data:; base-uri 'none'; form-action 'none';"
				" frame-ancestors 'none'",
				csp_hash(r, sandbox_js), csp_hash(r, sandbox_css), *origin ? " " : "",
				origin));
	req_header(r, "X-Content-Type-Options", "nosniff");
	req_header(r, "Referrer-Policy", "no-referrer");
	req_header(r, "Cache-Control", "no-cache");
	r->content_type = "text/html; charset=utf-8";
	r->status = 200;
}
