/* io_fcgi.c: the FastCGI accept loop (libfcgi's reentrant API). Parameter
 * strings die at FCGX_Finish_r, which is why the arena is reset right after
 * it. Large writes go out as FastCGI records of our own (fcgi_write). */
#include "first.h"
#include "io.h"
#include "arena.h"
#include "batch_spawn.h"
#include "req.h"
#include "serve.h"

#include <errno.h>
#include <fcgiapp.h>
#include <limits.h>
#include <stdint.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

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

/* FastCGI's record header (the protocol's section 3.3): version 1, type,
 * request id and content length big-endian, no padding. */
#define FCGI_STDOUT_TYPE 6
#define RECORD_MAX 65528 /* content bytes of one record: 16 bits, 8-aligned */
#define DIRECT_MIN 4096  /* smaller writes go through libfcgi's buffer */

static void record_header(unsigned char h[8], int request_id, size_t len)
{
	h[0] = 1;
	h[1] = FCGI_STDOUT_TYPE;
	h[2] = (unsigned char)((unsigned)request_id >> 8);
	h[3] = (unsigned char)request_id;
	h[4] = (unsigned char)(len >> 8);
	h[5] = (unsigned char)len;
	h[6] = h[7] = 0;
}

/* Writes all of the iovecs, resuming after short writes and EINTR. */
static int write_all(int fd, struct iovec *v, int n)
{
	while (n > 0) {
		ssize_t w = writev(fd, v, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		while (n > 0 && (size_t)w >= v->iov_len) {
			w -= (ssize_t)v->iov_len;
			v++;
			n--;
		}
		if (n > 0) {
			v->iov_base = (char *)v->iov_base + w;
			v->iov_len -= (size_t)w;
		}
	}
	return 0;
}

/* A large write bypasses libfcgi's 8 KiB stream buffer (one write() per
 * 8 KiB): what it holds is flushed first, then the data goes out as
 * records of up to 64 KiB, up to 16 records a writev. Fewer system calls
 * for every page of a list and the long page[size]=-1 stream (issue 14). */
static int fcgi_write(void *ctx, const char *p, size_t n)
{
	FCGX_Request *req = ctx;
	if (n < DIRECT_MIN)
		return FCGX_PutStr(p, (int)n, req->out) == (int)n ? 0 : -1;
	if (FCGX_FFlush(req->out) < 0)
		return -1;
	unsigned char heads[16][8];
	struct iovec v[32];
	while (n) {
		int k = 0;
		for (int i = 0; i < 16 && n; i++) {
			size_t len = n > RECORD_MAX ? RECORD_MAX : n;
			record_header(heads[i], req->requestId, len);
			v[k++] = (struct iovec){ heads[i], 8 };
			v[k++] = (struct iovec){ (void *)(uintptr_t)p, len };
			p += len;
			n -= len;
		}
		if (write_all(req->ipcFd, v, k) < 0)
			return -1;
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

/* libfcgi ends a connection gracefully: shutdown, then wait (poll) for
 * the web server to close its side and read whatever it still sends, then
 * close: three more system calls and a wait every request, so that no
 * unread input makes the close a reset. Reading the request's input to
 * its end here does the same job; the connection is then detached, which
 * makes FCGX_Finish_r close it at once. Only when no body is left unread:
 * the end of a bodiless request's input follows its parameters at once,
 * while a body the request refused unread (a 401, a 413) may still be on
 * its way, slowly: that one keeps libfcgi's way, whose wait gives up
 * after 2 s of silence. So does input that did not end cleanly. */
static void close_quickly_if_read(FCGX_Request *req)
{
	const char *length = FCGX_GetParam("CONTENT_LENGTH", req->envp);
	if (!FCGX_HasSeenEOF(req->in) && length && *length && strcmp(length, "0") != 0)
		return;
	char rest[4096];
	while (FCGX_GetStr(rest, (int)sizeof(rest), req->in) > 0)
		;
	if (FCGX_HasSeenEOF(req->in) && FCGX_GetError(req->in) == 0)
		FCGX_Detach(req);
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
		close_quickly_if_read(&req);
		FCGX_Finish_r(&req);
		/* The client has its 202: the job runs in a detached process, and
		 * this one accepts the next request at once. */
		batch_spawn_pending(p->cfg);
		arena_reset(p->arena);
	}
	FCGX_Free(&req, 1);
	return 0;
}
