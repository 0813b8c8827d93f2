/* digest.h: SHA-1 and SHA-256 with OpenSSL's algorithms fetched once per
 * process. EVP_sha256() and friends make libcrypto look the algorithm up
 * in its provider store (a lock and a search) on every digest, and
 * EVP_Digest allocates a context each time: together several times the
 * cost of hashing a token. WSSE digests, nonce and token hashes, ETags and
 * the OpenAPI document's tag all go through here. */
#ifndef DIGEST_H
#define DIGEST_H
#include "first.h"

#include <stddef.h>

#define DIGEST_SHA1_LEN 20
#define DIGEST_SHA256_LEN 32

enum digest_kind { DIGEST_SHA1, DIGEST_SHA256 };

/* The digest of one buffer into out (DIGEST_SHA1_LEN or DIGEST_SHA256_LEN
 * bytes). 0, or -1 when libcrypto failed. */
int digest_sha1(const void *data, size_t len, unsigned char out[DIGEST_SHA1_LEN]);
int digest_sha256(const void *data, size_t len, unsigned char out[DIGEST_SHA256_LEN]);

/* A digest fed in parts (an ETag over a row's columns): digest_begin,
 * any number of digest_add, digest_end. One at a time per process (the
 * context is a process object); digest_end always ends it. */
int digest_begin(enum digest_kind kind);
int digest_add(const void *data, size_t len);
int digest_end(unsigned char *out);

#endif
