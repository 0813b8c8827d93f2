/* oauth.c: see oauth.h. The token endpoint answers in plain JSON (RFC 6749
 * section 5), not JSON:API: {"error", "error_description", "hint"?} with
 * 400 or 401, or the token response with Cache-Control: no-store. Client
 * credentials come from the body or HTTP Basic. A refresh token is revoked
 * by one conditional UPDATE before its successor is issued, in the same
 * transaction, so two racing requests cannot both rotate it. Every token
 * carries its family (the hash of the grant's first access token; rotations
 * inherit it): a refresh token presented again after it was rotated or
 * revoked revokes the whole family (RFC 9700). Failed authentications are
 * counted per username and per client in oauth_failures; past
 * oauth.max_failures within oauth.failure_window the endpoint answers 429
 * before any argon2id run. */
#include "first.h"
#include "hex.h"
#include "oauth.h"
#include "maxima.h"
#include "arena.h"
#include "auth.h"
#include "authcache.h"
#include "authhdr.h"
#include "body.h"
#include "config.h"
#include "db.h"
#include "digest.h"
#include "err.h"
#include "log.h"
#include "secret.h"
#include "sql.h"
#include "ttlcache.h"
#include "url.h"

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct params {
	size_t n;
	const char *name[MAX_OAUTH_PARAMS];
	const char *value[MAX_OAUTH_PARAMS];
};

/* The client the request authenticated as. */
struct client {
	long long id, user_id, org_id;
	const char *client_id;
};

static const char *param(const struct params *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->name[i], name) == 0)
			return p->value[i];
	return NULL;
}

static void add_param(struct params *p, const char *name, const char *value)
{
	/* The first of a repeated parameter wins; empty values count as missing. */
	if (p->n == MAX_OAUTH_PARAMS || !*value || param(p, name))
		return;
	p->name[p->n] = name;
	p->value[p->n] = value;
	p->n++;
}

/* Segment "/oauth2-token" at path[i]? */
static int token_segment(const char *path, size_t len, size_t i)
{
	return i + 13 <= len && memcmp(path + i, "/oauth2-token", 13) == 0 &&
	       (i + 13 == len || path[i + 13] == '/');
}

int oauth_match(struct request *r)
{
	const char *path = r->path;
	size_t len = strlen(path);
	for (size_t i = 0; i < len; i++) {
		if (path[i] != '/')
			continue;
		/* An "/api" segment first makes it an API path. */
		if (i + 4 <= len && memcmp(path + i + 1, "api", 3) == 0 &&
		    (i + 4 == len || path[i + 4] == '/'))
			return 0;
		if (!token_segment(path, len, i))
			continue;
		const char *rest = path + i + 13;
		int kind = *rest == '\0' ? 1 : strcmp(rest, "/revoke") == 0 ? 2 : 0;
		if (kind && r->cfg->api_enabled)
			r->route.prefix = arena_strndup(r->arena, path, i);
		return r->cfg->api_enabled ? kind : 0;
	}
	return 0;
}

/* Writes obj (stolen) as the response body with status. */
static void respond_json(struct request *r, int status, json_t *obj)
{
	r->status = status;
	r->keep_error_body = 1;
	char *s = obj ? json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(obj);
	if (!s) {
		err_internal(r, "out of memory writing the token response");
		return;
	}
	buf_puts(&r->body, s);
	free(s);
}

static void oauth_error(struct request *r, int status, const char *error, const char *desc,
			const char *hint)
{
	json_t *o = json_object();
	if (o) {
		json_object_set_new(o, "error", json_string(error));
		json_object_set_new(o, "error_description", json_string(desc));
		if (hint)
			json_object_set_new(o, "hint", json_string(hint));
	}
	respond_json(r, status, o);
}

static void missing(struct request *r, const char *name)
{
	char hint[64];
	snprintf(hint, sizeof(hint), "Check the `%s` parameter", name);
	oauth_error(r, 400, "invalid_request",
		    "The request is missing a required parameter, includes an invalid parameter"
		    " value, includes a parameter more than once, or is otherwise malformed.",
		    hint);
}

