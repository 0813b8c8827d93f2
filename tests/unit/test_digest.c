/* digest: the known answers of FIPS 180 for "abc", the same digest fed in
 * parts as at once, and the one process context refusing a second digest
 * begun before the first ended (etag.c must never nest them). */
static int digest_is(const unsigned char *md, const char *hex, size_t n)
{
	char got[2 * DIGEST_SHA256_LEN + 1];
	hex_encode(got, md, n);
	return strcmp(got, hex) == 0;
}

static void test_digest(void)
{
	unsigned char md[DIGEST_SHA256_LEN];
	CHECK(digest_sha1("abc", 3, md) == 0);
	CHECK(digest_is(md, "a9993e364706816aba3e25717850c26c9cd0d89d", DIGEST_SHA1_LEN));
	CHECK(digest_sha256("abc", 3, md) == 0);
	CHECK(digest_is(md, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
			DIGEST_SHA256_LEN));
	/* The empty message, and the same answers again from the reused context. */
	CHECK(digest_sha256("", 0, md) == 0);
	CHECK(digest_is(md, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
			DIGEST_SHA256_LEN));
	CHECK(digest_sha1("abc", 3, md) == 0);
	CHECK(digest_is(md, "a9993e364706816aba3e25717850c26c9cd0d89d", DIGEST_SHA1_LEN));

	unsigned char parts[DIGEST_SHA256_LEN];
	CHECK(digest_begin(DIGEST_SHA256) == 0);
	CHECK(digest_add("a", 1) == 0);
	CHECK(digest_add("", 0) == 0);
	CHECK(digest_add("bc", 2) == 0);
	/* A second digest while this one runs is refused, this one goes on. */
	CHECK(digest_begin(DIGEST_SHA1) == -1);
	CHECK(digest_sha1("abc", 3, md) == -1);
	CHECK(digest_end(parts) == 0);
	CHECK(digest_is(parts, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
			DIGEST_SHA256_LEN));
	/* Ended: no more parts, no second end; a new digest may begin. */
	CHECK(digest_add("x", 1) == -1);
	CHECK(digest_end(parts) == -1);
	CHECK(digest_sha256("abc", 3, md) == 0);
	CHECK(memcmp(md, parts, DIGEST_SHA256_LEN) == 0);
}
