/* filter.c: see filter.h. No operator is supported yet: every filter
 * parameter is answered with `The filter is not supported.` (the query
 * language issue fills this in). */
#include "first.h"
#include "filter.h"
#include "err.h"
#include "query.h"

#include <string.h>

int filter_owns(const char *name)
{
	return strncmp(name, "filter", 6) == 0;
}

int filter_parse(struct request *r, const struct resource *res, const struct query *q,
		 struct filter_set **out)
{
	(void)res;
	*out = NULL;
	int bad = 0;
	for (size_t i = 0; i < q->n; i++) {
		if (!filter_owns(q->params[i].name))
			continue;
		struct api_error *e = err_add(r, 400, "filter constraint", "The filter is not supported.");
		if (e)
			e->parameter = q->params[i].raw_name;
		bad = 1;
	}
	return bad ? -1 : 0;
}

void filter_sql(struct request *r, struct sql *q, const struct filter_set *f, const char *alias)
{
	(void)r;
	(void)q;
	(void)f;
	(void)alias;
}