static void invalid_client(struct request *r)
{
	oauth_error(r, 401, "invalid_client", "Client authentication failed", NULL);
}

/* application/x-www-form-urlencoded into p. */
static int parse_form(struct request *r, const char *s, size_t len, struct params *p)
{
	const char *end = s + len;
	while (s < end) {
		const char *amp = memchr(s, '&', (size_t)(end - s));
		const char *e = amp ? amp : end;
		const char *eq = memchr(s, '=', (size_t)(e - s));
		if (eq) {
			size_t nl, vl;
			char *name = url_decode(r->arena, s, (size_t)(eq - s), 1, &nl);
			char *value = url_decode(r->arena, eq + 1, (size_t)(e - eq - 1), 1, &vl);
			if (strlen(name) == nl && strlen(value) == vl) /* no NUL bytes */
				add_param(p, name, value);
		}
		s = amp ? amp + 1 : end;
	}
	return 0;
}

/* A JSON object of string values into p; 1 when the body is not one. */
static int parse_json(struct request *r, const char *s, size_t len, struct params *p)
{
	json_t *root = json_loadb(s, len, 0, NULL);
	if (!json_is_object(root)) {
		json_decref(root);
		return 1;
	}
	const char *key;
	json_t *v;
	json_object_foreach(root, key, v) {
		if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
			continue;
		const char *name = arena_strdup(r->arena, key);
		const char *value = arena_strdup(r->arena, json_string_value(v));
		add_param(p, name, value);
	}
	json_decref(root);
	return 0;
}

static int read_params(struct request *r, struct params *p)
{
	const char *data;
	size_t len;
	if (body_read(r, &data, &len) < 0)
		return -1;
	const char *ct = req_param(r, "CONTENT_TYPE");
	int rc;
	if (ct && strncasecmp(ct, "application/json", 16) == 0 &&
	    (ct[16] == '\0' || ct[16] == ';' || ct[16] == ' '))
		rc = parse_json(r, data, len, p);
	else
		rc = parse_form(r, data, len, p);
	if (rc < 0)
		err_internal(r, "out of memory reading the token request");
	else if (rc > 0)
		oauth_error(r, 400, "invalid_request",
			    "The request is missing a required parameter, includes an invalid"
			    " parameter value, includes a parameter more than once, or is otherwise"
			    " malformed.",
			    "The request body must be a JSON object");
	return rc == 0 ? 0 : -1;
}

/* Client credentials from "Authorization: Basic" when the body has none. */
static int basic_credentials(struct request *r, struct params *p)
{
	const char *a = authhdr_get(r);
	if (!a || strncasecmp(a, "Basic ", 6) != 0 || param(p, "client_id"))
		return 0;
	const char *b64 = a + 6;
	while (*b64 == ' ')
		b64++;
	size_t n = strlen(b64);
	if (n == 0 || n % 4 || n > 4096)
		return 0;
	unsigned char *raw = arena_alloc(r->arena, n);
	int m = EVP_DecodeBlock(raw, (const unsigned char *)b64, (int)n);
	if (m < 0)
		return 0;
	if (b64[n - 1] == '=')
		m--;
	if (b64[n - 2] == '=')
		m--;
	const unsigned char *colon = memchr(raw, ':', (size_t)m);
	if (!colon)
		return 0;
	size_t il, sl;
	/* RFC 6749 2.3.1: both are form-urlencoded before encoding. */
	char *id = url_decode(r->arena, (const char *)raw, (size_t)(colon - raw), 1, &il);
	char *secret = url_decode(r->arena, (const char *)colon + 1, (size_t)(raw + m - colon - 1), 1,
				     &sl);
	if (strlen(id) == il && strlen(secret) == sl) {
		add_param(p, "client_id", id);
		add_param(p, "client_secret", secret);
	}
	return 0;
}

int oauth_token_hash(const char *token, size_t len, unsigned char out[OAUTH_HASH_LEN])
{
	return digest_sha256(token, len, out);
}

