/* filter.h: the filters of section 6.1 for a list (primary or subresource):
 * parsed from the request (raw query string, both syntaxes) against the
 * resource's descriptor, then appended to the list's SQL as bound
 * predicates. Every identifier comes from the descriptors. */
#ifndef FILTER_H
#define FILTER_H
#include "first.h"
#include "req.h"
#include "resource.h"

struct sql;
struct query;
struct filter_set;

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
/* Whether a query parameter name belongs to filter_parse (it starts with
 * "filter"); query.c leaves those alone. */
int filter_owns(const char *name);

#endif
