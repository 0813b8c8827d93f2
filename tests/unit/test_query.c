/* Query string parsing (src/query/): the pairs (query.c), paging, fields
 * and meta, sort (sort.c), include (include.c) and filters with their date
 * periods (filter.c), against the real descriptors. A real request: its
 * arena, the default configuration, the raw query string. */

/* The descriptors of src/resources/ (linked in). */
extern const struct resource res_contacts, res_users, res_accounts;

static struct config unit_cfg;

/* A request for query string qs, parsed into q (the configuration back to
 * its defaults). */
static void unit_request(struct request *r, struct arena *a, const char *qs, struct query *q)
{
	arena_reset(a);
	memset(r, 0, sizeof(*r));
	config_defaults(&unit_cfg);
	r->arena = a;
	r->cfg = &unit_cfg;
	r->query = qs;
	query_parse(r, q);
	r->q = q;
}

/* Whether r recorded a 400 with this title, detail and source.parameter
 * (detail or parameter NULL: any). */
static int has_400(const struct request *r, const char *title, const char *detail, const char *param)
{
	for (const struct api_error *e = r->errors; e; e = e->next)
		if (e->status == 400 && strcmp(e->title, title) == 0 &&
		    (!detail || (e->detail && strcmp(e->detail, detail) == 0)) &&
		    (!param || (e->parameter && strcmp(e->parameter, param) == 0)))
			return 1;
	for (const struct api_error *e = r->errors; e; e = e->next)
		fprintf(stderr, "  recorded: %d %s / %s / %s\n", e->status, e->title,
			e->detail ? e->detail : "-", e->parameter ? e->parameter : "-");
	return 0;
}

#define CHECK_400(r, title, detail, param)                                           \
	do {                                                                          \
		CHECK((r)->n_errors == 1);                                            \
		CHECK(has_400((r), (title), (detail), (param)));                     \
	} while (0)

/* query_check of qs for contacts as a collection: 0 or -1. */
static int check_contacts(struct request *r, struct arena *a, const char *qs, struct query *q)
{
	unit_request(r, a, qs, q);
	return query_check(r, q, &res_contacts, 1);
}

