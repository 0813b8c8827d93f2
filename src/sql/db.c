/* db.c: see db.h. The statement cache belongs to the connection (a process
 * object); nothing in it refers to request memory after a call returns. */
#include "first.h"
#include "db.h"
#include "arena.h"
#include "config.h"
#include "dbtime.h"
#include "err.h"
#include "log.h"
#include "sql.h"

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STMT_CACHE 64
#define COL_INITIAL 256
_Static_assert(COL_INITIAL >= DBTIME_TEXT, "a column buffer holds any date or time text");

struct col {
	char *buf;
	unsigned long cap, len;
	my_bool is_null, error;
	/* A DATE, TIME, DATETIME or TIMESTAMP column is fetched as a
	 * MYSQL_TIME and written out by dbtime.c (Connector/C would sprintf
	 * it); `temporal` is its type then, else MYSQL_TYPE_NULL. */
	enum enum_field_types temporal;
	unsigned decimals;
	MYSQL_TIME time;
};

struct stmt_entry {
	char *sql;
	size_t sql_len;
	MYSQL_STMT *stmt;
	unsigned ncols;
	struct col *cols;
	MYSQL_BIND *rbind;
	struct db_value *values;
};

/* A GTID list as the server writes it: domain-server-seq, commas. */
#define DB_GTID_MAX 1024

struct db {
	const struct config *cfg;
	MYSQL *conn;
	/* Where to connect: the primary (db.host/db.port/db.socket) or one of
	 * db.replicas. A replica's reads fall back to its primary when it
	 * cannot be reached (dbroute.c decides when to use it again). */
	const char *host, *socket;
	unsigned port;
	struct db *primary;            /* NULL for the primary itself */
	int lost;                      /* replica: failed since dbroute last looked */
	char why[256];                 /* replica: why the last connect failed */
	char gtid[DB_GTID_MAX];        /* primary: GTID of the last commit ("" none) */
	int committed;                 /* a commit since db_begin tracked gtid */
	struct stmt_entry cache[STMT_CACHE];
	unsigned next_evict;
	int in_tx;                     /* a transaction is open */
	int tx_dead;                   /* TX_*: it ended on the server (see tx_ended) */
	int deadlocked;                /* it was chosen as a deadlock victim */
	unsigned long long insert_id;  /* of the last statement */
};

struct db *db_new(const struct config *cfg)
{
	struct db *db = calloc(1, sizeof(*db));
	if (db) {
		db->cfg = cfg;
		db->host = cfg->db_host;
		db->socket = cfg->db_socket;
		db->port = cfg->db_port;
	}
	return db;
}

static void entry_free(struct stmt_entry *e)
{
	if (e->stmt)
		mysql_stmt_close(e->stmt);
	for (unsigned i = 0; i < e->ncols; i++)
		free(e->cols[i].buf);
	free(e->cols);
	free(e->rbind);
	free(e->values);
	free(e->sql);
	memset(e, 0, sizeof(*e));
}

static void db_disconnect(struct db *db)
{
	for (unsigned i = 0; i < STMT_CACHE; i++)
		entry_free(&db->cache[i]);
	if (db->conn)
		mysql_close(db->conn);
	db->conn = NULL;
}

void db_free(struct db *db)
{
	if (!db)
		return;
	db_disconnect(db);
	free(db);
}

static int is_connection_error(unsigned code)
{
	return code == CR_SERVER_GONE_ERROR || code == CR_SERVER_LOST ||
	       code == CR_CONNECTION_ERROR || code == CR_CONN_HOST_ERROR ||
	       code == ER_CONNECTION_KILLED || code == CR_SERVER_LOST_EXTENDED ||
	       code == ER_SERVER_SHUTDOWN || code == 4031 /* client interaction timeout */;
}

static void unavailable(struct request *r)
{
	err_add(r, ERR_UNAVAILABLE, "The database is not available. Please try again later.");
}

/* MariaDB ended a statement that ran past max_statement_time (or it was
 * killed): never sent again, so a slow request costs the server once. */
