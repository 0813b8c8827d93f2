/* apictl_db.c: `apictl migrate` (an empty database gets sql/schema.sql, then
 * every sql/migrations/NNN-name.sql not yet in schema_migrations is applied
 * in order and recorded) and `apictl seed` (sql/seed.sql into a database
 * with no organizations yet). The files hold many statements, so they are
 * sent as text on a connection of their own opened with
 * CLIENT_MULTI_STATEMENTS: the only place mysql_real_query is used (make
 * lint exempts this file), for trusted files of the installation, never
 * for anything a request or an argument says. Bookkeeping goes through db.c. */
#include "first.h"
#include "apictl.h"
#include "db.h"
#include "sql.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Where an installed apictl finds the files when nothing else says. */
#define SHARE_SQL_DIR "/usr/local/share/mariapi/sql"

#define SQL_DIR_HELP \
	"The sql/ directory is --sql-dir DIR, else $API_SQL_DIR, else ../sql or\n" \
	"../share/mariapi/sql next to the apictl executable (a checkout or `make\n" \
	"install`), else " SHARE_SQL_DIR ".\n"

const char apictl_db_migrate_usage[] =
	"usage: apictl migrate [--sql-dir DIR]\n"
	"Brings the configured database to the current schema: an empty database gets\n"
	"schema.sql; then every migrations/NNN-name.sql not yet recorded in the table\n"
	"schema_migrations is applied, in order of NNN, and recorded. Running it again\n"
	"does nothing. A database with tables but no schema_migrations is refused.\n"
	SQL_DIR_HELP;

const char apictl_db_seed_usage[] =
	"usage: apictl seed [--sql-dir DIR]\n"
	"Loads the demo data (seed.sql) into the configured database, which must have\n"
	"the schema (apictl migrate) and no organization yet: seed data has fixed ids,\n"
	"so it is refused on a database already in use.\n"
	SQL_DIR_HELP;

/* 1 when dir/schema.sql is readable. */
static int has_schema(const char *dir)
{
	char p[PATH_MAX];
	return snprintf(p, sizeof(p), "%s/schema.sql", dir) < (int)sizeof(p) &&
	       access(p, R_OK) == 0;
}

/* The sql/ directory into out (see SQL_DIR_HELP); 0, or 1 with a message. */
static int find_sql_dir(const char *opt, char *out, size_t len)
{
	const char *given = opt ? opt : getenv("API_SQL_DIR");
	if (given && *given) {
		/* Named explicitly: no silent fallback to other files. */
		if (!has_schema(given))
			return apictl_errf("no readable schema.sql in %s%s", given,
					   opt ? "" : " ($API_SQL_DIR)");
		snprintf(out, len, "%s", given);
		return 0;
	}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = 0;
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = 0;
			static const char *const rel[] = { "../sql", "../share/mariapi/sql" };
			for (size_t i = 0; i < ARRAY_LEN(rel); i++) {
				if (snprintf(out, len, "%s/%s", exe, rel[i]) < (int)len &&
				    has_schema(out))
					return 0;
			}
		}
	}
	if (has_schema(SHARE_SQL_DIR)) {
		snprintf(out, len, "%s", SHARE_SQL_DIR);
		return 0;
	}
	return apictl_errf("cannot find the sql/ directory (schema.sql): use --sql-dir DIR");
}

/* A connection for multi-statement files, set up as db.c sets up its own. */
static MYSQL *connect_multi(const struct config *cfg)
{
	MYSQL *m = mysql_init(NULL);
	if (!m) {
		apictl_errf("out of memory");
		return NULL;
	}
	unsigned timeout = 5;
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(m, MYSQL_INIT_COMMAND, "SET time_zone = '+00:00'");
	const char *sock = cfg->db_socket[0] ? cfg->db_socket : NULL;
	const char *host = sock ? "localhost" : cfg->db_host;
	if (!mysql_real_connect(m, host, cfg->db_user, cfg->db_password, cfg->db_name,
				cfg->db_port, sock, CLIENT_MULTI_STATEMENTS)) {
		apictl_errf("cannot connect to database \"%s\": %s", cfg->db_name, mysql_error(m));
		mysql_close(m);
		return NULL;
	}
	return m;
}

