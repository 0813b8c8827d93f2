/* batch_job_store.c: the bookkeeping of batch jobs (batch_job.h) that is no
 * chunk: storing an accepted job with its body, and the worker's lease of
 * a job whose runner died. */
#include "first.h"
#include "batch_job.h"
#include "arena.h"
#include "db.h"
#include "err.h"
#include "log.h"
#include "resource.h"
#include "sql.h"

#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

unsigned long long batch_job_token(void)
{
	unsigned long long t = 0;
	while (t == 0) {
		if (RAND_bytes((unsigned char *)&t, sizeof(t)) != 1)
			t = (unsigned long long)getpid() << 32 ^ (unsigned long long)rand();
		/* Kept below 2^63: bound as a signed BIGINT. */
		t &= 0x7fffffffffffffffull;
	}
	return t;
}

int batch_job_store(struct request *r, const char *body, size_t len, size_t n_records,
		    long long *id, unsigned long long *token)
{
	*token = batch_job_token();
	const char *type = r->route.res->type;
	if (db_begin(r) < 0)
		return -1;
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "INSERT INTO async_operations (organization_id, owner_id, status, entity_type,"
		    " elapsed_time, created_at, updated_at, runner_token, lease_until, attempts,"
		    " record_count) VALUES (");
	sql_int(&q, r->org_id);
	sql_add(&q, ", ");
	sql_int(&q, r->user_id);
	sql_add(&q, ", 'new', ");
	sql_str(&q, type, strlen(type));
	sql_add(&q, ", 0, UTC_TIMESTAMP(), UTC_TIMESTAMP(), ");
	sql_int(&q, (long long)*token);
	sql_add(&q, ", UTC_TIMESTAMP() + INTERVAL ");
	sql_int(&q, BATCH_LEASE_SECONDS);
	sql_add(&q, " SECOND, 1, ");
	sql_int(&q, (long long)n_records);
	sql_add(&q, ")");
	if (db_exec(r, &q, NULL) != 0)
		goto fail;
	*id = (long long)db_insert_id(r);
	for (size_t off = 0, seq = 0; off < len || seq == 0; off += BATCH_BODY_PART, seq++) {
		size_t n = len - off < BATCH_BODY_PART ? len - off : BATCH_BODY_PART;
		/* Each part's statement in a region of its own: the accepting
		 * process holds the body once, not once more in statements. */
		struct arena_mark m;
		arena_mark(r->arena, &m);
		sql_init(&q, r->arena);
		sql_add(&q, "INSERT INTO async_operation_data (operation_id, seq, part) VALUES (");
		sql_int(&q, *id);
		sql_add(&q, ", ");
		sql_int(&q, (long long)seq);
		sql_add(&q, ", ");
		sql_str(&q, body ? body + off : "", n);
		sql_add(&q, ")");
		int rc = db_exec(r, &q, NULL);
		arena_release(r->arena, &m);
		if (rc != 0)
			goto fail;
	}
	return db_end(r, 1);
fail:
	if (!r->errors)
		err_internal(r, "storing a batch job failed");
	db_end(r, 0);
	return -1;
}

/* Fails job id for good (its runs kept dying): status failed, one error. */
static int fail_exhausted(struct request *r, long long id)
{
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "INSERT INTO async_operation_errors (operation_id, status, title, detail)"
		    " VALUES (");
	sql_int(&q, id);
	sql_add(&q, ", 500, 'internal server error', ");
	const char *d = "The operation was started too many times without finishing.";
	sql_str(&q, d, strlen(d));
	sql_add(&q, ")");
	if (db_exec(r, &q, NULL) != 0)
		return -1;
	sql_init(&q, r->arena);
	sql_add(&q, "UPDATE async_operations SET status = 'failed', runner_token = NULL,"
		    " lease_until = NULL, error_count = error_count + 1, updated_at = UTC_TIMESTAMP(),"
		    " elapsed_time = TIMESTAMPDIFF(SECOND, created_at, UTC_TIMESTAMP()),"
		    " summary = JSON_OBJECT('aggregateTime', aggregate_ms, 'readCount', read_count,"
		    " 'writeCount', write_count, 'errorCount', error_count, 'createCount', create_count,"
		    " 'updateCount', update_count) WHERE id = ");
	sql_int(&q, id);
	if (db_exec(r, &q, NULL) != 0)
		return -1;
	sql_init(&q, r->arena);
	sql_add(&q, "DELETE FROM async_operation_data WHERE operation_id = ");
	sql_int(&q, id);
	return db_exec(r, &q, NULL);
}

int batch_job_lease(struct request *r, long long *id, unsigned long long *token,
		    long long *failed_id)
{
	*failed_id = 0;
	if (db_begin(r) < 0)
		return -1;
	/* Rows another worker is leasing right now are skipped, not waited
	 * for: two workers never take the same job. */
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT id, attempts FROM async_operations WHERE status IN ('new', 'running')"
		    " AND (lease_until IS NULL OR lease_until < UTC_TIMESTAMP())"
		    " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED");
	struct db_rows rows;
	if (db_query(r, &q, &rows) < 0)
		goto fail;
	if (rows.n == 0) {
		db_end(r, 0);
		return 0;
	}
	*id = strtoll(rows.cells[0].s, NULL, 10);
	long attempts = strtol(rows.cells[1].s, NULL, 10);
	if (attempts >= BATCH_MAX_ATTEMPTS) {
		if (fail_exhausted(r, *id) < 0)
			goto fail;
		*failed_id = *id;
		*id = 0;
		return db_end(r, 1) < 0 ? -1 : 2;
	}
	*token = batch_job_token();
	sql_init(&q, r->arena);
	sql_add(&q, "UPDATE async_operations SET attempts = attempts + 1, runner_token = ");
	sql_int(&q, (long long)*token);
	sql_add(&q, ", runner_pid = ");
	sql_int(&q, (long long)getpid());
	sql_add(&q, ", lease_until = UTC_TIMESTAMP() + INTERVAL ");
	sql_int(&q, BATCH_LEASE_SECONDS);
	sql_add(&q, " SECOND WHERE id = ");
	sql_int(&q, *id);
	if (db_exec(r, &q, NULL) != 0)
		goto fail;
	return db_end(r, 1) < 0 ? -1 : 1;
fail:
	db_end(r, 0);
	if (db_deadlocked(r)) {
		/* Another worker (on another Galera node) leased the same job
		 * first: nothing to do now. */
		r->errors = r->errors_tail = NULL;
		r->n_errors = 0;
		return 0;
	}
	return -1;
}

int batch_job_purge(struct request *r, unsigned long long *n)
{
	*n = 0;
	unsigned long long batch;
	do {
		struct sql q;
		sql_init(&q, r->arena);
		sql_add(&q, "DELETE FROM async_operations WHERE status IN ('success', 'failed',"
			    " 'cancelled') AND updated_at < UTC_TIMESTAMP() - INTERVAL ");
		sql_int(&q, BATCH_KEEP_DAYS);
		sql_add(&q, " DAY ORDER BY updated_at LIMIT 1000");
		batch = 0;
		if (db_exec(r, &q, &batch) != 0)
			return -1;
		*n += batch;
	} while (batch == 1000);
	return 0;
}
