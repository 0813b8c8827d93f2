/* The one integer parser (num.c): strict [-]digits within a range; and
 * its writer, which must agree with printf's "%lld" (headers, JSON). */

/* num_parse_i64 on the whole of s; returns its result, *out set on 0. */
static int tn_parse(const char *s, int64_t min, int64_t max, int64_t *out)
{
	return num_parse_i64(s, strlen(s), min, max, out);
}

static void test_num(void)
{
	int64_t v = 42;
	CHECK(tn_parse("0", INT64_MIN, INT64_MAX, &v) == 0 && v == 0);
	CHECK(tn_parse("-0", INT64_MIN, INT64_MAX, &v) == 0 && v == 0);
	CHECK(tn_parse("007", INT64_MIN, INT64_MAX, &v) == 0 && v == 7);
	CHECK(tn_parse("-15", INT64_MIN, INT64_MAX, &v) == 0 && v == -15);
	CHECK(tn_parse("9223372036854775807", INT64_MIN, INT64_MAX, &v) == 0 && v == INT64_MAX);
	CHECK(tn_parse("-9223372036854775808", INT64_MIN, INT64_MAX, &v) == 0 && v == INT64_MIN);
	v = 42;
	CHECK(tn_parse("9223372036854775808", INT64_MIN, INT64_MAX, &v) < 0); /* INT64_MAX + 1 */
	CHECK(tn_parse("-9223372036854775809", INT64_MIN, INT64_MAX, &v) < 0);
	CHECK(tn_parse("99999999999999999999999", INT64_MIN, INT64_MAX, &v) < 0);
	CHECK(tn_parse("+1", INT64_MIN, INT64_MAX, &v) < 0);
	CHECK(tn_parse("", INT64_MIN, INT64_MAX, &v) < 0);
	CHECK(tn_parse("-", INT64_MIN, INT64_MAX, &v) < 0);
	CHECK(tn_parse(" 1", INT64_MIN, INT64_MAX, &v) < 0);
	CHECK(tn_parse("1 ", INT64_MIN, INT64_MAX, &v) < 0);
	CHECK(tn_parse("\t1", INT64_MIN, INT64_MAX, &v) < 0);
	CHECK(tn_parse("1.5", INT64_MIN, INT64_MAX, &v) < 0);
	CHECK(tn_parse("1e3", INT64_MIN, INT64_MAX, &v) < 0);
	CHECK(tn_parse("--1", INT64_MIN, INT64_MAX, &v) < 0);
	CHECK(tn_parse("0x10", INT64_MIN, INT64_MAX, &v) < 0);
	CHECK(v == 42); /* untouched by a refusal */
	/* The range is the caller's. */
	CHECK(tn_parse("10", 0, 10, &v) == 0 && v == 10);
	CHECK(tn_parse("11", 0, 10, &v) < 0);
	CHECK(tn_parse("-1", 0, 10, &v) < 0);
	CHECK(tn_parse("-0", 0, 10, &v) == 0 && v == 0);
	/* len, not the NUL, ends the text. */
	CHECK(num_parse_i64("123abc", 3, INT64_MIN, INT64_MAX, &v) == 0 && v == 123);
	CHECK(num_parse_i64("123", 0, INT64_MIN, INT64_MAX, &v) < 0);
	/* The writer: printf's answer for the edges and some in between,
	 * and what it writes parses back. */
	const int64_t samples[] = { 0, 1, -1, 9, 10, -10, 200, 404, 1824, 99999, -123456789,
				    INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1 };
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		char mine[NUM_I64_TEXT], theirs[32];
		size_t len = num_format_i64(samples[i], mine);
		snprintf(theirs, sizeof(theirs), "%lld", (long long)samples[i]);
		CHECK(strcmp(mine, theirs) == 0);
		CHECK(len == strlen(theirs));
		CHECK(tn_parse(mine, INT64_MIN, INT64_MAX, &v) == 0 && v == samples[i]);
	}
	/* Zero-padded, as "%0*llu": narrower, equal and wider than the digits. */
	const uint64_t us[] = { 0, 7, 42, 999999, UINT64_MAX };
	for (size_t i = 0; i < sizeof(us) / sizeof(us[0]); i++)
		for (int width = 0; width <= 22; width++) {
			char mine[32], theirs[32];
			size_t len = num_format_u64(us[i], (size_t)width, mine);
			mine[len] = '\0';
			snprintf(theirs, sizeof(theirs), "%0*llu", width, (unsigned long long)us[i]);
			CHECK(strcmp(mine, theirs) == 0);
		}
}