static int is_timeout(unsigned code)
{
	return code == ER_STATEMENT_TIMEOUT || code == ER_QUERY_INTERRUPTED;
}

/* Galera: a node outside the primary component, or not yet synced, refuses
 * statements with ER_UNKNOWN_COM_ERROR ("WSREP has not yet prepared node
 * for application use"), and reads under wsrep_sync_wait with
 * ER_LOCK_WAIT_TIMEOUT (as InnoDB ends a long lock wait): unavailable for
 * now, like a server that is down (503, never sent again). */
static int is_not_ready(unsigned code)
{
	return code == ER_UNKNOWN_COM_ERROR || code == ER_LOCK_WAIT_TIMEOUT;
}

static void not_ready(struct request *r, unsigned code, const char *msg)
{
	log_msg(r->id, "the database refused the statement for now (%u): %s", code, msg);
	unavailable(r);
}

/* InnoDB chose the transaction as a deadlock victim, or (Galera) its write
 * set lost a certification conflict, at a statement or at COMMIT: either way
 * it was rolled back whole, so serve() may run the request again; if not,
 * the client may. (Outside a transaction there is nothing to run again.) */
static void lost_conflict(struct request *r, int in_tx)
{
	r->db->deadlocked = in_tx;
	err_add(r, ERR_CONFLICT, "A concurrent request changed the same records. Please try again.");
}

static void timed_out(struct request *r, unsigned code)
{
	log_msg(r->id, "statement ended by the server (%u): db.statement_timeout is %ld s", code,
		r->db->cfg->db_statement_timeout);
	err_add(r, ERR_UNAVAILABLE, "The request took too long to run. Please try again later.");
}

/* The read timeout: a backstop past the statement timeout, for a server
 * that stops answering at all. */
static unsigned read_timeout(const struct config *c)
{
	return c->db_statement_timeout ? (unsigned)c->db_statement_timeout + 5 : 60;
}

/* The primary's session reports the GTID of each commit in the commit's
 * own answer (session tracking of last_gtid, as MaxScale's causal reads
 * use it): the consistency token costs no statement. */
static const char *db_session_extra(const struct db *db)
{
	return db->primary ? "" : ", session_track_system_variables = 'last_gtid'";
}

/* Right after COMMIT answered: its last_gtid, if the server tracked one
 * (no binary log, or a transaction that wrote nothing: none). */
static void track_commit_gtid(struct db *db)
{
	const char *data;
	size_t len;
	if (mysql_session_track_get_first(db->conn, SESSION_TRACK_SYSTEM_VARIABLES, &data, &len))
		return;
	do {
		int is_gtid = len == 9 && memcmp(data, "last_gtid", 9) == 0;
		if (mysql_session_track_get_next(db->conn, SESSION_TRACK_SYSTEM_VARIABLES, &data, &len))
			return;
		if (is_gtid && len > 0 && len < sizeof(db->gtid)) {
			memcpy(db->gtid, data, len);
			db->gtid[len] = '\0';
			db->committed = 1;
		}
	} while (mysql_session_track_get_next(db->conn, SESSION_TRACK_SYSTEM_VARIABLES, &data,
					      &len) == 0);
}

/* A replica that cannot be reached: the read goes on on its primary, and
 * dbroute leaves the replica alone until its next check. */
static int replica_failover(struct request *r)
{
	struct db *db = r->db;
	if (!db->primary)
		return 0;
	log_msg(r->id, "replica unavailable: reading from the primary");
	db_disconnect(db);
	db->lost = 1;
	r->db = db->primary;
	return 1;
}

