/* apictl_cred.c: the credential commands of apictl: `apikey` (new WSSE key,
 * `apikey disable`), `wsse` (signed headers for tests and benchmarks),
 * `client add` (OAuth client), `token revoke` and `purge` (expired nonces
 * and tokens, old batch operations). Keys and secrets are printed once, when they are made. */
#include "first.h"
#include "hex.h"
#include "apictl.h"
#include "batch_job.h"
#include "db.h"
#include "oauth.h"
#include "secret.h"
#include "sql.h"
#include "wsse.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char apictl_cred_apikey_usage[] =
	"usage: apictl apikey USERNAME [ORG]\n"
	"       apictl apikey disable KEY\n"
	"The first form creates a new API key (40 hex characters, the last line of the\n"
	"output) for USERNAME in ORG (name or id, default: the user's own organization).\n"
	"Existing keys stay valid. The second disables KEY: requests signed with it get\n"
	"401 from the next one on.\n";

const char apictl_cred_wsse_usage[] =
	"usage: apictl wsse USERNAME KEY [--count N]\n"
	"Prints an X-WSSE header line for one request (its nonce is single-use);\n"
	"N lines with --count (benchmarks replay them, one per request).\n";

const char apictl_cred_client_usage[] =
	"usage: apictl client add USERNAME [ORG]\n"
	"Creates an OAuth 2.0 client that acts as USERNAME in ORG (name or id, default:\n"
	"the user's own organization). Prints client_id and client_secret; only an\n"
	"argon2id hash of the secret is stored, so it cannot be shown again.\n";

const char apictl_cred_token_usage[] =
	"usage: apictl token revoke TOKEN\n"
	"Revokes an OAuth 2.0 access or refresh token (it stops working at once).\n";

const char apictl_cred_purge_usage[] =
	"usage: apictl purge\n"
	"Deletes expired WSSE nonces, expired OAuth tokens, expired OAuth failure\n"
	"counters, and batch operations (asyncoperations, with their errors) that\n"
	"finished more than 30 days ago; prints how many.\n";

/* The user's id and organization (ORG if given): 0, or 1 with a message. */
static int user_and_org(struct ctl *c, const char *username, const char *org_arg,
			long long *user, long long *org)
{
	int rc = apictl_find_user(c, username, user, org);
	if (rc < 0)
		return apictl_fail(c, "cannot read users");
	if (rc > 0)
		return apictl_errf("no user named \"%s\"", username);
	if (org_arg) {
		rc = apictl_find_user_org(c, *user, org_arg, org);
		if (rc < 0)
			return apictl_fail(c, "cannot read organizations");
		if (rc > 0)
			return apictl_errf("\"%s\" is not an organization of user \"%s\"", org_arg,
					   username);
	}
	return 0;
}

static int apikey_disable(struct ctl *c, const char *key)
{
	size_t n = strlen(key);
	if (n != 40 || strspn(key, "0123456789abcdef") != 40)
		return apictl_errf("an API key is 40 lowercase hex characters");
	struct sql q;
	sql_init(&q, c->r.arena);
	sql_add(&q, "UPDATE api_keys SET enabled = 0 WHERE api_key = ");
	sql_str(&q, key, n);
	if (db_exec(&c->r, &q, NULL) != 0)
		return apictl_fail(c, "cannot disable the key");
	long long id;
	int rc = apictl_id_of(c, "SELECT id FROM api_keys WHERE api_key = ", key, &id);
	if (rc < 0)
		return apictl_fail(c, "cannot read keys");
	/* The key itself is a secret: never echoed. */
	if (rc > 0)
		return apictl_errf("no such API key");
	printf("API key %lld disabled\n", id);
	return 0;
}

int apictl_cred_apikey(struct ctl *c, int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "disable") == 0)
		return apikey_disable(c, argv[2]);
	if (argc < 2 || argc > 3)
		return apictl_usage(apictl_cred_apikey_usage, 0);
	long long user, org;
	if (user_and_org(c, argv[1], argc == 3 ? argv[2] : NULL, &user, &org))
		return 1;
	unsigned char raw[20];
	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return apictl_errf("no randomness available");
	char key[41];
	hex_encode(key, raw, sizeof(raw));
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
		return apictl_fail(c, "cannot store the key");
	printf("%s\n", key);
	return 0;
}

