/* write_item.c: stores the items of a parsed write document inside the
 * caller's transaction. First every check that needs the database, for all
 * items, so the client sees every error at once: access (section 4),
 * upsert lookups, existence and visibility of related records, unique
 * fields. Then the rows: inserts in an order that satisfies the to-one
 * references between new items, updates, to-many join rows, and the
 * resource hooks (derived data, rules generic code cannot express). */
#include "first.h"
#include "write.h"
#include "acl.h"
#include "arena.h"
#include "db.h"
#include "err.h"
#include "secret.h"
#include "select.h"
#include "sql.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NOT_EXIST "The entity does not exist."

/* The id a reference stands for: a new item's once stored, else as sent. */
static const char *ref_id(const struct write_ref *ref, size_t *len)
{
	if (ref->item) {
		*len = ref->item->db_id ? strlen(ref->item->db_id) : 0;
		return ref->item->db_id;
	}
	*len = ref->len;
	return ref->id;
}

static void bind_ref(struct sql *q, const struct resource *target, const struct write_ref *ref)
{
	size_t len;
	const char *id = ref_id(ref, &len);
	select_bind_id(q, target, id, len);
}

/* The to-one relationship stored in the owner column, if any. */
static const struct relationship *owner_rel(const struct resource *res)
{
	for (size_t i = 0; i < res->n_rels; i++)
		if (res->owner_column && res->rels[i].column &&
		    strcmp(res->rels[i].column, res->owner_column) == 0)
			return &res->rels[i];
	return NULL;
}

/* Starts "SELECT t.id FROM table t WHERE " in q. */
static void select_ids_where(struct sql *q, struct request *r, const struct resource *res)
{
	sql_init(q, r->arena);
	sql_add(q, "SELECT ");
	sql_ident(q, "t", res->id_column);
	sql_add(q, " FROM ");
	sql_ident(q, NULL, res->table);
	sql_add(q, " t WHERE ");
}

int write_check_refs(struct request *r, const struct relationship *rel, struct write_rel *wr)
{
	const struct resource *target = resource_target(rel);
	size_t n_existing = 0;
	for (size_t j = 0; j < wr->n; j++)
		if (!wr->refs[j].item)
			n_existing++;
	if (!n_existing)
		return 0;
	struct sql q;
	select_ids_where(&q, r, target);
	sql_ident(&q, "t", target->id_column);
	sql_add(&q, " IN (");
	int first = 1;
	for (size_t j = 0; j < wr->n; j++) {
		struct write_ref *ref = &wr->refs[j];
		if (ref->item || select_id_valid(target, ref->id, ref->len) < 0)
			continue;
		sql_add(&q, first ? "" : ", ");
		bind_ref(&q, target, ref);
		first = 0;
	}
	if (first)
		sql_add(&q, "NULL");
	sql_add(&q, ")");
	select_visible(&q, r, target, "t");
	if (rel->flags & R_LOCK)
		sql_add(&q, " FOR UPDATE");
	struct db_rows rows;
	if (db_query(r, &q, &rows) < 0)
		return -1;
	int rc = 0;
	for (size_t j = 0; j < wr->n; j++) {
		struct write_ref *ref = &wr->refs[j];
		if (ref->item)
			continue;
		int found = 0;
		for (size_t k = 0; k < rows.n && !found; k++) {
			const struct db_value *v = &rows.cells[k];
			/* Integer ids come back canonical; string ids compare as
			 * the column's collation did (case-insensitively). */
			found = v->len == ref->len && (target->id_kind == ID_INT
							       ? memcmp(v->s, ref->id, ref->len) == 0
							       : strncasecmp(v->s, ref->id, ref->len) == 0);
		}
		if (!found) {
			err_ptr(r, ERR_FORM, NOT_EXIST, ref->ptr);
			rc = -1;
		}
	}
	return rc;
}

/* locking: read the latest committed rows (after the database reported a
 * duplicate, the row of a concurrent request is not in this transaction's
 * snapshot). */
