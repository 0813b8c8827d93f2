/* apictl.c: the administration tool (section 14), never placed under
 * cgi-bin/: option parsing, the command table, --help, and the helpers the
 * command groups share (apictl.h). The groups live in apictl_cred.c (keys,
 * clients, tokens), apictl_org.c, apictl_user.c, apictl_role.c and
 * apictl_db.c (migrate, seed), apictl_batch.c (batch-worker). They work
 * on the configured database through
 * the same db.c as the web binary, with a request context of their own. */
#include "first.h"
#include "apictl.h"
#include "arena.h"
#include "config.h"
#include "db.h"
#include "err.h"
#include "sql.h"

#include <mysql.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: apictl [--config FILE] COMMAND [ARGS]\n"
	"\n"
	"Commands (each has --help):\n"
	"  migrate [--sql-dir DIR]  create or upgrade the database schema\n"
	"  seed [--sql-dir DIR]     load the demo data into an empty database\n"
	"  org add NAME [--unit UNIT]  create an organization (and its top business\n"
	"                          unit); prints its id\n"
	"  org disable ORG         disable an organization (name or id)\n"
	"  user add USERNAME --email E --org ORG --unit UNIT [--role ROLE]...\n"
	"           [--password P] create a user; prints its id\n"
	"  user disable USERNAME   disable a user\n"
	"  role add ROLE LABEL [--org ORG]  create a role; prints its id\n"
	"  role grant ROLE TYPE PERMISSION LEVEL  set a role's access level\n"
	"  apikey USERNAME [ORG]   create an API key for the user in ORG (name or id;\n"
	"                          default: the user's own organization); prints the key\n"
	"  apikey disable KEY      disable an API key\n"
	"  wsse USERNAME KEY [--count N]  print fresh X-WSSE headers (each good once)\n"
	"  client add USERNAME [ORG]  create an OAuth client acting as the user in ORG;\n"
	"                          prints client_id and client_secret\n"
	"  token revoke TOKEN      revoke an OAuth access or refresh token\n"
	"  purge                   delete expired WSSE nonces, OAuth tokens, OAuth\n"
	"                          failure counters and batch operations older than 30 days\n"
	"  batch-worker [--max-jobs N]  finish batch jobs whose runner died (cron)\n"
	"  check-config            show the configuration and test the database connection\n"
	"  openapi [--base-url URL]  print the OpenAPI 3.1 document of the service\n"
	"  help, --help            this text\n"
	"\n"
	"The configuration file is --config, else $API_CONFIG, else var/api.conf when it\n"
	"exists (a `make run` checkout), else " CONFIG_DEFAULT_PATH ".\n"
	"Every key can be overridden by the environment (db.name -> API_DB_NAME).\n";

static const char check_config_usage[] =
	"usage: apictl check-config\n"
	"Shows the configuration in force (passwords masked) and tests the database\n"
	"connection.\n";

static const char *no_param(void *ctx, const char *name)
{
	(void)ctx;
	(void)name;
	return NULL;
}

int apictl_errf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("apictl: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return 1;
}

/* Prints the request's errors (their details; the log has the causes). */
int apictl_fail(struct ctl *c, const char *what)
{
	fprintf(stderr, "apictl: %s", what);
	for (const struct api_error *e = c->r.errors; e; e = e->next)
		fprintf(stderr, ": %s%s%s", e->title ? e->title : "", e->detail ? ": " : "",
			e->detail ? e->detail : "");
	fputc('\n', stderr);
	return 1;
}

int apictl_usage(const char *text, int asked)
{
	fputs(text, asked ? stdout : stderr);
	return asked ? 0 : APICTL_USAGE;
}

static int open_ctl(struct ctl *c, const char *path)
{
	char err[1024];
	if (!path && !getenv("API_CONFIG") && access("var/api.conf", R_OK) == 0)
		path = "var/api.conf";
	if (config_load(&c->cfg, path, err, sizeof(err)) < 0) {
		fprintf(stderr, "apictl: configuration: %s\n", err);
		return -1;
	}
	c->io.param = no_param;
	memset(&c->r, 0, sizeof(c->r));
	c->r.cfg = &c->cfg;
	c->r.io = &c->io;
	c->r.method = "CLI";
	c->r.uri = "apictl";
	snprintf(c->r.id, sizeof(c->r.id), "apictl");
	c->r.arena = arena_new();
	c->r.db = db_new(&c->cfg);
	if (!c->r.db) {
		fprintf(stderr, "apictl: out of memory\n");
		return -1;
	}
	return 0;
}

static void close_ctl(struct ctl *c)
{
	arena_destroy(c->r.arena);
	db_free(c->r.db);
}

/* First row's columns into ids; 0, 1 when there is no row, -1. */
static int first_row(struct ctl *c, struct sql *q, long long *a, long long *b)
{
	struct db_rows rows;
	if (db_query(&c->r, q, &rows) < 0)
		return -1;
	if (rows.n == 0)
		return 1;
	*a = rows.cells[0].s ? strtoll(rows.cells[0].s, NULL, 10) : 0;
	if (b)
		*b = rows.ncols > 1 && rows.cells[1].s ? strtoll(rows.cells[1].s, NULL, 10) : 0;
	return 0;
}

int apictl_find_user(struct ctl *c, const char *username, long long *id, long long *org)
{
	struct sql q;
	sql_init(&q, c->r.arena);
	sql_add(&q, "SELECT id, organization_id FROM users WHERE username = ");
	sql_str(&q, username, strlen(username));
	return first_row(c, &q, id, org);
}

