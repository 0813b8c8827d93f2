/* filter.c: see filter.h. Parses the filter parameters of section 6.1: the
 * name (bracket syntax `filter[path][op]=v`, or the older symbol syntax
 * `filter[path]>5` that query.c hands over as a name without '='), the path
 * through to-one associations to a field, the operator against the field's
 * type, and the values (comma lists, a..b ranges, partial dates) into
 * scalars ready to bind. filter_sql.c writes the SQL; nothing here does. */
#include "first.h"
#include "filter.h"
#include "arena.h"
#include "config.h"
#include "date.h"
#include "err.h"
#include "num.h"
#include "query.h"

#include <stdlib.h>
#include <string.h>

static const char *const op_names[FOP_COUNT] = {
	"eq", "neq", "lt", "lte", "gt", "gte", "exists", "neq_or_null", "contains", "not_contains",
	"starts_with", "not_starts_with", "ends_with", "not_ends_with", "empty",
};

#define OPB(o) (1u << (o))
#define OPS_EQUALITY (OPB(FOP_EQ) | OPB(FOP_NEQ) | OPB(FOP_EXISTS) | OPB(FOP_NEQ_OR_NULL))
#define OPS_ORDER (OPB(FOP_LT) | OPB(FOP_LTE) | OPB(FOP_GT) | OPB(FOP_GTE))
#define OPS_SET (OPB(FOP_CONTAINS) | OPB(FOP_NOT_CONTAINS))
#define OPS_PATTERN                                                                        \
	(OPS_SET | OPB(FOP_STARTS_WITH) | OPB(FOP_NOT_STARTS_WITH) | OPB(FOP_ENDS_WITH) |  \
	 OPB(FOP_NOT_ENDS_WITH) | OPB(FOP_EMPTY))

/* The symbol syntax, longer symbols first so "<=" is not read as "<". */
static const struct {
	const char *sym;
	enum filter_op op;
} symbols[] = {
	{ "!=", FOP_NEQ },          { "<>", FOP_NEQ },          { "<=", FOP_LTE },
	{ ">=", FOP_GTE },          { "!~", FOP_NOT_CONTAINS }, { "!^", FOP_NOT_STARTS_WITH },
	{ "!$", FOP_NOT_ENDS_WITH }, { "<", FOP_LT },            { ">", FOP_GT },
	{ "~", FOP_CONTAINS },      { "^", FOP_STARTS_WITH },   { "$", FOP_ENDS_WITH },
	{ "=", FOP_EQ },
};

/* What a field accepts, found while resolving its path. */
struct field_rules {
	unsigned ops;
	int list_ok;  /* a comma separates values (not for string, text, boolean) */
	int range_ok; /* a..b is a range (numbers, dates, integer ids) */
};


/* The DATETIME range MariaDB keeps, in seconds from 1970 (see date.c). */
#define MIN_SECONDS (-62135596800LL) /* 0001-01-01 00:00:00 */
#define END_SECONDS (253402300800LL) /* 10000-01-01 00:00:00 */

int filter_owns(const char *name)
{
	return strncmp(name, "filter", 6) == 0;
}

static void fail(struct request *r, const char *param, const char *detail)
{
	struct api_error *e = err_add(r, ERR_FILTER, detail);
	if (e)
		e->parameter = param;
}

/* `Expected integer value. Given "aaa".` and the like. */
static void fail_value(struct request *r, const char *param, const char *word, const char *value)
{
	struct api_error *e =
		err_addf(r, ERR_FILTER, "Expected %s value. Given \"%s\".", word, value);
	if (e)
		e->parameter = param;
}

/* `Expected an array of integers. Given "1,a".` */
static void fail_array(struct request *r, const char *param, const char *words, const char *value)
{
	struct api_error *e = err_addf(r, ERR_FILTER,
				       "Expected an array of %s. Given \"%s\".", words, value);
	if (e)
		e->parameter = param;
}

static const char *type_word(enum filter_vtype t, int plural)
{
	switch (t) {
	case FV_INT: return plural ? "integers" : "integer";
	case FV_STR:
	case FV_ENUM: return plural ? "not empty strings" : "not empty string";
	case FV_BOOL: return plural ? "booleans" : "boolean";
	case FV_MONEY: return plural ? "money values" : "money";
	case FV_DECIMAL: return plural ? "decimals" : "decimal";
	case FV_DATETIME: return plural ? "datetimes" : "datetime";
	case FV_DATE: return plural ? "dates" : "date";
	}
	return "value";
}

