/* apictl_role.c: `apictl role add ROLE LABEL [--org ORG]` (a role shared by
 * every organization, or one organization's) and `apictl role grant ROLE
 * TYPE PERMISSION LEVEL` (sets the role's access level for one permission
 * on one resource type of the registry: section 4). */
#include "first.h"
#include "apictl.h"
#include "db.h"
#include "resource.h"
#include "sql.h"

#include <stdio.h>
#include <string.h>

const char apictl_role_usage[] =
	"usage: apictl role add ROLE LABEL [--org ORG]\n"
	"       apictl role grant ROLE TYPE PERMISSION LEVEL\n"
	"add creates the role ROLE (ROLE_ followed by A-Z, 0-9 and _) labelled LABEL,\n"
	"shared by every organization, or of organization ORG (name or id) only, and\n"
	"prints its id. grant sets the level of PERMISSION (VIEW, CREATE, EDIT or DELETE)\n"
	"on resource type TYPE (e.g. contacts) for ROLE to LEVEL (none, user,\n"
	"business_unit, division, organization or global), replacing any level it had.\n"
	"global (writing the records every organization shares) is for shared roles only.\n";

static const char *const permissions[] = { "VIEW", "CREATE", "EDIT", "DELETE", NULL };
static const char *const levels[] = { "none", "user", "business_unit", "division",
				      "organization", "global", NULL };

static int in_list(const char *const *list, const char *v)
{
	for (; *list; list++)
		if (strcmp(*list, v) == 0)
			return 1;
	return 0;
}

static int valid_role_name(const char *r)
{
	size_t n = strlen(r);
	return n > 5 && n <= 255 && strncmp(r, "ROLE_", 5) == 0 &&
	       strspn(r + 5, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == n - 5;
}

static int role_add(struct ctl *c, const char *role, const char *label, const char *org)
{
	if (!valid_role_name(role))
		return apictl_errf("a role name is ROLE_ followed by A-Z, 0-9 and _ (\"%s\" is not)",
				   role);
	size_t ln = strlen(label);
	if (ln == 0 || ln > 255)
		return apictl_errf("a label is 1 to 255 characters");
	long long org_id = 0, id;
	if (org) {
		int rc = apictl_find_org(c, org, &org_id, NULL);
		if (rc < 0)
			return apictl_fail(c, "cannot read organizations");
		if (rc > 0)
			return apictl_errf("no organization \"%s\"", org);
	}
	struct sql q;
	sql_init(&q, c->r.arena);
	sql_add(&q, "INSERT INTO roles (organization_id, role, label, created_at, updated_at)"
		    " VALUES (");
	if (org)
		sql_int(&q, org_id);
	else
		sql_add(&q, "NULL");
	sql_add(&q, ", ");
	sql_str(&q, role, strlen(role));
	sql_add(&q, ", ");
	sql_str(&q, label, ln);
	sql_add(&q, ", UTC_TIMESTAMP(), UTC_TIMESTAMP())");
	int rc = db_exec(&c->r, &q, NULL);
	if (rc == DB_DUPLICATE)
		return apictl_errf("a role \"%s\" already exists", role);
	if (rc != 0)
		return apictl_fail(c, "cannot add the role");
	if (apictl_id_of(c, "SELECT id FROM roles WHERE role = ", role, &id) != 0)
		return apictl_fail(c, "cannot read the new role");
	printf("%lld\n", id);
	return 0;
}

static int role_grant(struct ctl *c, char **argv)
{
	const char *role = argv[0], *type = argv[1], *perm = argv[2], *level = argv[3];
	if (!resources_find(type, strlen(type)))
		return apictl_errf("no resource type \"%s\"", type);
	if (!in_list(permissions, perm))
		return apictl_errf("PERMISSION is one of VIEW, CREATE, EDIT, DELETE (not \"%s\")",
				   perm);
	if (!in_list(levels, level))
		return apictl_errf("LEVEL is one of none, user, business_unit, division,"
				   " organization, global (not \"%s\")", level);
	long long id;
	int rc = apictl_id_of(c, "SELECT id FROM roles WHERE role = ", role, &id);
	if (rc < 0)
		return apictl_fail(c, "cannot read roles");
	if (rc > 0)
		return apictl_errf("no role \"%s\"", role);
	/* global reaches the records of every organization: a role of one
	 * organization carrying it would let that tenant write them. */
	if (strcmp(level, "global") == 0) {
		rc = apictl_id_of(c, "SELECT id FROM roles WHERE organization_id IS NULL AND role = ",
				  role, &id);
		if (rc < 0)
			return apictl_fail(c, "cannot read roles");
		if (rc > 0)
			return apictl_errf("the level global is for shared roles only (\"%s\" belongs"
					   " to one organization)", role);
	}
	struct sql q;
	sql_init(&q, c->r.arena);
	sql_add(&q, "INSERT INTO role_permissions (role_id, entity_type, permission, level)"
		    " VALUES (");
	sql_int(&q, id);
	sql_add(&q, ", ");
	sql_str(&q, type, strlen(type));
	sql_add(&q, ", ");
	sql_str(&q, perm, strlen(perm));
	sql_add(&q, ", ");
	sql_str(&q, level, strlen(level));
	sql_add(&q, ") ON DUPLICATE KEY UPDATE level = VALUES(level)");
	if (db_exec(&c->r, &q, NULL) != 0)
		return apictl_fail(c, "cannot grant the permission");
	printf("%s: %s %s at level %s\n", role, perm, type, level);
	return 0;
}

int apictl_role_run(struct ctl *c, int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "add") == 0)
		return role_add(c, argv[2], argv[3], NULL);
	if (argc == 6 && strcmp(argv[1], "add") == 0 && strcmp(argv[4], "--org") == 0)
		return role_add(c, argv[2], argv[3], argv[5]);
	if (argc == 6 && strcmp(argv[1], "grant") == 0)
		return role_grant(c, argv + 2);
	return apictl_usage(apictl_role_usage, 0);
}
