/* write.h: a write request's document (section 8) as the write operations
 * see it: the primary resource object and the included ones, each with the
 * members the client sent already parsed into the text bound to SQL, and
 * the references between them. write_doc.c parses and validates the
 * members; write_item.c stores items; op_write.c, op_linkage_write.c and op_delete.c
 * run the operations inside one transaction. */
#ifndef WRITE_H
#define WRITE_H
#include "first.h"
#include "req.h"
#include "resource.h"

#include <jansson.h>

struct write_item;

/* One linkage entry: an existing record (id) or an item of this request. */
struct write_ref {
	const char *id;          /* as sent */
	size_t len;
	struct write_item *item; /* an included item (or the primary) it names */
	const char *ptr;         /* its pointer, for errors */
};

struct write_rel {
	int present;
	size_t n;                /* to-one: 0 is null */
	struct write_ref *refs;
};

struct write_attr {
	int present;
	const char *text;        /* NULL for SQL NULL */
	size_t len;
};

struct write_item {
	const struct resource *res;
	const char *ptr;          /* "/data" or "/included/N" */
	const char *client_id;    /* the "id" sent, NULL if none */
	size_t client_id_len;
	int update;               /* an existing record (PATCH, meta.update, upsert hit) */
	int upsert;               /* meta.upsert given */
	const char *const *upsert_fields; /* NULL: by id */
	size_t n_upsert_fields;
	int created;              /* it was inserted by this request */
	const char *db_id;        /* its id once known */
	struct write_attr *attrs; /* res->n_attrs */
	struct write_rel *rels;   /* res->n_rels */
	struct write_item *next;  /* included items in order (known items: that list) */
	size_t index;             /* in "included" (of the whole document) */
	size_t pos;               /* in this write_doc's included list */
	int known;                /* stored earlier in the transaction (write_src.known) */
	int edit_checked;         /* its EDIT access was checked in this transaction
				   * (a conditional PATCH checks it before the tag) */
};

struct write_doc {
	struct write_item *primary;
	struct write_item *included;
	size_t n_included;
	int validate;             /* meta.validate: roll everything back */
	int batch;                /* a record of a batch (section 9) */
};

enum write_mode { WRITE_CREATE, WRITE_UPDATE };

/* Parses the body of POST /api/{type} (mode create) or PATCH
 * /api/{type}/{id} (mode update) into doc, checking every member against
 * the descriptors. Every error found is recorded (with its pointer);
 * returns -1 when there was any. */
int write_doc_parse(struct request *r, enum write_mode mode, struct write_doc *doc);

/* Where a write document comes from, for write_doc_build. Every json_t is
 * borrowed (the caller keeps it alive for the request); ptr is borrowed. */
struct write_src {
	const struct resource *res; /* the type of the primary data (the route's) */
	json_t *data;               /* the primary resource object */
	const char *ptr;            /* its pointer: "/data", or "/data/{i}" in a batch */
	int batch;                  /* a batch record: meta.update allowed on the primary
				     * (with an id), meta.validate refused, a create of a type
				     * without ACT_CREATE refused; linkage is the caller's */
	json_t *included;           /* the document's "included" array, or NULL */
	const size_t *inc;          /* indices of the included items this document takes
				     * (NULL: all of them, checked as a single write's) */
	size_t n_inc;
	struct write_item *known;   /* items stored earlier in the same transaction that
				     * references may name (by type and client id), linked
				     * by next; NULL for none. Borrowed, not stored again. */
};

/* write_doc_parse from parsed JSON (src) instead of the request body. A
 * batch (section 9) builds one document per record. Mode as above (a batch
 * record is a create: meta says update or upsert). Errors recorded with
 * their pointers; 0 or -1. */
int write_doc_build(struct request *r, enum write_mode mode, const struct write_src *src,
		    struct write_doc *doc);

/* The body as a JSON object (shared with the relationship routes): reads,
 * parses, and checks it is a non-empty object. NULL with the error
 * recorded. The tree is freed when the arena resets. */
json_t *write_body_json(struct request *r);
/* The same checks on a body already in memory (data borrowed, NUL-
 * terminated or not: len counts). */
json_t *write_json_parse(struct request *r, const char *data, size_t len);

/* The plain format's flat object (section 5.5) as the equivalent JSON:API
 * document (freed when the arena resets); NULL when jansson is out of
 * memory (recorded). */
json_t *write_plain_doc(struct request *r, json_t *flat);

/* Parses a linkage value ({"type","id"} / null / array) of relationship rel
 * at pointer ptr into out. 0 or -1 (recorded). */
int write_parse_linkage(struct request *r, const struct relationship *rel, json_t *data,
			const char *ptr, struct write_rel *out);

/* Stores the items of doc (inserts, updates, relationships, the resource
 * hooks), in an order that satisfies their references. Runs inside the
 * caller's transaction. 0 or -1 (recorded). */
int write_items_store(struct request *r, struct write_doc *doc);

/* Records `not blank constraint` for each required member of a record to
 * create that it does not carry. 0 or -1. */
int write_check_required(struct request *r, const struct write_item *it);

/* The detail of the error for a record to create of a type whose create
 * action is disabled (organizations in a batch). */
#define WRITE_NO_CREATE "The entity type does not allow creating: only \"meta\": {\"update\": true}" \
			" items are accepted."

/* A new, empty item of res at pointer ptr (arena). */
struct write_item *write_item_new(struct request *r, const struct resource *res, const char *ptr);
/* Updates the existing record it->db_id with the members it carries (and
 * updatedAt), running the type's `changing` hook around it. 0 or -1. */
int write_item_update(struct request *r, struct write_item *it);

/* Checks that every reference of rel points at a record of its target type
 * the request may see (or an item of this request); records `form
 * constraint` / `The entity does not exist.` at the reference's pointer
 * otherwise. */
int write_check_refs(struct request *r, const struct relationship *rel, struct write_rel *wr);
/* Creating or re-assigning: the owner an item gives (or the default owner of
 * a new user-owned record) must be inside the user's CREATE / EDIT level;
 * else 403 `No access to the entity.` 0 or -1. */
int write_check_owner(struct request *r, const struct write_item *it);

/* Replaces (replace), adds or removes the join-table rows of to-many rel
 * for the record id of its resource. 0 or -1. */
enum rel_op { REL_REPLACE, REL_ADD, REL_REMOVE };
int write_to_many(struct request *r, const struct resource *res, const struct relationship *rel,
		  const char *id, const struct write_rel *wr, enum rel_op op);

/* The client id (in arena a) of the included item of doc created as
 * (res, id), NULL if none: the response echoes it as meta.includeId. */
const char *write_include_id(struct arena *a, const struct write_doc *doc,
			     const struct resource *res, const char *id);

/* Calls the flush hook of every resource type: derived data made exact
 * before the commit. 0 or -1. */
int write_flush(struct request *r);

/* The pointer of attribute / relationship members of an item. */
const char *write_attr_ptr(struct request *r, const struct write_item *it, const char *name);
const char *write_rel_ptr(struct request *r, const struct write_item *it, const char *name);

#endif