static void test_query(void)
{
	struct arena *a = arena_new();
	struct request r;
	struct query q;
	const struct qparam *p;

	/* Pairs split at '&', name and value at the first '=', both decoded
	 * ('+' a space); empty pairs skipped; no '=' is an empty value. */
	unit_request(&r, a, "a=1&b=&c&&d=x%3Dy=z&e+f=g+h%2B&%5Bk%5D=v", &q);
	CHECK(q.n == 6);
	CHECK_STR(q.params[0].name, "a");
	CHECK_STR(q.params[0].value, "1");
	CHECK_STR(q.params[1].value, "");
	CHECK_STR(q.params[2].name, "c");
	CHECK_STR(q.params[2].value, "");
	CHECK_STR(q.params[3].name, "d");
	CHECK_STR(q.params[3].value, "x=y=z");
	CHECK_STR(q.params[4].name, "e f");
	CHECK_STR(q.params[4].value, "g h+");
	CHECK_STR(q.params[5].name, "[k]");
	CHECK(q.page_size == 10 && q.page_number == 1);
	unit_request(&r, a, "", &q);
	CHECK(q.n == 0);
	/* NUL bytes stay inside the value and its length. */
	unit_request(&r, a, "a=x%00y", &q);
	CHECK(q.n == 1 && q.params[0].value_len == 3);
	/* A repeated name: the last one wins. */
	unit_request(&r, a, "x=1&y=0&x=2", &q);
	p = query_get(&q, "x");
	CHECK(p && strcmp(p->value, "2") == 0);
	CHECK(query_get(&q, "z") == NULL);

	/* Paging (section 6.3). */
	CHECK(check_contacts(&r, a, "page[size]=5&page%5Bnumber%5D=3", &q) == 0);
	CHECK(q.page_size == 5 && q.page_number == 3 && q.page_size_given && !q.past_end);
	CHECK(check_contacts(&r, a, "page[size]=-1", &q) == 0);
	CHECK(q.page_size == -1);
	/* Refused page parameters: detail and source.parameter. "+1" is " 1"
	 * once decoded: not an integer. */
	static const struct {
		const char *qs, *detail, *param;
	} bad_pages[] = {
		{ "page[size]=abc", "Expected integer value. Given \"abc\".", "page[size]" },
		{ "page[size]=99999999999999999999", NULL, "page[size]" },
		{ "page[size]=", "Expected integer value. Given \"\".", "page[size]" },
		{ "page[size]=-2", "The value should be greater than or equals to -1.", "page[size]" },
		{ "page[number]=0", "The value should be greater than or equals to 1.", "page[number]" },
		{ "page[number]=-1", "Expected unsigned integer value. Given \"-1\".", "page[number]" },
		{ "page[number]=+1", "Expected unsigned integer value. Given \" 1\".", "page[number]" },
		{ "page[number]=1x", "Expected unsigned integer value. Given \"1x\".", "page[number]" },
	};
	for (size_t i = 0; i < ARRAY_LEN(bad_pages); i++) {
		if (check_contacts(&r, a, bad_pages[i].qs, &q) == 0)
			fprintf(stderr, "%s: accepted\n", bad_pages[i].qs);
		CHECK_400(&r, "filter constraint", bad_pages[i].detail, bad_pages[i].param);
	}
	/* A configured maximum: -1 (everything) is over it too. */
	unit_request(&r, a, "page[size]=101", &q);
	unit_cfg.max_page_size = 100;
	CHECK(query_check(&r, &q, &res_contacts, 1) < 0);
	CHECK_400(&r, "filter constraint", "The value should be less than or equals to 100.",
		  "page[size]");
	unit_request(&r, a, "page[size]=-1", &q);
	unit_cfg.max_page_size = 100;
	CHECK(query_check(&r, &q, &res_contacts, 1) < 0);
	unit_request(&r, a, "page[size]=100", &q);
	unit_cfg.max_page_size = 100;
	CHECK(query_check(&r, &q, &res_contacts, 1) == 0 && q.page_size == 100);
	/* An offset past 64 bits: an empty page, no arithmetic overflow. */
	CHECK(check_contacts(&r, a, "page[number]=9223372036854775807&page[size]=100", &q) == 0);
	CHECK(q.past_end);
	CHECK(check_contacts(&r, a, "page[number]=2&page[size]=9223372036854775807", &q) == 0);
	CHECK(q.past_end);
	CHECK(check_contacts(&r, a, "page[number]=1&page[size]=9223372036854775807", &q) == 0);
	CHECK(!q.past_end);
	/* Paging and sorting belong to collections; unknown names are 400. */
	unit_request(&r, a, "page[size]=5", &q);
	CHECK(query_check(&r, &q, &res_contacts, 0) < 0);
	CHECK_400(&r, "filter constraint", "The filter is not supported.", "page[size]");
	CHECK(check_contacts(&r, a, "bogus=1", &q) < 0);
	CHECK_400(&r, "filter constraint", "The filter is not supported.", "bogus");

	/* fields[type] (section 6.4). */
	CHECK(check_contacts(&r, a, "fields[contacts]=firstName,lastName", &q) == 0);
	CHECK(q.n_fields == 1);
	CHECK(query_field_wanted(&q, &res_contacts, "firstName"));
	CHECK(query_field_wanted(&q, &res_contacts, "lastName"));
	CHECK(!query_field_wanted(&q, &res_contacts, "last"));
	CHECK(!query_field_wanted(&q, &res_contacts, "email"));
	CHECK(query_field_wanted(&q, &res_users, "email"));
	CHECK(check_contacts(&r, a, "fields[contacts]=email&fields[contacts]=", &q) == 0);
	CHECK(!query_field_wanted(&q, &res_contacts, "email"));
	CHECK(check_contacts(&r, a, "fields=x", &q) < 0);
	CHECK_400(&r, "filter constraint", "An entity type is not specified.", "fields");
	CHECK(check_contacts(&r, a, "fields[]=x", &q) < 0);
	CHECK_400(&r, "filter constraint", "An entity type is not specified.", "fields[]");
	CHECK(check_contacts(&r, a, "fields[nope]=x", &q) < 0);
	CHECK_400(&r, "filter constraint", "An entity type is not known.", "fields[nope]");

	/* meta=title. */
	CHECK(check_contacts(&r, a, "meta=title", &q) == 0 && q.meta_title);
	CHECK(check_contacts(&r, a, "meta=title,bogus", &q) < 0);
	CHECK_400(&r, "filter constraint",
		  "The \"bogus\" is not known meta property. Known properties: title.", "meta");

	/* At most max_query_parameters distinct names (repeats count once). */
	unit_request(&r, a, "filter[id]=1&filter[id]=2&filter[id]=3", &q);
	unit_cfg.max_query_parameters = 2;
	CHECK(query_check(&r, &q, &res_contacts, 1) == 0);
	unit_request(&r, a, "page[size]=1&page[number]=1&sort=id", &q);
	unit_cfg.max_query_parameters = 2;
	CHECK(query_check(&r, &q, &res_contacts, 1) < 0);
	CHECK_400(&r, "filter constraint", "Too many query parameters: at most 2 names.", NULL);

	/* Links: sorted by name, encoded, the value in force, page[number]
	 * set (left out for page 1), the default page[size] left out. */
	struct buf b;
	CHECK(check_contacts(&r, a, "sort=-id&filter%5BlastName%5D=a+b&sort=id&page%5Bnumber%5D=3&page[size]=10", &q) == 0);
	buf_init(&b, 4096);
	query_link(&r, &q, 2, &b);
	CHECK_STR(b.data, "?filter%5BlastName%5D=a%20b&page%5Bnumber%5D=2&sort=id");
	buf_clear(&b);
	query_link(&r, &q, 1, &b);
	CHECK_STR(b.data, "?filter%5BlastName%5D=a%20b&sort=id");
	CHECK(check_contacts(&r, a, "page[size]=7", &q) == 0);
	buf_clear(&b);
	query_link(&r, &q, 4, &b);
	CHECK_STR(b.data, "?page%5Bnumber%5D=4&page%5Bsize%5D=7");
	buf_free(&b);
	arena_destroy(a);
}