static const char *find2(const char *s, size_t n, const char *pat)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] == pat[0] && s[i + 1] == pat[1])
			return s + i;
	return NULL;
}

/* --- scalars ------------------------------------------------------------- */

static int parse_int(const char *s, size_t n, long long *out)
{
	int64_t v;
	if (num_parse_i64(s, n, INT64_MIN, INT64_MAX, &v) < 0)
		return -1;
	*out = v;
	return 0;
}

static int word_is(const char *s, size_t n, const char *w)
{
	if (strlen(w) != n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != w[i])
			return 0;
	}
	return 1;
}

/* true|1|yes / false|0|no in any letter case. */
static int parse_bool(const char *s, size_t n, int *out)
{
	if (word_is(s, n, "true") || word_is(s, n, "1") || word_is(s, n, "yes")) {
		*out = 1;
		return 0;
	}
	if (word_is(s, n, "false") || word_is(s, n, "0") || word_is(s, n, "no")) {
		*out = 0;
		return 0;
	}
	return -1;
}

/* -?\d*\.?\d+ with bounded digit counts, so the SQL CAST cannot overflow. */
static int parse_number(const char *s, size_t n, size_t max_int, size_t max_frac)
{
	size_t i = n && s[0] == '-' ? 1 : 0, int_digits = 0, frac_digits = 0;
	int dot = 0;
	for (; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			if (dot)
				frac_digits++;
			else
				int_digits++;
		} else if (s[i] == '.' && !dot) {
			dot = 1;
		} else {
			return -1;
		}
	}
	if (dot ? frac_digits == 0 : int_digits == 0)
		return -1;
	return int_digits > max_int || frac_digits > max_frac ? -1 : 0;
}

/* A full or partial ISO 8601 value as the UTC period [*lo, *hi) it names,
 * in seconds from 1970: `2016` is the year, `2016-09-19T10` the hour. A
 * zone (Z, +hh:mm, +hhmm, +hh; a '+' that the query string turned into a
 * space counts) may follow a time; without one the value is UTC. Dates
 * (date_only) stop at the day. 0, or -1 when not valid. */
static int parse_period(const char *s, size_t n, int date_only, long long *lo, long long *hi)
{
	const char *p = s, *end = s + n;
	int y = date_digits(&p, end, 4), mo = 1, d = 1, h = 0, mi = 0, sec = 0;
	long long len = 0, offset = 0;
	if (y < 1)
		return -1;
	if (p == end) {
		*lo = date_days_from_civil(y, 1, 1) * 86400;
		*hi = date_days_from_civil(y + 1, 1, 1) * 86400;
		return 0;
	}
	if (*p++ != '-' || (mo = date_digits(&p, end, 2)) < 1 || mo > 12)
		return -1;
	if (p == end) {
		*lo = date_days_from_civil(y, mo, 1) * 86400;
		*hi = (mo == 12 ? date_days_from_civil(y + 1, 1, 1) : date_days_from_civil(y, mo + 1, 1)) *
		      86400;
		return 0;
	}
	if (*p++ != '-' || (d = date_digits(&p, end, 2)) < 1 || d > date_days_in_month(y, mo))
		return -1;
	if (p == end) {
		*lo = date_days_from_civil(y, mo, d) * 86400;
		*hi = *lo + 86400;
		return 0;
	}
	if (date_only || (*p != 'T' && *p != 't' && *p != ' '))
		return -1;
	p++;
	if ((h = date_digits(&p, end, 2)) < 0 || h > 23)
		return -1;
	len = 3600;
	if (p < end && *p == ':') {
		p++;
		if ((mi = date_digits(&p, end, 2)) < 0 || mi > 59)
			return -1;
		len = 60;
		if (p < end && *p == ':') {
			p++;
			if ((sec = date_digits(&p, end, 2)) < 0 || sec > 59)
				return -1;
			len = 1;
			if (p < end && *p == '.') { /* DATETIME keeps no fraction: the second */
				p++;
				if (p == end || *p < '0' || *p > '9')
					return -1;
				while (p < end && *p >= '0' && *p <= '9')
					p++;
			}
		}
	}
	if (p < end && (*p == 'Z' || *p == 'z')) {
		p++;
	} else if (p < end && (*p == '+' || *p == '-' || *p == ' ')) {
		int sign = *p++ == '-' ? -1 : 1, oh, om = 0;
		if ((oh = date_digits(&p, end, 2)) < 0 || oh > 23)
			return -1;
		int colon = p < end && *p == ':';
		p += colon;
		if ((colon || p < end) && ((om = date_digits(&p, end, 2)) < 0 || om > 59))
			return -1;
		offset = sign * (oh * 3600LL + om * 60LL);
	}
	if (p != end)
		return -1;
	*lo = date_days_from_civil(y, mo, d) * 86400 + h * 3600LL + mi * 60LL + sec - offset;
	*hi = *lo + len;
	return 0;
}

