/* auth.c: who the request acts as (section 3): a bearer token (checked by
 * oauth.c) or WSSE. WSSE order: parse, Created window, find the key whose
 * digest matches (keys kept per process for at most auth.cache_ttl,
 * keycache.h), then record the nonce with one INSERT ... SELECT that
 * re-checks that key, user and organization are enabled: single use
 * across all processes and hosts, and a disabled key stops at the next
 * request. A nonce is its decoded
 * bytes (only canonical base64 is accepted) together with the second of
 * its Created; the InnoDB table wsse_nonces (sql/schema.sql) is clustered
 * by Created, so inserts land at its new end and expired rows are purged
 * from its old end a small batch at a time. It survives restarts. */
#include "first.h"
#include "auth.h"
#include "arena.h"
#include "authhdr.h"
#include "config.h"
#include "db.h"
#include "digest.h"
#include "err.h"
#include "keycache.h"
#include "log.h"
#include "oauth.h"
#include "sql.h"
#include "ttlcache.h"
#include "uniq.h"
#include "wsse.h"

#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* One request in PURGE_EVERY per process deletes up to PURGE_BATCH expired
 * nonces: each request records one, so the purge deletes up to 5 times as
 * fast as nonces arrive, and never long enough for a request to notice
 * (a few ms; `apictl purge` does the same in larger batches). */
#define PURGE_EVERY 100
#define PURGE_BATCH 500
/* Bytes of SHA-256 of a nonce's decoded bytes that the table keeps. */
#define NONCE_HASH_LEN 16
/* Bytes unique to each request (core/uniq.c) that tell which request
 * recorded a pair (recorded_by). */
#define NONCE_TAG_LEN UNIQ_LEN

static void unauthorized(struct request *r, const char *why)
{
	log_msg(r->id, "401 %s %s: %s", r->method, r->path, why);
	r->status = 401;
	/* Both schemes of section 3; WSSE last, as before Bearer existed. */
	req_header(r, "WWW-Authenticate", "Bearer");
	req_header(r, "WWW-Authenticate", "WSSE realm=\"Secured API\", profile=\"UsernameToken\"");
}

/* Deletes the oldest expired nonces, at most PURGE_BATCH: a short range
 * at the old end of the clustered index, far from the inserts. A Created
 * this old is refused on every host whose clock is within the skew. */
static int purge_nonces(struct request *r)
{
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "DELETE FROM wsse_nonces WHERE created < FROM_UNIXTIME(");
	sql_int(&q, (long long)time(NULL) - r->cfg->wsse_lifetime - r->cfg->wsse_max_clock_skew);
	sql_add(&q, ") ORDER BY created, nonce_hash LIMIT ");
	sql_int(&q, PURGE_BATCH);
	return db_exec_resend(r, &q, NULL, NULL);
}

/* A purge that fails (a lock wait, a certification conflict on Galera
 * between two hosts purging the same rows) costs the request nothing: what
 * it recorded is dropped, the cause is in the log, a later request purges. */
static void purge_quietly(struct request *r)
{
	struct api_error *before = r->errors_tail;
	unsigned n = r->n_errors;
	if (purge_nonces(r) == 0)
		return;
	log_msg(r->id, "purging expired WSSE nonces failed (cause above); the request goes on");
	if (before)
		before->next = NULL;
	else
		r->errors = NULL;
	r->errors_tail = before;
	r->n_errors = n;
}

void auth_join_principal(struct sql *q, const char *alias, int user_by_name)
{
	/* Each row by its primary key, named: MariaDB then weighs no other
	 * index (a tenth of the statement). Not the user's when the statement
	 * finds it by its name (the key list). */
	sql_add(q, user_by_name ? " JOIN users u ON u.id = "
				: " JOIN users u FORCE INDEX (PRIMARY) ON u.id = ");
	sql_ident(q, alias, "user_id");
	sql_add(q, " AND u.enabled = 1 JOIN organizations o FORCE INDEX (PRIMARY) ON o.id = ");
	sql_ident(q, alias, "organization_id");
	sql_add(q, " AND o.enabled = 1 JOIN user_organizations uo FORCE INDEX (PRIMARY)"
		   " ON uo.user_id = ");
	sql_ident(q, alias, "user_id");
	sql_add(q, " AND uo.organization_id = ");
	sql_ident(q, alias, "organization_id");
}

/* The key whose digest matches, or NULL; -1 in *bad when the nonce is not
 * base64. Every key is compared, so the time does not tell which matched. */
static const struct cached_key *match_key(const struct wsse_token *t, const struct cached_key *keys,
					  size_t n, int *bad)
{
	const struct cached_key *found = NULL;
	for (size_t i = 0; i < n; i++) {
		char expect[WSSE_DIGEST_LEN + 1];
		if (wsse_digest(t->nonce, t->created, keys[i].key, 40, expect) < 0) {
			*bad = 1;
			return NULL;
		}
		if (wsse_digest_equal(t->digest, expect) && !found)
			found = &keys[i];
	}
	return found;
}

