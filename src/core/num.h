/* num.h: the one parser of decimal integers from untrusted text (query
 * parameters, filter values, typed attribute values, the config file).
 * Strict: what it accepts is exactly [-]digits within the caller's range.
 * Also the writer of decimal integers on the hot paths (headers, JSON),
 * where printf's format machinery costs hundreds of instructions a call. */
#ifndef NUM_H
#define NUM_H
#include "first.h"

#include <stddef.h>
#include <stdint.h>

/* s[0, len) as an integer in [min, max]: an optional '-', then one or more
 * digits (leading zeros allowed), nothing else: no '+', no spaces, no
 * overflow. 0 with *out set, or -1 (*out untouched). "-0" is 0. */
int num_parse_i64(const char *s, size_t len, int64_t min, int64_t max, int64_t *out);

/* Room for any int64_t in decimal: '-', 19 digits, NUL. */
#define NUM_I64_TEXT 21

/* v in decimal with at least `width` digits, zero-padded (printf's
 * "%0*llu"), into out (room for 20 or width bytes, whichever is more; no
 * NUL); returns the length. */
size_t num_format_u64(uint64_t v, size_t width, char *out);

/* v in decimal, as printf's "%lld" writes it, NUL-terminated, into out;
 * returns the length without the NUL. */
size_t num_format_i64(int64_t v, char out[NUM_I64_TEXT]);

#endif
