/* fuzz_value.c: typed input values of section 5.4 (src/write/value.c) for every
 * attribute of every resource in the registry, plus an unsigned integer, a
 * string with a shortest length and the server-only types. Input: byte 0
 * picks the attribute; the rest is a JSON value (any kind), or, when it is
 * not JSON, a string of those bytes (unchecked UTF-8).
 *
 * Oracles, for each accepted value: integers are decimal within the
 * column's range and equal to the input; booleans "0"/"1"; strings the
 * input itself, valid UTF-8, within the length limits (and e-mail addresses
 * for A_EMAIL); enums one of the listed values; money 4 decimals within
 * DECIMAL(19,4), within half a unit of the fourth decimal of the input,
 * and read back the same; dates the input; datetimes "YYYY-MM-DD HH:MM:SS"
 * that read back the same when written as ISO 8601 UTC, and the same
 * instant as wsse_parse_created gives for the input where both accept it.
 * A refused value has a title and a detail. */
#define _DEFAULT_SOURCE /* timegm */
#include "fuzz.h"
#include "resource.h"
#include "value.h"
#include "wsse.h"

#include <math.h>
#include <time.h>

static const char *const colours[] = { "red", "green", NULL };
static const struct attribute extra_attrs[] = {
	{ "count", "count", T_INT, A_UNSIGNED, 0, NULL },
	{ "code", "code", T_STRING, 0, 4, NULL, 2 },
	{ "colour", "colour", T_ENUM, 0, 0, colours },
	{ "progress", "progress", T_DECIMAL, A_RO, 0, NULL },
	{ "payload", "payload", T_JSON, 0, 0, NULL },
	{ "note", "note", T_TEXT, 0, 5, NULL },
};

static const struct attribute *attrs[512];
static size_t n_attrs;

static void collect(void)
{
	size_t n;
	const struct resource *const *all = resources_all(&n);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < all[i]->n_attrs && n_attrs < ARRAY_LEN(attrs); k++)
			attrs[n_attrs++] = &all[i]->attrs[k];
	for (size_t k = 0; k < ARRAY_LEN(extra_attrs) && n_attrs < ARRAY_LEN(attrs); k++)
		attrs[n_attrs++] = &extra_attrs[k];
}

/* Code points of valid UTF-8 (Unicode 3-7's well-formed sequences), or -1. */
static long utf8_chars(const unsigned char *s, size_t n)
{
	long count = 0;
	for (size_t i = 0; i < n; count++) {
		unsigned char c = s[i];
		size_t len;
		unsigned char lo = 0x80, hi = 0xBF;
		if (c <= 0x7F)
			len = 1;
		else if (c >= 0xC2 && c <= 0xDF)
			len = 2;
		else if (c >= 0xE0 && c <= 0xEF)
			len = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
		else if (c >= 0xF0 && c <= 0xF4)
			len = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
		else
			return -1;
		if (n - i < len)
			return -1;
		for (size_t k = 1; k < len; k++) {
			unsigned char b = s[i + k];
			if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF))
				return -1;
		}
		i += len;
	}
	return count;
}

static int is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

/* "YYYY-MM-DD HH:MM:SS" (at) to seconds with timegm; -1 if not that shape. */
static int datetime_seconds(const char *s, long long *out)
{
	if (strlen(s) != 19 || !is_digits(s, 4) || s[4] != '-' || !is_digits(s + 5, 2) ||
	    s[7] != '-' || !is_digits(s + 8, 2) || s[10] != ' ' || !is_digits(s + 11, 2) ||
	    s[13] != ':' || !is_digits(s + 14, 2) || s[16] != ':' || !is_digits(s + 17, 2))
		return -1;
	struct tm tm = { 0 };
	tm.tm_year = atoi(s) - 1900;
	tm.tm_mon = atoi(s + 5) - 1;
	tm.tm_mday = atoi(s + 8);
	tm.tm_hour = atoi(s + 11);
	tm.tm_min = atoi(s + 14);
	tm.tm_sec = atoi(s + 17);
	int mon = tm.tm_mon, mday = tm.tm_mday, hour = tm.tm_hour, min = tm.tm_min, sec = tm.tm_sec;
	*out = (long long)timegm(&tm);
	/* A real calendar moment: nothing normalised away. */
	return tm.tm_mon == mon && tm.tm_mday == mday && tm.tm_hour == hour && tm.tm_min == min &&
			       tm.tm_sec == sec
		       ? 0
		       : -1;
}

/* Parses the canonical text t back as a string input of a. */
static const char *reparse(struct arena *ar, const struct attribute *a, const char *t)
{
	json_t *v = json_string(t);
	FUZZ_CHECK(v != NULL);
	const char *out = NULL;
	size_t len;
	struct value_error e;
	int rc = value_parse(ar, a, v, &out, &len, &e);
	json_decref(v);
	if (rc != 0)
		fprintf(stderr, "canonical \"%s\" refused: %s\n", t, e.detail ? e.detail : "");
	FUZZ_CHECK(rc == 0 && out != NULL);
	return out;
}

