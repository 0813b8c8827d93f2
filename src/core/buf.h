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

/* Where n more bytes go when they fit without growing (room left and
 * under max; len <= max always, cap is 0 or > len), else NULL (the buffer
 * must grow, or has failed). A caller that writes several pieces at once
 * fills the n bytes, then calls buf_commit(b, n). */
static inline char *buf_room(struct buf *b, size_t n)
{
	return n < b->cap - b->len && n <= b->max - b->len && !b->failed ? b->data + b->len : NULL;
}
static inline void buf_commit(struct buf *b, size_t n)
{
	b->len += n;
	b->data[b->len] = '\0';
}

/* The common case inline, since the JSON writer appends a few bytes at a
 * time. */
static inline int buf_append(struct buf *b, const void *p, size_t n)
{
	char *o = buf_room(b, n);
	if (o) {
		memcpy(o, p, n);
		buf_commit(b, n);
		return 0;
	}
	return buf_append_grow(b, p, n);
}
static inline int buf_puts(struct buf *b, const char *s) { return buf_append(b, s, strlen(s)); }
static inline int buf_putc(struct buf *b, char c) { return buf_append(b, &c, 1); }
int buf_printf(struct buf *b, const char *fmt, ...) ATTR_PRINTF(2, 3);
static inline int buf_failed(const struct buf *b) { return b->failed; }

#endif
