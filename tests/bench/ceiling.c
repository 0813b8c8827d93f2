/* ceiling.c: the fastest a FastCGI program here can answer: one prepared
 * point-select by primary key on a persistent connection and a fixed small
 * JSON body. `make bench` serves it through the same lighttpd as the API to
 * measure the ceiling the API's figures are compared with.
 *
 * Floors besides (a query string that names one), with the same fixed body:
 * - wsse, post, patch: the round trips a WSSE read, a POST and a PATCH of
 *   the API cannot do without, each statement the least it can be. They
 *   write: a nonce row each, and `post` a contact named Floor Post
 *   (bench.sh deletes them), `patch` contact 2's job title.
 * - sql=NAME: the statements of the file NAME in $CEILING_SQL_DIR, one a
 *   line, each prepared once: those an API case sent (lib.sh's
 *   bench_floor takes them from MariaDB's general log).
 * What the API spends above its case's floor is its own work; what a floor
 * spends above the ceiling is its round trips' and statements'. */
#include <fcgiapp.h>
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_FILES = 16, MAX_FILE_STMTS = 8, MAX_SQL = 65536 };

static MYSQL *m;

/* Prepared on first use: the ceiling alone needs no statement but its own. */
static MYSQL_STMT *stmt(MYSQL_STMT **st, const char *sql)
{
	if (!*st) {
		*st = mysql_stmt_init(m);
		if (mysql_stmt_prepare(*st, sql, strlen(sql))) {
			fprintf(stderr, "ceiling: %s: %s\n", sql, mysql_stmt_error(*st));
			exit(1);
		}
	}
	return *st;
}

/* Executes st (params p, or none), reads and drops its rows; 0 when it
 * succeeded. */
static int run(MYSQL_STMT *st, MYSQL_BIND *p)
{
	if ((p && mysql_stmt_bind_param(st, p)) || mysql_stmt_execute(st) ||
	    mysql_stmt_store_result(st)) {
		fprintf(stderr, "ceiling: %s\n", mysql_stmt_error(st));
		return -1;
	}
	mysql_stmt_free_result(st);
	return 0;
}

static void bind_ll(MYSQL_BIND *p, long long *v)
{
	memset(p, 0, sizeof(*p));
	p->buffer_type = MYSQL_TYPE_LONGLONG;
	p->buffer = v;
}

static void bind_bytes(MYSQL_BIND *p, void *v, unsigned long *len)
{
	memset(p, 0, sizeof(*p));
	p->buffer_type = MYSQL_TYPE_BLOB;
	p->buffer = v;
	p->buffer_length = *len;
	p->length = len;
}

/* The ceiling's statement: the point-select, its rows fetched. */
static int point_select(long long id)
{
	static MYSQL_STMT *st;
	stmt(&st, "SELECT id, first_name FROM contacts WHERE id = ?");
	MYSQL_BIND p;
	bind_ll(&p, &id);
	mysql_stmt_bind_param(st, &p);
	char name[256];
	unsigned long len = 0;
	long long got = 0;
	MYSQL_BIND r[2];
	memset(r, 0, sizeof(r));
	r[0].buffer_type = MYSQL_TYPE_LONGLONG;
	r[0].buffer = &got;
	r[1].buffer_type = MYSQL_TYPE_STRING;
	r[1].buffer = name;
	r[1].buffer_length = sizeof(name);
	r[1].length = &len;
	if (mysql_stmt_execute(st))
		return -1;
	mysql_stmt_bind_result(st, r);
	while (mysql_stmt_fetch(st) == 0)
		;
	mysql_stmt_free_result(st);
	return 0;
}

/* A nonce written as WSSE writes one, without its re-check of the key,
 * user and organization: a row of its own each time, autocommitted. */
static int nonce(void)
{
	static MYSQL_STMT *st;
	static unsigned long long serial;
	unsigned char hash[16] = { 0 }, by[8] = { 0 };
	unsigned long long pid = (unsigned long long)getpid();
	serial++;
	memcpy(hash, &pid, sizeof(pid));
	memcpy(hash + 8, &serial, sizeof(serial));
	unsigned long hash_len = sizeof(hash), by_len = sizeof(by);
	MYSQL_BIND p[2];
	bind_bytes(&p[0], hash, &hash_len);
	bind_bytes(&p[1], by, &by_len);
	return run(stmt(&st, "INSERT INTO wsse_nonces (created, nonce_hash, recorded_by) "
			     "VALUES (UTC_TIMESTAMP(), ?, ?)"),
		   p);
}

static int begin(void)
{
	static MYSQL_STMT *st;
	return run(stmt(&st, "START TRANSACTION"), NULL);
}

