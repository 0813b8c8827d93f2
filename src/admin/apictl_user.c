/* apictl_user.c: `apictl user add` (a user in one organization and business
 * unit, by default the organization's top unit, with roles of that
 * organization or shared ones, and optionally a password stored only as the
 * argon2id hash oauth.c verifies) and `apictl user disable` (the user's keys
 * and clients get 401 from the next request on, and its OAuth tokens are
 * revoked for good in the same transaction). Everything is checked before
 * the one transaction writes. */
#include "first.h"
#include "apictl.h"
#include "maxima.h"
#include "db.h"
#include "oauth.h"
#include "secret.h"
#include "sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char apictl_user_usage[] =
	"usage: apictl user add USERNAME --email E --org ORG [--unit UNIT] [--role ROLE]...\n"
	"                       [--password P]\n"
	"       apictl user disable USERNAME\n"
	"add creates an enabled user in organization ORG and business unit UNIT (names\n"
	"or ids; the unit must belong to ORG; default: ORG's top unit, the lowest-id\n"
	"unit without a parent) holding the given roles (e.g. ROLE_ADMINISTRATOR;\n"
	"shared roles or roles of ORG), and prints the user's id.\n"
	"P (at least 8 characters; \"-\" reads it from the first line of stdin) is\n"
	"stored only as an argon2id hash; without --password the user has no password\n"
	"and cannot use the OAuth password grant. Give the user an API key with\n"
	"`apictl apikey USERNAME`.\n"
	"disable disables the user: its keys and OAuth clients get 401 from the next\n"
	"request on, and its OAuth tokens are revoked (enabling the user again does\n"
	"not bring them back).\n";

#define MIN_PASSWORD 8

struct new_user {
	const char *username, *email, *org, *unit, *password;
	const char *roles[MAX_ROLES];
	size_t n_roles;
	long long org_id, unit_id, role_ids[MAX_ROLES];
};

/* Characters, not bytes: UTF-8 continuation bytes are not counted. */
static size_t utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int parse_add(int argc, char **argv, struct new_user *u)
{
	memset(u, 0, sizeof(*u));
	if (argc < 3)
		return -1;
	u->username = argv[2];
	for (int i = 3; i < argc; i += 2) {
		if (i + 1 >= argc)
			return -apictl_errf("%s needs a value", argv[i]);
		const char *v = argv[i + 1];
		if (strcmp(argv[i], "--email") == 0)
			u->email = v;
		else if (strcmp(argv[i], "--org") == 0)
			u->org = v;
		else if (strcmp(argv[i], "--unit") == 0)
			u->unit = v;
		else if (strcmp(argv[i], "--password") == 0)
			u->password = v;
		else if (strcmp(argv[i], "--role") == 0) {
			if (u->n_roles == MAX_ROLES)
				return -apictl_errf("at most %d roles", MAX_ROLES);
			u->roles[u->n_roles++] = v;
		} else
			return -apictl_errf("unknown option \"%s\"", argv[i]);
	}
	if (!u->email || !u->org)
		return -apictl_errf("user add needs --email and --org");
	return 0;
}

/* Reads the password from stdin's first line for "--password -". */
static int read_password(char *buf, size_t len)
{
	if (!fgets(buf, (int)len, stdin))
		return -apictl_errf("no password on stdin");
	buf[strcspn(buf, "\r\n")] = 0;
	return 0;
}

static int check_text(struct new_user *u)
{
	size_t n = strlen(u->username);
	if (n == 0 || n > 255 || strspn(u->username, " \t") == n)
		return -apictl_errf("a username is 1 to 255 characters");
	const char *at = strchr(u->email, '@');
	if (strlen(u->email) > 255 || !at || at == u->email || !at[1] || strchr(at + 1, '@') ||
	    strpbrk(u->email, " \t\r\n"))
		return -apictl_errf("\"%s\" is not an e-mail address", u->email);
	if (u->password) {
		size_t pn = utf8_len(u->password);
		if (pn < MIN_PASSWORD)
			return -apictl_errf("the password must have at least %d characters",
					   MIN_PASSWORD);
		if (strlen(u->password) > MAX_PASSWORD)
			return -apictl_errf("the password is longer than %d bytes", MAX_PASSWORD);
	}
	return 0;
}

