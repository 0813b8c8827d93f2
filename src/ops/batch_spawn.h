/* batch_spawn.h: runs an accepted batch job (section 9) in a detached
 * process once the response that accepted it is finished (DESIGN.md,
 * "Background work without a daemon"). */
#ifndef BATCH_SPAWN_H
#define BATCH_SPAWN_H
#include "first.h"

struct config;

/* Double fork: the caller waits only for the short-lived first child and
 * goes on at once; the grandchild (own session, stdin/stdout on /dev/null,
 * stderr too unless it is a regular file, every other inherited descriptor
 * closed) opens its own MariaDB connection, runs job `job` under the lease
 * `token` on doc (the request's parsed body, inherited memory: not read
 * and parsed again; NULL: loaded from the job row) and _exits. Nothing of the caller's state is touched in the
 * child: no mysql_close of the inherited handle, no arena reset. A fork
 * that fails is logged: apictl batch-worker takes the job when its lease
 * expires. */
struct batch_doc;
void batch_spawn_job(const struct config *cfg, long long job, unsigned long long token,
		     const struct batch_doc *doc);

/* The transports' defer_job hook (req.h): remembers the job the request in
 * hand accepted (a process serves one request at a time); ctx unused. */
void batch_spawn_defer(void *ctx, long long job, unsigned long long token,
		       const struct batch_doc *doc);
/* After the response is finished and before the arena is reset (doc lives
 * there): spawns the remembered job, if any, and forgets it. */
void batch_spawn_pending(const struct config *cfg);

#endif
