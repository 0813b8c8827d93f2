/* Percent-decoding and -encoding (src/core/url.c, RFC 3986). */

/* url_decode of s (strlen) into a new string; its length in *n. */
static const char *decode(struct arena *a, const char *s, int plus, size_t *n)
{
	const char *out = url_decode(a, s, strlen(s), plus, n);
	CHECK(out != NULL);
	return out ? out : "";
}

static void check_decode(struct arena *a, const char *s, int plus, const char *want)
{
	size_t n;
	const char *got = decode(a, s, plus, &n);
	CHECK_STR(got, want);
	CHECK(n == strlen(want));
}

static void check_encode(const char *s, size_t n, const char *want)
{
	struct buf b;
	buf_init(&b, 1 << 16);
	url_encode(&b, s, n);
	CHECK(!buf_failed(&b));
	CHECK_STR(b.data ? b.data : "", want);
	buf_free(&b);
}

static void test_url(void)
{
	struct arena *a = arena_new();
	size_t n;
	const char *s;

	/* %-escapes: upper and lower case hex digits. */
	check_decode(a, "a%20b", 0, "a b");
	check_decode(a, "%41%62%6a%6A", 0, "Abjj");
	check_decode(a, "", 1, "");
	check_decode(a, "plain", 1, "plain");
	/* '+' is a space in forms and query strings only, never in paths; an
	 * escaped plus stays a plus. */
	check_decode(a, "a+b", 1, "a b");
	check_decode(a, "a+b", 0, "a+b");
	check_decode(a, "%2B+%2b", 1, "+ +");
	/* Invalid escapes are kept as they are. */
	check_decode(a, "%zz", 1, "%zz");
	check_decode(a, "%4g", 1, "%4g");
	check_decode(a, "%g4", 1, "%g4");
	check_decode(a, "100%", 1, "100%");
	check_decode(a, "%4", 1, "%4");
	check_decode(a, "%%41", 1, "%A");
	check_decode(a, "%+41", 1, "% 41");
	/* Decoding happens once: %2541 is "%41", not "A". */
	check_decode(a, "%2541", 1, "%41");
	/* Only the first n bytes count: an escape cut by n is kept. */
	s = url_decode(a, "%41BC", 3, 0, &n);
	CHECK_STR(s, "A");
	CHECK(n == 1);
	s = url_decode(a, "%41", 2, 0, &n);
	CHECK_STR(s, "%4");
	CHECK(n == 2);
	/* %00 is a NUL byte inside the result, counted in its length. */
	s = decode(a, "a%00b", 1, &n);
	CHECK(n == 3);
	CHECK(memcmp(s, "a\0b", 4) == 0);
	/* Bytes are bytes: an overlong UTF-8 form (%C0%AF, a '/' in disguise)
	 * and a lone %FF come out as those bytes, never as '/'. */
	s = decode(a, "%C0%AF%ff", 0, &n);
	CHECK(n == 3);
	CHECK(memcmp(s, "\xC0\xAF\xFF", 3) == 0);
	CHECK(strchr(s, '/') == NULL);
	check_decode(a, "caf%C3%A9", 0, "caf\xC3\xA9");

	/* Encoding keeps RFC 3986's unreserved characters only. */
	check_encode("AZaz09-._~", 10, "AZaz09-._~");
	check_encode("a b+c/d?e&f=g", 13, "a%20b%2Bc%2Fd%3Fe%26f%3Dg");
	check_encode("filter[id]", 10, "filter%5Bid%5D");
	check_encode("caf\xC3\xA9", 5, "caf%C3%A9");
	check_encode("a\0b", 3, "a%00b");
	check_encode("%", 1, "%25");
	check_encode("", 0, "");
	/* Every byte survives encode then decode (also with '+' as space:
	 * a '+' is always encoded). */
	char all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (char)i;
	struct buf b;
	buf_init(&b, 1 << 16);
	url_encode(&b, all, sizeof(all));
	CHECK(!buf_failed(&b) && b.len == 3 * 256 - 2 * 66);
	for (int plus = 0; plus <= 1; plus++) {
		s = url_decode(a, b.data, b.len, plus, &n);
		CHECK(s && n == sizeof(all) && memcmp(s, all, n) == 0);
	}
	/* url_unreserved_len stops where url_encode first changes a byte. */
	for (int i = 0; i < 256; i++) {
		char one[3] = { 'a', (char)i, 'b' };
		buf_clear(&b);
		url_encode(&b, one, 3);
		CHECK(url_unreserved_len(one, 3) == (b.len == 3 ? 3u : 1u));
	}
	CHECK(url_unreserved_len("", 0) == 0);
	buf_free(&b);
	arena_destroy(a);
}