static int db_connect(struct request *r)
{
	struct db *db = r->db;
	const struct config *c = db->cfg;
	MYSQL *m = mysql_init(NULL);
	if (!m) {
		err_internal(r, "mysql_init failed");
		return -1;
	}
	/* A replica that does not answer must not hold a read up for long:
	 * the primary serves it meanwhile. */
	unsigned timeout = db->primary ? 1 : 5;
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	unsigned rw_timeout = read_timeout(c);
	mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &rw_timeout);
	mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &rw_timeout);
	mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	/* Every DATETIME is UTC; the session follows. Every statement of the
	 * session is bounded by the server itself (0: no bound). */
	char init[160];
	snprintf(init, sizeof(init), "SET time_zone = '+00:00', max_statement_time = %ld%s",
		 c->db_statement_timeout, db_session_extra(db));
	mysql_options(m, MYSQL_INIT_COMMAND, init);
	if (db->primary) /* a write sent to a replica by mistake fails, loudly */
		mysql_options(m, MYSQL_INIT_COMMAND, "SET SESSION TRANSACTION READ ONLY");
	const char *sock = db->socket[0] ? db->socket : NULL;
	const char *host = sock ? "localhost" : db->host;
	if (!mysql_real_connect(m, host, c->db_user, c->db_password, c->db_name, db->port, sock,
				0)) {
		/* A replica that stays down is tried once per check interval:
		 * dbroute logs why when it changes state, not every try. */
		if (db->primary)
			snprintf(db->why, sizeof(db->why), "%s", mysql_error(m));
		else
			log_msg(r->id, "cannot connect to MariaDB: %s", mysql_error(m));
		mysql_close(m);
		if (!db->primary)
			unavailable(r);
		return -1;
	}
	db->conn = m;
	db->why[0] = '\0';
	return 0;
}

static struct stmt_entry *cache_find(struct db *db, const char *sql, size_t len)
{
	for (unsigned i = 0; i < STMT_CACHE; i++) {
		struct stmt_entry *e = &db->cache[i];
		if (e->stmt && e->sql_len == len && memcmp(e->sql, sql, len) == 0)
			return e;
	}
	return NULL;
}

/* Prepares (or finds) the statement. -1 with errno-style code in *code. */
static struct stmt_entry *stmt_get(struct request *r, const struct sql *q, unsigned *code,
				   const char **msg)
{
	struct db *db = r->db;
	struct stmt_entry *e = cache_find(db, q->text->data, q->text->len);
	if (e)
		return e;
	e = NULL;
	for (unsigned i = 0; i < STMT_CACHE && !e; i++)
		if (!db->cache[i].stmt)
			e = &db->cache[i];
	if (!e) {
		e = &db->cache[db->next_evict];
		db->next_evict = (db->next_evict + 1) % STMT_CACHE;
		entry_free(e);
	}
	MYSQL_STMT *st = mysql_stmt_init(db->conn);
	if (!st) {
		*code = CR_OUT_OF_MEMORY;
		*msg = "out of memory";
		return NULL;
	}
	if (mysql_stmt_prepare(st, q->text->data, q->text->len)) {
		*code = mysql_stmt_errno(st);
		*msg = arena_strdup(r->arena, mysql_stmt_error(st));
		mysql_stmt_close(st);
		return NULL;
	}
	e->ncols = mysql_stmt_field_count(st);
	e->sql = malloc(q->text->len + 1);
	e->cols = calloc(e->ncols ? e->ncols : 1, sizeof(*e->cols));
	e->rbind = calloc(e->ncols ? e->ncols : 1, sizeof(*e->rbind));
	e->values = calloc(e->ncols ? e->ncols : 1, sizeof(*e->values));
	e->stmt = st;
	if (!e->sql || !e->cols || !e->rbind || !e->values) {
		entry_free(e);
		*code = CR_OUT_OF_MEMORY;
		*msg = "out of memory";
		return NULL;
	}
	memcpy(e->sql, q->text->data, q->text->len + 1);
	e->sql_len = q->text->len;
	for (unsigned i = 0; i < e->ncols; i++) {
		struct col *c = &e->cols[i];
		c->buf = malloc(COL_INITIAL);
		if (!c->buf) {
			entry_free(e);
			*code = CR_OUT_OF_MEMORY;
			*msg = "out of memory";
			return NULL;
		}
		c->cap = COL_INITIAL;
	}
	return e;
}

/* After each execute: the columns' types come from that execute's
 * metadata (a table altered since the prepare may have changed them). */
