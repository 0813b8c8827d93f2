/* apictl.c: the administration tool (section 14), never placed under
 * cgi-bin/. It works on the configured database through the same db.c as
 * the web binary, with a request context of its own. Commands that the
 * open issues have not needed yet are listed in --help as they arrive. */
#include "first.h"
#include "arena.h"
#include "config.h"
#include "db.h"
#include "err.h"
#include "oauth.h"
#include "req.h"
#include "sql.h"
#include "wsse.h"

#include <mysql.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
	"usage: apictl [--config FILE] COMMAND [ARGS]\n"
	"\n"
	"Commands:\n"
	"  apikey USERNAME [ORG]   create an API key for the user in ORG (name or id;\n"
	"                          default: the user's own organization); prints the key\n"
	"  wsse USERNAME KEY [--count N]  print fresh X-WSSE headers (each good once)\n"
	"  client add USERNAME [ORG]  create an OAuth client acting as the user in ORG;\n"
	"                          prints client_id and client_secret\n"
	"  token revoke TOKEN      revoke an OAuth access or refresh token\n"
	"  purge                   delete expired WSSE nonces and OAuth tokens\n"
	"  check-config            show the configuration and test the database connection\n"
	"  help, --help            this text\n"
	"\n"
	"The configuration file is --config, else $API_CONFIG, else var/api.conf when it\n"
	"exists (a `make run` checkout), else " CONFIG_DEFAULT_PATH ".\n";

static const char *no_param(void *ctx, const char *name)
{
	(void)ctx;
	(void)name;
	return NULL;
}

struct ctl {
	struct config cfg;
	struct request r;
	struct transport io;
};