static void test_sort(void)
{
	struct arena *a = arena_new();
	struct request r;
	struct query q;

	CHECK(check_contacts(&r, a, "sort=lastName,-firstName", &q) == 0);
	CHECK(q.n_sort == 2);
	CHECK(q.sort[0].attr && strcmp(q.sort[0].attr->name, "lastName") == 0 && !q.sort[0].desc);
	CHECK(q.sort[1].attr && strcmp(q.sort[1].attr->name, "firstName") == 0 && q.sort[1].desc);
	/* The id, and a to-one relationship (by its foreign key). */
	CHECK(check_contacts(&r, a, "sort=-id", &q) == 0);
	CHECK(q.n_sort == 1 && !q.sort[0].attr && !q.sort[0].fk_rel && q.sort[0].desc);
	CHECK(check_contacts(&r, a, "sort=owner", &q) == 0);
	CHECK(q.n_sort == 1 && q.sort[0].fk_rel && strcmp(q.sort[0].fk_rel->name, "owner") == 0);
	/* Dotted paths through to-one relationships, at most 3 hops. */
	CHECK(check_contacts(&r, a, "sort=-owner.username", &q) == 0);
	CHECK(q.n_sort == 1 && q.sort[0].depth == 1 && q.sort[0].desc);
	CHECK(strcmp(q.sort[0].path[0]->name, "owner") == 0 && q.sort[0].path_res[0] == &res_users);
	CHECK(q.sort[0].attr && strcmp(q.sort[0].attr->name, "username") == 0);
	CHECK(check_contacts(&r, a, "sort=reportsTo.reportsTo.reportsTo.lastName", &q) == 0);
	CHECK(q.n_sort == 1 && q.sort[0].depth == 3);
	CHECK(check_contacts(&r, a, "sort=reportsTo.reportsTo.reportsTo.reportsTo.lastName", &q) < 0);
	CHECK_400(&r, "sort constraint",
		  "Sorting by \"reportsTo.reportsTo.reportsTo.reportsTo.lastName\" field is not supported.",
		  "sort");
	/* Not sortable: text columns, to-many relationships, unknown names,
	 * empty keys; each refused key is one error, the others still parse. */
	CHECK(check_contacts(&r, a, "sort=description", &q) < 0);
	CHECK_400(&r, "sort constraint", "Sorting by \"description\" field is not supported.", "sort");
	CHECK(check_contacts(&r, a, "sort=accounts", &q) < 0);
	CHECK_400(&r, "sort constraint", "Sorting by \"accounts\" field is not supported.", "sort");
	CHECK(check_contacts(&r, a, "sort=accounts.name", &q) < 0);
	CHECK(check_contacts(&r, a, "sort=bogus,id,-nope", &q) < 0);
	CHECK(r.n_errors == 2 && q.n_sort == 1);
	CHECK(has_400(&r, "sort constraint", "Sorting by \"bogus\" field is not supported.", "sort"));
	CHECK(has_400(&r, "sort constraint", "Sorting by \"nope\" field is not supported.", "sort"));
	CHECK(check_contacts(&r, a, "sort=", &q) < 0);
	CHECK_400(&r, "sort constraint", "Sorting by \"\" field is not supported.", "sort");
	CHECK(check_contacts(&r, a, "sort=id,", &q) < 0);
	CHECK(check_contacts(&r, a, "sort=owner.", &q) < 0);
	CHECK(check_contacts(&r, a, "sort=.id", &q) < 0);
	CHECK(check_contacts(&r, a, "sort=-", &q) < 0);
	/* At most max_sort_fields keys (5), counted before any is resolved. */
	CHECK(check_contacts(&r, a, "sort=id,id,id,id,id", &q) == 0 && q.n_sort == 5);
	CHECK(check_contacts(&r, a, "sort=id,id,id,id,id,bogus", &q) < 0);
	CHECK_400(&r, "sort constraint", "Too many sort fields: at most 5.", "sort");
	/* Not on a single resource. */
	unit_request(&r, a, "sort=id", &q);
	CHECK(query_check(&r, &q, &res_contacts, 0) < 0);
	CHECK_400(&r, "filter constraint", "The filter is not supported.", "sort");
	arena_destroy(a);
}