static void bind_results(struct stmt_entry *e)
{
	const MYSQL_FIELD *fields = e->stmt->fields;
	for (unsigned i = 0; i < e->ncols; i++) {
		MYSQL_BIND *b = &e->rbind[i];
		struct col *c = &e->cols[i];
		memset(b, 0, sizeof(*b));
		c->temporal = MYSQL_TYPE_NULL;
		if (fields && i < e->stmt->field_count && dbtime_is_temporal(fields[i].type)) {
			c->temporal = fields[i].type;
			c->decimals = fields[i].decimals;
			b->buffer_type = fields[i].type;
			b->buffer = &c->time;
			b->buffer_length = sizeof(c->time);
		} else {
			b->buffer_type = MYSQL_TYPE_STRING;
			b->buffer = c->buf;
			b->buffer_length = c->cap;
		}
		b->length = &c->len;
		b->is_null = &c->is_null;
		b->error = &c->error;
	}
	mysql_stmt_bind_result(e->stmt, e->rbind);
}

static int bind_params(struct request *r, struct stmt_entry *e, const struct sql *q)
{
	if (q->n_params == 0)
		return 0;
	MYSQL_BIND *pb = arena_alloc(r->arena, q->n_params * sizeof(*pb));
	unsigned long *lens = arena_alloc(r->arena, q->n_params * sizeof(*lens));
	for (size_t i = 0; i < q->n_params; i++) {
		const struct sql_param *p = &q->params[i];
		if (p->kind == SP_STR) {
			pb[i].buffer_type = MYSQL_TYPE_STRING;
			pb[i].buffer = (void *)p->s;
			lens[i] = (unsigned long)p->len;
			pb[i].buffer_length = lens[i];
			pb[i].length = &lens[i];
		} else if (p->kind == SP_INT) {
			pb[i].buffer_type = MYSQL_TYPE_LONGLONG;
			pb[i].buffer = (void *)&p->i;
		} else {
			pb[i].buffer_type = MYSQL_TYPE_NULL;
		}
	}
	return mysql_stmt_bind_param(e->stmt, pb) ? -1 : 0;
}

/* Makes the values of the current row complete, refetching truncated columns
 * into grown buffers. */
static int complete_row(struct stmt_entry *e)
{
	int rebind = 0;
	for (unsigned i = 0; i < e->ncols; i++) {
		struct col *c = &e->cols[i];
		if (c->is_null) {
			e->values[i].s = NULL;
			e->values[i].len = 0;
			continue;
		}
		if (c->temporal != MYSQL_TYPE_NULL) {
			/* COL_INITIAL is far above DBTIME_TEXT: no growth here. */
			c->len = dbtime_text(&c->time, c->temporal, c->decimals, c->buf);
			e->values[i].s = c->buf;
			e->values[i].len = c->len;
			continue;
		}
		if (c->len > c->cap) {
			unsigned long cap = c->cap;
			while (cap < c->len + 1)
				cap *= 2;
			char *nb = realloc(c->buf, cap);
			if (!nb)
				return -1;
			c->buf = nb;
			c->cap = cap;
			MYSQL_BIND one;
			memset(&one, 0, sizeof(one));
			unsigned long got = 0;
			one.buffer_type = MYSQL_TYPE_STRING;
			one.buffer = c->buf;
			one.buffer_length = c->cap;
			one.length = &got;
			if (mysql_stmt_fetch_column(e->stmt, &one, i, 0))
				return -1;
			rebind = 1;
		}
		e->values[i].s = c->buf;
		e->values[i].len = c->len;
	}
	if (rebind)
		bind_results(e);
	return 0;
}

/* The error of a failed fetch: Connector/C may leave the statement's errno
 * at 0 when the connection died under it, and put the code on the
 * connection. */
static unsigned fetch_errno(struct db *db, MYSQL_STMT *stmt)
{
	unsigned code = mysql_stmt_errno(stmt);
	return code ? code : mysql_errno(db->conn);
}

/* How a transaction ended on the server (tx_dead): the kind of error its
 * statements fail with from then on (409, 503, 500). */
enum { TX_ALIVE, TX_CONFLICT, TX_UNAVAILABLE, TX_FAILED };

