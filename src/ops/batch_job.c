/* batch_job.c: runs one leased batch job (batch_job.h) in a process of its
 * own: the request is rebuilt from the job row (user, organization, type,
 * the stored body), then every chunk of BATCH_CHUNK records not yet done is
 * one transaction. A chunk whose records fail is rolled back and run again
 * without them (Oro's way): their errors and the valid records are then
 * committed together with the chunk's progress, guarded by the lease and
 * chunks_done, so a chunk is never committed twice. The per-record rules
 * (validation, access levels, included items) are batch_items.c's. */
#include "first.h"
#include "batch_job.h"
#include "acl.h"
#include "arena.h"
#include "batch_items.h"
#include "buf.h"
#include "db.h"
#include "err.h"
#include "log.h"
#include "query.h"
#include "resource.h"
#include "sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* Deadlock victims: a chunk is run again this many times more. */
#define CHUNK_DEADLOCK_RETRIES 3

struct job {
	struct request *r;
	long long id;
	unsigned long long token;
	struct batch_doc doc;
	size_t n;            /* records of the body's data */
	size_t chunks;       /* chunks of BATCH_CHUNK */
	size_t done;         /* chunks committed before this run */
	const size_t *chunk_of; /* per record: its chunk (plan_chunks) */
	int inherited;       /* doc is the accepting request's (spawned runner) */
	long pause_ms;       /* API_BATCH_TEST_PAUSE_MS: tests only */
};

/* One error kept across a chunk's attempts (the request's list is emptied
 * at each attempt); in kept arena memory. */
struct kept_error {
	struct kept_error *next;
	int status;
	const char *title, *detail, *pointer;
};

static const char *no_param(void *ctx, const char *name)
{
	(void)ctx;
	(void)name;
	return NULL;
}

static long no_body(void *ctx, char *p, size_t n)
{
	(void)ctx;
	(void)p;
	(void)n;
	return 0;
}

static int no_output(void *ctx, const char *p, size_t n)
{
	(void)ctx;
	(void)p;
	(void)n;
	return 0;
}

static const struct transport job_io = { no_param, no_body, no_output, NULL, NULL, NULL };

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void clear_errors(struct request *r)
{
	r->errors = r->errors_tail = NULL;
	r->n_errors = 0;
}

static int has_5xx(const struct request *r)
{
	for (const struct api_error *e = r->errors; e; e = e->next)
		if (e->status >= 500)
			return 1;
	return 0;
}

static void log_errors(const struct request *r, const char *what)
{
	for (const struct api_error *e = r->errors; e; e = e->next)
		log_msg(r->id, "%s: %d %s%s%s", what, e->status, e->title ? e->title : "",
			e->detail ? ": " : "", e->detail ? e->detail : "");
}

/* Appends the request's errors to *list (kept memory) and clears them;
 * returns how many. */
static unsigned keep_errors(struct request *r, struct kept_error ***tail)
{
	unsigned n = 0;
	for (const struct api_error *e = r->errors; e; e = e->next, n++) {
		struct kept_error *k = arena_alloc_kept(r->arena, sizeof(*k));
		k->status = e->status;
		k->title = e->title;   /* already kept (err.c) */
		k->detail = e->detail;
		k->pointer = e->pointer;
		**tail = k;
		*tail = &k->next;
	}
	clear_errors(r);
	return n;
}

static int store_errors(struct request *r, long long id, const struct kept_error *list)
{
	for (const struct kept_error *e = list; e; e = e->next) {
		struct sql q;
		sql_init(&q, r->arena);
		sql_add(&q, "INSERT INTO async_operation_errors (operation_id, status, title, detail,"
			    " pointer) VALUES (");
		sql_int(&q, id);
		sql_add(&q, ", ");
		sql_int(&q, e->status);
		sql_add(&q, ", ");
		const char *title = e->title ? e->title : "internal server error";
		sql_str(&q, title, strnlen(title, 255));
		sql_add(&q, ", ");
		if (e->detail)
			sql_str(&q, e->detail, strlen(e->detail));
		else
			sql_add(&q, "NULL");
		sql_add(&q, ", ");
		if (e->pointer)
			sql_str(&q, e->pointer, strnlen(e->pointer, 255));
		else
			sql_add(&q, "NULL");
		sql_add(&q, ")");
		if (db_exec(r, &q, NULL) != 0)
			return -1;
	}
	return 0;
}

/* The chunk's bookkeeping, inside its transaction: 1 when the row moved on
 * (this runner still holds the lease and chunk k was not done), 0 when it
 * did not (the transaction must be rolled back), -1 on error. */
