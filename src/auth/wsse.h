/* wsse.h: the pure parts of WSSE UsernameToken (section 3.1): parsing the
 * X-WSSE header, the Created timestamp and the digest. auth.c does the
 * database parts (nonces, keys). */
#ifndef WSSE_H
#define WSSE_H
#include "first.h"
#include "maxima.h"

#include <time.h>

#define WSSE_DIGEST_LEN 28 /* base64 of 20 bytes */
/* The most bytes a nonce of WSSE_MAX_VALUE - 1 characters decodes to. */
#define WSSE_MAX_NONCE_BYTES (WSSE_MAX_VALUE / 4 * 3)

struct wsse_token {
	char username[WSSE_MAX_VALUE];
	char digest[WSSE_MAX_VALUE];
	char nonce[WSSE_MAX_VALUE];
	char created[WSSE_MAX_VALUE];
};

/* Parses `UsernameToken Username="..", PasswordDigest="..", Nonce="..",
 * Created=".."` (keys in any order, values in " or ' quotes, all four
 * present exactly once). 0, or -1 with a reason for the log. */
int wsse_parse(const char *header, struct wsse_token *t, const char **why);
/* ISO 8601 date-time with a zone (Z, +hh:mm, +hhmm; optional fraction) to
 * seconds since the epoch. -1 when it does not parse or is out of range. */
int wsse_parse_created(const char *s, long long *out);
/* Decodes a nonce written in canonical base64 (RFC 4648 section 4: the
 * standard alphabet, a length that is a multiple of 4, '=' padding only at
 * the end, and zero in the bits of the last character that the padding
 * leaves unused), so that each byte string has exactly one accepted
 * spelling (section 3.1). The number of bytes written to out, or -1. */
int wsse_nonce_decode(const char *nonce, unsigned char out[WSSE_MAX_NONCE_BYTES]);
/* base64(sha1(base64_decode(nonce) . created . key)) into out (29 bytes).
 * -1 when the nonce is not canonical base64 (wsse_nonce_decode). */
int wsse_digest(const char *nonce, const char *created, const char *key, size_t key_len,
		char out[WSSE_DIGEST_LEN + 1]);
/* Constant-time comparison of two NUL-terminated strings of which b has a
 * public length. */
int wsse_digest_equal(const char *a, const char *b);

#endif
