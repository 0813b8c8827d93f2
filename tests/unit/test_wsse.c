/* WSSE header parsing, Created parsing and the digest of section 3.1. */

/* Canonical base64 nonces (section 3.1, issue 10): one spelling per byte
 * string, so a used nonce cannot come back in another spelling. */
static void test_wsse_nonce_canonical(void)
{
	unsigned char b[WSSE_MAX_NONCE_BYTES];
	CHECK(wsse_nonce_decode("YWJj", b) == 3 && memcmp(b, "abc", 3) == 0);
	CHECK(wsse_nonce_decode("YWI=", b) == 2 && memcmp(b, "ab", 2) == 0);
	CHECK(wsse_nonce_decode("YQ==", b) == 1 && b[0] == 'a');
	CHECK(wsse_nonce_decode("+/+/", b) == 3 && b[0] == 0xfb && b[1] == 0xff && b[2] == 0xbf);
	/* 'a' is 0x61 = 011000|01: "YQ==" leaves four bits over; each of
	 * "YR==" .. "Yf==" sets some of them and is refused. */
	static const char *const stray2[] = { "YR==", "YS==", "YT==", "YU==", "YV==", "YW==",
					      "YX==", "YY==", "YZ==", "Ya==", "Yb==", "Yc==",
					      "Yd==", "Ye==", "Yf==" };
	for (size_t i = 0; i < sizeof(stray2) / sizeof(stray2[0]); i++)
		CHECK(wsse_nonce_decode(stray2[i], b) < 0);
	/* "ab" leaves two bits over: "YWI=" is the one spelling. */
	CHECK(wsse_nonce_decode("YWJ=", b) < 0);
	CHECK(wsse_nonce_decode("YWK=", b) < 0);
	CHECK(wsse_nonce_decode("YWL=", b) < 0);
	/* A 16-byte nonce (the usual size): 4 of the last character's 6 bits are
	 * over, so it has 16 spellings, of which one is accepted. */
	CHECK(wsse_nonce_decode("AAAAAAAAAAAAAAAAAAAAAA==", b) == 16);
	CHECK(wsse_nonce_decode("AAAAAAAAAAAAAAAAAAAAAB==", b) < 0);
	CHECK(wsse_nonce_decode("AAAAAAAAAAAAAAAAAAAAAP==", b) < 0);
	CHECK(wsse_nonce_decode("AAAAAAAAAAAAAAAAAAAAAI==", b) < 0);
	CHECK(wsse_nonce_decode("AAAAAAAAAAAAAAAAAAAAAQ==", b) == 16 && b[15] == 0x01);
	/* Padding missing, misplaced or too long; other alphabets; whitespace. */
	CHECK(wsse_nonce_decode("YQ", b) < 0);
	CHECK(wsse_nonce_decode("YWI", b) < 0);
	CHECK(wsse_nonce_decode("Y===", b) < 0);
	CHECK(wsse_nonce_decode("====", b) < 0);
	CHECK(wsse_nonce_decode("Y=Q=", b) < 0);
	CHECK(wsse_nonce_decode("YQ==YWJj", b) < 0);
	CHECK(wsse_nonce_decode("YQ===", b) < 0);
	CHECK(wsse_nonce_decode("-_-_", b) < 0);
	CHECK(wsse_nonce_decode("YW Jj", b) < 0);
	CHECK(wsse_nonce_decode("YWJj\n", b) < 0);
	CHECK(wsse_nonce_decode("", b) < 0);
	/* The longest value wsse_parse lets through still fits. */
	char longest[WSSE_MAX_VALUE];
	memset(longest, 'A', WSSE_MAX_VALUE - 4);
	longest[WSSE_MAX_VALUE - 4] = '\0';
	CHECK(wsse_nonce_decode(longest, b) == (WSSE_MAX_VALUE - 4) / 4 * 3);
}

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
	/* The respelling of issue 10: "YWJj" with stray bits is not "abc". */
	CHECK(wsse_digest("YWJj", "2016-09-19T11:01:31Z", "key", 3, d) == 0);
	CHECK(wsse_digest("YWJk", "2016-09-19T11:01:31Z", "key", 3, d) == 0);
	CHECK(wsse_digest("QR==", "x", "k", 1, d) < 0);
	CHECK(wsse_digest("QUI=", "x", "k", 1, d) == 0);
	CHECK(wsse_digest("QUJ=", "x", "k", 1, d) < 0);
	CHECK(wsse_digest_equal("abc", "abc"));
	CHECK(!wsse_digest_equal("abc", "abd"));
	CHECK(!wsse_digest_equal("abc", "abcd"));
	test_wsse_nonce_canonical();
}