static int advance(struct job *j, size_t k, size_t read, size_t written, unsigned errors,
		   size_t created, long long ms)
{
	struct request *r = j->r;
	struct sql q;
	sql_init(&q, r->arena);
	char progress[16];
	snprintf(progress, sizeof(progress), "%.4f", (double)(k + 1) / (double)j->chunks);
	sql_add(&q, "UPDATE async_operations SET status = 'running', chunks_done = chunks_done + 1,"
		    " progress = ");
	sql_str(&q, progress, strlen(progress));
	sql_add(&q, ", read_count = read_count + ");
	sql_int(&q, (long long)read);
	sql_add(&q, ", write_count = write_count + ");
	sql_int(&q, (long long)written);
	sql_add(&q, ", error_count = error_count + ");
	sql_int(&q, errors);
	sql_add(&q, ", create_count = create_count + ");
	sql_int(&q, (long long)created);
	sql_add(&q, ", update_count = update_count + ");
	sql_int(&q, (long long)(written - created));
	sql_add(&q, ", aggregate_ms = aggregate_ms + ");
	sql_int(&q, ms);
	sql_add(&q, ", lease_until = UTC_TIMESTAMP() + INTERVAL ");
	sql_int(&q, BATCH_LEASE_SECONDS);
	sql_add(&q, " SECOND, updated_at = UTC_TIMESTAMP(),"
		    " elapsed_time = TIMESTAMPDIFF(SECOND, created_at, UTC_TIMESTAMP())"
		    " WHERE id = ");
	sql_int(&q, j->id);
	sql_add(&q, " AND runner_token = ");
	sql_int(&q, (long long)j->token);
	sql_add(&q, " AND chunks_done = ");
	sql_int(&q, (long long)k);
	unsigned long long n = 0;
	if (db_exec(r, &q, &n) != 0)
		return -1;
	return n == 1;
}

/* One attempt at chunk k (records idx[0..count)), one transaction: 0
 * committed, 1 lease lost, -1 error (rolled back). */
static int run_chunk_once(struct job *j, size_t k, const size_t *idx, size_t count,
			  struct batch_outcome *out, long long t0)
{
	struct request *r = j->r;
	if (db_begin(r) < 0)
		return -1;
	memset(out, 0, count * sizeof(*out));
	int rc = count ? batch_run(r, &j->doc, idx, count, out, NULL) : 0;
	if (rc != 0 && rc != BATCH_RECORDS_FAILED) {
		db_end(r, 0);
		return -1;
	}
	struct kept_error *errs = NULL, **tail = &errs;
	unsigned n_errs = keep_errors(r, &tail);
	size_t written = 0, created = 0;
	for (size_t i = 0; i < count; i++) {
		written += !out[i].failed;
		created += !out[i].failed && out[i].created;
	}
	rc = store_errors(r, j->id, errs);
	if (rc == 0)
		rc = advance(j, k, count, written, n_errs, created, now_ms() - t0);
	if (rc <= 0) {
		db_end(r, 0);
		return rc < 0 ? -1 : 1;
	}
	return db_end(r, 1) < 0 ? -1 : 0;
}

/* Runs chunk k: 0 committed, 1 lease lost, -1 error (rolled back). Each
 * record runs in a savepoint (batch_items.c): a record that fails is undone
 * alone and the records after it see the database without it, so the
 * transaction then holds exactly the valid records, as running the chunk
 * again without the failing ones would (Oro's way), in one pass. */
static int run_chunk(struct job *j, size_t k)
{
	struct request *r = j->r;
	long long t0 = now_ms();
	size_t count = 0;
	for (size_t i = 0; i < j->n; i++)
		count += j->chunk_of[i] == k;
	size_t *idx = arena_alloc(r->arena, (count ? count : 1) * sizeof(*idx));
	struct batch_outcome *out = arena_alloc(r->arena, (count ? count : 1) * sizeof(*out));
	for (size_t i = 0, w = 0; i < j->n; i++)
		if (j->chunk_of[i] == k)
			idx[w++] = i;
	for (int deadlocks = 0;; deadlocks++) {
		int rc = run_chunk_once(j, k, idx, count, out, t0);
		/* Any other error is not the records' fault: the runner stops,
		 * and the chunk runs again under a later lease. */
		if (rc != -1 || !db_deadlocked(r) || deadlocks == CHUNK_DEADLOCK_RETRIES) {
			if (rc < 0)
				log_errors(r, "batch chunk stopped");
			return rc;
		}
		/* A deadlock victim (or a Galera certification conflict) was
		 * rolled back whole: the chunk runs again. */
		clear_errors(r);
	}
}

/* Record i's chunk: the chunk of i / BATCH_CHUNK, unless it shares included
 * items with a lower record (doc->group): then that record's chunk, so that
 * a shared item is stored once. A function of the body alone, so a later
 * run makes the same chunks. */
