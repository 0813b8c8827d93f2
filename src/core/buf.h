/* buf.h: growable byte buffer with a hard maximum (curl dynbuf style).
 * Once an append fails (ENOMEM or over max) the buffer stays failed and
 * further appends are no-ops, so callers check buf_failed() once at the end.
 * The data is always NUL-terminated. Memory is malloc'd: free with buf_free
 * (or register buf_free_cb with the request arena). */
#ifndef BUF_H
#define BUF_H
#include "first.h"

#include <string.h>

struct buf {
	char *data;
	size_t len, cap, max;
	int failed;
};

void buf_init(struct buf *b, size_t max);
void buf_free(struct buf *b);
void buf_free_cb(void *b);
void buf_clear(struct buf *b);
/* Appends n bytes when the buffer must grow first (or has failed). */
int buf_append_grow(struct buf *b, const void *p, size_t n);

/* The common case inline, since the JSON writer appends a few bytes at a
 * time: room left and under max (len <= max always; cap is 0 or > len). */
static inline int buf_append(struct buf *b, const void *p, size_t n)
{
	if (n < b->cap - b->len && n <= b->max - b->len && !b->failed) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
		return 0;
	}
	return buf_append_grow(b, p, n);
}
static inline int buf_puts(struct buf *b, const char *s) { return buf_append(b, s, strlen(s)); }
static inline int buf_putc(struct buf *b, char c) { return buf_append(b, &c, 1); }
int buf_printf(struct buf *b, const char *fmt, ...) ATTR_PRINTF(2, 3);
static inline int buf_failed(const struct buf *b) { return b->failed; }

#endif