/* Prints the request's errors (their details; the log has the causes). */
static int fail(struct ctl *c, const char *what)
{
	fprintf(stderr, "apictl: %s", what);
	for (const struct api_error *e = c->r.errors; e; e = e->next)
		fprintf(stderr, ": %s%s%s", e->title ? e->title : "", e->detail ? ": " : "",
			e->detail ? e->detail : "");
	fputc('\n', stderr);
	return 1;
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
	if (!c->r.arena || !c->r.db) {
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

/* Finds a user's id and own organization. 0, 1 if unknown, -1 on error. */
static int find_user(struct ctl *c, const char *username, long long *id, long long *org)
{
	struct sql q;
	sql_init(&q, c->r.arena);
	sql_add(&q, "SELECT id, organization_id FROM users WHERE username = ");
	sql_str(&q, username, strlen(username));
	struct db_rows rows;
	if (db_query(&c->r, &q, &rows) < 0)
		return -1;
	if (rows.n == 0)
		return 1;
	*id = strtoll(rows.cells[0].s, NULL, 10);
	*org = strtoll(rows.cells[1].s, NULL, 10);
	return 0;
}

/* Resolves an organization given by name or id among the user's. */
static int find_org(struct ctl *c, long long user, const char *org, long long *out)
{
	struct sql q;
	sql_init(&q, c->r.arena);
	sql_add(&q, "SELECT o.id FROM organizations o JOIN user_organizations uo"
		    " ON uo.organization_id = o.id AND uo.user_id = ");
	sql_int(&q, user);
	sql_add(&q, " WHERE o.name = ");
	sql_str(&q, org, strlen(org));
	sql_add(&q, " OR CAST(o.id AS CHAR) = ");
	sql_str(&q, org, strlen(org));
	struct db_rows rows;
	if (db_query(&c->r, &q, &rows) < 0)
		return -1;
	if (rows.n == 0)
		return 1;
	*out = strtoll(rows.cells[0].s, NULL, 10);
	return 0;
}

/* apikey's usage: on stdout with status 0 for --help, else on stderr. */
static int apikey_usage(int asked)
{
	fputs("usage: apictl apikey USERNAME [ORG]\n"
	      "Creates a new API key (40 hex characters) for USERNAME in ORG (name or id,\n"
	      "default: the user's own organization). Existing keys stay valid.\n",
	      asked ? stdout : stderr);
	return asked ? 0 : 2;
}

static int cmd_apikey(struct ctl *c, int argc, char **argv)
{
	if (argc < 2 || argc > 3)
		return apikey_usage(0);
	long long user, org;
	int rc = find_user(c, argv[1], &user, &org);
	if (rc < 0)
		return fail(c, "cannot read users");
	if (rc > 0) {
		fprintf(stderr, "apictl: no user named \"%s\"\n", argv[1]);
		return 1;
	}
	if (argc == 3) {
		rc = find_org(c, user, argv[2], &org);
		if (rc < 0)
			return fail(c, "cannot read organizations");
		if (rc > 0) {
			fprintf(stderr, "apictl: \"%s\" is not an organization of user \"%s\"\n",
				argv[2], argv[1]);
			return 1;
		}
	}
	unsigned char raw[20];
	if (RAND_bytes(raw, sizeof(raw)) != 1) {
		fprintf(stderr, "apictl: no randomness available\n");
		return 1;
	}
	char key[41];
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(key + 2 * i, 3, "%02x", raw[i]);
	struct sql q;
	sql_init(&q, c->r.arena);
	sql_add(&q, "INSERT INTO api_keys (user_id, organization_id, api_key, enabled, created_at)"
		    " VALUES (");
	sql_int(&q, user);
	sql_add(&q, ", ");
	sql_int(&q, org);
	sql_add(&q, ", ");
	sql_str(&q, key, 40);
	sql_add(&q, ", 1, UTC_TIMESTAMP())");
	if (db_exec(&c->r, &q, NULL) != 0)
		return fail(c, "cannot store the key");
	printf("%s\n", key);
	return 0;
}

static int cmd_wsse(int argc, char **argv)
{
	long count = 1;
	if (argc == 5 && strcmp(argv[3], "--count") == 0) {
		char *end;
		count = strtol(argv[4], &end, 10);
		if (*end || count < 1 || count > 10000000)
			count = 0;
		argc = 3;
	}
	if (argc != 3 || count == 0) {
		int asked = argc == 2 && strcmp(argv[1], "--help") == 0;
		fputs("usage: apictl wsse USERNAME KEY [--count N]\n"
		      "Prints an X-WSSE header line for one request (its nonce is single-use);\n"
		      "N lines with --count (benchmarks replay them, one per request).\n",
		      asked ? stdout : stderr);
		return asked ? 0 : 2;
	}
	char created[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", &tm);
	for (long i = 0; i < count; i++) {
		unsigned char raw[16];
		char nonce[32], digest[WSSE_DIGEST_LEN + 1];
		if (RAND_bytes(raw, sizeof(raw)) != 1)
			return 1;
		EVP_EncodeBlock((unsigned char *)nonce, raw, sizeof(raw));
		if (wsse_digest(nonce, created, argv[2], strlen(argv[2]), digest) < 0)
			return 1;
		printf("X-WSSE: UsernameToken Username=\"%s\", PasswordDigest=\"%s\", Nonce=\"%s\", "
		       "Created=\"%s\"\n", argv[1], digest, nonce, created);
	}
	return 0;
}

static int client_usage(int asked)
{
	fputs("usage: apictl client add USERNAME [ORG]\n"
	      "Creates an OAuth 2.0 client that acts as USERNAME in ORG (name or id, default:\n"
	      "the user's own organization). Prints client_id and client_secret; only an\n"
	      "argon2id hash of the secret is stored, so it cannot be shown again.\n",
	      asked ? stdout : stderr);
	return asked ? 0 : 2;
}

static int cmd_client(struct ctl *c, int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[2], "--help") == 0)
		return client_usage(1);
	if (argc < 3 || argc > 4 || strcmp(argv[1], "add") != 0)
		return client_usage(0);
	long long user, org;
	int rc = find_user(c, argv[2], &user, &org);
	if (rc < 0)
		return fail(c, "cannot read users");
	if (rc > 0) {
		fprintf(stderr, "apictl: no user named \"%s\"\n", argv[2]);
		return 1;
	}
	if (argc == 4) {
		rc = find_org(c, user, argv[3], &org);
		if (rc < 0)
			return fail(c, "cannot read organizations");
		if (rc > 0) {
			fprintf(stderr, "apictl: \"%s\" is not an organization of user \"%s\"\n",
				argv[3], argv[2]);
			return 1;
		}
	}
	unsigned char raw[48];
	if (RAND_bytes(raw, sizeof(raw)) != 1) {
		fprintf(stderr, "apictl: no randomness available\n");
		return 1;
	}
	char id[33], secret[65], hash[256];
	for (size_t i = 0; i < 16; i++)
		snprintf(id + 2 * i, 3, "%02x", raw[i]);
	for (size_t i = 0; i < 32; i++)
		snprintf(secret + 2 * i, 3, "%02x", raw[16 + i]);
	if (oauth_hash_secret(secret, hash, sizeof(hash)) < 0) {
		fprintf(stderr, "apictl: hashing the secret failed\n");
		return 1;
	}
	struct sql q;
	sql_init(&q, c->r.arena);
	sql_add(&q, "INSERT INTO oauth_clients (user_id, organization_id, client_id, secret_hash,"
		    " enabled, created_at) VALUES (");
	sql_int(&q, user);
	sql_add(&q, ", ");
	sql_int(&q, org);
	sql_add(&q, ", ");
	sql_str(&q, id, 32);
	sql_add(&q, ", ");
	sql_str(&q, hash, strlen(hash));
	sql_add(&q, ", 1, UTC_TIMESTAMP())");
	if (db_exec(&c->r, &q, NULL) != 0)
		return fail(c, "cannot store the client");
	printf("client_id: %s\nclient_secret: %s\n", id, secret);
	return 0;
}

static int token_usage(int asked)
{
	fputs("usage: apictl token revoke TOKEN\n"
	      "Revokes an OAuth 2.0 access or refresh token (it stops working at once).\n",
	      asked ? stdout : stderr);
	return asked ? 0 : 2;
}

static int cmd_token(struct ctl *c, int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[2], "--help") == 0)
		return token_usage(1);
	if (argc != 3 || strcmp(argv[1], "revoke") != 0)
		return token_usage(0);
	unsigned char h[OAUTH_HASH_LEN];
	if (oauth_token_hash(argv[2], strlen(argv[2]), h) < 0) {
		fprintf(stderr, "apictl: SHA-256 failed\n");
		return 1;
	}
	struct sql q;
	sql_init(&q, c->r.arena);
	sql_add(&q, "UPDATE oauth_tokens SET revoked = 1 WHERE token_hash = ");
	sql_str(&q, (const char *)h, sizeof(h));
	unsigned long long affected = 0;
	if (db_exec(&c->r, &q, &affected) != 0)
		return fail(c, "cannot revoke the token");
	sql_init(&q, c->r.arena);
	sql_add(&q, "SELECT revoked FROM oauth_tokens WHERE token_hash = ");
	sql_str(&q, (const char *)h, sizeof(h));
	struct db_rows rows;
	if (db_query(&c->r, &q, &rows) < 0)
		return fail(c, "cannot read tokens");
	if (rows.n == 0) {
		fprintf(stderr, "apictl: no such token\n");
		return 1;
	}
	printf("revoked\n");
	return 0;
}

