/* io_fcgi.c: the FastCGI accept loop (libfcgi's reentrant API). Parameter
 * strings die at FCGX_Finish_r, which is why the arena is reset right after
 * it. FCGX_PutStr takes an int length, so output goes in chunks. */
#include "first.h"
#include "io.h"
#include "arena.h"
#include "batch_spawn.h"
#include "req.h"
#include "serve.h"

#include <fcgiapp.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>

/* SIGTERM (lighttpd and mod_fcgid stopping a process): finish the request
 * in hand, accept no other. No SA_RESTART, so a blocked accept() returns. */
static void on_term(int sig)
{
	(void)sig;
	FCGX_ShutdownPending();
}

static const char *fcgi_param(void *ctx, const char *name)
{
	FCGX_Request *req = ctx;
	return FCGX_GetParam(name, req->envp);
}

static long fcgi_read(void *ctx, char *p, size_t n)
{
	FCGX_Request *req = ctx;
	int want = n > INT_MAX ? INT_MAX : (int)n;
	return FCGX_GetStr(p, want, req->in);
}

static int fcgi_write(void *ctx, const char *p, size_t n)
{
	FCGX_Request *req = ctx;
	while (n) {
		int chunk = n > (1u << 20) ? (1 << 20) : (int)n;
		if (FCGX_PutStr(p, chunk, req->out) != chunk)
			return -1;
		p += chunk;
		n -= (size_t)chunk;
	}
	return 0;
}

/* A response cut short after its headers went out (the database went
 * away mid-stream): the connection to the web server is shut down with no
 * FCGI_END_REQUEST, so the web server sees the response fail and ends the
 * client's transfer as failed. A normal end would make the cut-off body
 * look whole. FCGX_Finish_r's writes then fail quietly (SIGPIPE is ignored,
 * main.c) and it closes the socket; the process goes on accepting. */
static void fcgi_abort(void *ctx)
{
	FCGX_Request *req = ctx;
	if (req->ipcFd >= 0)
		shutdown(req->ipcFd, SHUT_RDWR);
}

int io_fcgi_run(const struct process *p)
{
	FCGX_Request req;
	if (FCGX_InitRequest(&req, 0, 0) != 0)
		return 1;
	struct transport io = { fcgi_param, fcgi_read, fcgi_write, &req, fcgi_abort,
				 batch_spawn_defer };
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	while (FCGX_Accept_r(&req) >= 0) {
		serve(p, &io);
		FCGX_Finish_r(&req);
		/* The client has its 202: the job runs in a detached process, and
		 * this one accepts the next request at once. */
		batch_spawn_pending(p->cfg);
		arena_reset(p->arena);
	}
	FCGX_Free(&req, 1);
	return 0;
}