static void plan_chunks(struct job *j)
{
	size_t *c = arena_alloc(j->r->arena, (j->n ? j->n : 1) * sizeof(*c));
	for (size_t i = 0; i < j->n; i++) {
		size_t g = j->doc.group ? j->doc.group[i] : i;
		c[i] = g < i ? c[g] : i / BATCH_CHUNK;
	}
	j->chunk_of = c;
	j->chunks = (j->n + BATCH_CHUNK - 1) / BATCH_CHUNK;
}

/* The job's end, one transaction: status, summary from the counters, the
 * body deleted. Guarded by the lease. */
static int finish(struct job *j, const char *status)
{
	struct request *r = j->r;
	if (db_begin(r) < 0)
		return -1;
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "UPDATE async_operations SET status = ");
	sql_str(&q, status, strlen(status));
	sql_add(&q, ", progress = 1, runner_token = NULL, lease_until = NULL,"
		    " updated_at = UTC_TIMESTAMP(),"
		    " elapsed_time = TIMESTAMPDIFF(SECOND, created_at, UTC_TIMESTAMP()),"
		    " summary = JSON_OBJECT('aggregateTime', aggregate_ms, 'readCount', read_count,"
		    " 'writeCount', write_count, 'errorCount', error_count, 'createCount', create_count,"
		    " 'updateCount', update_count) WHERE id = ");
	sql_int(&q, j->id);
	sql_add(&q, " AND runner_token = ");
	sql_int(&q, (long long)j->token);
	unsigned long long n = 0;
	if (db_exec(r, &q, &n) != 0 || n != 1) {
		db_end(r, 0);
		return n != 1 && !r->errors ? 1 : -1;
	}
	sql_init(&q, r->arena);
	sql_add(&q, "DELETE FROM async_operation_data WHERE operation_id = ");
	sql_int(&q, j->id);
	if (db_exec(r, &q, NULL) != 0) {
		db_end(r, 0);
		return -1;
	}
	return db_end(r, 1) < 0 ? -1 : 0;
}

/* The input cannot be processed at all: its errors stored, status failed. */
static int fail_job(struct job *j)
{
	struct request *r = j->r;
	struct kept_error *errs = NULL, **tail = &errs;
	unsigned n = keep_errors(r, &tail);
	if (db_begin(r) < 0)
		return -1;
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "UPDATE async_operations SET error_count = error_count + ");
	sql_int(&q, n);
	sql_add(&q, " WHERE id = ");
	sql_int(&q, j->id);
	sql_add(&q, " AND runner_token = ");
	sql_int(&q, (long long)j->token);
	unsigned long long hit = 0;
	if (store_errors(r, j->id, errs) != 0 || db_exec(r, &q, &hit) != 0 || hit != 1) {
		db_end(r, 0);
		return -1;
	}
	if (db_end(r, 1) < 0)
		return -1;
	return finish(j, "failed");
}

static int append_part(void *ctx, const struct db_value *cols, unsigned ncols)
{
	struct buf *b = ctx;
	if (ncols < 1 || !cols[0].s)
		return 0;
	return buf_append(b, cols[0].s, cols[0].len) < 0 ? -1 : 0;
}

/* Loads the job row and the body; sets up r. 0, 1 (not ours any more), 2
 * (the job cannot run: error recorded), -1. */
