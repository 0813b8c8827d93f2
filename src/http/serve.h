/* serve.h: one request from parameters to response, above the transport.
 * The same code serves FastCGI and plain CGI. */
#ifndef SERVE_H
#define SERVE_H
#include "first.h"
#include "req.h"

struct arena;
struct authcache;
struct config;
struct db;
struct dbroute;

/* The process objects main() makes once; every request borrows them. */
struct process {
	const struct config *cfg;
	int config_error;    /* the configuration did not load: answer 500 */
	struct db *db;
	struct arena *arena; /* reset by the transport after each request */
	struct authcache *cache; /* credentials and permissions (NULL: none kept) */
	struct dbroute *dbroute; /* read replicas (NULL: reads use the primary) */
};

/* Serves one request from io's parameters and body, writing the whole
 * response through io. The caller resets p->arena afterwards. */
void serve(const struct process *p, const struct transport *io);

#endif