/* A transaction starts with START TRANSACTION, autocommit left on: once the
 * server has ended it (a deadlock victim or a lost Galera certification, a
 * lock wait that may roll it back, a node leaving the cluster, the
 * connection lost, or any error this file cannot tell apart from those:
 * InnoDB also rolls back whole on a full lock table, say), any later
 * statement would commit on its own. So every error but the two that
 * callers go on from (duplicate key, referenced row: the statement alone
 * failed) marks it dead here, and tx_refused fails every later statement
 * of it, unsent, until db_end. */
static void tx_ended(struct db *db, int how)
{
	if (db->in_tx && !db->tx_dead)
		db->tx_dead = how;
}

static int has_status(const struct request *r, int status)
{
	for (const struct api_error *e = r->errors; e; e = e->next)
		if (e->status == status)
			return 1;
	return 0;
}

/* The statement that found the transaction dead recorded why: later ones
 * repeat the kind, not the error. */
static void tx_refuse(struct request *r, int how)
{
	if (how == TX_CONFLICT) {
		r->db->deadlocked = 1;
		if (!has_status(r, 409))
			lost_conflict(r, 1);
	} else if (how == TX_UNAVAILABLE) {
		if (!has_status(r, 503))
			unavailable(r);
	} else if (!has_status(r, 500)) {
		err_internal(r, "a statement of a transaction that failed");
	}
}

/* A statement of a dead transaction: the error kind it died of, nothing
 * sent (a ROLLBACK TO SAVEPOINT too: its savepoint is gone with it). A
 * transaction's connection is never replaced (db_ready): without one it
 * is dead. */
static int tx_refused(struct request *r)
{
	struct db *db = r->db;
	if (!db->in_tx)
		return 0;
	if (!db->conn)
		tx_ended(db, TX_UNAVAILABLE);
	if (!db->tx_dead)
		return 0;
	tx_refuse(r, db->tx_dead);
	return 1;
}

/* The one place that reads a statement's error code. Returns what
 * run_query returns: 1 (connection lost, nothing recorded), DB_DUPLICATE,
 * DB_REFERENCED, or -1 (recorded). */
static int failed(struct request *r, unsigned code, const char *msg, const char *what,
		  const struct sql *q)
{
	struct db *db = r->db;
	if (is_connection_error(code)) {
		tx_ended(db, TX_UNAVAILABLE);
		return 1;
	}
	if (code == ER_DUP_ENTRY || code == ER_DUP_ENTRY_WITH_KEY_NAME)
		return DB_DUPLICATE;
	if (code == ER_ROW_IS_REFERENCED || code == ER_ROW_IS_REFERENCED_2)
		return DB_REFERENCED;
	/* A bounded walk (sql/plan.c) that reached its bound before its sort
	 * ended: cut off, as one that stops without a sort returns fewer rows. */
	if (code == ER_FILSORT_ABORT && q->bounded)
		return DB_CUT_OFF;
	if (is_timeout(code)) {
		/* Only the statement was undone, but the request is over. */
		timed_out(r, code);
		tx_ended(db, TX_UNAVAILABLE);
		return -1;
	}
	if (code == ER_LOCK_DEADLOCK) {
		lost_conflict(r, db->in_tx);
		tx_ended(db, TX_CONFLICT);
		return -1;
	}
	if (is_not_ready(code)) {
		/* A lock wait timeout ends the whole transaction under
		 * innodb_rollback_on_timeout: taken as ended either way. */
		not_ready(r, code, msg);
		tx_ended(db, TX_UNAVAILABLE);
		return -1;
	}
	err_internal(r, "%s failed (%u): %s; SQL: %s", what, code, msg, q->text->data);
	tx_ended(db, TX_FAILED);
	return -1;
}

/* One attempt. Returns 0, -1 (error recorded), 1 (connection lost before
 * any row reached fn, nothing recorded: the caller may reconnect and send
 * it again) or 2 (lost after rows reached fn: not to be sent again, since
 * fn would see them twice). */
