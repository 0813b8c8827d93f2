/* date.h: the proleptic Gregorian calendar, in one place for the filter
 * periods (query/filter.c), the typed date values (write/value.c) and the
 * WSSE Created stamp (auth/wsse.c). Pure arithmetic: no time zone, no libc
 * time functions. Days count from 1970-01-01 (day 0). */
#ifndef DATE_H
#define DATE_H
#include "first.h"

/* 1 if y is a leap year (every 4th, not every 100th, every 400th). */
int date_is_leap(long long y);
/* Days in month m (1..12) of year y. */
int date_days_in_month(long long y, int m);
/* 1 if y-m-d names a day: m 1..12, d 1..days in that month. */
int date_valid(long long y, int m, int d);
/* Days since 1970-01-01 of y-m-d (H. Hinnant's algorithm), and back. */
long long date_days_from_civil(long long y, int m, int d);
void date_civil_from_days(long long z, long long *y, int *m, int *d);
/* Exactly n (1..9) digits at *p (before end) as a number, moving *p past
 * what it read; -1 if they are not all there. */
int date_digits(const char **p, const char *end, int n);

#endif
