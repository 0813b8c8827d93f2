/* openapi_params.c: the query and header parameters of the OpenAPI
 * document. One parameter per filter and operator, asked of the filter
 * parser's own rules (filter_field_ops), sort keys of the sort parser's
 * (sort_field_ok), include and fields[] from the relationships: what the
 * document offers is what the parsers accept. */
#include "first.h"
#include "openapi_int.h"
#include "filter.h"
#include "sort.h"

#include <stdio.h>
#include <string.h>

#define MAX_TYPES 64

static void kv_int(struct jsonw *w, const char *key, long long v)
{
	jw_key(w, key);
	jw_int(w, v);
}

/* Component names: "<type>.filter.<field>.<op>", "<type>.sort", ... */
static void param_name(char *out, size_t n, const char *type, const char *what,
		       const char *field, const char *op)
{
	snprintf(out, n, "%s.%s%s%s%s%s", type, what, field ? "." : "", field ? field : "",
		 op ? "." : "", op ? op : "");
}

static void begin_param(struct jsonw *w, const char *component, const char *name, const char *in)
{
	jw_key(w, component);
	jw_obj_begin(w);
	openapi_kv(w, "name", name);
	openapi_kv(w, "in", in);
}

static void comma_list(struct jsonw *w)
{
	openapi_kv(w, "style", "form");
	jw_key(w, "explode");
	jw_bool(w, 0);
}

/* The candidates a filter, sort or fieldset may name: id, attributes,
 * relationships. */
struct field {
	const char *name;
	const struct attribute *attr;
	const struct relationship *rel;
};

static size_t fields_of(const struct resource *res, struct field *out, size_t max)
{
	size_t n = 0;
	out[n++] = (struct field){ "id", NULL, NULL };
	for (size_t i = 0; i < res->n_attrs && n < max; i++)
		out[n++] = (struct field){ res->attrs[i].name, &res->attrs[i], NULL };
	for (size_t i = 0; i < res->n_rels && n < max; i++)
		out[n++] = (struct field){ res->rels[i].name, NULL, &res->rels[i] };
	return n;
}

/* The schema of one value of the field (a related id for associations). */
static void value_schema(struct jsonw *w, const struct resource *res, const struct field *f,
			 int range_ok)
{
	const struct resource *idres = f->rel ? resource_target(f->rel) : res;
	jw_obj_begin(w);
	if (!f->attr) {
		if (idres && idres->id_kind == ID_INT && !range_ok) {
			openapi_kv(w, "type", "integer");
		} else {
			openapi_kv(w, "type", "string");
			if (idres && idres->id_kind == ID_INT)
				openapi_kv(w, "pattern", "^[0-9]+(\\.\\.[0-9]+)?$");
		}
		jw_obj_end(w);
		return;
	}
	const struct attribute *a = f->attr;
	switch (a->type) {
	case T_INT:
		openapi_kv(w, "type", "string");
		openapi_kv(w, "pattern", "^-?[0-9]+(\\.\\.-?[0-9]+)?$");
		break;
	case T_MONEY:
	case T_DECIMAL:
		openapi_kv(w, "type", "string");
		openapi_kv(w, "pattern", "^-?[0-9]+(\\.[0-9]+)?(\\.\\.-?[0-9]+(\\.[0-9]+)?)?$");
		break;
	case T_BOOL:
		openapi_kv(w, "type", "boolean");
		break;
	case T_ENUM:
		openapi_kv(w, "type", "string");
		jw_key(w, "enum");
		jw_arr_begin(w);
		for (const char *const *v = a->values; v && *v; v++)
			jw_str(w, *v);
		jw_arr_end(w);
		break;
	case T_DATETIME:
	case T_DATE:
		openapi_kv(w, "type", "string");
		openapi_kv(w, "description",
			   "A full or partial value (2016, 2016-09, 2016-09-19T10) matches the"
			   " whole period; a..b is an inclusive range.");
		break;
	case T_STRING:
	case T_TEXT:
	case T_JSON:
		openapi_kv(w, "type", "string");
		break;
	}
	jw_obj_end(w);
}