/* The bound "YYYY-MM-DD[ HH:MM:SS]" of a period end, or none outside the
 * range a DATETIME holds (the period is then open on that side). */
static void period_bound(struct request *r, long long t, int date_only, struct filter_scalar *out)
{
	memset(out, 0, sizeof(*out));
	if (t < MIN_SECONDS || t >= END_SECONDS) {
		out->none = 1;
		return;
	}
	long long days = t / 86400, rem = t % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	long long y;
	int m, d;
	date_civil_from_days(days, &y, &m, &d);
	char *s = date_only ? arena_printf(r->arena, "%04lld-%02d-%02d", y, m, d)
			    : arena_printf(r->arena, "%04lld-%02d-%02d %02d:%02d:%02d", y, m, d,
					   (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
	out->s = s;
	out->len = strlen(s);
}

/* One value of type t into *it: a point, or for dates the period it names.
 * 0, or -1 when not valid. */
static int parse_one(struct request *r, enum filter_vtype t, const char *s, size_t n,
		     struct filter_item *it)
{
	memset(it, 0, sizeof(*it));
	it->point = 1;
	switch (t) {
	case FV_INT:
		if (parse_int(s, n, &it->lo.i) < 0)
			return -1;
		break;
	case FV_BOOL: {
		int b;
		if (parse_bool(s, n, &b) < 0)
			return -1;
		it->lo.i = b;
		break;
	}
	case FV_STR:
	case FV_ENUM:
		if (n == 0)
			return -1;
		break;
	case FV_MONEY: /* DECIMAL(65,4) after rounding: at most 61 integer digits */
		if (parse_number(s, n, 61, 30) < 0)
			return -1;
		break;
	case FV_DECIMAL:
		if (parse_number(s, n, 35, 30) < 0)
			return -1;
		break;
	case FV_DATETIME:
	case FV_DATE: {
		long long lo, hi;
		int date_only = t == FV_DATE;
		if (parse_period(s, n, date_only, &lo, &hi) < 0)
			return -1;
		period_bound(r, lo, date_only, &it->lo);
		period_bound(r, hi, date_only, &it->hi);
		it->point = 0;
		it->hi_open = 1;
		return 0;
	}
	}
	it->lo.s = s;
	it->lo.len = n;
	it->hi = it->lo;
	return 0;
}

/* --- values ------------------------------------------------------------- */

static int too_many_values(struct request *r, const char *param)
{
	struct api_error *e = err_addf(r, ERR_FILTER,
				       "Too many filter values: at most %d in a request.", MAX_FILTER_VALUES);
	if (e)
		e->parameter = param;
	return -2;
}

static int same_point(const struct filter_item *a, const struct filter_item *b, enum filter_vtype t)
{
	if (t == FV_INT || t == FV_BOOL)
		return a->lo.i == b->lo.i;
	return a->lo.len == b->lo.len && memcmp(a->lo.s, b->lo.s, a->lo.len) == 0;
}

/* The LIKE pattern of a pattern operator: the value with '!', '%' and '_'
 * escaped by '!' (ESCAPE '!' in filter_sql.c: a backslash would depend on
 * the server's sql_mode), between the wildcards the operator asks for. */
static int like_pattern(struct request *r, struct filter *f, const char *v, size_t n)
{
	int lead = f->op != FOP_STARTS_WITH && f->op != FOP_NOT_STARTS_WITH;
	int trail = f->op != FOP_ENDS_WITH && f->op != FOP_NOT_ENDS_WITH;
	char *p = arena_alloc(r->arena, 2 * n + 3);
	f->items = arena_alloc(r->arena, sizeof(*f->items));
	size_t o = 0;
	if (lead)
		p[o++] = '%';
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '!' || v[i] == '%' || v[i] == '_')
			p[o++] = '!';
		p[o++] = v[i];
	}
	if (trail)
		p[o++] = '%';
	f->items[0].point = 1;
	f->items[0].lo.s = p;
	f->items[0].lo.len = o;
	f->items[0].hi = f->items[0].lo;
	f->n_items = 1;
	f->vtype = FV_STR;
	return 0;
}