/* The whole file in a malloc'd, NUL-terminated buffer, or NULL (printed). */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		apictl_errf("cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	char *text = NULL;
	if (fstat(fileno(f), &st) == 0 && st.st_size >= 0 && st.st_size < (64 << 20))
		text = malloc((size_t)st.st_size + 1);
	if (text && fread(text, 1, (size_t)st.st_size, f) == (size_t)st.st_size) {
		text[st.st_size] = 0;
		*len = (size_t)st.st_size;
	} else {
		apictl_errf("cannot read %s", path);
		free(text);
		text = NULL;
	}
	fclose(f);
	return text;
}

/* Sends dir/name's statements; 0, or 1 with the server's message printed.
 * Statements before a failing one stay applied (DDL commits implicitly). */
static int run_file(MYSQL *m, const char *dir, const char *name)
{
	char path[PATH_MAX];
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return apictl_errf("path too long: %s/%s", dir, name);
	size_t len = 0;
	char *text = read_file(path, &len);
	if (!text)
		return 1;
	int rc = mysql_real_query(m, text, (unsigned long)len);
	free(text);
	unsigned n = 1;
	while (rc == 0) {
		MYSQL_RES *res = mysql_store_result(m);
		if (res)
			mysql_free_result(res);
		rc = mysql_next_result(m);
		if (rc == 0)
			n++;
		else if (rc < 0)
			return 0; /* no more results: all applied */
	}
	/* A file ending with a comment after its last ';' is no error. */
	if (mysql_errno(m) == ER_EMPTY_QUERY && n > 1)
		return 0;
	return apictl_errf("%s, statement %u: %s", path, n, mysql_error(m));
}

/* A COUNT(*) of information_schema; -1 on error (printed). */
static long long count_tables(struct ctl *c, const char *table)
{
	struct sql q;
	sql_init(&q, c->r.arena);
	sql_add(&q, "SELECT COUNT(*) FROM information_schema.tables"
		    " WHERE table_schema = DATABASE()");
	if (table) {
		sql_add(&q, " AND table_name = ");
		sql_str(&q, table, strlen(table));
	}
	struct db_rows rows;
	if (db_query(&c->r, &q, &rows) < 0 || rows.n != 1) {
		apictl_fail(c, "cannot read the database's tables");
		return -1;
	}
	return strtoll(rows.cells[0].s, NULL, 10);
}

/* --sql-dir DIR, the only option of migrate and seed; 0 or exit status. */
static int parse_opts(int argc, char **argv, const char *usage, const char **dir)
{
	*dir = NULL;
	if (argc == 3 && strcmp(argv[1], "--sql-dir") == 0)
		*dir = argv[2];
	else if (argc != 1)
		return apictl_usage(usage, 0);
	return 0;
}

