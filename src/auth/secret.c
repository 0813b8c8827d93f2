/* secret.c: see secret.h. The argon2id parameters live here only; an
 * encoded hash carries its own, so raising them later still verifies the
 * hashes stored before. */
#include "first.h"
#include "hex.h"
#include "secret.h"

#include <argon2.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

/* argon2id cost for client secrets and passwords (OWASP's minimum:
 * 19 MiB, 2 passes, 1 lane): about 20 ms per check. */
#define ARGON_T 2
#define ARGON_M 19456
#define ARGON_P 1
#define ARGON_SALT 16
#define ARGON_HASH 32

int secret_hash(const char *secret, char *out, size_t outlen)
{
	unsigned char salt[ARGON_SALT];
	if (RAND_bytes(salt, sizeof(salt)) != 1)
		return -1;
	return argon2id_hash_encoded(ARGON_T, ARGON_M, ARGON_P, secret, strlen(secret), salt,
				     sizeof(salt), ARGON_HASH, out, outlen) == ARGON2_OK ? 0 : -1;
}

int secret_verify(const char *encoded, const char *secret)
{
	/* argon2 compares the hashes in constant time. */
	return encoded && strncmp(encoded, "$argon2id$", 10) == 0 &&
	       argon2id_verify(encoded, secret, strlen(secret)) == ARGON2_OK;
}

/* A hash of a random secret, made once per process: what an unknown user or
 * client (or one without a password) is checked against, so that a failed
 * login costs one argon2id verification whether the name exists or not. A
 * process constant, not request state. */
static const char *dummy_hash(void)
{
	static char hash[160];
	if (!hash[0]) {
		unsigned char rnd[16];
		char secret[33];
		if (RAND_bytes(rnd, sizeof(rnd)) != 1)
			return NULL;
		hex_encode(secret, rnd, sizeof(rnd));
		if (secret_hash(secret, hash, sizeof(hash)) < 0) {
			hash[0] = '\0';
			return NULL;
		}
	}
	return hash;
}

int secret_verify_timed(const char *stored, const char *secret)
{
	int real = stored && strncmp(stored, "$argon2id$", 10) == 0;
	const char *h = real ? stored : dummy_hash();
	int ok = secret_verify(h, secret);
	return real && ok;
}