/* The hash of token in the arena, or NULL (error recorded). */
static const char *hash_in_arena(struct request *r, const char *token, size_t len)
{
	unsigned char *h = arena_alloc(r->arena, OAUTH_HASH_LEN);
	if (oauth_token_hash(token, len, h) < 0) {
		err_internal(r, "SHA-256 failed");
		return NULL;
	}
	return (const char *)h;
}

/* --- failure counters ------------------------------------------------- */

/* Appends the counter key of name: SHA-256 of prefix ("user:" or "client:")
 * and the hex utf8mb4_unicode_ci weight of the name without trailing
 * spaces, computed by MariaDB. users.username compares in that collation
 * and oauth_clients.client_id in a narrower one (ascii_general_ci), so every
 * spelling a lookup takes for the same name ("Admin", "admin ") shares one
 * counter, and unknown names are counted exactly like known ones. */
static void add_failure_key(struct sql *q, const char *prefix, const char *name)
{
	sql_add(q, "UNHEX(SHA2(CONCAT(");
	sql_str(q, prefix, strlen(prefix));
	sql_add(q, ", HEX(WEIGHT_STRING(TRIM(TRAILING ' ' FROM CONVERT(");
	sql_str(q, name, strlen(name));
	sql_add(q, " USING utf8mb4)) COLLATE utf8mb4_unicode_ci))), 256))");
}

/* Seconds until the failure window of client_id or username (NULL: not
 * asked) passes, when either reached oauth.max_failures in it; 0 when
 * neither did; -1 on a database error. */
static long blocked_for(struct request *r, const char *client_id, const char *username)
{
	long window = r->cfg->oauth_failure_window;
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT CEIL(TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(6), MAX(window_start)"
		    " + INTERVAL ");
	sql_int(&q, window);
	sql_add(&q, " SECOND) / 1000000) FROM oauth_failures WHERE failures >= ");
	sql_int(&q, r->cfg->oauth_max_failures);
	sql_add(&q, " AND window_start > UTC_TIMESTAMP(6) - INTERVAL ");
	sql_int(&q, window);
	sql_add(&q, " SECOND AND key_hash IN (");
	add_failure_key(&q, "client:", client_id);
	if (username) {
		sql_add(&q, ", ");
		add_failure_key(&q, "user:", username);
	}
	sql_add(&q, ")");
	struct db_rows rows;
	if (db_query(r, &q, &rows) < 0)
		return -1;
	if (rows.n != 1 || !rows.cells[0].s)
		return 0;
	long secs = strtol(rows.cells[0].s, NULL, 10);
	return secs < 1 ? 1 : secs;
}

/* Deletes up to limit (0: all) counters whose window has passed. */
static int purge_failures(struct request *r, long limit, unsigned long long *deleted)
{
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "DELETE FROM oauth_failures WHERE window_start <= UTC_TIMESTAMP(6) - INTERVAL ");
	sql_int(&q, r->cfg->oauth_failure_window);
	sql_add(&q, " SECOND");
	if (limit > 0) {
		sql_add(&q, " LIMIT ");
		sql_int(&q, limit);
	}
	return db_exec(r, &q, deleted) == 0 ? 0 : -1;
}

int oauth_purge_failures(struct request *r, unsigned long long *deleted)
{
	return purge_failures(r, 0, deleted);
}

/* Counts one failed authentication of name (a new window when the last one
 * has passed), then purges a few expired counters of any name. 0 or -1. */
static int record_failure(struct request *r, const char *prefix, const char *name)
{
	long window = r->cfg->oauth_failure_window;
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "INSERT INTO oauth_failures (key_hash, window_start, failures) VALUES (");
	add_failure_key(&q, prefix, name);
	/* MariaDB assigns left to right: failures reads the old window_start. */
	sql_add(&q, ", UTC_TIMESTAMP(6), 1) ON DUPLICATE KEY UPDATE failures ="
		    " IF(window_start > UTC_TIMESTAMP(6) - INTERVAL ");
	sql_int(&q, window);
	sql_add(&q, " SECOND, failures + 1, 1), window_start ="
		    " IF(window_start > UTC_TIMESTAMP(6) - INTERVAL ");
	sql_int(&q, window);
	sql_add(&q, " SECOND, window_start, UTC_TIMESTAMP(6))");
	if (db_exec(r, &q, NULL) != 0)
		return -1;
	return purge_failures(r, 100, NULL);
}