/* The include node for relationship name among list, NULL if none. */
static const struct include_node *inc_find(const struct include_node *list, const char *name)
{
	for (; list; list = list->next)
		if (strcmp(list->rel->name, name) == 0)
			return list;
	return NULL;
}

static size_t inc_count(const struct include_node *list)
{
	size_t n = 0;
	for (; list; list = list->next)
		n++;
	return n;
}

static void test_include(void)
{
	struct arena *a = arena_new();
	struct request r;
	struct query q;
	const struct include_node *n;

	CHECK(check_contacts(&r, a, "include=owner,accounts", &q) == 0);
	CHECK(inc_count(q.include) == 2);
	CHECK((n = inc_find(q.include, "owner")) && n->res == &res_users && !n->children);
	CHECK((n = inc_find(q.include, "accounts")) && n->res == &res_accounts);
	/* A tree: shared prefixes are one node; repeats are merged. */
	CHECK(check_contacts(&r, a, "include=reportsTo.owner,reportsTo,reportsTo.accounts,owner,owner", &q) == 0);
	CHECK(inc_count(q.include) == 2);
	n = inc_find(q.include, "reportsTo");
	CHECK(n && n->res == &res_contacts && inc_count(n->children) == 2);
	CHECK(n && inc_find(n->children, "owner") && inc_find(n->children, "accounts"));
	/* Unknown names are ignored; so is a path left out by fields[]. */
	CHECK(check_contacts(&r, a, "include=nope,owner.nope", &q) == 0);
	CHECK(inc_count(q.include) == 1 && !q.include->children);
	CHECK(check_contacts(&r, a, "include=owner,accounts&fields[contacts]=lastName,accounts", &q) == 0);
	CHECK(inc_count(q.include) == 1 && inc_find(q.include, "accounts"));
	/* Depth: at most max_include_depth (3) names in a path. */
	CHECK(check_contacts(&r, a, "include=reportsTo.reportsTo.owner", &q) == 0);
	CHECK(check_contacts(&r, a, "include=reportsTo.reportsTo.reportsTo.owner", &q) < 0);
	CHECK_400(&r, "filter constraint", "The include path is too deep.", "include");
	/* Empty values and empty names. */
	CHECK(check_contacts(&r, a, "include=", &q) < 0);
	CHECK_400(&r, "filter constraint", "Expected not empty string value. Given \"\".", "include");
	CHECK(check_contacts(&r, a, "include=owner,,accounts", &q) < 0);
	CHECK_400(&r, "filter constraint",
		  "Expected an array of not empty strings. Given \"owner,,accounts\".", "include");
	CHECK(check_contacts(&r, a, "include=,owner", &q) < 0);
	CHECK(check_contacts(&r, a, "include=owner,", &q) < 0);
	CHECK(q.include == NULL);
	/* Include is allowed on a single resource too. */
	unit_request(&r, a, "include=owner", &q);
	CHECK(query_check(&r, &q, &res_contacts, 0) == 0 && q.include);
	arena_destroy(a);
}

