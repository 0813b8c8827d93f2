/* io.h: the two transports. Only io_fcgi.c and io_cgi.c know the mode. */
#ifndef IO_H
#define IO_H
#include "first.h"

struct config;
struct db;
struct arena;

/* Serves FastCGI requests until the web server closes the socket. */
int io_fcgi_run(const struct config *cfg, int config_error, struct db *db, struct arena *a);
/* Serves the one CGI request in the environment and stdin/stdout. */
int io_cgi_run(const struct config *cfg, int config_error, struct db *db, struct arena *a);

#endif
