/* The calendar of date.c: leap years, month lengths, days from 1970 and
 * back, and the digit reader the date parsers share. */

static void test_date_leap(void)
{
	CHECK(!date_is_leap(1900)); /* every 100th is not... */
	CHECK(date_is_leap(2000));  /* ...but every 400th is */
	CHECK(date_is_leap(2024));
	CHECK(!date_is_leap(2023));
	CHECK(!date_is_leap(2100));
	CHECK(date_days_in_month(1900, 2) == 28);
	CHECK(date_days_in_month(2000, 2) == 29);
	CHECK(date_days_in_month(2024, 2) == 29);
	CHECK(date_days_in_month(2023, 2) == 28);
	CHECK(date_days_in_month(2023, 4) == 30);
	CHECK(date_days_in_month(2023, 12) == 31);
	CHECK(!date_valid(1900, 2, 29));
	CHECK(date_valid(2000, 2, 29));
	CHECK(date_valid(2024, 2, 29));
	CHECK(!date_valid(2024, 2, 30));
	CHECK(!date_valid(2024, 13, 1)); /* month 13 */
	CHECK(!date_valid(2024, 0, 1));  /* month 0 */
	CHECK(!date_valid(2024, 1, 0));  /* day 0 */
	CHECK(!date_valid(2024, 4, 31));
	CHECK(date_valid(2024, 12, 31));
}

static void test_date_days(void)
{
	/* date_days_from_civil and date_civil_from_days agree on every day of 1000..9999 */
	long long y;
	int m, d;
	CHECK(date_days_from_civil(1970, 1, 1) == 0);
	CHECK(date_days_from_civil(2000, 3, 1) == 11017);
	CHECK(date_days_from_civil(1969, 12, 31) == -1);
	CHECK(date_days_from_civil(2024, 3, 1) - date_days_from_civil(2024, 2, 28) == 2);
	CHECK(date_days_from_civil(1900, 3, 1) - date_days_from_civil(1900, 2, 28) == 1);
	long long first = date_days_from_civil(1000, 1, 1),
		  last = date_days_from_civil(9999, 12, 31);
	int bad = 0;
	for (long long z = first; z <= last; z++) {
		date_civil_from_days(z, &y, &m, &d);
		if (date_days_from_civil(y, m, d) != z || !date_valid(y, m, d))
			bad++;
	}
	CHECK(bad == 0);
	date_civil_from_days(last, &y, &m, &d);
	CHECK(y == 9999 && m == 12 && d == 31);
	date_civil_from_days(-1, &y, &m, &d);
	CHECK(y == 1969 && m == 12 && d == 31);
}

static void test_date_digits(void)
{
	const char *s = "2024-02", *p = s;
	CHECK(date_digits(&p, s + 7, 4) == 2024 && p == s + 4);
	p = s + 5;
	CHECK(date_digits(&p, s + 7, 2) == 2);
	p = s + 5;
	CHECK(date_digits(&p, s + 7, 3) == -1); /* runs past the end */
	p = s;
	CHECK(date_digits(&p, s + 7, 5) == -1); /* '-' is not a digit */
	const char *z = "0009";
	p = z;
	CHECK(date_digits(&p, z + 4, 4) == 9);
}

static void test_date(void)
{
	test_date_leap();
	test_date_days();
	test_date_digits();
}