int apictl_cred_wsse(int argc, char **argv)
{
	long count = 1;
	if (argc == 5 && strcmp(argv[3], "--count") == 0) {
		char *end;
		count = strtol(argv[4], &end, 10);
		if (*end || count < 1 || count > 10000000)
			count = 0;
		argc = 3;
	}
	if (argc != 3 || count == 0)
		return apictl_usage(apictl_cred_wsse_usage, 0);
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

int apictl_cred_client(struct ctl *c, int argc, char **argv)
{
	if (argc < 3 || argc > 4 || strcmp(argv[1], "add") != 0)
		return apictl_usage(apictl_cred_client_usage, 0);
	long long user, org;
	if (user_and_org(c, argv[2], argc == 4 ? argv[3] : NULL, &user, &org))
		return 1;
	unsigned char raw[48];
	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return apictl_errf("no randomness available");
	char id[33], secret[65], hash[256];
	hex_encode(id, raw, 16);
	hex_encode(secret, raw + 16, 32);
	if (secret_hash(secret, hash, sizeof(hash)) < 0)
		return apictl_errf("hashing the secret failed");
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
		return apictl_fail(c, "cannot store the client");
	printf("client_id: %s\nclient_secret: %s\n", id, secret);
	return 0;
}

int apictl_cred_token(struct ctl *c, int argc, char **argv)
{
	if (argc != 3 || strcmp(argv[1], "revoke") != 0)
		return apictl_usage(apictl_cred_token_usage, 0);
	unsigned char h[OAUTH_HASH_LEN];
	if (oauth_token_hash(argv[2], strlen(argv[2]), h) < 0)
		return apictl_errf("SHA-256 failed");
	struct sql q;
	sql_init(&q, c->r.arena);
	sql_add(&q, "UPDATE oauth_tokens SET revoked = 1 WHERE token_hash = ");
	sql_str(&q, (const char *)h, sizeof(h));
	unsigned long long affected = 0;
	if (db_exec(&c->r, &q, &affected) != 0)
		return apictl_fail(c, "cannot revoke the token");
	sql_init(&q, c->r.arena);
	sql_add(&q, "SELECT revoked FROM oauth_tokens WHERE token_hash = ");
	sql_str(&q, (const char *)h, sizeof(h));
	struct db_rows rows;
	if (db_query(&c->r, &q, &rows) < 0)
		return apictl_fail(c, "cannot read tokens");
	if (rows.n == 0)
		return apictl_errf("no such token");
	printf("revoked\n");
	return 0;
}

int apictl_cred_purge(struct ctl *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return apictl_usage(apictl_cred_purge_usage, 0);
	/* Nonces whose Created is refused on every host (see auth.c), from the
	 * old end of the table in batches: millions of expired rows never make
	 * one long transaction, and the service's inserts go on meanwhile. A
	 * pause as long as each batch took leaves the server half its time. */
	unsigned long long nonces = 0, batch;
	do {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		struct sql q;
		sql_init(&q, c->r.arena);
		sql_add(&q, "DELETE FROM wsse_nonces WHERE created < FROM_UNIXTIME(");
		sql_int(&q, (long long)time(NULL) - c->cfg.wsse_lifetime - c->cfg.wsse_max_clock_skew);
		sql_add(&q, ") ORDER BY created, nonce_hash LIMIT 10000");
		batch = 0;
		if (db_exec(&c->r, &q, &batch) != 0)
			return apictl_fail(c, "purge failed");
		nonces += batch;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		long long ns = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
		struct timespec pause = { (time_t)(ns / 1000000000LL), (long)(ns % 1000000000LL) };
		if (batch == 10000)
			nanosleep(&pause, NULL);
	} while (batch == 10000);
	printf("nonces: %llu deleted\n", nonces);
	static const char *const stmt[] = {
		"DELETE FROM oauth_tokens WHERE expires_at < UTC_TIMESTAMP()",
	};
	static const char *const what[] = { "tokens" };
	for (size_t i = 0; i < ARRAY_LEN(stmt); i++) {
		struct sql q;
		sql_init(&q, c->r.arena);
		sql_add(&q, stmt[i]);
		unsigned long long affected = 0;
		if (db_exec(&c->r, &q, &affected) != 0)
			return apictl_fail(c, "purge failed");
		printf("%s: %llu deleted\n", what[i], affected);
	}
	/* OAuth failure counters whose oauth.failure_window has passed. */
	unsigned long long failures = 0;
	if (oauth_purge_failures(&c->r, &failures) < 0)
		return apictl_fail(c, "purge failed");
	printf("failure counters: %llu deleted\n", failures);
	unsigned long long ops = 0;
	if (batch_job_purge(&c->r, &ops) < 0)
		return apictl_fail(c, "purge failed");
	printf("async operations: %llu deleted\n", ops);
	return 0;
}