static void filter_param(const struct openapi *o, const struct resource *res,
			 const struct field *f, enum filter_op op, int list_ok, int range_ok)
{
	struct jsonw *w = o->w;
	const char *opname = filter_op_name(op);
	char comp[160], name[160], text[300];
	param_name(comp, sizeof(comp), res->type, "filter", f->name, opname);
	if (op == FOP_EQ)
		snprintf(name, sizeof(name), "filter[%s]", f->name);
	else
		snprintf(name, sizeof(name), "filter[%s][%s]", f->name, opname);
	begin_param(w, comp, name, "query");
	int flag = op == FOP_EXISTS || op == FOP_EMPTY;
	int pattern = op >= FOP_STARTS_WITH && op <= FOP_NOT_ENDS_WITH;
	int set = (op == FOP_CONTAINS || op == FOP_NOT_CONTAINS) && f->rel;
	if (flag)
		snprintf(text, sizeof(text), "%s %s (true|1|yes or false|0|no, any case).",
			 f->name, op == FOP_EXISTS ? "is set (not null, or a non-empty to-many)"
						   : "is empty or null");
	else if (set)
		snprintf(text, sizeof(text), "%s %s all of these ids.", f->name,
			 op == FOP_CONTAINS ? "has" : "does not have");
	else
		snprintf(text, sizeof(text), "%s %s the value%s%s.", f->name,
			 op == FOP_EQ ? (list_ok ? "equals (a comma list: any of)" : "equals")
			 : op == FOP_NEQ ? (list_ok ? "differs from (a comma list: none of)"
						    : "differs from")
			 : op == FOP_NEQ_OR_NULL ? "is null or differs from"
			 : op == FOP_LT ? "is less than"
			 : op == FOP_LTE ? "is at most"
			 : op == FOP_GT ? "is greater than"
			 : op == FOP_GTE ? "is at least"
			 : op == FOP_CONTAINS ? "contains"
			 : op == FOP_NOT_CONTAINS ? "does not contain"
			 : op == FOP_STARTS_WITH ? "starts with"
			 : op == FOP_NOT_STARTS_WITH ? "does not start with"
			 : op == FOP_ENDS_WITH ? "ends with" : "does not end with",
			 pattern || op == FOP_CONTAINS || op == FOP_NOT_CONTAINS
				 ? " (literally: % and _ are no wildcards)" : "",
			 range_ok && (op == FOP_EQ || op == FOP_NEQ) ? "; a..b is an inclusive range"
								    : "");
	openapi_kv(w, "description", text);
	jw_key(w, "schema");
	if (flag) {
		jw_obj_begin(w);
		openapi_kv(w, "type", "boolean");
		jw_obj_end(w);
	} else if ((list_ok && (op == FOP_EQ || op == FOP_NEQ)) || set) {
		jw_obj_begin(w);
		openapi_kv(w, "type", "array");
		jw_key(w, "items");
		value_schema(w, res, f, range_ok);
		jw_obj_end(w);
		comma_list(w);
	} else if (f->attr && (f->attr->type == T_STRING || f->attr->type == T_TEXT) &&
		   (pattern || op == FOP_CONTAINS || op == FOP_NOT_CONTAINS)) {
		jw_obj_begin(w);
		openapi_kv(w, "type", "string");
		kv_int(w, "minLength", 1);
		kv_int(w, "maxLength", o->cfg->max_filter_value_length);
		jw_obj_end(w);
	} else {
		value_schema(w, res, f, range_ok && op != FOP_NEQ_OR_NULL && op < FOP_EXISTS &&
						    (op == FOP_EQ || op == FOP_NEQ));
	}
	jw_obj_end(w);
}

/* Every filter of res, in the filter parser's terms. */
static void filters_write(const struct openapi *o, const struct resource *res, int refs)
{
	struct field f[128];
	size_t n = fields_of(res, f, ARRAY_LEN(f));
	for (size_t i = 0; i < n; i++) {
		int list_ok = 0, range_ok = 0;
		unsigned ops = filter_field_ops(res, f[i].name, &list_ok, &range_ok);
		for (int op = 0; op < FOP_COUNT; op++) {
			if (!(ops & (1u << op)))
				continue;
			if (refs) {
				openapi_ref(o->w, "parameters", "%s.filter.%s.%s", res->type,
					    f[i].name, filter_op_name((enum filter_op)op));
				continue;
			}
			filter_param(o, res, &f[i], (enum filter_op)op, list_ok, range_ok);
		}
	}
}

