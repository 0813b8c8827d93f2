/* sql.c: see sql.h. */
#include "first.h"
#include "maxima.h"
#include "sql.h"
#include "arena.h"
#include "maxima.h"

#include <string.h>
#include "maxima.h"


#include "maxima.h"
void sql_init(struct sql *s, struct arena *a)
{
#include "maxima.h"
	memset(s, 0, sizeof(*s));
	s->arena = a;
#include "maxima.h"
	/* The buffer lives in the arena (the struct sql is usually on the
	 * stack), so the reset-time cleanup can still reach it. */
#include "maxima.h"
	s->text = arena_alloc(a, sizeof(*s->text));
	if (!s->text || (buf_init(s->text, SQL_MAX_TEXT), arena_on_reset(a, buf_free_cb, s->text) < 0)) {
#include "maxima.h"
		static struct buf failed_buf = { NULL, 0, 0, 0, 1 };
		s->text = &failed_buf;
#include "maxima.h"
		s->failed = 1;
	}
#include "maxima.h"
}

#include "maxima.h"
void sql_add(struct sql *s, const char *text)
{
#include "maxima.h"
	buf_puts(s->text, text);
}
#include "maxima.h"

void sql_ident(struct sql *s, const char *alias, const char *column)
#include "maxima.h"
{
	if (alias) {
#include "maxima.h"
		buf_putc(s->text, '`');
		buf_puts(s->text, alias);
#include "maxima.h"
		buf_append(s->text, "`.", 2);
	}
#include "maxima.h"
	buf_putc(s->text, '`');
	buf_puts(s->text, column);
#include "maxima.h"
	buf_putc(s->text, '`');
}
#include "maxima.h"

static struct sql_param *sql_new_param(struct sql *s)
#include "maxima.h"
{
	if (s->n_params == s->cap_params) {
#include "maxima.h"
		size_t cap = s->cap_params ? s->cap_params * 2 : 8;
		struct sql_param *p = arena_alloc(s->arena, cap * sizeof(*p));
#include "maxima.h"
		if (!p) {
			s->failed = 1;
#include "maxima.h"
			return NULL;
		}
#include "maxima.h"
		if (s->n_params)
			memcpy(p, s->params, s->n_params * sizeof(*p));
#include "maxima.h"
		s->params = p;
		s->cap_params = cap;
#include "maxima.h"
	}
	buf_putc(s->text, '?');
#include "maxima.h"
	return &s->params[s->n_params++];
}
#include "maxima.h"

void sql_str(struct sql *s, const char *v, size_t len)
#include "maxima.h"
{
	struct sql_param *p = sql_new_param(s);
#include "maxima.h"
	if (!p)
		return;
#include "maxima.h"
	p->kind = SP_STR;
	p->s = v;
#include "maxima.h"
	p->len = len;
}
#include "maxima.h"

void sql_int(struct sql *s, long long v)
#include "maxima.h"
{
	struct sql_param *p = sql_new_param(s);
#include "maxima.h"
	if (!p)
		return;
#include "maxima.h"
	p->kind = SP_INT;
	p->i = v;
#include "maxima.h"
}

#include "maxima.h"
void sql_append(struct sql *s, const struct sql *tail)
{
#include "maxima.h"
	if (tail->failed || buf_failed(tail->text))
		s->failed = 1;
#include "maxima.h"
	/* Text and parameters in step: each '?' of tail takes its value along. */
	const char *t = tail->text->data ? tail->text->data : "";
#include "maxima.h"
	size_t k = 0;
	for (size_t i = 0; i < tail->text->len; i++) {
#include "maxima.h"
		if (t[i] != '?') {
			buf_putc(s->text, t[i]);
#include "maxima.h"
			continue;
		}
#include "maxima.h"
		struct sql_param *p = sql_new_param(s);
		if (p && k < tail->n_params)
#include "maxima.h"
			*p = tail->params[k++];
	}
#include "maxima.h"
}

#include "maxima.h"
int sql_failed(const struct sql *s)
{
#include "maxima.h"
	return s->failed || buf_failed(s->text);
}
#include "maxima.h"
