/* etag.h: entity tags of single resources (section 7). An ETag is a hash
 * of the record's full row (attributes, foreign keys, linkage), so any
 * change gives a new tag, even two changes within the same second that
 * updatedAt cannot tell apart. */
#ifndef ETAG_H
#define ETAG_H
#include "first.h"
#include "db.h"
#include "resource.h"

struct query;
struct request;

/* "\"" + 32 hex digits + "\"" and the NUL. */
#define ETAG_SIZE 35

struct included;

/* The tag of a row of select_columns() of res. */
void etag_of_row(const struct resource *res, const struct db_value *row, char out[ETAG_SIZE]);
/* The tag of a document: the row and the included rows (a GET with
 * include= changes its tag when an included record changes; If-Match on a
 * write compares with the row's own tag, etag_current). */
void etag_of_rows(const struct resource *res, const struct db_value *row,
		  const struct included *inc, char out[ETAG_SIZE]);
/* 1 if an If-Match / If-None-Match value (a list of tags, W/ prefixes
 * and "*" allowed) names tag. */
int etag_matches(const char *header, const char *tag);
/* The current tag of the record id of res inside the organization, as a
 * GET with query's fields[] shows it: 1 and
 * out filled, 0 when there is no such record, -1 on error. lock: read the
 * latest committed row with SELECT ... FOR UPDATE and keep it locked until
 * the transaction ends (If-Match, so two writers cannot both match). */
int etag_current(struct request *r, const struct resource *res, const char *id, size_t id_len,
		 const struct query *query, char out[ETAG_SIZE], int lock);

/* If-Match on PATCH/DELETE, after the access check and inside the write's
 * transaction (the row stays locked): 0 when absent or matching, else 412
 * (or 404 for a row deleted meanwhile) recorded. */
int etag_check_if_match(struct request *r, const struct resource *res, const char *id, size_t len,
			const struct query *query);

#endif