/* Appends "(name = ? OR CAST(id AS CHAR) = ?) ORDER BY <id match> DESC
 * LIMIT 1" for table alias a: an id wins over a name made of digits. */
static void add_name_or_id(struct sql *q, const char *a, const char *v)
{
	size_t n = strlen(v);
	sql_add(q, "(");
	sql_ident(q, a, "name");
	sql_add(q, " = ");
	sql_str(q, v, n);
	sql_add(q, " OR CAST(");
	sql_ident(q, a, "id");
	sql_add(q, " AS CHAR) = ");
	sql_str(q, v, n);
	sql_add(q, ") ORDER BY CAST(");
	sql_ident(q, a, "id");
	sql_add(q, " AS CHAR) = ");
	sql_str(q, v, n);
	sql_add(q, " DESC LIMIT 1");
}

int apictl_find_org(struct ctl *c, const char *org, long long *id, int *enabled)
{
	struct sql q;
	sql_init(&q, c->r.arena);
	sql_add(&q, "SELECT o.id, o.enabled FROM organizations o WHERE ");
	add_name_or_id(&q, "o", org);
	long long en = 0;
	int rc = first_row(c, &q, id, &en);
	if (rc == 0 && enabled)
		*enabled = en != 0;
	return rc;
}

int apictl_find_user_org(struct ctl *c, long long user, const char *org, long long *out)
{
	struct sql q;
	sql_init(&q, c->r.arena);
	sql_add(&q, "SELECT o.id FROM organizations o JOIN user_organizations uo"
		    " ON uo.organization_id = o.id AND uo.user_id = ");
	sql_int(&q, user);
	sql_add(&q, " WHERE ");
	add_name_or_id(&q, "o", org);
	return first_row(c, &q, out, NULL);
}

int apictl_id_of(struct ctl *c, const char *text, const char *value, long long *id)
{
	struct sql q;
	sql_init(&q, c->r.arena);
	sql_add(&q, text);
	sql_str(&q, value, strlen(value));
	return first_row(c, &q, id, NULL);
}

static int cmd_check_config(struct ctl *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return apictl_usage(check_config_usage, 0);
	printf("configuration file: %s\n", c->cfg.path[0] ? c->cfg.path : "(none: defaults)");
	config_dump(&c->cfg, stdout);
	struct sql q;
	sql_init(&q, c->r.arena);
	sql_add(&q, "SELECT VERSION()");
	struct db_rows rows;
	if (db_query(&c->r, &q, &rows) < 0)
		return apictl_fail(c, "database connection failed");
	printf("database: connected, MariaDB %s\n", rows.cells[0].s);
	return 0;
}

/* wsse needs no database: a different signature. */
static int cmd_wsse(struct ctl *c, int argc, char **argv)
{
	(void)c;
	return apictl_cred_wsse(argc, argv);
}

/* The command table (redis style): name, usage, runner, database needed. */
static const struct command {
	const char *name;
	const char *usage;
	int (*run)(struct ctl *c, int argc, char **argv);
	int needs_db;
} commands[] = {
	{ "migrate", apictl_db_migrate_usage, apictl_db_migrate, 1 },
	{ "seed", apictl_db_seed_usage, apictl_db_seed, 1 },
	{ "org", apictl_org_usage, apictl_org_run, 1 },
	{ "user", apictl_user_usage, apictl_user_run, 1 },
	{ "role", apictl_role_usage, apictl_role_run, 1 },
	{ "apikey", apictl_cred_apikey_usage, apictl_cred_apikey, 1 },
	{ "wsse", apictl_cred_wsse_usage, cmd_wsse, 0 },
	{ "client", apictl_cred_client_usage, apictl_cred_client, 1 },
	{ "token", apictl_cred_token_usage, apictl_cred_token, 1 },
	{ "purge", apictl_cred_purge_usage, apictl_cred_purge, 1 },
	{ "batch-worker", apictl_batch_usage, apictl_batch_worker, 1 },
	{ "check-config", check_config_usage, cmd_check_config, 1 },
	{ "openapi", apictl_openapi_usage, apictl_openapi_run, 1 },
};

int main(int argc, char **argv)
{
	const char *config_path = NULL;
	int i = 1;
	if (i + 1 < argc && strcmp(argv[i], "--config") == 0) {
		config_path = argv[i + 1];
		i += 2;
	}
	if (i >= argc || strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "help") == 0 ||
	    strcmp(argv[i], "-h") == 0)
		return apictl_usage(usage, i < argc);
	const struct command *cmd = NULL;
	for (size_t k = 0; k < ARRAY_LEN(commands); k++)
		if (strcmp(argv[i], commands[k].name) == 0)
			cmd = &commands[k];
	if (!cmd) {
		fprintf(stderr, "apictl: unknown command \"%s\" (see apictl --help)\n", argv[i]);
		return APICTL_USAGE;
	}
	/* --help anywhere after the command (or `org help`): its usage, and
	 * nothing else is done. */
	for (int k = i + 1; k < argc; k++)
		if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0 ||
		    (k == i + 1 && strcmp(argv[k], "help") == 0))
			return apictl_usage(cmd->usage, 1);
	struct ctl c;
	memset(&c, 0, sizeof(c));
	if (!cmd->needs_db)
		return cmd->run(&c, argc - i, argv + i);
	if (mysql_library_init(0, NULL, NULL) != 0 || open_ctl(&c, config_path) < 0)
		return 1;
	int rc = cmd->run(&c, argc - i, argv + i);
	close_ctl(&c);
	mysql_library_end();
	return rc;
}
