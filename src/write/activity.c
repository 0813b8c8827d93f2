/* activity.c: see activity.h. The remembered ids live in the request's
 * arena (r->activity); one UPDATE per table recounts them all. */
#include "first.h"
#include "activity.h"
#include "arena.h"
#include "db.h"
#include "err.h"
#include "req.h"
#include "sql.h"

#include <string.h>

struct id_set {
	const char **ids;
	size_t n, cap;
};

struct activity {
	struct id_set contacts, accounts;
};

static void set_add(struct request *r, struct id_set *s, const char *id)
{
	if (!id)
		return;
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->ids[i], id) == 0)
			return;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		const char **ids = arena_alloc(r->arena, cap * sizeof(*ids));
		if (s->n)
			memcpy(ids, s->ids, s->n * sizeof(*ids));
		s->ids = ids;
		s->cap = cap;
	}
	s->ids[s->n++] = id;
}

static void id_list(struct sql *q, const struct id_set *s)
{
	sql_add(q, "(");
	for (size_t i = 0; i < s->n; i++) {
		sql_add(q, i ? ", " : "");
		sql_str(q, s->ids[i], strlen(s->ids[i]));
	}
	sql_add(q, ")");
}

static int lock(struct request *r, const char *table, const struct id_set *s)
{
	if (!s->n)
		return 0;
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT id FROM ");
	sql_ident(&q, NULL, table);
	sql_add(&q, " WHERE id IN ");
	id_list(&q, s);
	sql_add(&q, " ORDER BY id FOR UPDATE");
	struct db_rows rows;
	return db_query(r, &q, &rows);
}

int activity_calls_changing(struct request *r, const char *const *ids, size_t n)
{
	if (!r->activity)
		r->activity = arena_alloc(r->arena, sizeof(*r->activity));
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT contact_id, account_id FROM calls WHERE id IN (");
	for (size_t i = 0; i < n; i++) {
		sql_add(&q, i ? ", " : "");
		sql_str(&q, ids[i], strlen(ids[i]));
	}
	sql_add(&q, ")");
	struct db_rows rows;
	if (db_query(r, &q, &rows) < 0)
		return -1;
	struct id_set contacts = { 0 }, accounts = { 0 };
	for (size_t i = 0; i < rows.n; i++) {
		set_add(r, &r->activity->contacts, rows.cells[2 * i].s);
		set_add(r, &r->activity->accounts, rows.cells[2 * i + 1].s);
		set_add(r, &contacts, rows.cells[2 * i].s);
		set_add(r, &accounts, rows.cells[2 * i + 1].s);
	}
	/* Contacts, then accounts, then (by the caller) the calls: every
	 * writer takes the locks in that order, so none waits in a circle. */
	return lock(r, "contacts", &contacts) < 0 || lock(r, "accounts", &accounts) < 0 ? -1 : 0;
}

/* table: contacts or accounts; fk: the calls column that points at it. */
static int recount(struct request *r, const char *table, const char *fk, const struct id_set *s)
{
	if (!s->n)
		return 0;
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "UPDATE ");
	sql_ident(&q, NULL, table);
	sql_add(&q, " x LEFT JOIN (SELECT ");
	sql_ident(&q, NULL, fk);
	sql_add(&q, " AS ref, COUNT(*) AS n,"
		    " SUM(direction = 'incoming') AS n_in, SUM(direction = 'outgoing') AS n_out,"
		    " MAX(call_date_time) AS last,"
		    " MAX(IF(direction = 'incoming', call_date_time, NULL)) AS last_in,"
		    " MAX(IF(direction = 'outgoing', call_date_time, NULL)) AS last_out"
		    " FROM calls WHERE ");
	sql_ident(&q, NULL, fk);
	sql_add(&q, " IN ");
	id_list(&q, s);
	sql_add(&q, " GROUP BY ");
	sql_ident(&q, NULL, fk);
	sql_add(&q, ") a ON a.ref = x.id SET"
		    " x.times_contacted = COALESCE(a.n, 0),"
		    " x.times_contacted_in = COALESCE(a.n_in, 0),"
		    " x.times_contacted_out = COALESCE(a.n_out, 0),"
		    " x.last_contacted_date = a.last,"
		    " x.last_contacted_date_in = a.last_in,"
		    " x.last_contacted_date_out = a.last_out"
		    " WHERE x.id IN ");
	id_list(&q, s);
	return db_exec(r, &q, NULL) == 0 ? 0 : -1;
}

int activity_flush(struct request *r)
{
	struct activity *a = r->activity;
	if (!a)
		return 0;
	if (recount(r, "contacts", "contact_id", &a->contacts) < 0 ||
	    recount(r, "accounts", "account_id", &a->accounts) < 0)
		return -1;
	a->contacts.n = a->accounts.n = 0;
	return 0;
}