/* NNN-name.sql: three digits, '-', letters, digits, '_', '-', '.'. */
static int is_migration(const struct dirent *d)
{
	const char *s = d->d_name;
	size_t n = strlen(s);
	return n > 8 && strspn(s, "0123456789") == 3 && s[3] == '-' &&
	       strcmp(s + n - 4, ".sql") == 0 &&
	       strspn(s + 4, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") ==
		       n - 4;
}

static int is_recorded(const struct db_rows *done, const char *version)
{
	for (size_t i = 0; i < done->n; i++)
		if (done->cells[i].s && strcmp(done->cells[i].s, version) == 0)
			return 1;
	return 0;
}

static int record(struct ctl *c, const char *version)
{
	struct sql q;
	sql_init(&q, c->r.arena);
	/* IGNORE: a migration may record itself. */
	sql_add(&q, "INSERT IGNORE INTO schema_migrations (version, applied_at) VALUES (");
	sql_str(&q, version, strlen(version));
	sql_add(&q, ", UTC_TIMESTAMP())");
	if (db_exec(&c->r, &q, NULL) != 0)
		return apictl_fail(c, "cannot record the migration");
	return 0;
}

/* Applies the migrations not in schema_migrations; 0 or 1. */
static int apply_migrations(struct ctl *c, MYSQL *m, const char *dir, int *applied)
{
	struct sql q;
	sql_init(&q, c->r.arena);
	sql_add(&q, "SELECT version FROM schema_migrations");
	struct db_rows done;
	if (db_query(&c->r, &q, &done) < 0)
		return apictl_fail(c, "cannot read schema_migrations");
	char mdir[PATH_MAX];
	if (snprintf(mdir, sizeof(mdir), "%s/migrations", dir) >= (int)sizeof(mdir))
		return apictl_errf("path too long: %s", dir);
	struct dirent **list = NULL;
	int n = scandir(mdir, &list, is_migration, alphasort);
	if (n < 0)
		return errno == ENOENT ? 0 : apictl_errf("cannot read %s: %s", mdir, strerror(errno));
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		const char *name = list[i]->d_name;
		if (i > 0 && strncmp(list[i - 1]->d_name, name, 3) == 0) {
			rc = apictl_errf("two migrations numbered %.3s in %s", name, mdir);
			break;
		}
		char version[256];
		snprintf(version, sizeof(version), "%.*s", (int)(strlen(name) - 4), name);
		if (is_recorded(&done, version))
			continue;
		rc = run_file(m, mdir, name);
		if (rc == 0)
			rc = record(c, version);
		if (rc == 0) {
			printf("applied migrations/%s\n", name);
			(*applied)++;
		}
	}
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
	return rc;
}

int apictl_db_migrate(struct ctl *c, int argc, char **argv)
{
	const char *opt;
	char dir[PATH_MAX];
	int rc = parse_opts(argc, argv, apictl_db_migrate_usage, &opt);
	if (rc || (rc = find_sql_dir(opt, dir, sizeof(dir))) != 0)
		return rc;
	long long all = count_tables(c, NULL);
	long long sm = all > 0 ? count_tables(c, "schema_migrations") : 0;
	if (all < 0 || sm < 0)
		return 1;
	if (all > 0 && sm == 0)
		return apictl_errf("database \"%s\" has tables but no schema_migrations table: not"
				   " one apictl migrate made; nothing done", c->cfg.db_name);
	MYSQL *m = connect_multi(&c->cfg);
	if (!m)
		return 1;
	int applied = 0;
	if (all == 0) {
		rc = run_file(m, dir, "schema.sql");
		if (rc == 0)
			rc = record(c, "000-initial");
		if (rc == 0) {
			printf("applied schema.sql\n");
			applied++;
		}
	}
	if (rc == 0)
		rc = apply_migrations(c, m, dir, &applied);
	mysql_close(m);
	if (rc == 0 && applied == 0)
		printf("database \"%s\" is up to date\n", c->cfg.db_name);
	return rc;
}

int apictl_db_seed(struct ctl *c, int argc, char **argv)
{
	const char *opt;
	char dir[PATH_MAX];
	int rc = parse_opts(argc, argv, apictl_db_seed_usage, &opt);
	if (rc || (rc = find_sql_dir(opt, dir, sizeof(dir))) != 0)
		return rc;
	long long sm = count_tables(c, "schema_migrations");
	if (sm < 0)
		return 1;
	if (sm == 0)
		return apictl_errf("database \"%s\" has no schema: run apictl migrate first",
				   c->cfg.db_name);
	struct sql q;
	sql_init(&q, c->r.arena);
	sql_add(&q, "SELECT COUNT(*) FROM organizations");
	struct db_rows rows;
	if (db_query(&c->r, &q, &rows) < 0)
		return apictl_fail(c, "cannot read organizations");
	if (strtoll(rows.cells[0].s, NULL, 10) > 0)
		return apictl_errf("database \"%s\" already has organizations: the demo data goes"
				   " into an empty database only; nothing done", c->cfg.db_name);
	MYSQL *m = connect_multi(&c->cfg);
	if (!m)
		return 1;
	rc = run_file(m, dir, "seed.sql");
	mysql_close(m);
	if (rc == 0)
		printf("applied seed.sql\n");
	return rc;
}