static int purge_usage(int asked)
{
	fputs("usage: apictl purge\n"
	      "Deletes expired WSSE nonces and expired OAuth tokens; prints how many.\n",
	      asked ? stdout : stderr);
	return asked ? 0 : 2;
}

static int cmd_purge(struct ctl *c, int argc)
{
	if (argc != 1)
		return purge_usage(0);
	static const char *const stmt[] = {
		"DELETE FROM wsse_nonces WHERE expires_at < UTC_TIMESTAMP()",
		"DELETE FROM oauth_tokens WHERE expires_at < UTC_TIMESTAMP()",
	};
	static const char *const what[] = { "nonces", "tokens" };
	for (size_t i = 0; i < ARRAY_LEN(stmt); i++) {
		struct sql q;
		sql_init(&q, c->r.arena);
		sql_add(&q, stmt[i]);
		unsigned long long affected = 0;
		if (db_exec(&c->r, &q, &affected) != 0)
			return fail(c, "purge failed");
		printf("%s: %llu deleted\n", what[i], affected);
	}
	return 0;
}

static int cmd_check_config(struct ctl *c)
{
	printf("configuration file: %s\n", c->cfg.path[0] ? c->cfg.path : "(none: defaults)");
	config_dump(&c->cfg, stdout);
	struct sql q;
	sql_init(&q, c->r.arena);
	sql_add(&q, "SELECT VERSION()");
	struct db_rows rows;
	if (db_query(&c->r, &q, &rows) < 0)
		return fail(c, "database connection failed");
	printf("database: connected, MariaDB %s\n", rows.cells[0].s);
	return 0;
}

int main(int argc, char **argv)
{
	const char *config_path = NULL;
	int i = 1;
	if (i + 1 < argc && strcmp(argv[i], "--config") == 0) {
		config_path = argv[i + 1];
		i += 2;
	}
	if (i >= argc || strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "help") == 0 ||
	    strcmp(argv[i], "-h") == 0) {
		fputs(usage, i >= argc ? stderr : stdout);
		return i >= argc ? 2 : 0;
	}
	const char *cmd = argv[i];
	if (strcmp(cmd, "wsse") == 0)
		return cmd_wsse(argc - i, argv + i);
	static const char *const db_cmds[] = { "apikey", "check-config", "client", "token", "purge" };
	int known = 0;
	for (size_t k = 0; k < ARRAY_LEN(db_cmds); k++)
		known |= strcmp(cmd, db_cmds[k]) == 0;
	if (!known) {
		fprintf(stderr, "apictl: unknown command \"%s\" (see apictl --help)\n", cmd);
		return 2;
	}
	if (argc - i >= 2 && strcmp(argv[i + 1], "--help") == 0) {
		if (strcmp(cmd, "apikey") == 0)
			return apikey_usage(1);
		if (strcmp(cmd, "client") == 0)
			return client_usage(1);
		if (strcmp(cmd, "token") == 0)
			return token_usage(1);
		if (strcmp(cmd, "purge") == 0)
			return purge_usage(1);
		printf("usage: apictl check-config\nShows the configuration in force and tests the"
		       " database connection.\n");
		return 0;
	}
	struct ctl c;
	memset(&c, 0, sizeof(c));
	if (mysql_library_init(0, NULL, NULL) != 0 || open_ctl(&c, config_path) < 0)
		return 1;
	int rc = strcmp(cmd, "apikey") == 0   ? cmd_apikey(&c, argc - i, argv + i)
		 : strcmp(cmd, "client") == 0 ? cmd_client(&c, argc - i, argv + i)
		 : strcmp(cmd, "token") == 0  ? cmd_token(&c, argc - i, argv + i)
		 : strcmp(cmd, "purge") == 0  ? cmd_purge(&c, argc - i)
					      : cmd_check_config(&c);
	close_ctl(&c);
	mysql_library_end();
	return rc;
}
