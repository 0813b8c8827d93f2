/* sql.c: see sql.h. */
#include "first.h"
#include "sql.h"
#include "maxima.h"
#include "arena.h"

#include <string.h>

void sql_init(struct sql *s, struct arena *a)
{
	memset(s, 0, sizeof(*s));
	s->arena = a;
	/* The buffer lives in the arena (the struct sql is usually on the
	 * stack), so the reset-time cleanup can still reach it. */
	s->text = arena_alloc(a, sizeof(*s->text));
	buf_init(s->text, SQL_MAX_TEXT);
	arena_on_reset(a, buf_free_cb, s->text);
}

void sql_add(struct sql *s, const char *text)
{
	buf_puts(s->text, text);
}

void sql_ident(struct sql *s, const char *alias, const char *column)
{
	/* Every statement names dozens of columns: one append when there is
	 * room (the common case), else piece by piece (growth, failure). */
	size_t al = alias ? strlen(alias) : 0, cl = strlen(column);
	size_t n = (alias ? al + 3 : 0) + cl + 2;
	struct buf *b = s->text;
	char *o = buf_room(b, n);
	if (o) {
		if (alias) {
			*o++ = '`';
			memcpy(o, alias, al);
			o += al;
			*o++ = '`';
			*o++ = '.';
		}
		*o++ = '`';
		memcpy(o, column, cl);
		o += cl;
		*o = '`';
		buf_commit(b, n);
		return;
	}
	if (alias) {
		buf_putc(b, '`');
		buf_append(b, alias, al);
		buf_append(b, "`.", 2);
	}
	buf_putc(b, '`');
	buf_append(b, column, cl);
	buf_putc(b, '`');
}

static struct sql_param *sql_new_param(struct sql *s)
{
	if (s->n_params == s->cap_params) {
		size_t cap = s->cap_params ? s->cap_params * 2 : 8;
		struct sql_param *p = arena_alloc(s->arena, cap * sizeof(*p));
		if (s->n_params)
			memcpy(p, s->params, s->n_params * sizeof(*p));
		s->params = p;
		s->cap_params = cap;
	}
	buf_putc(s->text, '?');
	return &s->params[s->n_params++];
}

void sql_str(struct sql *s, const char *v, size_t len)
{
	struct sql_param *p = sql_new_param(s);
	p->kind = SP_STR;
	p->s = v;
	p->len = len;
}

void sql_int(struct sql *s, long long v)
{
	struct sql_param *p = sql_new_param(s);
	p->kind = SP_INT;
	p->i = v;
}

void sql_rows_examined(struct sql *s, long long n)
{
	sql_add(s, " ROWS EXAMINED ");
	sql_int(s, n);
	s->bounded = 1;
}

void sql_append(struct sql *s, const struct sql *tail)
{
	if (tail->failed || buf_failed(tail->text))
		s->failed = 1;
	s->bounded |= tail->bounded; /* the clause comes along with the text */
	/* Text and parameters in step: each '?' of tail takes its value along. */
	const char *t = tail->text->data ? tail->text->data : "";
	size_t k = 0;
	for (size_t i = 0; i < tail->text->len; i++) {
		if (t[i] != '?') {
			buf_putc(s->text, t[i]);
			continue;
		}
		struct sql_param *p = sql_new_param(s);
		if (k < tail->n_params)
			*p = tail->params[k++];
	}
}

int sql_failed(const struct sql *s)
{
	return s->failed || buf_failed(s->text);
}