/* 429 with Retry-After: the name or client is blocked for secs seconds. */
static void too_many(struct request *r, long secs)
{
	char ra[24];
	snprintf(ra, sizeof(ra), "%ld", secs);
	req_header(r, "Retry-After", ra);
	oauth_error(r, 429, "temporarily_unavailable",
		    "Too many failed authentications for this user or client. Try again later.",
		    NULL);
}

/* Authenticates the client of the body or Basic header, first refusing
 * (429) when the client or username (NULL: none) is blocked. 0 with c
 * filled; -1 when the response is decided (400, 401, 429, 5xx). */
static int authenticate_client(struct request *r, const struct params *p, struct client *c,
			       const char *username)
{
	const char *id = param(p, "client_id");
	if (!id) {
		missing(r, "client_id");
		return -1;
	}
	const char *secret = param(p, "client_secret");
	if (!secret) {
		missing(r, "client_secret");
		return -1;
	}
	long wait = blocked_for(r, id, username);
	if (wait < 0)
		return -1;
	if (wait > 0) {
		log_msg(r->id, "oauth: refused (429, %ld s): too many failed authentications of"
			       " client \"%.64s\"%s%.64s%s", wait, id, username ? " or user \"" : "",
			username ? username : "", username ? "\"" : "");
		too_many(r, wait);
		return -1;
	}
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT c.id, c.secret_hash, c.user_id, c.organization_id FROM oauth_clients c");
	auth_join_principal(&q, "c", 0);
	sql_add(&q, " WHERE c.enabled = 1 AND c.client_id = ");
	sql_str(&q, id, strlen(id));
	struct db_rows rows;
	if (db_query(r, &q, &rows) < 0)
		return -1;
	if (!secret_verify_timed(rows.n == 1 ? rows.cells[1].s : NULL, secret)) {
		log_msg(r->id, "oauth: client authentication failed for client \"%.64s\" (%s)", id,
			rows.n ? "wrong secret" : "unknown or disabled client");
		if (record_failure(r, "client:", id) == 0)
			invalid_client(r);
		return -1;
	}
	c->id = strtoll(rows.cells[0].s, NULL, 10);
	c->user_id = strtoll(rows.cells[2].s, NULL, 10);
	c->org_id = strtoll(rows.cells[3].s, NULL, 10);
	c->client_id = id;
	return 0;
}

/* Makes a token of kind, stores its hash; the token (hex) in out. The token
 * joins *family (OAUTH_HASH_LEN bytes); a NULL *family starts a new one,
 * named by this token's hash. */
static int issue(struct request *r, const struct client *c, long long user, const char *kind,
		 long lifetime, const char **family, char out[OAUTH_TOKEN_LEN + 1])
{
	unsigned char raw[OAUTH_TOKEN_LEN / 2];
	if (RAND_bytes(raw, sizeof(raw)) != 1) {
		err_internal(r, "no randomness for a token");
		return -1;
	}
	hex_encode(out, raw, sizeof(raw));
	OPENSSL_cleanse(raw, sizeof(raw));
	const char *h = hash_in_arena(r, out, OAUTH_TOKEN_LEN);
	if (!h)
		return -1;
	if (!*family)
		*family = h;
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "INSERT INTO oauth_tokens (token_hash, kind, client_id, user_id, organization_id,"
		    " expires_at, revoked, created_at, family) VALUES (");
	sql_str(&q, h, OAUTH_HASH_LEN);
	sql_add(&q, ", ");
	sql_str(&q, kind, strlen(kind));
	sql_add(&q, ", ");
	sql_int(&q, c->id);
	sql_add(&q, ", ");
	sql_int(&q, user);
	sql_add(&q, ", ");
	sql_int(&q, c->org_id);
	sql_add(&q, ", UTC_TIMESTAMP() + INTERVAL ");
	sql_int(&q, lifetime);
	sql_add(&q, " SECOND, 0, UTC_TIMESTAMP(), ");
	sql_str(&q, *family, OAUTH_HASH_LEN);
	sql_add(&q, ")");
	unsigned long long affected = 0;
	if (db_exec(r, &q, &affected) != 0 || affected != 1) {
		if (!r->errors)
			err_internal(r, "storing a token failed");
		return -1;
	}
	return 0;
}

