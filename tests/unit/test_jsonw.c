/* Plain text is scanned 8 bytes at a time: one special byte (or a
 * multibyte character) at every position of a 40-byte string, and a run
 * of such bytes straddling the words, come out as the byte loop writes
 * them. */
static void jsonw_escape_positions(struct buf *b)
{
	static const struct {
		const char *in, *out;
	} specials[] = {
		{ "\"", "\\\"" }, { "\\", "\\\\" }, { "\n", "\\n" }, { "\x01", "\\u0001" },
		{ "\x1f", "\\u001f" }, { "\x7f", "\x7f" }, { " ", " " }, { "\xc3\xa9", "\xc3\xa9" },
		{ "\xff", "\\ufffd" }, { "!", "!" }, { "#", "#" }, { "[", "[" }, { "]", "]" },
	};
	for (size_t k = 0; k < ARRAY_LEN(specials); k++)
		for (size_t at = 0; at < 40; at++) {
			char in[64], want[96];
			memset(in, 'a', at);
			strcpy(in + at, specials[k].in);
			memset(want, 'a', at);
			strcpy(want + at, specials[k].out);
			size_t tail = 40 - at;
			memset(in + strlen(in), 'z', tail);
			in[at + strlen(specials[k].in) + tail] = '\0';
			memset(want + strlen(want), 'z', tail);
			want[at + strlen(specials[k].out) + tail] = '\0';
			buf_clear(b);
			jw_escape(b, in, strlen(in));
			CHECK_STR(b->data, want);
		}
	buf_clear(b);
	jw_escape(b, "abcdef\"\"\n\n\\\\ghijklmnop", 22);
	CHECK_STR(b->data, "abcdef\\\"\\\"\\n\\n\\\\\\\\ghijklmnop");
}

/* jw_plain_len stops at the first byte jw_escape must look at, at every
 * position of a 40-byte string (the 8-byte scan and the byte loop). */
static void jsonw_plain_len(void)
{
	static const char stops[] = "\"\\\n\x01\x1f\x80\xc3\xff", passes[] = " ~\x7f!#";
	char s[41];
	for (size_t at = 0; at < 40; at++) {
		for (const char *c = stops; *c; c++) {
			memset(s, 'a', 40);
			s[at] = *c;
			CHECK(jw_plain_len(s, 40) == at);
		}
		for (const char *c = passes; *c; c++) {
			memset(s, 'a', 40);
			s[at] = *c;
			CHECK(jw_plain_len(s, 40) == 40);
		}
	}
	CHECK(jw_plain_len("", 0) == 0);
}

/* JSON writer: commas, nesting, escaping, invalid UTF-8 replaced. */
static void test_jsonw(void)
{
	struct buf b;
	buf_init(&b, 1 << 20);
	struct jsonw w;
	jw_init(&w, &b);
	jw_obj_begin(&w);
	jw_key(&w, "a");
	jw_arr_begin(&w);
	jw_int(&w, 1);
	jw_null(&w);
	jw_bool(&w, 1);
	jw_str(&w, "x\"y\\z\n\x01");
	jw_arr_end(&w);
	jw_key(&w, "b");
	jw_obj_begin(&w);
	jw_obj_end(&w);
	jw_obj_end(&w);
	CHECK_STR(b.data, "{\"a\":[1,null,true,\"x\\\"y\\\\z\\n\\u0001\"],\"b\":{}}");

	buf_clear(&b);
	jw_init(&w, &b);
	/* Valid multibyte UTF-8 passes; stray bytes, overlongs and surrogates
	 * become U+FFFD. */
	jw_str(&w, "\xc3\xa9\xff\xc0\xaf\xed\xa0\x80\xf0\x9f\x98\x80");
	CHECK_STR(b.data, "\"\xc3\xa9\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\xf0\x9f\x98\x80\"");

	buf_clear(&b);
	jw_init(&w, &b);
	jw_strn(&w, "a\0b", 3);
	CHECK_STR(b.data, "\"a\\u0000b\"");
	jsonw_escape_positions(&b);
	jsonw_plain_len();
	buf_free(&b);
}