/* a..b: one inclusive range (for dates from the start of a's period to the
 * end of b's). */
static int parse_range(struct request *r, struct filter *f, const char *param, const char *v,
		       size_t n, const char *dots)
{
	struct filter_item a, b;
	int ra = parse_one(r, f->vtype, v, (size_t)(dots - v), &a);
	int rb = ra < 0 ? ra : parse_one(r, f->vtype, dots + 2, n - (size_t)(dots - v) - 2, &b);
	if (ra < 0 || rb < 0) {
		const char *word = type_word(f->vtype, 0);
		struct api_error *e =
			err_addf(r, ERR_FILTER, "Expected a pair of %s (%s..%s). Given \"%s\".",
				 type_word(f->vtype, 1), word, word, v);
		if (e)
			e->parameter = param;
		return -1;
	}
	f->items = arena_alloc(r->arena, sizeof(*f->items));
	f->items[0].lo = a.lo;
	f->items[0].hi = b.point ? b.lo : b.hi;
	f->items[0].hi_open = !b.point;
	f->n_items = 1;
	return 0;
}

/* A comma list (or a single value where lists are not allowed). */
static int parse_list(struct request *r, struct filter *f, const char *param, const char *v,
		      size_t n, int list_ok, size_t left)
{
	size_t count = 1;
	if (list_ok)
		for (size_t i = 0; i < n; i++)
			count += v[i] == ',';
	if (count > left)
		return too_many_values(r, param);
	if (count > (size_t)r->cfg->max_filter_items) {
		struct api_error *e = err_addf(r, ERR_FILTER,
					       "Too many items in the list: at most %ld.",
					       r->cfg->max_filter_items);
		if (e)
			e->parameter = param;
		return -1;
	}
	f->items = arena_alloc(r->arena, count * sizeof(*f->items));
	f->n_items = 0;
	const char *s = v, *end = v + n;
	for (size_t k = 0; k < count; k++) {
		const char *comma = list_ok ? memchr(s, ',', (size_t)(end - s)) : NULL;
		const char *e = comma ? comma : end;
		struct filter_item it;
		int rc = parse_one(r, f->vtype, s, (size_t)(e - s), &it);
		if (rc < 0) {
			if (count == 1)
				fail_value(r, param, type_word(f->vtype, 0), v);
			else
				fail_array(r, param, type_word(f->vtype, 1), v);
			return -1;
		}
		/* Duplicates would spoil the count of contains (has all of). */
		int dup = 0;
		for (size_t i = 0; it.point && i < f->n_items && !dup; i++)
			dup = f->items[i].point && same_point(&f->items[i], &it, f->vtype);
		if (!dup)
			f->items[f->n_items++] = it;
		s = e + 1;
	}
	return 0;
}

