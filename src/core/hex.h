/* hex.h: bytes as lower-case hexadecimal (request ids, ETags, keys,
 * tokens, secrets). */
#ifndef HEX_H
#define HEX_H
#include "first.h"

#include <stddef.h>

/* Writes 2 * n hex digits of in[0, n) and a NUL to out (2 * n + 1 bytes). */
void hex_encode(char *out, const unsigned char *in, size_t n);

#endif
