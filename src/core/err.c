/* err.c: see err.h. */
#include "first.h"
#include "err.h"
#include "arena.h"
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

/* A request with 10,000 bad members gets this many errors, not 10,000. */
#define MAX_ERRORS 1000

/* The error and its texts live in kept arena memory: an error recorded
 * inside a marked region (a streamed chunk) outlives the region's release
 * and is still there when serve() renders it. */
static const char *kept(struct request *r, const char *s)
{
	return s ? arena_strdup_kept(r->arena, s) : NULL;
}

struct api_error *err_add(struct request *r, int status, const char *title, const char *detail)
{
	if (r->n_errors >= MAX_ERRORS)
		return NULL;
	struct api_error *e = arena_alloc_kept(r->arena, sizeof(*e));
	if (!e) {
		r->status = 500;
		return NULL;
	}
	e->status = status;
	e->title = kept(r, title);
	e->detail = kept(r, detail);
	if (r->errors_tail)
		r->errors_tail->next = e;
	else
		r->errors = e;
	r->errors_tail = e;
	r->n_errors++;
	return e;
}

struct api_error *err_ptr(struct request *r, int status, const char *title, const char *detail,
			  const char *pointer)
{
	struct api_error *e = err_add(r, status, title, detail);
	if (e)
		e->pointer = kept(r, pointer);
	return e;
}

struct api_error *err_addf(struct request *r, int status, const char *title, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *detail = n >= 0 ? arena_alloc(r->arena, (size_t)n + 1) : NULL;
	if (detail) {
		va_start(ap, fmt);
		vsnprintf(detail, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	return err_add(r, status, title, detail);
}

void err_internal(struct request *r, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_msg(r->id, "500 %s %s: %s", r->method ? r->method : "-", r->uri ? r->uri : "-", msg);
	err_add(r, 500, "internal server error", NULL);
}

int err_status(const struct request *r)
{
	int first = 0, any5xx = 0, any409 = 0, mixed = 0;
	for (const struct api_error *e = r->errors; e; e = e->next) {
		if (!first)
			first = e->status;
		else if (e->status != first)
			mixed = 1;
		if (e->status >= 500)
			any5xx = 1;
		if (e->status == 409)
			any409 = 1;
	}
	if (!first)
		return r->status ? r->status : 500;
	if (!mixed)
		return first;
	if (any5xx)
		return 500;
	return any409 ? 409 : 400;
}
