/* ttlcache: entries are found by their key bytes, trusted for the ttl
 * only (stamped with the time given), replaced round robin when the table
 * is full, and a ttl of 0 keeps nothing. */
static void test_ttlcache(void)
{
	struct ttlcache *c = ttlcache_new(2, 8, sizeof(long long), 1000);
	CHECK(c != NULL);
	long long v = 41, now = ttlcache_now();
	ttlcache_put(c, "a", 1, &v, now);
	v = 42;
	ttlcache_put(c, "b", 1, &v, now);
	const long long *got = ttlcache_get(c, "a", 1);
	CHECK(got && *got == 41);
	got = ttlcache_get(c, "b", 1);
	CHECK(got && *got == 42);
	CHECK(ttlcache_get(c, "ab", 2) == NULL);
	CHECK(ttlcache_get(c, "toolongkey", 10) == NULL);
	/* Full: a third key replaces one of the two, never both. */
	v = 43;
	ttlcache_put(c, "c", 1, &v, now);
	got = ttlcache_get(c, "c", 1);
	CHECK(got && *got == 43);
	CHECK((ttlcache_get(c, "a", 1) == NULL) != (ttlcache_get(c, "b", 1) == NULL));
	/* Loaded a ttl ago: stale, and its slot is free again. */
	ttlcache_put(c, "old", 3, &v, now - 1000000000LL);
	CHECK(ttlcache_get(c, "old", 3) == NULL);
	ttlcache_put(c, "c", 1, &v, now - 999000000LL);
	CHECK(ttlcache_get(c, "c", 1) != NULL);
	ttlcache_drop(c, "c", 1);
	CHECK(ttlcache_get(c, "c", 1) == NULL);
	ttlcache_put(c, "d", 1, &v, now);
	ttlcache_flush(c);
	CHECK(ttlcache_get(c, "d", 1) == NULL);
	ttlcache_free(c);
	/* ttl 0 (auth.cache_ttl = 0): nothing is kept; NULL is an empty table. */
	c = ttlcache_new(4, 8, sizeof(long long), 0);
	ttlcache_put(c, "a", 1, &v, ttlcache_now());
	CHECK(ttlcache_get(c, "a", 1) == NULL);
	ttlcache_free(c);
	ttlcache_put(NULL, "a", 1, &v, 0);
	CHECK(ttlcache_get(NULL, "a", 1) == NULL);
}
