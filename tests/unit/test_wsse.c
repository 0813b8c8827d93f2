/* WSSE header parsing, Created parsing and the digest of section 3.1. */
static void test_wsse(void)
{
	struct wsse_token t;
	const char *why;
	CHECK(wsse_parse("UsernameToken Username=\"admin\", PasswordDigest=\"d\", Nonce=\"n\", "
			 "Created=\"c\"", &t, &why) == 0);
	CHECK_STR(t.username, "admin");
	CHECK_STR(t.created, "c");
	/* Any order, single quotes. */
	CHECK(wsse_parse("UsernameToken Created='c', Nonce='n', Username='u', PasswordDigest='d'",
			 &t, &why) == 0);
	CHECK_STR(t.username, "u");
	/* Missing, duplicated, unquoted, unterminated, wrong profile. */
	CHECK(wsse_parse("UsernameToken Username=\"a\", Nonce=\"n\", Created=\"c\"", &t, &why) < 0);
	CHECK(wsse_parse("UsernameToken Username=\"a\", Username=\"b\", PasswordDigest=\"d\", "
			 "Nonce=\"n\", Created=\"c\"", &t, &why) < 0);
	CHECK(wsse_parse("UsernameToken Username=a, PasswordDigest=\"d\", Nonce=\"n\", Created=\"c\"",
			 &t, &why) < 0);
	CHECK(wsse_parse("UsernameToken Username=\"a", &t, &why) < 0);
	CHECK(wsse_parse("Token Username=\"a\"", &t, &why) < 0);
	CHECK(wsse_parse("", &t, &why) < 0);

	long long s;
	CHECK(wsse_parse_created("2016-09-19T11:01:31Z", &s) == 0 && s == 1474282891LL);
	CHECK(wsse_parse_created("2016-09-19T13:01:31+02:00", &s) == 0 && s == 1474282891LL);
	CHECK(wsse_parse_created("2016-09-19T06:01:31-0500", &s) == 0 && s == 1474282891LL);
	CHECK(wsse_parse_created("2016-09-19T11:01:31.123456Z", &s) == 0 && s == 1474282891LL);
	CHECK(wsse_parse_created("2016-09-19T11:01:31", &s) < 0);   /* no zone */
	CHECK(wsse_parse_created("2016-02-30T00:00:00Z", &s) < 0);
	CHECK(wsse_parse_created("2015-02-29T00:00:00Z", &s) < 0);
	CHECK(wsse_parse_created("2016-02-29T00:00:00Z", &s) == 0);
	CHECK(wsse_parse_created("9999-99-99T99:99:99Z", &s) < 0);
	CHECK(wsse_parse_created("yesterday", &s) < 0);
	CHECK(wsse_parse_created("2016-09-19T11:01:31Zjunk", &s) < 0);

	/* Reference value computed with openssl:
	 * printf 'abc' > n; cat n; printf '2016-09-19T11:01:31Zkey' | cat n - |
	 * openssl dgst -sha1 -binary | base64 */
	char d[WSSE_DIGEST_LEN + 1];
	CHECK(wsse_digest("YWJj", "2016-09-19T11:01:31Z", "key", 3, d) == 0);
	CHECK_STR(d, "t1uzS/iMmKr4B1UjWN7BYvmFVhU=");
	CHECK(wsse_digest("not base64!", "x", "k", 1, d) < 0);
	CHECK(wsse_digest("YWJ", "x", "k", 1, d) < 0);
	CHECK(wsse_digest_equal("abc", "abc"));
	CHECK(!wsse_digest_equal("abc", "abd"));
	CHECK(!wsse_digest_equal("abc", "abcd"));
}
