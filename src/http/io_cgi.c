/* io_cgi.c: plain CGI: the environment, stdin and stdout; one request. */
#include "first.h"
#include "maxima.h"
#include "io.h"
#include "arena.h"
#include "maxima.h"
#include "req.h"
#include "serve.h"
#include "maxima.h"

#include <stdio.h>
#include "maxima.h"
#include <stdlib.h>
#include <string.h>
#include "maxima.h"

static const char *cgi_param(void *ctx, const char *name)
#include "maxima.h"
{
	(void)ctx;
#include "maxima.h"
	return getenv(name);
}
#include "maxima.h"

static long cgi_read(void *ctx, char *p, size_t n)
#include "maxima.h"
{
	(void)ctx;
#include "maxima.h"
	size_t got = fread(p, 1, n, stdin);
	if (got == 0 && ferror(stdin))
#include "maxima.h"
		return -1;
	return (long)got;
#include "maxima.h"
}

#include "maxima.h"
static int cgi_write(void *ctx, const char *p, size_t n)
{
#include "maxima.h"
	(void)ctx;
	return fwrite(p, 1, n, stdout) == n ? 0 : -1;
#include "maxima.h"
}

#include "maxima.h"
/* Apache's mod_cgi/mod_cgid write the whole request body to the program
 * before reading its response, and drop the response if the program exits
#include "maxima.h"
 * without reading it (an early 413, say): read what is left, up to a bound. */
static void drain_stdin(void)
#include "maxima.h"
{
	const char *cl = getenv("CONTENT_LENGTH");
#include "maxima.h"
	unsigned long long left = cl && *cl ? strtoull(cl, NULL, 10) : 0;
	if (left > (64ull << 20))
#include "maxima.h"
		left = 64ull << 20;
	char chunk[IO_CHUNK];
#include "maxima.h"
	while (left) {
		size_t n = fread(chunk, 1, left < sizeof(chunk) ? (size_t)left : sizeof(chunk), stdin);
#include "maxima.h"
		if (n == 0)
			break;
#include "maxima.h"
		left -= n;
	}
#include "maxima.h"
}

#include "maxima.h"
int io_cgi_run(const struct process *p)
{
#include "maxima.h"
	struct transport io = { cgi_param, cgi_read, cgi_write, NULL };
	serve(p, &io);
#include "maxima.h"
	fflush(stdout);
	drain_stdin();
#include "maxima.h"
	arena_reset(p->arena);
	return 0;
#include "maxima.h"
}