static int check_unique(struct request *r, struct write_item *it, int locking)
{
	const struct resource *res = it->res;
	int rc = 0;
	for (size_t i = 0; i < res->n_attrs; i++) {
		const struct attribute *a = &res->attrs[i];
		if (!(a->flags & A_UNIQ) || !it->attrs[i].present || !it->attrs[i].text)
			continue;
		struct sql q;
		sql_init(&q, r->arena);
		sql_add(&q, "SELECT 1 FROM ");
		sql_ident(&q, NULL, res->table);
		sql_add(&q, " t WHERE ");
		sql_ident(&q, "t", a->column);
		sql_add(&q, " = ");
		sql_str(&q, it->attrs[i].text, it->attrs[i].len);
		if (it->db_id) {
			sql_add(&q, " AND ");
			sql_ident(&q, "t", res->id_column);
			sql_add(&q, " <> ");
			select_bind_id(&q, res, it->db_id, strlen(it->db_id));
		}
		sql_add(&q, locking ? " LIMIT 1 LOCK IN SHARE MODE" : " LIMIT 1");
		struct db_rows rows;
		if (db_query(r, &q, &rows) < 0)
			return -1;
		if (rows.n) {
			err_ptr(r, ERR_UNIQUE, "This value is already used.",
				write_attr_ptr(r, it, a->name));
			rc = -1;
		}
	}
	return rc;
}

/* Upsert: finds the record the item names (by id or by its fields). */
static int resolve_upsert(struct request *r, struct write_item *it)
{
	const struct resource *res = it->res;
	struct sql q;
	select_ids_where(&q, r, res);
	sql_add(&q, "1 = 1");
	if (!it->upsert_fields) {
		if (select_id_valid(res, it->client_id, it->client_id_len) < 0)
			return 0; /* cannot exist: create (and fail there) */
		sql_add(&q, " AND ");
		sql_ident(&q, "t", res->id_column);
		sql_add(&q, " = ");
		select_bind_id(&q, res, it->client_id, it->client_id_len);
	}
	for (size_t f = 0; f < it->n_upsert_fields; f++)
		for (size_t i = 0; i < res->n_attrs; i++) {
			if (strcmp(res->attrs[i].name, it->upsert_fields[f]) != 0)
				continue;
			if (!it->attrs[i].present) {
				err_ptr(r, ERR_VALUE,
					arena_printf(r->arena,
						     "The upsert operation requires a value of the \"%s\""
						     " field.",
						     res->attrs[i].name),
					strcmp(it->ptr, "/data") == 0
						? "/meta/upsert"
						: arena_printf(r->arena, "%s/meta/upsert", it->ptr));
				return -1;
			}
			sql_add(&q, " AND ");
			sql_ident(&q, "t", res->attrs[i].column);
			if (!it->attrs[i].text) {
				sql_add(&q, " IS NULL");
				continue;
			}
			sql_add(&q, " = ");
			sql_str(&q, it->attrs[i].text, it->attrs[i].len);
		}
	select_scope(&q, r, res, "t");
	sql_add(&q, " LIMIT 2");
	struct db_rows rows;
	if (db_query(r, &q, &rows) < 0)
		return -1;
	if (rows.n > 1) {
		err_ptr(r, ERR_CONFLICT,
			"The upsert operation founds more than one entity.", it->ptr);
		return -1;
	}
	if (rows.n == 1) {
		it->update = 1;
		it->db_id = rows.cells[0].s;
		it->client_id = it->db_id;
		it->client_id_len = strlen(it->db_id);
	}
	return 0;
}

/* A new record with a client id (countries) must not exist yet. */
static int check_new_id(struct request *r, struct write_item *it)
{
	const struct resource *res = it->res;
	const char *ptr = arena_printf(r->arena, "%s/id", it->ptr);
	if (select_id_valid(res, it->client_id, it->client_id_len) < 0) {
		err_ptr(r, ERR_ENTITY_ID, "The identifier is not valid.", ptr);
		return -1;
	}
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT 1");
	select_from_id(&q, r, res, it->client_id, it->client_id_len);
	struct db_rows rows;
	if (db_query(r, &q, &rows) < 0)
		return -1;
	if (rows.n) {
		err_ptr(r, ERR_CONFLICT, "The entity already exists.", ptr);
		return -1;
	}
	return 0;
}

int write_check_owner(struct request *r, const struct write_item *it)
{
	const struct relationship *orel = owner_rel(it->res);
	if (!orel)
		return 0;
	const struct write_rel *wr = &it->rels[orel - it->res->rels];
	long long owner;
	if (wr->present && wr->n == 1 && !wr->refs[0].item)
		owner = strtoll(wr->refs[0].id, NULL, 10);
	else if (!wr->present && !it->update && it->res->ownership == OWN_USER)
		owner = r->user_id; /* the default owner */
	else
		return 0; /* unchanged, or a record this request creates */
	int ok = acl_owner_allowed(r, it->res, it->update ? ACL_EDIT : ACL_CREATE, owner);
	if (ok == 0)
		acl_deny_entity(r);
	return ok == 1 ? 0 : -1;
}

