/* value.c: see value.h. One JSON input value is checked against its
 * attribute's type (section 5.4) and rewritten as the text MariaDB gets as a
 * bound parameter: decimal integers, "1"/"0", money with 4 decimals,
 * "YYYY-MM-DD HH:MM:SS" in UTC. Dates are computed with date.c's
 * days-from-civil arithmetic (no timegm, no TZ), integers by num.c, money
 * with decimal string arithmetic. */
#include "first.h"
#include "value.h"
#include "date.h"
#include "maxima.h"
#include "num.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define VAL_NOT_VALID "This value is not valid."
#define VAL_MONEY_INT_DIGITS 15 /* DECIMAL(19,4) */

static int val_fail(struct value_error *e, enum err_kind kind, const char *detail)
{
	e->kind = kind;
	e->detail = detail;
	return -1;
}

/* Hands s (arena memory, NUL-terminated) to the caller. */
static int val_done(const char *s, const char **out, size_t *out_len)
{
	*out = s;
	*out_len = strlen(s);
	return 0;
}

static int val_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Code points in s[0, n), or -1 if it is not valid UTF-8 (overlong forms,
 * surrogates and values past U+10FFFF are invalid). */
static long val_utf8_count(const unsigned char *s, size_t n)
{
	long count = 0;
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t k;
		unsigned cp, min;
		if (c < 0x80) {
			i++;
			count++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			k = 1, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			k = 2, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			k = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return -1;
		}
		if (n - i <= k)
			return -1;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return -1;
			cp = (cp << 6) | (s[i + j] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return -1;
		i += k + 1;
		count++;
	}
	return count;
}

/* The shortest "%.Ng" text that reads back as d: what the client most
 * likely wrote (jansson keeps only the double). */
