/* query.c: see query.h. Paging, fieldsets and meta are parsed here; sort.c
 * and include.c parse theirs, filter.c the filters. */
#include "first.h"
#include "query.h"
#include "arena.h"
#include "config.h"
#include "err.h"
#include "filter.h"
#include "include.h"
#include "num.h"
#include "sort.h"
#include "url.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *decode_form(struct request *r, const char *s, size_t n, size_t *out_len)
{
	return url_decode(r->arena, s, n, 1, out_len);
}

void query_parse(struct request *r, struct query *q)
{
	memset(q, 0, sizeof(*q));
	q->page_size = r->cfg->default_page_size;
	q->page_number = 1;
	const char *s = r->query;
	size_t cap = 0;
	while (*s) {
		const char *e = strchr(s, '&');
		if (!e)
			e = s + strlen(s);
		if (e > s) {
			const char *eq = memchr(s, '=', (size_t)(e - s));
			const char *ne = eq ? eq : e;
			if (q->n == cap) {
				cap = cap ? cap * 2 : 8;
				struct qparam *np = arena_alloc(r->arena, cap * sizeof(*np));
				if (q->n)
					memcpy(np, q->params, q->n * sizeof(*np));
				q->params = np;
			}
			struct qparam *p = &q->params[q->n++];
			p->name = decode_form(r, s, (size_t)(ne - s), &p->name_len);
			p->value = eq ? decode_form(r, eq + 1, (size_t)(e - eq - 1), &p->value_len)
				      : arena_strdup(r->arena, "");
			p->raw_name = p->name;
		}
		s = *e ? e + 1 : e;
	}
}

const struct qparam *query_get(const struct query *q, const char *name)
{
	const struct qparam *found = NULL;
	for (size_t i = 0; i < q->n; i++)
		if (strcmp(q->params[i].name, name) == 0)
			found = &q->params[i]; /* the last one wins, as in PHP */
	return found;
}

static void param_error(struct request *r, const char *param, const char *detail)
{
	struct api_error *e = err_add(r, ERR_FILTER, detail);
	if (e)
		e->parameter = param;
}

static int parse_long(const char *s, long *out)
{
	int64_t v;
	if (num_parse_i64(s, strlen(s), LONG_MIN, LONG_MAX, &v) < 0)
		return -1;
	*out = (long)v;
	return 0;
}

static void check_page(struct request *r, struct query *q)
{
	const struct qparam *ps = query_get(q, "page[size]");
	const struct qparam *pn = query_get(q, "page[number]");
	long v;
	if (ps) {
		q->page_size_given = 1;
		if (parse_long(ps->value, &v) < 0)
			param_error(r, "page[size]",
				   arena_printf(r->arena, "Expected integer value. Given \"%s\".", ps->value));
		else if (v < -1)
			param_error(r, "page[size]", "The value should be greater than or equals to -1.");
		else if (r->cfg->max_page_size >= 0 &&
			 (v > r->cfg->max_page_size || v == -1))
			param_error(r, "page[size]",
				   arena_printf(r->arena, "The value should be less than or equals to %ld.",
						r->cfg->max_page_size));
		else
			q->page_size = v;
	}
	if (pn) {
		if (parse_long(pn->value, &v) < 0 || v < 0)
			param_error(r, "page[number]",
				   arena_printf(r->arena, "Expected unsigned integer value. Given \"%s\".",
						pn->value));
		else if (v == 0)
			param_error(r, "page[number]", "The value should be greater than or equals to 1.");
		else
			q->page_number = v;
	}
	/* LIMIT size + 1 OFFSET (number - 1) * size must fit in a long long:
	 * checked here, before any arithmetic, so no crafted pair wraps. A
	 * size of LLONG_MAX already means every record; an offset past what
	 * 64 bits count is past the end of any table (an empty page, no query). */
	if (q->page_size == LLONG_MAX)
		q->page_size = LLONG_MAX - 1;
	if (q->page_size > 0 &&
	    q->page_number - 1 > (LLONG_MAX - 1 - q->page_size) / q->page_size)
		q->past_end = 1;
}

/* fields[type]=...: the type must be named and known. */
static void check_fields(struct request *r, struct query *q)
{
	for (size_t i = 0; i < q->n; i++) {
		const struct qparam *p = &q->params[i];
		if (strncmp(p->name, "fields", 6) != 0)
			continue;
		const char *t = p->name + 6;
		size_t tl = p->name_len - 6;
		if (tl < 3 || t[0] != '[' || t[tl - 1] != ']') {
			param_error(r, p->raw_name, "An entity type is not specified.");
			continue;
		}
		const struct resource *res = resources_find(t + 1, tl - 2);
		if (!res) {
			param_error(r, p->raw_name, "An entity type is not known.");
			continue;
		}
		struct fieldset *fs = arena_alloc(r->arena, (q->n_fields + 1) * sizeof(*fs));
		if (q->n_fields)
			memcpy(fs, q->fields, q->n_fields * sizeof(*fs));
		fs[q->n_fields].res = res;
		fs[q->n_fields].list = p->value;
		q->fields = fs;
		q->n_fields++;
	}
}

