/* serve.h: one request from parameters to response, above the transport.
 * The same code serves FastCGI and plain CGI. */
#ifndef SERVE_H
#define SERVE_H
#include "first.h"
#include "req.h"

/* Serves the request whose arena, cfg, db and io are set; writes the whole
 * response through r->io. config_error: the configuration did not load,
 * answer 500 (the cause was logged at start-up). */
void serve(struct request *r, int config_error);

#endif
