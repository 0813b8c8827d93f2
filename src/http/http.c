/* http.c: see http.h. 401 and 405 have empty bodies (section 10), HEAD
 * sends the headers of the GET without its body, 204 and 304 no body. */
#include "first.h"
#include "http.h"
#include "maxima.h"
#include "buf.h"
#include "num.h"

#include <string.h>

const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 409: return "Conflict";
	case 412: return "Precondition Failed";
	case 413: return "Payload Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

/* One "Name: value" line of the head. */
static void header_line(struct buf *h, const char *name, const char *value)
{
	buf_puts(h, name);
	buf_append(h, ": ", 2);
	buf_puts(h, value);
	buf_append(h, "\r\n", 2);
}

/* Writes the status line and headers; Content-Length only when the whole
 * body is known (not for a streamed one). Every request passes here, so
 * no printf: the numbers go through num_format_i64. */
static int write_head(struct request *r, int status, int with_length)
{
	struct buf h;
	char num[NUM_I64_TEXT];
	buf_init(&h, MAX_HEADER_TEXT);
	buf_append(&h, "Status: ", 8);
	buf_append(&h, num, num_format_i64(status, num));
	buf_putc(&h, ' ');
	buf_puts(&h, http_reason(status));
	buf_append(&h, "\r\n", 2);
	header_line(&h, "Content-Type",
		    r->content_type && !r->errors ? r->content_type
		    : r->plain ? "application/json" : "application/vnd.api+json");
	if (with_length && status != 204 && status != 304) {
		num_format_i64((int64_t)r->body.len, num);
		header_line(&h, "Content-Length", num);
	}
	header_line(&h, "X-Request-Id", r->id);
	for (const struct header *x = r->headers; x; x = x->next) {
		/* X-Include-* answers never go with an error (section 7). */
		if (r->errors && strncmp(x->name, "X-Include-", 10) == 0)
			continue;
		header_line(&h, x->name, x->value);
	}
	buf_append(&h, "\r\n", 2);
	int rc = buf_failed(&h) ? -1 : r->io->write(r->io->ctx, h.data, h.len);
	buf_free(&h);
	return rc;
}

int http_flush(struct request *r)
{
	if (!r->headers_sent) {
		r->headers_sent = 1;
		if (write_head(r, r->status ? r->status : 200, 0) < 0)
			return -1;
	}
	int rc = 0;
	if (!r->is_head && r->body.len)
		rc = r->io->write(r->io->ctx, r->body.data, r->body.len);
	buf_clear(&r->body);
	return rc;
}

void http_respond(struct request *r)
{
	if (r->headers_sent) {
		http_flush(r);
		return;
	}
	int status = r->status ? r->status : 500;
	int no_body = (status == 401 && !r->keep_error_body) || status == 405 || status == 204 || status == 304;
	if (no_body || (status == 200 && r->body.len == 0))
		buf_clear(&r->body);
	write_head(r, status, 1);
	if (!r->is_head && r->body.len)
		r->io->write(r->io->ctx, r->body.data, r->body.len);
}