/* An array parameter whose items are the names listed, or (dotted) a
 * path through to-one associations. */
static void names_schema(struct jsonw *w, const char *const *names, size_t n, int dotted,
			 long max)
{
	jw_key(w, "schema");
	jw_obj_begin(w);
	openapi_kv(w, "type", "array");
	if (max > 0)
		kv_int(w, "maxItems", max);
	jw_key(w, "items");
	jw_obj_begin(w);
	if (dotted) {
		jw_key(w, "anyOf");
		jw_arr_begin(w);
		jw_obj_begin(w);
	}
	jw_key(w, "enum");
	jw_arr_begin(w);
	for (size_t i = 0; i < n; i++)
		jw_str(w, names[i]);
	jw_arr_end(w);
	if (dotted) {
		jw_obj_end(w);
		jw_obj_begin(w);
		openapi_kv(w, "type", "string");
		openapi_kv(w, "pattern", "^-?[A-Za-z_]+(\\.[A-Za-z_]+)+$");
		jw_obj_end(w);
		jw_arr_end(w);
	}
	jw_obj_end(w);
	jw_obj_end(w);
	comma_list(w);
}

static void sort_write(const struct openapi *o, const struct resource *res)
{
	struct field f[128];
	const char *names[256];
	char buf[128][80];
	size_t n = fields_of(res, f, ARRAY_LEN(f)), k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!sort_field_ok(res, f[i].name))
			continue;
		names[k++] = f[i].name;
		snprintf(buf[i], sizeof(buf[i]), "-%s", f[i].name);
		names[k++] = buf[i];
	}
	char comp[120];
	param_name(comp, sizeof(comp), res->type, "sort", NULL, NULL);
	begin_param(o->w, comp, "sort", "query");
	openapi_kv(o->w, "description",
		   "Sort keys, - for descending; default id. Dotted paths through to-one"
		   " associations (owner.name) are accepted too.");
	names_schema(o->w, names, k, 1, o->cfg->max_sort_fields);
	jw_obj_end(o->w);
}

static void include_write(const struct openapi *o, const struct resource *res)
{
	const char *names[64];
	size_t k = 0;
	for (size_t i = 0; i < res->n_rels && k < ARRAY_LEN(names); i++)
		names[k++] = res->rels[i].name;
	char comp[120];
	param_name(comp, sizeof(comp), res->type, "include", NULL, NULL);
	begin_param(o->w, comp, "include", "query");
	char text[200];
	snprintf(text, sizeof(text),
		 "Related records to add to included; dotted paths for nested levels"
		 " (at most %ld).", o->cfg->max_include_depth);
	openapi_kv(o->w, "description", text);
	names_schema(o->w, names, k, 1, 0);
	jw_obj_end(o->w);
}

static void fields_write(const struct openapi *o, const struct resource *res)
{
	const char *names[128];
	size_t k = 0;
	for (size_t i = 0; i < res->n_attrs && k < ARRAY_LEN(names); i++)
		if (!(res->attrs[i].flags & A_WO))
			names[k++] = res->attrs[i].name;
	for (size_t i = 0; i < res->n_rels && k < ARRAY_LEN(names); i++)
		names[k++] = res->rels[i].name;
	char comp[120], name[120];
	snprintf(comp, sizeof(comp), "fields.%s", res->type);
	snprintf(name, sizeof(name), "fields[%s]", res->type);
	begin_param(o->w, comp, name, "query");
	openapi_kv(o->w, "description",
		   "The attributes and relationships to show of this type (primary or"
		   " included); empty: type and id only.");
	names_schema(o->w, names, k, 0, 0);
	jw_obj_end(o->w);
}

static void simple_param(struct jsonw *w, const char *comp, const char *name, const char *in,
			 const char *type, const char *text)
{
	begin_param(w, comp, name, in);
	openapi_kv(w, "description", text);
	jw_key(w, "schema");
	jw_obj_begin(w);
	openapi_kv(w, "type", type);
	jw_obj_end(w);
	jw_obj_end(w);
}

static void enum_param(struct jsonw *w, const char *comp, const char *name, const char *in,
		       const char *value, const char *text)
{
	begin_param(w, comp, name, in);
	openapi_kv(w, "description", text);
	jw_key(w, "schema");
	jw_obj_begin(w);
	openapi_kv(w, "type", "string");
	jw_key(w, "enum");
	jw_arr_begin(w);
	jw_str(w, value);
	jw_arr_end(w);
	jw_obj_end(w);
	jw_obj_end(w);
}

