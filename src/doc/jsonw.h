/* jsonw.h: a small streaming JSON writer into a struct buf.
 * It tracks commas per nesting level, escapes strings, and replaces invalid
 * UTF-8 with U+FFFD so that whatever bytes a client sent (echoed back in an
 * error detail, say) the document stays valid JSON. Errors land in the buf
 * (buf_failed). Used instead of building jansson trees: rendering is the hot
 * path and an unlimited page must stream with bounded memory. */
#ifndef JSONW_H
#define JSONW_H
#include "first.h"
#include "maxima.h"
#include "buf.h"


struct jsonw {
	struct buf *out;
	int depth;
	int after_key;
	unsigned char has_item[JSONW_MAX_DEPTH];
};

void jw_init(struct jsonw *w, struct buf *out);
void jw_obj_begin(struct jsonw *w);
void jw_obj_end(struct jsonw *w);
void jw_arr_begin(struct jsonw *w);
void jw_arr_end(struct jsonw *w);
/* key must be plain ASCII without '"' or '\\' (names from our code). */
void jw_key(struct jsonw *w, const char *key);
void jw_str(struct jsonw *w, const char *s);
void jw_strn(struct jsonw *w, const char *s, size_t n);
/* "key": "s" when s is not NULL, nothing otherwise (optional members). */
void jw_member_str(struct jsonw *w, const char *key, const char *s);
void jw_null(struct jsonw *w);
void jw_bool(struct jsonw *w, int v);
void jw_int(struct jsonw *w, long long v);
/* Writes the separator, then JSON text as is: a value (a number read from
 * the database), or the start of members or of a value that the caller
 * completes by appending to w->out before its next jw_ call (text that
 * closes every bracket it opens). */
void jw_raw(struct jsonw *w, const char *s, size_t n);
/* Starts a string value (separator and opening quote) whose content the
 * caller appends to w->out, escaped, and closes with '"'. */
void jw_str_open(struct jsonw *w);
/* The length of the run at the start of s that jw_escape copies without a
 * closer look: ASCII but controls, '"' and '\\'. */
size_t jw_plain_len(const char *s, size_t n);
/* Appends s to out with JSON string escaping, without quotes. */
void jw_escape(struct buf *out, const char *s, size_t n);

#endif
