/* etag.c: see etag.h. SHA-256 over each column's length and bytes (a
 * NULL differs from an empty string), row after row, cut to 128 bits. */
#include "first.h"
#include "hex.h"
#include "digest.h"
#include "etag.h"
#include "err.h"
#include "include.h"
#include "req.h"
#include "select.h"
#include "sql.h"

#include <stdio.h>
#include <string.h>

/* The hashed bytes gathered into blocks: a digest call costs about as much
 * as hashing a hundred bytes, and a row is some sixty short pieces. The
 * byte stream, and so every tag, is the same as piece by piece. */
struct feed {
	unsigned char block[4096];
	size_t len;
	int ok;
};

static void feed_flush(struct feed *f)
{
	if (f->ok && f->len && digest_add(f->block, f->len) < 0)
		f->ok = 0;
	f->len = 0;
}

static void feed(struct feed *f, const void *p, size_t n)
{
	if (n > sizeof(f->block) - f->len) {
		feed_flush(f);
		if (n > sizeof(f->block)) {
			if (f->ok && digest_add(p, n) < 0)
				f->ok = 0;
			return;
		}
	}
	memcpy(f->block + f->len, p, n);
	f->len += n;
}

static void hash_row(struct feed *f, const struct resource *res, const struct db_value *row)
{
	feed(f, res->type, strlen(res->type) + 1);
	unsigned n = select_ncols(res);
	for (unsigned i = 0; i < n; i++) {
		long long len = row[i].s ? (long long)row[i].len : -1;
		feed(f, &len, sizeof(len));
		if (row[i].s)
			feed(f, row[i].s, row[i].len);
	}
}

void etag_of_rows(const struct resource *res, const struct db_value *row,
		  const struct included *inc, char out[ETAG_SIZE])
{
	unsigned char md[DIGEST_SHA256_LEN];
	if (digest_begin(DIGEST_SHA256) < 0) {
		memset(md, 0, sizeof(md));
	} else {
		struct feed f;
		f.len = 0;
		f.ok = 1;
		hash_row(&f, res, row);
		for (const struct included *b = inc; b; b = b->next)
			for (size_t i = 0; i < b->rows.n; i++)
				hash_row(&f, b->res, &b->rows.cells[i * b->rows.ncols]);
		feed_flush(&f);
		if (digest_end(md) < 0 || !f.ok)
			memset(md, 0, sizeof(md));
	}
	out[0] = '"';
	hex_encode(out + 1, md, 16);
	out[33] = '"';
	out[34] = '\0';
}

void etag_of_row(const struct resource *res, const struct db_value *row, char out[ETAG_SIZE])
{
	etag_of_rows(res, row, NULL, out);
}

int etag_matches(const char *header, const char *tag)
{
	size_t tlen = strlen(tag);
	for (const char *s = header; s && *s;) {
		s += strspn(s, " \t,");
		if (*s == '*')
			return 1;
		if (strncmp(s, "W/", 2) == 0)
			s += 2;
		size_t n = strcspn(s, ",");
		size_t t = n;
		while (t && (s[t - 1] == ' ' || s[t - 1] == '\t'))
			t--;
		if (t == tlen && memcmp(s, tag, tlen) == 0)
			return 1;
		s += n;
	}
	return 0;
}

int etag_current(struct request *r, const struct resource *res, const char *id, size_t id_len,
		 const struct query *query, char out[ETAG_SIZE], int lock)
{
	if (select_id_valid(res, id, id_len) < 0)
		return 0;
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT ");
	select_columns(&q, r, res, "t", query, 0);
	select_from_id(&q, r, res, id, id_len);
	if (lock)
		sql_add(&q, " FOR UPDATE");
	struct db_rows rows;
	if (db_query(r, &q, &rows) < 0)
		return -1;
	if (rows.n == 0)
		return 0;
	etag_of_row(res, rows.cells, out);
	return 1;
}

/* If-Match (sections 4 and 7): called after the access check, so a record
 * the user cannot see is a 404 whatever the header. The row is read as
 * locked (FOR UPDATE) inside the write's transaction: of two writers that
 * carry the same tag, the second waits and then sees the first's change. */
int etag_check_if_match(struct request *r, const struct resource *res, const char *id, size_t len,
			const struct query *query)
{
	const char *im = req_param(r, "HTTP_IF_MATCH");
	if (!im || !*im)
		return 0;
	char tag[ETAG_SIZE];
	int found = etag_current(r, res, id, len, query, tag, 1);
	if (found < 0)
		return -1;
	if (!found) { /* deleted since the access check */
		err_add(r, ERR_NOT_FOUND,
			"An entity with the requested identifier does not exist.");
		return -1;
	}
	if (etag_matches(im, tag))
		return 0;
	err_add(r, ERR_PRECONDITION,
		"The resource has changed since the \"If-Match\" tag was issued.");
	return -1;
}
