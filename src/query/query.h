/* query.h: the query string (section 6), parsed once per request into
 * decoded name/value pairs, plus the paging it asks for. Parameters the
 * service does not know are a 400 `filter constraint`. */
#ifndef QUERY_H
#define QUERY_H
#include "first.h"
#include "req.h"
#include "resource.h"

struct qparam {
	const char *name, *value; /* percent-decoded, NUL-terminated */
	size_t name_len, value_len;
	const char *raw_name;     /* as sent, for source.parameter */
};

/* fields[type]=a,b (section 6.4): the names of one type to render. */
struct fieldset {
	const struct resource *res;
	const char *list; /* decoded, comma-separated */
};

/* One sort key (section 6.2): a path of up to 3 to-one relationships, then
 * an attribute, the id, or a to-one relationship (its foreign key). */
struct sort_key {
	const struct relationship *path[3];
	const struct resource *path_res[3]; /* the target of path[i] */
	int depth;
	const struct attribute *attr;       /* NULL: id or fk_rel */
	const struct relationship *fk_rel;  /* sort by this to-one's foreign key */
	int desc;
};

/* A node of the include tree (section 6.4). */
struct include_node {
	const struct relationship *rel;     /* of the parent's resource */
	const struct resource *res;         /* rel's target */
	struct include_node *children, *next;
};

struct query {
	struct qparam *params;
	size_t n;
	long page_size;   /* -1: unlimited */
	long page_number; /* from 1 */
	int past_end;     /* the page's offset is past any table (no query) */
	int page_size_given;
	struct sort_key *sort;
	size_t n_sort;
	struct fieldset *fields;
	size_t n_fields;
	struct include_node *include;
	int meta_title;
};

/* Splits and decodes r->query ("+" is a space). */
void query_parse(struct request *r, struct query *q);
/* Validates the parameters of a read whose primary data is of type res: a
 * collection (paging, sorting and filters allowed) or a single resource.
 * Parses fields, meta, include and sort into q. 0, or -1 with the 400s
 * recorded (filters are left to filter.c). */
int query_check(struct request *r, struct query *q, const struct resource *res, int collection);
/* Whether name (an attribute or relationship of res) is to be rendered. */
int query_field_wanted(const struct query *q, const struct resource *res, const char *name);
/* The value of a parameter, NULL if absent. */
const struct qparam *query_get(const struct query *q, const char *name);
/* Appends "?a=b&c=d" for the parameters, sorted by name, with page[number]
 * set to page (omitted for 1) and the default page[size] omitted; the
 * names and values percent-encoded (RFC 3986 unreserved characters kept). */
void query_link(struct request *r, const struct query *q, long page, struct buf *out);

#endif
