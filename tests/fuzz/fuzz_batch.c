/* fuzz_batch.c: the body of a batch (section 9) through the batch reader
 * (batch_items.c: shape, included items, the reference graph, groups and
 * what each record takes) and then each record through the document
 * parser (write_doc_build), as batch_run would build them before storing.
 * Input: byte 0 picks the resource from the registry; the rest is the body.
 *
 * No database: the permissions batch_doc_parse loads are set here (an
 * empty acl_cache: nothing is asked of the database), and storing
 * (write_items_store) is not reached.
 *
 * Oracles: a read fails exactly when it recorded an error, and (the reader
 * scans the body and parses it value by value) it agrees with jansson's
 * parse of the whole: a body jansson rejects fails with jansson's own
 * message, and an accepted batch's records and included items, parsed
 * again from their bytes, equal the whole tree's; an accepted
 * batch has a non-empty data array, groups that name their lowest record
 * (group[i] <= i, group[group[i]] == group[i]), per record the included
 * items ascending, in range, and every included item taken by some record
 * (records that take one item share a group); each record's parse fails
 * exactly when it recorded an error, and an accepted record is of the
 * batch's type at /data/{i} with its included items at their own indices;
 * the error documents are valid JSON. */
#include "fuzz.h"
#include "acl_sql.h"
#include "batch_items.h"
#include "write.h"

/* The reader against jansson's parse of the whole body. */
static void check_whole(const struct batch_doc *d, json_t *root)
{
	FUZZ_CHECK(json_is_object(root));
	json_t *data = json_object_get(root, "data");
	json_t *inc = json_object_get(root, "included");
	FUZZ_CHECK(json_is_array(data) && d->n_data == json_array_size(data));
	FUZZ_CHECK(d->n_included == (inc ? json_array_size(inc) : 0));
	for (size_t i = 0; i < d->n_data; i++) {
		json_t *v = batch_doc_record(d, i);
		FUZZ_CHECK(v && json_equal(v, json_array_get(data, i)));
		json_decref(v);
	}
	for (size_t j = 0; j < d->n_included; j++) {
		json_t *v = batch_doc_item(d, j);
		FUZZ_CHECK(v && json_equal(v, json_array_get(inc, j)));
		json_decref(v);
	}
}

static void check_doc(struct request *r, const struct batch_doc *d)
{
	FUZZ_CHECK(d->n_data > 0 && json_array_size(d->slots) == d->n_included);
	char *taken = arena_alloc(r->arena, d->n_included + 1);
	size_t *owner = arena_alloc(r->arena, (d->n_included + 1) * sizeof(*owner));
	for (size_t i = 0; i < d->n_data; i++) {
		FUZZ_CHECK(d->group[i] <= i && d->group[d->group[i]] == d->group[i]);
		for (size_t k = 0; k < d->n_reach[i]; k++) {
			size_t j = d->reach[i][k];
			FUZZ_CHECK(j < d->n_included);
			FUZZ_CHECK(k == 0 || d->reach[i][k - 1] < j);
			if (taken[j])
				FUZZ_CHECK(d->group[owner[j]] == d->group[i]);
			taken[j] = 1;
			owner[j] = i;
		}
	}
	for (size_t j = 0; j < d->n_included; j++)
		FUZZ_CHECK(taken[j] && d->inc_id[j] != NULL);
}

static void json_free_cb(void *p)
{
	json_decref(p);
}

static void check_built(struct request *r, const struct batch_doc *d, size_t i,
			const struct write_doc *wd, const char *ptr)
{
	FUZZ_CHECK(wd->primary && wd->primary->res == d->res && strcmp(wd->primary->ptr, ptr) == 0);
	FUZZ_CHECK(!wd->validate && wd->batch);
	if (wd->primary->update)
		FUZZ_CHECK(wd->primary->client_id != NULL);
	size_t k = 0;
	for (const struct write_item *it = wd->included; it; it = it->next, k++) {
		FUZZ_CHECK(k < d->n_reach[i] && it->index == d->reach[i][k]);
		FUZZ_CHECK(strcmp(it->ptr, arena_printf(r->arena, "/included/%zu", it->index)) == 0);
	}
	FUZZ_CHECK(k == wd->n_included && k == d->n_reach[i]);
}

static void check_record(struct request *r, const struct batch_doc *d, size_t i)
{
	static const size_t none[1];
	const char *ptr = arena_printf(r->arena, "/data/%zu", i);
	/* As batch_run: the record and its items parsed from their bytes. */
	json_t *rec = batch_doc_record(d, i);
	FUZZ_CHECK(rec != NULL);
	for (size_t k = 0; k < d->n_reach[i]; k++)
		json_array_set_new(d->slots, d->reach[i][k], batch_doc_item(d, d->reach[i][k]));
	struct write_src src = { .res = d->res,
				 .data = rec,
				 .ptr = ptr,
				 .batch = 1,
				 .included = d->slots,
				 .inc = d->n_reach[i] ? d->reach[i] : none, /* NULL: all */
				 .n_inc = d->n_reach[i] };
	size_t before = fuzz_errors(r);
	struct write_doc wd;
	int rc = write_doc_build(r, WRITE_CREATE, &src, &wd);
	FUZZ_CHECK((rc < 0) == (fuzz_errors(r) > before));
	if (rc >= 0)
		check_built(r, d, i, &wd, ptr);
	for (size_t k = 0; k < d->n_reach[i]; k++)
		json_array_set(d->slots, d->reach[i][k], json_null());
	/* What the write keeps points into rec: freed with the request. */
	arena_on_reset(r->arena, json_free_cb, rec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t n;
	const struct resource *const *all = resources_all(&n);
	const struct resource *res = all[data[0] % n];
	struct fuzz_body b = { (const char *)data + 1, size - 1, 0 };
	struct transport io;
	struct request r;
	fuzz_request(&r, &io, &b);
	r.method = "PATCH";
	r.route.kind = ROUTE_LIST;
	r.route.res = res;
	r.route.prefix = "";
	r.acl = arena_alloc(r.arena, sizeof(*r.acl)); /* no permissions: no query */
	struct batch_doc d;
	int rc = batch_doc_read(&r, &d);
	FUZZ_CHECK((rc < 0) == (r.errors != NULL));
	json_error_t je;
	json_t *root = json_loadb(b.p, b.n, JSON_REJECT_DUPLICATES, &je);
	size_t ws = 0;
	while (ws < b.n && memchr(" \t\r\n", b.p[ws], 4) && b.p[ws])
		ws++;
	if (!root && ws < b.n) {
		/* Unreadable JSON: jansson's own message, as before the scanner. */
		char want[256];
		snprintf(want, sizeof(want), "Invalid json message received. Parsing error in [%d:%d]. %s",
			 je.line, je.column, je.text);
		FUZZ_CHECK(rc < 0 && r.errors && r.errors->detail &&
			   strcmp(r.errors->detail, want) == 0 && !r.errors->next);
	}
	/* A body jansson reads the scanner never turns down as unreadable. */
	if (root && rc < 0)
		FUZZ_CHECK(!r.errors->detail ||
			   strcmp(r.errors->detail, "Invalid json message received.") != 0);
	if (rc == 0) {
		check_whole(&d, root);
		check_doc(&r, &d);
		for (size_t i = 0; i < d.n_data && i < 200; i++)
			check_record(&r, &d, i);
	}
	json_decref(root);
	if (r.errors)
		fuzz_check_errors_render(&r);
	fuzz_request_end(&r);
	return 0;
}
