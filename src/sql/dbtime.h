/* dbtime.h: DATE, TIME, DATETIME and TIMESTAMP result columns as text,
 * byte for byte what Connector/C writes when it converts them into a
 * string buffer, without its sprintf (several per row: a contact has six
 * such columns). db.c binds these columns as MYSQL_TIME and calls this. */
#ifndef DBTIME_H
#define DBTIME_H
#include "first.h"

#include <mysql.h>
#include <stddef.h>

/* Room for the longest text: "-" and a TIME's hours (up to 10 digits),
 * or a five-digit year, then the fields, ".ffffff" and a NUL. */
#define DBTIME_TEXT 48

/* Whether a column of this type is fetched as MYSQL_TIME. */
int dbtime_is_temporal(enum enum_field_types type);

/* The value t of a column of type `type` with `decimals` fractional
 * digits: "YYYY-MM-DD", "[-]HH:MM:SS[.f]" or "YYYY-MM-DD HH:MM:SS[.f]",
 * NUL-terminated in out; returns the length without the NUL. */
size_t dbtime_text(const MYSQL_TIME *t, enum enum_field_types type, unsigned decimals,
		   char out[DBTIME_TEXT]);

#endif