static int run_query(struct request *r, const struct sql *q, db_row_fn fn, void *ctx,
		     unsigned long long *affected)
{
	unsigned code = 0;
	const char *msg = NULL;
	if (!r->db->in_tx)
		r->db->deadlocked = 0; /* a victim's flag never outlives its request */
	if (tx_refused(r))
		return -1;
	struct stmt_entry *e = stmt_get(r, q, &code, &msg);
	/* A transaction aborted while idle fails its next command, a prepare
	 * included. */
	if (!e)
		return failed(r, code, msg, "prepare", q);
	if (bind_params(r, e, q) < 0) {
		err_internal(r, "binding parameters failed: %s", mysql_stmt_error(e->stmt));
		return -1;
	}
	if (mysql_stmt_execute(e->stmt))
		return failed(r, mysql_stmt_errno(e->stmt), mysql_stmt_error(e->stmt), "execute", q);
	if (affected)
		*affected = (unsigned long long)mysql_stmt_affected_rows(e->stmt);
	r->db->insert_id = (unsigned long long)mysql_stmt_insert_id(e->stmt);
	if (e->ncols == 0)
		return 0;
	bind_results(e);
	int rc = 0, stopped = 0;
	size_t delivered = 0;
	for (;;) {
		int f = mysql_stmt_fetch(e->stmt);
		if (f == MYSQL_NO_DATA)
			break;
		if (f == 1) {
			/* Aborted mid-fetch (a deadlock victim, say), or lost. */
			code = fetch_errno(r->db, e->stmt);
			rc = failed(r, code ? code : CR_SERVER_LOST, mysql_stmt_error(e->stmt),
				    "fetch", q);
			if (rc == 1)
				return delivered ? 2 : 1;
			if (rc != -1 && rc != DB_CUT_OFF) {
				err_internal(r, "fetch failed (%u)", code);
				rc = -1;
			}
			break;
		}
		if (complete_row(e) < 0) {
			err_internal(r, "fetch of a long column failed: %s", mysql_stmt_error(e->stmt));
			rc = -1;
			break;
		}
		int cb = fn(ctx, e->values, e->ncols);
		delivered++;
		if (cb != 0) {
			rc = cb < 0 ? -1 : 0;
			stopped = 1;
			break;
		}
	}
	if (stopped || rc < 0)
		mysql_stmt_reset(e->stmt);
	mysql_stmt_free_result(e->stmt);
	return rc;
}

static int db_ready(struct request *r)
{
	/* Never a new connection under an open transaction: the old one's
	 * statements are gone, and a new session would autocommit. */
	if (r->db->conn || r->db->in_tx)
		return 0;
	return db_connect(r);
}

/* Runs q; when the connection turns out to be lost (restart, wait_timeout),
 * reconnects and sends it once more, setting *reconnected. Only for
 * statements that are safe to send twice. */
static int run_resending(struct request *r, const struct sql *q, db_row_fn fn, void *ctx,
			 unsigned long long *affected, int *reconnected)
{
	if (sql_failed(q)) {
		err_internal(r, "SQL text over its maximum (or out of memory)");
		return -1;
	}
	for (int attempt = 0; attempt < 2; attempt++) {
		if (db_ready(r) < 0) {
			if (replica_failover(r)) {
				attempt = -1;
				continue;
			}
			return -1;
		}
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		int rc = run_query(r, q, fn, ctx, affected);
		if (rc != 1 && rc != 2)
			return rc;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		log_msg(r->id, "MariaDB connection lost, reconnecting");
		db_disconnect(r->db);
		if (rc == 2)
			break; /* rows already handed out: 503 */
		if (r->db->in_tx)
			break; /* the transaction died with the connection (tx_ended) */
		/* Found lost at once (an idle connection the server closed): send
		 * again. Lost after running into the read timeout: the statement
		 * may still run on the server; sending it again would double it. */
		if (t1.tv_sec - t0.tv_sec >= (time_t)read_timeout(r->db->cfg) - 1) {
			if (replica_failover(r)) {
				attempt = -1;
				continue;
			}
			break;
		}
		if (reconnected)
			*reconnected = 1;
	}
	if (r->db->primary)
		r->db->lost = 1;
	unavailable(r);
	return -1;
}