/* POST's: nonce, START TRANSACTION, INSERT, the point-select, COMMIT. */
static int floor_post(void)
{
	static MYSQL_STMT *ins;
	if (nonce() < 0 || begin() < 0 ||
	    run(stmt(&ins, "INSERT INTO contacts (organization_id, owner_id, first_name, last_name, "
			   "created_at, updated_at) VALUES (1, 1, 'Floor', 'Post', UTC_TIMESTAMP(), "
			   "UTC_TIMESTAMP())"),
		NULL) < 0 ||
	    point_select((long long)mysql_stmt_insert_id(ins)) < 0)
		return -1;
	return mysql_commit(m) ? -1 : 0;
}

/* PATCH's: nonce, START TRANSACTION, the point-select (its check), UPDATE,
 * the point-select again, COMMIT. */
static int floor_patch(void)
{
	static MYSQL_STMT *upd;
	static long long serial;
	serial++;
	MYSQL_BIND p;
	bind_ll(&p, &serial);
	if (nonce() < 0 || begin() < 0 || point_select(2) < 0 ||
	    run(stmt(&upd, "UPDATE contacts SET job_title = CONCAT('Floor ', ?), "
			   "updated_at = UTC_TIMESTAMP() WHERE id = 2"),
		&p) < 0 ||
	    point_select(2) < 0)
		return -1;
	return mysql_commit(m) ? -1 : 0;
}

/* sql=NAME: NAME's statements, prepared on its first request. A name is a
 * file of CEILING_SQL_DIR: no '/' in it, nor a leading dot. */
static int file_statements(const char *name)
{
	static struct {
		char name[64];
		MYSQL_STMT *st[MAX_FILE_STMTS];
		int n;
	} files[MAX_FILES];
	static int n_files;
	const char *dir = getenv("CEILING_SQL_DIR");
	int k;
	for (k = 0; k < n_files && strcmp(files[k].name, name) != 0; k++)
		;
	if (k == n_files) {
		static char sql[MAX_SQL];
		char path[512];
		if (!dir || n_files == MAX_FILES || !*name || name[0] == '.' || strchr(name, '/') ||
		    strlen(name) >= sizeof(files[k].name) ||
		    snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
			return -1;
		FILE *f = fopen(path, "r");
		if (!f)
			return -1;
		while (files[k].n < MAX_FILE_STMTS && fgets(sql, sizeof(sql), f)) {
			sql[strcspn(sql, "\n")] = '\0';
			if (*sql)
				stmt(&files[k].st[files[k].n++], sql);
		}
		fclose(f);
		snprintf(files[k].name, sizeof(files[k].name), "%s", name);
		n_files++;
	}
	for (int i = 0; i < files[k].n; i++)
		if (run(files[k].st[i], NULL) < 0)
			return -1;
	return files[k].n > 0 ? 0 : -1;
}

/* The round trips of the query string's case; 0 when they succeeded. */
static int answer(const char *qs)
{
	if (strcmp(qs, "wsse") == 0)
		return nonce() < 0 ? -1 : point_select(1);
	if (strcmp(qs, "post") == 0)
		return floor_post();
	if (strcmp(qs, "patch") == 0)
		return floor_patch();
	if (strncmp(qs, "sql=", 4) == 0)
		return file_statements(qs + 4);
	return point_select(atoll(qs));
}

int main(void)
{
	FCGX_Init();
	m = mysql_init(NULL);
	const char *sock = getenv("API_DB_SOCKET");
	const char *pw = getenv("API_DB_PASSWORD");
	if (!mysql_real_connect(m, "localhost", "mariapi", pw, "mariapi", 0, sock, 0))
		return 1;
	FCGX_Request req;
	FCGX_InitRequest(&req, 0, 0);
	while (FCGX_Accept_r(&req) >= 0) {
		const char *qs = FCGX_GetParam("QUERY_STRING", req.envp);
		/* A floor that failed is no floor: a 500, which wrk counts. */
		int ok = answer(qs && *qs ? qs : "1") == 0;
		if (!ok)
			mysql_rollback(m);
		static const char body[] = "{\"data\":{\"type\":\"contacts\",\"id\":\"1\"}}";
		char head[128];
		int n = snprintf(head, sizeof(head),
				 "Status: %s\r\nContent-Type: application/vnd.api+json\r\n"
				 "Content-Length: %zu\r\n\r\n",
				 ok ? "200 OK" : "500 Internal Server Error", sizeof(body) - 1);
		FCGX_PutStr(head, n, req.out);
		FCGX_PutStr(body, (int)sizeof(body) - 1, req.out);
		/* The API's quick close (src/http/io_fcgi.c): the input read to
		 * its end, then a plain close instead of libfcgi's shutdown and
		 * wait, so that the ceiling is served the same way. */
		char rest[256];
		while (FCGX_GetStr(rest, (int)sizeof(rest), req.in) > 0)
			;
		if (FCGX_HasSeenEOF(req.in) && FCGX_GetError(req.in) == 0)
			FCGX_Detach(&req);
		FCGX_Finish_r(&req);
	}
	return 0;
}