static void page_params(const struct openapi *o)
{
	struct jsonw *w = o->w;
	begin_param(w, "page.size", "page[size]", "query");
	openapi_kv(w, "description", "Records per page; -1 turns paging off, 0 gives data: [].");
	jw_key(w, "schema");
	jw_obj_begin(w);
	openapi_kv(w, "type", "integer");
	kv_int(w, "minimum", -1);
	if (o->cfg->max_page_size > 0)
		kv_int(w, "maximum", o->cfg->max_page_size);
	kv_int(w, "default", o->cfg->default_page_size);
	jw_obj_end(w);
	jw_obj_end(w);
	begin_param(w, "page.number", "page[number]", "query");
	openapi_kv(w, "description", "The page, from 1; past the end: data: [].");
	jw_key(w, "schema");
	jw_obj_begin(w);
	openapi_kv(w, "type", "integer");
	kv_int(w, "minimum", 1);
	kv_int(w, "default", 1);
	jw_obj_end(w);
	jw_obj_end(w);
}

void openapi_params_write(const struct openapi *o)
{
	struct jsonw *w = o->w;
	size_t n;
	const struct resource *const *all = resources_all(&n);
	jw_key(w, "parameters");
	jw_obj_begin(w);
	for (size_t i = 0; i < n; i++) {
		filters_write(o, all[i], 0);
		sort_write(o, all[i]);
		include_write(o, all[i]);
		fields_write(o, all[i]);
	}
	page_params(o);
	enum_param(w, "meta", "meta", "query", "title", "meta=title adds meta.title to each resource.");
	simple_param(w, "X-Include", "X-Include", "header", "string",
		     "; separated: totalCount (X-Include-Total-Count), deletedCount"
		     " (X-Include-Deleted-Count on DELETE lists), noHateoas (no links).");
	simple_param(w, "If-None-Match", "If-None-Match", "header", "string",
		     "An ETag: 304 when the record still has it.");
	simple_param(w, "If-Match", "If-Match", "header", "string",
		     "ETags (or *): 412 when the record changed meanwhile.");
	enum_param(w, "X-Mode", "X-Mode", "header", "sync",
		   "sync: the batch runs at once, all or nothing, and answers 200.");
	enum_param(w, "X-HTTP-Method-Override", "X-HTTP-Method-Override", "header", "GET",
		   "GET: a list read whose filters come in the body (filterBody).");
	jw_obj_end(w);
}

/* The types whose fields[] apply: res and what include reaches from it. */
static size_t reachable(const struct openapi *o, const struct resource *res,
			const struct resource **out)
{
	size_t n = 0, level_start = 0;
	out[n++] = res;
	for (long depth = 0; depth < o->cfg->max_include_depth; depth++) {
		size_t level_end = n;
		for (size_t i = level_start; i < level_end; i++) {
			for (size_t k = 0; k < out[i]->n_rels; k++) {
				const struct resource *t = resource_target(&out[i]->rels[k]);
				int seen = !t;
				for (size_t j = 0; j < n && !seen; j++)
					seen = out[j] == t;
				if (!seen && n < MAX_TYPES)
					out[n++] = t;
			}
		}
		level_start = level_end;
	}
	return n;
}

void openapi_params_refs(const struct openapi *o, const struct resource *res, unsigned what)
{
	struct jsonw *w = o->w;
	if (what & P_FILTERS)
		filters_write(o, res, 1);
	if (what & P_SORT)
		openapi_ref(w, "parameters", "%s.sort", res->type);
	if (what & P_PAGE) {
		openapi_ref(w, "parameters", "page.number");
		openapi_ref(w, "parameters", "page.size");
	}
	if (what & P_FIELDS) {
		openapi_ref(w, "parameters", "%s.include", res->type);
		const struct resource *types[MAX_TYPES];
		size_t n = reachable(o, res, types);
		for (size_t i = 0; i < n; i++)
			openapi_ref(w, "parameters", "fields.%s", types[i]->type);
	}
	if (what & P_META)
		openapi_ref(w, "parameters", "meta");
	if (what & P_XINCL)
		openapi_ref(w, "parameters", "X-Include");
}
