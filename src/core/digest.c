/* digest.c: see digest.h. The algorithms and the one context are process
 * objects made on first use (apictl, the unit tests and the fuzzers need
 * no set-up call); after a fork the child keeps using its copies, which
 * is safe: libcrypto's fetched methods are plain reference-counted data. */
#include "first.h"
#include "digest.h"

#include <openssl/evp.h>

/* Process objects, never request state. */
static EVP_MD *fetched[2];
static EVP_MD_CTX *ctx;
static int ctx_busy;

static const EVP_MD *md_of(enum digest_kind kind)
{
	static const char *const names[2] = { "SHA1", "SHA2-256" };
	if (!fetched[kind])
		fetched[kind] = EVP_MD_fetch(NULL, names[kind], NULL);
	return fetched[kind];
}

int digest_begin(enum digest_kind kind)
{
	const EVP_MD *md = md_of(kind);
	if (!ctx)
		ctx = EVP_MD_CTX_new();
	if (!md || !ctx || ctx_busy)
		return -1;
	if (EVP_DigestInit_ex2(ctx, md, NULL) != 1)
		return -1;
	ctx_busy = 1;
	return 0;
}

int digest_add(const void *data, size_t len)
{
	return ctx_busy && EVP_DigestUpdate(ctx, data, len) == 1 ? 0 : -1;
}

int digest_end(unsigned char *out)
{
	if (!ctx_busy)
		return -1;
	ctx_busy = 0;
	unsigned len = 0;
	return EVP_DigestFinal_ex(ctx, out, &len) == 1 ? 0 : -1;
}

static int digest_one(enum digest_kind kind, const void *data, size_t len, unsigned char *out)
{
	if (digest_begin(kind) < 0)
		return -1;
	if (digest_add(data, len) < 0) {
		unsigned char scratch[EVP_MAX_MD_SIZE];
		digest_end(scratch);
		return -1;
	}
	return digest_end(out);
}

int digest_sha1(const void *data, size_t len, unsigned char out[DIGEST_SHA1_LEN])
{
	return digest_one(DIGEST_SHA1, data, len, out);
}

int digest_sha256(const void *data, size_t len, unsigned char out[DIGEST_SHA256_LEN])
{
	return digest_one(DIGEST_SHA256, data, len, out);
}
