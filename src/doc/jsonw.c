/* jsonw.c: see jsonw.h. */
#include "first.h"
#include "jsonw.h"
#include "num.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

void jw_init(struct jsonw *w, struct buf *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
}

/* Emits the comma a new value at this level needs. */
static void jw_sep(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->has_item[w->depth])
		buf_putc(w->out, ',');
	w->has_item[w->depth] = 1;
}

static void jw_open(struct jsonw *w, char c)
{
	jw_sep(w);
	buf_putc(w->out, c);
	if (w->depth + 1 >= JSONW_MAX_DEPTH) {
		w->out->failed = 1;
		return;
	}
	w->depth++;
	w->has_item[w->depth] = 0;
}

static void jw_close(struct jsonw *w, char c)
{
	buf_putc(w->out, c);
	if (w->depth > 0)
		w->depth--;
}

void jw_obj_begin(struct jsonw *w) { jw_open(w, '{'); }
void jw_obj_end(struct jsonw *w) { jw_close(w, '}'); }
void jw_arr_begin(struct jsonw *w) { jw_open(w, '['); }
void jw_arr_end(struct jsonw *w) { jw_close(w, ']'); }

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	unsigned min;
	unsigned cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2; cp = c & 0x1F; min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3; cp = c & 0x0F; min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4; cp = c & 0x07; min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

/* Bytes that cannot be copied as they are: controls, '"', '\\' and every
 * non-ASCII byte (checked as UTF-8). */
static inline int special(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
}

/* Whether any of the 8 bytes of x is special: the classic "has a byte
 * less than" and "has a zero byte" word tests, exact for existence (they
 * may only misplace it, and the byte loop then finds it). */
static inline int word_special(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	uint64_t quote = x ^ (ones * '"'), backslash = x ^ (ones * '\\');
	uint64_t hits = ((x - ones * 0x20) & ~x) | ((quote - ones) & ~quote) |
			((backslash - ones) & ~backslash) | x;
	return (hits & high) != 0;
}

/* The index of the first byte at or after i that needs a closer look (n
 * if none): inline, since jw_escape runs it on every string. */
static inline size_t plain_until(const unsigned char *p, size_t i, size_t n)
{
	uint64_t word;
	while (i + 8 <= n && (memcpy(&word, p + i, 8), !word_special(word)))
		i += 8;
	while (i < n && !special(p[i]))
		i++;
	return i;
}

size_t jw_plain_len(const char *s, size_t n)
{
	return plain_until((const unsigned char *)s, 0, n);
}

void jw_escape(struct buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t run = 0; /* start of the pending run of plain bytes */
	size_t i = 0;
	while (i < n) {
		/* Most text has nothing to escape: skipped 8 bytes at a time. */
		i = plain_until(p, i, n);
		if (i == n)
			break;
		unsigned char c = p[i];
		const char *esc = NULL;
		char tmp[8];
		size_t step = 1;
		if (c == '"')
			esc = "\\\"";
		else if (c == '\\')
			esc = "\\\\";
		else if (c == '\n')
			esc = "\\n";
		else if (c == '\r')
			esc = "\\r";
		else if (c == '\t')
			esc = "\\t";
		else if (c < 0x20) {
			snprintf(tmp, sizeof(tmp), "\\u%04x", c);
			esc = tmp;
		} else {
			step = utf8_seq_len(p + i, n - i);
			if (step == 0) {
				esc = "\\ufffd";
				step = 1;
			}
		}
		if (esc) {
			buf_append(out, s + run, i - run);
			buf_puts(out, esc);
			i += step;
			run = i;
		} else {
			i += step;
		}
	}
	buf_append(out, s + run, n - run);
}

void jw_key(struct jsonw *w, const char *key)
{
	/* Keys are names from our code and descriptors: plain ASCII, copied,
	 * with their quotes and colon in one append when there is room. */
	size_t n = strlen(key);
	struct buf *b = w->out;
	jw_sep(w);
	char *o = buf_room(b, n + 3);
	if (o) {
		o[0] = '"';
		memcpy(o + 1, key, n);
		o[n + 1] = '"';
		o[n + 2] = ':';
		buf_commit(b, n + 3);
	} else {
		buf_putc(b, '"');
		buf_append(b, key, n);
		buf_append(b, "\":", 2);
	}
	w->after_key = 1;
}

void jw_strn(struct jsonw *w, const char *s, size_t n)
{
	jw_sep(w);
	buf_putc(w->out, '"');
	jw_escape(w->out, s, n);
	buf_putc(w->out, '"');
}

void jw_str_open(struct jsonw *w)
{
	jw_sep(w);
	buf_putc(w->out, '"');
}

void jw_str(struct jsonw *w, const char *s)
{
	jw_strn(w, s, strlen(s));
}

void jw_member_str(struct jsonw *w, const char *key, const char *s)
{
	if (!s)
		return;
	jw_key(w, key);
	jw_str(w, s);
}

void jw_null(struct jsonw *w)
{
	jw_sep(w);
	buf_append(w->out, "null", 4);
}

void jw_bool(struct jsonw *w, int v)
{
	jw_sep(w);
	if (v)
		buf_append(w->out, "true", 4);
	else
		buf_append(w->out, "false", 5);
}

void jw_int(struct jsonw *w, long long v)
{
	char text[NUM_I64_TEXT];
	jw_sep(w);
	buf_append(w->out, text, num_format_i64(v, text));
}

void jw_raw(struct jsonw *w, const char *s, size_t n)
{
	jw_sep(w);
	buf_append(w->out, s, n);
}