/* Reads every enabled key of the user and matches the token against them
 * all (a user may hold more keys than the cache keeps); caches the newest
 * KEYCACHE_KEYS with the matching one among them. Returns the match (arena
 * memory) or NULL with *n the number of keys, *bad as match_key; -1 in *n
 * on a database error. This read is the first statement of a request whose
 * user is not cached, so after a database restart it is the one that
 * reconnects (reads are retried). */
static const struct cached_key *load_keys(struct request *r, const struct wsse_token *t,
					  long *n, int *bad)
{
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT k.id, k.api_key, k.organization_id, k.user_id FROM api_keys k");
	auth_join_principal(&q, "k", 1);
	sql_add(&q, " WHERE k.enabled = 1 AND u.username = ");
	sql_str(&q, t->username, strlen(t->username));
	sql_add(&q, " ORDER BY k.id DESC");
	long long loaded = ttlcache_now();
	struct db_rows rows;
	*n = -1;
	if (db_query(r, &q, &rows) < 0)
		return NULL;
	struct cached_key *all = arena_alloc(r->arena, (rows.n + 1) * sizeof(*all));
	size_t m = 0;
	for (size_t i = 0; i < rows.n; i++) {
		const struct db_value *row = &rows.cells[i * rows.ncols];
		if (row[1].len != 40)
			continue;
		struct cached_key *k = &all[m++];
		k->key_id = strtoll(row[0].s, NULL, 10);
		memcpy(k->key, row[1].s, 41);
		k->org_id = strtoll(row[2].s, NULL, 10);
		k->user_id = strtoll(row[3].s, NULL, 10);
	}
	*n = (long)m;
	const struct cached_key *found = match_key(t, all, m, bad);
	struct keycache_set set;
	set.n = m < KEYCACHE_KEYS ? m : KEYCACHE_KEYS;
	memcpy(set.keys, all, set.n * sizeof(*all));
	if (found && (size_t)(found - all) >= KEYCACHE_KEYS)
		set.keys[KEYCACHE_KEYS - 1] = *found;
	keycache_put(r->cache, t->username, set.keys, set.n, loaded);
	return found;
}

/* After a resent INSERT met a duplicate: 1 when the row is the one this
 * request's first send recorded, 0 when another request's (a replay), -1. */
