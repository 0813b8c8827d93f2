/* fuzz_query.c: a list request's query string (section 6) through parsing
 * (query.c, and body.c for X-HTTP-Method-Override bodies), the filter, sort
 * and include builders (filter.c, filter_sql.c, sort.c, sort_sql.c,
 * include.c) down to
 * the SQL text of the page, of its count and of a DELETE by filter
 * (op_list_from, select.c, linkage.c, acl_sql.c's predicates, grants.c's write
 * scope, sql.c), as op_list, op_related_get and op_delete_list build them. Input: byte 0
 * picks the resource from the registry (low 4 bits) and, with its high bit,
 * the subresource list of one of its to-many relationships (bits 4-6)
 * instead;
 * byte 1 the user's permission levels, byte 2 the value substitution; then
 * the raw query string up to a NUL; after the NUL, if any, a JSON body read
 * as by POST with X-HTTP-Method-Override: GET.
 *
 * No database: the permissions acl.c would load with a query are filled in
 * here (this file includes acl.c, so the archive's acl.o stays out of the
 * link; the struct it fills is acl_sql.h's); everything after the SQL text (db_query,
 * include_load, the rendering of rows, op_stream.c) is not reached.
 *
 * Oracles:
 * - every SQL text has as many '?' as bound values;
 * - differential: the same request with every filter value's letters and
 *   digits replaced by others (a bijection per input, 0 kept so that equal
 *   numbers stay equal), when both are accepted and their filters have the
 *   same shape (operators, booleans of exists/empty, item counts after
 *   duplicates, open ends of periods beyond the DATETIME range), gives the
 *   same SQL text: no value ever becomes SQL;
 * - accepted paging fits LIMIT size + 1 OFFSET (number - 1) * size;
 * - the next-page link, parsed as a query string again, is accepted and
 *   gives the same SQL text and the same bound values but the offset;
 * - the links and the error documents (JSON:API and plain) are valid JSON. */
#include "fuzz.h"
#include "../../src/auth/acl.c"
#include "body.h"
#include "filter.h"
#include "jsonapi.h"
#include "jsonw.h"
#include "op.h"
#include "query.h"
#include "select.h"

#include <limits.h>

/* The permission levels of byte 1: each type gets one of the six levels
 * (none to global) for each permission; the user is a member of 0 to 3
 * units, whose division has two more. */
static void fill_acl(struct request *r, uint8_t seed)
{
	struct acl_cache *c = arena_alloc(r->arena, sizeof(*c));
	FUZZ_CHECK(c != NULL);
	size_t n;
	resources_all(&n);
	for (size_t t = 0; t < n && t < ACL_TYPES; t++)
		for (int p = 0; p < 4; p++)
			c->level[t][p] = (unsigned char)((seed + t * 7 + (unsigned)p * 3) % 6);
	static const long long units[] = { 10, 11, 12 }, division[] = { 10, 11, 12, 20, 21 };
	c->n_units = seed % 4;
	c->units = arena_alloc(r->arena, sizeof(units));
	c->division = arena_alloc(r->arena, sizeof(division));
	FUZZ_CHECK(c->units && c->division);
	memcpy(c->units, units, sizeof(units));
	memcpy(c->division, division, sizeof(division));
	c->n_division = c->n_units ? c->n_units + 2 : 0;
	c->failed = 0;
	r->acl = c;
}

/* The substitution of byte 2: a permutation of the letters (the same for
 * both cases) and of the digits 1-9. */
struct subst {
	char letter[26], digit[10];
};

static void make_subst(struct subst *s, uint8_t seed)
{
	unsigned x = seed * 2654435761u + 1;
	for (int i = 0; i < 26; i++)
		s->letter[i] = (char)i;
	for (int i = 0; i < 10; i++)
		s->digit[i] = (char)i;
	for (int i = 25; i > 0; i--) {
		x = x * 1103515245u + 12345u;
		int j = (int)((x >> 16) % (unsigned)(i + 1));
		char t = s->letter[i];
		s->letter[i] = s->letter[j];
		s->letter[j] = t;
	}
	for (int i = 9; i > 1; i--) {
		x = x * 1103515245u + 12345u;
		int j = 1 + (int)((x >> 16) % (unsigned)i);
		char t = s->digit[i];
		s->digit[i] = s->digit[j];
		s->digit[j] = t;
	}
}

