/* sql.h: builds SQL text with ? placeholders plus the bound values.
 * Text comes only from string literals in our code and identifiers from the
 * resource descriptors (sql_ident); anything a client sent is a parameter
 * (sql_str / sql_int). This is what makes injection impossible by
 * construction. */
#ifndef SQL_H
#define SQL_H
#include "first.h"
#include "buf.h"

struct arena;

enum sql_param_kind { SP_STR, SP_INT, SP_NULL };

struct sql_param {
	enum sql_param_kind kind;
	const char *s;  /* SP_STR: borrowed, must outlive the query */
	size_t len;
	long long i;
};

struct sql {
	struct arena *arena;
	struct buf *text; /* in the arena, freed at reset */
	struct sql_param *params;
	size_t n_params, cap_params;
	int failed;  /* an appended tail's text was over its maximum */
	int bounded; /* ends with ROWS EXAMINED (sql_rows_examined) */
};

/* The text buffer is freed when the arena resets. */
void sql_init(struct sql *s, struct arena *a);
/* Appends trusted SQL text (a literal in our code). */
void sql_add(struct sql *s, const char *text);
/* Appends `alias`.`column` (alias may be NULL); names come from descriptors. */
void sql_ident(struct sql *s, const char *alias, const char *column);
/* Appends ? and binds the value. */
void sql_str(struct sql *s, const char *v, size_t len);
void sql_int(struct sql *s, long long v);
/* Appends tail's text and parameters (tail holds no quoted '?': only
 * placeholders, as everything sql.c builds). */
void sql_append(struct sql *s, const struct sql *tail);
/* Appends " ROWS EXAMINED ?" (after LIMIT ... OFFSET) and marks s bounded:
 * MariaDB may end it at n rows read, short or, in a sort, with an error
 * that db.c then reports as DB_CUT_OFF. */
void sql_rows_examined(struct sql *s, long long n);
int sql_failed(const struct sql *s);

#endif
