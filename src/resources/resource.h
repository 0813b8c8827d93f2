/* resource.h: a resource type is data (section 12), not code. Routing,
 * SQL, rendering and (later) validation and documentation are generated from
 * these descriptors; every SQL identifier comes from them. One res_<type>.c
 * file per type, listed in resources.c. */
#ifndef RESOURCE_H
#define RESOURCE_H
#include "first.h"

enum attr_type {
	T_INT,      /* JSON number */
	T_STRING,   /* JSON string */
	T_TEXT,     /* JSON string, filterable by exists only */
	T_ENUM,     /* JSON string from a fixed list */
	T_BOOL,     /* true / false (TINYINT(1)) */
	T_MONEY,    /* DECIMAL(19,4) as a string with 4 decimals */
	T_DATETIME, /* DATETIME (UTC) as "YYYY-MM-DDTHH:MM:SSZ" */
	T_DATE,     /* DATE as "YYYY-MM-DD" */
	T_DECIMAL,  /* DECIMAL as a JSON number (asyncoperations.progress) */
	T_JSON,     /* a JSON document stored as text, rendered as is */
};

/* Attribute flags (section 12 marks). */
#define A_REQ   0x01u  /* required on create */
#define A_RO    0x02u  /* read-only */
#define A_WO    0x04u  /* write-only: never rendered */
#define A_UNIQ  0x08u  /* unique */
#define A_PAT   0x10u  /* pattern operators and `empty` enabled */
#define A_EMAIL 0x20u  /* must be an e-mail address */
#define A_HASHED 0x40u /* stored as an argon2id hash of the input (passwords) */
#define A_UNSIGNED 0x80u /* T_INT in an INT UNSIGNED column (else INT: 32 bits signed) */

struct attribute {
	const char *name;     /* API name (camelCase) */
	const char *column;   /* SQL column */
	enum attr_type type;
	unsigned flags;
	unsigned max_len;     /* strings: the column size */
	const char *const *values; /* T_ENUM: NULL-terminated list */
	unsigned min_len;     /* strings: shortest accepted input (0: none) */
};

enum rel_kind { REL_TO_ONE, REL_TO_MANY };

#define R_RO       0x01u  /* read-only relationship */
#define R_REQ      0x02u  /* required on create */
#define R_NULLABLE 0x04u  /* to-one that may be null */
/* Writes through it rewrite the target's derived data (calls -> contacting
 * activity): the target row is locked when checked, before anything else,
 * so concurrent writes queue instead of deadlocking. */
#define R_LOCK     0x08u

struct relationship {
	const char *name;     /* API name */
	const char *target;   /* target resource type */
	enum rel_kind kind;
	unsigned flags;
	/* to-one: foreign key column in this resource's table */
	const char *column;
	/* to-many through a join table: join_table.join_self = our id,
	 * join_table.join_target = the target's id */
	const char *join_table, *join_self, *join_target;
	/* The join table's organization column, if it has one: the schema
	 * then guarantees that both ends of a row are in that organization
	 * (composite keys), every key of the table leads with it, and every
	 * statement on the table binds the request's organization to it. */
	const char *join_org;
	/* The join table's index that leads with (join_org, join_self):
	 * named in the linkage subquery, so that the optimizer does not
	 * weigh the table's other organization-led index once per row. */
	const char *join_index;
	/* to-many through a foreign key in the target's table */
	const char *target_fk;
};

/* How records are tied to the request's organization (section 4). */
enum ownership {
	OWN_SHARED,        /* shared by all organizations (countries) */
	OWN_ITSELF,        /* organizations: a user sees only its own */
	OWN_ORGANIZATION,  /* organization-owned */
	OWN_BUSINESS_UNIT, /* owned by a business unit (owner_column) */
	OWN_USER,          /* owned by a user (owner_column) */
};

enum id_kind { ID_INT, ID_STRING };

/* An index of the type's table that list plans may name in FORCE INDEX
 * (sql/plan.c): its name and columns exactly as sql/schema.sql creates
 * them (tests/lists.bats compares). Lists use those starting with the
 * org_column: (org, x) walks in x order (the primary key ends every
 * secondary index), as does (org, x, id, y, ...), whose entries also answer
 * a filter on y; (org, x, y, ...) covers a filter on x sorted by y. */
#define RES_INDEX_COLS 4
struct res_index {
	const char *name;
	const char *columns[RES_INDEX_COLS + 1]; /* NULL-terminated */
};

struct request;
struct write_item;
struct sql;