static char *substituted(struct request *r, const struct subst *s, const char *v, size_t n)
{
	char *o = arena_alloc(r->arena, n + 1);
	FUZZ_CHECK(o != NULL);
	for (size_t i = 0; i < n; i++) {
		char c = v[i];
		if (c >= 'a' && c <= 'z')
			c = (char)('a' + s->letter[c - 'a']);
		else if (c >= 'A' && c <= 'Z')
			c = (char)('A' + s->letter[c - 'A']);
		else if (c >= '0' && c <= '9')
			c = (char)('0' + s->digit[c - '0']);
		o[i] = c;
	}
	o[n] = '\0';
	return o;
}

/* Replaces the values of the filter parameters: the value after '=', and
 * in the symbol syntax (`filter[id]>5`, `filter[name]~ab`) what follows the
 * path in the name. Paths and bracketed operators are names, kept. */
static void substitute(struct request *r, struct query *q, const struct subst *s)
{
	for (size_t i = 0; i < q->n; i++) {
		struct qparam *p = &q->params[i];
		if (!filter_owns(p->name))
			continue;
		p->value = substituted(r, s, p->value, p->value_len);
		const char *close = p->name_len > 7 && memcmp(p->name, "filter[", 7) == 0
					    ? memchr(p->name + 7, ']', p->name_len - 7) : NULL;
		size_t keep = close ? (size_t)(close + 1 - p->name) : p->name_len;
		if (keep < p->name_len && p->name[keep] != '[') {
			char *name = substituted(r, s, p->name, p->name_len);
			memcpy(name, p->name, keep);
			p->name = p->raw_name = name;
		}
	}
}

/* One run of the request: its SQL texts and what shaped them. */
struct outcome {
	struct fuzz_body body; /* behind the request's transport */
	struct transport io;
	int accepted;
	const struct filter_set *filters;
	struct sql page, count;
	int has_del;
	struct sql del; /* DELETE by filter, when has_del */
	long page_size, page_number;
};

static void check_placeholders(const struct sql *s)
{
	if (sql_failed(s))
		return; /* over SQL_MAX_TEXT: never sent */
	size_t marks = 0;
	for (size_t i = 0; i < s->text->len; i++)
		marks += s->text->data[i] == '?';
	if (marks != s->n_params)
		fprintf(stderr, "%zu '?' for %zu values in: %s\n", marks, s->n_params, s->text->data);
	FUZZ_CHECK(marks == s->n_params);
	for (size_t i = 0; i < s->n_params; i++)
		FUZZ_CHECK(s->params[i].kind != SP_STR || s->params[i].s || !s->params[i].len);
}

/* Parses and builds like op_list: query_parse (+ body), query_check,
 * filter_parse, then the page's and the count's SQL. */
