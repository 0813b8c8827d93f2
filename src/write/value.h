/* value.h: one JSON input value of an attribute (section 5.4) turned into the
 * canonical text bound to SQL, or the validation error of the contract.
 * Pure code: no database, no request; memory comes from the arena. */
#ifndef VALUE_H
#define VALUE_H
#include "first.h"
#include "arena.h"
#include "err.h"
#include "resource.h"

#include <jansson.h>

/* The error's kind (a 400 of err.h) and its detail, borrowed: a string
 * literal or arena memory. The caller adds the pointer. */
struct value_error {
	enum err_kind kind;
	const char *detail;
};

/* Parses v (never NULL; may be json null) as an input for attribute a
 * (section 5.4). On success returns 0 and sets *out and *out_len to the
 * canonical SQL text to bind (arena or static memory; NUL-terminated), or
 * *out = NULL for JSON null. On failure returns -1 and fills *e. Does not
 * check A_REQ (the caller does required/blank checks) but does reject null
 * for nothing; length limits use a->max_len counted in characters (UTF-8
 * code points), 0 = no limit; a->min_len likewise gives the shortest string
 * (`length constraint` / "This value is too short. It should have N
 * characters or more."). */
int value_parse(struct arena *ar, const struct attribute *a, const json_t *v, const char **out,
		size_t *out_len, struct value_error *e);

/* 1 if s looks like an e-mail address (local@domain.tld, no spaces, one @, a
 * dot in the domain, sane characters: Symfony's "html5" pattern). */
int value_email_ok(const char *s, size_t len);

#endif
