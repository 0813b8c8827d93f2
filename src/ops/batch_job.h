/* batch_job.h: asynchronous batch jobs (section 9) after the request that
 * accepted them: storing a job (batch_job_store.c), leasing it, and running
 * it chunk by chunk (batch_job.c). A job row in async_operations carries the
 * lease (runner_token, lease_until), attempts and chunks_done; each chunk of
 * BATCH_CHUNK records is one transaction that also advances chunks_done
 * under the lease, so a chunk is never committed twice, whoever runs it. */
#ifndef BATCH_JOB_H
#define BATCH_JOB_H
#include "first.h"
#include "req.h"

struct arena;
struct config;
struct db;

#define BATCH_CHUNK 100          /* records per chunk (section 13) */
#define BATCH_LEASE_SECONDS 60   /* a lease, renewed by every chunk */
#define BATCH_MAX_ATTEMPTS 3     /* runs of a job before it is failed */
#define BATCH_BODY_PART (1u << 20) /* bytes per stored body part */
/* Finished operations older than this are deleted by apictl purge. */
#define BATCH_KEEP_DAYS 30

/* Stores the accepted job of r (route type, user, organization) with its
 * body (len bytes) of n_records records: status new, leased to the
 * process that will run it at once (attempt 1). Its own transaction. 0,
 * or -1 with the error recorded. */
int batch_job_store(struct request *r, const char *body, size_t len, size_t n_records,
		    long long *id, unsigned long long *token);
/* apictl batch-worker: takes one job whose lease expired (SELECT ... FOR
 * UPDATE SKIP LOCKED), or fails it when it ran BATCH_MAX_ATTEMPTS times.
 * 1 with *id and *token (the new lease) set, 2 when it failed such a job
 * (*failed_id), 0 when there is none, -1 on a database error (recorded). */
int batch_job_lease(struct request *r, long long *id, unsigned long long *token,
		    long long *failed_id);
/* Runs job id under lease token with a connection (db) and arena of the
 * caller's process, on doc (the accepting request's parsed body, in the
 * memory a spawned runner inherits) or, when doc is NULL, on the body
 * stored with the job: 0 when the job ended (success or failed stored), 1
 * when the lease was lost to another runner, -1 when it stopped on an
 * error (logged; the lease expires and a worker goes on from the last
 * committed chunk). */
struct batch_doc;
int batch_job_run_leased(const struct config *cfg, struct db *db, struct arena *a, long long id,
			 unsigned long long token, const struct batch_doc *doc);
/* Deletes the operations that ended more than BATCH_KEEP_DAYS ago (their
 * errors and body go with them), in batches; *n: how many. 0 or -1. */
int batch_job_purge(struct request *r, unsigned long long *n);
/* A random lease token (never 0). */
unsigned long long batch_job_token(void);

#endif
