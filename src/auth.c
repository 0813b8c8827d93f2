/* auth.c: WSSE against the database. Order of checks (section 3.1): parse,
 * Created window, record the nonce (single use across all processes and
 * hosts), then compare the digest with each enabled key of the user.
 * Nonces live in a MEMORY table (see sql/schema.sql): no disk flush per
 * request, shared by every process; a Created older than the server's start
 * is refused because the table empties on restart. */
#include "first.h"
#include "auth.h"
#include "arena.h"
#include "config.h"
#include "db.h"
#include "err.h"
#include "log.h"
#include "sql.h"
#include "wsse.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Expired nonces are purged by one request in this many per process. */
#define PURGE_EVERY 1000

static void unauthorized(struct request *r, const char *why)
{
	log_msg(r->id, "401 %s %s: %s", r->method, r->path, why);
	r->status = 401;
	req_header(r, "WWW-Authenticate", "WSSE realm=\"Secured API\", profile=\"UsernameToken\"");
}

static int purge_nonces(struct request *r)
{
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "DELETE FROM wsse_nonces WHERE expires_at < UTC_TIMESTAMP()");
	return db_exec(r, &q, NULL);
}

/* Records the nonce. 0 when new, 1 when seen before, -1 on error. */
static int record_nonce(struct request *r, const char *nonce, long long created)
{
	static unsigned long counter; /* process statistics, not request state */
	if (++counter % PURGE_EVERY == 0 && purge_nonces(r) < 0)
		return -1;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	if (!EVP_Digest(nonce, strlen(nonce), md, &mdlen, EVP_sha1(), NULL)) {
		err_internal(r, "SHA-1 failed");
		return -1;
	}
	unsigned char *hash = arena_alloc(r->arena, mdlen);
	if (!hash) {
		err_internal(r, "out of memory");
		return -1;
	}
	memcpy(hash, md, mdlen);
	/* A nonce only needs remembering while its Created is acceptable. */
	long long expires = created + r->cfg->wsse_lifetime;
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "INSERT INTO wsse_nonces (nonce_hash, expires_at) VALUES (");
	sql_str(&q, (const char *)hash, mdlen);
	sql_add(&q, ", FROM_UNIXTIME(");
	sql_int(&q, expires);
	sql_add(&q, "))");
	int rc = db_exec(r, &q, NULL);
	if (rc == DB_DUPLICATE)
		return 1;
	return rc;
}

int auth_authenticate(struct request *r)
{
	const char *x = req_param(r, "HTTP_X_WSSE");
	if (!x || !*x) {
		unauthorized(r, "no credentials");
		return -1;
	}
	struct wsse_token *t = arena_alloc(r->arena, sizeof(*t));
	if (!t) {
		err_internal(r, "out of memory");
		return -1;
	}
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
	/* The first statement is a read: after a database restart it is the one
	 * that reconnects (reads are retried, writes never are). */
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT k.api_key, k.organization_id, u.id FROM users u"
		    " JOIN api_keys k ON k.user_id = u.id AND k.enabled = 1"
		    " JOIN organizations o ON o.id = k.organization_id AND o.enabled = 1"
		    " JOIN user_organizations uo ON uo.user_id = u.id"
		    " AND uo.organization_id = k.organization_id"
		    " WHERE u.username = ");
	sql_str(&q, t->username, strlen(t->username));
	sql_add(&q, " AND u.enabled = 1 ORDER BY k.id");
	struct db_rows rows;
	if (db_query(r, &q, &rows) < 0)
		return -1;
	long long started = db_server_started(r);
	if (started < 0)
		return -1;
	if (started > 0 && created < started - r->cfg->wsse_max_clock_skew) {
		unauthorized(r, "WSSE Created predates the database's start (nonces were lost)");
		return -1;
	}
	int seen = record_nonce(r, t->nonce, created);
	if (seen < 0)
		return -1;
	if (seen) {
		unauthorized(r, "WSSE nonce replayed");
		return -1;
	}

	int found = 0;
	for (size_t i = 0; i < rows.n; i++) {
		const struct db_value *row = &rows.cells[i * rows.ncols];
		char expect[WSSE_DIGEST_LEN + 1];
		if (wsse_digest(t->nonce, t->created, row[0].s, row[0].len, expect) < 0) {
			unauthorized(r, "WSSE nonce is not base64");
			return -1;
		}
		/* Compare with every key so the time does not tell which matched. */
		if (wsse_digest_equal(t->digest, expect) && !found) {
			found = 1;
			r->org_id = strtoll(row[1].s, NULL, 10);
			r->user_id = strtoll(row[2].s, NULL, 10);
		}
	}
	if (!found) {
		unauthorized(r, rows.n ? "WSSE digest mismatch" : "unknown or disabled user");
		return -1;
	}
	return 0;
}