/* 0, -1 for a bad value, -2 past MAX_FILTER_VALUES. */
static int parse_values(struct request *r, struct filter *f, const struct field_rules *fr,
			const char *param, const char *v, size_t n, size_t left)
{
	switch (f->op) {
	case FOP_EXISTS:
	case FOP_EMPTY:
		if (parse_bool(v, n, &f->flag) < 0) {
			fail_value(r, param, "boolean", v);
			return -1;
		}
		return 0;
	case FOP_STARTS_WITH:
	case FOP_NOT_STARTS_WITH:
	case FOP_ENDS_WITH:
	case FOP_NOT_ENDS_WITH:
		break;
	case FOP_CONTAINS:
	case FOP_NOT_CONTAINS:
		if (f->shape == FS_TO_MANY)
			return parse_list(r, f, param, v, n, 1, left);
		break;
	case FOP_EQ:
	case FOP_NEQ:
	case FOP_NEQ_OR_NULL: {
		const char *dots = fr->range_ok ? find2(v, n, "..") : NULL;
		if (dots)
			return parse_range(r, f, param, v, n, dots);
		return parse_list(r, f, param, v, n, fr->list_ok, left);
	}
	case FOP_LT:
	case FOP_LTE:
	case FOP_GT:
	case FOP_GTE:
	case FOP_COUNT:
		return parse_list(r, f, param, v, n, 0, left);
	}
	/* The pattern operators of strings. */
	if (n == 0) {
		fail_value(r, param, "not empty string", v);
		return -1;
	}
	/* A LIKE '%...%' costs the server in proportion to its length, on
	 * every row: bounded in characters (UTF-8 continuation bytes are not
	 * counted). */
	size_t chars = 0;
	for (size_t i = 0; i < n; i++)
		chars += ((unsigned char)v[i] & 0xC0) != 0x80;
	if (chars > (size_t)r->cfg->max_filter_value_length) {
		struct api_error *e = err_addf(r, ERR_FILTER,
					       "The value is too long: at most %ld characters for"
					       " this operator.",
					       r->cfg->max_filter_value_length);
		if (e)
			e->parameter = param;
		return -1;
	}
	return like_pattern(r, f, v, n);
}

/* --- fields ------------------------------------------------------------- */

static void id_rules(enum id_kind k, enum filter_vtype *t, struct field_rules *fr)
{
	*t = k == ID_INT ? FV_INT : FV_STR;
	fr->ops = OPS_EQUALITY | (k == ID_INT ? OPS_ORDER : 0);
	fr->list_ok = 1;
	fr->range_ok = k == ID_INT;
}

/* The last segment of a path: the id, an attribute or an association. */
static int resolve_leaf(const struct resource *res, const char *seg, size_t n, struct filter *f,
			struct field_rules *fr)
{
	f->res = res;
	if (n == 2 && memcmp(seg, "id", 2) == 0) {
		f->shape = FS_COLUMN;
		f->column = res->id_column;
		id_rules(res->id_kind, &f->vtype, fr);
		return 0;
	}
	for (size_t i = 0; i < res->n_attrs; i++) {
		const struct attribute *a = &res->attrs[i];
		if (strlen(a->name) != n || memcmp(a->name, seg, n) != 0)
			continue;
		if (a->flags & A_WO)
			return -1; /* never shown, so never filtered on */
		f->shape = FS_COLUMN;
		f->column = a->column;
		fr->list_ok = 1;
		fr->range_ok = 1;
		fr->ops = OPS_EQUALITY | OPS_ORDER;
		switch (a->type) {
		case T_INT: f->vtype = FV_INT; break;
		case T_MONEY: f->vtype = FV_MONEY; break;
		case T_DECIMAL: f->vtype = FV_DECIMAL; break;
		case T_DATETIME: f->vtype = FV_DATETIME; break;
		case T_DATE: f->vtype = FV_DATE; break;
		case T_STRING:
		case T_ENUM:
		case T_BOOL:
			f->vtype = a->type == T_STRING ? FV_STR : a->type == T_ENUM ? FV_ENUM : FV_BOOL;
			fr->ops = OPS_EQUALITY | ((a->flags & A_PAT) && a->type != T_BOOL ? OPS_PATTERN : 0);
			fr->list_ok = a->type == T_ENUM;
			fr->range_ok = 0;
			break;
		case T_TEXT:
			f->vtype = FV_STR;
			fr->ops = OPB(FOP_EXISTS);
			fr->list_ok = fr->range_ok = 0;
			break;
		case T_JSON:
			return -1;
		}
		return 0;
	}
	const struct relationship *rel = resource_rel(res, seg, n);
	const struct resource *target = rel ? resource_target(rel) : NULL;
	if (!target)
		return -1;
	f->shape = rel->kind == REL_TO_ONE ? FS_TO_ONE : FS_TO_MANY;
	f->rel = rel;
	id_rules(target->id_kind, &f->vtype, fr);
	fr->ops = OPS_EQUALITY | (rel->kind == REL_TO_MANY ? OPS_SET : 0);
	return 0;
}