/* Issues an access token (and a refresh token unless client_credentials)
 * for user through client c in family (NULL: a new grant) and writes the
 * token response; commits the open transaction first, if any. */
static void grant(struct request *r, const struct client *c, long long user, int with_refresh,
		  const char *family)
{
	char access[OAUTH_TOKEN_LEN + 1], refresh[OAUTH_TOKEN_LEN + 1];
	if (issue(r, c, user, "access", r->cfg->oauth_access_lifetime, &family, access) < 0)
		return;
	if (with_refresh &&
	    issue(r, c, user, "refresh", r->cfg->oauth_refresh_lifetime, &family, refresh) < 0)
		return;
	if (db_in_transaction(r) && db_end(r, 1) < 0)
		return;
	json_t *o = json_object();
	if (o) {
		json_object_set_new(o, "token_type", json_string("Bearer"));
		json_object_set_new(o, "expires_in", json_integer(r->cfg->oauth_access_lifetime));
		json_object_set_new(o, "access_token", json_string(access));
		if (with_refresh)
			json_object_set_new(o, "refresh_token", json_string(refresh));
	}
	respond_json(r, 200, o);
}

static void invalid_grant(struct request *r, const char *desc, const char *hint)
{
	oauth_error(r, 400, "invalid_grant", desc, hint);
}

static void grant_password(struct request *r, const struct params *p, const struct client *c)
{
	const char *username = param(p, "username");
	if (!username) {
		missing(r, "username");
		return;
	}
	const char *password = param(p, "password");
	if (!password) {
		missing(r, "password");
		return;
	}
	/* The user must be enabled and a member of the client's organization. */
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT u.id, u.password_hash FROM users u"
		    " JOIN user_organizations uo ON uo.user_id = u.id AND uo.organization_id = ");
	sql_int(&q, c->org_id);
	sql_add(&q, " WHERE u.enabled = 1 AND u.username = ");
	sql_str(&q, username, strlen(username));
	struct db_rows rows;
	if (db_query(r, &q, &rows) < 0)
		return;
	/* Unknown users cost the same argon2id check as known ones. */
	if (!secret_verify_timed(rows.n == 1 ? rows.cells[1].s : NULL, password)) {
		/* Brute-force trail: who and through which client, never the password. */
		log_msg(r->id, "oauth: password grant failed for user \"%.64s\" via client \"%.64s\" (%s)",
			username, c->client_id, rows.n ? "wrong password" : "unknown or disabled user");
		if (record_failure(r, "user:", username) == 0)
			invalid_grant(r, "The user credentials were incorrect.", NULL);
		return;
	}
	grant(r, c, strtoll(rows.cells[0].s, NULL, 10), 1, NULL);
}

/* Revokes every token of family (a reused refresh token's). 0 or -1. */
static int revoke_family(struct request *r, const char *family)
{
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "UPDATE oauth_tokens SET revoked = 1 WHERE revoked = 0 AND family = ");
	sql_str(&q, family, OAUTH_HASH_LEN);
	authcache_flush(r->cache);
	return db_exec(r, &q, NULL) == 0 ? 0 : -1;
}

static void refresh_invalid(struct request *r)
{
	invalid_grant(r, "The refresh token is invalid.", "Token has expired or been revoked");
}

