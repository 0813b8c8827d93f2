/* Input values of section 5.4 (value.c): the SQL text each type binds and
 * the exact errors of invalid values. */
static struct arena *tv_arena;

/* Parses the JSON text js (any value) for a, returning the SQL text, NULL
 * for JSON null, or "!title|detail" for an error. */
static const char *tv_run(const struct attribute *a, const char *js)
{
	json_error_t jerr;
	json_t *v = json_loads(js, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	if (!v) {
		fprintf(stderr, "test JSON %s: %s\n", js, jerr.text);
		return "!bad test JSON";
	}
	const char *out = "unset";
	size_t len = 0;
	struct value_error e = { ERR_KIND_COUNT, NULL };
	const char *res;
	if (value_parse(tv_arena, a, v, &out, &len, &e) == 0)
		res = out && strlen(out) == len ? out : out ? "!length mismatch" : NULL;
	else
		res = arena_printf(tv_arena, "!%s|%s",
				   e.kind < ERR_KIND_COUNT ? err_kind_title(e.kind) : "(null)",
				   e.detail ? e.detail : "(null)");
	json_decref(v);
	return res;
}

#define TV_OK(a, js, want) CHECK_STR(tv_run(&(a), js), want)
#define TV_ERR(a, js, title, detail) \
	CHECK_STR(tv_run(&(a), js), arena_printf(tv_arena, "!%s|%s", title, detail))
#define TV_INVALID(a, js) TV_ERR(a, js, "form constraint", "This value is not valid.")

static void test_value_int(void)
{
	const struct attribute a = { .name = "n", .column = "n", .type = T_INT };
	const char *bad = "Please enter an integer.";
	TV_OK(a, "42", "42");
	TV_OK(a, "-7", "-7");
	TV_OK(a, "\"123\"", "123");
	TV_OK(a, "\"-0\"", "0");
	TV_OK(a, "\"007\"", "7");
	/* INT columns: 32 bits; INT UNSIGNED with A_UNSIGNED. */
	const char *range = "This value should be between -2147483648 and 2147483647.";
	TV_OK(a, "2147483647", "2147483647");
	TV_OK(a, "\"-2147483648\"", "-2147483648");
	TV_ERR(a, "2147483648", "range constraint", range);
	TV_ERR(a, "\"-2147483649\"", "range constraint", range);
	TV_ERR(a, "9223372036854775807", "range constraint", range);
	const struct attribute u = { .name = "u", .column = "u", .type = T_INT, .flags = A_UNSIGNED };
	TV_OK(u, "4294967295", "4294967295");
	TV_OK(u, "0", "0");
	TV_ERR(u, "-5", "range constraint", "This value should be greater than or equal to 0.");
	TV_ERR(u, "4294967296", "range constraint", "This value should be between 0 and 4294967295.");
	TV_ERR(a, "\"9223372036854775808\"", "form constraint", bad);
	TV_ERR(a, "\"-9223372036854775809\"", "form constraint", bad);
	TV_ERR(a, "\"99999999999999999999999\"", "form constraint", bad);
	TV_ERR(a, "1.5", "form constraint", bad);
	TV_ERR(a, "\"1.5\"", "form constraint", bad);
	TV_ERR(a, "\"1e3\"", "form constraint", bad);
	TV_ERR(a, "\"\"", "form constraint", bad);
	TV_ERR(a, "\"-\"", "form constraint", bad);
	TV_ERR(a, "\"+5\"", "form constraint", bad);
	TV_ERR(a, "\" 5\"", "form constraint", bad);
	TV_ERR(a, "\"12abc\"", "form constraint", bad);
	TV_ERR(a, "true", "form constraint", bad);
	TV_INVALID(a, "[1]");
	TV_INVALID(a, "{\"a\": 1}");
	CHECK(tv_run(&a, "null") == NULL);
}

static void test_value_bool(void)
{
	const struct attribute a = { .name = "b", .column = "b", .type = T_BOOL };
	TV_OK(a, "true", "1");
	TV_OK(a, "false", "0");
	TV_OK(a, "1", "1");
	TV_OK(a, "0", "0");
	TV_OK(a, "\"1\"", "1");
	TV_OK(a, "\"0\"", "0");
	TV_OK(a, "\"true\"", "1");
	TV_OK(a, "\"FALSE\"", "0");
	TV_OK(a, "\"Yes\"", "1");
	TV_OK(a, "\"no\"", "0");
	TV_INVALID(a, "2");
	TV_INVALID(a, "-1");
	TV_INVALID(a, "1.0");
	TV_INVALID(a, "\"\"");
	TV_INVALID(a, "\"y\"");
	TV_INVALID(a, "\"yess\"");
	TV_INVALID(a, "\"on\"");
	TV_INVALID(a, "[]");
	CHECK(tv_run(&a, "null") == NULL);
}

static void test_value_string(void)
{
	const struct attribute s = { .name = "s", .column = "s", .type = T_STRING, .max_len = 5 };
	const struct attribute t = { .name = "t", .column = "t", .type = T_TEXT };
	const struct attribute one = { .name = "c", .column = "c", .type = T_STRING, .max_len = 1 };
	const struct attribute mail = { .name = "email", .column = "email", .type = T_STRING,
					.flags = A_EMAIL, .max_len = 255 };
	TV_OK(s, "\"abc\"", "abc");
	TV_OK(s, "\"\"", "");
	TV_OK(s, "\"abcde\"", "abcde");
	/* 5 characters, 10 bytes: the limit counts characters */
	TV_OK(s, "\"\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\"", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	TV_OK(s, "\"\\ud83d\\ude00abcd\"", "\xf0\x9f\x98\x80" "abcd");
	TV_ERR(s, "\"\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\"", "length constraint",
	       "This value is too long. It should have 5 characters or less.");
	TV_ERR(s, "\"abcdef\"", "length constraint",
	       "This value is too long. It should have 5 characters or less.");
	TV_OK(one, "\"\\u20ac\"", "\xe2\x82\xac");
	TV_ERR(one, "\"ab\"", "length constraint",
	       "This value is too long. It should have 1 character or less.");
	TV_OK(t, "\"a long text without a limit\"", "a long text without a limit");
	TV_INVALID(s, "\"a\\u0000b\"");
	TV_INVALID(t, "\"\\u0000\"");
	TV_INVALID(s, "12");
	TV_INVALID(s, "1.5");
	TV_INVALID(s, "true");
	TV_INVALID(s, "[\"a\"]");
	TV_INVALID(t, "{}");
	CHECK(tv_run(&s, "null") == NULL);
	TV_OK(mail, "\"john.doe+x@example.co.uk\"", "john.doe+x@example.co.uk");
	TV_OK(mail, "\"\"", ""); /* blank: the caller's required check */
	TV_ERR(mail, "\"john@example\"", "email constraint",
	       "This value is not a valid email address.");
	TV_ERR(mail, "\"john doe@example.com\"", "email constraint",
	       "This value is not a valid email address.");
	const struct attribute pw = { .name = "password", .column = "password", .type = T_STRING,
				      .max_len = 10, .min_len = 8 };
	TV_OK(pw, "\"12345678\"", "12345678");
	TV_OK(pw, "\"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\"",
	      "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	TV_ERR(pw, "\"1234567\"", "length constraint",
	       "This value is too short. It should have 8 characters or more.");
	TV_ERR(pw, "\"\"", "length constraint",
	       "This value is too short. It should have 8 characters or more.");
	TV_ERR(pw, "\"12345678901\"", "length constraint",
	       "This value is too long. It should have 10 characters or less.");
	const struct attribute pw1 = { .name = "p", .column = "p", .type = T_STRING, .min_len = 1 };
	TV_ERR(pw1, "\"\"", "length constraint",
	       "This value is too short. It should have 1 character or more.");
	const struct attribute short_mail = { .name = "email", .column = "email",
					      .type = T_STRING, .flags = A_EMAIL, .max_len = 3 };
	TV_ERR(short_mail, "\"a@b.cd\"", "length constraint",
	       "This value is too long. It should have 3 characters or less.");
}

static void test_value_utf8(void)
{
	CHECK(val_utf8_count((const unsigned char *)"", 0) == 0);
	CHECK(val_utf8_count((const unsigned char *)"a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 10) == 4);
	CHECK(val_utf8_count((const unsigned char *)"\xc3", 1) == -1);          /* cut */
	CHECK(val_utf8_count((const unsigned char *)"\xc0\xaf", 2) == -1);      /* overlong */
	CHECK(val_utf8_count((const unsigned char *)"\xed\xa0\x80", 3) == -1);  /* surrogate */
	CHECK(val_utf8_count((const unsigned char *)"\xf4\x90\x80\x80", 4) == -1); /* > U+10FFFF */
	CHECK(val_utf8_count((const unsigned char *)"\x80", 1) == -1);
	CHECK(val_utf8_count((const unsigned char *)"\xff", 1) == -1);
}

static void test_value_email(void)
{
#define EMAIL(s) value_email_ok(s, strlen(s))
	CHECK(EMAIL("a@b.co"));
	CHECK(EMAIL("first.last+tag@sub.example.com"));
	CHECK(EMAIL("o'neil_x-y@my-domain.org"));
	CHECK(!EMAIL("a@b"));         /* no dot in the domain */
	CHECK(!EMAIL("ab.example.com")); /* no @ */
	CHECK(!EMAIL("a@@b.com"));
	CHECK(!EMAIL("a@b@c.com"));   /* two @ */
	CHECK(!EMAIL("@b.com"));
	CHECK(!EMAIL("a@"));
	CHECK(!EMAIL("a b@c.com"));   /* spaces */
	CHECK(!EMAIL("ab@c .com"));
	CHECK(!EMAIL(" a@b.com"));
	CHECK(!EMAIL("a@b.com "));
	CHECK(!EMAIL("a@.b.com"));
	CHECK(!EMAIL("a@b..com"));
	CHECK(!EMAIL("a@b.com."));
	CHECK(!EMAIL("a@-b.com"));
	CHECK(!EMAIL("a@b-.com"));
	CHECK(!EMAIL("a(b)@c.com"));
	CHECK(!EMAIL("a@b_c.com"));
	CHECK(!EMAIL(""));
	CHECK(!value_email_ok("a\0b@c.com", 9));
#undef EMAIL
}

static void test_value_enum(void)
{
	static const char *const genders[] = { "male", "female", NULL };
	const struct attribute a = { .name = "gender", .column = "gender", .type = T_ENUM,
				     .values = genders };
	const char *bad = "The value you selected is not a valid choice.";
	TV_OK(a, "\"male\"", "male");
	TV_OK(a, "\"female\"", "female");
	TV_ERR(a, "\"Male\"", "form constraint", bad);
	TV_ERR(a, "\"mal\"", "form constraint", bad);
	TV_ERR(a, "\"male \"", "form constraint", bad);
	TV_ERR(a, "\"male\\u0000\"", "form constraint", bad);
	TV_ERR(a, "\"\"", "form constraint", bad);
	TV_ERR(a, "1", "form constraint", bad);
	TV_INVALID(a, "[\"male\"]");
	CHECK(tv_run(&a, "null") == NULL);
}

static void test_value_money(void)
{
	const struct attribute a = { .name = "m", .column = "m", .type = T_MONEY };
	TV_OK(a, "1200.5", "1200.5000");
	TV_OK(a, "\"1200.5\"", "1200.5000");
	TV_OK(a, "1200", "1200.0000");
	TV_OK(a, "\"0\"", "0.0000");
	TV_OK(a, "0", "0.0000");
	TV_OK(a, "-3", "-3.0000");
	TV_OK(a, "\"+3.25\"", "3.2500");
	TV_OK(a, "\"007.10\"", "7.1000");
	TV_OK(a, "\".5\"", "0.5000");
	TV_OK(a, "\"5.\"", "5.0000");
	/* half away from zero on the decimal val_digits */
	TV_OK(a, "0.00005", "0.0001");
	TV_OK(a, "\"0.00005\"", "0.0001");
	TV_OK(a, "\"0.00004999\"", "0.0000");
	TV_OK(a, "-0.00005", "-0.0001");
	TV_OK(a, "\"-0.00004\"", "0.0000"); /* no negative zero */
	TV_OK(a, "1.00005", "1.0001");      /* the double is 1.0000499999... */
	TV_OK(a, "2.675", "2.6750");
	TV_OK(a, "\"1.23456\"", "1.2346");
	TV_OK(a, "\"9.99995\"", "10.0000");
	TV_OK(a, "\"0.99995\"", "1.0000");
	TV_OK(a, "1e-7", "0.0000");
	TV_OK(a, "1.5e3", "1500.0000");
	TV_OK(a, "\"999999999999999.9999\"", "999999999999999.9999");
	TV_OK(a, "\"-999999999999999.99994\"", "-999999999999999.9999");
	TV_OK(a, "\"0000000000000000000001\"", "1.0000");
	TV_INVALID(a, "\"999999999999999.99995\""); /* rounds to 16 val_digits */
	TV_INVALID(a, "\"1000000000000000\"");
	TV_INVALID(a, "1e20");
	TV_INVALID(a, "9223372036854775807");
	TV_INVALID(a, "\"1e3\"");
	TV_INVALID(a, "\"\"");
	TV_INVALID(a, "\".\"");
	TV_INVALID(a, "\"-\"");
	TV_INVALID(a, "\"1,5\"");
	TV_INVALID(a, "\" 1\"");
	TV_INVALID(a, "\"1.2.3\"");
	TV_INVALID(a, "\"abc\"");
	TV_INVALID(a, "true");
	TV_INVALID(a, "{}");
	CHECK(tv_run(&a, "null") == NULL);
}

static void test_value_datetime(void)
{
	const struct attribute a = { .name = "at", .column = "at", .type = T_DATETIME };
#define TV_BAD_DT(js, x) TV_ERR(a, js, "form constraint", "The \"" x "\" is not valid datetime.")
	TV_OK(a, "\"2016-09-19T11:01:31Z\"", "2016-09-19 11:01:31");
	TV_OK(a, "\"2016-09-19T11:01:31.123456Z\"", "2016-09-19 11:01:31");
	TV_OK(a, "\"2016-09-19T11:01:31.999+00:00\"", "2016-09-19 11:01:31");
	TV_OK(a, "\"2016-09-19T11:01:31-00:00\"", "2016-09-19 11:01:31");
	TV_OK(a, "\"2016-09-19T11:01:31+02:00\"", "2016-09-19 09:01:31");
	TV_OK(a, "\"2016-09-19T11:01:31+0530\"", "2016-09-19 05:31:31");
	TV_OK(a, "\"2016-09-19T11:01:31-0930\"", "2016-09-19 20:31:31");
	/* crossing midnight, month and year ends, leap days */
	TV_OK(a, "\"2016-09-19T01:00:00+02:00\"", "2016-09-18 23:00:00");
	TV_OK(a, "\"2016-09-30T23:30:00-01:00\"", "2016-10-01 00:30:00");
	TV_OK(a, "\"2016-12-31T23:00:00-01:00\"", "2017-01-01 00:00:00");
	TV_OK(a, "\"2017-01-01T00:59:59+01:00\"", "2016-12-31 23:59:59");
	TV_OK(a, "\"2016-03-01T00:30:00+01:00\"", "2016-02-29 23:30:00");
	TV_OK(a, "\"2015-03-01T00:30:00+01:00\"", "2015-02-28 23:30:00");
	TV_OK(a, "\"2000-02-28T23:30:00-01:00\"", "2000-02-29 00:30:00");
	TV_OK(a, "\"1900-02-28T23:30:00-01:00\"", "1900-03-01 00:30:00");
	TV_OK(a, "\"1969-12-31T23:59:59Z\"", "1969-12-31 23:59:59");
	TV_OK(a, "\"1000-01-01T00:00:00Z\"", "1000-01-01 00:00:00");
	TV_OK(a, "\"9999-12-31T23:59:59Z\"", "9999-12-31 23:59:59");
	TV_OK(a, "\"2024-02-29T12:00:00z\"", "2024-02-29 12:00:00");
	TV_BAD_DT("\"2016-09-19T11:01:31\"", "2016-09-19T11:01:31"); /* no zone */
	TV_BAD_DT("\"2016-09-19T11:01:31.5\"", "2016-09-19T11:01:31.5");
	TV_BAD_DT("\"2016-09-19 11:01:31Z\"", "2016-09-19 11:01:31Z");
	TV_BAD_DT("\"2016-13-01T00:00:00Z\"", "2016-13-01T00:00:00Z");
	TV_BAD_DT("\"2016-00-01T00:00:00Z\"", "2016-00-01T00:00:00Z");
	TV_BAD_DT("\"2016-02-30T00:00:00Z\"", "2016-02-30T00:00:00Z");
	TV_BAD_DT("\"2015-02-29T00:00:00Z\"", "2015-02-29T00:00:00Z");
	TV_BAD_DT("\"1900-02-29T00:00:00Z\"", "1900-02-29T00:00:00Z");
	TV_BAD_DT("\"2016-04-31T00:00:00Z\"", "2016-04-31T00:00:00Z");
	TV_BAD_DT("\"2016-09-19T24:00:00Z\"", "2016-09-19T24:00:00Z");
	TV_BAD_DT("\"2016-09-19T23:60:00Z\"", "2016-09-19T23:60:00Z");
	TV_BAD_DT("\"2016-09-19T23:59:60Z\"", "2016-09-19T23:59:60Z");
	TV_BAD_DT("\"2016-09-19T11:01:31.Z\"", "2016-09-19T11:01:31.Z");
	TV_BAD_DT("\"2016-09-19T11:01:31+2:00\"", "2016-09-19T11:01:31+2:00");
	TV_BAD_DT("\"2016-09-19T11:01:31+02\"", "2016-09-19T11:01:31+02");
	TV_BAD_DT("\"2016-09-19T11:01:31+24:00\"", "2016-09-19T11:01:31+24:00");
	TV_BAD_DT("\"2016-09-19T11:01:31+02:60\"", "2016-09-19T11:01:31+02:60");
	TV_BAD_DT("\"2016-09-19T11:01:31Zjunk\"", "2016-09-19T11:01:31Zjunk");
	TV_BAD_DT("\"2016-9-19T11:01:31Z\"", "2016-9-19T11:01:31Z");
	TV_BAD_DT("\"0999-12-31T23:59:59Z\"", "0999-12-31T23:59:59Z");
	/* the conversion must stay within MariaDB's years */
	TV_BAD_DT("\"1000-01-01T00:30:00+01:00\"", "1000-01-01T00:30:00+01:00");
	TV_BAD_DT("\"9999-12-31T23:30:00-01:00\"", "9999-12-31T23:30:00-01:00");
	TV_BAD_DT("\"\"", "");
	TV_BAD_DT("\"2016-09-19\"", "2016-09-19");
	TV_BAD_DT("1474282891", "1474282891");
	TV_BAD_DT("1.5", "1.5");
	TV_BAD_DT("true", "true");
	TV_INVALID(a, "[\"2016-09-19T11:01:31Z\"]");
	CHECK(tv_run(&a, "null") == NULL);
	/* the value quoted in the detail is cut to 100 bytes, not inside a character */
	char js[256], want[256];
	memset(js, 0, sizeof(js));
	js[0] = '"';
	memset(js + 1, 'x', 99);
	strcpy(js + 100, "\\u00e9tail\"");
	snprintf(want, sizeof(want), "!form constraint|The \"%.99s\" is not valid datetime.", js + 1);
	CHECK_STR(tv_run(&a, js), want);
	memset(js + 1, 'y', 150);
	strcpy(js + 151, "\"");
	snprintf(want, sizeof(want), "!form constraint|The \"%.100s\" is not valid datetime.",
		 js + 1);
	CHECK_STR(tv_run(&a, js), want);
#undef TV_BAD_DT
}

static void test_value_date(void)
{
	const struct attribute a = { .name = "birthday", .column = "birthday", .type = T_DATE };
#define TV_BAD_D(js, x) TV_ERR(a, js, "form constraint", "The \"" x "\" is not valid date.")
	TV_OK(a, "\"1980-04-01\"", "1980-04-01");
	TV_OK(a, "\"2000-02-29\"", "2000-02-29");
	TV_OK(a, "\"2024-02-29\"", "2024-02-29");
	TV_OK(a, "\"9999-12-31\"", "9999-12-31");
	TV_BAD_D("\"2023-02-29\"", "2023-02-29");
	TV_BAD_D("\"2100-02-29\"", "2100-02-29");
	TV_BAD_D("\"1980-13-01\"", "1980-13-01");
	TV_BAD_D("\"1980-06-31\"", "1980-06-31");
	TV_BAD_D("\"1980-04-00\"", "1980-04-00");
	TV_BAD_D("\"1980-4-1\"", "1980-4-1");
	TV_BAD_D("\"1980-04-01T00:00:00Z\"", "1980-04-01T00:00:00Z");
	TV_BAD_D("\"1980/04/01\"", "1980/04/01");
	TV_BAD_D("\"0000-01-01\"", "0000-01-01");
	TV_BAD_D("\"\"", "");
	TV_BAD_D("19800401", "19800401");
	TV_INVALID(a, "{}");
	CHECK(tv_run(&a, "null") == NULL);
#undef TV_BAD_D
}

static void test_value_other(void)
{
	const struct attribute dec = { .name = "progress", .column = "progress", .type = T_DECIMAL };
	const struct attribute js = { .name = "data", .column = "data", .type = T_JSON };
	TV_INVALID(dec, "0.5");
	TV_INVALID(dec, "\"0.5\"");
	TV_INVALID(js, "{\"a\": 1}");
	TV_INVALID(js, "\"{}\"");
	CHECK(tv_run(&dec, "null") == NULL);
}

static void test_value(void)
{
	tv_arena = arena_new();
	test_value_int();
	test_value_bool();
	test_value_string();
	test_value_utf8();
	test_value_email();
	test_value_enum();
	test_value_money();
	test_value_datetime();
	test_value_date();
	test_value_other();
	arena_destroy(tv_arena);
}
