/* apictl_batch.c: `apictl batch-worker` (section 9): for cron. Takes the
 * batch jobs whose runner died (their lease expired) one at a time and
 * finishes them from their last committed chunk; fails a job that was
 * started BATCH_MAX_ATTEMPTS times. Several workers at once share nothing
 * (batch_job_lease: SELECT ... FOR UPDATE SKIP LOCKED, a lease per job). */
#include "first.h"
#include "apictl.h"
#include "arena.h"
#include "batch_job.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char apictl_batch_usage[] =
	"usage: apictl batch-worker [--max-jobs N]\n"
	"Runs the asynchronous batch jobs whose runner died: a job whose lease (60 s,\n"
	"renewed by every chunk of 100 records) expired is taken over and finished from\n"
	"its last committed chunk; a job started 3 times without finishing is failed.\n"
	"Exits when no such job is left, or after N jobs. Meant for cron, e.g.\n"
	"  * * * * * apictl batch-worker\n"
	"Workers running at the same time never take the same job.\n";

int apictl_batch_worker(struct ctl *c, int argc, char **argv)
{
	long max = -1;
	if (argc == 3 && strcmp(argv[1], "--max-jobs") == 0) {
		char *end;
		max = strtol(argv[2], &end, 10);
		if (*end || max < 1)
			return apictl_usage(apictl_batch_usage, 0);
	} else if (argc != 1) {
		return apictl_usage(apictl_batch_usage, 0);
	}
	int status = 0;
	for (long done = 0; max < 0 || done < max;) {
		long long id = 0, failed = 0;
		unsigned long long token = 0;
		int rc = batch_job_lease(&c->r, &id, &token, &failed);
		if (rc < 0)
			return apictl_fail(c, "cannot lease a batch job");
		if (rc == 0)
			break;
		if (rc == 2) {
			printf("batch job %lld: failed (started too many times)\n", failed);
			continue;
		}
		done++;
		struct arena *a = arena_new();
		int run = batch_job_run_leased(&c->cfg, c->r.db, a, id, token, NULL);
		arena_destroy(a);
		if (run == 0)
			printf("batch job %lld: finished\n", id);
		else if (run == 1)
			printf("batch job %lld: taken over by another runner\n", id);
		else {
			fprintf(stderr, "apictl: batch job %lld stopped (see the log above); a later run"
					" goes on from its last committed chunk\n", id);
			status = 1;
		}
	}
	return status;
}