/* filter_parse of qs for res; the first filter in *f (NULL if none). */
static int filters(struct request *r, struct arena *a, const char *qs,
		   const struct resource *res, const struct filter **f)
{
	static struct query q;
	struct filter_set *set;
	unit_request(r, a, qs, &q);
	int rc = filter_parse(r, res, &q, &set);
	*f = set ? set->head : NULL;
	return rc;
}

/* The one filter of qs on contacts is a period [lo, hi) of its first value. */
static void check_period(struct arena *a, const char *qs, const char *lo, const char *hi)
{
	struct request r;
	const struct filter *f;
	if (filters(&r, a, qs, &res_contacts, &f) < 0 || !f || f->n_items != 1) {
		fprintf(stderr, "%s: not one valid filter\n", qs);
		CHECK(0);
		return;
	}
	const struct filter_item *it = &f->items[0];
	CHECK(!it->point && it->hi_open);
	CHECK_STR(it->lo.none ? "(none)" : it->lo.s, lo);
	CHECK_STR(it->hi.none ? "(none)" : it->hi.s, hi);
}

static void check_bad_filter(struct arena *a, const char *qs)
{
	struct request r;
	const struct filter *f;
	if (filters(&r, a, qs, &res_contacts, &f) == 0) {
		fprintf(stderr, "%s: accepted\n", qs);
		CHECK(0);
	}
	CHECK(has_400(&r, "filter constraint", NULL, NULL));
}