static void run(struct request *r, struct arena *a, struct query *q, const struct list_spec *base,
		const char *query, const char *body, size_t body_len, const struct subst *s,
		uint8_t acl_seed, struct outcome *o)
{
	memset(o, 0, sizeof(*o));
	o->body.p = body;
	o->body.n = body_len;
	fuzz_request_in(r, &o->io, &o->body, a);
	r->query = query;
	r->method = body ? "POST" : "GET";
	r->override_get = body != NULL;
	fill_acl(r, acl_seed);
	query_parse(r, q);
	r->q = q;
	if (body && body_query_params(r, q) < 0)
		goto rejected;
	if (s)
		substitute(r, q, s);
	const struct resource *res = base->res;
	if ((base->parent_res && acl_require_type(r, base->parent_res, ACL_VIEW) < 0) ||
	    acl_require_type(r, res, ACL_VIEW) < 0)
		goto rejected;
	struct filter_set *filters = NULL;
	int bad = query_check(r, q, res, 1) < 0;
	if (filter_parse(r, res, q, &filters) < 0 || bad)
		goto rejected;
	FUZZ_CHECK(r->errors == NULL);
	o->accepted = 1;
	o->filters = filters;
	o->page_size = q->page_size;
	o->page_number = q->page_number;
	FUZZ_CHECK(q->page_number >= 1 && q->page_size >= -1);
	if (q->page_size > 0) {
		long long limit, offset;
		FUZZ_CHECK(!__builtin_add_overflow((long long)q->page_size, 1LL, &limit));
		FUZZ_CHECK(!__builtin_mul_overflow((long long)q->page_number - 1,
						   (long long)q->page_size, &offset));
	}
	struct list_spec spec = *base;
	spec.filters = filters;
	sql_init(&o->page, r->arena);
	sql_add(&o->page, "SELECT ");
	select_columns(&o->page, r, res, "t", q, q->meta_title);
	list_page_from(r, &o->page, q, &spec, 1);
	if (q->page_size > 0) {
		sql_add(&o->page, " LIMIT ");
		sql_int(&o->page, q->page_size + 1);
		sql_add(&o->page, " OFFSET ");
		sql_int(&o->page, (q->page_number - 1) * q->page_size);
	}
	sql_init(&o->count, r->arena);
	sql_add(&o->count, "SELECT COUNT(*)");
	list_page_from(r, &o->count, q, &spec, 0);
	/* DELETE /api/{type}?filter...: the rows to delete, as op_delete_list
	 * selects them (its own ACL_DELETE level and the type's write scope). */
	o->has_del = !base->rel && filters && acl_level(r, res, ACL_DELETE) > ACL_NONE;
	if (o->has_del) {
		sql_init(&o->del, r->arena);
		sql_add(&o->del, "SELECT t.");
		sql_ident(&o->del, NULL, res->id_column);
		list_page_from(r, &o->del, q, &spec, 0);
		acl_where(&o->del, r, res, "t", ACL_DELETE);
		sql_add(&o->del, " ORDER BY t.");
		sql_ident(&o->del, NULL, res->id_column);
		sql_add(&o->del, " LIMIT ");
		sql_int(&o->del, r->cfg->max_delete_entities);
		sql_add(&o->del, " FOR UPDATE");
		check_placeholders(&o->del);
	}
	check_placeholders(&o->page);
	check_placeholders(&o->count);
	FUZZ_CHECK(r->errors == NULL); /* building SQL records nothing */
	return;
rejected:
	FUZZ_CHECK(r->errors != NULL);
	fuzz_check_errors_render(r);
}

static int same_scalar_shape(const struct filter_scalar *a, const struct filter_scalar *b)
{
	return a->none == b->none;
}

/* Whether two parsed filter sets differ only in their values. */
static int same_shape(const struct filter_set *a, const struct filter_set *b)
{
	const struct filter *f = a ? a->head : NULL, *g = b ? b->head : NULL;
	for (; f && g; f = f->next, g = g->next) {
		if (f->op != g->op || f->flag != g->flag || f->n_items != g->n_items ||
		    f->depth != g->depth || f->shape != g->shape || f->vtype != g->vtype ||
		    f->column != g->column || f->rel != g->rel || f->res != g->res)
			return 0;
		for (size_t i = 0; i < f->n_items; i++) {
			const struct filter_item *x = &f->items[i], *y = &g->items[i];
			if (x->point != y->point || x->hi_open != y->hi_open ||
			    !same_scalar_shape(&x->lo, &y->lo) || !same_scalar_shape(&x->hi, &y->hi))
				return 0;
		}
	}
	return !f && !g;
}

static int same_param(const struct sql_param *a, const struct sql_param *b)
{
	if (a->kind != b->kind)
		return 0;
	if (a->kind == SP_INT)
		return a->i == b->i;
	return a->len == b->len && (!a->len || memcmp(a->s, b->s, a->len) == 0);
}

/* The text and values of a, kept past the arena's reset. */
struct saved {
	char *text;
	size_t len, n;
	struct sql_param *params;
	char **strs;
};

static void save(struct saved *s, const struct sql *q)
{
	s->len = q->text->len;
	s->text = malloc(s->len + 1);
	s->n = q->n_params;
	s->params = calloc(s->n + 1, sizeof(*s->params));
	s->strs = calloc(s->n + 1, sizeof(*s->strs));
	FUZZ_CHECK(s->text && s->params && s->strs);
	memcpy(s->text, q->text->data ? q->text->data : "", s->len + (q->text->data ? 1 : 0));
	s->text[s->len] = '\0';
	for (size_t i = 0; i < s->n; i++) {
		s->params[i] = q->params[i];
		if (q->params[i].kind == SP_STR) {
			s->strs[i] = malloc(q->params[i].len + 1);
			FUZZ_CHECK(s->strs[i] != NULL);
			memcpy(s->strs[i], q->params[i].s, q->params[i].len);
			s->params[i].s = s->strs[i];
		}
	}
}