static int precheck(struct request *r, struct write_item *it)
{
	if (it->upsert && resolve_upsert(r, it) < 0)
		return -1;
	/* An upsert that found nothing creates: the rules of a create. */
	if (it->upsert && !it->update) {
		if (!(it->res->actions & ACT_CREATE)) {
			err_ptr(r, ERR_REQUEST_DATA, WRITE_NO_CREATE, it->ptr);
			return -1;
		}
		if (write_check_required(r, it) < 0)
			return -1;
	}
	if (it->update) {
		if (!it->db_id)
			it->db_id = arena_strndup(r->arena, it->client_id, it->client_id_len);
		/* Shared records and users above the requester are out of its
		 * EDIT reach here (acl_where). */
		if (!it->edit_checked &&
		    acl_check_item(r, it->res, it->db_id, strlen(it->db_id), ACL_EDIT) < 0)
			return -1;
	} else {
		if (acl_require_type(r, it->res, ACL_CREATE) < 0 || acl_check_create(r, it->res) < 0)
			return -1;
		if (it->res->id_kind == ID_STRING && check_new_id(r, it) < 0)
			return -1;
	}
	int rc = 0;
	if (write_check_owner(r, it) < 0)
		rc = -1;
	for (size_t k = 0; k < it->res->n_rels; k++)
		if (it->rels[k].present &&
		    write_check_refs(r, &it->res->rels[k], &it->rels[k]) < 0)
			rc = -1;
	/* What the item hands out (roles, units), once the references exist. */
	if (rc == 0 && it->res->guard && it->res->guard(r, it) < 0)
		rc = -1;
	if (check_unique(r, it, 0) < 0)
		rc = -1;
	return rc;
}

/* The database said duplicate: another request (or an earlier item of
 * this one) stored the same unique value meanwhile. Same answer as the
 * check before the insert, at the field that collides. */
static void duplicate(struct request *r, struct write_item *it)
{
	unsigned before = r->n_errors;
	if (check_unique(r, it, 1) < 0 && r->n_errors > before)
		return;
	const struct resource *res = it->res;
	for (size_t i = 0; i < res->n_attrs; i++)
		if ((res->attrs[i].flags & A_UNIQ) && it->attrs[i].present) {
			err_ptr(r, ERR_UNIQUE, "This value is already used.",
				write_attr_ptr(r, it, res->attrs[i].name));
			return;
		}
	err_ptr(r, ERR_CONFLICT, "The entity already exists.",
		arena_printf(r->arena, "%s/id", it->ptr));
}

/* Runs the INSERT or UPDATE of an item; a duplicate key is answered at
 * the field that collides. */
static int exec_item(struct request *r, struct write_item *it, const struct sql *q)
{
	int rc = db_exec(r, q, NULL);
	if (rc == DB_DUPLICATE)
		duplicate(r, it);
	return rc == 0 ? 0 : -1;
}

/* The text to store for an attribute: passwords become argon2id hashes. */
static int stored_text(struct request *r, const struct attribute *a, const struct write_attr *wa,
		       const char **text, size_t *len)
{
	*text = wa->text;
	*len = wa->len;
	if (!(a->flags & A_HASHED) || !wa->text)
		return 0;
	char *h = arena_alloc(r->arena, 256);
	if (secret_hash(wa->text, h, 256) < 0) {
		err_internal(r, "hashing a password failed");
		return -1;
	}
	*text = h;
	*len = strlen(h);
	return 0;
}

/* A column = value pair of the statement being built. */
struct col_list {
	struct sql *q;
	int n;
	int insert;  /* INSERT: "col, col" and later values; UPDATE: "col = ?" */
	struct sql *values;
};

static void col_begin(struct col_list *c, const char *column)
{
	sql_add(c->q, c->n++ ? ", " : "");
	sql_ident(c->q, NULL, column);
	if (c->insert)
		sql_add(c->values, c->n > 1 ? ", " : "");
	else
		sql_add(c->q, " = ");
}

static struct sql *col_target(struct col_list *c)
{
	return c->insert ? c->values : c->q;
}

static void col_str(struct col_list *c, const char *column, const char *s, size_t len)
{
	col_begin(c, column);
	if (s)
		sql_str(col_target(c), s, len);
	else
		sql_add(col_target(c), "NULL");
}

static void col_now(struct col_list *c, const char *column)
{
	col_begin(c, column);
	sql_add(col_target(c), "UTC_TIMESTAMP()");
}