static void test_filter(void)
{
	struct arena *a = arena_new();
	struct request r;
	const struct filter *f;

	CHECK(filters(&r, a, "filter[lastName]=Smith+Jr", &res_contacts, &f) == 0);
	CHECK(f && !f->next && f->op == FOP_EQ && f->shape == FS_COLUMN && f->vtype == FV_STR);
	CHECK(f && strcmp(f->column, "last_name") == 0 && f->n_items == 1);
	CHECK(f && f->items[0].lo.len == 8 && memcmp(f->items[0].lo.s, "Smith Jr", 8) == 0);
	/* No filter parameter: no set. */
	CHECK(filters(&r, a, "sort=id", &res_contacts, &f) == 0 && f == NULL);
	/* Both syntaxes of an operator. */
	CHECK(filters(&r, a, "filter[id]>5", &res_contacts, &f) == 0);
	CHECK(f && f->op == FOP_GT && f->vtype == FV_INT && f->items[0].lo.i == 5);
	CHECK(filters(&r, a, "filter[id]>=5", &res_contacts, &f) == 0 && f && f->op == FOP_GTE);
	CHECK(filters(&r, a, "filter[id]!=2", &res_contacts, &f) == 0 && f && f->op == FOP_NEQ);
	CHECK(filters(&r, a, "filter[id]%3C3", &res_contacts, &f) == 0 && f && f->op == FOP_LT);
	CHECK(filters(&r, a, "filter[id][gte]=3", &res_contacts, &f) == 0);
	CHECK(f && f->op == FOP_GTE && f->items[0].lo.i == 3);
	/* Lists and ranges. */
	CHECK(filters(&r, a, "filter[id]=1,2,3", &res_contacts, &f) == 0 && f && f->n_items == 3);
	CHECK(f && f->items[2].lo.i == 3);
	CHECK(filters(&r, a, "filter[id]=1..5", &res_contacts, &f) == 0 && f && f->n_items == 1);
	CHECK(f && !f->items[0].point && f->items[0].lo.i == 1 && f->items[0].hi.i == 5);
	/* Paths through to-one relationships; to-one and to-many leaves. */
	CHECK(filters(&r, a, "filter[owner.username]=admin", &res_contacts, &f) == 0);
	CHECK(f && f->depth == 1 && f->res == &res_users && strcmp(f->column, "username") == 0);
	CHECK(filters(&r, a, "filter[owner]=1", &res_contacts, &f) == 0 && f && f->shape == FS_TO_ONE);
	CHECK(filters(&r, a, "filter[accounts]=1", &res_contacts, &f) == 0 && f && f->shape == FS_TO_MANY);
	/* The last of a repeated name is in force. */
	CHECK(filters(&r, a, "filter[id]=1&filter[id]=2", &res_contacts, &f) == 0);
	CHECK(f && !f->next && f->items[0].lo.i == 2);
	/* Refused: unknown fields and operators, wrong values. */
	CHECK(filters(&r, a, "filter[nope]=1", &res_contacts, &f) < 0);
	CHECK_400(&r, "filter constraint", "The filter is not supported.", "filter[nope]");
	CHECK(filters(&r, a, "filter[id]@1", &res_contacts, &f) < 0);
	CHECK_400(&r, "filter constraint", "The filter is not supported.", "filter[id]@1");
	CHECK(filters(&r, a, "filter[id]~1", &res_contacts, &f) < 0);
	CHECK_400(&r, "filter constraint", "The operator \"contains\" is not supported.", "filter[id]");
	CHECK(filters(&r, a, "filter[id][bogus]=1", &res_contacts, &f) < 0);
	CHECK_400(&r, "filter constraint", "The operator \"bogus\" is not supported.", "filter[id][bogus]");
	CHECK(filters(&r, a, "filter=1", &res_contacts, &f) < 0);
	CHECK(filters(&r, a, "filter[]=1", &res_contacts, &f) < 0);
	check_bad_filter(a, "filter[id]=abc");
	check_bad_filter(a, "filter[id]=1,,2");
	check_bad_filter(a, "filter[id]=99999999999999999999");
	CHECK(filters(&r, a, "filter[reportsTo.reportsTo.reportsTo.lastName]=x", &res_contacts, &f) == 0);
	CHECK(f && f->depth == 3);
	CHECK(filters(&r, a, "filter[reportsTo.reportsTo.reportsTo.reportsTo.lastName]=x",
		      &res_contacts, &f) < 0);
	/* Limits: a pattern of at most max_filter_value_length (1000)
	 * characters (a 2-byte character counts once), and of items. */
	static char qs[8192];
	size_t pre = strlen("filter[lastName][contains]=");
	memcpy(qs, "filter[lastName][contains]=", pre);
	for (int i = 0; i < 1000; i++)
		memcpy(qs + pre + 6 * i, "%C3%A9", 6);
	qs[pre + 6000] = '\0';
	CHECK(filters(&r, a, qs, &res_contacts, &f) == 0 && f && f->op == FOP_CONTAINS);
	memcpy(qs + pre + 6000, "a", 2);
	CHECK(filters(&r, a, qs, &res_contacts, &f) < 0);
	CHECK_400(&r, "filter constraint",
		  "The value is too long: at most 1000 characters for this operator.",
		  "filter[lastName][contains]");
	{
		struct query q;
		struct filter_set *set;
		unit_request(&r, a, "filter[id]=1,2,3", &q);
		unit_cfg.max_filter_items = 2;
		CHECK(filter_parse(&r, &res_contacts, &q, &set) < 0);
		CHECK(has_400(&r, "filter constraint", NULL, NULL));
	}

	/* Periods: a partial ISO 8601 value names [start, end) in UTC. */
	check_period(a, "filter[createdAt]=2016", "2016-01-01 00:00:00", "2017-01-01 00:00:00");
	check_period(a, "filter[createdAt]=2016-02", "2016-02-01 00:00:00", "2016-03-01 00:00:00");
	check_period(a, "filter[createdAt]=2016-12", "2016-12-01 00:00:00", "2017-01-01 00:00:00");
	check_period(a, "filter[createdAt]=2016-02-29", "2016-02-29 00:00:00", "2016-03-01 00:00:00");
	check_period(a, "filter[createdAt]=2016-12-31T23", "2016-12-31 23:00:00", "2017-01-01 00:00:00");
	check_period(a, "filter[createdAt]=2016-09-19T10:30", "2016-09-19 10:30:00", "2016-09-19 10:31:00");
	check_period(a, "filter[createdAt]=2016-09-19T10:30:15.999Z", "2016-09-19 10:30:15",
		     "2016-09-19 10:30:16");
	/* Zones move the period to UTC; a '+' decoded to a space counts. */
	check_period(a, "filter[createdAt]=2016-09-19T01:30%2B02:00", "2016-09-18 23:30:00",
		     "2016-09-18 23:31:00");
	check_period(a, "filter[createdAt]=2016-09-19T01:30+0200", "2016-09-18 23:30:00",
		     "2016-09-18 23:31:00");
	check_period(a, "filter[createdAt]=2016-09-19T23-01", "2016-09-20 00:00:00", "2016-09-20 01:00:00");
	/* Past what a DATETIME holds the period is open on that side. */
	check_period(a, "filter[createdAt]=9999", "9999-01-01 00:00:00", "(none)");
	check_period(a, "filter[createdAt]=0001-01-01T00%2B01:00", "(none)", "0001-01-01 00:00:00");
	/* Dates stop at the day. */
	check_period(a, "filter[birthday]=1980-02", "1980-02-01", "1980-03-01");
	check_period(a, "filter[birthday]=1980", "1980-01-01", "1981-01-01");
	check_bad_filter(a, "filter[birthday]=1980-02-01T10");
	/* Not dates. */
	check_bad_filter(a, "filter[createdAt]=2015-02-29");
	check_bad_filter(a, "filter[createdAt]=2016-13");
	check_bad_filter(a, "filter[createdAt]=2016-1");
	check_bad_filter(a, "filter[createdAt]=16");
	check_bad_filter(a, "filter[createdAt]=0000");
	check_bad_filter(a, "filter[createdAt]=2016-09-19T24");
	check_bad_filter(a, "filter[createdAt]=2016-09-19T10:60");
	check_bad_filter(a, "filter[createdAt]=2016-09-19T10:30:15.");
	check_bad_filter(a, "filter[createdAt]=2016-09-19T10:30%2B24:00");
	check_bad_filter(a, "filter[createdAt]=2016-09-19X10");
	check_bad_filter(a, "filter[createdAt]=yesterday");
	/* A range of periods runs from the start of the first to the end of
	 * the second. */
	CHECK(filters(&r, a, "filter[createdAt]=2016..2017-02", &res_contacts, &f) == 0 && f);
	if (f) {
		CHECK_STR(f->items[0].lo.s, "2016-01-01 00:00:00");
		CHECK_STR(f->items[0].hi.s, "2017-03-01 00:00:00");
	}
	arena_destroy(a);
}
