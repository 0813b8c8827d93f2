/* filter.h: the filters of section 6.1 for a list (primary or subresource):
 * parsed from the request (raw query string, both syntaxes) against the
 * resource's descriptor, then appended to the list's SQL as bound
 * predicates. Every identifier comes from the descriptors. filter.c parses
 * and validates; filter_sql.c writes the SQL. */
#ifndef FILTER_H
#define FILTER_H
#include "first.h"
#include "maxima.h"
#include "req.h"
#include "resource.h"

struct sql;
struct query;
struct filter_set;
struct filter;

/* Parses every filter parameter of r for res into *out (arena memory; NULL
 * when there is none): q holds the decoded name/value pairs, r->query the
 * raw query string (the symbol syntax, `filter[id]>5`, has no '='). Records
 * each 400 `filter constraint` with source.parameter as sent. 0, or -1 when
 * errors were recorded. */
int filter_parse(struct request *r, const struct resource *res, const struct query *q,
		 struct filter_set **out);
/* Appends " AND <predicate>" for each filter, about rows of res aliased
 * alias. f may be NULL. */
void filter_sql(struct request *r, struct sql *q, const struct filter_set *f, const char *alias);
/* How an index on a filter's column serves it: its range reads exactly
 * the matches (=, IN, a range, starts_with), or its entries are scanned
 * instead of the rows (contains, ends_with and the negated patterns). */
enum filter_index { FILTER_RANGE, FILTER_SCAN };
/* The i-th filter (from 0) on a column of res itself that an index on the
 * column serves so; *column is that column. NULL past the last. For
 * sql/plan.c, which passes it to filter_sql_one. */
const struct filter *filter_sql_indexed(const struct filter_set *f, enum filter_index how,
					size_t i, const char **column);
/* Appends " AND <predicate>" of that one filter. */
void filter_sql_one(struct request *r, struct sql *q, const struct filter *f, const char *alias);
/* Whether a query parameter name belongs to filter_parse (it starts with
 * "filter"); query.c leaves those alone. */
int filter_owns(const char *name);

/* What filter_parse produces. Only filter.c and filter_sql.c look inside;
 * everyone else passes struct filter_set around as an opaque pointer. */

/* Dotted paths: at most this many to-one hops before the field. */

enum filter_op {
	FOP_EQ,
	FOP_NEQ,
	FOP_LT,
	FOP_LTE,
	FOP_GT,
	FOP_GTE,
	FOP_EXISTS,
	FOP_NEQ_OR_NULL,
	FOP_CONTAINS,
	FOP_NOT_CONTAINS,
	FOP_STARTS_WITH,
	FOP_NOT_STARTS_WITH,
	FOP_ENDS_WITH,
	FOP_NOT_ENDS_WITH,
	FOP_EMPTY,
	FOP_COUNT
};

/* What the leaf of a filter's path is. */
enum filter_shape {
	FS_COLUMN,  /* an attribute or the id: a column of the leaf's table */
	FS_TO_ONE,  /* a to-one association, by the related id */
	FS_TO_MANY, /* a to-many association, by the related ids */
};

/* The type of the values (for associations: of the related ids). */
enum filter_vtype {
	FV_INT,
	FV_STR,      /* also LIKE patterns, built by filter.c */
	FV_ENUM,
	FV_BOOL,
	FV_MONEY,
	FV_DECIMAL,
	FV_DATETIME, /* "YYYY-MM-DD HH:MM:SS", UTC */
	FV_DATE,     /* "YYYY-MM-DD" */
};

struct filter_scalar {
	long long i;   /* FV_INT, FV_BOOL */
	const char *s; /* the others (arena memory) */
	size_t len;
	int none;      /* an open end of a period (beyond the DATETIME range) */
};

/* One value: a point (lo), an inclusive range lo..hi, or for dates the
 * period [lo, hi) a partial value names. */
struct filter_item {
	struct filter_scalar lo, hi;
	int point;
	int hi_open; /* hi is excluded (periods) */
};

struct filter {
	struct filter *next;
	/* to-one hops from the list's resource (dotted paths) */
	const struct relationship *path[FILTER_MAX_PATH];
	int depth;
	const struct resource *res;     /* the resource the leaf belongs to */
	enum filter_shape shape;
	enum filter_vtype vtype;
	const char *column;             /* FS_COLUMN: the column */
	const struct relationship *rel; /* FS_TO_ONE, FS_TO_MANY */
	enum filter_op op;
	int flag;                       /* exists / empty: the boolean given */
	struct filter_item *items;      /* none for exists / empty */
	size_t n_items;
};

struct filter_set {
	struct filter *head, *tail;
};

/* For the documentation, from the same rules filter_parse applies: the
 * operators (bits 1u << FOP_*) a filter on the field `name` (id, attribute
 * or association) of res accepts, 0 when it cannot be filtered on; whether a
 * comma list and a..b range are read as such. */
unsigned filter_field_ops(const struct resource *res, const char *name, int *list_ok,
			  int *range_ok);
/* "eq", "starts_with"...; NULL past the last. */
const char *filter_op_name(enum filter_op op);

#endif