/* Resolves ORG, UNIT and the roles; 0, or -1 with the message printed. */
static int resolve(struct ctl *c, struct new_user *u)
{
	int rc = apictl_find_org(c, u->org, &u->org_id, NULL);
	if (rc != 0)
		return rc < 0 ? -apictl_fail(c, "cannot read organizations")
			      : -apictl_errf("no organization \"%s\"", u->org);
	struct sql q;
	sql_init(&q, c->r.arena);
	if (u->unit) {
		/* Unit names are unique nowhere: an id wins, then a unit of ORG. */
		size_t n = strlen(u->unit);
		sql_add(&q, "SELECT id, organization_id FROM business_units WHERE name = ");
		sql_str(&q, u->unit, n);
		sql_add(&q, " OR CAST(id AS CHAR) = ");
		sql_str(&q, u->unit, n);
		sql_add(&q, " ORDER BY CAST(id AS CHAR) = ");
		sql_str(&q, u->unit, n);
		sql_add(&q, " DESC, organization_id = ");
		sql_int(&q, u->org_id);
		sql_add(&q, " DESC, id LIMIT 1");
	} else {
		/* The organization's top unit: the lowest-id one without a parent. */
		sql_add(&q, "SELECT id, organization_id FROM business_units WHERE parent_id IS NULL"
			    " AND organization_id = ");
		sql_int(&q, u->org_id);
		sql_add(&q, " ORDER BY id LIMIT 1");
	}
	struct db_rows rows;
	if (db_query(&c->r, &q, &rows) < 0)
		return -apictl_fail(c, "cannot read business units");
	if (rows.n == 0 && !u->unit)
		return -apictl_errf("organization \"%s\" has no top business unit: give --unit",
				    u->org);
	if (rows.n == 0)
		return -apictl_errf("no business unit \"%s\"", u->unit);
	u->unit_id = strtoll(rows.cells[0].s, NULL, 10);
	if (strtoll(rows.cells[1].s, NULL, 10) != u->org_id)
		return -apictl_errf("business unit \"%s\" does not belong to organization \"%s\"",
				    u->unit, u->org);
	for (size_t i = 0; i < u->n_roles; i++) {
		sql_init(&q, c->r.arena);
		sql_add(&q, "SELECT id, organization_id FROM roles WHERE role = ");
		sql_str(&q, u->roles[i], strlen(u->roles[i]));
		if (db_query(&c->r, &q, &rows) < 0)
			return -apictl_fail(c, "cannot read roles");
		if (rows.n == 0)
			return -apictl_errf("no role \"%s\"", u->roles[i]);
		u->role_ids[i] = strtoll(rows.cells[0].s, NULL, 10);
		if (rows.cells[1].s && strtoll(rows.cells[1].s, NULL, 10) != u->org_id)
			return -apictl_errf("role \"%s\" belongs to another organization",
					    u->roles[i]);
	}
	long long id;
	rc = apictl_id_of(c, "SELECT id FROM users WHERE username = ", u->username, &id);
	if (rc == 0)
		return -apictl_errf("a user named \"%s\" already exists", u->username);
	if (rc == 1)
		rc = apictl_id_of(c, "SELECT id FROM users WHERE email = ", u->email, &id);
	if (rc == 0)
		return -apictl_errf("a user with e-mail \"%s\" already exists", u->email);
	return rc < 0 ? -apictl_fail(c, "cannot read users") : 0;
}

