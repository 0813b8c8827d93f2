/* db.h: the process's one MariaDB connection (lazy connect, reconnect) and
 * prepared statements, cached by SQL text for the life of the connection.
 * Every value goes in as a bound parameter; every column comes back as text
 * (NULL pointer for SQL NULL) and is formatted by the renderer. */
#ifndef DB_H
#define DB_H
#include "first.h"

struct config;
struct request;
struct sql;

struct db_value {
	const char *s;  /* NULL for SQL NULL; not NUL-terminated in callbacks */
	size_t len;
};

/* Called per row; cols are valid only during the call. Return 0 to go on,
 * 1 to stop early, -1 to abort (the callback recorded the error). */
typedef int (*db_row_fn)(void *ctx, const struct db_value *cols, unsigned ncols);

/* Rows copied into the request arena (values NUL-terminated). */
struct db_rows {
	size_t n;
	unsigned ncols;
	struct db_value *cells; /* row i, column j: cells[i * ncols + j] */
};

#define DB_DUPLICATE (-2)
#define DB_REFERENCED (-3) /* a delete refused: other rows refer to it */
#define DB_CUT_OFF (-4)    /* a read's ROWS EXAMINED bound ended it (nothing recorded) */

/* Process object: made in main, freed at exit. Does not connect yet. */
struct db *db_new(const struct config *cfg);
void db_free(struct db *db);

/* Runs a SELECT, streaming rows to fn. A lost connection is reconnected and
 * the read retried once; an unreachable server is a 503. 0 or -1; or
 * DB_CUT_OFF when a statement with ROWS EXAMINED reached it in a sort. */
int db_query_each(struct request *r, const struct sql *q, db_row_fn fn, void *ctx);
/* Runs a SELECT and keeps every row in the arena. */
int db_query(struct request *r, const struct sql *q, struct db_rows *out);
/* Runs a write, never retried. Returns 0, DB_DUPLICATE on a duplicate key,
 * DB_REFERENCED when a foreign key forbids a delete (nothing recorded for
 * those two: the caller decides what they mean), or -1. */
int db_exec(struct request *r, const struct sql *q, unsigned long long *affected);
/* db_exec for a statement that may safely be sent twice: after a lost
 * connection it reconnects and sends it once more, setting *reconnected. */
int db_exec_resend(struct request *r, const struct sql *q, unsigned long long *affected,
		   int *reconnected);
/* The AUTO_INCREMENT id the last statement generated. */
unsigned long long db_insert_id(const struct request *r);
/* A transaction around a write request: after db_begin (START
 * TRANSACTION) every statement belongs to it, a lost connection is never
 * resent (503), and db_end commits (commit=1) or rolls back. After any
 * failed statement but DB_DUPLICATE and DB_REFERENCED (the server may have
 * ended it: deadlock victim 409, lost connection or lock wait 503, other
 * 500), every later statement fails the same way unsent, and so does a
 * commit.
 * 0 or -1 (a failed commit is recorded: 503 when the connection was lost,
 * else 500). */
int db_begin(struct request *r);
int db_end(struct request *r, int commit);
int db_in_transaction(const struct request *r);
/* The transaction was rolled back as a deadlock victim, or lost a Galera
 * certification conflict, at a statement or at COMMIT (a 409 is recorded;
 * the whole request may run again). */
int db_deadlocked(const struct request *r);

/* Read replicas (section 15; dbroute.h chooses among them). */
struct config_replica;
/* A connection object for replica rp of primary (lazy, like db_new). A
 * read on it that finds it unreachable goes on on the primary: r->db is
 * switched and the replica marked lost. */
struct db *db_new_replica(const struct config *cfg, struct db *primary,
			  const struct config_replica *rp);
/* Why the replica's last connection attempt failed ("" if it did not). */
const char *db_replica_error(const struct db *db);
/* Whether the replica was found unreachable since the last call. */
int db_take_lost(struct db *db);
/* Runs q (one row, one column) on db, whatever r->db is, connecting if
 * needed, never resent and recording nothing in r: 0 with the value in
 * out (truncated to outlen), -1 when db cannot be reached (or the
 * connection broke), -2 when the statement failed or gave no row or NULL. */
int db_probe(struct request *r, struct db *db, const struct sql *q, char *out, size_t outlen);
/* After a write request's commit on the primary: the GTID that commit
 * made (the consistency token), or NULL (no binary log; or a request
 * that committed nothing). Arena or connection memory, valid for the request. */
const char *db_commit_token(struct request *r);

#endif