int db_query_each(struct request *r, const struct sql *q, db_row_fn fn, void *ctx)
{
	/* Reads are safe to send again on a fresh connection. */
	int rc = run_resending(r, q, fn, ctx, NULL, NULL);
	return rc == DB_CUT_OFF ? rc : rc < 0 ? -1 : 0;
}

struct collect {
	struct request *r;
	struct db_rows *out;
	size_t cap;
};

static int collect_row(void *ctx, const struct db_value *cols, unsigned ncols)
{
	struct collect *c = ctx;
	struct db_rows *out = c->out;
	if (out->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		/* Filled by the copy below and by each row as it comes. */
		struct db_value *cells = arena_alloc_uninit(c->r->arena, cap * ncols * sizeof(*cells));
		if (out->n)
			memcpy(cells, out->cells, out->n * ncols * sizeof(*cells));
		out->cells = cells;
		c->cap = cap;
	}
	out->ncols = ncols;
	struct db_value *row = &out->cells[out->n * ncols];
	for (unsigned i = 0; i < ncols; i++) {
		if (!cols[i].s) {
			row[i].s = NULL;
			row[i].len = 0;
			continue;
		}
		row[i].s = arena_strndup(c->r->arena, cols[i].s, cols[i].len);
		row[i].len = cols[i].len;
	}
	out->n++;
	return 0;
}

int db_query(struct request *r, const struct sql *q, struct db_rows *out)
{
	memset(out, 0, sizeof(*out));
	struct collect c = { r, out, 0 };
	return db_query_each(r, q, collect_row, &c);
}

int db_exec(struct request *r, const struct sql *q, unsigned long long *affected)
{
	if (sql_failed(q)) {
		err_internal(r, "SQL text over its maximum (or out of memory)");
		return -1;
	}
	if (db_ready(r) < 0)
		return -1;
	unsigned long long n = 0;
	int rc = run_query(r, q, NULL, NULL, &n);
	if (rc == 1) {
		/* Never retried: the write may or may not have happened. */
		log_msg(r->id, "MariaDB connection lost during a write");
		db_disconnect(r->db);
		unavailable(r);
		return -1;
	}
	if (affected)
		*affected = n;
	return rc;
}

int db_exec_resend(struct request *r, const struct sql *q, unsigned long long *affected,
		   int *reconnected)
{
	return run_resending(r, q, NULL, NULL, affected, reconnected);
}

unsigned long long db_insert_id(const struct request *r)
{
	return r->db->insert_id;
}

int db_begin(struct request *r)
{
	struct db *db = r->db;
	if (db->in_tx) {
		/* START TRANSACTION would commit it: a caller's bug, never a
		 * half-done write. */
		db_end(r, 0);
		err_internal(r, "a transaction was begun inside another");
		return -1;
	}
	/* Read-your-writes and all-or-nothing in one round trip (no SET
	 * autocommit pair: tx_refused keeps a dead transaction's later
	 * statements from committing on their own), prepared once per
	 * connection like any other. A dead connection at this point has
	 * nothing to lose, so it is reconnected once. */
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "START TRANSACTION");
	for (int attempt = 0; attempt < 2; attempt++) {
		if (db_ready(r) < 0)
			return -1;
		int rc = run_query(r, &q, NULL, NULL, NULL);
		if (rc == 0) {
			db->committed = 0;
			db->in_tx = 1;
			db->tx_dead = TX_ALIVE;
			db->deadlocked = 0;
			return 0;
		}
		if (rc != 1) {
			if (!r->errors)
				err_internal(r, "cannot start a transaction (%d)", rc);
			return -1;
		}
		db_disconnect(db);
	}
	unavailable(r);
	return -1;
}

