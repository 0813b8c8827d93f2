/* url.c: see url.h. A '%' not followed by two hex digits is kept as it is. */
#include "first.h"
#include "url.h"
#include "arena.h"
#include "buf.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *url_decode(struct arena *a, const char *s, size_t n, int plus_is_space, size_t *out_len)
{
	char *out = arena_alloc(a, n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < n &&
		    (hi = hexval(s[i + 1])) >= 0 && (lo = hexval(s[i + 2])) >= 0) {
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[o++] = (plus_is_space && s[i] == '+') ? ' ' : s[i];
		}
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

static int unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

size_t url_unreserved_len(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && unreserved((unsigned char)s[i]))
		i++;
	return i;
}

void url_encode(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (unreserved(c)) {
			buf_putc(out, (char)c);
		} else {
			char esc[3] = { '%', hex[c >> 4], hex[c & 15] };
			buf_append(out, esc, 3);
		}
	}
}
