/* main.c: the web binary (cgi-bin/api.fcgi). Makes the process objects
 * (configuration, database handle, arena, credential and plan caches),
 * then serves FastCGI or, when started as plain CGI, one request. It never
 * acts on argv: CGI passes ISINDEX-style query strings there. */
#include "first.h"
#include "arena.h"
#include "authcache.h"
#include "config.h"
#include "db.h"
#include "dbroute.h"
#include "io.h"
#include "log.h"
#include "plan.h"
#include "serve.h"
#include "ttlcache.h"

#include <fcgiapp.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <mysql.h>
#include <signal.h>
#include <stdio.h>

/* glibc hands freed heap back to the kernel (brk, munmap) as soon as
 * 128 KiB lie free at its top, and maps blocks of 128 KiB or more on
 * their own: a process that frees each request's arena (and each chunk of
 * a streamed list) then shrinks and regrows its heap every time, paying a
 * TLB flush on every core and a page fault per page (a third of a long
 * stream's time, issue 14). Kept up to 8 MiB, mapped from 4 MiB. */
static void malloc_policy(void)
{
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	mallopt(M_TRIM_THRESHOLD, 8 << 20);
#endif
}

int main(void)
{
	malloc_policy();
	if (FCGX_Init() != 0)
		return 1;
	signal(SIGPIPE, SIG_IGN);
	static struct config cfg;
	char err[1024];
	int config_error = 0;
	if (config_load(&cfg, NULL, err, sizeof(err)) < 0) {
		/* Keep serving: every request answers 500 and the log says why. */
		log_msg(NULL, "configuration error: %s", err);
		config_error = 1;
	}
	if (mysql_library_init(0, NULL, NULL) != 0) {
		log_msg(NULL, "cannot initialise the MariaDB client library");
		return 1;
	}
	struct db *db = db_new(&cfg);
	struct arena *a = arena_new();
	if (!db) {
		log_msg(NULL, "out of memory at start-up");
		return 1;
	}
	/* Plain CGI serves one request: nothing to keep. */
	int cgi = FCGX_IsCGI();
	struct authcache *cache = cgi ? NULL : authcache_new(cfg.auth_cache_ttl_ms);
	if (!cgi && !cache) {
		log_msg(NULL, "out of memory at start-up");
		return 1;
	}
	/* MariaDB's estimates for list plans (sql/plan.c reads them). */
	struct ttlcache *plans = cgi ? NULL : plan_cache_new(cfg.plan_cache_ttl_ms);
	if (!cgi && cfg.plan_cache_ttl_ms > 0 && !plans) {
		log_msg(NULL, "out of memory at start-up");
		return 1;
	}
	plan_cache_use(plans);
	int route_failed;
	struct dbroute *route = dbroute_new(&cfg, db, &route_failed);
	if (route_failed) {
		log_msg(NULL, "out of memory at start-up");
		return 1;
	}
	struct process proc = { &cfg, config_error, db, a, cache, route };
	int rc = cgi ? io_cgi_run(&proc) : io_fcgi_run(&proc);
	plan_cache_use(NULL);
	ttlcache_free(plans);
	authcache_free(cache);
	dbroute_free(route);
	arena_destroy(a);
	db_free(db);
	mysql_library_end();
	return rc;
}