/* Resolves "a.b.field" from res: up to FILTER_MAX_PATH to-one hops. */
static int resolve(const struct resource *res, const char *path, size_t n, struct filter *f,
		   struct field_rules *fr)
{
	const struct resource *cur = res;
	size_t start = 0;
	for (;;) {
		const char *seg = path + start;
		const char *dot = memchr(seg, '.', n - start);
		size_t len = dot ? (size_t)(dot - seg) : n - start;
		if (len == 0)
			return -1;
		if (!dot)
			return resolve_leaf(cur, seg, len, f, fr);
		const struct relationship *rel = resource_rel(cur, seg, len);
		if (!rel || rel->kind != REL_TO_ONE || f->depth == FILTER_MAX_PATH)
			return -1;
		f->path[f->depth++] = rel;
		cur = resource_target(rel);
		if (!cur)
			return -1;
		start += len + 1;
	}
}

/* --- parameters --------------------------------------------------------- */

static int op_by_name(const char *s, size_t n, enum filter_op *op)
{
	for (int i = 0; i < FOP_COUNT; i++)
		if (strlen(op_names[i]) == n && memcmp(op_names[i], s, n) == 0) {
			*op = (enum filter_op)i;
			return 0;
		}
	return -1;
}

/* The symbol syntax: name "filter[path]" + rest. query.c split the raw
 * pair at its first '=', so `filter[id]!=2` arrived as name "filter[id]!"
 * and value "2", and `filter[id]>5` as name "filter[id]>5" with no value:
 * gluing rest, '=' and value together again gives the text after the path
 * either way (percent-encoded symbols were decoded with the name). An empty
 * value is taken as absent, so the pagination links, which write every
 * pair as name=value, mean the same. */
static int parse_symbol(struct request *r, const struct qparam *p, size_t rest_off,
			enum filter_op *op, const char **v, size_t *vn)
{
	size_t rest_len = p->name_len - rest_off;
	size_t n = rest_len + (p->value_len ? 1 + p->value_len : 0);
	char *text = arena_alloc(r->arena, n + 1);
	memcpy(text, p->name + rest_off, rest_len);
	if (p->value_len) {
		text[rest_len] = '=';
		memcpy(text + rest_len + 1, p->value, p->value_len);
	}
	if (n == 1 && text[0] == '!') { /* `filter[id]!=` with nothing after */
		*op = FOP_NEQ;
		*v = text + 1;
		*vn = 0;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_LEN(symbols); i++) {
		size_t sl = strlen(symbols[i].sym);
		if (n >= sl && memcmp(text, symbols[i].sym, sl) == 0) {
			*op = symbols[i].op;
			*v = text + sl;
			*vn = n - sl;
			return 0;
		}
	}
	return 1;
}

/* One filter parameter into set; *left is the MAX_FILTER_VALUES budget. 0, -1
 * when an error was recorded, -2 when the budget ran out (stop there). */
