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
	buf_free(&b);
}
