/* secret.h: client secrets and passwords as argon2id hashes (the encoded
 * "$argon2id$..." string is what the database stores). Pure code but for
 * the random salt: oauth.c verifies, write_item.c and apictl hash. */
#ifndef SECRET_H
#define SECRET_H
#include "first.h"

#include <stddef.h>

/* The argon2id encoding of secret into out (at least 128 bytes). 0 or -1. */
int secret_hash(const char *secret, char *out, size_t outlen);
/* 1 when secret matches the argon2id encoding, else 0. */
int secret_verify(const char *encoded, const char *secret);
/* secret_verify that spends one argon2id verification in every case:
 * against a per-process dummy hash when stored is NULL or not an argon2id
 * hash, so a failed login costs the same whether the name exists or not. */
int secret_verify_timed(const char *stored, const char *secret);

#endif