static void val_real_text(double d, char *buf, size_t size)
{
	for (int p = 15; p <= 17; p++) {
		snprintf(buf, size, "%.*g", p, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

/* The value as the client sent it, for details that quote it: strings as
 * is, cut to MAX_DETAIL_VALUE bytes on a character boundary. */
static const char *val_quoted_value(struct arena *ar, const json_t *v)
{
	char buf[64];
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		size_t n = strlen(s);
		if (n > MAX_DETAIL_VALUE) {
			n = MAX_DETAIL_VALUE;
			while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
				n--;
		}
		return arena_strndup(ar, s, n);
	}
	if (json_is_integer(v))
		return arena_printf(ar, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	if (json_is_real(v)) {
		val_real_text(json_real_value(v), buf, sizeof(buf));
		return arena_strdup(ar, buf);
	}
	return json_is_true(v) ? "true" : "false";
}

/* --- integers --- */

/* Integer attributes are INT columns (32 bits), INT UNSIGNED with A_UNSIGNED. */
static int val_parse_int(struct arena *ar, const struct attribute *a, const json_t *v,
			 const char **out, size_t *out_len, struct value_error *e)
{
	int64_t n;
	if (json_is_integer(v))
		n = json_integer_value(v);
	else if (!json_is_string(v) || num_parse_i64(json_string_value(v), json_string_length(v),
						    INT64_MIN, INT64_MAX, &n) != 0)
		return val_fail(e, ERR_FORM, "Please enter an integer.");
	if ((a->flags & A_UNSIGNED) && n < 0)
		return val_fail(e, ERR_RANGE, "This value should be greater than or equal to 0.");
	long long lo = (a->flags & A_UNSIGNED) ? 0 : -2147483648LL;
	long long hi = (a->flags & A_UNSIGNED) ? 4294967295LL : 2147483647LL;
	if (n < lo || n > hi)
		return val_fail(e, ERR_RANGE,
				(a->flags & A_UNSIGNED) ? "This value should be between 0 and 4294967295."
							: "This value should be between -2147483648 and"
							  " 2147483647.");
	return val_done(arena_printf(ar, "%lld", (long long)n), out, out_len);
}

/* --- booleans --- */

static int val_parse_bool(const json_t *v, const char **out, size_t *out_len, struct value_error *e)
{
	static const char *const yes[] = { "1", "true", "yes" }, *const no[] = { "0", "false", "no" };
	int b = -1;
	if (json_is_boolean(v)) {
		b = json_is_true(v);
	} else if (json_is_integer(v)) {
		json_int_t i = json_integer_value(v);
		b = i == 1 ? 1 : i == 0 ? 0 : -1;
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		size_t n = json_string_length(v);
		for (size_t i = 0; i < ARRAY_LEN(yes); i++) {
			if (n == strlen(yes[i]) && strncasecmp(s, yes[i], n) == 0)
				b = 1;
			if (n == strlen(no[i]) && strncasecmp(s, no[i], n) == 0)
				b = 0;
		}
	}
	if (b < 0)
		return val_fail(e, ERR_FORM, VAL_NOT_VALID);
	*out = b ? "1" : "0";
	*out_len = 1;
	return 0;
}

/* --- strings and enums --- */

int value_email_ok(const char *s, size_t len)
{
	static const char local_extra[] = ".!#$%&'*+/=?^_`{|}~-";
	size_t i = 0, labels = 0;
	for (; i < len && s[i] != '@'; i++) {
		char c = s[i];
		int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || val_is_digit(c);
		if (!alnum && (c == '\0' || !strchr(local_extra, c)))
			return 0;
	}
	if (i == 0 || i == len)
		return 0;
	i++; /* '@' */
	/* Domain: labels of letters, val_digits and '-' (not at either end), 1-63
	 * characters each, at least two of them. */
	for (;;) {
		size_t start = i;
		while (i < len && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
				   val_is_digit(s[i]) || s[i] == '-'))
			i++;
		if (i == start || i - start > 63 || s[start] == '-' || s[i - 1] == '-')
			return 0;
		labels++;
		if (i == len)
			break;
		if (s[i] != '.')
			return 0;
		i++;
	}
	return labels >= 2;
}

static int val_parse_string(struct arena *ar, const struct attribute *a, const json_t *v,
			const char **out, size_t *out_len, struct value_error *e)
{
	if (!json_is_string(v))
		return val_fail(e, ERR_FORM, VAL_NOT_VALID);
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	long chars = val_utf8_count((const unsigned char *)s, n);
	if (chars < 0 || memchr(s, '\0', n))
		return val_fail(e, ERR_FORM, VAL_NOT_VALID);
	if (a->max_len && (unsigned long)chars > a->max_len) {
		const char *d = arena_printf(ar,
					     "This value is too long. It should have %u character%s or less.",
					     a->max_len, a->max_len == 1 ? "" : "s");
		return val_fail(e, ERR_LENGTH, d);
	}
	/* A TEXT column holds max_len bytes, not characters: multibyte text
	 * within the character count may still not fit (the database would
	 * refuse it with a 500). */
	if (a->type == T_TEXT && a->max_len && n > a->max_len) {
		const char *d = arena_printf(ar,
					     "This value is too long. It should have %u bytes or less.",
					     a->max_len);
		return val_fail(e, ERR_LENGTH, d);
	}
	if (a->min_len && (unsigned long)chars < a->min_len) {
		const char *d = arena_printf(ar,
					     "This value is too short. It should have %u character%s or more.",
					     a->min_len, a->min_len == 1 ? "" : "s");
		return val_fail(e, ERR_LENGTH, d);
	}
	if ((a->flags & A_EMAIL) && n && !value_email_ok(s, n))
		return val_fail(e, ERR_EMAIL, "This value is not a valid email address.");
	*out = arena_strndup(ar, s, n);
	*out_len = n;
	return 0;
}

static int val_parse_enum(const struct attribute *a, const json_t *v, const char **out,
		      size_t *out_len, struct value_error *e)
{
	if (json_is_string(v) && a->values) {
		const char *s = json_string_value(v);
		size_t n = json_string_length(v);
		for (const char *const *p = a->values; *p; p++) {
			if (strlen(*p) == n && memcmp(*p, s, n) == 0) {
				*out = *p; /* static descriptor text */
				*out_len = n;
				return 0;
			}
		}
	}
	return val_fail(e, ERR_FORM, "The value you selected is not a valid choice.");
}

/* --- money --- */

/* Canonical DECIMAL(19,4) text of the number s[0, n): optional sign, val_digits,
 * optional '.' and val_digits (at least one digit in all), and with exp an
 * optional exponent (only for the text of JSON reals). Rounds half away from
 * zero to 4 decimals on the decimal val_digits. Returns 0, -1 if invalid or too
 * big. */
static int val_money_text(struct arena *ar, const char *s, size_t n, int exp, const char **out)
{
	size_t i = 0, nd = 0, nint = 0;
	int neg = 0;
	char *dig = arena_alloc(ar, n + 1);
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	for (; i < n && val_is_digit(s[i]); i++)
		dig[nd++] = s[i], nint++;
	if (i < n && s[i] == '.')
		for (i++; i < n && val_is_digit(s[i]); i++)
			dig[nd++] = s[i];
	if (nd == 0)
		return -1;
	long point = (long)nint; /* val_digits of dig before the decimal point */
	if (exp && i < n && (s[i] == 'e' || s[i] == 'E')) {
		int eneg = 0;
		long ev = 0;
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		if (i == n || !val_is_digit(s[i]))
			return -1;
		for (; i < n && val_is_digit(s[i]); i++)
			if (ev < 100000) /* far beyond any meaningful exponent */
				ev = ev * 10 + (s[i] - '0');
		point += eneg ? -ev : ev;
	}
	if (i != n)
		return -1;
	/* Leading zeros say nothing: afterwards dig[0] is the first significant
	 * digit (or there is none) and point the count of integer val_digits. */
	const char *d = dig;
	while (nd > 0 && *d == '0')
		d++, nd--, point--;
	if (nd == 0)
		point = 0;
	if (point > VAL_MONEY_INT_DIGITS)
		return -1;
	/* m: the integer val_digits then 4 decimals, one spare slot for a carry. */
	int m[1 + VAL_MONEY_INT_DIGITS + 4];
	size_t ni = point > 0 ? (size_t)point : 0, len = ni + 4;
	for (size_t k = 0; k < len; k++) {
		long idx = point - (long)ni + (long)k; /* index in d */
		m[1 + k] = idx >= 0 && idx < (long)nd ? d[idx] - '0' : 0;
	}
	m[0] = 0;
	long idx5 = point + 4; /* the fifth decimal decides the rounding */
	if (idx5 >= 0 && idx5 < (long)nd && d[idx5] >= '5') {
		size_t k = len;
		while (m[k] == 9)
			m[k--] = 0;
		m[k]++;
	}
	size_t first = m[0] ? 0 : 1;
	if (m[0])
		ni++;
	if (ni > VAL_MONEY_INT_DIGITS)
		return -1;
	int zero = 1;
	for (size_t k = first; k < first + ni + 4; k++)
		if (m[k])
			zero = 0;
	char buf[2 + VAL_MONEY_INT_DIGITS + 1 + 4 + 1], *p = buf;
	if (neg && !zero)
		*p++ = '-';
	if (ni == 0)
		*p++ = '0';
	for (size_t k = 0; k < ni; k++)
		*p++ = (char)('0' + m[first + k]);
	*p++ = '.';
	for (size_t k = 0; k < 4; k++)
		*p++ = (char)('0' + m[first + ni + k]);
	*p = '\0';
	*out = arena_strdup(ar, buf);
	return 0;
}

static int val_parse_money(struct arena *ar, const json_t *v, const char **out, size_t *out_len,
		       struct value_error *e)
{
	char buf[64];
	const char *s;
	size_t n;
	int exp = 0;
	if (json_is_string(v)) {
		s = json_string_value(v);
		n = json_string_length(v);
	} else if (json_is_integer(v)) {
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		s = buf, n = strlen(buf);
	} else if (json_is_real(v)) {
		/* jansson keeps a double: its shortest round-trip text is then
		 * rounded decimally, so 0.00005 gives 0.0001, not 0.0000. */
		val_real_text(json_real_value(v), buf, sizeof(buf));
		s = buf, n = strlen(buf), exp = 1;
	} else {
		return val_fail(e, ERR_FORM, VAL_NOT_VALID);
	}
	const char *res = NULL;
	int rc = val_money_text(ar, s, n, exp, &res);
	if (rc < 0)
		return val_fail(e, ERR_FORM, VAL_NOT_VALID);
	return val_done(res, out, out_len);
}

/* --- dates and datetimes --- */

/* k digits at s[*i] (within n) as a number, advancing *i; -1 if absent. */
static long val_digits(const char *s, size_t n, size_t *i, size_t k)
{
	const char *p = s + *i;
	int v = date_digits(&p, s + n, (int)k);
	if (v >= 0)
		*i = (size_t)(p - s);
	return v;
}

static int val_expect(const char *s, size_t n, size_t *i, char c)
{
	if (*i < n && s[*i] == c) {
		(*i)++;
		return 1;
	}
	return 0;
}

/* "YYYY-MM-DD" at s[*i], a valid date of years 1000..9999. */
static int val_date_part(const char *s, size_t n, size_t *i, long long *y, int *m, int *d)
{
	long yy = val_digits(s, n, i, 4);
	if (yy < 0 || !val_expect(s, n, i, '-'))
		return -1;
	long mm = val_digits(s, n, i, 2);
	if (mm < 0 || !val_expect(s, n, i, '-'))
		return -1;
	long dd = val_digits(s, n, i, 2);
	if (dd < 0 || yy < 1000 || !date_valid(yy, (int)mm, (int)dd))
		return -1;
	*y = yy, *m = (int)mm, *d = (int)dd;
	return 0;
}

/* ISO 8601 with a zone to MariaDB's UTC "YYYY-MM-DD HH:MM:SS" in buf. */
static int val_datetime_text(const char *s, size_t n, char *buf, size_t size)
{
	size_t i = 0;
	long long y;
	int mo, d;
	if (val_date_part(s, n, &i, &y, &mo, &d) != 0)
		return -1;
	if (!val_expect(s, n, &i, 'T') && !val_expect(s, n, &i, 't'))
		return -1;
	long h = val_digits(s, n, &i, 2);
	if (h < 0 || !val_expect(s, n, &i, ':'))
		return -1;
	long mi = val_digits(s, n, &i, 2);
	if (mi < 0 || !val_expect(s, n, &i, ':'))
		return -1;
	long sec = val_digits(s, n, &i, 2);
	if (sec < 0 || h > 23 || mi > 59 || sec > 59)
		return -1;
	if (val_expect(s, n, &i, '.')) { /* the fraction is dropped */
		size_t start = i;
		while (i < n && val_is_digit(s[i]))
			i++;
		if (i == start)
			return -1;
	}
	long off = 0; /* seconds east of UTC */
	if (!val_expect(s, n, &i, 'Z') && !val_expect(s, n, &i, 'z')) {
		int sign = val_expect(s, n, &i, '+') ? 1 : val_expect(s, n, &i, '-') ? -1 : 0;
		long oh = val_digits(s, n, &i, 2);
		if (!sign || oh < 0)
			return -1;
		val_expect(s, n, &i, ':');
		long om = val_digits(s, n, &i, 2);
		if (om < 0 || oh > 23 || om > 59)
			return -1;
		off = sign * (oh * 3600 + om * 60);
	}
	if (i != n)
		return -1;
	long long t = date_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
	long long days = t / 86400, rem = t % 86400;
	if (rem < 0)
		rem += 86400, days--;
	date_civil_from_days(days, &y, &mo, &d);
	if (y < 1000 || y > 9999)
		return -1;
	snprintf(buf, size, "%04lld-%02d-%02d %02lld:%02lld:%02lld", y, mo, d, rem / 3600,
		 rem / 60 % 60, rem % 60);
	return 0;
}

static int val_parse_datetime(struct arena *ar, const json_t *v, const char **out, size_t *out_len,
			  struct value_error *e, int date_only)
{
	char buf[32];
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		size_t n = json_string_length(v), i = 0;
		long long y;
		int m, d;
		if (date_only && val_date_part(s, n, &i, &y, &m, &d) == 0 && i == n)
			return val_done(arena_strndup(ar, s, n), out, out_len);
		if (!date_only && val_datetime_text(s, n, buf, sizeof(buf)) == 0)
			return val_done(arena_strdup(ar, buf), out, out_len);
	}
	const char *x = val_quoted_value(ar, v);
	return val_fail(e, ERR_FORM,
			arena_printf(ar, "The \"%s\" is not valid %s.", x, date_only ? "date" : "datetime"));
}

int value_parse(struct arena *ar, const struct attribute *a, const json_t *v, const char **out,
		size_t *out_len, struct value_error *e)
{
	if (json_is_null(v)) {
		*out = NULL;
		*out_len = 0;
		return 0;
	}
	if (json_is_object(v) || json_is_array(v))
		return val_fail(e, ERR_FORM, VAL_NOT_VALID);
	switch (a->type) {
	case T_INT:
		return val_parse_int(ar, a, v, out, out_len, e);
	case T_BOOL:
		return val_parse_bool(v, out, out_len, e);
	case T_STRING:
	case T_TEXT:
		return val_parse_string(ar, a, v, out, out_len, e);
	case T_ENUM:
		return val_parse_enum(a, v, out, out_len, e);
	case T_MONEY:
		return val_parse_money(ar, v, out, out_len, e);
	case T_DATETIME:
		return val_parse_datetime(ar, v, out, out_len, e, 0);
	case T_DATE:
		return val_parse_datetime(ar, v, out, out_len, e, 1);
	case T_DECIMAL: /* written by the server only */
	case T_JSON:
		break;
	}
	return val_fail(e, ERR_FORM, VAL_NOT_VALID);
}
