/* url.h: percent-decoding and -encoding (RFC 3986), the one place for both:
 * the router decodes paths, query.c and oauth.c decode forms, links encode
 * ids and parameters. Pure code over an arena and a buf. */
#ifndef URL_H
#define URL_H
#include "first.h"

struct arena;
struct buf;

/* Percent-decodes s[0..n) into the arena; '+' becomes a space only when
 * plus_is_space (query strings, forms), never in paths. *out_len gets the
 * decoded length (the result may hold NUL bytes). New arena string. */
char *url_decode(struct arena *a, const char *s, size_t n, int plus_is_space, size_t *out_len);
/* Appends s[0..n) percent-encoded (RFC 3986 unreserved characters kept). */
void url_encode(struct buf *out, const char *s, size_t n);
/* How many bytes at the start of s url_encode keeps as they are. */
size_t url_unreserved_len(const char *s, size_t n);

#endif