static int recorded_by_us(struct request *r, long long created, const char *hash,
			  const unsigned char tag[NONCE_TAG_LEN])
{
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT recorded_by FROM wsse_nonces WHERE created = FROM_UNIXTIME(");
	sql_int(&q, created);
	sql_add(&q, ") AND nonce_hash = ");
	sql_str(&q, hash, NONCE_HASH_LEN);
	struct db_rows rows;
	if (db_query(r, &q, &rows) < 0)
		return -1;
	return rows.n == 1 && rows.cells[0].len == NONCE_TAG_LEN &&
	       memcmp(rows.cells[0].s, tag, NONCE_TAG_LEN) == 0;
}

/* Records the pair (nonce, Created second) if, at this moment, the key,
 * its user and its organization are still enabled: one statement. 0
 * recorded, 1 replayed, 2 key no longer valid, -1 error. The key is the
 * decoded nonce, so no second spelling of it passes; Created is in it
 * because the digest covers Created (a replay repeats both) and it
 * clusters the table by time. */
static int record_nonce(struct request *r, const struct wsse_token *t, long long created,
			const struct cached_key *k)
{
	unsigned char raw[WSSE_MAX_NONCE_BYTES];
	int n = wsse_nonce_decode(t->nonce, raw);
	unsigned char md[DIGEST_SHA256_LEN];
	if (n < 0 || digest_sha256(raw, (size_t)n, md) < 0) {
		err_internal(r, "hashing the WSSE nonce failed");
		return -1;
	}
	char *hash = arena_alloc(r->arena, NONCE_HASH_LEN);
	memcpy(hash, md, NONCE_HASH_LEN);
	/* Unique, not secret: it tells our own first send from a replay. */
	unsigned char tag[NONCE_TAG_LEN];
	uniq_next(tag);
	struct sql q;
	sql_init(&q, r->arena);
	/* STRAIGHT_JOIN: the key first, then the rows it names, each by its
	 * primary key; MariaDB then spends nothing on weighing join orders
	 * (a tenth of the statement, which runs on every WSSE request). */
	sql_add(&q, "INSERT INTO wsse_nonces (created, nonce_hash, recorded_by)"
		    " SELECT STRAIGHT_JOIN FROM_UNIXTIME(");
	sql_int(&q, created);
	sql_add(&q, "), ");
	sql_str(&q, hash, NONCE_HASH_LEN);
	sql_add(&q, ", ");
	sql_str(&q, (const char *)tag, sizeof(tag));
	sql_add(&q, " FROM api_keys k FORCE INDEX (PRIMARY)");
	auth_join_principal(&q, "k", 0);
	sql_add(&q, " WHERE k.enabled = 1 AND k.id = ");
	sql_int(&q, k->key_id);
	sql_add(&q, " AND u.username = ");
	sql_str(&q, t->username, strlen(t->username));
	unsigned long long affected = 0;
	int resent = 0;
	/* Sending it again after a lost connection is safe: it never lets a
	 * nonce in twice. A duplicate then may be this very request's first
	 * send, committed before the connection died: recorded_by tells. */
	int rc = db_exec_resend(r, &q, &affected, &resent);
	if (rc == DB_DUPLICATE && resent) {
		rc = recorded_by_us(r, created, hash, tag);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return 1;
		log_msg(r->id, "the WSSE nonce INSERT, resent after a lost connection, found the"
			       " nonce its first send had recorded");
		affected = 1;
	} else if (rc == DB_DUPLICATE) {
		return 1;
	} else if (rc < 0) {
		return -1;
	}
	if (affected != 1)
		return 2;
	/* Per process; the pid as a start spreads the purges of processes
	 * started together, and makes one CGI request in PURGE_EVERY purge. */
	static unsigned long counter; /* process statistics, not request state */
	if (counter == 0)
		counter = (unsigned long)getpid() % PURGE_EVERY + 1;
	if (++counter % PURGE_EVERY == 0)
		purge_quietly(r);
	return 0;
}

/* A nonce that could not be recorded (store full, lock wait, lost
 * database): the request is not refused as the client's fault nor failed
 * as a bug, it is a 503 (issue 12). The cause is logged by db.c. */
static void nonce_unavailable(struct request *r, struct api_error *before)
{
	for (struct api_error *e = before ? before->next : r->errors; e; e = e->next) {
		if (e->status < 500)
			continue;
		err_set_kind(e, ERR_UNAVAILABLE);
		e->detail = "The WSSE nonce could not be recorded. Please try again later.";
	}
	log_msg(r->id, "503 %s %s: the WSSE nonce could not be recorded (cause above)", r->method,
		r->path);
}

/* Authorization: Bearer <token> (section 3.2); never from the query. */
static int bearer(struct request *r, const char *v)
{
	while (*v == ' ')
		v++;
	int rc = oauth_bearer(r, v);
	if (rc > 0)
		unauthorized(r, "bearer token unknown, expired or revoked, or its user, client or"
				" organization disabled");
	return rc == 0 ? 0 : -1;
}

int auth_authenticate(struct request *r)
{
	const char *a = authhdr_get(r);
	if (a && strncasecmp(a, "Bearer ", 7) == 0)
		return bearer(r, a + 7);
	const char *x = req_param(r, "HTTP_X_WSSE");
	if (!x || !*x) {
		unauthorized(r, "no credentials");
		return -1;
	}
	struct wsse_token *t = arena_alloc(r->arena, sizeof(*t));
	const char *why = NULL;
	if (wsse_parse(x, t, &why) < 0) {
		unauthorized(r, why);
		return -1;
	}
	long long created;
	if (wsse_parse_created(t->created, &created) < 0) {
		unauthorized(r, "WSSE Created does not parse");
		return -1;
	}
	long long now = (long long)time(NULL);
	if (created > now + r->cfg->wsse_max_clock_skew) {
		unauthorized(r, "WSSE Created is in the future");
		return -1;
	}
	if (created < now - r->cfg->wsse_lifetime) {
		unauthorized(r, "WSSE Created has expired");
		return -1;
	}
	size_t n = 0;
	int bad = 0;
	const struct cached_key *keys = keycache_get(r->cache, t->username, &n);
	const struct cached_key *k = keys ? match_key(t, keys, n, &bad) : NULL;
	if (!k && !bad) {
		/* Not cached, stale, or a key made since: ask the database. */
		long all = 0;
		k = load_keys(r, t, &all, &bad);
		if (all < 0)
			return -1;
		n = (size_t)all;
	}
	if (bad) {
		unauthorized(r, "WSSE nonce is not canonical base64");
		return -1;
	}
	if (!k) {
		/* Brute-force trail: the user named, never the digest or a key. */
		const char *reason = arena_printf(r->arena, n ? "WSSE digest mismatch for user \"%.64s\""
							      : "unknown or disabled user \"%.64s\"",
						  t->username);
		unauthorized(r, reason);
		return -1;
	}
	struct cached_key key = *k; /* the cache may change below */
	struct api_error *before = r->errors_tail;
	int rc = record_nonce(r, t, created, &key);
	if (rc < 0) {
		if (!db_deadlocked(r)) /* a deadlock victim is a 409 that runs again */
			nonce_unavailable(r, before);
		return -1;
	}
	if (rc == 1) {
		unauthorized(r, "WSSE nonce replayed");
		return -1;
	}
	if (rc == 2) {
		keycache_drop(r->cache, t->username);
		unauthorized(r, "key, user or organization disabled");
		return -1;
	}
	r->org_id = key.org_id;
	r->user_id = key.user_id;
	return 0;
}