static int parse_param(struct request *r, const struct resource *res, const struct qparam *p,
		       struct filter_set *set, size_t *left)
{
	const char *name = p->name;
	size_t len = p->name_len;
	const char *close = len > 7 && memcmp(name, "filter[", 7) == 0
				    ? memchr(name + 7, ']', len - 7) : NULL;
	if (!close || close == name + 7) {
		fail(r, p->raw_name, "The filter is not supported.");
		return -1;
	}
	const char *path = name + 7, *rest = close + 1;
	size_t path_len = (size_t)(close - path), rest_off = (size_t)(rest - name);
	size_t rest_len = len - rest_off;
	struct filter *f = arena_alloc(r->arena, sizeof(*f));
	struct field_rules fr;
	const char *param = p->raw_name, *v = p->value;
	size_t vn = p->value_len;
	int symbol = 0, known_op = 1;
	f->op = FOP_EQ;
	if (rest_len >= 2 && rest[0] == '[' && rest[rest_len - 1] == ']' &&
	    !memchr(rest + 1, '[', rest_len - 2) && !memchr(rest + 1, ']', rest_len - 2))
		known_op = op_by_name(rest + 1, rest_len - 2, &f->op) == 0;
	else if (rest_len)
		symbol = 1;
	if (symbol) {
		int rc = parse_symbol(r, p, rest_off, &f->op, &v, &vn);
		if (rc < 0)
			return -1;
		if (rc > 0) {
			fail(r, p->raw_name, "The filter is not supported.");
			return -1;
		}
		/* The parameter is the name without its operator and value. */
		param = arena_strndup(r->arena, name, rest_off);
	}
	if (resolve(res, path, path_len, f, &fr) < 0) {
		fail(r, param, "The filter is not supported.");
		return -1;
	}
	if (!known_op || !(fr.ops & OPB(f->op))) {
		const char *op = known_op ? op_names[f->op] : arena_strndup(r->arena, rest + 1, rest_len - 2);
		struct api_error *e =
			err_addf(r, ERR_FILTER, "The operator \"%s\" is not supported.",
				 op ? op : "");
		if (e)
			e->parameter = param;
		return -1;
	}
	int rc = parse_values(r, f, &fr, param, v, vn, *left);
	if (rc < 0)
		return rc;
	size_t used = f->n_items ? f->n_items : 1;
	if (used > *left)
		return too_many_values(r, param);
	*left -= used;
	if (set->tail)
		set->tail->next = f;
	else
		set->head = f;
	set->tail = f;
	return 0;
}

static int cmp_param_name(const void *a, const void *b)
{
	const struct qparam *x = *(const struct qparam *const *)a;
	const struct qparam *y = *(const struct qparam *const *)b;
	int c = strcmp(x->name, y->name);
	return c ? c : x < y ? -1 : x > y; /* equal names: in query order */
}

/* Marks in superseded[] the filter parameters whose name comes again later:
 * the last one is in force, as with query_get and in the links. Sorting
 * keeps this n log n however many pairs a body brings. */
static void mark_superseded(struct request *r, const struct query *q, char *superseded)
{
	const struct qparam **list = arena_alloc(r->arena, q->n * sizeof(*list));
	size_t n = 0;
	for (size_t i = 0; i < q->n; i++)
		if (filter_owns(q->params[i].name))
			list[n++] = &q->params[i];
	qsort(list, n, sizeof(*list), cmp_param_name);
	for (size_t k = 0; k + 1 < n; k++)
		if (strcmp(list[k]->name, list[k + 1]->name) == 0)
			superseded[list[k] - q->params] = 1;
}

int filter_parse(struct request *r, const struct resource *res, const struct query *q,
		 struct filter_set **out)
{
	struct filter_set *set = NULL;
	char *superseded = q->n ? arena_alloc(r->arena, q->n) : NULL;
	size_t left = MAX_FILTER_VALUES, count = 0;
	int bad = 0;
	*out = NULL;
	if (q->n)
		mark_superseded(r, q, superseded);
	for (size_t i = 0; i < q->n; i++) {
		const struct qparam *p = &q->params[i];
		if (!filter_owns(p->name) || superseded[i])
			continue;
		if (++count > MAX_FILTERS) {
			struct api_error *e = err_addf(r, ERR_FILTER,
						       "Too many filters: at most %d in a request.", MAX_FILTERS);
			if (e)
				e->parameter = p->raw_name;
			return -1;
		}
		if (!set)
			set = arena_alloc(r->arena, sizeof(*set));
		int rc = parse_param(r, res, p, set, &left);
		if (rc == -2)
			return -1;
		if (rc < 0)
			bad = 1;
	}
	if (bad)
		return -1;
	*out = set && set->head ? set : NULL;
	return 0;
}

/* --- for the documentation (doc/openapi_params.c) ------------------------ */

unsigned filter_field_ops(const struct resource *res, const char *name, int *list_ok,
			  int *range_ok)
{
	struct filter f;
	struct field_rules fr;
	memset(&f, 0, sizeof(f));
	memset(&fr, 0, sizeof(fr));
	if (resolve_leaf(res, name, strlen(name), &f, &fr) < 0)
		return 0;
	*list_ok = fr.list_ok;
	*range_ok = fr.range_ok;
	return fr.ops;
}

const char *filter_op_name(enum filter_op op)
{
	return op < FOP_COUNT ? op_names[op] : NULL;
}