static void check_accepted(struct arena *ar, const struct attribute *a, const json_t *v,
			   const char *out, size_t len)
{
	if (json_is_null(v)) {
		FUZZ_CHECK(out == NULL);
		return;
	}
	FUZZ_CHECK(out != NULL && strlen(out) == len);
	const char *in = json_is_string(v) ? json_string_value(v) : NULL;
	size_t in_len = in ? json_string_length(v) : 0;
	switch (a->type) {
	case T_INT: {
		FUZZ_CHECK(is_digits(out[0] == '-' ? out + 1 : out, len - (out[0] == '-')));
		long long x = strtoll(out, NULL, 10);
		long long lo = (a->flags & A_UNSIGNED) ? 0 : -2147483648LL;
		long long hi = (a->flags & A_UNSIGNED) ? 4294967295LL : 2147483647LL;
		FUZZ_CHECK(x >= lo && x <= hi);
		if (json_is_integer(v))
			FUZZ_CHECK(x == json_integer_value(v));
		else
			FUZZ_CHECK(in && x == strtoll(in, NULL, 10));
		break;
	}
	case T_BOOL:
		FUZZ_CHECK(strcmp(out, "0") == 0 || strcmp(out, "1") == 0);
		break;
	case T_STRING:
	case T_TEXT: {
		FUZZ_CHECK(in && len == in_len && memcmp(out, in, len) == 0);
		long chars = utf8_chars((const unsigned char *)out, len);
		FUZZ_CHECK(chars >= 0 && !memchr(out, '\0', len));
		FUZZ_CHECK(!a->max_len || (unsigned long)chars <= a->max_len);
		FUZZ_CHECK(a->type != T_TEXT || !a->max_len || len <= a->max_len);
		FUZZ_CHECK(!a->min_len || (unsigned long)chars >= a->min_len);
		FUZZ_CHECK(!(a->flags & A_EMAIL) || !len || value_email_ok(out, len));
		break;
	}
	case T_ENUM: {
		int listed = 0;
		for (const char *const *p = a->values; p && *p; p++)
			listed |= strcmp(*p, out) == 0;
		FUZZ_CHECK(listed && in && strcmp(in, out) == 0);
		break;
	}
	case T_MONEY: {
		const char *p = out + (out[0] == '-');
		const char *dot = strchr(p, '.');
		FUZZ_CHECK(dot && dot > p && dot - p <= 15 && is_digits(p, (size_t)(dot - p)) &&
			   strlen(dot + 1) == 4 && is_digits(dot + 1, 4));
		FUZZ_CHECK(strcmp(out, "-0.0000") != 0);
		double x = strtod(out, NULL);
		double want = json_is_integer(v) ? (double)json_integer_value(v)
			      : json_is_real(v)  ? json_real_value(v)
						 : strtod(in, NULL);
		FUZZ_CHECK(fabs(x - want) <= 0.0000501 + fabs(want) * 1e-12);
		FUZZ_CHECK(strcmp(reparse(ar, a, out), out) == 0);
		break;
	}
	case T_DATE:
		FUZZ_CHECK(in && strcmp(in, out) == 0 && len == 10);
		break;
	case T_DATETIME: {
		long long t;
		FUZZ_CHECK(datetime_seconds(out, &t) == 0);
		char iso[32];
		snprintf(iso, sizeof(iso), "%.10sT%sZ", out, out + 11);
		FUZZ_CHECK(strcmp(reparse(ar, a, iso), out) == 0);
		long long w;
		if (in && strlen(in) == in_len && wsse_parse_created(in, &w) == 0) {
			if (w != t)
				fprintf(stderr, "\"%s\": value.c %lld, wsse.c %lld\n", in, t, w);
			FUZZ_CHECK(w == t);
		}
		break;
	}
	case T_DECIMAL:
	case T_JSON:
		FUZZ_CHECK(!"server-only types are never input");
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!n_attrs)
		collect();
	if (size < 1)
		return 0;
	const struct attribute *a = attrs[data[0] % n_attrs];
	json_error_t je;
	json_t *v = json_loadb((const char *)data + 1, size - 1,
			       JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	if (!v)
		v = json_stringn_nocheck((const char *)data + 1, size - 1);
	if (!v)
		return 0;
	struct arena *ar = fuzz_arena();
	const char *out = (const char *)1;
	size_t len = 0;
	struct value_error e = { ERR_KIND_COUNT, NULL };
	if (value_parse(ar, a, v, &out, &len, &e) == 0)
		check_accepted(ar, a, v, out, len);
	else
		FUZZ_CHECK(e.kind < ERR_KIND_COUNT && e.detail);
	if (json_is_string(v))
		(void)value_email_ok(json_string_value(v), json_string_length(v));
	json_decref(v);
	return 0;
}
