/* op_linkage_write.c: writes on /api/{type}/{id}/relationships/{assoc}
 * (section 8; reading it is op_related_get.c's):
 * to-one PATCH (object or null), to-many PATCH (replace), POST (add) and
 * DELETE (remove); 204. The parent must be inside the user's EDIT level;
 * every related id must exist and be visible. One transaction. */
#include "first.h"
#include "op.h"
#include "acl.h"
#include "db.h"
#include "err.h"
#include "query.h"
#include "select.h"
#include "sql.h"
#include "write.h"

#include <string.h>

/* The route's parent as an update carrying only the relationship sent. */
static struct write_item *parent_item(struct request *r, const struct resource *res,
				      const struct relationship *rel, const struct write_rel *wr)
{
	struct write_item *it = write_item_new(r, res, "/data");
	it->update = 1;
	it->db_id = r->route.id;
	it->rels[rel - res->rels] = *wr;
	return it;
}

/* PATCH of a to-one: an update of the parent carrying only that member
 * (a new owner must be inside the EDIT level). */
static int set_to_one(struct request *r, const struct resource *res,
		      const struct relationship *rel, const struct write_rel *wr)
{
	struct write_item *it = parent_item(r, res, rel, wr);
	if (!it || write_check_owner(r, it) < 0)
		return -1;
	return write_item_update(r, it);
}

/* The type's guard over what the new linkage hands out (users: roles and
 * business units within the requester's own rights). */
static int guard(struct request *r, const struct resource *res, const struct relationship *rel,
		 const struct write_rel *wr)
{
	if (!res->guard)
		return 0;
	struct write_item *it = parent_item(r, res, rel, wr);
	return it ? res->guard(r, it) : -1;
}

int op_linkage_write(struct request *r, struct query *q)
{
	const struct resource *res = r->route.res;
	const struct relationship *rel = r->route.rel;
	if (query_check(r, q, NULL, 0) < 0)
		return -1;
	json_t *root = write_body_json(r);
	if (!root)
		return -1;
	json_t *data = json_object_get(root, "data");
	if (!data) {
		err_ptr(r, ERR_REQUEST_DATA,
			"The primary data object should not be empty.", "/data");
		return -1;
	}
	struct write_rel wr = { 0 };
	if (write_parse_linkage(r, rel, data, "/data", &wr) < 0)
		return -1;
	if (rel->kind == REL_TO_ONE && wr.n == 0 && !(rel->flags & R_NULLABLE)) {
		err_ptr(r, ERR_NOT_BLANK, "This value should not be blank.", "/data");
		return -1;
	}
	if (db_begin(r) < 0)
		return -1;
	r->auth_changed |= res->auth_data;
	if (acl_check_item(r, res, r->route.id, r->route.id_len, ACL_EDIT) < 0)
		return -1;
	/* Removing needs no visible target (an invisible one is not linked)
	 * and hands nothing out. */
	if (strcmp(r->method, "DELETE") != 0 &&
	    (write_check_refs(r, rel, &wr) < 0 || guard(r, res, rel, &wr) < 0))
		return -1;
	int rc;
	if (rel->kind == REL_TO_ONE) {
		rc = set_to_one(r, res, rel, &wr);
	} else {
		enum rel_op op = strcmp(r->method, "POST") == 0     ? REL_ADD
				 : strcmp(r->method, "DELETE") == 0 ? REL_REMOVE
								     : REL_REPLACE;
		const char *id = r->route.id;
		rc = write_to_many(r, res, rel, id, &wr, op);
	}
	if (rc < 0 || write_flush(r) < 0)
		return -1;
	r->status = 204;
	return db_end(r, 1);
}
