/* num.c: see num.h. The value is accumulated negatively, so INT64_MIN
 * fits and an overflow is seen before it happens. */
#include "first.h"
#include "num.h"

int num_parse_i64(const char *s, size_t len, int64_t min, int64_t max, int64_t *out)
{
	size_t i = 0;
	int neg = 0;
	int64_t acc = 0; /* minus the value read so far */
	if (i < len && s[i] == '-')
		neg = 1, i++;
	if (i == len)
		return -1;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		int d = s[i] - '0';
		if (acc < INT64_MIN / 10 || (acc == INT64_MIN / 10 && d > -(INT64_MIN % 10)))
			return -1;
		acc = acc * 10 - d;
	}
	if (!neg) {
		if (acc == INT64_MIN)
			return -1;
		acc = -acc;
	}
	if (acc < min || acc > max)
		return -1;
	*out = acc;
	return 0;
}

size_t num_format_u64(uint64_t v, size_t width, char *out)
{
	/* Digits from the end, then the padding, then reversed into out. */
	char tmp[20];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	size_t len = 0;
	while (len + n < width)
		out[len++] = '0';
	while (n)
		out[len++] = tmp[--n];
	return len;
}

size_t num_format_i64(int64_t v, char out[NUM_I64_TEXT])
{
	/* The magnitude as unsigned, so INT64_MIN fits. */
	size_t len = 0;
	if (v < 0)
		out[len++] = '-';
	len += num_format_u64(v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, 1, out + len);
	out[len] = '\0';
	return len;
}