/* A refresh token that was rotated (or revoked) and comes again: whoever
 * holds it, the grant is compromised, so its whole family goes. */
static void refresh_reused(struct request *r, const struct client *c, const char *family)
{
	if (db_in_transaction(r))
		db_end(r, 0);
	log_msg(r->id, "oauth: a rotated or revoked refresh token was presented again via client"
		       " \"%.64s\": every token of its grant revoked", c->client_id);
	if (revoke_family(r, family) == 0)
		refresh_invalid(r);
}

static void grant_refresh(struct request *r, const struct params *p, const struct client *c)
{
	const char *token = param(p, "refresh_token");
	if (!token) {
		missing(r, "refresh_token");
		return;
	}
	const char *h = hash_in_arena(r, token, strlen(token));
	if (!h)
		return;
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT t.user_id, t.revoked, t.expires_at > UTC_TIMESTAMP(), t.family"
		    " FROM oauth_tokens t FORCE INDEX (PRIMARY)");
	auth_join_principal(&q, "t", 0);
	sql_add(&q, " WHERE t.token_hash = ");
	sql_str(&q, h, OAUTH_HASH_LEN);
	sql_add(&q, " AND t.kind = 'refresh' AND t.client_id = ");
	sql_int(&q, c->id);
	struct db_rows rows;
	if (db_query(r, &q, &rows) < 0)
		return;
	if (rows.n == 1 && rows.cells[3].len != OAUTH_HASH_LEN) {
		err_internal(r, "a refresh token without a family");
		return;
	}
	const char *family = rows.n == 1 ? rows.cells[3].s : NULL;
	if (family && strcmp(rows.cells[1].s, "0") != 0) {
		refresh_reused(r, c, family);
		return;
	}
	if (rows.n != 1 || strcmp(rows.cells[2].s, "1") != 0) {
		log_msg(r->id, "oauth: refresh grant with an unknown or expired token"
			       " via client \"%.64s\"", c->client_id);
		refresh_invalid(r);
		return;
	}
	long long user = strtoll(rows.cells[0].s, NULL, 10);
	/* Rotation: whoever revokes it first gets the new pair, issued in the
	 * same transaction, so a reuse that waited on the row lock revokes the
	 * new pair too. */
	if (db_begin(r) < 0)
		return;
	sql_init(&q, r->arena);
	sql_add(&q, "UPDATE oauth_tokens SET revoked = 1 WHERE revoked = 0 AND token_hash = ");
	sql_str(&q, h, OAUTH_HASH_LEN);
	unsigned long long affected = 0;
	if (db_exec(r, &q, &affected) != 0)
		return;
	if (affected != 1) {
		refresh_reused(r, c, family);
		return;
	}
	grant(r, c, user, 1, family);
}

static void token_endpoint(struct request *r, const struct params *p)
{
	const char *type = param(p, "grant_type");
	if (!type) {
		missing(r, "grant_type");
		return;
	}
	int kind = strcmp(type, "client_credentials") == 0 ? 1
		 : strcmp(type, "password") == 0	  ? 2
		 : strcmp(type, "refresh_token") == 0	  ? 3 : 0;
	if (!kind) {
		oauth_error(r, 400, "unsupported_grant_type",
			    "The authorization grant type is not supported by the authorization server.",
			    "Check that all required parameters have been provided");
		return;
	}
	struct client c;
	if (authenticate_client(r, p, &c, kind == 2 ? param(p, "username") : NULL) < 0)
		return;
	if (kind == 1)
		grant(r, &c, c.user_id, 0, NULL);
	else if (kind == 2)
		grant_password(r, p, &c);
	else
		grant_refresh(r, p, &c);
}

/* RFC 7009: the client's own tokens only; 200 whether or not it existed. */
static void revoke_endpoint(struct request *r, const struct params *p)
{
	const char *token = param(p, "token");
	if (!token) {
		missing(r, "token");
		return;
	}
	struct client c;
	if (authenticate_client(r, p, &c, NULL) < 0)
		return;
	const char *h = hash_in_arena(r, token, strlen(token));
	if (!h)
		return;
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "UPDATE oauth_tokens SET revoked = 1 WHERE token_hash = ");
	sql_str(&q, h, OAUTH_HASH_LEN);
	sql_add(&q, " AND client_id = ");
	sql_int(&q, c.id);
	authcache_flush(r->cache);
	if (db_exec(r, &q, NULL) != 0)
		return;
	r->status = 200;
}