static void unsave(struct saved *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->strs[i]);
	free(s->strs);
	free(s->params);
	free(s->text);
}

/* The query string of q's link to page (after its '?'), malloc'd. */
static char *link_query(struct request *r, const struct query *q, long page)
{
	struct buf link;
	buf_init(&link, 1u << 24);
	query_link(r, q, page, &link);
	FUZZ_CHECK(!buf_failed(&link));
	char *s = strdup(link.len ? link.data + 1 : "");
	FUZZ_CHECK(s != NULL);
	buf_free(&link);
	return s;
}

/* The links: valid JSON; the link to this page is a fixed point (its own
 * link to its page is itself) and asks for the same bound values; the link
 * to the next page gives the same SQL text and values but the offset. The
 * links sort the parameters by name, so the filters' order, and with it the
 * SQL text, may differ from the request's: texts are compared between
 * links. */
static void check_links(const struct list_spec *base, const char *query, const char *body,
			size_t body_len, uint8_t acl_seed)
{
	struct request r;
	struct query q;
	struct outcome o;
	run(&r, fuzz_arena(), &q, base, query, body, body_len, NULL, acl_seed, &o);
	if (!o.accepted || o.page_size <= 0 || sql_failed(&o.page)) {
		fuzz_request_end(&r);
		return;
	}
	struct list_spec spec = *base;
	spec.filters = o.filters;
	struct jsonw w;
	jw_init(&w, &r.body);
	jw_obj_begin(&w);
	list_page_links(&r, &w, &q, &spec, 1);
	jw_obj_end(&w);
	if (!buf_failed(&r.body))
		FUZZ_CHECK(fuzz_json_valid(r.body.data, r.body.len));
	char *here = link_query(&r, &q, q.page_number), *next = link_query(&r, &q, q.page_number + 1);
	size_t n_params = o.page.n_params;
	fuzz_request_end(&r);

	run(&r, fuzz_arena(), &q, base, here, NULL, 0, NULL, acl_seed, &o);
	if (!o.accepted)
		fprintf(stderr, "link \"%s\" refused: %s\n", here,
			r.errors && r.errors->detail ? r.errors->detail : "");
	FUZZ_CHECK(o.accepted);
	char *again = link_query(&r, &q, q.page_number);
	if (strcmp(again, here) != 0)
		fprintf(stderr, "link \"%s\" links to \"%s\"\n", here, again);
	FUZZ_CHECK(strcmp(again, here) == 0);
	free(again);
	struct saved first;
	int compare = !sql_failed(&o.page);
	if (compare) {
		FUZZ_CHECK(o.page.n_params == n_params && n_params >= 2);
		save(&first, &o.page);
	}
	fuzz_request_end(&r);

	run(&r, fuzz_arena(), &q, base, next, NULL, 0, NULL, acl_seed, &o);
	if (!o.accepted) {
		/* Only the page number may have run past its bound. */
		for (const struct api_error *e = r.errors; e; e = e->next) {
			if (!e->parameter || strcmp(e->parameter, "page[number]") != 0)
				fprintf(stderr, "next link \"%s\" refused: %s\n", next,
					e->detail ? e->detail : "");
			FUZZ_CHECK(e->parameter && strcmp(e->parameter, "page[number]") == 0);
		}
	} else if (compare && !sql_failed(&o.page)) {
		if (o.page.text->len != first.len || memcmp(o.page.text->data, first.text, first.len))
			fprintf(stderr, "next link \"%s\":\n  %s\n  %s\n", next, first.text,
				o.page.text->data);
		FUZZ_CHECK(o.page.text->len == first.len &&
			   memcmp(o.page.text->data, first.text, first.len) == 0);
		FUZZ_CHECK(o.page.n_params == first.n);
		for (size_t i = 0; i + 1 < first.n; i++)
			FUZZ_CHECK(same_param(&o.page.params[i], &first.params[i]));
	}
	if (compare)
		unsave(&first);
	free(here);
	free(next);
	fuzz_request_end(&r);
}