/* Attributes and to-one relationships the item carries. */
static int add_members(struct request *r, struct write_item *it, struct col_list *c)
{
	const struct resource *res = it->res;
	for (size_t i = 0; i < res->n_attrs; i++) {
		const struct write_attr *wa = &it->attrs[i];
		if (!wa->present)
			continue;
		const char *t;
		size_t len;
		if (stored_text(r, &res->attrs[i], wa, &t, &len) < 0)
			return -1;
		col_str(c, res->attrs[i].column, t, len);
	}
	for (size_t k = 0; k < res->n_rels; k++) {
		const struct relationship *rel = &res->rels[k];
		const struct write_rel *wr = &it->rels[k];
		if (rel->kind != REL_TO_ONE || !wr->present)
			continue;
		size_t len = 0;
		const char *id = wr->n ? ref_id(&wr->refs[0], &len) : NULL;
		col_str(c, rel->column, id, len);
	}
	for (size_t i = 0; i < res->n_attrs; i++)
		if (strcmp(res->attrs[i].name, "updatedAt") == 0 ||
		    (c->insert && strcmp(res->attrs[i].name, "createdAt") == 0))
			col_now(c, res->attrs[i].column);
	return 0;
}

static int run_changing(struct request *r, const struct write_item *it)
{
	if (!it->res->changing)
		return 0;
	const char *ids[1] = { it->db_id };
	return it->res->changing(r, ids, 1);
}

static int insert_item(struct request *r, struct write_item *it)
{
	const struct resource *res = it->res;
	struct sql q, values;
	sql_init(&q, r->arena);
	sql_init(&values, r->arena);
	sql_add(&q, "INSERT INTO ");
	sql_ident(&q, NULL, res->table);
	sql_add(&q, " (");
	struct col_list c = { &q, 0, 1, &values };
	if (res->id_kind == ID_STRING)
		col_str(&c, res->id_column, it->client_id, it->client_id_len);
	if (res->org_column) {
		col_begin(&c, res->org_column);
		sql_int(&values, r->org_id);
	}
	const struct relationship *orel = owner_rel(res);
	if (orel && res->ownership == OWN_USER && !it->rels[orel - res->rels].present) {
		col_begin(&c, res->owner_column);
		sql_int(&values, r->user_id);
	}
	if (add_members(r, it, &c) < 0)
		return -1;
	sql_add(&q, ") VALUES (");
	/* The values were collected apart; append them with their params. */
	sql_append(&q, &values);
	sql_add(&q, ")");
	if (exec_item(r, it, &q) < 0)
		return -1;
	it->db_id = res->id_kind == ID_STRING
			    ? arena_strndup(r->arena, it->client_id, it->client_id_len)
			    : arena_printf(r->arena, "%llu", db_insert_id(r));
	it->created = 1;
	return it->db_id ? run_changing(r, it) : -1;
}

int write_item_update(struct request *r, struct write_item *it)
{
	const struct resource *res = it->res;
	if (run_changing(r, it) < 0)
		return -1;
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "UPDATE ");
	sql_ident(&q, NULL, res->table);
	/* By primary key, named: otherwise MariaDB estimates the organization's
	 * range in every index that starts with it, half the UPDATE's work. */
	sql_add(&q, " t FORCE INDEX (PRIMARY) SET ");
	struct col_list c = { &q, 0, 0, NULL };
	if (add_members(r, it, &c) < 0)
		return -1;
	if (c.n == 0)
		return 0; /* nothing to change (a type without timestamps) */
	sql_add(&q, " WHERE ");
	sql_ident(&q, "t", res->id_column);
	sql_add(&q, " = ");
	select_bind_id(&q, res, it->db_id, strlen(it->db_id));
	select_scope(&q, r, res, "t");
	if (exec_item(r, it, &q) < 0)
		return -1;
	return run_changing(r, it);
}

