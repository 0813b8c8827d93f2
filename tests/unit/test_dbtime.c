/* dbtime: date and time columns as text, the same bytes as Connector/C's
 * own conversion (its sprintf formats, rebuilt here) for every type,
 * edge values and every number of fractional digits. */
static void dbtime_expect(const MYSQL_TIME *t, enum enum_field_types type, unsigned decimals)
{
	char want[64];
	int n;
	if (type == MYSQL_TYPE_DATE)
		n = snprintf(want, sizeof(want), "%04u-%02u-%02u", t->year, t->month, t->day);
	else if (type == MYSQL_TYPE_TIME)
		n = snprintf(want, sizeof(want), "%s%02u:%02u:%02u", t->neg ? "-" : "", t->hour,
			     t->minute, t->second);
	else
		n = snprintf(want, sizeof(want), "%04u-%02u-%02u %02u:%02u:%02u", t->year, t->month,
			     t->day, t->hour, t->minute, t->second);
	if (type != MYSQL_TYPE_DATE && decimals) {
		char ms[16];
		snprintf(ms, sizeof(ms), ".%06lu", t->second_part);
		if (decimals < 6)
			ms[decimals + 1] = '\0';
		n += (int)strlen(ms);
		strcat(want, ms);
	}
	char got[DBTIME_TEXT];
	size_t len = dbtime_text(t, type, decimals, got);
	CHECK(strcmp(got, want) == 0);
	CHECK(len == (size_t)n);
	if (strcmp(got, want) != 0)
		fprintf(stderr, "dbtime: got %s, want %s\n", got, want);
}

static void test_dbtime(void)
{
	const enum enum_field_types types[] = { MYSQL_TYPE_DATE, MYSQL_TYPE_TIME, MYSQL_TYPE_DATETIME,
						MYSQL_TYPE_TIMESTAMP };
	const MYSQL_TIME samples[] = {
		{ 0, 0, 0, 0, 0, 0, 0, 0, MYSQL_TIMESTAMP_DATETIME },
		{ 2026, 12, 7, 14, 5, 9, 0, 0, MYSQL_TIMESTAMP_DATETIME },
		{ 1, 1, 1, 0, 0, 0, 1, 0, MYSQL_TIMESTAMP_DATETIME },
		{ 9999, 12, 31, 23, 59, 59, 999999, 0, MYSQL_TIMESTAMP_DATETIME },
		{ 1970, 1, 1, 0, 0, 1, 120000, 0, MYSQL_TIMESTAMP_DATETIME },
		{ 0, 0, 0, 838, 59, 59, 0, 1, MYSQL_TIMESTAMP_TIME },
		{ 0, 0, 0, 100, 0, 0, 500, 0, MYSQL_TIMESTAMP_TIME },
		{ 0, 0, 0, 7, 3, 2, 123456, 1, MYSQL_TIMESTAMP_TIME },
	};
	for (size_t s = 0; s < ARRAY_LEN(samples); s++)
		for (size_t k = 0; k < ARRAY_LEN(types); k++)
			for (unsigned d = 0; d <= 7; d++)
				dbtime_expect(&samples[s], types[k], d);
	/* An expression's "not fixed" decimals: all six digits. */
	dbtime_expect(&samples[4], MYSQL_TYPE_DATETIME, AUTO_SEC_PART_DIGITS);
	CHECK(dbtime_is_temporal(MYSQL_TYPE_DATE) && dbtime_is_temporal(MYSQL_TYPE_TIME) &&
	      dbtime_is_temporal(MYSQL_TYPE_DATETIME) && dbtime_is_temporal(MYSQL_TYPE_TIMESTAMP));
	CHECK(!dbtime_is_temporal(MYSQL_TYPE_VAR_STRING) && !dbtime_is_temporal(MYSQL_TYPE_LONGLONG) &&
	      !dbtime_is_temporal(MYSQL_TYPE_YEAR) && !dbtime_is_temporal(MYSQL_TYPE_NEWDECIMAL));
}
