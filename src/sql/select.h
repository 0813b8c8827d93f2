/* select.h: the SQL pieces every read of a resource shares: its column
 * list, its organization scope and its id. All identifiers come from the
 * descriptor. Column order of a selected row: id, readable attributes (in
 * descriptor order), to-one foreign keys (in relationship order). */
#ifndef SELECT_H
#define SELECT_H
#include "first.h"
#include "acl_sql.h"
#include "resource.h"

struct query;
struct request;
struct sql;
struct db_rows;

/* Appends "alias.id, alias.col, ..." for a full resource row: the id,
 * readable attributes, to-one foreign keys and to-many linkage lists (see
 * linkage.h; those fields[] of query leaves out are NULL), in descriptor
 * order; with_title adds the meta=title text as one more, last, column.
 * query NULL: every field. */
void select_columns(struct sql *q, struct request *r, const struct resource *res, const char *alias,
		    const struct query *query, int with_title);
/* Number of columns select_columns adds (without the title). */
unsigned select_ncols(const struct resource *res);
/* Column index of attribute i / of relationship i in the row. */
unsigned select_attr_col(const struct resource *res, size_t attr_index);
unsigned select_rel_col(const struct resource *res, size_t rel_index);
int select_attr_visible(const struct attribute *a);
/* Loads the full rows (select_columns with query's fields, and the title
 * when query asks for it) of the n ids of res inside the request's
 * organization and the user's VIEW level (select_visible), ordered by id
 * (integer ids: shorter first, then bytes). 0 or -1. */
int select_rows_by_ids(struct request *r, const struct resource *res, const char *const *ids,
		       size_t n, const struct query *query, struct db_rows *out);
/* Appends " AND <alias is inside the request's organization>" (nothing for
 * shared types). */
void select_scope(struct sql *q, struct request *r, const struct resource *res, const char *alias);
/* Appends " AND <alias>.<join_org> = <the request's organization>" when
 * rel's join table carries the organization (nothing otherwise); alias
 * may be NULL. */
void select_join_scope(struct sql *q, struct request *r, const struct relationship *rel,
		       const char *alias);
/* select_scope plus the user's VIEW level on res (acl_sql_where over
 * r->acl, which the operation's type check loaded): what a read
 * may show of res, primary, related, included, filtered or sorted by. */
void select_visible(struct sql *q, struct request *r, const struct resource *res,
		    const char *alias);
/* Appends " FROM table t FORCE INDEX (PRIMARY) WHERE t.id = ?" and the
 * organization scope: the one record id of res (alias t) as the request's
 * organization sees it. A descriptor's id column is its table's primary key. */
void select_from_id(struct sql *q, struct request *r, const struct resource *res, const char *id,
		    size_t id_len);
/* Checks an id taken from the URL. 0 if well-formed for the type. */
int select_id_valid(const struct resource *res, const char *id, size_t len);
/* Appends ? bound to the id (as an integer for integer ids). */
void select_bind_id(struct sql *q, const struct resource *res, const char *id, size_t len);

/* Item check below the type check (acl_check_item): 0 if the record id of
 * res is inside the organization AND the level for p (and the type's
 * write_scope for writes); else records 404 `not found http exception` /
 * `An entity with the requested identifier does not exist.` (outside the
 * organization or missing) or 403 `access denied exception` (inside it,
 * outside the level: `No access to the entity.`, or the type's
 * write_scope_denied text) and returns -1. One query tells 404 from 403. */
int select_check_item(struct request *r, const struct resource *res, const char *id, size_t id_len,
		      enum acl_perm p);

#endif