/* Actions a type allows (section 12). */
#define ACT_GET         0x01u
#define ACT_LIST        0x02u
#define ACT_CREATE      0x04u
#define ACT_UPDATE      0x08u
#define ACT_DELETE      0x10u
#define ACT_DELETE_LIST 0x20u
#define ACT_ALL_READ    (ACT_GET | ACT_LIST)

struct resource {
	const char *type;         /* API type, also the URL segment */
	const char *table;
	const char *id_column;    /* the table's primary key (statements name PRIMARY) */
	enum id_kind id_kind;
	unsigned id_max_len;      /* ID_STRING: longest valid id */
	enum ownership ownership;
	const char *org_column;   /* NULL for OWN_SHARED and OWN_ITSELF */
	int org_null_is_shared;   /* userroles: NULL organization = every org */
	const char *owner_column; /* OWN_USER / OWN_BUSINESS_UNIT */
	const struct attribute *attrs;
	size_t n_attrs;
	const struct relationship *rels;
	size_t n_rels;
	unsigned actions;
	const char *const *title_columns; /* meta=title: joined with spaces */
	/* Its rows decide who may do what (users, roles, units, organizations):
	 * a write of it flushes the process's credential caches (section 3.3). */
	int auth_data;
	const struct res_index *indexes;  /* for list plans; may be none */
	size_t n_indexes;
	/* Optional hooks for rules the generic write code cannot express.
	 * check: after an item of this type was stored (its row is visible in
	 * the transaction); records errors and returns -1 to undo everything.
	 * changing: before records change or are deleted, and again after they
	 * were created or changed, with their ids; keeps derived data exact. */
	int (*check)(struct request *r, const struct write_item *it);
	int (*changing)(struct request *r, const char *const *ids, size_t n);
	/* Called once before the transaction commits, after every change. */
	int (*flush)(struct request *r);
	/* guard: before an item is stored, after the access checks; refuses
	 * (403, recorded, -1) what the request may not hand out (users: roles
	 * and business units beyond the requester's own rights). */
	int (*guard)(struct request *r, const struct write_item *it);
	/* write_scope: appends " AND (...)" keeping only the `alias` records the
	 * request may change or delete, beyond its access level (users: not
	 * those holding a permission above the requester's). Item routes answer
	 * 403 with write_scope_denied[0] + id + write_scope_denied[1]; DELETE
	 * by filter leaves the others out. */
	void (*write_scope)(struct sql *q, struct request *r, const char *alias);
	const char *write_scope_denied[2];
	/* A read-only subresource that is no relationship (asyncoperations:
	 * "errors", op_async_errors.c), or NULL. */
	const char *errors_subresource;
};

/* The type of the records that subresource lists (section 9). */
#define ASYNC_ERRORS_TYPE "asyncoperationerrors"

/* Attribute and relationship blocks several types share. */
#define ATTRS_TIMESTAMPS \
	{ "createdAt", "created_at", T_DATETIME, A_RO, 0, NULL }, \
	{ "updatedAt", "updated_at", T_DATETIME, A_RO, 0, NULL }
/* Contacting activity (accounts, contacts): kept exact by the calls. */
#define ATTRS_CONTACTING_ACTIVITY \
	{ "lastContactedDate", "last_contacted_date", T_DATETIME, A_RO, 0, NULL }, \
	{ "lastContactedDateIn", "last_contacted_date_in", T_DATETIME, A_RO, 0, NULL }, \
	{ "lastContactedDateOut", "last_contacted_date_out", T_DATETIME, A_RO, 0, NULL }, \
	{ "timesContacted", "times_contacted", T_INT, A_RO, 0, NULL }, \
	{ "timesContactedIn", "times_contacted_in", T_INT, A_RO, 0, NULL }, \
	{ "timesContactedOut", "times_contacted_out", T_INT, A_RO, 0, NULL }
/* owner (a user) and organization of user-owned types. */
#define RELS_USER_OWNED \
	{ .name = "owner", .target = "users", .kind = REL_TO_ONE, .column = "owner_id" }, \
	{ .name = "organization", .target = "organizations", .kind = REL_TO_ONE, .flags = R_RO, \
	  .column = "organization_id" }

#define RES_ATTRS(a) a, ARRAY_LEN(a)
#define RES_RELS(r) r, ARRAY_LEN(r)
#define RES_NO_RELS NULL, 0
#define RES_INDEXES(x) x, ARRAY_LEN(x)

/* The registry (resources.c). */
const struct resource *resources_find(const char *type, size_t len);
const struct resource *const *resources_all(size_t *n);
const struct relationship *resource_rel(const struct resource *res, const char *name, size_t len);
/* The target of a relationship (never NULL for a consistent registry). */
const struct resource *resource_target(const struct relationship *rel);

#endif