/* How often each oracle ran, printed at exit when FUZZ_VERBOSE is set. */
static unsigned long n_inputs, n_accepted, n_compared, n_shape_differs;

static void print_counts(void)
{
	fprintf(stderr, "fuzz_query: %lu inputs, %lu accepted, %lu compared with values replaced, "
		"%lu of another shape\n", n_inputs, n_accepted, n_compared, n_shape_differs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int counting;
	if (!counting++ && getenv("FUZZ_VERBOSE"))
		atexit(print_counts);
	n_inputs++;
	if (size < 3)
		return 0;
	size_t n;
	const struct resource *const *all = resources_all(&n);
	/* Byte 0 below 128: the list of a type; from 128: the subresource list
	 * of one of its to-many relationships (GET /api/{type}/1/{assoc}). Its
	 * low bits pick the type, bits 4-6 the relationship. */
	const struct resource *res = all[(data[0] & 15) % n];
	struct list_spec spec = { .res = res, .self_suffix = res->type };
	size_t to_many = 0;
	for (size_t i = 0; i < res->n_rels; i++)
		to_many += res->rels[i].kind == REL_TO_MANY;
	if ((data[0] & 128) && to_many) {
		size_t pick = (size_t)(data[0] >> 4 & 7) % to_many;
		for (size_t i = 0; i < res->n_rels; i++) {
			const struct relationship *rel = &res->rels[i];
			if (rel->kind != REL_TO_MANY || pick--)
				continue;
			spec.res = resource_target(rel);
			spec.parent_res = res;
			spec.rel = rel;
			spec.pid = res->id_kind == ID_INT ? "1" : "DE";
			spec.self_suffix = "parent/1/related";
			break;
		}
	}
	const struct list_spec *base = &spec;
	uint8_t acl_seed = data[1];
	struct subst sub;
	make_subst(&sub, data[2]);
	data += 3;
	size -= 3;
	const uint8_t *nul = memchr(data, '\0', size);
	size_t qlen = nul ? (size_t)(nul - data) : size;
	char *query = malloc(qlen + 1);
	FUZZ_CHECK(query != NULL);
	memcpy(query, data, qlen);
	query[qlen] = '\0';
	const char *body = nul ? (const char *)nul + 1 : NULL;
	size_t body_len = nul ? size - qlen - 1 : 0;

	/* The request as sent, then with its values replaced (on a second
	 * arena, so that the first run's filter set can be compared). */
	static struct arena *second;
	if (!second)
		second = arena_new();
	struct request r, r2;
	struct query q, q2;
	struct outcome o, o2;
	run(&r, fuzz_arena(), &q, base, query, body, body_len, NULL, acl_seed, &o);
	if (o.accepted && !sql_failed(&o.page) && !sql_failed(&o.count)) {
		n_accepted++;
		run(&r2, second, &q2, base, query, body, body_len, &sub, acl_seed, &o2);
		int both = o2.accepted && !sql_failed(&o2.page) && !sql_failed(&o2.count);
		if (both && !same_shape(o.filters, o2.filters))
			n_shape_differs++;
		if (both && same_shape(o.filters, o2.filters)) {
			n_compared++;
			int same = o2.page.text->len == o.page.text->len &&
				   memcmp(o2.page.text->data, o.page.text->data, o.page.text->len) == 0 &&
				   o2.count.text->len == o.count.text->len &&
				   memcmp(o2.count.text->data, o.count.text->data, o.count.text->len) == 0 &&
				   o2.has_del == o.has_del &&
				   (!o.has_del || sql_failed(&o.del) || sql_failed(&o2.del) ||
				    (o2.del.text->len == o.del.text->len &&
				     memcmp(o2.del.text->data, o.del.text->data, o.del.text->len) == 0));
			if (!same)
				fprintf(stderr, "values became SQL:\n  %s\n  %s\n", o.page.text->data,
					o2.page.text->data);
			FUZZ_CHECK(same);
		}
		fuzz_request_end(&r2);
	}
	fuzz_request_end(&r);
	check_links(base, query, body, body_len, acl_seed);
	free(query);
	return 0;
}
