/* batch_items.h: the core of the batch API (section 9), shared by the
 * synchronous operation (op_batch_sync.c) and the asynchronous runner. The
 * body of PATCH /api/{type} is read and checked as a whole once; then any
 * subset of its records is stored, each exactly as a single write stores
 * it (write/), inside a transaction the caller opened and ends.
 * Memory: the body is never one jansson tree (a 16 MiB body would take
 * some 180 MiB): reading finds each record's and each included item's
 * bytes with a scanner and parses them one at a time (the facts the
 * checks need are kept, the trees freed); a run parses again only the
 * records it stores (and the items they take), freed with the caller's
 * arena region. Everything lives in the request's arena; a batch_doc is
 * read-only after it was made and may be run any number of times within
 * its request. */
#ifndef BATCH_ITEMS_H
#define BATCH_ITEMS_H
#include "first.h"
#include "req.h"
#include "resource.h"

#include <jansson.h>

/* Where a value lies in the body. */
struct batch_span {
	size_t off, len;
};

struct batch_doc {
	const struct resource *res; /* the records' type (the route's) */
	const char *body;           /* the body as received, NUL-terminated (borrowed) */
	size_t body_len;
	size_t n_data, n_included;
	const struct batch_span *data_span; /* per record: its bytes in body */
	const struct batch_span *inc_span;  /* per included item: its bytes in body */
	const struct resource *const *inc_res; /* per included item: its type */
	/* group[i]: the lowest index of the data records that share included
	 * items with record i (i itself when it shares none). Records of one
	 * group belong in the same batch_run_items call (the same chunk):
	 * a shared included item is stored by the first record that takes it,
	 * and a later call would store it again. */
	const size_t *group;
	/* Private to batch_items.c. */
	const size_t *const *reach; /* per record: the included items it takes, ascending */
	const size_t *n_reach;
	const char *const *data_id; /* per record: its "id" as sent, or NULL */
	const char *const *inc_id;  /* per included item: its "id" as sent */
	json_t *slots;              /* n_included nulls: a run's "included" array */
};

/* Reads the body of PATCH /api/{type} (r->route.res) up to
 * batch.max_body_size (413 beyond) and parses it with batch_doc_parse. A
 * plain-format request is 415 (section 5.5), before the body is read.
 * 0, or -1 with the errors recorded. */
int batch_doc_read(struct request *r, struct batch_doc *out);

/* Parses body (len bytes, borrowed: it must live as long as out) as a
 * batch of res: `{"data": [resource, ...], "included"?: [...]}`. Checks
 * what concerns the whole document, each error with its pointer: JSON,
 * shape, a non-empty data array, the included items (object with type and
 * id, a known type, no duplicates, each linked with some data record).
 * What concerns one record (its members, its meta) is left to the run, so
 * a bad record fails alone. Also loads the requester's permissions
 * (r->acl), so that a caller's arena_mark taken after this call never
 * releases them. 0, or -1 with the errors recorded. */
int batch_doc_parse(struct request *r, const struct resource *res, const char *body, size_t len,
		    struct batch_doc *out);

/* Data record i (resp. included item j) parsed from its bytes: a new
 * reference (json_decref it), or NULL when out of memory. */
json_t *batch_doc_record(const struct batch_doc *doc, size_t i);
json_t *batch_doc_item(const struct batch_doc *doc, size_t j);

/* What became of one record (data or included) in a run. */
struct batch_outcome {
	unsigned char failed;  /* not stored (its errors are recorded in r) */
	unsigned char created; /* inserted (else updated: meta.update, an upsert that found it) */
	const char *db_id;     /* its id once stored (kept arena memory), else NULL */
};

#define BATCH_RECORDS_FAILED (-1) /* some records failed; the others are stored */
#define BATCH_FATAL (-2)          /* 5xx, deadlock or lost connection: roll back */

/* Stores data records idx[0..n) (indices into data[], any order, each at
 * most once), in that order, with the included items each takes, inside
 * the caller's open transaction (db_begin); never commits nor rolls back
 * it. Each record runs in a savepoint: a record that fails is undone alone
 * and reported, and the records after it see the database without it.
 * Errors carry source.pointer into the original body (/data/{i}/...,
 * /included/{j}/...); one without a pointer (a 404 of meta.update) gets
 * its record's /data/{i}. r's user, organization and cache must be set up
 * as auth does. Callable again on the same doc (no state is kept between
 * calls). out: n outcomes (by position in idx); inc_out: n_included
 * outcomes or NULL (db_id NULL: not stored by this call). Returns 0 (all
 * stored, derived data flushed), BATCH_RECORDS_FAILED (the failing
 * records are marked failed, and the transaction holds exactly the other
 * records: commit it, or roll back and run again without them), or
 * BATCH_FATAL (the transaction is unusable: roll it back). */
int batch_run(struct request *r, const struct batch_doc *doc, const size_t *idx, size_t n,
	      struct batch_outcome *out, struct batch_outcome *inc_out);

/* batch_run with failed[k] = 1 for each failing record k (index into idx),
 * 0 for the others. Same return values. */
int batch_run_items(struct request *r, const struct batch_doc *doc, const size_t *idx, size_t n,
		    unsigned char *failed);

#endif
