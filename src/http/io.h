/* io.h: the two transports. Only io_fcgi.c and io_cgi.c know the mode. */
#ifndef IO_H
#define IO_H
#include "first.h"

struct process;

/* Serves FastCGI requests until the web server closes the socket. */
int io_fcgi_run(const struct process *p);
/* Serves the one CGI request in the environment and stdin/stdout. */
int io_cgi_run(const struct process *p);

#endif
