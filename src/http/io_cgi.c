/* io_cgi.c: plain CGI: the environment, stdin and stdout; one request. */
#include "first.h"
#include "io.h"
#include "maxima.h"
#include "arena.h"
#include "batch_spawn.h"
#include "req.h"
#include "serve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *cgi_param(void *ctx, const char *name)
{
	(void)ctx;
	return getenv(name);
}

static long cgi_read(void *ctx, char *p, size_t n)
{
	(void)ctx;
	size_t got = fread(p, 1, n, stdin);
	if (got == 0 && ferror(stdin))
		return -1;
	return (long)got;
}

static int cgi_write(void *ctx, const char *p, size_t n)
{
	(void)ctx;
	return fwrite(p, 1, n, stdout) == n ? 0 : -1;
}

/* Apache's mod_cgi/mod_cgid write the whole request body to the program
 * before reading its response, and drop the response if the program exits
 * without reading it (an early 413, say): read what is left, up to a bound. */
static void drain_stdin(void)
{
	const char *cl = getenv("CONTENT_LENGTH");
	unsigned long long left = cl && *cl ? strtoull(cl, NULL, 10) : 0;
	if (left > (64ull << 20))
		left = 64ull << 20;
	char chunk[IO_CHUNK];
	while (left) {
		size_t n = fread(chunk, 1, left < sizeof(chunk) ? (size_t)left : sizeof(chunk), stdin);
		if (n == 0)
			break;
		left -= n;
	}
}

int io_cgi_run(const struct process *p)
{
	struct transport io = { cgi_param, cgi_read, cgi_write, NULL, NULL, batch_spawn_defer };
	serve(p, &io);
	fflush(stdout);
	drain_stdin();
	/* The response ends when every holder of stdout has closed it: this
	 * process at exit, the job's process at once (batch_spawn.c). */
	batch_spawn_pending(p->cfg);
	arena_reset(p->arena);
	return 0;
}
