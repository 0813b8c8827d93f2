/* query.h: the query string (section 6), parsed once per request into
 * decoded name/value pairs, plus the paging it asks for. Parameters the
 * service does not know are a 400 `filter constraint`. */
#ifndef QUERY_H
#define QUERY_H
#include "first.h"
#include "req.h"

struct qparam {
	const char *name, *value; /* percent-decoded, NUL-terminated */
	size_t name_len, value_len;
	const char *raw_name;     /* as sent, for source.parameter */
};

struct query {
	struct qparam *params;
	size_t n;
	long page_size;   /* -1: unlimited */
	long page_number; /* from 1 */
	int page_size_given;
};

/* Splits and decodes r->query ("+" is a space). 0 or -1 (out of memory). */
int query_parse(struct request *r, struct query *q);
/* Validates the parameters for a read of a collection (paging allowed) or
 * of a single resource (no paging). 0, or -1 with the 400s recorded. */
int query_check(struct request *r, struct query *q, int collection);
/* The value of a parameter, NULL if absent. */
const struct qparam *query_get(const struct query *q, const char *name);
/* Appends "?a=b&c=d" for the parameters, sorted by name, with page[number]
 * set to page (omitted for 1) and the default page[size] omitted; the
 * names and values percent-encoded (RFC 3986 unreserved characters kept). */
void query_link(struct request *r, const struct query *q, long page, struct buf *out);
/* Appends s percent-encoded (unreserved characters kept). */
void query_encode(struct buf *out, const char *s, size_t n);

#endif