/* The inserts, in the caller's transaction; 0 or 1 (message printed). */
static int insert_user(struct ctl *c, const struct new_user *u, const char *hash,
		       long long *id)
{
	struct sql q;
	sql_init(&q, c->r.arena);
	sql_add(&q, "INSERT INTO users (organization_id, business_unit_id, username, email,"
		    " enabled, password_hash, created_at, updated_at) VALUES (");
	sql_int(&q, u->org_id);
	sql_add(&q, ", ");
	sql_int(&q, u->unit_id);
	sql_add(&q, ", ");
	sql_str(&q, u->username, strlen(u->username));
	sql_add(&q, ", ");
	sql_str(&q, u->email, strlen(u->email));
	sql_add(&q, ", 1, ");
	if (hash)
		sql_str(&q, hash, strlen(hash));
	else
		sql_add(&q, "NULL");
	sql_add(&q, ", UTC_TIMESTAMP(), UTC_TIMESTAMP())");
	int rc = db_exec(&c->r, &q, NULL);
	if (rc == DB_DUPLICATE)
		return apictl_errf("a user with that username or e-mail already exists");
	if (rc != 0 || apictl_id_of(c, "SELECT id FROM users WHERE username = ", u->username,
				    id) != 0)
		return apictl_fail(c, "cannot add the user");
	sql_init(&q, c->r.arena);
	sql_add(&q, "INSERT INTO user_organizations (user_id, organization_id) VALUES (");
	sql_int(&q, *id);
	sql_add(&q, ", ");
	sql_int(&q, u->org_id);
	sql_add(&q, ")");
	if (db_exec(&c->r, &q, NULL) != 0)
		return apictl_fail(c, "cannot add the user's organization");
	sql_init(&q, c->r.arena);
	sql_add(&q, "INSERT INTO user_business_units (user_id, business_unit_id) VALUES (");
	sql_int(&q, *id);
	sql_add(&q, ", ");
	sql_int(&q, u->unit_id);
	sql_add(&q, ")");
	if (db_exec(&c->r, &q, NULL) != 0)
		return apictl_fail(c, "cannot add the user's business unit");
	for (size_t i = 0; i < u->n_roles; i++) {
		sql_init(&q, c->r.arena);
		/* IGNORE: the same role given twice is held once. */
		sql_add(&q, "INSERT IGNORE INTO user_roles (user_id, role_id) VALUES (");
		sql_int(&q, *id);
		sql_add(&q, ", ");
		sql_int(&q, u->role_ids[i]);
		sql_add(&q, ")");
		if (db_exec(&c->r, &q, NULL) != 0)
			return apictl_fail(c, "cannot add the user's roles");
	}
	return 0;
}

static int user_add(struct ctl *c, int argc, char **argv)
{
	struct new_user u;
	if (parse_add(argc, argv, &u) < 0)
		return argc < 3 ? apictl_usage(apictl_user_usage, 0) : APICTL_USAGE;
	char pw[MAX_PASSWORD + 2];
	if (u.password && strcmp(u.password, "-") == 0) {
		if (read_password(pw, sizeof(pw)) < 0)
			return 1;
		u.password = pw;
	}
	if (check_text(&u) < 0 || resolve(c, &u) < 0)
		return 1;
	char hash[256];
	if (u.password && secret_hash(u.password, hash, sizeof(hash)) < 0)
		return apictl_errf("hashing the password failed");
	if (db_begin(&c->r) < 0)
		return apictl_fail(c, "cannot start a transaction");
	long long id = 0;
	if (insert_user(c, &u, u.password ? hash : NULL, &id) != 0 ||
	    db_end(&c->r, 1) < 0) {
		db_end(&c->r, 0);
		return 1;
	}
	printf("%lld\n", id);
	return 0;
}

static int user_disable(struct ctl *c, const char *username)
{
	long long id, org;
	int rc = apictl_find_user(c, username, &id, &org);
	if (rc < 0)
		return apictl_fail(c, "cannot read users");
	if (rc > 0)
		return apictl_errf("no user named \"%s\"", username);
	struct sql q;
	sql_init(&q, c->r.arena);
	sql_add(&q, "UPDATE users SET enabled = 0, updated_at = UTC_TIMESTAMP() WHERE id = ");
	sql_int(&q, id);
	/* One transaction: the user is never disabled with its tokens alive. */
	if (db_begin(&c->r) < 0)
		return apictl_fail(c, "cannot start a transaction");
	if (db_exec(&c->r, &q, NULL) != 0 || oauth_revoke_user(&c->r, id) < 0 ||
	    db_end(&c->r, 1) < 0) {
		db_end(&c->r, 0);
		return apictl_fail(c, "cannot disable the user");
	}
	printf("user %lld disabled\n", id);
	return 0;
}

int apictl_user_run(struct ctl *c, int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "add") == 0)
		return user_add(c, argc, argv);
	if (argc == 3 && strcmp(argv[1], "disable") == 0)
		return user_disable(c, argv[2]);
	return apictl_usage(apictl_user_usage, 0);
}