static int load(struct job *j)
{
	struct request *r = j->r;
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT a.organization_id, a.owner_id, a.entity_type, a.chunks_done,"
		    " (u.enabled = 1 AND o.enabled = 1 AND uo.user_id IS NOT NULL)"
		    " FROM async_operations a JOIN users u ON u.id = a.owner_id"
		    " JOIN organizations o ON o.id = a.organization_id"
		    " LEFT JOIN user_organizations uo ON uo.user_id = a.owner_id"
		    " AND uo.organization_id = a.organization_id"
		    " WHERE a.id = ");
	sql_int(&q, j->id);
	sql_add(&q, " AND a.runner_token = ");
	sql_int(&q, (long long)j->token);
	sql_add(&q, " AND a.status IN ('new', 'running')");
	struct db_rows rows;
	if (db_query(r, &q, &rows) < 0)
		return -1;
	if (rows.n == 0)
		return 1;
	r->org_id = strtoll(rows.cells[0].s, NULL, 10);
	r->user_id = strtoll(rows.cells[1].s, NULL, 10);
	r->route.kind = ROUTE_LIST;
	r->route.res = resources_find(rows.cells[2].s, rows.cells[2].len);
	r->route.prefix = "";
	long long done = strtoll(rows.cells[3].s, NULL, 10);
	int allowed = rows.cells[4].s && rows.cells[4].s[0] == '1';
	/* The runner's pid, for operators (and the suite's crash test). */
	sql_init(&q, r->arena);
	sql_add(&q, "UPDATE async_operations SET status = 'running', runner_pid = ");
	sql_int(&q, (long long)getpid());
	sql_add(&q, ", progress = COALESCE(progress, 0), updated_at = UTC_TIMESTAMP() WHERE id = ");
	sql_int(&q, j->id);
	sql_add(&q, " AND runner_token = ");
	sql_int(&q, (long long)j->token);
	unsigned long long hit = 0;
	if (db_exec(r, &q, &hit) != 0)
		return -1;
	if (hit != 1)
		return 1;
	if (!r->route.res) {
		err_addf(r, ERR_UNKNOWN_TYPE, "Unknown entity type: %s.", rows.cells[2].s);
		return 2;
	}
	if (!allowed) {
		/* Whoever asked can no longer sign in: nothing runs as them. */
		err_add(r, ERR_ACCESS_DENIED, "The user or the organization is disabled.");
		return 2;
	}
	j->done = (size_t)done;
	if (j->inherited)
		return 0;
	struct buf *body = arena_alloc(r->arena, sizeof(*body));
	buf_init(body, (size_t)1 << 30);
	arena_on_reset(r->arena, buf_free_cb, body);
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT part FROM async_operation_data WHERE operation_id = ");
	sql_int(&q, j->id);
	sql_add(&q, " ORDER BY seq");
	if (db_query_each(r, &q, append_part, body) < 0)
		return -1;
	if (buf_failed(body)) {
		err_internal(r, "batch job %lld: out of memory for its body", j->id);
		return -1;
	}
	r->body_in = body->data ? body->data : "";
	r->body_in_len = body->len;
	return 0;
}

static void pause_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&t, &t) != 0)
		;
}

/* The chunks not yet done, each in its own arena region. */
static int run_chunks(struct job *j)
{
	struct request *r = j->r;
	for (size_t k = j->done; k < j->chunks; k++) {
		struct arena_mark m;
		arena_mark(r->arena, &m);
		int rc = run_chunk(j, k);
		arena_release(r->arena, &m);
		/* What the chunk hung on the request lived in the region. */
		r->headers = r->headers_tail = NULL;
		r->activity = NULL;
		if (rc != 0)
			return rc;
		if (j->pause_ms > 0 && k + 1 < j->chunks)
			pause_ms(j->pause_ms);
	}
	return 0;
}

int batch_job_run_leased(const struct config *cfg, struct db *db, struct arena *a, long long id,
			 unsigned long long token, const struct batch_doc *doc)
{
	struct request *r = arena_alloc(a, sizeof(*r));
	r->arena = a;
	r->cfg = cfg;
	r->db = db;
	r->io = &job_io;
	snprintf(r->id, sizeof(r->id), "job-%lld", id);
	r->method = "PATCH";
	r->uri = r->path = "/api";
	r->query = "";
	r->base = "";
	buf_init(&r->body, 1u << 20);
	arena_on_reset(a, buf_free_cb, &r->body);
	struct query *q = arena_alloc(a, sizeof(*q));
	query_parse(r, q);
	r->q = q;
	struct job j = { .r = r, .id = id, .token = token, .inherited = doc != NULL };
	const char *pause = getenv("API_BATCH_TEST_PAUSE_MS");
	j.pause_ms = pause ? strtol(pause, NULL, 10) : 0;
	int rc = load(&j);
	if (rc == 0 && doc) {
		/* The accepting request's reading (the body and where each
		 * record lies in it), as the process inherited it; the
		 * permissions are loaded before any chunk's region. */
		j.doc = *doc;
		if (doc->res != r->route.res || acl_level(r, r->route.res, ACL_VIEW) < 0)
			rc = -1;
	} else if (rc == 0 &&
		   batch_doc_parse(r, r->route.res, r->body_in, r->body_in_len, &j.doc) < 0) {
		/* (Parsing also loads the permissions.) */
		rc = has_5xx(r) ? -1 : 2;
	}
	if (rc == 0) {
		j.n = j.doc.n_data;
		plan_chunks(&j);
		rc = run_chunks(&j);
		if (rc == 0)
			rc = finish(&j, "success");
	} else if (rc == 2) {
		rc = fail_job(&j);
	}
	if (rc < 0)
		log_errors(r, "batch job stopped");
	/* One line per run: operators (and tests/bench/batch.sh) read it. */
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	log_msg(r->id, "batch job %lld: %s, %zu records, peak RSS %ld KiB", id,
		rc == 0 ? "ended" : rc == 1 ? "lease lost" : "stopped", j.n, ru.ru_maxrss);
	return rc;
}