static void check_meta(struct request *r, struct query *q)
{
	const struct qparam *p = query_get(q, "meta");
	if (!p)
		return;
	const char *s = p->value;
	do {
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n == 5 && memcmp(s, "title", 5) == 0) {
			q->meta_title = 1;
		} else {
			param_error(r, "meta",
				    arena_printf(r->arena,
						 "The \"%.*s\" is not known meta property. Known properties: title.",
						 (int)n, s));
		}
		s = e ? e + 1 : NULL;
	} while (s);
}

static int cmp_param_name(const void *a, const void *b)
{
	const struct qparam *const *x = a, *const *y = b;
	return strcmp((*x)->name, (*y)->name);
}

/* Distinct parameter names within max_query_parameters; checked before
 * anything looks at them one by one (each may cost an error or a filter). */
static int check_param_count(struct request *r, const struct query *q)
{
	size_t max = (size_t)r->cfg->max_query_parameters;
	if (q->n <= max)
		return 0;
	const struct qparam **byname = arena_alloc(r->arena, q->n * sizeof(*byname));
	for (size_t i = 0; i < q->n; i++)
		byname[i] = &q->params[i];
	qsort(byname, q->n, sizeof(*byname), cmp_param_name);
	size_t distinct = 1;
	for (size_t i = 1; i < q->n; i++)
		distinct += strcmp(byname[i - 1]->name, byname[i]->name) != 0;
	if (distinct <= max)
		return 0;
	err_addf(r, ERR_FILTER, "Too many query parameters: at most %zu names.", max);
	return -1;
}

int query_check(struct request *r, struct query *q, const struct resource *res, int collection)
{
	if (check_param_count(r, q) < 0)
		return -1;
	for (size_t i = 0; i < q->n; i++) {
		const struct qparam *p = &q->params[i];
		int listing = strcmp(p->name, "page[size]") == 0 || strcmp(p->name, "page[number]") == 0 ||
			      strcmp(p->name, "sort") == 0 || filter_owns(p->name);
		int anywhere = strcmp(p->name, "include") == 0 || strcmp(p->name, "meta") == 0 ||
			       strncmp(p->name, "fields", 6) == 0;
		if (anywhere || (listing && collection))
			continue; /* filters: filter_parse checks them */
		param_error(r, p->raw_name, "The filter is not supported.");
	}
	if (collection)
		check_page(r, q);
	check_fields(r, q);
	check_meta(r, q);
	if (res) {
		include_parse(r, res, q);
		if (collection)
			sort_parse(r, res, q);
	}
	return r->errors ? -1 : 0;
}

int query_field_wanted(const struct query *q, const struct resource *res, const char *name)
{
	const char *list = NULL;
	for (size_t i = 0; q && i < q->n_fields; i++)
		if (q->fields[i].res == res)
			list = q->fields[i].list; /* the last one wins */
	if (!list)
		return 1;
	size_t n = strlen(name);
	for (const char *s = list; s;) {
		const char *e = strchr(s, ',');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (len == n && memcmp(s, name, n) == 0)
			return 1;
		s = e ? e + 1 : NULL;
	}
	return 0;
}

static int cmp_param(const void *a, const void *b)
{
	const struct qparam *x = *(const struct qparam *const *)a;
	const struct qparam *y = *(const struct qparam *const *)b;
	return strcmp(x->name, y->name);
}

void query_link(struct request *r, const struct query *q, long page, struct buf *out)
{
	const struct qparam **list = arena_alloc(r->arena, (q->n + 1) * sizeof(*list));
	struct qparam pn;
	size_t n = 0;
	for (size_t i = 0; i < q->n; i++) {
		const struct qparam *p = &q->params[i];
		if (strcmp(p->name, "page[number]") == 0)
			continue;
		if (strcmp(p->name, "page[size]") == 0 && q->page_size == r->cfg->default_page_size)
			continue;
		if (query_get(q, p->name) != p)
			continue; /* a repeated name: only the value in force */
		list[n++] = p;
	}
	char num[32];
	if (page > 1) {
		snprintf(num, sizeof(num), "%ld", page);
		pn.name = "page[number]";
		pn.name_len = strlen(pn.name);
		pn.value = num;
		pn.value_len = strlen(num);
		list[n++] = &pn;
	}
	qsort(list, n, sizeof(*list), cmp_param);
	for (size_t i = 0; i < n; i++) {
		buf_putc(out, i ? '&' : '?');
		url_encode(out, list[i]->name, list[i]->name_len);
		buf_putc(out, '=');
		url_encode(out, list[i]->value, list[i]->value_len);
	}
}