int write_to_many(struct request *r, const struct resource *res, const struct relationship *rel,
		  const char *id, const struct write_rel *wr, enum rel_op op)
{
	const struct resource *target = resource_target(rel);
	if (op == REL_REPLACE || (op == REL_REMOVE && wr->n)) {
		struct sql q;
		sql_init(&q, r->arena);
		sql_add(&q, "DELETE FROM ");
		sql_ident(&q, NULL, rel->join_table);
		sql_add(&q, " WHERE ");
		sql_ident(&q, NULL, rel->join_self);
		sql_add(&q, " = ");
		select_bind_id(&q, res, id, strlen(id));
		select_join_scope(&q, r, rel, NULL);
		/* Links to records the user cannot see are not its to drop. */
		sql_add(&q, " AND ");
		sql_ident(&q, NULL, rel->join_target);
		sql_add(&q, " IN (SELECT ");
		sql_ident(&q, "t", target->id_column);
		sql_add(&q, " FROM ");
		sql_ident(&q, NULL, target->table);
		sql_add(&q, " t WHERE 1 = 1");
		select_visible(&q, r, target, "t");
		sql_add(&q, ")");
		if (op == REL_REMOVE) {
			sql_add(&q, " AND ");
			sql_ident(&q, NULL, rel->join_target);
			sql_add(&q, " IN (");
			for (size_t j = 0; j < wr->n; j++) {
				sql_add(&q, j ? ", " : "");
				bind_ref(&q, target, &wr->refs[j]);
			}
			sql_add(&q, ")");
		}
		if (db_exec(r, &q, NULL) < 0)
			return -1;
	}
	if (op == REL_REMOVE || wr->n == 0)
		return 0;
	struct sql q;
	sql_init(&q, r->arena);
	/* IGNORE: a pair that is already there (or sent twice) stays once. It
	 * also skips a row whose target was deleted since write_check_refs
	 * (a foreign-key failure): the one way such a row can fail. */
	sql_add(&q, "INSERT IGNORE INTO ");
	sql_ident(&q, NULL, rel->join_table);
	sql_add(&q, " (");
	sql_ident(&q, NULL, rel->join_self);
	if (rel->join_org) {
		sql_add(&q, ", ");
		sql_ident(&q, NULL, rel->join_org);
	}
	sql_add(&q, ", ");
	sql_ident(&q, NULL, rel->join_target);
	sql_add(&q, ") VALUES ");
	for (size_t j = 0; j < wr->n; j++) {
		sql_add(&q, j ? ", (" : "(");
		select_bind_id(&q, res, id, strlen(id));
		if (rel->join_org) {
			/* Both ends were checked inside the request's organization;
			 * the composite keys hold the row to it. */
			sql_add(&q, ", ");
			sql_int(&q, r->org_id);
		}
		sql_add(&q, ", ");
		bind_ref(&q, target, &wr->refs[j]);
		sql_add(&q, ")");
	}
	return db_exec(r, &q, NULL) < 0 ? -1 : 0;
}

/* Can it be stored now: every to-one reference to a new item is stored. */
static int ready(const struct write_item *it)
{
	for (size_t k = 0; k < it->res->n_rels; k++) {
		const struct write_rel *wr = &it->rels[k];
		if (it->res->rels[k].kind == REL_TO_ONE && wr->n && wr->refs[0].item &&
		    !wr->refs[0].item->db_id)
			return 0;
	}
	return 1;
}

#define FOR_ITEMS(doc, it) \
	for (struct write_item *it = (doc)->primary; it; \
	     it = it == (doc)->primary ? (doc)->included : it->next)

int write_items_store(struct request *r, struct write_doc *doc)
{
	int rc = 0;
	FOR_ITEMS(doc, it) {
		r->auth_changed |= it->res->auth_data; /* serve.c flushes the caches */
		if (precheck(r, it) < 0)
			rc = -1;
	}
	if (rc < 0)
		return -1;
	/* In passes: an item (insert or update) is stored once every new
	 * item its to-one references name has its id. */
	size_t pending = 1 + doc->n_included;
	char *done = arena_alloc(r->arena, pending);
	memset(done, 0, pending);
	while (pending) {
		size_t stored = 0, i = 0;
		FOR_ITEMS(doc, it) {
			if (done[i++] || !ready(it))
				continue;
			if ((it->update ? write_item_update(r, it) : insert_item(r, it)) < 0)
				return -1;
			done[i - 1] = 1;
			stored++;
		}
		if (!stored) {
			/* Each waits for another (or itself) to exist first. */
			FOR_ITEMS(doc, it)
				if (!it->update && !it->db_id)
					err_ptr(r, ERR_REQUEST_DATA,
						"The item references new items that reference it back"
						" (or itself): they cannot be created in one request.",
						it->ptr);
			return -1;
		}
		pending -= stored;
	}
	FOR_ITEMS(doc, it)
		for (size_t k = 0; k < it->res->n_rels; k++)
			if (it->res->rels[k].kind == REL_TO_MANY && it->rels[k].present &&
			    write_to_many(r, it->res, &it->res->rels[k], it->db_id, &it->rels[k],
					  REL_REPLACE) < 0)
				return -1;
	FOR_ITEMS(doc, it)
		if (it->res->check && it->res->check(r, it) < 0)
			rc = -1;
	return rc;
}

int write_flush(struct request *r)
{
	size_t n;
	const struct resource *const *all = resources_all(&n);
	for (size_t i = 0; i < n; i++)
		if (all[i]->flush && all[i]->flush(r) < 0)
			return -1;
	return 0;
}
