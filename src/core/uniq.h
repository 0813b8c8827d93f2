/* uniq.h: 8-byte values that do not repeat, for request ids and the WSSE
 * nonce's "recorded by" tag: unique within a process and, with a random
 * start per process, across processes and hosts. Not secrets: no key,
 * token, salt or nonce may come from here (those use RAND_bytes). */
#ifndef UNIQ_H
#define UNIQ_H
#include "first.h"

#define UNIQ_LEN 8

/* The process's next value. */
void uniq_next(unsigned char out[UNIQ_LEN]);

#endif