void oauth_serve(struct request *r, int kind)
{
	r->plain = 1; /* Content-Type: application/json */
	if (strcmp(r->method, "OPTIONS") == 0) {
		r->status = 200;
		req_header(r, "Allow", "OPTIONS, POST");
		return;
	}
	if (strcmp(r->method, "POST") != 0) {
		r->status = 405;
		req_header(r, "Allow", "OPTIONS, POST");
		return;
	}
	req_header(r, "Cache-Control", "no-store");
	req_header(r, "Pragma", "no-cache");
	struct params *p = arena_alloc(r->arena, sizeof(*p));
	if (read_params(r, p) < 0 || basic_credentials(r, p) < 0)
		return;
	if (kind == 1)
		token_endpoint(r, p);
	else
		revoke_endpoint(r, p);
}

/* The token (hash h) and everything it depends on, read in one statement
 * into p (with the cache's copy); 1 when it is not a valid access token. */
static int load_principal(struct request *r, const char *h, struct oauth_principal *p)
{
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT t.user_id, t.organization_id,"
		    " TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(6), t.expires_at)"
		    " FROM oauth_tokens t FORCE INDEX (PRIMARY)"
		    " JOIN oauth_clients c FORCE INDEX (PRIMARY)"
		    " ON c.id = t.client_id AND c.enabled = 1");
	auth_join_principal(&q, "t", 0);
	sql_add(&q, " WHERE t.token_hash = ");
	sql_str(&q, h, OAUTH_HASH_LEN);
	sql_add(&q, " AND t.kind = 'access' AND t.revoked = 0 AND t.expires_at > UTC_TIMESTAMP()");
	long long loaded = ttlcache_now();
	struct db_rows rows;
	if (db_query(r, &q, &rows) < 0)
		return -1;
	if (rows.n != 1 || !rows.cells[2].s)
		return 1;
	p->user_id = strtoll(rows.cells[0].s, NULL, 10);
	p->org_id = strtoll(rows.cells[1].s, NULL, 10);
	/* From the time taken before the statement: never later than the
	 * database's own expiry. */
	p->expires_ns = loaded + strtoll(rows.cells[2].s, NULL, 10) * 1000LL;
	ttlcache_put(r->cache ? r->cache->tokens : NULL, h, OAUTH_HASH_LEN, p, loaded);
	return 0;
}

int oauth_bearer(struct request *r, const char *token)
{
	size_t n = strlen(token);
	if (n != OAUTH_TOKEN_LEN || strspn(token, "0123456789abcdef") != n)
		return 1;
	const char *h = hash_in_arena(r, token, n);
	if (!h)
		return -1;
	struct ttlcache *tokens = r->cache ? r->cache->tokens : NULL;
	struct oauth_principal p;
	const struct oauth_principal *cached = ttlcache_get(tokens, h, OAUTH_HASH_LEN);
	if (cached) {
		p = *cached;
	} else {
		int rc = load_principal(r, h, &p);
		if (rc != 0)
			return rc;
	}
	/* Every use compares the expiry with now, cached or not. */
	if (ttlcache_now() >= p.expires_ns) {
		ttlcache_drop(tokens, h, OAUTH_HASH_LEN);
		return 1;
	}
	r->user_id = p.user_id;
	r->org_id = p.org_id;
	return 0;
}

int oauth_revoke_user(struct request *r, long long user)
{
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "UPDATE oauth_tokens SET revoked = 1 WHERE revoked = 0 AND user_id = ");
	sql_int(&q, user);
	authcache_flush(r->cache);
	return db_exec(r, &q, NULL) == 0 ? 0 : -1;
}
