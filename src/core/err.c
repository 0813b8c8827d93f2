/* err.c: see err.h. The kind table, then the list: errors are appended in
 * kept arena memory, at most MAX_ERRORS of them. */
#include "first.h"
#include "err.h"
#include "maxima.h"
#include "arena.h"
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

static const struct {
	int status;
	const char *title;
} kinds[ERR_KIND_COUNT] = {
	[ERR_BAD_REQUEST] = { 400, "bad request http exception" },
	[ERR_FILTER] = { 400, "filter constraint" },
	[ERR_SORT] = { 400, "sort constraint" },
	[ERR_REQUEST_DATA] = { 400, "request data constraint" },
	[ERR_EXTRA_FIELDS] = { 400, "extra fields constraint" },
	[ERR_FORM] = { 400, "form constraint" },
	[ERR_VALUE] = { 400, "value constraint" },
	[ERR_RANGE] = { 400, "range constraint" },
	[ERR_LENGTH] = { 400, "length constraint" },
	[ERR_EMAIL] = { 400, "email constraint" },
	[ERR_REGEX] = { 400, "regex constraint" },
	[ERR_NOT_BLANK] = { 400, "not blank constraint" },
	[ERR_NOT_NULL] = { 400, "not null constraint" },
	[ERR_UNIQUE] = { 400, "unique entity constraint" },
	[ERR_ENTITY_ID] = { 400, "entity identifier constraint" },
	[ERR_ENTITY_TYPE] = { 400, "entity type constraint" },
	[ERR_HEADER_VALUE] = { 400, "invalid header value exception" },
	[ERR_ACCESS_DENIED] = { 403, "access denied exception" },
	[ERR_NOT_FOUND] = { 404, "not found http exception" },
	[ERR_UNKNOWN_TYPE] = { 404, "entity type constraint" },
	[ERR_UNKNOWN_RELATION] = { 404, "relationship constraint" },
	[ERR_NOT_ACCEPTABLE] = { 406, "not acceptable http exception" },
	[ERR_CONFLICT] = { 409, "conflict constraint" },
	[ERR_PRECONDITION] = { 412, "precondition failed http exception" },
	[ERR_TOO_LARGE] = { 413, "request entity too large http exception" },
	[ERR_URI_TOO_LONG] = { 414, "uri too long http exception" },
	[ERR_MEDIA_TYPE] = { 415, "unsupported media type http exception" },
	[ERR_INTERNAL] = { 500, "internal server error" },
	[ERR_UNAVAILABLE] = { 503, "service unavailable http exception" },
};

int err_kind_status(enum err_kind kind)
{
	return kinds[kind].status;
}

const char *err_kind_title(enum err_kind kind)
{
	return kinds[kind].title;
}

void err_set_kind(struct api_error *e, enum err_kind kind)
{
	e->status = kinds[kind].status;
	e->title = kinds[kind].title;
}

/* The error and its texts live in kept arena memory: an error recorded
 * inside a marked region (a streamed chunk) outlives the region's release
 * and is still there when serve() renders it. */
static const char *kept(struct request *r, const char *s)
{
	return s ? arena_strdup_kept(r->arena, s) : NULL;
}

struct api_error *err_add(struct request *r, enum err_kind kind, const char *detail)
{
	if (r->n_errors >= MAX_ERRORS)
		return NULL;
	struct api_error *e = arena_alloc_kept(r->arena, sizeof(*e));
	err_set_kind(e, kind);
	e->detail = kept(r, detail);
	if (r->errors_tail)
		r->errors_tail->next = e;
	else
		r->errors = e;
	r->errors_tail = e;
	r->n_errors++;
	return e;
}

struct api_error *err_ptr(struct request *r, enum err_kind kind, const char *detail,
			  const char *pointer)
{
	struct api_error *e = err_add(r, kind, detail);
	if (e)
		e->pointer = kept(r, pointer);
	return e;
}

struct api_error *err_addf(struct request *r, enum err_kind kind, const char *fmt, ...)
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
	return err_add(r, kind, detail);
}

void err_internal(struct request *r, const char *fmt, ...)
{
	char msg[MAX_LOG_LINE];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_msg(r->id, "500 %s %s: %s", r->method ? r->method : "-", r->uri ? r->uri : "-", msg);
	err_add(r, ERR_INTERNAL, NULL);
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

const char *err_source(const struct api_error *e, const char **member)
{
	*member = e->pointer ? "pointer" : e->parameter ? "parameter" : "header";
	return e->pointer ? e->pointer : e->parameter ? e->parameter : e->header;
}
