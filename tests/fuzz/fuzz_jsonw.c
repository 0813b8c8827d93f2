/* fuzz_jsonw.c: the streaming JSON writer (src/doc/jsonw.c). The input is
 * written as one string (jw_strn, and jw_str up to its first NUL), and is
 * also read as a program of writer calls: chunks separated by 0xFE, the
 * first byte of each picking a call (string, open/close array or object,
 * integer, boolean, null), the rest its argument; inside objects each value
 * gets a key. The same program builds the expected tree with jansson.
 *
 * Oracle: what jsonw wrote parses with jansson (NUL allowed) to exactly
 * the expected tree, whose strings are the input bytes with each byte that
 * does not start a well-formed UTF-8 sequence (Unicode table 3-7, computed
 * here independently) replaced by U+FFFD; so valid UTF-8 round-trips
 * exactly. */
#include "fuzz.h"
#include "jsonw.h"

/* Length of the well-formed UTF-8 sequence at s (Unicode 3-7), or 0. */
static size_t well_formed(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t len;
	if (c <= 0x7F)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
	else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t k = 2; k < len; k++)
		if (s[k] < 0x80 || s[k] > 0xBF)
			return 0;
	return len;
}

/* s with every byte that starts no well-formed sequence as U+FFFD. */
static json_t *repaired(const unsigned char *s, size_t n)
{
	unsigned char *o = malloc(3 * n + 1);
	FUZZ_CHECK(o != NULL);
	size_t m = 0;
	for (size_t i = 0; i < n;) {
		size_t len = well_formed(s + i, n - i);
		if (len) {
			memcpy(o + m, s + i, len);
			m += len;
			i += len;
		} else {
			memcpy(o + m, "\xEF\xBF\xBD", 3);
			m += 3;
			i++;
		}
	}
	json_t *v = json_stringn_nocheck((const char *)o, m);
	free(o);
	FUZZ_CHECK(v != NULL);
	return v;
}

static void check_parses_to(const struct buf *b, json_t *want)
{
	FUZZ_CHECK(!buf_failed(b));
	json_error_t je;
	json_t *got = json_loadb(b->data, b->len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	if (!got)
		fprintf(stderr, "jsonw wrote invalid JSON (%s): %.*s\n", je.text,
			(int)(b->len > 2000 ? 2000 : b->len), b->data);
	FUZZ_CHECK(got != NULL);
	FUZZ_CHECK(json_equal(got, want));
	json_decref(got);
}

/* One string: the whole input, then the part before its first NUL. */
static void one_string(const uint8_t *data, size_t size)
{
	struct buf b;
	struct jsonw w;
	buf_init(&b, 1u << 24);
	jw_init(&w, &b);
	jw_strn(&w, (const char *)data, size);
	json_t *want = repaired(data, size);
	check_parses_to(&b, want);
	json_decref(want);

	char *s = malloc(size + 1);
	FUZZ_CHECK(s != NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	buf_clear(&b);
	jw_init(&w, &b);
	jw_arr_begin(&w);
	jw_str(&w, s);
	jw_str(&w, "");
	jw_arr_end(&w);
	want = json_array();
	json_array_append_new(want, repaired((const unsigned char *)s, strlen(s)));
	json_array_append_new(want, json_string(""));
	check_parses_to(&b, want);
	json_decref(want);
	free(s);
	buf_free(&b);
}

#define MAX_NEST 20

/* Appends v to the innermost container of the expected tree, under the key
 * that jw_key was given. */
static void add(json_t **stack, int depth, const char *key, json_t *v)
{
	if (json_is_object(stack[depth]))
		json_object_set_new_nocheck(stack[depth], key, v);
	else
		json_array_append_new(stack[depth], v);
}

static void program(const uint8_t *data, size_t size)
{
	struct buf b;
	struct jsonw w;
	buf_init(&b, 1u << 24);
	jw_init(&w, &b);
	json_t *stack[MAX_NEST + 1];
	unsigned long keys[MAX_NEST + 1];
	int depth = 0;
	stack[0] = json_array();
	keys[0] = 0;
	jw_arr_begin(&w);
	for (size_t i = 0; i < size;) {
		const uint8_t *end = memchr(data + i, 0xFE, size - i);
		size_t n = end ? (size_t)(end - (data + i)) : size - i;
		const uint8_t *arg = data + i + 1;
		size_t arg_len = n ? n - 1 : 0;
		uint8_t op = n ? data[i] : 0;
		i += n + 1;
		char key[32];
		snprintf(key, sizeof(key), "k%lu", keys[depth]++);
		int in_object = json_is_object(stack[depth]);
		if ((op & 7) == 3) { /* close the innermost container */
			if (depth == 0)
				continue;
			if (in_object)
				jw_obj_end(&w);
			else
				jw_arr_end(&w);
			depth--;
			continue;
		}
		if (((op & 7) == 1 || (op & 7) == 2) && depth == MAX_NEST)
			op = 0;
		if (in_object)
			jw_key(&w, key);
		switch (op & 7) {
		case 1:
		case 2: {
			json_t *c = (op & 7) == 1 ? json_array() : json_object();
			add(stack, depth, key, c);
			stack[++depth] = c;
			keys[depth] = 0;
			if ((op & 7) == 1)
				jw_arr_begin(&w);
			else
				jw_obj_begin(&w);
			break;
		}
		case 4: {
			long long v = 0;
			memcpy(&v, arg, arg_len < sizeof(v) ? arg_len : sizeof(v));
			jw_int(&w, v);
			add(stack, depth, key, json_integer(v));
			break;
		}
		case 5:
			jw_bool(&w, arg_len && (arg[0] & 1));
			add(stack, depth, key, json_boolean(arg_len && (arg[0] & 1)));
			break;
		case 6:
			jw_null(&w);
			add(stack, depth, key, json_null());
			break;
		default:
			jw_strn(&w, (const char *)arg, arg_len);
			add(stack, depth, key, repaired(arg, arg_len));
			break;
		}
	}
	for (; depth > 0; depth--) {
		if (json_is_object(stack[depth]))
			jw_obj_end(&w);
		else
			jw_arr_end(&w);
	}
	jw_arr_end(&w);
	check_parses_to(&b, stack[0]);
	json_decref(stack[0]);
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one_string(data, size);
	program(data, size);
	return 0;
}
