/* dbtime.c: see dbtime.h. The layout follows Connector/C's ps_fetch_datetime
 * (its string case): zero-padded fields, %04u years, the fraction only for
 * TIME and DATETIME/TIMESTAMP with decimals, as six digits cut to
 * `decimals` (all six when decimals is above 6, e.g. an expression's).
 * The fields' sizes in the binary protocol (a byte for minutes, two for
 * the year, ...) keep every text well inside DBTIME_TEXT. */
#include "first.h"
#include "dbtime.h"
#include "num.h"

int dbtime_is_temporal(enum enum_field_types type)
{
	return type == MYSQL_TYPE_DATE || type == MYSQL_TYPE_TIME || type == MYSQL_TYPE_DATETIME ||
	       type == MYSQL_TYPE_TIMESTAMP;
}

/* v in decimal with at least `width` digits (zero-padded, like %0Nu). */
static size_t put_num(char *o, unsigned long v, size_t width)
{
	if (width == 2 && v < 100) { /* months to seconds: the common case */
		o[0] = (char)('0' + v / 10);
		o[1] = (char)('0' + v % 10);
		return 2;
	}
	return num_format_u64(v, width, o);
}

static size_t put_clock(char *o, const MYSQL_TIME *t)
{
	size_t n = put_num(o, t->hour, 2);
	o[n++] = ':';
	n += put_num(o + n, t->minute, 2);
	o[n++] = ':';
	n += put_num(o + n, t->second, 2);
	return n;
}

size_t dbtime_text(const MYSQL_TIME *t, enum enum_field_types type, unsigned decimals,
		   char out[DBTIME_TEXT])
{
	size_t n = 0;
	if (type == MYSQL_TYPE_TIME) {
		if (t->neg)
			out[n++] = '-';
		n += put_clock(out + n, t);
	} else {
		n += put_num(out + n, t->year, 4);
		out[n++] = '-';
		n += put_num(out + n, t->month, 2);
		out[n++] = '-';
		n += put_num(out + n, t->day, 2);
		if (type != MYSQL_TYPE_DATE) {
			out[n++] = ' ';
			n += put_clock(out + n, t);
		}
	}
	if (type != MYSQL_TYPE_DATE && decimals) {
		/* The server sends second_part < 10^6: six digits. */
		char frac[24];
		put_num(frac, t->second_part % 1000000, 6);
		size_t keep = decimals < 6 ? decimals : 6;
		out[n++] = '.';
		for (size_t i = 0; i < keep; i++)
			out[n++] = frac[i];
	}
	out[n] = '\0';
	return n;
}