int db_end(struct request *r, int commit)
{
	struct db *db = r->db;
	if (!db->in_tx)
		return commit ? -1 : 0;
	int dead = db->tx_dead;
	db->in_tx = 0;
	db->tx_dead = TX_ALIVE;
	if (!db->conn) /* lost with its connection: recorded then */
		return -1;
	if (dead && commit) {
		/* Nothing of it is left to commit: fails as its statements did. */
		tx_refuse(r, dead);
		commit = 0;
	}
	/* A dead one is rolled back too: a lock wait timeout may have left it
	 * open on the server. */
	int bad = commit ? mysql_commit(db->conn) : mysql_rollback(db->conn);
	if (!bad) {
		if (commit)
			track_commit_gtid(db);
		return dead ? -1 : 0;
	}
	unsigned code = mysql_errno(db->conn);
	log_msg(r->id, "%s failed (%u): %s", commit ? "COMMIT" : "ROLLBACK", code,
		mysql_error(db->conn));
	int victim = commit && code == ER_LOCK_DEADLOCK;
	if (victim) {
		/* Galera: the write set lost certification at COMMIT (or the
		 * transaction was aborted just before it): rolled back whole, a
		 * victim like any other. The session is kept once clean. */
		lost_conflict(r, 1);
		if (mysql_rollback(db->conn) == 0)
			return -1;
	}
	/* Whatever state the session is in, a new one is clean. */
	db_disconnect(db);
	if (commit && !victim) {
		if (is_connection_error(code) || is_not_ready(code))
			unavailable(r);
		else
			err_add(r, ERR_INTERNAL, NULL);
	}
	return -1;
}

int db_deadlocked(const struct request *r)
{
	return r->db->deadlocked;
}

int db_in_transaction(const struct request *r)
{
	return r->db->in_tx;
}

/* Replicas (dbroute.c): the connection objects, and statements that
 * must not touch the request's outcome. */

struct db *db_new_replica(const struct config *cfg, struct db *primary,
			  const struct config_replica *rp)
{
	struct db *db = db_new(cfg);
	if (db) {
		db->host = rp->host;
		db->socket = rp->socket;
		db->port = rp->port;
		db->primary = primary;
	}
	return db;
}

int db_take_lost(struct db *db)
{
	int lost = db->lost;
	db->lost = 0;
	return lost;
}

const char *db_replica_error(const struct db *db)
{
	return db->why;
}

struct probe {
	char *out;
	size_t outlen;
	int got, null;
};

static int probe_row(void *ctx, const struct db_value *cols, unsigned ncols)
{
	struct probe *p = ctx;
	p->got = 1;
	p->null = ncols == 0 || !cols[0].s;
	size_t n = p->null ? 0 : cols[0].len;
	if (n >= p->outlen)
		n = p->outlen - 1;
	if (n)
		memcpy(p->out, cols[0].s, n);
	p->out[n] = '\0';
	return 1;
}

int db_probe(struct request *r, struct db *db, const struct sql *q, char *out, size_t outlen)
{
	struct db *was = r->db;
	struct api_error *errors = r->errors, *tail = r->errors_tail;
	unsigned n_errors = r->n_errors;
	r->db = db;
	int rc = -1;
	if (!sql_failed(q) && db_ready(r) == 0) {
		struct probe p = { out, outlen, 0, 0 };
		int q_rc = run_query(r, q, probe_row, &p, NULL);
		if (q_rc == 1 || q_rc == 2)
			db_disconnect(db);
		else
			rc = q_rc < 0 || !p.got || p.null ? -2 : 0;
	}
	/* Whatever the statement recorded is forgotten: the caller decides. */
	if (tail)
		tail->next = NULL;
	r->errors = errors;
	r->errors_tail = tail;
	r->n_errors = n_errors;
	r->db = was;
	return rc;
}

const char *db_commit_token(struct request *r)
{
	struct db *db = r->db;
	if (db->primary)
		return NULL;
	if (db->committed)
		return db->gtid;
	/* A transaction that wrote nothing has no GTID of its own; behind a
	 * deployment with replicas its answer still carries one: the
	 * session's last (this request's nonce, say). */
	if (!db->cfg->n_replicas || !db->conn)
		return NULL;
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT @@last_gtid");
	char g[DB_GTID_MAX];
	if (db_probe(r, db, &q, g, sizeof(g)) < 0 || !g[0])
		return NULL;
	return arena_strdup(r->arena, g);
}
